// Editing the grids (网格): each edit is an object listing the grid features it changes (state
// before and after: attributes, geometry, people), built from the project as it is, stored in one
// transaction (audited by the store) together with the enterprise→grid assignment it changes, and
// undone by storing the reverse. Shared edges stay shared: moving, inserting or deleting a vertex
// that a neighbouring grid has too changes the neighbour the same way, and a vertex an edit creates
// on a neighbour's edge is inserted into that edge. Snapping and draft grids for a village are here
// too; the viewer converts its pixel tolerance to map units.
#pragma once

#include "core/geos_handles.hpp"
#include "core/grid_assign.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct MapPoint {
    double x = 0, y = 0;
    bool operator==(const MapPoint& o) const { return x == o.x && y == o.y; }
    bool operator!=(const MapPoint& o) const { return !(*this == o); }
};
// A polygonal geometry as coordinates: polygons, each its outer ring then its holes; a ring
// without the closing repeat of its first point.
using Ring = std::vector<MapPoint>;
using Polygons = std::vector<std::vector<Ring>>;

Polygons polygons_from_wkb(const GeosContext& geos, const std::vector<unsigned char>& wkb);
Polygons polygons_from_geos(const GeosContext& geos, const GEOSGeometry* g);
GeosGeometryPtr polygons_to_geos(const GeosContext& geos, const Polygons& p);   // MultiPolygon
std::vector<unsigned char> geos_to_wkb(const GeosContext& geos, const GEOSGeometry* g);

// A grid: its layer's name and feature id.
struct GridKey {
    std::string layer;
    long long fid = 0;
    bool operator==(const GridKey& o) const { return layer == o.layer && fid == o.fid; }
    bool operator<(const GridKey& o) const { return layer < o.layer || (layer == o.layer && fid < o.fid); }
};

struct VertexRef {
    std::size_t polygon = 0, ring = 0, index = 0;
};

// A grid feature as stored, with the people staffing it.
struct GridState {
    FeatureRecord record;
    std::vector<long long> people;  // ascending
};
struct GridChange {
    std::string layer;
    long long fid = 0;                  // an inserted grid's fid once first stored (0 before)
    std::optional<GridState> before;    // none: the edit creates it
    std::optional<GridState> after;     // none: the edit deletes it
};
struct GridEdit {
    std::string label;                  // what a person did, in Chinese (绘制网格, 移动节点 …), marked N_: the UI shows tr(label)
    std::vector<GridChange> changes;
    GridEdit reversed() const;          // undo: before and after swapped, in reverse order
};

// Building edits from the project as it is now; nothing is stored. UsageError (English, naming
// the grid) when the edit cannot be made: unknown grid or vertex, a result that is not a valid
// polygon, a split line that does not cut the grid, grids that are not adjacent.
class GridEditBuilder {
public:
    explicit GridEditBuilder(const ProjectStore& store);
    ~GridEditBuilder();
    GridEditBuilder(const GridEditBuilder&) = delete;
    GridEditBuilder& operator=(const GridEditBuilder&) = delete;

    // A new grid in `layer` (empty: the first grid layer; without one the edit creates layer 网格
    // when stored). Its name goes to the layer's name field (WGMC …).
    GridEdit add_polygon(const Ring& ring, const std::string& name, const std::string& layer = "");
    GridEdit move_vertex(const GridKey& grid, const VertexRef& v, MapPoint to);
    // Inserts `at` after vertex v (on the edge v → v+1).
    GridEdit insert_vertex(const GridKey& grid, const VertexRef& v, MapPoint at);
    GridEdit delete_vertex(const GridKey& grid, const VertexRef& v);
    GridEdit move_grid(const GridKey& grid, double dx, double dy);
    GridEdit delete_grid(const GridKey& grid);
    // The largest piece keeps the grid (name, people); the others are new grids named 名称-2 …
    GridEdit split_grid(const GridKey& grid, const std::vector<MapPoint>& line);
    // a takes b's area and people; b is deleted. Refused unless they share an edge.
    GridEdit merge_grids(const GridKey& a, const GridKey& b);
    // Sets a grid's geometry (the fixes); `label` says why.
    GridEdit set_geometry(const GridKey& grid, const GEOSGeometry* g, const std::string& label);
    // `count` grids covering the village: strips across its longer side, of equal width or
    // (balanced) holding about equal numbers of the village's enterprises; clipped to the village,
    // named 村名1 … 村名N.
    GridEdit draft_for_village(const std::string& village, int count, bool balanced);

    const GeosContext& geos() const { return geos_; }

private:
    struct Impl;
    GeosContext geos_;
    std::unique_ptr<Impl> impl_;
};

// Stores an edit inside the caller's transaction (an inserted grid gets its fid written into the
// edit, so redo restores the same fid). No assignment.
void store_grid_edit(ProjectStore& store, const WriteTransaction& tx, GridEdit& edit);

struct GridEditReport {
    std::string label;                      // the edit's label; undo and redo put 撤销/重做 before it
    std::vector<GridKey> grids;             // changed, created or deleted
    std::size_t assignments_changed = 0;    // enterprises moved to another grid or person
    std::size_t unassigned = 0;             // enterprises in no grid afterwards
};

// The session's undo/redo stacks. apply/undo/redo each store one transaction: the edit (or its
// reverse) and the re-assignment of the enterprises.
class GridEditHistory {
public:
    GridEditReport apply(ProjectStore& store, GridEdit edit);
    // An edit already stored by someone else (the fixes, in their own transaction), for undo.
    void record(GridEdit stored);
    std::optional<GridEditReport> undo(ProjectStore& store);   // none when there is nothing to undo
    std::optional<GridEditReport> redo(ProjectStore& store);
    bool can_undo() const { return !done_.empty(); }
    bool can_redo() const { return !undone_.empty(); }
    const std::string& undo_label() const;
    const std::string& redo_label() const;

private:
    std::vector<GridEdit> done_, undone_;
};

// Snapping: the nearest vertex of the villages, the jurisdiction and the grids within the
// tolerance (map units), else the nearest point on one of their edges.
struct SnapResult {
    enum class Kind { none, vertex, edge } kind = Kind::none;
    MapPoint point;       // the snapped point (the input when none)
    double distance = 0;
};
class GridSnapper {
public:
    explicit GridSnapper(const ProjectStore& store);
    // `ignore`: a grid whose own vertices do not count (the one being edited).
    SnapResult snap(MapPoint p, double tolerance, const std::optional<GridKey>& ignore = std::nullopt) const;

private:
    struct Source {
        std::optional<GridKey> grid;
        std::vector<Ring> rings;
    };
    std::vector<Source> sources_;
};

// The points of a WKT LINESTRING (a split line) or of a POLYGON's outer ring (a drawn grid);
// UsageError naming the problem otherwise.
std::vector<MapPoint> points_from_wkt(const std::string& wkt);

// Finds a grid by its name (WGMC …) or LAYER#FID; UsageError when none or several match.
GridKey find_grid(const ProjectStore& store, const std::string& name_or_key);

} // namespace qingling
