// One-click fixes for the problems 网格检查 finds, where the fix is clear:
// - snap: grid vertices within the snap tolerance of a village or jurisdiction boundary go onto it;
// - invalid: a grid stored invalid gets its make-valid repair;
// - multipart: a grid keeps its largest part (the others become gaps, given away below);
// - crosses_village: a grid is clipped to its main village;
// - overlap: the later grid (layer/fid order, as assignment decides ties) gives the overlap up;
// - gap: a sliver gap (up to max_gap_m2) goes to the neighbour with the longest shared edge.
// Fixes run in that order, each one an edit (core/grid_edit) computed from the project as the
// earlier ones left it, all in one transaction with the re-assignment of the enterprises; a dry
// run rolls back. What cannot be fixed this way is listed.
#pragma once

#include "core/grid_edit.hpp"
#include "core/grid_validate.hpp"

#include <string>
#include <vector>

namespace qingling {

enum class GridFixKind { snap, invalid, multipart, crosses_village, overlap, gap };
inline constexpr GridFixKind kAllGridFixKinds[] = {GridFixKind::snap,           GridFixKind::invalid,
                                                   GridFixKind::multipart,      GridFixKind::crosses_village,
                                                   GridFixKind::overlap,        GridFixKind::gap};
const char* grid_fix_code(GridFixKind kind);       // "snap", "invalid", ...
const char* grid_fix_label_zh(GridFixKind kind);   // 吸附边界, 修复几何, ...
std::optional<GridFixKind> grid_fix_kind(const std::string& code);

struct GridFixOptions {
    std::vector<GridFixKind> kinds;     // empty: all, in the order above
    double tolerance_m2 = 1.0;          // problems at or below this area are left alone (as validation)
    double snap_tolerance_m = 0.5;      // snap: how far a vertex may move onto a boundary
    // gap: only slivers up to this area go to a neighbour; a larger gap needs a grid drawn for it.
    double max_gap_m2 = 10000;
    bool dry_run = false;
};

struct GridFixAction {
    GridFixKind kind = GridFixKind::gap;
    std::vector<GridRef> grids;         // the grids changed (the receiving one first for a gap)
    double area_m2 = 0;                 // the area moved, cut off or given
    std::string detail;                 // in Chinese
    GridEdit edit;                      // what was stored (for undo in the viewer)
};

struct GridFixReport {
    std::vector<GridFixAction> actions;
    std::vector<std::string> not_fixed;   // in Chinese, e.g. a gap with no neighbour
    bool dry_run = false;
    std::size_t assignments_changed = 0;
};

GridFixReport fix_grids(ProjectStore& store, const GridFixOptions& options, Progress& progress);

} // namespace qingling
