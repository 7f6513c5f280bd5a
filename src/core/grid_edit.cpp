#include "core/grid_edit.hpp"

#include "core/errors.hpp"
#include "core/grid_areas.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace qingling {

// ---- coordinates <-> GEOS <-> WKB -----------------------------------------------------------------

namespace {
Ring ring_from_geos(const GeosContext& geos, const GEOSGeometry* ring) {
    Ring out;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos.get(), ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(geos.get(), seq, &n)) return out;
    for (unsigned i = 0; i + 1 < n; ++i) {  // without the closing point
        MapPoint p;
        GEOSCoordSeq_getXY_r(geos.get(), seq, i, &p.x, &p.y);
        out.push_back(p);
    }
    return out;
}

GEOSGeometry* ring_to_geos(const GeosContext& geos, const Ring& ring) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos.get(), static_cast<unsigned>(ring.size() + 1), 2);
    for (std::size_t i = 0; i <= ring.size(); ++i) {
        const MapPoint& p = ring[i % ring.size()];
        GEOSCoordSeq_setXY_r(geos.get(), seq, static_cast<unsigned>(i), p.x, p.y);
    }
    return GEOSGeom_createLinearRing_r(geos.get(), seq);
}

double dist2(MapPoint a, MapPoint b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

// The point of segment a-b nearest to p.
MapPoint nearest_on_segment(MapPoint p, MapPoint a, MapPoint b) {
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    if (len2 == 0) return a;
    const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    return {a.x + t * dx, a.y + t * dy};
}

// Vertices closer than this (map units, metres) are the same vertex; a vertex closer than this to
// an edge lies on it. Far below any survey accuracy, far above double rounding at GK coordinates.
constexpr double kSameTolerance = 1e-6;
} // namespace

Polygons polygons_from_geos(const GeosContext& geos, const GEOSGeometry* g) {
    Polygons out;
    for (auto& part : polygon_parts(geos, g)) {
        std::vector<Ring> rings;
        rings.push_back(ring_from_geos(geos, GEOSGetExteriorRing_r(geos.get(), part.get())));
        const int holes = GEOSGetNumInteriorRings_r(geos.get(), part.get());
        for (int h = 0; h < holes; ++h) rings.push_back(ring_from_geos(geos, GEOSGetInteriorRingN_r(geos.get(), part.get(), h)));
        out.push_back(std::move(rings));
    }
    return out;
}

Polygons polygons_from_wkb(const GeosContext& geos, const std::vector<unsigned char>& wkb) {
    GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
    GeosGeometryPtr g = geos_own(geos, GEOSWKBReader_read_r(geos.get(), reader.get(), wkb.data(), wkb.size()));
    return polygons_from_geos(geos, g.get());
}

GeosGeometryPtr polygons_to_geos(const GeosContext& geos, const Polygons& polygons) {
    std::vector<GEOSGeometry*> parts;
    for (const auto& rings : polygons) {
        if (rings.empty() || rings[0].size() < 3) continue;
        std::vector<GEOSGeometry*> holes;
        for (std::size_t r = 1; r < rings.size(); ++r)
            if (rings[r].size() >= 3) holes.push_back(ring_to_geos(geos, rings[r]));
        parts.push_back(GEOSGeom_createPolygon_r(geos.get(), ring_to_geos(geos, rings[0]), holes.data(),
                                                 static_cast<unsigned>(holes.size())));
    }
    return geos_own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_MULTIPOLYGON, parts.data(),
                                                      static_cast<unsigned>(parts.size())));
}

std::vector<unsigned char> geos_to_wkb(const GeosContext& geos, const GEOSGeometry* g) {
    GeosWkbWriterPtr writer(GEOSWKBWriter_create_r(geos.get()), GeosWkbWriterDeleter{geos.get()});
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(geos.get(), writer.get(), g, &size);
    if (!buf) throw Error("GEOS could not write WKB: " + geos.last_error());
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(geos.get(), buf);
    return out;
}

GridEdit GridEdit::reversed() const {
    GridEdit r;
    r.label = label;
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) r.changes.push_back({it->layer, it->fid, it->after, it->before});
    return r;
}

// ---- the builder -----------------------------------------------------------------------------------

