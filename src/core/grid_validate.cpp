#include "core/grid_validate.hpp"
#include "core/i18n.hpp"

#include "core/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

namespace qingling {

const char* grid_problem_code(GridProblemKind kind) {
    switch (kind) {
    case GridProblemKind::gap: return "gap";
    case GridProblemKind::overlap: return "overlap";
    case GridProblemKind::crosses_village: return "crosses_village";
    case GridProblemKind::invalid: return "invalid";
    case GridProblemKind::multipart: return "multipart";
    case GridProblemKind::enterprise_unassigned: return "enterprise_unassigned";
    case GridProblemKind::enterprise_in_several: return "enterprise_in_several";
    case GridProblemKind::no_people: return "no_people";
    }
    return "";
}

const char* grid_problem_label_zh(GridProblemKind kind) {
    switch (kind) {
    case GridProblemKind::gap: return N_("空隙");
    case GridProblemKind::overlap: return N_("重叠");
    case GridProblemKind::crosses_village: return N_("跨村");
    case GridProblemKind::invalid: return N_("无效几何");
    case GridProblemKind::multipart: return N_("多部件");
    case GridProblemKind::enterprise_unassigned: return N_("企业不在网格内");
    case GridProblemKind::enterprise_in_several: return N_("企业在多个网格");
    case GridProblemKind::no_people: return N_("缺少人员");
    }
    return "";
}

std::map<GridProblemKind, std::size_t> GridValidation::counts() const {
    std::map<GridProblemKind, std::size_t> out;
    for (GridProblemKind k : kAllGridProblemKinds) out[k] = 0;
    for (const auto& p : problems) ++out[p.kind];
    return out;
}

namespace {

std::string format_area(double m2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", m2);
    return buf;
}

// The problem's detail: Chinese for reports and JSON, the phrase for the UI.
void set_detail(GridProblem& p, Phrase phrase) {
    p.detail = phrase.zh();
    p.detail_phrase = std::move(phrase);
}

// What the import repaired, by source fid: "fid 12: Self-intersection[x y]" in the layer's report.
std::map<long long, std::string> import_repairs(const LayerInfo& layer) {
    std::map<long long, std::string> out;
    if (layer.report_json.empty()) return out;
    try {
        const auto j = nlohmann::json::parse(layer.report_json);
        if (!j.contains("repairs")) return out;
        for (const auto& item : j.at("repairs")) {
            const std::string text = item.get<std::string>();
            long long fid = 0;
            int consumed = 0;
            if (std::sscanf(text.c_str(), "fid %lld: %n", &fid, &consumed) == 1 && consumed > 0)
                out[fid] = text.substr(static_cast<std::size_t>(consumed));
        }
    } catch (const std::exception&) {
        // A damaged report only loses this hint.
    }
    return out;
}

// "Self-intersection[530300 3386075]" → the point in brackets.
bool point_in_reason(const std::string& reason, double& x, double& y) {
    const auto open = reason.find('[');
    return open != std::string::npos && std::sscanf(reason.c_str() + open, "[%lf %lf]", &x, &y) == 2;
}

class Validator {
public:
    Validator(const ProjectStore& store, double tolerance)
        : store_(store), tolerance_(tolerance), grids_(geos_, store, "grid", kGridNameFields),
          villages_(geos_, store, "village", kVillageNameFields),
          jurisdiction_(geos_, store, "jurisdiction", kJurisdictionNameFields) {
        result_.tolerance_m2 = tolerance;
        result_.grid_count = grids_.size();
    }

    GridValidation run() {
        gaps();
        overlaps();
        crossings();
        geometry();
        enterprises();
        people();
        std::stable_sort(result_.problems.begin(), result_.problems.end(),
                         [](const GridProblem& a, const GridProblem& b) { return a.kind < b.kind; });
        return std::move(result_);
    }

private:
    GridProblem& add(GridProblemKind kind, std::vector<std::size_t> grids) {
        GridProblem p;
        p.kind = kind;
        for (std::size_t i : grids) p.grids.push_back(grids_.ref(i));
        result_.problems.push_back(std::move(p));
        return result_.problems.back();
    }
    void locate(GridProblem& p, const GEOSGeometry* g) { p.located = representative_point(geos_, g, p.x, p.y); }
    double area_of(const GEOSGeometry* g) const {
        double a = 0;
        if (g) GEOSArea_r(geos_.get(), g, &a);
        return a;
    }

