#include "app/map_query.hpp"

#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/geos_handles.hpp"
#include "core/landuse_codes.hpp"
#include "core/project_store.hpp"
#include "core/resources.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace qingling::app {

int layer_index(const MapModel& model, std::string_view name) {
    for (size_t i = 0; i < model.layers.size(); ++i)
        if (model.layers[i].info.name == name) return static_cast<int>(i);
    return -1;
}

FeatureRef find_feature(const MapModel& model, int layer, long long fid) {
    if (layer < 0 || layer >= static_cast<int>(model.layers.size())) return {};
    const auto& features = model.layers[static_cast<size_t>(layer)].features;
    // Read in fid order, so sorted; fall back to a scan should a store ever hand them out otherwise.
    auto it = std::lower_bound(features.begin(), features.end(), fid,
                               [](const MapFeature& f, long long id) { return f.fid < id; });
    if (it == features.end() || it->fid != fid)
        it = std::find_if(features.begin(), features.end(), [fid](const MapFeature& f) { return f.fid == fid; });
    if (it == features.end()) return {};
    return {layer, static_cast<int>(it - features.begin())};
}

FeatureRef find_feature(const MapModel& model, std::string_view layer_name, long long fid) {
    return find_feature(model, layer_index(model, layer_name), fid);
}

const MapFeature& feature_of(const MapModel& model, FeatureRef ref) {
    return model.layers[static_cast<size_t>(ref.layer)].features[static_cast<size_t>(ref.feature)];
}

namespace {

// The viewer's own GEOS context (the UI is single-threaded).
const GeosContext& geos() {
    static GeosContext context;
    return context;
}

GEOSGeometry* ring_geometry(const FlatGeometry& g, VertexRange ring) {
    GEOSContextHandle_t ctx = geos().get();
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, ring.count + 1, 2);
    for (std::uint32_t i = 0; i <= ring.count; ++i) {
        const Vec2 v = g.vertices[ring.first + i % ring.count];  // closed again
        GEOSCoordSeq_setXY_r(ctx, seq, i, v.x, v.y);
    }
    return GEOSGeom_createLinearRing_r(ctx, seq);
}

// Rebuilds a feature as a GEOS geometry from the flat arrays the renderer keeps: the rings were
// normalised at load (shells counter-clockwise, each followed by its holes, clockwise).
GeosGeometryPtr feature_geometry(const MapLayer& layer, const MapFeature& f) {
    GEOSContextHandle_t ctx = geos().get();
    const FlatGeometry& g = layer.geometry;
    std::vector<GEOSGeometry*> parts;
    GEOSGeometry* shell = nullptr;
    std::vector<GEOSGeometry*> holes;
    auto flush_polygon = [&] {
        if (!shell) return;
        parts.push_back(GEOSGeom_createPolygon_r(ctx, shell, holes.data(), static_cast<unsigned>(holes.size())));
        shell = nullptr;
        holes.clear();
    };
    for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r) {
        const VertexRange ring = g.rings[r];
        if (ring_signed_area2(&g.vertices[ring.first], ring.count) > 0 || !shell) {
            flush_polygon();
            shell = ring_geometry(g, ring);
        } else {
            holes.push_back(ring_geometry(g, ring));
        }
    }
    flush_polygon();
    for (std::uint32_t l = f.lines.first; l < f.lines.first + f.lines.count; ++l) {
        const VertexRange line = g.lines[l];
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, line.count, 2);
        for (std::uint32_t i = 0; i < line.count; ++i)
            GEOSCoordSeq_setXY_r(ctx, seq, i, g.vertices[line.first + i].x, g.vertices[line.first + i].y);
        parts.push_back(GEOSGeom_createLineString_r(ctx, seq));
    }
    for (std::uint32_t i = f.points.first; i < f.points.first + f.points.count; ++i)
        parts.push_back(GEOSGeom_createPointFromXY_r(ctx, g.points[i].x, g.points[i].y));
    if (parts.size() == 1) return geos_own(geos(), parts[0]);
    return geos_own(geos(), GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                        static_cast<unsigned>(parts.size())));
}

GeosGeometryPtr point_geometry(Vec2 p) { return geos_own(geos(), GEOSGeom_createPointFromXY_r(geos().get(), p.x, p.y)); }

} // namespace

// Boundary rule as in the conformity engine: a point on an edge is inside.
bool feature_contains(const MapLayer& layer, const MapFeature& f, Vec2 p) {
    if (f.rings.count == 0 || p.x < f.extent.minx || p.x > f.extent.maxx || p.y < f.extent.miny || p.y > f.extent.maxy)
        return false;
    const GeosGeometryPtr g = feature_geometry(layer, f);
    const GeosGeometryPtr point = point_geometry(p);
    return GEOSIntersects_r(geos().get(), g.get(), point.get()) == 1;
}