struct GridEditBuilder::Impl {
    const ProjectStore& store;
    const GeosContext& geos;
    struct Grid {
        GridKey key;
        GridState state;
        Polygons polygons;
        std::string name;
    };
    std::vector<Grid> grids;                       // layer by layer, by fid
    std::map<std::string, LayerInfo> layers;        // grid layers by name
    std::map<std::string, std::vector<FieldDef>> fields;
    std::map<std::string, int> name_field;          // index of the name field, -1 when none
    std::string first_layer;                        // the oldest grid layer (new grids go there)

    Impl(const ProjectStore& s, const GeosContext& g) : store(s), geos(g) {
        std::map<GridKey, std::vector<long long>> people;
        for (const auto& link : store.grid_people()) people[{link.grid_layer, link.grid_fid}].push_back(link.person_id);
        for (const auto& layer : store.layers_with_role("grid")) {
            if (first_layer.empty()) first_layer = layer.name;
            layers[layer.name] = layer;
            fields[layer.name] = store.layer_fields(layer);
            int nf = -1;
            for (const auto& candidate : kGridNameFields) {
                const auto& f = fields[layer.name];
                auto it = std::find_if(f.begin(), f.end(), [&](const FieldDef& d) { return d.name == candidate; });
                if (it != f.end()) {
                    nf = static_cast<int>(it - f.begin());
                    break;
                }
            }
            name_field[layer.name] = nf;
            std::vector<long long> fids;
            store.for_each_geometry(layer, [&](long long fid, const unsigned char*, size_t) { fids.push_back(fid); });
            for (long long fid : fids) {
                Grid grid;
                grid.key = {layer.name, fid};
                grid.state.record = *store.feature(layer, fid);
                grid.state.people = people[grid.key];
                grid.polygons = polygons_from_wkb(geos, grid.state.record.wkb);
                if (nf >= 0 && grid.state.record.values[nf].kind == FieldValue::Kind::text) grid.name = grid.state.record.values[nf].s;
                grids.push_back(std::move(grid));
            }
        }
    }

    Grid& grid(const GridKey& key) {
        for (auto& g : grids)
            if (g.key == key) return g;
        throw UsageError("the project has no grid " + key.layer + "#" + std::to_string(key.fid));
    }
    std::string label(const Grid& g) const { return g.name.empty() ? g.key.layer + "#" + std::to_string(g.key.fid) : g.name; }

    Ring& ring_of(Grid& g, const VertexRef& v) {
        if (v.polygon >= g.polygons.size() || v.ring >= g.polygons[v.polygon].size() ||
            v.index >= g.polygons[v.polygon][v.ring].size())
            throw UsageError("grid " + label(g) + " has no vertex " + std::to_string(v.polygon) + "/" +
                             std::to_string(v.ring) + "/" + std::to_string(v.index));
        return g.polygons[v.polygon][v.ring];
    }

