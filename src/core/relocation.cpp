#include "core/relocation.hpp"

#include "core/check_report.hpp"
#include "core/conformity.hpp"
#include "core/errors.hpp"
#include "core/geos_handles.hpp"
#include "core/grid_edit.hpp"
#include "core/industry_table.hpp"
#include "core/list_table.hpp"
#include "core/park_admission.hpp"
#include "core/resources.hpp"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace qingling {

namespace {

// Geometries of some layers in GEOS with an STRtree (built once all are added).
class GeometrySet {
public:
    explicit GeometrySet(const GeosContext& geos) : geos_(geos) {}
    void add(GeosGeometryPtr g, std::string label) {
        geometries_.push_back(std::move(g));
        labels_.push_back(std::move(label));
    }
    void build() {
        tree_ = GeosStrTreePtr(GEOSSTRtree_create_r(geos_.get(), 10), GeosStrTreeDeleter{geos_.get()});
        for (std::size_t i = 0; i < geometries_.size(); ++i)
            geos_strtree_insert_index(geos_, tree_.get(), geometries_[i].get(), i);
    }
    std::size_t size() const { return geometries_.size(); }
    const GEOSGeometry* geometry(std::size_t i) const { return geometries_[i].get(); }
    const std::string& label(std::size_t i) const { return labels_[i]; }
    // Indices whose envelope meets g's envelope grown by margin, ascending.
    std::vector<std::size_t> near(const GEOSGeometry* g, double margin = 0) const {
        if (!tree_ || geometries_.empty()) return {};
        return geos_strtree_query_indices(geos_, tree_.get(), g, margin);
    }

private:
    const GeosContext& geos_;
    std::vector<GeosGeometryPtr> geometries_;
    std::vector<std::string> labels_;
    GeosStrTreePtr tree_;
};

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}
const char* class_zh(int c) { return c == 1 ? N_("一类") : c == 2 ? N_("二类") : c == 3 ? N_("三类") : N_("未知类别"); }

// 用地用海 industrial land 100101/100102/100103 → 1/2/3; anything else 0.
int parcel_class(const std::string& code) {
    if (code == "100101") return 1;
    if (code == "100102") return 2;
    if (code == "100103") return 3;
    return 0;
}

struct ParkInfo {
    std::string name;
    std::vector<std::string> industries;  // empty = any
    int max_class = 3;
    bool urban_boundary = false;          // 城镇开发边界 outside every park: no admission list
    GeosGeometryPtr geometry;
    GeosPreparedPtr prepared;
};

// A usable piece of a parcel after the subtractions: its largest polygon, its envelope (the bound
// on the distance that lets the ranking skip most exact distances) and, on demand, the radius of
// its largest inscribed circle.
struct Piece {
    bool computed = false;
    double area = 0;       // 0 when nothing is left
    double radius = -1;    // computed on demand
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    GeosGeometryPtr geometry;
};
Piece nothing_left() {
    Piece p;
    p.computed = true;
    return p;
}

// A candidate land unit: a park parcel (园区规划地块), or without any, 三调 0601 land in a park.
// Everything that depends only on the parcel (class, status, park, pieces after the zones, the
// footprints and each setback distance) is computed once, not once per enterprise.
struct Parcel {
    std::string layer;
    long long fid = 0;
    std::string label, code, park_field;
    int site_class = 0;
    bool occupied = false;
    std::optional<long long> reserved_for;
    int park = -1;         // index into parks
    double area = 0;
    GeosGeometryPtr geometry;
    Piece after_zones, after_footprints;
    std::map<double, Piece> after_setback;  // by setback distance
};

// Stages of the funnel, in order; the name is what a reason says eliminated the last candidates.
enum Stage { st_class, st_free, st_unreserved, st_park, st_area, st_zones, st_footprints, st_setback, st_shape, st_count };
const char* const kStageName[st_count] = {N_("工业用地等级"), N_("已占用"), N_("已预留"), N_("园区准入"), N_("地块面积"),
                                          N_("永久基本农田/生态保护红线/水源保护区"), N_("现有企业占地"), N_("敏感点防护距离"),
                                          N_("地块形状")};

// A candidate's reason: the Chinese text that reports keep, and the phrase the viewer shows.
void add_reason(SiteCandidate& c, Phrase phrase) {
    c.reasons.push_back(phrase.zh());
    c.reason_phrases.push_back(std::move(phrase));
}

// An entry's reason, made of parts put together.
void set_reason(RelocationEntry& e, std::vector<Phrase> parts) {
    e.reason.clear();
    for (const Phrase& part : parts) e.reason += part.zh();
    e.reason_phrases = std::move(parts);
}

// The parcels that pass every constraint for one kind of enterprise (industry, class, need,
// setback and, only for an enterprise holding a reservation, the enterprise itself): shared by all
// enterprises of that kind.
struct Eligibility {
    int left[st_count] = {};
    std::vector<int> parcels;            // ascending
    std::vector<const Piece*> pieces;    // the usable piece of each
};
using EligibilityKey = std::tuple<std::string, int, double, double, long long>;

// One ranked candidate before it is dressed with reasons.
struct Scored {
    int parcel = -1;
    double score = 0, distance = -1;
};
// Better first: higher score, then the earlier parcel (the order of the parcel layers).
bool better(const Scored& a, const Scored& b) { return a.score > b.score || (a.score == b.score && a.parcel < b.parcel); }