double distance_to_feature(const MapLayer& layer, const MapFeature& f, Vec2 p, Vec2* nearest) {
    const GeosGeometryPtr g = feature_geometry(layer, f);
    const GeosGeometryPtr point = point_geometry(p);
    double d = std::numeric_limits<double>::infinity();
    if (GEOSDistance_r(geos().get(), g.get(), point.get(), &d) != 1) return std::numeric_limits<double>::infinity();
    if (nearest) {
        *nearest = p;
        if (GEOSCoordSequence* pair = GEOSNearestPoints_r(geos().get(), g.get(), point.get())) {
            GEOSCoordSeq_getXY_r(geos().get(), pair, 0, &nearest->x, &nearest->y);
            GEOSCoordSeq_destroy_r(geos().get(), pair);
        }
    }
    return d;
}

double feature_area(const MapLayer& layer, const MapFeature& f) {
    if (f.rings.count == 0) return 0;
    const GeosGeometryPtr g = feature_geometry(layer, f);
    double area = 0;
    GEOSArea_r(geos().get(), g.get(), &area);
    return area;
}

// A point inside the polygon (GEOS point on surface), for labels.
Vec2 label_point(const MapLayer& layer, const MapFeature& f) {
    if (f.rings.count == 0) return f.extent.center();
    const GeosGeometryPtr g = feature_geometry(layer, f);
    const GeosGeometryPtr inside = geos_own(geos(), GEOSPointOnSurface_r(geos().get(), g.get()));
    Vec2 out = f.extent.center();
    if (inside) {
        GEOSGeomGetX_r(geos().get(), inside.get(), &out.x);
        GEOSGeomGetY_r(geos().get(), inside.get(), &out.y);
    }
    return out;
}

std::vector<FindingHighlight> finding_highlights(const MapModel& model, const EnterpriseItem& e) {
    std::vector<FindingHighlight> out;
    if (!e.verdict) return out;
    const auto& findings = e.verdict->findings;
    for (size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (f.layer.empty()) continue;
        FindingHighlight h;
        h.finding = static_cast<int>(i);
        h.feature = find_feature(model, f.layer, f.feature_id);
        if (!h.feature.valid()) continue;
        if (f.unit == "m" && e.has_point) {
            const MapLayer& layer = model.layers[static_cast<size_t>(h.feature.layer)];
            Vec2 nearest;
            const double d = distance_to_feature(layer, feature_of(model, h.feature), e.position, &nearest);
            if (std::isfinite(d) && d > 0) {
                h.has_line = true;
                h.from = e.position;
                h.to = nearest;
                h.length = d;
            }
        }
        out.push_back(h);
    }
    return out;
}

Extent finding_extent(const MapModel& model, const EnterpriseItem& e, const FindingHighlight& h) {
    Extent x;
    if (h.feature.valid()) x.add(feature_of(model, h.feature).extent);
    if (h.has_line) {
        x.add(h.from.x, h.from.y);
        x.add(h.to.x, h.to.y);
    }
    if (e.has_point && (h.has_line || x.empty())) x.add(e.position.x, e.position.y);
    return x;
}

void zoom_camera_to(Camera& camera, const Extent& extent, double metres_per_unit, double margin_px) {
    if (extent.empty()) return;
    const double resolution = camera.resolution();
    camera.fit(extent, margin_px);
    const double min_resolution = 0.25 / (metres_per_unit > 0 ? metres_per_unit : 1.0);
    if (extent.width() == 0 && extent.height() == 0) camera.set_resolution(resolution);
    else if (camera.resolution() < min_resolution) camera.set_resolution(min_resolution);
}

std::string village_at(const MapModel& model, Vec2 p) {
    for (const VillageArea& v : model.villages) {
        const MapLayer& layer = model.layers[static_cast<size_t>(v.layer)];
        if (feature_contains(layer, layer.features[static_cast<size_t>(v.feature)], p)) return v.name;
    }
    return "";
}

int village_index(const MapModel& model, std::string_view name) {
    for (size_t i = 0; i < model.villages.size(); ++i)
        if (model.villages[i].name == name) return static_cast<int>(i);
    return -1;
}

namespace {

// The usual names of a land-class name and an area attribute.
const char* const kCodeNameFields[] = {"DLMC", "GHDLMC", "YDYHMC", "DLMC_1"};
const char* const kAreaFields[] = {"TBMJ", "TBDLMJ", "DCMJ", "MJ", "SHAPE_Area", "Shape_Area", "AREA", "area"};

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

} // namespace