    struct Added {
        std::string layer, name;
        Polygons polygons;
    };
    // The edit from new geometries of some grids and new grids: every changed or new grid gets
    // vertices where another grid's vertex lies on its edge and gives its own vertices lying on
    // the others' edges to them, so shared edges keep identical vertices.
    GridEdit finish(const std::string& label_text, std::map<GridKey, Polygons> changed, std::vector<Added> added = {}) {
        struct Entry {
            Polygons polygons;
            std::optional<GridKey> key;   // none: added[index]
            std::size_t index = 0;
            bool editing = false;         // changed or added
            bool touched = false;
        };
        std::vector<Entry> entries;
        for (const auto& g : grids) {
            auto it = changed.find(g.key);
            entries.push_back({it == changed.end() ? g.polygons : it->second, g.key, 0, it != changed.end(), it != changed.end()});
        }
        for (std::size_t i = 0; i < added.size(); ++i) entries.push_back({added[i].polygons, std::nullopt, i, true, true});
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (!entries[i].editing) continue;
            for (std::size_t j = 0; j < entries.size(); ++j) {
                if (i == j) continue;
                if (insert_lying_vertices(entries[i].polygons, entries[j].polygons)) entries[j].touched = true;
                if (insert_lying_vertices(entries[j].polygons, entries[i].polygons)) entries[i].touched = true;
            }
        }
        GridEdit edit;
        edit.label = label_text;
        for (auto& e : entries) {
            if (!e.touched) continue;
            if (e.key) {
                Grid& g = grid(*e.key);
                GeosGeometryPtr geom = polygons_to_geos(geos, e.polygons);
                require_valid(label(g), geom.get());
                GridChange c{e.key->layer, e.key->fid, g.state, g.state};
                c.after->record.wkb = geos_to_wkb(geos, geom.get());
                if (c.after->record.wkb == c.before->record.wkb) continue;
                edit.changes.push_back(std::move(c));
            } else {
                const Added& a = added[e.index];
                GeosGeometryPtr geom = polygons_to_geos(geos, e.polygons);
                require_valid(a.name, geom.get());
                edit.changes.push_back({a.layer, 0, std::nullopt, new_state(a.layer, a.name, geom.get())});
            }
        }
        return edit;
    }

    void require_valid(const std::string& what, const GEOSGeometry* geom) const {
        if (GEOSisEmpty_r(geos.get(), geom)) throw UsageError("grid " + what + " would have no area left");
        char* reason = nullptr;
        GEOSGeometry* where = nullptr;
        const char valid = GEOSisValidDetail_r(geos.get(), geom, 0, &reason, &where);
        GeosGeometryPtr w = geos_own(geos, where);
        std::string why = reason ? reason : "";
        if (reason) GEOSFree_r(geos.get(), reason);
        if (valid != 1) throw UsageError("grid " + what + " would not be a valid polygon: " + why);
    }

    // Inserts into `target`'s edges the vertices of `source` lying on them (not at a vertex).
    bool insert_lying_vertices(Polygons& source, Polygons& target) const {
        bool changed = false;
        std::vector<MapPoint> points;
        double minx = std::numeric_limits<double>::max(), miny = minx, maxx = -minx, maxy = -minx;
        for (const auto& rings : target)
            for (const auto& ring : rings)
                for (const auto& p : ring) {
                    minx = std::min(minx, p.x), maxx = std::max(maxx, p.x);
                    miny = std::min(miny, p.y), maxy = std::max(maxy, p.y);
                }
        for (const auto& rings : source)
            for (const auto& ring : rings)
                for (const auto& p : ring)
                    if (p.x >= minx - kSameTolerance && p.x <= maxx + kSameTolerance && p.y >= miny - kSameTolerance &&
                        p.y <= maxy + kSameTolerance)
                        points.push_back(p);
        const double tol2 = kSameTolerance * kSameTolerance;
        for (const MapPoint& p : points)
            for (auto& rings : target)
                for (auto& ring : rings) {
                    if (std::any_of(ring.begin(), ring.end(), [&](const MapPoint& q) { return dist2(p, q) <= tol2; })) continue;
                    for (std::size_t i = 0; i < ring.size(); ++i) {
                        const MapPoint a = ring[i], b = ring[(i + 1) % ring.size()];
                        if (dist2(nearest_on_segment(p, a, b), p) <= tol2) {
                            ring.insert(ring.begin() + static_cast<long>(i) + 1, p);
                            changed = true;
                            break;
                        }
                    }
                }
        return changed;
    }

    GridState new_state(const std::string& layer, const std::string& name, const GEOSGeometry* geom) {
        GridState s;
        const auto& f = fields[layer];
        s.record.values.resize(f.size());
        if (const int nf = name_field[layer]; nf >= 0) {
            s.record.values[nf].kind = FieldValue::Kind::text;
            s.record.values[nf].s = name;
        }
        s.record.wkb = geos_to_wkb(geos, geom);
        return s;
    }
};

GridEditBuilder::GridEditBuilder(const ProjectStore& store) : impl_(std::make_unique<Impl>(store, geos_)) {}
GridEditBuilder::~GridEditBuilder() = default;