struct Envelope {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};
Envelope envelope_of(const GeosContext& geos, const GEOSGeometry* g) {
    Envelope e;
    GEOSGeom_getXMin_r(geos.get(), g, &e.min_x);
    GEOSGeom_getYMin_r(geos.get(), g, &e.min_y);
    GEOSGeom_getXMax_r(geos.get(), g, &e.max_x);
    GEOSGeom_getYMax_r(geos.get(), g, &e.max_y);
    return e;
}
// Distance between two envelopes: never more than the distance between what they hold.
double envelope_distance(const Envelope& a, const Piece& b) {
    const double dx = std::max({0.0, b.min_x - a.max_x, a.min_x - b.max_x});
    const double dy = std::max({0.0, b.min_y - a.max_y, a.min_y - b.max_y});
    return std::hypot(dx, dy);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

class Finder {
public:
    Finder(const ProjectStore& store, const RuleSet& rules, const RelocationOptions& options)
        : store_(store), rules_(rules), o_(options), zones_(geos_), sensitive_(geos_), footprints_(geos_),
          industries_(IndustryTable::load(layers_dir() / "industries.tsv")) {}

    RelocationReport run(Progress& progress) {
        RelocationReport report;
        progress.report(0.0, "读取检查结果");
        const auto ledger = store_.ledger();
        const auto confirmations = store_.confirmations();
        std::map<long long, std::optional<Category>> suggested;
        if (auto run = store_.latest_check_run()) {
            report.run_id = run->id;
            for (const auto& v : store_.verdicts(run->id)) suggested[v.enterprise_id] = v.suggested;
        } else {
            report.notes.push_back("项目中没有检查运行，已按当前规则临时检查（未保存）");
            SilentProgress quiet;
            for (const auto& v : run_conformity_check(store_, rules_, quiet).verdicts) suggested[v.enterprise_id] = v.suggested;
        }
        for (const auto& r : active_reservations()) reservation_of_enterprise_[r.enterprise_id] = r;

        // The enterprises to relocate, first: the allocation's size decides how many candidates
        // each must keep.
        std::vector<std::pair<const LedgerRecord*, std::string>> relocating;
        for (const LedgerRecord& r : ledger) {
            if (o_.enterprise_id && r.id != *o_.enterprise_id) continue;
            std::string basis;
            if (auto c = confirmations.find(r.id); c != confirmations.end()) {
                if (c->second.category != Category::relocate) continue;
                basis = "甄别确认";
            } else {
                auto s = suggested.find(r.id);
                if (s == suggested.end() || s->second != Category::relocate) continue;
                basis = report.run_id ? "检查建议（运行 #" + std::to_string(report.run_id) + "）" : "检查建议（临时检查）";
            }
            relocating.emplace_back(&r, std::move(basis));
        }
        if (o_.enterprise_id && relocating.empty())
            throw UsageError("enterprise " + std::to_string(*o_.enterprise_id) +
                             " is not one to relocate (no 限期搬迁 confirmation or suggestion)");

        progress.report(0.05, "读取图层");
        load_parks(report);
        load_parcels(report);
        load_zones(report);
        load_sensitive(report);
        const auto footprint_wkb = store_.enterprise_footprints();
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos_.get()), GeosWkbReaderDeleter{geos_.get()});
        std::map<long long, GeosGeometryPtr> footprint_of;
        for (const auto& [id, wkb] : footprint_wkb) {
            GEOSGeometry* g = GEOSWKBReader_read_r(geos_.get(), reader.get(), wkb.data(), wkb.size());
            if (!g) continue;
            footprint_of[id] = geos_own(geos_, GEOSGeom_clone_r(geos_.get(), g));
            footprints_.add(geos_own(geos_, g), std::to_string(id));
        }
        footprints_.build();
        prepare_parcels();

        // How many candidates each enterprise keeps. Listing needs max_candidates. The allocation
        // keeps, per enterprise, its best n (n = enterprises in the allocation), which provably
        // loses nothing: in an optimal assignment where an enterprise gets a parcel outside its
        // best n, at most n - 1 of its best n are taken by the others, so one is free and scores at
        // least as much; moving it there keeps the count placed and the total score, and repeating
        // this for each such enterprise gives an optimal assignment that uses only kept candidates.
        const std::size_t list_k = o_.max_candidates > 0 ? static_cast<std::size_t>(o_.max_candidates) : SIZE_MAX;
        std::size_t keep = list_k;
        if (o_.allocate) {
            std::size_t n = 0;
            for (const auto& [r, basis] : relocating) n += !reservation_of_enterprise_.count(r->id);
            keep = std::max(list_k, n);
        }

        progress.report(0.3, "逐家选址");
        ranked_.clear();
        for (std::size_t i = 0; i < relocating.size(); ++i) {
            const LedgerRecord& r = *relocating[i].first;
            GeosGeometryPtr here;
            double footprint_area = 0;
            if (auto f = footprint_of.find(r.id); f != footprint_of.end()) {
                here = geos_own(geos_, GEOSGeom_clone_r(geos_.get(), f->second.get()));
                GEOSArea_r(geos_.get(), f->second.get(), &footprint_area);
            } else if (r.x && r.y) {
                here = geos_own(geos_, GEOSGeom_createPointFromXY_r(geos_.get(), *r.x, *r.y));
            }
            ranked_.emplace_back();
            report.entries.push_back(evaluate(r, relocating[i].second, here.get(), footprint_area, keep, list_k, ranked_.back()));
            if (o_.with_geometry) add_geometry(report.entries.back(), here.get());
            if (progress.cancelled()) throw CancelledError();
            if (i % 64 == 0) progress.report(0.3 + 0.5 * double(i) / double(relocating.size()), "逐家选址");
        }
        progress.report(0.8, "分配用地");
        if (o_.allocate) allocate(report);
        capacity(report);
        progress.report(1.0, "选址完成");
        return report;
    }