    // The jurisdiction (or the villages) minus the union of the grids, part by part.
    void gaps() {
        const AreaSet& cover = !jurisdiction_.empty() ? jurisdiction_ : villages_;
        if (cover.empty()) return;
        result_.coverage = !jurisdiction_.empty() ? "jurisdiction" : "village";
        GeosGeometryPtr area = cover.union_all();
        GeosGeometryPtr grids = grids_.union_all();
        GeosGeometryPtr rest = grids ? geos_own(geos_, GEOSDifference_r(geos_.get(), area.get(), grids.get()))
                                     : geos_own(geos_, GEOSGeom_clone_r(geos_.get(), area.get()));
        if (!rest) throw Error("GEOS could not compute the gaps between the grids: " + geos_.last_error());
        struct Gap {
            GeosGeometryPtr part;
            double area;
        };
        std::vector<Gap> found;
        for (auto& part : polygon_parts(geos_, rest.get())) {
            const double a = area_of(part.get());
            if (a > tolerance_) found.push_back({std::move(part), a});
        }
        std::stable_sort(found.begin(), found.end(), [](const Gap& a, const Gap& b) { return a.area > b.area; });
        for (auto& gap : found) {
            GridProblem& p = add(GridProblemKind::gap, grids_.intersecting(gap.part.get()));
            p.area_m2 = gap.area;
            locate(p, gap.part.get());
            std::vector<std::string> names;
            for (const auto& g : p.grids) names.push_back(g.label());
            set_detail(p, names.empty() ? Phrase{N_("未被任何网格覆盖")}
                                        : Phrase{N_("未被任何网格覆盖, 相邻网格: {grids}"), {}, {{"grids", names}}});
        }
    }

    void overlaps() {
        for (std::size_t i = 0; i < grids_.size(); ++i)
            for (std::size_t j : grids_.candidates(grids_.working(i))) {
                if (j <= i) continue;
                GeosGeometryPtr both = geos_own(geos_, GEOSIntersection_r(geos_.get(), grids_.working(i), grids_.working(j)));
                const double a = area_of(both.get());
                if (a <= tolerance_) continue;
                GridProblem& p = add(GridProblemKind::overlap, {i, j});
                p.area_m2 = a;
                locate(p, both.get());
                set_detail(p, {N_("{a} 与 {b} 重叠"), {{"a", grids_.ref(i).label()}, {"b", grids_.ref(j).label()}}});
            }
    }

    // A grid split between villages with more than the tolerance outside its main village.
    void crossings() {
        if (villages_.empty()) return;
        for (std::size_t i = 0; i < grids_.size(); ++i) {
            struct Share {
                std::string village;
                double area = 0;
                GeosGeometryPtr part;  // the largest piece in that village
                double part_area = 0;
            };
            std::vector<Share> shares;
            for (std::size_t v : villages_.candidates(grids_.working(i))) {
                GeosGeometryPtr cut = geos_own(geos_, GEOSIntersection_r(geos_.get(), grids_.working(i), villages_.working(v)));
                const double a = area_of(cut.get());
                if (a <= 0) continue;
                const std::string name = villages_.ref(v).label();
                auto it = std::find_if(shares.begin(), shares.end(), [&](const Share& s) { return s.village == name; });
                if (it == shares.end()) {
                    shares.push_back({name, 0, nullptr, 0});
                    it = shares.end() - 1;
                }
                it->area += a;
                if (a > it->part_area) {
                    it->part = std::move(cut);
                    it->part_area = a;
                }
            }
            if (shares.size() < 2) continue;
            std::stable_sort(shares.begin(), shares.end(), [](const Share& a, const Share& b) { return a.area > b.area; });
            double outside = 0;
            for (std::size_t k = 1; k < shares.size(); ++k) outside += shares[k].area;
            if (outside <= tolerance_) continue;
            GridProblem& p = add(GridProblemKind::crosses_village, {i});
            p.area_m2 = outside;
            locate(p, shares[1].part.get());
            std::vector<std::string> others;
            for (std::size_t k = 0; k < shares.size(); ++k) {
                p.villages.push_back(shares[k].village);
                if (k > 0) others.push_back(shares[k].village + " " + format_area(shares[k].area) + " m²");
            }
            set_detail(p, {N_("主要在 {village} ({area} m²), 跨入 {others}"),
                           {{"village", shares[0].village}, {"area", format_area(shares[0].area)}},
                           {{"others", others}}});
        }
    }