GridEdit GridEditBuilder::add_polygon(const Ring& ring_in, const std::string& name, const std::string& layer_in) {
    Ring ring = ring_in;
    if (ring.size() >= 2 && ring.front() == ring.back()) ring.pop_back();
    if (ring.size() < 3) throw UsageError("a grid needs at least 3 vertices");
    std::string layer = layer_in;
    if (layer.empty()) layer = impl_->first_layer;
    if (layer.empty()) {
        // Stored by store_grid_edit, which creates the layer 网格 with a WGMC name field.
        layer = "网格";
        impl_->fields[layer] = {{"WGMC", FieldType::text}};
        impl_->name_field[layer] = 0;
    } else {
        if (!impl_->layers.count(layer)) throw UsageError("the project has no grid layer named '" + layer + "'");
    }
    return impl_->finish(N_("绘制网格"), {}, {{layer, name, Polygons{{ring}}}});
}

GridEdit GridEditBuilder::move_vertex(const GridKey& key, const VertexRef& v, MapPoint to) {
    auto& g = impl_->grid(key);
    const MapPoint from = impl_->ring_of(g, v)[v.index];
    std::map<GridKey, Polygons> changed;
    const double tol2 = kSameTolerance * kSameTolerance;
    for (auto& other : impl_->grids) {
        Polygons p = other.polygons;
        bool moved = false;
        for (auto& rings : p)
            for (auto& ring : rings)
                for (auto& q : ring)
                    if (dist2(q, from) <= tol2) q = to, moved = true;
        if (moved) changed[other.key] = std::move(p);
    }
    return impl_->finish(N_("移动节点"), std::move(changed));
}

GridEdit GridEditBuilder::insert_vertex(const GridKey& key, const VertexRef& v, MapPoint at) {
    auto& g = impl_->grid(key);
    Polygons p = g.polygons;
    Ring& ring = impl_->ring_of(g, v);
    const MapPoint a = ring[v.index], b = ring[(v.index + 1) % ring.size()];
    p[v.polygon][v.ring].insert(p[v.polygon][v.ring].begin() + static_cast<long>(v.index) + 1, at);
    std::map<GridKey, Polygons> changed{{key, std::move(p)}};
    // A neighbour sharing the edge a-b gets the vertex too.
    for (auto& other : impl_->grids) {
        if (other.key == key) continue;
        Polygons q = other.polygons;
        bool inserted = false;
        for (auto& rings : q)
            for (auto& r : rings)
                for (std::size_t i = 0; i < r.size(); ++i) {
                    const MapPoint c = r[i], d = r[(i + 1) % r.size()];
                    if ((c == a && d == b) || (c == b && d == a)) {
                        r.insert(r.begin() + static_cast<long>(i) + 1, at);
                        inserted = true;
                        break;
                    }
                }
        if (inserted) changed[other.key] = std::move(q);
    }
    return impl_->finish(N_("插入节点"), std::move(changed));
}

GridEdit GridEditBuilder::delete_vertex(const GridKey& key, const VertexRef& v) {
    auto& g = impl_->grid(key);
    Ring& ring = impl_->ring_of(g, v);
    if (ring.size() <= 3) throw UsageError("grid " + impl_->label(g) + ": a ring needs at least 3 vertices");
    const std::size_t n = ring.size();
    const MapPoint at = ring[v.index], prev = ring[(v.index + n - 1) % n], next = ring[(v.index + 1) % n];
    std::map<GridKey, Polygons> changed;
    Polygons mine = g.polygons;
    mine[v.polygon][v.ring].erase(mine[v.polygon][v.ring].begin() + static_cast<long>(v.index));
    changed[key] = std::move(mine);
    // A neighbour with the same vertex between the same two vertices (both edges shared) loses it too.
    for (auto& other : impl_->grids) {
        if (other.key == key) continue;
        Polygons q = other.polygons;
        bool removed = false;
        for (auto& rings : q)
            for (auto& r : rings) {
                const std::size_t m = r.size();
                for (std::size_t i = 0; i < m && m > 3; ++i) {
                    if (r[i] != at) continue;
                    const MapPoint p2 = r[(i + m - 1) % m], n2 = r[(i + 1) % m];
                    if ((p2 == prev && n2 == next) || (p2 == next && n2 == prev)) {
                        r.erase(r.begin() + static_cast<long>(i));
                        removed = true;
                        break;
                    }
                }
            }
        if (removed) changed[other.key] = std::move(q);
    }
    return impl_->finish(N_("删除节点"), std::move(changed));
}