const std::string& IdentifiedFeature::shown_code_name() const {
    return ui_language() == UiLanguage::en && !code_name_en.empty() ? code_name_en : code_name;
}

IdentifyResult identify_at(const MapModel& model, Vec2 world, double tolerance, const std::vector<char>& visible) {
    IdentifyResult result;
    result.world = world;
    result.village = village_at(model, world);
    // Hits in the model's geometry, top layer first.
    for (size_t k = model.layers.size(); k-- > 0;) {
        if (k < visible.size() && !visible[k]) continue;
        const MapLayer& layer = model.layers[k];
        Extent box;
        box.add(world.x - tolerance, world.y - tolerance);
        box.add(world.x + tolerance, world.y + tolerance);
        if (!layer.extent.intersects(box)) continue;
        for (size_t i = 0; i < layer.features.size(); ++i) {
            const MapFeature& f = layer.features[i];
            if (!f.extent.intersects(box)) continue;
            const double d = distance_to_feature(layer, f, world);
            if (!(d <= tolerance)) continue;
            IdentifiedFeature hit;
            hit.ref = {static_cast<int>(k), static_cast<int>(i)};
            hit.layer_name = layer.info.name;
            hit.role = layer.info.role;
            hit.fid = f.fid;
            hit.distance = d;
            if (f.rings.count > 0) {
                hit.area = feature_area(layer, f);
                hit.village = village_at(model, label_point(layer, f));
            } else {
                hit.village = village_at(model, f.extent.center());
            }
            result.features.push_back(std::move(hit));
        }
    }
    // The land-use patch first (what a click is usually about), the village and jurisdiction around
    // it last.
    auto rank = [](const std::string& role) {
        if (role == "landuse" || role == "planning") return 0;
        if (role == "village") return 2;
        if (role == "jurisdiction") return 3;
        return 1;
    };
    std::stable_sort(result.features.begin(), result.features.end(),
                     [&](const IdentifiedFeature& a, const IdentifiedFeature& b) { return rank(a.role) < rank(b.role); });
    for (IdentifiedFeature& f : result.features)
        if (f.role == "village" || f.role == "jurisdiction") f.village.clear();
    if (result.features.empty()) return result;
    // Their attributes, from the campaign file.
    try {
        const ProjectStore store = ProjectStore::open(model.path, ProjectStore::Access::read_only);
        std::map<int, std::vector<IdentifiedFeature*>> by_layer;
        for (auto& hit : result.features) by_layer[hit.ref.layer].push_back(&hit);
        for (auto& [li, hits] : by_layer) {
            const MapLayer& layer = model.layers[static_cast<size_t>(li)];
            std::vector<std::string> names;
            for (const FieldDef& d : store.layer_fields(layer.info))
                if (d.name != "fid" && d.name != "geom") names.push_back(d.name);
            std::vector<ProjectStore::Box> near;
            for (const IdentifiedFeature* h : hits) {
                const Extent& e = feature_of(model, h->ref).extent;
                near.push_back({e.minx, e.miny, e.maxx, e.maxy});
            }
            store.for_each_feature(layer.info, names, &near,
                                   [&](long long fid, const unsigned char*, size_t, const std::vector<std::string>& values) {
                for (IdentifiedFeature* h : hits) {
                    if (h->fid != fid) continue;
                    for (size_t i = 0; i < names.size() && i < values.size(); ++i) h->attributes.emplace_back(names[i], values[i]);
                }
            });
            std::optional<LandUseCodeTable> codes;
            for (IdentifiedFeature* h : hits) {
                for (const auto& [name, value] : h->attributes) {
                    const std::string key = upper(name);
                    if (!layer.info.code_field.empty() && name == layer.info.code_field) h->code = value;
                    for (const char* n : kCodeNameFields)
                        if (key == n && h->code_name.empty()) h->code_name = value;
                    for (const char* n : kAreaFields)
                        if (key == upper(n) && !h->area_from_attribute && !value.empty()) {
                            try {
                                size_t used = 0;
                                const double a = std::stod(value, &used);
                                if (used > 0 && std::isfinite(a) && a > 0) {
                                    h->area = a;
                                    h->area_from_attribute = true;
                                    h->area_field = name;
                                }
                            } catch (const std::exception&) {
                            }
                        }
                }
                const auto system = parse_code_system(layer.info.code_system);
                if (!h->code.empty() && system && *system != CodeSystem::unknown) {
                    if (!codes) codes = LandUseCodeTable::load(*system, layers_dir());
                    if (h->code_name.empty()) h->code_name = codes->name(h->code).value_or("");
                    h->code_name_en = codes->name_en(h->code).value_or("");
                }
            }
        }
    } catch (const std::exception& e) {
        result.error = e.what();
    }
    return result;
}

} // namespace qingling::app