private:
    std::vector<SiteReservation> active_reservations() const { return store_.site_reservations(true); }

    void load_parks(RelocationReport& report) {
        const CategoryPolicy& p = rules_.category;
        const auto layers = store_.layers_with_role(p.park_role);
        if (layers.empty()) report.notes.push_back("项目中没有角色为 " + p.park_role + " 的园区图层：无法判断园区准入");
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos_.get()), GeosWkbReaderDeleter{geos_.get()});
        auto add_park = [&](GEOSGeometry* g, ParkInfo park) {
            park.geometry = geos_own(geos_, g);
            park.prepared = GeosPreparedPtr(GEOSPrepare_r(geos_.get(), park.geometry.get()), GeosPreparedDeleter{geos_.get()});
            parks_.push_back(std::move(park));
        };
        for (const LayerInfo& info : layers) {
            const auto fields = store_.layer_fields(info);
            std::vector<std::string> wanted;
            int name_at = -1, ind_at = -1, class_at = -1;
            for (const auto& [field_binding, at] : {std::pair{p.park_name_field, &name_at}, {p.park_industries_field, &ind_at},
                                                    {p.park_max_class_field, &class_at}}) {
                const std::string& field = field_binding;  // clang 14 cannot capture a structured binding
                if (std::any_of(fields.begin(), fields.end(), [&](const FieldDef& d) { return d.name == field; })) {
                    *at = static_cast<int>(wanted.size());
                    wanted.push_back(field);
                }
            }
            store_.for_each_feature(info, wanted, nullptr,
                                    [&](long long fid, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
                                        GEOSGeometry* g = GEOSWKBReader_read_r(geos_.get(), reader.get(), wkb, size);
                                        if (!g) return;
                                        ParkInfo park;
                                        park.name = name_at >= 0 && !v[name_at].empty() ? v[name_at]
                                                                                        : info.name + "#" + std::to_string(fid);
                                        if (ind_at >= 0) park.industries = parse_admitted_industries(v[ind_at]);
                                        if (class_at >= 0 && !v[class_at].empty()) park.max_class = std::atoi(v[class_at].c_str());
                                        add_park(g, std::move(park));
                                    });
        }
        real_parks_ = parks_.size();
        // 城镇开发边界: industrial land inside it but outside every park is a candidate too, with no
        // park admission list (the plan: enterprises a park does not admit move to an area whose
        // industrial layout allows them). Parks come first, so a parcel in a park keeps its rules.
        for (const LayerInfo& info : store_.layers_with_role("urban_boundary"))
            store_.for_each_geometry(info, [&](long long, const unsigned char* wkb, size_t size) {
                if (GEOSGeometry* g = GEOSWKBReader_read_r(geos_.get(), reader.get(), wkb, size)) {
                    ParkInfo zone;
                    zone.name = kUrbanBoundaryName;
                    zone.urban_boundary = true;
                    add_park(g, std::move(zone));
                }
            });
    }

    void load_parcels(RelocationReport& report) {
        const auto layers = store_.layers_with_role("park_parcel");
        if (layers.empty()) {
            load_landuse_parcels(report);
            return;
        }
        std::map<std::pair<std::string, long long>, long long> reserved;
        for (const auto& r : active_reservations()) reserved[{r.site_layer, r.site_fid}] = r.enterprise_id;
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos_.get()), GeosWkbReaderDeleter{geos_.get()});
        for (const LayerInfo& info : layers) {
            const auto fields = store_.layer_fields(info);
            auto has = [&](const std::string& f) {
                return !f.empty() && std::any_of(fields.begin(), fields.end(), [&](const FieldDef& d) { return d.name == f; });
            };
            const std::string code_field = !info.code_field.empty() ? info.code_field : "GHDLBM";
            std::vector<std::string> wanted;
            int code_at = -1, id_at = -1, status_at = -1, park_at = -1;
            for (const auto& [field, at] : {std::pair{code_field, &code_at}, {o_.parcel_id_field, &id_at},
                                            {o_.parcel_status_field, &status_at}, {std::string("YQMC"), &park_at}})
                if (has(field)) {
                    *at = static_cast<int>(wanted.size());
                    wanted.push_back(field);
                }
            if (code_at < 0) report.notes.push_back("图层 " + info.name + " 没有用地用海编码字段：其地块都不是候选");
            store_.for_each_feature(info, wanted, nullptr,
                                    [&](long long fid, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
                                        GEOSGeometry* g = GEOSWKBReader_read_r(geos_.get(), reader.get(), wkb, size);
                                        if (!g) return;
                                        Parcel p;
                                        p.layer = info.name;
                                        p.fid = fid;
                                        p.geometry = geos_own(geos_, g);
                                        GEOSArea_r(geos_.get(), g, &p.area);
                                        p.code = code_at >= 0 ? v[code_at] : "";
                                        p.site_class = parcel_class(p.code);
                                        p.label = id_at >= 0 && !v[id_at].empty() ? v[id_at] : info.name + "#" + std::to_string(fid);
                                        p.occupied = status_at >= 0 && v[status_at] == o_.occupied_value;
                                        p.park_field = park_at >= 0 ? v[park_at] : "";
                                        if (auto it = reserved.find({info.name, fid}); it != reserved.end()) p.reserved_for = it->second;
                                        parcels_.push_back(std::move(p));
                                    });
        }
    }

    // Without a park parcel layer: the 三调 industrial land (0601) of the land-use layers inside
    // the parks, each patch clipped to the park holding most of it. 三调 has no 一/二/三类, so the
    // park's 最高污染类别 stands for the class of its land.
    void load_landuse_parcels(RelocationReport& report) {
        using_landuse_ = true;
        std::vector<LayerInfo> layers;
        for (const LayerInfo& info : store_.layers_with_role("landuse"))
            if (info.code_system == "sandiao" && !info.code_field.empty()) layers.push_back(info);
        if (layers.empty() || real_parks_ == 0) {
            report.notes.push_back("项目中没有角色为 park_parcel 的园区规划地块图层，也没有可用的三调地类图斑和园区：没有候选用地");
            return;
        }
        report.notes.push_back("项目中没有园区规划地块图层：以园区内的三调 0601 工业用地图斑为候选，用地类别按所在园区的最高污染类别");
        std::map<std::pair<std::string, long long>, long long> reserved;
        for (const auto& r : active_reservations()) reserved[{r.site_layer, r.site_fid}] = r.enterprise_id;
        std::vector<ProjectStore::Box> boxes;
        for (std::size_t i = 0; i < real_parks_; ++i) {
            const Envelope e = envelope_of(geos_, parks_[i].geometry.get());
            boxes.push_back({e.min_x, e.min_y, e.max_x, e.max_y});
        }
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos_.get()), GeosWkbReaderDeleter{geos_.get()});
        for (const LayerInfo& info : layers)
            store_.for_each_feature(
                info, {info.code_field}, &boxes,
                [&](long long fid, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
                    if (!starts_with(v[0], "0601")) return;
                    GeosGeometryPtr g = geos_own(geos_, GEOSWKBReader_read_r(geos_.get(), reader.get(), wkb, size));
                    if (!g) return;
                    int best = -1;
                    double best_area = 0;
                    GeosGeometryPtr best_piece;
                    for (std::size_t i = 0; i < real_parks_; ++i) {
                        if (GEOSPreparedIntersects_r(geos_.get(), parks_[i].prepared.get(), g.get()) != 1) continue;
                        GeosGeometryPtr inside = geos_own(geos_, GEOSIntersection_r(geos_.get(), g.get(), parks_[i].geometry.get()));
                        double a = 0;
                        if (inside) GEOSArea_r(geos_.get(), inside.get(), &a);
                        if (a > best_area) {
                            best = static_cast<int>(i);
                            best_area = a;
                            best_piece = std::move(inside);
                        }
                    }
                    if (best < 0) return;
                    Parcel p;
                    p.layer = info.name;
                    p.fid = fid;
                    p.geometry = std::move(best_piece);
                    p.area = best_area;
                    p.code = v[0];
                    p.park = best;
                    p.site_class = std::clamp(parks_[best].max_class, 1, 3);
                    p.label = info.name + "#" + std::to_string(fid);
                    if (auto it = reserved.find({info.name, fid}); it != reserved.end()) p.reserved_for = it->second;
                    parcels_.push_back(std::move(p));
                });
    }

    void load_layers_of_roles(const std::set<std::string>& roles, GeometrySet& into) {
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos_.get()), GeosWkbReaderDeleter{geos_.get()});
        for (const std::string& role : roles)
            for (const LayerInfo& info : store_.layers_with_role(role))
                store_.for_each_geometry(info, [&](long long, const unsigned char* wkb, size_t size) {
                    if (GEOSGeometry* g = GEOSWKBReader_read_r(geos_.get(), reader.get(), wkb, size))
                        into.add(geos_own(geos_, g), role_label_zh(role));
                });
        into.build();
    }

    void load_zones(RelocationReport&) {
        std::set<std::string> roles;
        for (const Rule& rule : rules_.rules)
            if (rule.type == RuleType::zone) roles.insert(rule.roles.begin(), rule.roles.end());
        load_layers_of_roles(roles, zones_);
    }

    void load_sensitive(RelocationReport& report) {
        std::set<std::string> roles;
        for (const Rule& rule : rules_.rules)
            if (rule.type == RuleType::proximity) roles.insert(rule.roles.begin(), rule.roles.end());
        if (roles.empty()) report.notes.push_back("规则中没有防护距离规则：未扣除敏感点防护距离");
        load_layers_of_roles(roles, sensitive_);
    }

    // The largest part of g (g itself when it is one polygon).
    Piece largest_part(GeosGeometryPtr g) const {
        Piece piece;
        piece.computed = true;
        if (!g || GEOSisEmpty_r(geos_.get(), g.get())) return piece;
        const int n = GEOSGetNumGeometries_r(geos_.get(), g.get());
        int best = -1;
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(geos_.get(), g.get(), i);
            const int t = GEOSGeomTypeId_r(geos_.get(), part);
            if (t != GEOS_POLYGON) continue;
            double a = 0;
            GEOSArea_r(geos_.get(), part, &a);
            if (a > piece.area) {
                piece.area = a;
                best = i;
            }
        }
        if (best < 0) return piece;
        if (n == 1)
            piece.geometry = std::move(g);
        else
            piece.geometry = geos_own(geos_, GEOSGeom_clone_r(geos_.get(), GEOSGetGeometryN_r(geos_.get(), g.get(), best)));
        const Envelope e = envelope_of(geos_, piece.geometry.get());
        piece.min_x = e.min_x, piece.min_y = e.min_y, piece.max_x = e.max_x, piece.max_y = e.max_y;
        return piece;
    }

    // g minus every geometry of `set` within `margin` (buffered by margin when margin > 0).
    GeosGeometryPtr subtract(const GEOSGeometry* g, const GeometrySet& set, double margin) const {
        GeosGeometryPtr out = geos_own(geos_, GEOSGeom_clone_r(geos_.get(), g));
        for (std::size_t i : set.near(g, margin)) {
            const GEOSGeometry* other = set.geometry(i);
            GeosGeometryPtr cut;
            if (margin > 0) {
                double d = 0;
                GEOSDistance_r(geos_.get(), other, out.get(), &d);
                if (d >= margin) continue;
                cut = geos_own(geos_, GEOSBuffer_r(geos_.get(), other, margin, 16));
            } else if (!GEOSIntersects_r(geos_.get(), other, out.get())) {
                continue;
            }
            GEOSGeometry* diff = GEOSDifference_r(geos_.get(), out.get(), cut ? cut.get() : other);
            if (!diff) {  // invalid input: repair and try once more
                GeosGeometryPtr fixed = geos_own(geos_, GEOSMakeValid_r(geos_.get(), cut ? cut.get() : other));
                diff = fixed ? GEOSDifference_r(geos_.get(), out.get(), fixed.get()) : nullptr;
            }
            if (diff) out = geos_own(geos_, diff);
        }
        return out;
    }

    // The park (or, outside every park, the 城镇开发边界) holding each parcel, and each park's vacancy.
    void prepare_parcels() {
        for (Parcel& p : parcels_) {
            if (p.park >= 0) continue;
            GeosGeometryPtr inside = geos_own(geos_, GEOSPointOnSurface_r(geos_.get(), p.geometry.get()));
            for (std::size_t i = 0; i < parks_.size() && inside; ++i)
                if (GEOSPreparedIntersects_r(geos_.get(), parks_[i].prepared.get(), inside.get()) == 1) {
                    p.park = static_cast<int>(i);
                    break;
                }
        }
        // Vacancy: the share of a park's industrial parcel area that is free (空闲, not reserved).
        std::vector<double> total(parks_.size()), free(parks_.size());
        for (const Parcel& p : parcels_) {
            if (p.park < 0 || p.site_class == 0) continue;
            total[p.park] += p.area;
            if (!p.occupied && !p.reserved_for) free[p.park] += p.area;
        }
        vacancy_.assign(parks_.size(), 0.0);
        for (std::size_t i = 0; i < parks_.size(); ++i) vacancy_[i] = total[i] > 0 ? free[i] / total[i] : 0;
    }
    double vacancy(int park) const { return park >= 0 ? vacancy_[park] : 0; }

    // Lazily computed pieces: only parcels that survive the cheaper tests get differenced.
    const Piece& after_zones(Parcel& p) {
        if (!p.after_zones.computed) p.after_zones = largest_part(subtract(p.geometry.get(), zones_, 0));
        return p.after_zones;
    }
    const Piece& after_footprints(Parcel& p) {
        if (!p.after_footprints.computed) {
            const Piece& z = after_zones(p);
            p.after_footprints = z.geometry ? largest_part(subtract(z.geometry.get(), footprints_, 0)) : nothing_left();
        }
        return p.after_footprints;
    }
    Piece& after_setback(Parcel& p, double distance) {
        auto it = p.after_setback.find(distance);
        if (it != p.after_setback.end()) return it->second;
        Piece piece = nothing_left();
        const Piece& f = after_footprints(p);
        if (f.geometry)
            piece = largest_part(distance > 0 ? subtract(f.geometry.get(), sensitive_, distance)
                                              : geos_own(geos_, GEOSGeom_clone_r(geos_.get(), f.geometry.get())));
        return p.after_setback.emplace(distance, std::move(piece)).first->second;
    }
    double inscribed_radius(Piece& piece) const {
        if (piece.radius >= 0 || !piece.geometry) return piece.radius;
        GeosGeometryPtr line = geos_own(geos_, GEOSMaximumInscribedCircle_r(geos_.get(), piece.geometry.get(), 0.5));
        double len = 0;
        if (line) GEOSLength_r(geos_.get(), line.get(), &len);
        piece.radius = len;
        return len;
    }

    double setback_for(const std::string& industry) const {
        double limit = 0;
        for (const Rule& rule : rules_.rules) {
            if (rule.type != RuleType::proximity || !rule.applies_to(industry)) continue;
            double d = rule.default_distance;
            if (auto it = rule.distance_by_industry.find(industry); it != rule.distance_by_industry.end()) d = it->second;
            limit = std::max(limit, d);
        }
        return limit;
    }

    static bool admits(const ParkInfo& park, const std::string& industry, int pollution_class) {
        return park.urban_boundary || park_admits(park.industries, park.max_class, industry, pollution_class);
    }

    double need_of(const LedgerRecord& r, double footprint_area) const {
        for (const auto& [header, value] : r.extra)
            if (header.find("用地需求") != std::string::npos || header.find("需求面积") != std::string::npos ||
                header.find("需用地") != std::string::npos) {
                char* end = nullptr;
                const double v = std::strtod(value.c_str(), &end);
                if (end != value.c_str() && v > 0) return v;
            }
        if (footprint_area > 0) return std::max(footprint_area * o_.footprint_factor, 1.0);
        return o_.default_need_m2;
    }

    // The funnel for one kind of enterprise, computed once per kind.
    const Eligibility& eligibility(const std::string& industry, int pollution_class, double need, double setback,
                                   long long owner) {
        const EligibilityKey key{industry, pollution_class, need, setback, owner};
        if (auto it = eligibility_.find(key); it != eligibility_.end()) return it->second;
        Eligibility el;
        int* left = el.left;
        for (std::size_t i = 0; i < parcels_.size(); ++i) {
            Parcel& p = parcels_[i];
            if (p.site_class == 0 || p.site_class < pollution_class) continue;
            ++left[st_class];
            if (p.occupied) continue;
            ++left[st_free];
            if (p.reserved_for && *p.reserved_for != owner) continue;
            ++left[st_unreserved];
            if (p.park < 0 || !admits(parks_[p.park], industry, pollution_class)) continue;
            ++left[st_park];
            if (p.area < need) continue;
            ++left[st_area];
            if (after_zones(p).area < need) continue;
            ++left[st_zones];
            if (after_footprints(p).area < need) continue;
            ++left[st_footprints];
            Piece& piece = after_setback(p, setback);
            if (piece.area < need) continue;
            ++left[st_setback];
            if (inscribed_radius(piece) < o_.min_inscribed_radius_m) continue;
            ++left[st_shape];
            el.parcels.push_back(static_cast<int>(i));
            el.pieces.push_back(&piece);
        }
        return eligibility_.emplace(key, std::move(el)).first->second;
    }

    struct ScoreParts {
        double s_distance = 0, s_area = 0, s_class = 0, s_vacancy = 0, score = 0;
    };
    // The transparent score; distance < 0 means the enterprise has no location (distance part 0).
    ScoreParts score_of(const RelocationEntry& e, const Parcel& p, double piece_area, double distance) const {
        ScoreParts s;
        if (distance >= 0) s.s_distance = 1.0 - std::min(distance, o_.max_distance_m) / o_.max_distance_m;
        s.s_area = std::min(1.0, e.need_m2 / piece_area);
        s.s_class = std::max(0.0, 1.0 - 0.5 * (p.site_class - e.pollution_class));
        s.s_vacancy = vacancy(p.park);
        s.score = 100.0 * (o_.w_distance * s.s_distance + o_.w_area * s.s_area + o_.w_class * s.s_class +
                           o_.w_vacancy * s.s_vacancy);
        return s;
    }

    // The best `keep` candidates, exactly as if all were scored and sorted. The distance between
    // envelopes never exceeds the true distance, so it bounds each score from above; candidates are
    // scored exactly in the order of that bound until the bound falls below the keep-th best
    // exact score. Parcels are small next to the distances, so few more than `keep` are measured.
    std::vector<Scored> rank(const RelocationEntry& e, const Eligibility& el, const GEOSGeometry* here, std::size_t keep) {
        std::vector<Scored> best;
        if (keep == 0 || el.parcels.empty()) return best;
        const Envelope at = here ? envelope_of(geos_, here) : Envelope{};
        struct Bound {
            double ub;
            std::size_t k;  // index into el
        };
        // Max-heap: highest bound on top, then the earlier parcel.
        auto below = [](const Bound& a, const Bound& b) { return a.ub < b.ub || (a.ub == b.ub && a.k > b.k); };
        std::vector<Bound> bounds;
        bounds.reserve(el.parcels.size());
        for (std::size_t k = 0; k < el.parcels.size(); ++k) {
            const double d = here ? envelope_distance(at, *el.pieces[k]) : -1;
            bounds.push_back({score_of(e, parcels_[el.parcels[k]], el.pieces[k]->area, d).score + 1e-9, k});
        }
        std::make_heap(bounds.begin(), bounds.end(), below);
        auto end = bounds.end();
        // `best` is a heap with the worst kept candidate on top.
        while (bounds.begin() != end) {
            const Bound top = bounds.front();
            if (best.size() >= keep && top.ub < best.front().score) break;
            std::pop_heap(bounds.begin(), end, below);
            --end;
            Scored s;
            s.parcel = el.parcels[top.k];
            if (here) GEOSDistance_r(geos_.get(), here, el.pieces[top.k]->geometry.get(), &s.distance);
            s.score = score_of(e, parcels_[s.parcel], el.pieces[top.k]->area, s.distance).score;
            if (best.size() < keep) {
                best.push_back(s);
                std::push_heap(best.begin(), best.end(), better);
            } else if (better(s, best.front())) {
                std::pop_heap(best.begin(), best.end(), better);
                best.back() = s;
                std::push_heap(best.begin(), best.end(), better);
            }
        }
        std::sort(best.begin(), best.end(), better);
        return best;
    }

    RelocationEntry evaluate(const LedgerRecord& r, const std::string& basis, const GEOSGeometry* here, double footprint_area,
                             std::size_t keep, std::size_t list_k, std::vector<Scored>& ranked) {
        RelocationEntry e;
        e.enterprise_id = r.id;
        e.name = r.name;
        const Industry* matched = industries_.match(r.industry);
        e.industry = matched ? matched->name : r.industry;
        e.pollution_class = matched ? matched->pollution_class : 3;  // unknown: assume the worst, as the engine does
        e.basis = basis;
        e.need_m2 = need_of(r, footprint_area);
        const double setback = setback_for(e.industry);
        const auto own = reservation_of_enterprise_.find(r.id);
        const bool has_reservation = own != reservation_of_enterprise_.end();

        const Eligibility& el = eligibility(e.industry, e.pollution_class, e.need_m2, setback, has_reservation ? r.id : 0);
        const int total = static_cast<int>(parcels_.size());
        e.funnel.emplace_back(using_landuse_ ? "园区内三调工业用地" : "园区规划地块", total);
        for (int s = 0; s < st_count; ++s) e.funnel.emplace_back(kStageName[s], el.left[s]);
        e.candidate_count = static_cast<int>(el.parcels.size());

        // An enterprise holding a reservation is not in the allocation: its list is all it needs.
        ranked = rank(e, el, here, has_reservation ? list_k : keep);
        for (std::size_t i = 0; i < ranked.size() && i < list_k; ++i) e.candidates.push_back(candidate(e, ranked[i], setback));
        if (has_reservation) {
            const SiteReservation& res = own->second;
            SiteCandidate c;
            bool found = false;
            for (const SiteCandidate& shown : e.candidates)
                if (shown.site_layer == res.site_layer && shown.site_fid == res.site_fid) c = shown, found = true;
            for (std::size_t k = 0; !found && k < el.parcels.size(); ++k) {
                const Parcel& p = parcels_[el.parcels[k]];
                if (p.layer != res.site_layer || p.fid != res.site_fid) continue;
                Scored s;
                s.parcel = el.parcels[k];
                if (here) GEOSDistance_r(geos_.get(), here, el.pieces[k]->geometry.get(), &s.distance);
                c = candidate(e, s, setback);
                found = true;
            }
            if (!found) {
                c.site_layer = res.site_layer;
                c.site_fid = res.site_fid;
                c.site_id = c.label = res.site_layer + "#" + std::to_string(res.site_fid);
                add_reason(c, Phrase(N_("已预留，但按当前条件已不是候选地块，请复核")));
            }
            add_reason(c, Phrase(N_("已于 {at} 由 {user} 预留"), {{"at", res.at}, {"user", res.user}}));
            e.allocated = c;
            e.reserved = true;
        }
        if (e.candidates.empty() && !e.reserved) {
            if (total == 0) {
                set_reason(e, {Phrase(using_landuse_ ? N_("园区内没有三调 0601 工业用地") : N_("项目中没有园区规划地块"))});
            } else {
                int prev = total;
                int stage = st_class;
                for (int s = 0; s < st_count; ++s) {
                    if (el.left[s] == 0) {
                        stage = s;
                        break;
                    }
                    prev = el.left[s];
                }
                set_reason(e, {Phrase(N_("无候选用地：「{stage}」排除了最后 {count} 块地块"), {{"count", std::to_string(prev)}}, {},
                                      {{"stage", {kStageName[stage]}}}),
                               detail(stage, e, setback)});
            }
        }
        return e;
    }

    // What the stage that eliminated the last parcels asked for.
    Phrase detail(int stage, const RelocationEntry& e, double setback) const {
        const Phrase::Lists pollution{{"class", {class_zh(e.pollution_class)}}};
        const std::map<std::string, std::string> need{{"need", fmt("%.0f", e.need_m2)}};
        switch (stage) {
        case st_class:
            return using_landuse_ ? Phrase(N_("（需最高污染类别为{class}或更高的园区内的三调 0601 工业用地）"), {}, {}, pollution)
                                  : Phrase(N_("（需{class}或更高类别的工业用地 1001xx）"), {}, {}, pollution);
        case st_free: return Phrase(N_("（均已占用）"));
        case st_unreserved: return Phrase(N_("（均已预留给其他企业）"));
        case st_park:
            return Phrase(N_("（所在园区不准入 {industry}（{class}），或不在园区和城镇开发边界内）"), {{"industry", e.industry}}, {},
                          pollution);
        case st_area: return Phrase(N_("（面积均小于需求 {need} m²）"), need);
        case st_zones: return Phrase(N_("（扣除后余下面积小于 {need} m²）"), need);
        case st_footprints: return Phrase(N_("（扣除现有企业占地后余下面积小于 {need} m²）"), need);
        case st_setback:
            return Phrase(N_("（扣除敏感点 {setback} 米防护距离后余下面积小于 {need} m²）"),
                          {{"setback", fmt("%.0f", setback)}, {"need", fmt("%.0f", e.need_m2)}});
        case st_shape:
            return Phrase(N_("（最大内切圆半径小于 {radius} 米，地块过窄）"), {{"radius", fmt("%.0f", o_.min_inscribed_radius_m)}});
        default: return Phrase("");
        }
    }

    // A ranked candidate with its numbers and reasons (built only for those shown or allocated).
    SiteCandidate candidate(const RelocationEntry& e, const Scored& s, double setback) {
        Parcel& p = parcels_[s.parcel];
        Piece& piece = after_setback(p, setback);
        const ScoreParts parts = score_of(e, p, piece.area, s.distance);
        SiteCandidate c;
        c.site_layer = p.layer;
        c.site_fid = p.fid;
        c.site_id = p.layer + "#" + std::to_string(p.fid);
        c.label = p.label;
        c.park = p.park >= 0 ? parks_[p.park].name : p.park_field;
        c.code = p.code;
        c.site_class = p.site_class;
        c.area_m2 = piece.area;
        c.parcel_area_m2 = p.area;
        c.inscribed_radius_m = inscribed_radius(piece);
        GeosGeometryPtr inside = geos_own(geos_, GEOSPointOnSurface_r(geos_.get(), piece.geometry.get()));
        if (inside) {
            GEOSGeomGetX_r(geos_.get(), inside.get(), &c.x);
            GEOSGeomGetY_r(geos_.get(), inside.get(), &c.y);
        }
        c.distance_m = s.distance;
        c.s_distance = parts.s_distance;
        c.s_area = parts.s_area;
        c.s_class = parts.s_class;
        c.s_vacancy = parts.s_vacancy;
        c.score = parts.score;
        if (s.distance >= 0)
            add_reason(c, Phrase(N_("距现址 {distance} 米（距离分 {score} × {weight}）"),
                                 {{"distance", fmt("%.0f", c.distance_m)}, {"score", fmt("%.2f", c.s_distance)},
                                  {"weight", fmt("%.1f", o_.w_distance)}}));
        else
            add_reason(c, Phrase(N_("企业无坐标，距离分按 0 计")));
        add_reason(c, Phrase(N_("可用面积 {area} m²，需 {need} m²（面积匹配 {score} × {weight}）"),
                             {{"area", fmt("%.0f", piece.area)}, {"need", fmt("%.0f", e.need_m2)},
                              {"score", fmt("%.2f", c.s_area)}, {"weight", fmt("%.1f", o_.w_area)}}));
        const Phrase::Lists classes{{"site_class", {class_zh(p.site_class)}}, {"class", {class_zh(e.pollution_class)}}};
        const std::map<std::string, std::string> class_match{
            {"code", p.code}, {"score", fmt("%.2f", c.s_class)}, {"weight", fmt("%.1f", o_.w_class)}};
        add_reason(c, using_landuse_
                          ? Phrase(N_("三调 {code} 工业用地（按园区最高污染类别视为{site_class}），企业为{class}工业（等级匹配 {score} × {weight}）"),
                                   class_match, {}, classes)
                          : Phrase(N_("地类 {code} {site_class}工业用地，企业为{class}工业（等级匹配 {score} × {weight}）"), class_match,
                                   {}, classes));
        const bool urban = p.park >= 0 && parks_[p.park].urban_boundary;
        const std::map<std::string, std::string> vacancy{{"park", c.park},
                                                         {"industry", e.industry},
                                                         {"rate", fmt("%.0f", 100 * c.s_vacancy)},
                                                         {"score", fmt("%.2f", c.s_vacancy)},
                                                         {"weight", fmt("%.1f", o_.w_vacancy)}};
        add_reason(c, urban ? Phrase(N_("在城镇开发边界内、园区外（无园区准入限制），空闲率 {rate}%（空闲分 {score} × {weight}）"), vacancy)
                            : Phrase(N_("{park} 准入 {industry}，空闲率 {rate}%（空闲分 {score} × {weight}）"), vacancy));
        if (piece.area < p.area - 1)
            add_reason(c, Phrase(N_("原地块 {area} m²，已扣除农田/红线/水源保护区、现有企业占地和敏感点 {setback} 米防护距离"),
                                 {{"area", fmt("%.0f", p.area)}, {"setback", fmt("%.0f", setback)}}));
        add_reason(c, Phrase(N_("最大内切圆半径 {radius} 米"), {{"radius", fmt("%.0f", c.inscribed_radius_m)}}));
        if (o_.with_geometry && piece.geometry) c.piece_wkb = geos_to_wkb(geos_, piece.geometry.get());
        return c;
    }

    // The union of `parts` clipped to the box, as WKB (empty for nothing).
    std::vector<unsigned char> union_in_box(std::vector<GeosGeometryPtr> parts, const Envelope& box) const {
        std::vector<GEOSGeometry*> raw;
        for (auto& g : parts)
            if (g && !GEOSisEmpty_r(geos_.get(), g.get())) raw.push_back(g.release());
        if (raw.empty()) return {};
        GeosGeometryPtr all = geos_own(geos_, GEOSGeom_createCollection_r(geos_.get(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                                          static_cast<unsigned>(raw.size())));
        GeosGeometryPtr merged = geos_own(geos_, GEOSUnaryUnion_r(geos_.get(), all.get()));
        if (!merged) {  // invalid input: repair and try once more
            GeosGeometryPtr fixed = geos_own(geos_, GEOSMakeValid_r(geos_.get(), all.get()));
            merged = fixed ? geos_own(geos_, GEOSUnaryUnion_r(geos_.get(), fixed.get())) : nullptr;
        }
        if (!merged) return {};
        GeosGeometryPtr clipped =
            geos_own(geos_, GEOSClipByRect_r(geos_.get(), merged.get(), box.min_x, box.min_y, box.max_x, box.max_y));
        if (!clipped || GEOSisEmpty_r(geos_.get(), clipped.get())) return {};
        return geos_to_wkb(geos_, clipped.get());
    }

    // For a map: the current site, and what each constraint removed around it and its candidates.
    void add_geometry(RelocationEntry& e, const GEOSGeometry* here) {
        const double setback = setback_for(e.industry);
        e.setback_m = setback;
        if (here) e.site_wkb = geos_to_wkb(geos_, here);
        bool any = false;
        Envelope box;
        auto grow = [&](double x0, double y0, double x1, double y1) {
            if (!any) box = {x0, y0, x1, y1};
            box = {std::min(box.min_x, x0), std::min(box.min_y, y0), std::max(box.max_x, x1), std::max(box.max_y, y1)};
            any = true;
        };
        if (here) {
            const Envelope h = envelope_of(geos_, here);
            grow(h.min_x, h.min_y, h.max_x, h.max_y);
        }
        for (const SiteCandidate& c : e.candidates) {
            const Parcel* p = parcel_of(c.site_layer, c.site_fid);
            if (!p) continue;
            const Envelope pe = envelope_of(geos_, p->geometry.get());
            grow(pe.min_x, pe.min_y, pe.max_x, pe.max_y);
        }
        if (!any) return;
        const double margin = std::max(300.0, setback);
        box = {box.min_x - margin, box.min_y - margin, box.max_x + margin, box.max_y + margin};
        e.region[0] = box.min_x, e.region[1] = box.min_y, e.region[2] = box.max_x, e.region[3] = box.max_y;
        GeosGeometryPtr box_geometry = geos_own(geos_, GEOSGeom_createRectangle_r(geos_.get(), box.min_x, box.min_y, box.max_x, box.max_y));

        auto clone = [&](const GEOSGeometry* g) { return geos_own(geos_, GEOSGeom_clone_r(geos_.get(), g)); };
        auto from_set = [&](const GeometrySet& set, double buffer, std::set<std::string>* labels) {
            std::vector<GeosGeometryPtr> parts;
            for (std::size_t i : set.near(box_geometry.get(), buffer)) {
                // Clipped first: a 基本农田 polygon may cover the whole subdistrict.
                GeosGeometryPtr g = buffer > 0 ? geos_own(geos_, GEOSBuffer_r(geos_.get(), set.geometry(i), buffer, 16))
                                               : clone(set.geometry(i));
                if (g) g = geos_own(geos_, GEOSClipByRect_r(geos_.get(), g.get(), box.min_x, box.min_y, box.max_x, box.max_y));
                if (g && !GEOSisEmpty_r(geos_.get(), g.get())) parts.push_back(std::move(g));
                if (labels) labels->insert(set.label(i));
            }
            return parts;
        };
        auto add = [&](const char* kind, std::string label, std::vector<GeosGeometryPtr> parts) {
            EliminatedArea a;
            a.kind = kind;
            a.label = std::move(label);
            a.features = static_cast<int>(parts.size());
            a.wkb = union_in_box(std::move(parts), box);
            if (a.wkb.empty()) a.features = 0;
            e.eliminated.push_back(std::move(a));
        };
        std::set<std::string> zone_roles;
        auto zones = from_set(zones_, 0, &zone_roles);
        std::string zone_label;
        for (const auto& r : zone_roles) zone_label += (zone_label.empty() ? "" : "、") + r;
        add("zone", zone_label.empty() ? std::string("永久基本农田/生态保护红线/水源保护区") : zone_label, std::move(zones));
        add("setback", "敏感点防护距离 " + fmt("%.0f", setback) + " 米",
            setback > 0 ? from_set(sensitive_, setback, nullptr) : std::vector<GeosGeometryPtr>{});
        add("footprint", "现有企业占地", from_set(footprints_, 0, nullptr));
        std::vector<GeosGeometryPtr> occupied, reserved;
        for (const Parcel& p : parcels_) {
            if (p.site_class == 0 || !(p.occupied || (p.reserved_for && *p.reserved_for != e.enterprise_id))) continue;
            const Envelope pe = envelope_of(geos_, p.geometry.get());
            if (pe.max_x < box.min_x || pe.min_x > box.max_x || pe.max_y < box.min_y || pe.min_y > box.max_y) continue;
            (p.occupied ? occupied : reserved).push_back(clone(p.geometry.get()));
        }
        add("occupied", "已占用地块", std::move(occupied));
        add("reserved", "已预留给其他企业的地块", std::move(reserved));
    }

    const Parcel* parcel_of(const std::string& layer, long long fid) const {
        for (const Parcel& p : parcels_)
            if (p.fid == fid && p.layer == layer) return &p;
        return nullptr;
    }

    void allocate(RelocationReport& report) {
        std::vector<int> site_index(parcels_.size(), -1);
        std::vector<int> parcel_of_site;
        std::vector<std::vector<std::pair<int, double>>> scores;
        std::vector<std::size_t> who;
        for (std::size_t i = 0; i < report.entries.size(); ++i) {
            if (report.entries[i].reserved) continue;
            std::vector<std::pair<int, double>> row;
            row.reserve(ranked_[i].size());
            for (const Scored& s : ranked_[i]) {
                if (site_index[s.parcel] < 0) {
                    site_index[s.parcel] = static_cast<int>(parcel_of_site.size());
                    parcel_of_site.push_back(s.parcel);
                }
                row.emplace_back(site_index[s.parcel], s.score);
            }
            scores.push_back(std::move(row));
            who.push_back(i);
        }
        const auto chosen = assign_sites(scores, static_cast<int>(parcel_of_site.size()));
        for (std::size_t k = 0; k < who.size(); ++k) {
            auto& e = report.entries[who[k]];
            if (chosen[k] >= 0) {
                const int parcel = parcel_of_site[chosen[k]];
                const Parcel& p = parcels_[parcel];
                for (const auto& c : e.candidates)
                    if (c.site_layer == p.layer && c.site_fid == p.fid) e.allocated = c;
                if (!e.allocated)
                    for (const Scored& s : ranked_[who[k]])
                        if (s.parcel == parcel) e.allocated = candidate(e, s, setback_for(e.industry));
            } else if (e.candidate_count > 0) {
                set_reason(e, {Phrase(N_("候选地块 {count} 块均已分配给其他企业（整体分配使安置企业最多、总分最高）"),
                                      {{"count", std::to_string(e.candidate_count)}})});
            }
        }
    }

    void capacity(RelocationReport& report) {
        std::map<std::string, ParkCapacity> by_park;
        std::set<std::pair<std::string, long long>> allocated;
        for (const auto& e : report.entries)
            if (e.allocated && !e.reserved) allocated.insert({e.allocated->site_layer, e.allocated->site_fid});
        for (const Parcel& p : parcels_) {
            if (p.site_class == 0) continue;
            const std::string name = p.park >= 0 ? parks_[p.park].name : (p.park_field.empty() ? "(园区外)" : p.park_field);
            ParkCapacity& c = by_park[name];
            c.park = name;
            ++c.parcels;
            c.industrial_m2 += p.area;
            if (p.occupied) c.occupied_m2 += p.area;
            else if (p.reserved_for) c.reserved_m2 += p.area;
            else if (allocated.count({p.layer, p.fid})) c.allocated_m2 += p.area;
            else {
                c.remaining_m2 += p.area;
                ++c.free_parcels;
            }
        }
        for (auto& [name, c] : by_park) report.parks.push_back(c);
    }

    static constexpr const char* kUrbanBoundaryName = "城镇开发边界（园区外）";

    GeosContext geos_;
    const ProjectStore& store_;
    const RuleSet& rules_;
    const RelocationOptions& o_;
    GeometrySet zones_, sensitive_, footprints_;
    IndustryTable industries_;
    std::vector<ParkInfo> parks_;    // the parks, then the 城镇开发边界 polygons
    std::size_t real_parks_ = 0;
    std::vector<Parcel> parcels_;
    bool using_landuse_ = false;     // no park parcel layer: 三调 0601 land in parks
    std::vector<double> vacancy_;    // by park
    std::map<EligibilityKey, Eligibility> eligibility_;
    std::vector<std::vector<Scored>> ranked_;  // by entry: the kept candidates, best first
    std::map<long long, SiteReservation> reservation_of_enterprise_;
};

} // namespace