GridEdit GridEditBuilder::move_grid(const GridKey& key, double dx, double dy) {
    Polygons p = impl_->grid(key).polygons;
    for (auto& rings : p)
        for (auto& ring : rings)
            for (auto& q : ring) q.x += dx, q.y += dy;
    return impl_->finish(N_("移动网格"), {{key, std::move(p)}});
}

GridEdit GridEditBuilder::delete_grid(const GridKey& key) {
    auto& g = impl_->grid(key);
    GridEdit edit;
    edit.label = N_("删除网格");
    edit.changes.push_back({key.layer, key.fid, g.state, std::nullopt});
    return edit;
}

GridEdit GridEditBuilder::set_geometry(const GridKey& key, const GEOSGeometry* geom, const std::string& label) {
    return impl_->finish(label, {{key, polygons_from_geos(geos_, geom)}});
}

GridEdit GridEditBuilder::split_grid(const GridKey& key, const std::vector<MapPoint>& line) {
    auto& g = impl_->grid(key);
    if (line.size() < 2) throw UsageError("a split line needs at least 2 points");
    const auto h = geos_.get();
    GeosGeometryPtr poly = polygons_to_geos(geos_, g.polygons);
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(line.size()), 2);
    for (std::size_t i = 0; i < line.size(); ++i) GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(i), line[i].x, line[i].y);
    GeosGeometryPtr cut = geos_own(geos_, GEOSGeom_createLineString_r(h, seq));
    GeosGeometryPtr boundary = geos_own(geos_, GEOSBoundary_r(h, poly.get()));
    GeosGeometryPtr noded = geos_own(geos_, GEOSUnion_r(h, boundary.get(), cut.get()));
    if (!noded) throw Error("GEOS could not node the split line: " + geos_.last_error());
    const GEOSGeometry* noded_raw = noded.get();
    GeosGeometryPtr pieces = geos_own(geos_, GEOSPolygonize_r(h, &noded_raw, 1));
    std::vector<std::pair<double, GeosGeometryPtr>> inside;
    for (auto& piece : polygon_parts(geos_, pieces.get())) {
        GeosGeometryPtr pt = geos_own(geos_, GEOSPointOnSurface_r(h, piece.get()));
        if (GEOSWithin_r(h, pt.get(), poly.get()) != 1) continue;
        double a = 0;
        GEOSArea_r(h, piece.get(), &a);
        inside.emplace_back(a, std::move(piece));
    }
    if (inside.size() < 2) throw UsageError("the line does not cut grid " + impl_->label(g) + " in two");
    std::stable_sort(inside.begin(), inside.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    // The largest piece keeps the grid; the vertex exchange gives the new nodes to the neighbours.
    std::vector<Impl::Added> added;
    const std::string base = g.name.empty() ? impl_->label(g) : g.name;
    for (std::size_t i = 1; i < inside.size(); ++i)
        added.push_back({key.layer, base + "-" + std::to_string(i + 1), polygons_from_geos(geos_, inside[i].second.get())});
    return impl_->finish(N_("分割网格"), {{key, polygons_from_geos(geos_, inside[0].second.get())}}, std::move(added));
}

GridEdit GridEditBuilder::merge_grids(const GridKey& a_key, const GridKey& b_key) {
    if (a_key == b_key) throw UsageError("a grid cannot be merged with itself");
    auto& a = impl_->grid(a_key);
    auto& b = impl_->grid(b_key);
    const auto h = geos_.get();
    GeosGeometryPtr ga = polygons_to_geos(geos_, a.polygons), gb = polygons_to_geos(geos_, b.polygons);
    GeosGeometryPtr ba = geos_own(geos_, GEOSBoundary_r(h, ga.get())), bb = geos_own(geos_, GEOSBoundary_r(h, gb.get()));
    GeosGeometryPtr shared = geos_own(geos_, GEOSIntersection_r(h, ba.get(), bb.get()));
    double shared_length = 0;
    if (shared) GEOSLength_r(h, shared.get(), &shared_length);
    if (!(shared_length > kSameTolerance))
        throw UsageError("grids " + impl_->label(a) + " and " + impl_->label(b) + " are not adjacent (no shared edge)");
    GeosGeometryPtr u = geos_own(geos_, GEOSUnion_r(h, ga.get(), gb.get()));
    if (!u) throw Error("GEOS could not merge the grids: " + geos_.last_error());
    if (polygon_parts(geos_, u.get()).size() != 1)
        throw UsageError("grids " + impl_->label(a) + " and " + impl_->label(b) + " do not merge into one polygon");
    GridEdit edit = impl_->finish(N_("合并网格"), {{a_key, polygons_from_geos(geos_, u.get())}});
    // a gets b's people; b goes.
    GridChange* ca = nullptr;
    for (auto& c : edit.changes)
        if (c.layer == a_key.layer && c.fid == a_key.fid) ca = &c;
    if (!ca) {
        edit.changes.push_back({a_key.layer, a_key.fid, a.state, a.state});
        ca = &edit.changes.back();
    }
    std::set<long long> people(a.state.people.begin(), a.state.people.end());
    people.insert(b.state.people.begin(), b.state.people.end());
    ca->after->people.assign(people.begin(), people.end());
    edit.changes.push_back({b_key.layer, b_key.fid, b.state, std::nullopt});
    return edit;
}

