// Validation of the grids (网格), like a topology checker but for this job: gaps in the cover of
// the jurisdiction, overlaps, grids crossing a village boundary, invalid and multi-part
// geometries, enterprises in no grid or in several, and grids missing one of their three kinds
// of people (网格长, 网格员, 督察员). Reads the project; changes nothing.
#pragma once

#include "core/grid_areas.hpp"
#include "core/i18n.hpp"
#include "core/project_store.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace qingling {

enum class GridProblemKind {
    gap, overlap, crosses_village, invalid, multipart, enterprise_unassigned, enterprise_in_several, no_people
};
inline constexpr GridProblemKind kAllGridProblemKinds[] = {
    GridProblemKind::gap,       GridProblemKind::overlap,    GridProblemKind::crosses_village,
    GridProblemKind::invalid,   GridProblemKind::multipart,  GridProblemKind::enterprise_unassigned,
    GridProblemKind::enterprise_in_several, GridProblemKind::no_people};
const char* grid_problem_code(GridProblemKind kind);      // "gap", "overlap", ...
const char* grid_problem_label_zh(GridProblemKind kind);  // 空隙, 重叠, 跨村, ...

struct GridProblem {
    GridProblemKind kind = GridProblemKind::gap;
    // gap: the grids bordering it; overlap: the two grids; enterprise_in_several: the grids whose
    // interior holds the point; otherwise the grid concerned (none for enterprise_unassigned).
    std::vector<GridRef> grids;
    long long enterprise_id = 0;   // enterprise problems only
    std::string enterprise_name;
    // gap, overlap: its area; crosses_village: the area outside the main village; invalid: the
    // area of the repaired grid; multipart: the area of the parts other than the largest.
    double area_m2 = 0;
    bool located = false;          // x, y: a point inside the problem (GEOSPointOnSurface), the
    double x = 0, y = 0;           // invalid spot, or the enterprise's point
    std::string detail;            // in words (Chinese): the reason, villages, missing roles
    Phrase detail_phrase;          // the same for the UI (detail_phrase.shown() in its language)
    std::vector<std::string> villages;       // crosses_village: the main village first
    std::vector<std::string> missing_roles;  // no_people
    bool repaired_at_import = false;         // invalid: stored repaired, the source was invalid
};

struct GridValidation {
    double tolerance_m2 = 1.0;
    std::size_t grid_count = 0;
    std::size_t enterprise_count = 0;
    // What the grids must cover: "jurisdiction", "village" (the union of the villages when the
    // project has no jurisdiction layer) or empty (neither: gaps are not checked).
    std::string coverage;
    std::vector<GridProblem> problems;   // by kind (the order above), then by grid

    std::map<GridProblemKind, std::size_t> counts() const;  // every kind, zeros included
};

GridValidation validate_grids(const ProjectStore& store, double area_tolerance_m2 = 1.0);

// The scripts' contract: {tolerance_m2, grid_count, enterprise_count, coverage, counts{kind: n},
// problems[{kind, grids[{layer, fid, name}], enterprise{id, name}|null, area_m2, location{x, y}|null,
// detail, villages, missing_roles, repaired_at_import}]}.
std::string grid_validation_to_json(const GridValidation& v);

} // namespace qingling