    // Invalid as stored (edited outside Qingling), repaired when imported, or in several parts.
    void geometry() {
        std::map<std::string, std::map<long long, std::string>> repairs_by_layer;
        for (std::size_t i = 0; i < grids_.size(); ++i) {
            const LayerInfo& layer = grids_.layer(i);
            if (!repairs_by_layer.count(layer.name)) repairs_by_layer[layer.name] = import_repairs(layer);
            const auto& repairs = repairs_by_layer[layer.name];
            char* reason = nullptr;
            GEOSGeometry* where = nullptr;
            const char valid = GEOSisValidDetail_r(geos_.get(), grids_.stored(i), 0, &reason, &where);
            GeosGeometryPtr where_owned = geos_own(geos_, where);
            const std::string why = reason ? reason : "";
            if (reason) GEOSFree_r(geos_.get(), reason);
            if (valid != 1) {
                GridProblem& p = add(GridProblemKind::invalid, {i});
                p.area_m2 = grids_.area(i);
                set_detail(p, why.empty() ? Phrase{N_("几何无效: GEOS 无法判断")} : Phrase{N_("几何无效: {why}"), {{"why", why}}});
                if (where_owned) p.located = representative_point(geos_, where_owned.get(), p.x, p.y);
                if (!p.located) locate(p, grids_.working(i));
            } else if (auto it = repairs.find(grids_.source_fid(i)); it != repairs.end()) {
                GridProblem& p = add(GridProblemKind::invalid, {i});
                p.area_m2 = grids_.area(i);
                p.repaired_at_import = true;
                set_detail(p, {N_("源数据几何无效, 导入时已自动修复 ({repair}), 请核对边界"), {{"repair", it->second}}});
                p.located = point_in_reason(it->second, p.x, p.y);
                if (!p.located) locate(p, grids_.working(i));
            }
            auto parts = polygon_parts(geos_, grids_.working(i));
            if (parts.size() > 1) {
                std::stable_sort(parts.begin(), parts.end(), [&](const GeosGeometryPtr& a, const GeosGeometryPtr& b) {
                    return area_of(a.get()) > area_of(b.get());
                });
                GridProblem& p = add(GridProblemKind::multipart, {i});
                for (std::size_t k = 1; k < parts.size(); ++k) p.area_m2 += area_of(parts[k].get());
                locate(p, parts[1].get());
                set_detail(p, {N_("{parts} 个部分, 最大部分以外 {area} m²"),
                               {{"parts", std::to_string(parts.size())}, {"area", format_area(p.area_m2)}}});
            }
        }
    }