GridEdit GridEditBuilder::draft_for_village(const std::string& village_name, int count, bool balanced) {
    if (count < 1 || count > 100) throw UsageError("the number of draft grids must be between 1 and 100");
    const auto h = geos_.get();
    const AreaSet villages(geos_, impl_->store, "village", kVillageNameFields);
    const auto found = villages.find_by_name(village_name);
    if (found.empty()) throw UsageError("the project has no village named '" + village_name + "'");
    const GEOSGeometry* village = villages.working(found.front());
    double minx, miny, maxx, maxy;
    GEOSGeom_getXMin_r(h, village, &minx), GEOSGeom_getYMin_r(h, village, &miny);
    GEOSGeom_getXMax_r(h, village, &maxx), GEOSGeom_getYMax_r(h, village, &maxy);
    const bool along_x = maxx - minx >= maxy - miny;  // strips across the longer side
    const double lo = along_x ? minx : miny, hi = along_x ? maxx : maxy;
    std::vector<double> cuts;  // count-1 positions between lo and hi
    if (balanced) {
        std::vector<double> at;
        GeosPreparedPtr prepared(GEOSPrepare_r(h, village), GeosPreparedDeleter{h});
        for (const auto& r : impl_->store.ledger()) {
            if (!r.x || !r.y) continue;
            GeosGeometryPtr pt = geos_own(geos_, GEOSGeom_createPointFromXY_r(h, *r.x, *r.y));
            if (GEOSPreparedIntersects_r(h, prepared.get(), pt.get()) == 1) at.push_back(along_x ? *r.x : *r.y);
        }
        if (at.size() < static_cast<std::size_t>(count))
            throw UsageError("village " + village_name + " has " + std::to_string(at.size()) +
                             " located enterprises, too few for " + std::to_string(count) + " balanced grids");
        std::sort(at.begin(), at.end());
        for (int k = 1; k < count; ++k) {
            const std::size_t i = at.size() * static_cast<std::size_t>(k) / static_cast<std::size_t>(count);
            cuts.push_back((at[i - 1] + at[i]) / 2);
        }
    } else {
        for (int k = 1; k < count; ++k) cuts.push_back(lo + (hi - lo) * k / count);
    }
    std::string layer = impl_->layers.empty() ? std::string("网格") : impl_->first_layer;
    if (impl_->layers.empty()) {
        impl_->fields[layer] = {{"WGMC", FieldType::text}};
        impl_->name_field[layer] = 0;
    }
    std::vector<Impl::Added> added;
    const double margin = 1.0;
    for (int k = 0; k < count; ++k) {
        const double a = k == 0 ? lo - margin : cuts[k - 1], b = k == count - 1 ? hi + margin : cuts[k];
        GeosGeometryPtr box = along_x ? geos_own(geos_, GEOSGeom_createRectangle_r(h, a, miny - margin, b, maxy + margin))
                                      : geos_own(geos_, GEOSGeom_createRectangle_r(h, minx - margin, a, maxx + margin, b));
        GeosGeometryPtr strip = geos_own(geos_, GEOSIntersection_r(h, village, box.get()));
        if (!strip || GEOSisEmpty_r(h, strip.get())) continue;
        added.push_back({layer, village_name + std::to_string(k + 1), polygons_from_geos(geos_, strip.get())});
    }
    return impl_->finish(N_("生成网格草案"), {}, std::move(added));
}

