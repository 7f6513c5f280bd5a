// Assigning the enterprises to grids by location (责任到人): every located enterprise goes to
// the grid containing its point (on the shared edge of two grids, the first in layer/fid order,
// as the conformity engine decides), its responsible person is the grid's 网格员 when the grid
// has exactly one. Assignments made by hand are kept unless forced. One transaction.
#pragma once

#include "core/grid_areas.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct GridAssignOptions {
    bool force = false;   // also move enterprises assigned by hand
};

struct GridAssignEntry {
    long long enterprise_id = 0;
    std::string enterprise_name;
    std::optional<GridRef> grid;                 // the grid now (none for the unassigned)
    std::optional<long long> person_id;          // the responsible person now
    std::string person_name;
    std::string note;                            // why (Chinese)
};

struct GridAssignReport {
    std::size_t enterprises = 0;
    std::vector<GridAssignEntry> assigned;        // new or changed assignments
    std::size_t unchanged = 0;                    // already so
    std::vector<GridAssignEntry> kept_by_hand;    // hand assignments left alone (without force)
    std::vector<GridAssignEntry> unassigned;      // in no grid, or without coordinates
    std::vector<GridAssignEntry> without_person;  // assigned, but the grid has no or several 网格员
};

GridAssignReport assign_enterprises_to_grids(ProjectStore& store, const GridAssignOptions& options, Progress& progress);
// The same inside a caller's transaction (a grid edit and the assignment it changes commit together).
GridAssignReport assign_enterprises_to_grids(ProjectStore& store, const WriteTransaction& tx,
                                             const GridAssignOptions& options, Progress& progress);

} // namespace qingling
