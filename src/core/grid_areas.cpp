#include "core/grid_areas.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <cstdint>

namespace qingling {

const std::vector<std::string> kGridNameFields = {"WGMC", "网格名称", "网格名", "名称", "MC", "NAME", "Name", "name"};
const std::vector<std::string> kVillageNameFields = {"ZLDWMC", "XZQMC", "CJMC", "村名", "名称", "MC", "NAME", "Name", "name"};
const std::vector<std::string> kJurisdictionNameFields = {"XZQMC", "MC", "名称", "NAME", "Name", "name"};

std::string GridRef::label() const { return name.empty() ? layer + "#" + std::to_string(fid) : name; }

std::vector<GeosGeometryPtr> polygon_parts(const GeosContext& geos, const GEOSGeometry* g) {
    std::vector<GeosGeometryPtr> out;
    if (!g) return out;
    const int type = GEOSGeomTypeId_r(geos.get(), g);
    if (type == GEOS_POLYGON) {
        if (!GEOSisEmpty_r(geos.get(), g)) out.push_back(geos_own(geos, GEOSGeom_clone_r(geos.get(), g)));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(geos.get(), g);
        for (int i = 0; i < n; ++i)
            for (auto& p : polygon_parts(geos, GEOSGetGeometryN_r(geos.get(), g, i))) out.push_back(std::move(p));
    }
    return out;
}

bool representative_point(const GeosContext& geos, const GEOSGeometry* g, double& x, double& y) {
    if (!g || GEOSisEmpty_r(geos.get(), g)) return false;
    GeosGeometryPtr p = geos_own(geos, GEOSPointOnSurface_r(geos.get(), g));
    if (!p || GEOSisEmpty_r(geos.get(), p.get())) return false;
    return GEOSGeomGetX_r(geos.get(), p.get(), &x) == 1 && GEOSGeomGetY_r(geos.get(), p.get(), &y) == 1;
}

namespace {
// Make-valid, keeping only the polygons (a repaired spike leaves a line behind).
GeosGeometryPtr valid_polygonal(const GeosContext& geos, const GEOSGeometry* g) {
    GeosGeometryPtr fixed = geos_own(geos, GEOSMakeValid_r(geos.get(), g));
    auto parts = polygon_parts(geos, fixed.get());
    std::vector<GEOSGeometry*> raw;
    for (auto& p : parts) raw.push_back(p.release());
    return geos_own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, raw.data(),
                                                      static_cast<unsigned>(raw.size())));
}
} // namespace

AreaSet::AreaSet(const GeosContext& geos, const ProjectStore& store, const std::string& role,
                 const std::vector<std::string>& name_fields)
    : geos_(geos), layers_(store.layers_with_role(role)), tree_(GEOSSTRtree_create_r(geos.get(), 10), GeosStrTreeDeleter{geos.get()}) {
    GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const auto fields = store.layer_fields(layers_[l]);
        std::vector<std::string> wanted = {"source_fid"};
        for (const auto& candidate : name_fields)
            if (std::any_of(fields.begin(), fields.end(), [&](const FieldDef& f) { return f.name == candidate; })) {
                wanted.push_back(candidate);
                break;
            }
        store.for_each_feature(layers_[l], wanted, nullptr,
                               [&](long long fid, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
                                   GEOSGeometry* g = GEOSWKBReader_read_r(geos.get(), reader.get(), wkb, size);
                                   if (!g) return;
                                   Item item;
                                   item.ref = {layers_[l].name, fid, wanted.size() > 1 ? v[1] : std::string()};
                                   item.layer = l;
                                   // Grids drawn in Qingling have no source feature (-1 matches no import repair).
                                   item.source_fid = v[0].empty() ? -1 : std::atoll(v[0].c_str());
                                   item.stored = geos_own(geos, g);
                                   if (GEOSisValid_r(geos.get(), g) != 1) item.repaired = valid_polygonal(geos, g);
                                   GEOSArea_r(geos.get(), item.repaired ? item.repaired.get() : g, &item.area);
                                   items_.push_back(std::move(item));
                               });
    }
    for (std::size_t i = 0; i < items_.size(); ++i)
        geos_strtree_insert_index(geos, tree_.get(), working(i), i);
}

AreaSet::~AreaSet() = default;

const GEOSGeometry* AreaSet::working(std::size_t i) const {
    return items_[i].repaired ? items_[i].repaired.get() : items_[i].stored.get();
}

double AreaSet::area(std::size_t i) const { return items_[i].area; }

const GEOSPreparedGeometry* AreaSet::prepared(std::size_t i) const {
    if (!items_[i].prepared)
        items_[i].prepared = GeosPreparedPtr(GEOSPrepare_r(geos_.get(), working(i)), GeosPreparedDeleter{geos_.get()});
    return items_[i].prepared.get();
}

std::vector<std::size_t> AreaSet::candidates(const GEOSGeometry* g) const {
    if (items_.empty()) return {};
    return geos_strtree_query_indices(geos_, tree_.get(), g);
}

std::vector<std::size_t> AreaSet::intersecting(const GEOSGeometry* g) const {
    std::vector<std::size_t> out;
    for (std::size_t i : candidates(g))
        if (GEOSPreparedIntersects_r(geos_.get(), prepared(i), g) == 1) out.push_back(i);
    return out;
}

bool AreaSet::contains(std::size_t i, const GEOSGeometry* g) const {
    return GEOSPreparedContains_r(geos_.get(), prepared(i), g) == 1;
}

std::optional<std::size_t> AreaSet::find(const std::string& layer, long long fid) const {
    for (std::size_t i = 0; i < items_.size(); ++i)
        if (items_[i].ref.layer == layer && items_[i].ref.fid == fid) return i;
    return std::nullopt;
}

std::vector<std::size_t> AreaSet::find_by_name(const std::string& name) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < items_.size(); ++i)
        if (items_[i].ref.name == name) out.push_back(i);
    return out;
}

GeosGeometryPtr AreaSet::union_all() const {
    if (items_.empty()) return geos_own(geos_, nullptr);
    std::vector<GEOSGeometry*> clones;
    for (std::size_t i = 0; i < items_.size(); ++i) clones.push_back(GEOSGeom_clone_r(geos_.get(), working(i)));
    GeosGeometryPtr collection = geos_own(
        geos_, GEOSGeom_createCollection_r(geos_.get(), GEOS_GEOMETRYCOLLECTION, clones.data(),
                                           static_cast<unsigned>(clones.size())));
    GeosGeometryPtr u = geos_own(geos_, GEOSUnaryUnion_r(geos_.get(), collection.get()));
    if (!u) throw Error("GEOS could not union the " + std::to_string(items_.size()) + " areas: " + geos_.last_error());
    return u;
}

} // namespace qingling