// ---- storing -------------------------------------------------------------------------------------

namespace {
void sync_people(ProjectStore& store, const WriteTransaction& tx, const std::string& layer, long long fid,
                 const std::vector<long long>& want) {
    std::set<long long> now;
    for (const auto& link : store.grid_people())
        if (link.grid_layer == layer && link.grid_fid == fid) now.insert(link.person_id);
    for (long long p : now)
        if (!std::count(want.begin(), want.end(), p)) store.remove_grid_person(tx, layer, fid, p);
    for (long long p : want)
        if (!now.count(p)) store.add_grid_person(tx, layer, fid, p);
}

LayerInfo grid_layer(ProjectStore& store, const WriteTransaction& tx, const std::string& name) {
    if (auto l = store.find_layer(name)) {
        if (l->role != "grid") throw UsageError("layer '" + name + "' is not a grid layer");
        return *l;
    }
    LayerWriter writer = store.create_layer(tx, name, "grid", {{"WGMC", FieldType::text}}, GeometryKind::multipolygon);
    LayerInfo info;
    info.name = name;
    info.role = "grid";
    info.driver = "Qingling";
    return writer.finish(info);
}
} // namespace

void store_grid_edit(ProjectStore& store, const WriteTransaction& tx, GridEdit& edit) {
    // Deletions first (a restored grid may take a freed fid), then updates, then insertions.
    for (int pass = 0; pass < 3; ++pass)
        for (auto& c : edit.changes) {
            const int kind = !c.after ? 0 : c.before ? 1 : 2;
            if (kind != pass) continue;
            const LayerInfo layer = grid_layer(store, tx, c.layer);
            if (!c.after) {
                sync_people(store, tx, c.layer, c.fid, {});
                store.delete_feature(tx, layer, c.fid);
            } else if (c.before) {
                FeatureRecord r = c.after->record;
                r.fid = c.fid;
                store.update_feature(tx, layer, r);
                sync_people(store, tx, c.layer, c.fid, c.after->people);
            } else {
                FeatureRecord r = c.after->record;
                r.fid = c.fid;
                c.fid = store.insert_feature(tx, layer, r);
                c.after->record.fid = c.fid;
                sync_people(store, tx, c.layer, c.fid, c.after->people);
            }
        }
}

namespace {
GridEditReport store_and_assign(ProjectStore& store, GridEdit& edit) {
    WriteTransaction tx(store);
    store_grid_edit(store, tx, edit);
    SilentProgress progress;
    const auto assigned = assign_enterprises_to_grids(store, tx, {}, progress);
    tx.commit();
    GridEditReport r;
    r.label = edit.label;
    for (const auto& c : edit.changes) r.grids.push_back({c.layer, c.fid});
    r.assignments_changed = assigned.assigned.size();
    r.unassigned = assigned.unassigned.size();
    return r;
}
} // namespace

GridEditReport GridEditHistory::apply(ProjectStore& store, GridEdit edit) {
    if (edit.changes.empty()) throw UsageError("the edit changes nothing");
    GridEditReport r = store_and_assign(store, edit);
    done_.push_back(std::move(edit));
    undone_.clear();
    return r;
}

void GridEditHistory::record(GridEdit stored) {
    done_.push_back(std::move(stored));
    undone_.clear();
}

std::optional<GridEditReport> GridEditHistory::undo(ProjectStore& store) {
    if (done_.empty()) return std::nullopt;
    GridEdit reverse = done_.back().reversed();
    GridEditReport r = store_and_assign(store, reverse);
    r.label = "撤销" + r.label;
    undone_.push_back(reverse.reversed());
    done_.pop_back();
    return r;
}

std::optional<GridEditReport> GridEditHistory::redo(ProjectStore& store) {
    if (undone_.empty()) return std::nullopt;
    GridEdit edit = undone_.back();
    GridEditReport r = store_and_assign(store, edit);
    r.label = "重做" + r.label;
    undone_.pop_back();
    done_.push_back(std::move(edit));
    return r;
}