std::vector<int> assign_sites(const std::vector<std::vector<std::pair<int, double>>>& scores, int site_count) {
    using Graph = lemon::SmartDigraph;
    const long long n = static_cast<long long>(scores.size());
    std::vector<int> out(scores.size(), -1);
    if (n == 0 || site_count == 0) return out;
    // Scores 0..100 as integers in hundredths; placing one more enterprise must be worth more than
    // any difference in total score, so each placement saves M > (n+1) × 10000.
    const long long M = 10000 * (n + 1);
    Graph g;
    Graph::ArcMap<long long> cap(g), cost(g);
    const Graph::Node s = g.addNode(), t = g.addNode();
    std::vector<Graph::Node> sites(site_count);
    for (auto& node : sites) {
        node = g.addNode();
        Graph::Arc a = g.addArc(node, t);
        cap[a] = 1;
        cost[a] = 0;
    }
    std::vector<std::vector<std::pair<Graph::Arc, int>>> arcs(scores.size());
    for (std::size_t e = 0; e < scores.size(); ++e) {
        const Graph::Node en = g.addNode();
        Graph::Arc a = g.addArc(s, en);
        cap[a] = 1;
        cost[a] = 0;
        for (const auto& [site, score] : scores[e]) {
            Graph::Arc b = g.addArc(en, sites[site]);
            cap[b] = 1;
            cost[b] = M - std::llround(std::clamp(score, 0.0, 100.0) * 100.0);
            arcs[e].emplace_back(b, site);
        }
    }
    Graph::Arc bypass = g.addArc(s, t);  // enterprises left without a site
    cap[bypass] = n;
    cost[bypass] = 2 * M;
    lemon::NetworkSimplex<Graph, long long, long long> ns(g);
    ns.upperMap(cap).costMap(cost).stSupply(s, t, n);
    if (ns.run() != lemon::NetworkSimplex<Graph, long long, long long>::OPTIMAL)
        throw Error("relocation assignment: the min-cost flow found no optimum");
    for (std::size_t e = 0; e < scores.size(); ++e)
        for (const auto& [arc, site] : arcs[e])
            if (ns.flow(arc) > 0) out[e] = site;
    return out;
}

