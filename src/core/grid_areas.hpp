// The polygons of the project layers of one role (grids, villages, the jurisdiction) read into
// GEOS with an STRtree, in a fixed order: layer by layer (oldest first), features by fid. That
// order decides ties: an enterprise on the shared edge of two grids belongs to the first.
// Used by grid validation, assignment and export; the stored geometry is kept as it is (to
// report it), and a valid working copy (GEOS make-valid) is what every computation uses.
#pragma once

#include "core/geos_handles.hpp"
#include "core/project_store.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

// A grid (or other area) as people name it: its layer, feature id and name.
struct GridRef {
    std::string layer;
    long long fid = 0;
    std::string name;   // the name field's value; may be empty
    // The name, or "图层#fid" when the feature has none.
    std::string label() const;
};

// Name fields looked for, in order.
extern const std::vector<std::string> kGridNameFields;          // WGMC, 网格名称, 名称, MC, NAME ...
extern const std::vector<std::string> kVillageNameFields;       // ZLDWMC, XZQMC, CJMC, 村名, 名称, MC, NAME ...
extern const std::vector<std::string> kJurisdictionNameFields;  // XZQMC, MC, NAME, 名称 ...

class AreaSet {
public:
    AreaSet(const GeosContext& geos, const ProjectStore& store, const std::string& role,
            const std::vector<std::string>& name_fields);
    ~AreaSet();
    AreaSet(const AreaSet&) = delete;
    AreaSet& operator=(const AreaSet&) = delete;

    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    const GridRef& ref(std::size_t i) const { return items_[i].ref; }
    const LayerInfo& layer(std::size_t i) const { return layers_[items_[i].layer]; }
    long long source_fid(std::size_t i) const { return items_[i].source_fid; }
    // As stored (possibly invalid when edited outside Qingling).
    const GEOSGeometry* stored(std::size_t i) const { return items_[i].stored.get(); }
    // Valid: the stored geometry, or its make-valid repair (polygonal part only).
    const GEOSGeometry* working(std::size_t i) const;
    double area(std::size_t i) const;  // of the working geometry

    // Indices whose envelope meets g's envelope, in set order.
    std::vector<std::size_t> candidates(const GEOSGeometry* g) const;
    // Indices whose working geometry intersects g (a point on an edge counts), in set order.
    std::vector<std::size_t> intersecting(const GEOSGeometry* g) const;
    // Whether g lies in the interior of item i (a point on its edge does not).
    bool contains(std::size_t i, const GEOSGeometry* g) const;

    // Lookup by layer name and fid; by name (every match, in set order).
    std::optional<std::size_t> find(const std::string& layer, long long fid) const;
    std::vector<std::size_t> find_by_name(const std::string& name) const;

    // The union of all working geometries (null when empty).
    GeosGeometryPtr union_all() const;

private:
    struct Item {
        GridRef ref;
        std::size_t layer = 0;
        long long source_fid = 0;
        GeosGeometryPtr stored;
        GeosGeometryPtr repaired;  // only when the stored geometry is invalid
        mutable GeosPreparedPtr prepared;
        double area = 0;
    };
    const GEOSPreparedGeometry* prepared(std::size_t i) const;

    const GeosContext& geos_;
    std::vector<LayerInfo> layers_;
    std::vector<Item> items_;
    GeosStrTreePtr tree_;
};

// The polygonal parts of g (Polygon, MultiPolygon, or inside a collection), each as a clone.
std::vector<GeosGeometryPtr> polygon_parts(const GeosContext& geos, const GEOSGeometry* g);

// A point inside g (GEOSPointOnSurface); false when g is empty.
bool representative_point(const GeosContext& geos, const GEOSGeometry* g, double& x, double& y);

} // namespace qingling