const std::string& GridEditHistory::undo_label() const {
    static const std::string none;
    return done_.empty() ? none : done_.back().label;
}
const std::string& GridEditHistory::redo_label() const {
    static const std::string none;
    return undone_.empty() ? none : undone_.back().label;
}

// ---- snapping -------------------------------------------------------------------------------------

GridSnapper::GridSnapper(const ProjectStore& store) {
    GeosContext geos;
    for (const char* role : {"grid", "village", "jurisdiction"})
        for (const auto& layer : store.layers_with_role(role))
            store.for_each_geometry(layer, [&](long long fid, const unsigned char* wkb, size_t size) {
                Source s;
                if (std::string(role) == "grid") s.grid = GridKey{layer.name, fid};
                for (auto& rings : polygons_from_wkb(geos, std::vector<unsigned char>(wkb, wkb + size)))
                    for (auto& ring : rings) s.rings.push_back(std::move(ring));
                sources_.push_back(std::move(s));
            });
}

SnapResult GridSnapper::snap(MapPoint p, double tolerance, const std::optional<GridKey>& ignore) const {
    SnapResult best;
    best.point = p;
    const double tol2 = tolerance * tolerance;
    double best_vertex = tol2, best_edge = tol2;
    MapPoint vertex, edge;
    bool have_vertex = false, have_edge = false;
    for (const auto& s : sources_) {
        if (ignore && s.grid && *s.grid == *ignore) continue;
        for (const auto& ring : s.rings)
            for (std::size_t i = 0; i < ring.size(); ++i) {
                const double dv = dist2(p, ring[i]);
                if (dv <= best_vertex) best_vertex = dv, vertex = ring[i], have_vertex = true;
                const MapPoint q = nearest_on_segment(p, ring[i], ring[(i + 1) % ring.size()]);
                const double de = dist2(p, q);
                if (de <= best_edge) best_edge = de, edge = q, have_edge = true;
            }
    }
    if (have_vertex) {
        best.kind = SnapResult::Kind::vertex;
        best.point = vertex;
        best.distance = std::sqrt(best_vertex);
    } else if (have_edge) {
        best.kind = SnapResult::Kind::edge;
        best.point = edge;
        best.distance = std::sqrt(best_edge);
    }
    return best;
}

std::vector<MapPoint> points_from_wkt(const std::string& wkt) {
    GeosContext geos;
    const auto h = geos.get();
    GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
    GeosGeometryPtr g = geos_own(geos, GEOSWKTReader_read_r(h, reader, wkt.c_str()));
    GEOSWKTReader_destroy_r(h, reader);
    if (!g) throw UsageError("not a WKT geometry: '" + wkt + "'");
    const GEOSGeometry* line = nullptr;
    const int type = GEOSGeomTypeId_r(h, g.get());
    if (type == GEOS_LINESTRING) line = g.get();
    else if (type == GEOS_POLYGON) line = GEOSGetExteriorRing_r(h, g.get());
    else throw UsageError("WKT must be a LINESTRING or a POLYGON: '" + wkt + "'");
    std::vector<MapPoint> out;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, line);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, seq, &n);
    for (unsigned i = 0; i < n; ++i) {
        MapPoint p;
        GEOSCoordSeq_getXY_r(h, seq, i, &p.x, &p.y);
        out.push_back(p);
    }
    if (type == GEOS_POLYGON && out.size() > 1) out.pop_back();
    return out;
}

GridKey find_grid(const ProjectStore& store, const std::string& name) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    auto matches = grids.find_by_name(name);
    if (matches.empty())
        if (const auto hash = name.rfind('#'); hash != std::string::npos)
            if (auto i = grids.find(name.substr(0, hash), std::atoll(name.c_str() + hash + 1))) matches.push_back(*i);
    if (matches.empty()) throw UsageError("the project has no grid named '" + name + "'");
    if (matches.size() > 1) {
        std::string which;
        for (std::size_t i : matches) which += " " + grids.ref(i).layer + "#" + std::to_string(grids.ref(i).fid);
        throw UsageError("several grids are named '" + name + "'; give one as LAYER#FID:" + which);
    }
    return {grids.ref(matches.front()).layer, grids.ref(matches.front()).fid};
}

} // namespace qingling