    // Every located enterprise in exactly one grid (a point on a shared edge is in the first grid
    // only); an enterprise without coordinates needs an assignment by hand.
    void enterprises() {
        const auto assignments = store_.enterprise_grids();
        const auto ledger = store_.ledger();
        result_.enterprise_count = ledger.size();
        for (const auto& r : ledger) {
            if (!r.x || !r.y) {
                if (assignments.count(r.id)) continue;
                GridProblem& p = add(GridProblemKind::enterprise_unassigned, {});
                p.enterprise_id = r.id;
                p.enterprise_name = r.name;
                set_detail(p, {N_("无坐标, 也未手动分配网格")});
                continue;
            }
            GeosGeometryPtr point = geos_own(geos_, GEOSGeom_createPointFromXY_r(geos_.get(), *r.x, *r.y));
            const auto in = grids_.intersecting(point.get());
            std::vector<std::size_t> inside;
            for (std::size_t i : in)
                if (grids_.contains(i, point.get())) inside.push_back(i);
            if (in.empty()) {
                GridProblem& p = add(GridProblemKind::enterprise_unassigned, {});
                p.enterprise_id = r.id;
                p.enterprise_name = r.name;
                p.located = true;
                p.x = *r.x;
                p.y = *r.y;
                set_detail(p, {N_("不在任何网格内")});
            } else if (inside.size() > 1) {
                GridProblem& p = add(GridProblemKind::enterprise_in_several, inside);
                p.enterprise_id = r.id;
                p.enterprise_name = r.name;
                p.located = true;
                p.x = *r.x;
                p.y = *r.y;
                std::vector<std::string> names;
                for (const auto& g : p.grids) names.push_back(g.label());
                set_detail(p, {N_("同时位于 {grids}"), {}, {{"grids", names}}});
            }
        }
    }

    void people() {
        std::map<long long, std::string> role_of;
        for (const auto& person : store_.people()) role_of[person.id] = person.role;
        std::map<std::pair<std::string, long long>, std::set<std::string>> roles;
        for (const auto& link : store_.grid_people()) roles[{link.grid_layer, link.grid_fid}].insert(role_of[link.person_id]);
        for (std::size_t i = 0; i < grids_.size(); ++i) {
            const auto& have = roles[{grids_.ref(i).layer, grids_.ref(i).fid}];
            std::vector<std::string> missing;
            for (const char* role : kGridPersonRoles)
                if (!have.count(role)) missing.push_back(role);
            if (missing.empty()) continue;
            GridProblem& p = add(GridProblemKind::no_people, {i});
            p.missing_roles = missing;
            locate(p, grids_.working(i));
            set_detail(p, {N_("缺少 {roles}"), {}, {}, {{"roles", missing}}});
        }
    }

    GeosContext geos_;
    const ProjectStore& store_;
    double tolerance_;
    AreaSet grids_, villages_, jurisdiction_;
    GridValidation result_;
};

} // namespace

GridValidation validate_grids(const ProjectStore& store, double area_tolerance_m2) {
    if (!(area_tolerance_m2 >= 0)) throw UsageError("the area tolerance must be a number of square metres >= 0");
    return Validator(store, area_tolerance_m2).run();
}

std::string grid_validation_to_json(const GridValidation& v) {
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [kind, n] : v.counts()) counts[grid_problem_code(kind)] = n;
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : v.problems) {
        nlohmann::json grids = nlohmann::json::array();
        for (const auto& g : p.grids) grids.push_back({{"layer", g.layer}, {"fid", g.fid}, {"name", g.name}});
        nlohmann::json j = {{"kind", grid_problem_code(p.kind)},
                            {"grids", grids},
                            {"area_m2", p.area_m2},
                            {"detail", p.detail},
                            {"villages", p.villages},
                            {"missing_roles", p.missing_roles},
                            {"repaired_at_import", p.repaired_at_import}};
        j["enterprise"] = p.enterprise_id ? nlohmann::json{{"id", p.enterprise_id}, {"name", p.enterprise_name}}
                                          : nlohmann::json(nullptr);
        j["location"] = p.located ? nlohmann::json{{"x", p.x}, {"y", p.y}} : nlohmann::json(nullptr);
        problems.push_back(std::move(j));
    }
    nlohmann::json out = {{"tolerance_m2", v.tolerance_m2}, {"grid_count", v.grid_count},
                          {"enterprise_count", v.enterprise_count}, {"coverage", v.coverage},
                          {"counts", counts}, {"problems", problems}};
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace qingling