RelocationReport find_relocation_sites(const ProjectStore& store, const RuleSet& rules, const RelocationOptions& options,
                                       Progress& progress) {
    Finder finder(store, rules, options);
    return finder.run(progress);
}

namespace {
nlohmann::json candidate_json(const SiteCandidate& c) {
    auto round1 = [](double v) { return std::round(v * 10) / 10; };
    nlohmann::json j{{"site_id", c.site_id}, {"label", c.label}, {"park", c.park}, {"class", c.site_class},
                     {"code", c.code}, {"area_m2", round1(c.area_m2)}, {"score", std::round(c.score * 100) / 100},
                     {"reasons", c.reasons}};
    j["distance_m"] = c.distance_m >= 0 ? nlohmann::json(round1(c.distance_m)) : nlohmann::json(nullptr);
    return j;
}
} // namespace

std::string relocation_to_json(const RelocationReport& report) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : report.entries) {
        nlohmann::json candidates = nlohmann::json::array();
        for (const auto& c : e.candidates) candidates.push_back(candidate_json(c));
        nlohmann::json j{{"enterprise_id", e.enterprise_id}, {"name", e.name}, {"industry", e.industry},
                         {"class", e.pollution_class}, {"need_m2", std::round(e.need_m2 * 10) / 10}, {"basis", e.basis},
                         {"candidate_count", e.candidate_count}, {"candidates", candidates}};
        if (e.allocated) {
            j["allocated"] = candidate_json(*e.allocated);
            j["allocated"]["reserved"] = e.reserved;
        } else {
            j["allocated"] = nullptr;
        }
        j["reason"] = e.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.reason);
        out.push_back(std::move(j));
    }
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string relocation_to_csv(const RelocationReport& report) {
    std::string out = "\xEF\xBB\xBF";
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) out += ',';
            out += csv_field(cells[i]);
        }
        out += "\r\n";
    };
    line({"企业编号", "企业名称", "行业", "污染类别", "需用地(m²)", "依据", "候选地块数", "名次", "地块编号", "地块",
          "园区", "用地类别", "可用面积(m²)", "距现址(m)", "得分", "理由", "分配地块", "无用地原因"});
    for (const auto& e : report.entries) {
        const std::vector<std::string> head = {std::to_string(e.enterprise_id), e.name, e.industry,
                                               std::to_string(e.pollution_class), fmt("%.0f", e.need_m2), e.basis,
                                               std::to_string(e.candidate_count)};
        std::string allocated;
        if (e.allocated) allocated = e.allocated->label + "（" + e.allocated->site_id + (e.reserved ? "，已预留）" : "）");
        auto row = [&](std::vector<std::string> candidate) {
            std::vector<std::string> cells = head;
            cells.insert(cells.end(), candidate.begin(), candidate.end());
            cells.push_back(allocated);
            cells.push_back(e.reason);
            line(cells);
        };
        if (e.candidates.empty()) row(std::vector<std::string>(9));
        for (std::size_t i = 0; i < e.candidates.size(); ++i) {
            const SiteCandidate& c = e.candidates[i];
            std::string reasons;
            for (const auto& r : c.reasons) {
                if (!reasons.empty()) reasons += "；";
                reasons += r;
            }
            row({std::to_string(i + 1), c.site_id, c.label, c.park, std::to_string(c.site_class), fmt("%.0f", c.area_m2),
                 c.distance_m >= 0 ? fmt("%.0f", c.distance_m) : "", fmt("%.1f", c.score), reasons});
        }
    }
    return out;
}

} // namespace qingling
