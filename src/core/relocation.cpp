#include "core/relocation.hpp"

#include "core/conformity.hpp"
#include "core/errors.hpp"
#include "core/geos_handles.hpp"
#include "core/industry_table.hpp"
#include "core/park_admission.hpp"
#include "core/resources.hpp"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>

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
const char* class_zh(int c) { return c == 1 ? "一类" : c == 2 ? "二类" : c == 3 ? "三类" : "未知类别"; }

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
    GeosGeometryPtr geometry;
    GeosPreparedPtr prepared;
};

// A usable piece of a parcel after the subtractions: its largest polygon.
struct Piece {
    double area = 0;       // largest part
    double radius = -1;    // largest inscribed circle, computed on demand
    GeosGeometryPtr geometry;
};

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
    Piece after_zones, after_footprints;  // area of the largest part
    std::map<double, Piece> after_setback;  // by setback distance
};

// Stages of the funnel, in order; the name is what a reason says eliminated the last candidates.
enum Stage { st_class, st_free, st_unreserved, st_park, st_area, st_zones, st_footprints, st_setback, st_shape, st_count };
const char* const kStageName[st_count] = {"工业用地等级", "已占用", "已预留", "园区准入", "地块面积",
                                          "永久基本农田/生态保护红线/水源保护区", "现有企业占地", "敏感点防护距离",
                                          "地块形状"};

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

        progress.report(0.1, "读取图层");
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

        progress.report(0.4, "逐家选址");
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
            GeosGeometryPtr here;
            if (auto f = footprint_of.find(r.id); f != footprint_of.end())
                here = geos_own(geos_, GEOSGeom_clone_r(geos_.get(), f->second.get()));
            else if (r.x && r.y)
                here = geos_own(geos_, GEOSGeom_createPointFromXY_r(geos_.get(), *r.x, *r.y));
            double footprint_area = 0;
            if (auto f = footprint_of.find(r.id); f != footprint_of.end()) GEOSArea_r(geos_.get(), f->second.get(), &footprint_area);
            report.entries.push_back(evaluate(r, basis, here.get(), footprint_area));
            if (progress.cancelled()) throw CancelledError();
        }
        if (o_.enterprise_id && report.entries.empty())
            throw UsageError("enterprise " + std::to_string(*o_.enterprise_id) +
                             " is not one to relocate (no 限期搬迁 confirmation or suggestion)");
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
        for (const LayerInfo& info : layers) {
            const auto fields = store_.layer_fields(info);
            std::vector<std::string> wanted;
            int name_at = -1, ind_at = -1, class_at = -1;
            for (const auto& [field, at] : {std::pair{p.park_name_field, &name_at}, {p.park_industries_field, &ind_at},
                                            {p.park_max_class_field, &class_at}})
                if (std::any_of(fields.begin(), fields.end(), [&](const FieldDef& d) { return d.name == field; })) {
                    *at = static_cast<int>(wanted.size());
                    wanted.push_back(field);
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
                                        park.geometry = geos_own(geos_, g);
                                        park.prepared = GeosPreparedPtr(GEOSPrepare_r(geos_.get(), park.geometry.get()),
                                                                        GeosPreparedDeleter{geos_.get()});
                                        parks_.push_back(std::move(park));
                                    });
        }
    }

    void load_parcels(RelocationReport& report) {
        const auto layers = store_.layers_with_role("park_parcel");
        if (layers.empty()) report.notes.push_back("项目中没有角色为 park_parcel 的园区规划地块图层：没有候选用地");
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
        if (best >= 0) piece.geometry = geos_own(geos_, GEOSGeom_clone_r(geos_.get(), GEOSGetGeometryN_r(geos_.get(), g.get(), best)));
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

    void prepare_parcels() {
        for (Parcel& p : parcels_) {
            GeosGeometryPtr inside = geos_own(geos_, GEOSPointOnSurface_r(geos_.get(), p.geometry.get()));
            for (std::size_t i = 0; i < parks_.size() && inside; ++i)
                if (GEOSPreparedIntersects_r(geos_.get(), parks_[i].prepared.get(), inside.get()) == 1) {
                    p.park = static_cast<int>(i);
                    break;
                }
        }
    }

    // Lazily computed pieces: only parcels that survive the cheaper tests get differenced.
    const Piece& after_zones(Parcel& p) {
        if (!p.after_zones.geometry && p.after_zones.area == 0) {
            p.after_zones = largest_part(subtract(p.geometry.get(), zones_, 0));
            if (!p.after_zones.geometry) p.after_zones.area = -1;  // computed: nothing left
        }
        return p.after_zones;
    }
    const Piece& after_footprints(Parcel& p) {
        if (!p.after_footprints.geometry && p.after_footprints.area == 0) {
            const Piece& z = after_zones(p);
            if (z.geometry) p.after_footprints = largest_part(subtract(z.geometry.get(), footprints_, 0));
            if (!p.after_footprints.geometry) p.after_footprints.area = -1;
        }
        return p.after_footprints;
    }
    Piece& after_setback(Parcel& p, double distance) {
        auto it = p.after_setback.find(distance);
        if (it != p.after_setback.end()) return it->second;
        Piece piece;
        const Piece& f = after_footprints(p);
        if (f.geometry) {
            if (distance > 0)
                piece = largest_part(subtract(f.geometry.get(), sensitive_, distance));
            else
                piece = {f.area, -1, geos_own(geos_, GEOSGeom_clone_r(geos_.get(), f.geometry.get()))};
        }
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
        return park_admits(park.industries, park.max_class, industry, pollution_class);
    }

    // Share of a park's industrial parcel area that is free (空闲, not reserved).
    double vacancy(int park) {
        if (park < 0) return 0;
        auto it = vacancy_.find(park);
        if (it != vacancy_.end()) return it->second;
        double total = 0, free = 0;
        for (const Parcel& p : parcels_) {
            if (p.park != park || p.site_class == 0) continue;
            total += p.area;
            if (!p.occupied && !p.reserved_for) free += p.area;
        }
        return vacancy_[park] = total > 0 ? free / total : 0;
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

    RelocationEntry evaluate(const LedgerRecord& r, const std::string& basis, const GEOSGeometry* here, double footprint_area) {
        RelocationEntry e;
        e.enterprise_id = r.id;
        e.name = r.name;
        const Industry* matched = industries_.match(r.industry);
        e.industry = matched ? matched->name : r.industry;
        e.pollution_class = matched ? matched->pollution_class : 3;  // unknown: assume the worst, as the engine does
        e.basis = basis;
        e.need_m2 = need_of(r, footprint_area);
        const double setback = setback_for(e.industry);
        std::optional<long long> own_reserved;
        if (auto it = reservation_of_enterprise_.find(r.id); it != reservation_of_enterprise_.end()) own_reserved = it->second.site_fid;

        int left[st_count] = {};
        for (Parcel& p : parcels_) {
            if (p.site_class == 0 || p.site_class < e.pollution_class) continue;
            ++left[st_class];
            if (p.occupied) continue;
            ++left[st_free];
            const bool own = p.reserved_for && *p.reserved_for == r.id;
            if (p.reserved_for && !own) continue;
            ++left[st_unreserved];
            if (p.park < 0 || !admits(parks_[p.park], e.industry, e.pollution_class)) continue;
            ++left[st_park];
            if (p.area < e.need_m2) continue;
            ++left[st_area];
            if (after_zones(p).area < e.need_m2) continue;
            ++left[st_zones];
            if (after_footprints(p).area < e.need_m2) continue;
            ++left[st_footprints];
            Piece& piece = after_setback(p, setback);
            if (piece.area < e.need_m2) continue;
            ++left[st_setback];
            const double radius = inscribed_radius(piece);
            if (radius < o_.min_inscribed_radius_m) continue;
            ++left[st_shape];
            e.candidates.push_back(candidate(e, p, piece, radius, here, setback));
        }
        const int total = static_cast<int>(parcels_.size());
        e.funnel.emplace_back("园区规划地块", total);
        for (int s = 0; s < st_count; ++s) e.funnel.emplace_back(kStageName[s], left[s]);
        std::stable_sort(e.candidates.begin(), e.candidates.end(),
                         [](const SiteCandidate& a, const SiteCandidate& b) { return a.score > b.score; });
        if (own_reserved) {
            const auto& res = reservation_of_enterprise_.at(r.id);
            auto it = std::find_if(e.candidates.begin(), e.candidates.end(), [&](const SiteCandidate& c) {
                return c.site_layer == res.site_layer && c.site_fid == res.site_fid;
            });
            SiteCandidate c;
            if (it != e.candidates.end()) {
                c = *it;
            } else {
                c.site_layer = res.site_layer;
                c.site_fid = res.site_fid;
                c.site_id = c.label = res.site_layer + "#" + std::to_string(res.site_fid);
                c.reasons.push_back("已预留，但按当前条件已不是候选地块，请复核");
            }
            c.reasons.push_back("已于 " + res.at + " 由 " + res.user + " 预留");
            e.allocated = c;
            e.reserved = true;
        }
        if (e.candidates.empty() && !e.reserved) {
            if (total == 0) {
                e.reason = "项目中没有园区规划地块";
            } else {
                int prev = total;
                std::string stage = "工业用地等级";
                for (int s = 0; s < st_count; ++s) {
                    if (left[s] == 0) {
                        stage = kStageName[s];
                        break;
                    }
                    prev = left[s];
                }
                e.reason = "无候选用地：「" + stage + "」排除了最后 " + std::to_string(prev) + " 块地块" + detail(stage, e, setback);
            }
        }
        return e;
    }

    std::string detail(const std::string& stage, const RelocationEntry& e, double setback) const {
        if (stage == kStageName[st_class])
            return "（需" + std::string(class_zh(e.pollution_class)) + "或更高类别的工业用地 1001xx）";
        if (stage == kStageName[st_free]) return "（均已占用）";
        if (stage == kStageName[st_unreserved]) return "（均已预留给其他企业）";
        if (stage == kStageName[st_park]) return "（所在园区不准入 " + e.industry + "（" + class_zh(e.pollution_class) + "））";
        if (stage == kStageName[st_area]) return "（面积均小于需求 " + fmt("%.0f", e.need_m2) + " m²）";
        if (stage == kStageName[st_zones]) return "（扣除后余下面积小于 " + fmt("%.0f", e.need_m2) + " m²）";
        if (stage == kStageName[st_footprints]) return "（扣除现有企业占地后余下面积小于 " + fmt("%.0f", e.need_m2) + " m²）";
        if (stage == kStageName[st_setback])
            return "（扣除敏感点 " + fmt("%.0f", setback) + " 米防护距离后余下面积小于 " + fmt("%.0f", e.need_m2) + " m²）";
        if (stage == kStageName[st_shape]) return "（最大内切圆半径小于 " + fmt("%.0f", o_.min_inscribed_radius_m) + " 米，地块过窄）";
        return "";
    }

    SiteCandidate candidate(const RelocationEntry& e, const Parcel& p, const Piece& piece, double radius,
                            const GEOSGeometry* here, double setback) {
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
        c.inscribed_radius_m = radius;
        GeosGeometryPtr inside = geos_own(geos_, GEOSPointOnSurface_r(geos_.get(), piece.geometry.get()));
        if (inside) {
            GEOSGeomGetX_r(geos_.get(), inside.get(), &c.x);
            GEOSGeomGetY_r(geos_.get(), inside.get(), &c.y);
        }
        if (here) {
            GEOSDistance_r(geos_.get(), here, piece.geometry.get(), &c.distance_m);
            c.s_distance = 1.0 - std::min(c.distance_m, o_.max_distance_m) / o_.max_distance_m;
        }
        c.s_area = std::min(1.0, e.need_m2 / piece.area);
        c.s_class = std::max(0.0, 1.0 - 0.5 * (p.site_class - e.pollution_class));
        c.s_vacancy = vacancy(p.park);
        c.score = 100.0 * (o_.w_distance * c.s_distance + o_.w_area * c.s_area + o_.w_class * c.s_class +
                           o_.w_vacancy * c.s_vacancy);
        if (here)
            c.reasons.push_back("距现址 " + fmt("%.0f", c.distance_m) + " 米（距离分 " + fmt("%.2f", c.s_distance) + " × " +
                                fmt("%.1f", o_.w_distance) + "）");
        else
            c.reasons.push_back("企业无坐标，距离分按 0 计");
        c.reasons.push_back("可用面积 " + fmt("%.0f", piece.area) + " m²，需 " + fmt("%.0f", e.need_m2) + " m²（面积匹配 " +
                            fmt("%.2f", c.s_area) + " × " + fmt("%.1f", o_.w_area) + "）");
        c.reasons.push_back("地类 " + p.code + " " + class_zh(p.site_class) + "工业用地，企业为" + class_zh(e.pollution_class) +
                            "工业（等级匹配 " + fmt("%.2f", c.s_class) + " × " + fmt("%.1f", o_.w_class) + "）");
        c.reasons.push_back(c.park + " 准入 " + e.industry + "，空闲率 " + fmt("%.0f", 100 * c.s_vacancy) + "%（空闲分 " +
                            fmt("%.2f", c.s_vacancy) + " × " + fmt("%.1f", o_.w_vacancy) + "）");
        if (piece.area < p.area - 1)
            c.reasons.push_back("原地块 " + fmt("%.0f", p.area) + " m²，已扣除农田/红线/水源保护区、现有企业占地和敏感点 " +
                                fmt("%.0f", setback) + " 米防护距离");
        c.reasons.push_back("最大内切圆半径 " + fmt("%.0f", radius) + " 米");
        return c;
    }

    void allocate(RelocationReport& report) {
        std::map<std::string, int> site_index;
        std::vector<std::vector<std::pair<int, double>>> scores;
        std::vector<std::size_t> who;
        for (std::size_t i = 0; i < report.entries.size(); ++i) {
            auto& e = report.entries[i];
            if (e.reserved) continue;
            std::vector<std::pair<int, double>> row;
            for (const auto& c : e.candidates) {
                auto [it, fresh] = site_index.emplace(c.site_id, static_cast<int>(site_index.size()));
                row.emplace_back(it->second, c.score);
            }
            scores.push_back(std::move(row));
            who.push_back(i);
        }
        const auto chosen = assign_sites(scores, static_cast<int>(site_index.size()));
        for (std::size_t k = 0; k < who.size(); ++k) {
            auto& e = report.entries[who[k]];
            if (chosen[k] >= 0) {
                for (const auto& c : e.candidates)
                    if (site_index.at(c.site_id) == chosen[k]) e.allocated = c;
            } else if (!e.candidates.empty()) {
                e.reason = "候选地块 " + std::to_string(e.candidates.size()) +
                           " 块均已分配给其他企业（整体分配使安置企业最多、总分最高）";
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

    GeosContext geos_;
    const ProjectStore& store_;
    const RuleSet& rules_;
    const RelocationOptions& o_;
    GeometrySet zones_, sensitive_, footprints_;
    IndustryTable industries_;
    std::vector<ParkInfo> parks_;
    std::vector<Parcel> parcels_;
    std::map<int, double> vacancy_;
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

std::string relocation_to_json(const RelocationReport& report, int max_candidates) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : report.entries) {
        nlohmann::json candidates = nlohmann::json::array();
        for (std::size_t i = 0; i < e.candidates.size() && static_cast<int>(i) < max_candidates; ++i)
            candidates.push_back(candidate_json(e.candidates[i]));
        nlohmann::json j{{"enterprise_id", e.enterprise_id}, {"name", e.name}, {"industry", e.industry},
                         {"class", e.pollution_class}, {"need_m2", std::round(e.need_m2 * 10) / 10}, {"basis", e.basis},
                         {"candidates", candidates}};
        if (e.allocated) {
            j["allocated"] = candidate_json(*e.allocated);
            j["allocated"]["reserved"] = e.reserved;
        } else {
            j["allocated"] = nullptr;
        }
        j["reason"] = e.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.reason);
        out.push_back(std::move(j));
    }
    return out.dump(2) + "\n";
}

} // namespace qingling
