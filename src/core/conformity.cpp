#include "core/conformity.hpp"

#include "core/errors.hpp"
#include "core/geos_handles.hpp"
#include "core/i18n.hpp"
#include "core/industry_table.hpp"
#include "core/landuse_codes.hpp"
#include "core/park_admission.hpp"
#include "core/resources.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <thread>

namespace qingling {

namespace {

// One project layer held in GEOS with an STRtree; geometries are prepared the first time a test
// touches them (preparing every DLTB patch up front costs more than the whole check).
class SpatialLayer {
public:
    SpatialLayer(const GeosContext& geos, const ProjectStore& store, LayerInfo info, const std::string& name_field,
                 const std::vector<ProjectStore::Box>* near)
        : geos_(geos), info_(std::move(info)), tree_(GEOSSTRtree_create_r(geos.get(), 10), GeosStrTreeDeleter{geos.get()}) {
        const auto fields = store.layer_fields(info_);
        auto has = [&](const std::string& f) {
            return !f.empty() && std::any_of(fields.begin(), fields.end(), [&](const FieldDef& d) { return d.name == f; });
        };
        std::vector<std::string> wanted;
        const bool with_names = has(name_field), with_codes = has(info_.code_field);
        if (with_names) wanted.push_back(name_field);
        if (with_codes) wanted.push_back(info_.code_field);
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
        store.for_each_feature(info_, wanted, near,
                               [&](long long fid, const unsigned char* wkb, size_t size, const std::vector<std::string>& values) {
                                   GEOSGeometry* g = GEOSWKBReader_read_r(geos.get(), reader.get(), wkb, size);
                                   if (!g) return;
                                   fids_.push_back(fid);
                                   geometries_.push_back(geos_own(geos, g));
                                   if (with_names) names_.push_back(values[0]);
                                   if (with_codes) codes_.push_back(values[with_names ? 1 : 0]);
                               });
        prepared_.resize(geometries_.size());
        for (std::size_t i = 0; i < geometries_.size(); ++i)
            geos_strtree_insert_index(geos, tree_.get(), geometries_[i].get(), i);
        has_codes_ = with_codes;
    }

    const LayerInfo& info() const { return info_; }
    std::size_t size() const { return geometries_.size(); }
    long long fid(std::size_t i) const { return fids_[i]; }
    const GEOSGeometry* geometry(std::size_t i) const { return geometries_[i].get(); }
    std::string name(std::size_t i) const { return names_.empty() ? std::string() : names_[i]; }
    // The name for explanations; the feature number when the layer has no name field.
    std::string label(std::size_t i) const {
        const std::string n = name(i);
        return n.empty() ? "要素 " + std::to_string(fids_[i]) : n;
    }
    std::string label_en(std::size_t i) const {
        const std::string n = name(i);
        return n.empty() ? "feature " + std::to_string(fids_[i]) : n;
    }
    std::string code(std::size_t i) const { return codes_.empty() ? std::string() : codes_[i]; }
    bool has_codes() const { return has_codes_; }

    // Indices of features whose envelope meets the envelope of g grown by `margin`, in fid order
    // (features are read in fid order, so ascending indices are ascending fids).
    std::vector<std::size_t> candidates(const GEOSGeometry* g, double margin = 0) const {
        return geos_strtree_query_indices(geos_, tree_.get(), g, margin);
    }

    // Boundary rule: a point on a zone's edge is inside it (intersects, not contains), so an
    // enterprise on the line between two patches belongs to both and the lower fid is reported.
    bool intersects(std::size_t i, const GEOSGeometry* g) const {
        if (!prepared_[i])
            prepared_[i] = GeosPreparedPtr(GEOSPrepare_r(geos_.get(), geometries_[i].get()), GeosPreparedDeleter{geos_.get()});
        return GEOSPreparedIntersects_r(geos_.get(), prepared_[i].get(), g) == 1;
    }

    double overlap_area(std::size_t i, const GEOSGeometry* g) const {
        GeosGeometryPtr cut = geos_own(geos_, GEOSIntersection_r(geos_.get(), geometries_[i].get(), g));
        double area = 0;
        if (cut) GEOSArea_r(geos_.get(), cut.get(), &area);
        return area;
    }

    double distance(std::size_t i, const GEOSGeometry* g) const {
        double d = 0;
        GEOSDistance_r(geos_.get(), geometries_[i].get(), g, &d);
        return d;
    }

private:
    const GeosContext& geos_;
    LayerInfo info_;
    std::vector<GeosGeometryPtr> geometries_;
    std::vector<long long> fids_;
    std::vector<std::string> names_, codes_;
    bool has_codes_ = false;
    mutable std::vector<GeosPreparedPtr> prepared_;
    GeosStrTreePtr tree_;
};

// {share} reads "占 35%" for a footprint and "点位" (the enterprise's point lies in it) for a point.
std::string format_share(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "占 %.0f%%", share * 100.0);
    return buf;
}
constexpr const char* kPointShare = "点位";
std::string format_share_en(double share) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.0f%% of the footprint", share * 100.0);
    return buf;
}
constexpr const char* kPointShareEn = "point location";
constexpr const char* kUnknownClass = "未知地类";
constexpr const char* kUnknownClassEn = "unknown land class";

// The values of the placeholders in both languages: the Chinese fill the rule's explanation (what
// reports keep), the English its explanation_en. The English of core's own words is written here,
// not taken from po/en.po, because the check (often the CLI, always Chinese) stores both texts
// whatever the language of the process; data (names, codes, numbers) is the same in both.
struct ExplanationValues {
    std::map<std::string, std::string> zh, en;
    ExplanationValues& set(const std::string& key, const std::string& zh_value, const std::string& en_value) {
        zh[key] = zh_value;
        en[key] = en_value;
        return *this;
    }
    ExplanationValues& set(const std::string& key, const std::string& value) { return set(key, value, value); }
};

// Lower case, for the middle of a sentence ("Missing business licence").
const char* permit_words_en(Permit p) {
    switch (p) {
    case Permit::business_license: return "business licence";
    case Permit::fagai: return "project approval";
    case Permit::land: return "land-use approval";
    case Permit::planning: return "planning permit";
    case Permit::eia: return "environmental impact approval";
    case Permit::safety: return "work safety permit";
    case Permit::discharge: return "discharge permit";
    case Permit::food: return "food production permit";
    }
    return "permit";
}

const char* emission_words_en(Emission e) {
    switch (e) {
    case Emission::unknown: return "unknown";
    case Emission::none: return "none";
    case Emission::treated: return "treated";
    case Emission::untreated: return "discharged untreated";
    case Emission::excess: return "discharged above the standard";
    }
    return "unknown";
}

std::string format_metres(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", m);
    return buf;
}

bool code_allowed(const std::string& code, const std::vector<std::string>& allowed) {
    return std::any_of(allowed.begin(), allowed.end(),
                       [&](const std::string& prefix) { return code.rfind(prefix, 0) == 0; });
}

struct Park {
    std::string name;
    std::vector<std::string> industries;  // empty = any
    int max_class = 3;
};

// Ledgers with fewer enterprises are checked on one thread by default.
constexpr std::size_t kParallelFrom = 4000;

class Engine {
public:
    // boxes: the envelopes of the enterprises to check; layers much larger than that are read only
    // near them (through the R-tree), smaller ones whole.
    Engine(const GeosContext& geos, const ProjectStore& store, const RuleSet& rules, CheckResult& result,
           const std::vector<ProjectStore::Box>& boxes, long long read_whole_below)
        : geos_(geos), store_(store), rules_(rules), result_(result), boxes_(boxes), read_whole_below_(read_whole_below),
          industries_(IndustryTable::load(layers_dir() / "industries.tsv")),
          sandiao_(LandUseCodeTable::load(CodeSystem::sandiao, layers_dir())),
          yongdi_(LandUseCodeTable::load(CodeSystem::yongdi, layers_dir())) {
        // A proximity rule needs the sites within its largest distance of each enterprise.
        std::map<std::string, double> margin_of_role;
        for (const Rule& rule : rules.rules) {
            double margin = rule.default_distance;
            for (const auto& [industry, d] : rule.distance_by_industry) margin = std::max(margin, d);
            for (const std::string& role : rule.roles) margin_of_role[role] = std::max(margin_of_role[role], margin);
        }
        for (const Rule& rule : rules.rules) {
            if (rule.roles.empty()) continue;
            auto& layers = layers_by_rule_[rule.id];
            for (const std::string& role : rule.roles)
                for (const LayerInfo& info : store.layers_with_role(role))
                    layers.push_back(&layer(info, rule.name_field, margin_of_role[role]));
            if (layers.empty()) {
                std::string roles;
                for (const auto& r : rule.roles) roles += (roles.empty() ? "" : ", ") + r;
                result.not_evaluated.emplace_back(rule.id, "项目中没有角色为 " + roles + " 的图层");
            } else if (rule.type == RuleType::land_class) {
                for (const SpatialLayer* l : layers)
                    if (l->info().code_system.empty() || !l->has_codes())
                        result.not_evaluated.emplace_back(rule.id, "图层 " + l->info().name + " 没有地类编码字段或编码体系");
            }
        }
        load_parks();
    }

    Verdict judge(const LedgerRecord& r, const GEOSGeometry* subject) {
        Verdict v;
        v.enterprise_id = r.id;
        v.name = r.name;
        v.credit_code = r.credit_code;
        v.village = r.village;
        v.industry = r.industry;
        v.located = subject != nullptr;
        // Rules name industries as layers/industries.tsv does; the ledger may say 砖厂 for 砖瓦.
        const Industry* matched = industries_.match(r.industry);
        const std::string industry = matched ? matched->name : r.industry;
        for (const Rule& rule : rules_.rules) {
            if (!rule.applies_to(industry)) continue;
            switch (rule.type) {
            case RuleType::zone: if (subject) zone(rule, subject, v); break;
            case RuleType::land_class: if (subject) land_class(rule, subject, v); break;
            case RuleType::outside_all: if (subject) outside_all(rule, subject, v); break;
            case RuleType::proximity: if (subject) proximity(rule, industry, subject, v); break;
            case RuleType::permits: permits(rule, industry, r, v); break;
            case RuleType::emission: emission(rule, r, v); break;
            case RuleType::solid_waste_ledger: solid_waste_ledger(rule, r, v); break;
            }
        }
        for (const Finding& f : v.findings) {
            v.san |= f.flag == Flag::san;
            v.luan |= f.flag == Flag::luan;
            v.wu |= f.flag == Flag::wu;
        }
        decide(r, v);
        return v;
    }

    // The layers read, for a caller that frees them later (they need the GEOS context).
    std::map<std::string, std::unique_ptr<SpatialLayer>> take_layers() {
        layers_by_rule_.clear();
        return std::move(layers_);
    }

private:
    SpatialLayer& layer(const LayerInfo& info, const std::string& name_field, double margin) {
        const std::string key = info.name + "\n" + name_field;
        auto it = layers_.find(key);
        if (it != layers_.end()) return *it->second;
        // Reading only the features near the enterprises (found through the layer's R-tree) pays
        // for any but a small layer: of 83,357 farmland patches 50,000 enterprises need 9,800.
        const std::vector<ProjectStore::Box>* near = nullptr;
        std::vector<ProjectStore::Box> grown;
        if (info.feature_count >= read_whole_below_) {
            grown = boxes_;
            for (auto& b : grown) {
                b.minx -= margin;
                b.miny -= margin;
                b.maxx += margin;
                b.maxy += margin;
            }
            near = &grown;
        }
        PhaseClock clock;
        it = layers_.emplace(key, std::make_unique<SpatialLayer>(geos_, store_, info, name_field, near)).first;
        clock.lap(result_.timings, "图层 " + info.name + " (" + std::to_string(it->second->size()) + " 个要素)");
        return *it->second;
    }

    const std::vector<const SpatialLayer*>& layers_of(const Rule& rule) { return layers_by_rule_[rule.id]; }

    static double area_of(const GEOSGeometry* g, const GeosContext& geos) {
        double a = 0;
        GEOSArea_r(geos.get(), g, &a);
        return a;
    }
    bool is_polygon(const GEOSGeometry* g) const {
        const int t = GEOSGeomTypeId_r(geos_.get(), g);
        return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
    }

    void add(Verdict& v, const Rule& rule, Finding f, const ExplanationValues& values) {
        f.rule = rule.id;
        f.hard = rule.hard;
        f.explanation = fill_placeholders(rule.explanation, values.zh);
        if (!rule.explanation_en.empty()) f.explanation_en = fill_placeholders(rule.explanation_en, values.en);
        for (Flag flag : rule.flags) {
            Finding copy = f;
            copy.flag = flag;
            v.findings.push_back(std::move(copy));
        }
    }

    void zone(const Rule& rule, const GEOSGeometry* subject, Verdict& v) {
        const bool polygon = is_polygon(subject);
        const double subject_area = polygon ? area_of(subject, geos_) : 0;
        for (const SpatialLayer* l : layers_of(rule)) {
            for (std::size_t i : l->candidates(subject)) {
                if (!l->intersects(i, subject)) continue;
                Finding f;
                f.layer = l->info().name;
                f.feature_id = l->fid(i);
                ExplanationValues values;
                values.set("layer", l->info().name).set("zone", l->label(i), l->label_en(i));
                if (polygon && subject_area > 0) {
                    const double share = l->overlap_area(i, subject) / subject_area;
                    if (share <= rule.min_share) continue;
                    f.measure = share;
                    f.unit = "share";
                    values.set("share", format_share(share), format_share_en(share));
                } else {
                    values.set("share", kPointShare, kPointShareEn);
                }
                add(v, rule, f, values);
                return;  // one finding per rule: the first zone in fid order
            }
        }
    }

    // {layer} {code} {code_name} of a land-class finding; the English name from the code table's
    // name_en (the Chinese one when the table has none).
    static ExplanationValues land_class_values(const LandUseCodeTable& table, const Finding& f) {
        ExplanationValues values;
        const std::string name_en = table.name_en(f.code).value_or(table.name(f.code) ? f.code_name : kUnknownClassEn);
        values.set("layer", f.layer).set("code", f.code).set("code_name", f.code_name, name_en);
        return values;
    }

    void land_class(const Rule& rule, const GEOSGeometry* subject, Verdict& v) {
        const bool polygon = is_polygon(subject);
        const double subject_area = polygon ? area_of(subject, geos_) : 0;
        for (const SpatialLayer* l : layers_of(rule)) {
            const auto system = parse_code_system(l->info().code_system).value_or(CodeSystem::unknown);
            if (system == CodeSystem::unknown || !l->has_codes()) continue;
            const auto& allowed = system == CodeSystem::sandiao ? rule.sandiao_allowed : rule.yongdi_allowed;
            const LandUseCodeTable& table = system == CodeSystem::sandiao ? sandiao_ : yongdi_;
            if (allowed.empty()) continue;
            if (!polygon) {
                for (std::size_t i : l->candidates(subject)) {
                    if (!l->intersects(i, subject)) continue;
                    const std::string code = l->code(i);
                    if (!code_allowed(code, allowed)) {
                        Finding f;
                        f.layer = l->info().name;
                        f.feature_id = l->fid(i);
                        f.code = code;
                        f.code_name = table.name(code).value_or(kUnknownClass);
                        add(v, rule, f, land_class_values(table, f).set("share", kPointShare, kPointShareEn));
                    }
                    break;  // the patch under the point decides (lowest fid on a shared edge)
                }
                continue;
            }
            // Footprint: the share of its area on land that is not allowed, named by the largest piece.
            double other = 0, largest = 0;
            std::size_t largest_i = 0;
            for (std::size_t i : l->candidates(subject)) {
                if (code_allowed(l->code(i), allowed)) continue;
                const double a = l->overlap_area(i, subject);
                other += a;
                if (a > largest) { largest = a; largest_i = i; }
            }
            if (subject_area <= 0 || largest <= 0) continue;
            const double share = other / subject_area;
            if (share <= rule.min_share) continue;
            Finding f;
            f.layer = l->info().name;
            f.feature_id = l->fid(largest_i);
            f.code = l->code(largest_i);
            f.code_name = table.name(f.code).value_or(kUnknownClass);
            f.measure = share;
            f.unit = "share";
            add(v, rule, f, land_class_values(table, f).set("share", format_share(share), format_share_en(share)));
        }
    }

    void outside_all(const Rule& rule, const GEOSGeometry* subject, Verdict& v) {
        const auto& layers = layers_of(rule);
        if (layers.empty()) return;
        for (const SpatialLayer* l : layers)
            for (std::size_t i : l->candidates(subject))
                if (l->intersects(i, subject)) return;
        std::string names, names_en;
        for (const SpatialLayer* l : layers) {
            names += (names.empty() ? "" : "、") + l->info().name;
            names_en += (names_en.empty() ? "" : ", ") + l->info().name;
        }
        add(v, rule, Finding{}, ExplanationValues().set("layer", names, names_en));
    }

    void proximity(const Rule& rule, const std::string& industry, const GEOSGeometry* subject, Verdict& v) {
        double limit = rule.default_distance;
        if (auto it = rule.distance_by_industry.find(industry); it != rule.distance_by_industry.end()) limit = it->second;
        if (limit <= 0) return;
        const SpatialLayer* nearest_layer = nullptr;
        std::size_t nearest_i = 0;
        double nearest = limit;
        for (const SpatialLayer* l : layers_of(rule))
            for (std::size_t i : l->candidates(subject, limit)) {
                const double d = l->distance(i, subject);
                if (d <= nearest && (!nearest_layer || d < nearest)) {
                    nearest = d;
                    nearest_layer = l;
                    nearest_i = i;
                }
            }
        if (!nearest_layer) return;
        Finding f;
        f.layer = nearest_layer->info().name;
        f.feature_id = nearest_layer->fid(nearest_i);
        f.measure = nearest;
        f.unit = "m";
        add(v, rule, f,
            ExplanationValues()
                .set("layer", f.layer)
                .set("zone", nearest_layer->label(nearest_i), nearest_layer->label_en(nearest_i))
                .set("distance", format_metres(nearest))
                .set("limit", format_metres(limit)));
    }

    void permits(const Rule& rule, const std::string& industry, const LedgerRecord& r, Verdict& v) {
        std::vector<Permit> needed = rule.required;
        if (auto it = rule.required_by_industry.find(industry); it != rule.required_by_industry.end())
            for (Permit p : it->second)
                if (std::find(needed.begin(), needed.end(), p) == needed.end()) needed.push_back(p);
        for (Permit p : needed) {
            auto it = r.permits.find(p);
            // Only a permit recorded as 无 is missing; an empty cell is not evidence.
            if (it == r.permits.end() || !it->second || *it->second) continue;
            Finding f;
            f.code = permit_code(p);
            f.code_name = permit_label_zh(p);
            add(v, rule, f, ExplanationValues().set("permit", f.code_name, permit_words_en(p)));
        }
    }

    void emission(const Rule& rule, const LedgerRecord& r, Verdict& v) {
        struct Discharge {
            const char *what, *what_en;
            Emission e;
        };
        const Discharge discharges[] = {
            {"废水", "wastewater", r.wastewater}, {"废气", "waste gas", r.waste_gas}, {"固废", "solid waste", r.solid_waste}};
        for (const auto& [what, what_en, e] : discharges) {
            if (std::find(rule.counted.begin(), rule.counted.end(), e) == rule.counted.end()) continue;
            Finding f;
            f.code = emission_code(e);
            f.code_name = std::string(what) + emission_label_zh(e);
            add(v, rule, f,
                ExplanationValues().set("code", f.code).set("code_name", f.code_name,
                                                            std::string(what_en) + " " + emission_words_en(e)));
        }
    }

    void solid_waste_ledger(const Rule& rule, const LedgerRecord& r, Verdict& v) {
        if (r.solid_waste == Emission::none || r.solid_waste == Emission::unknown) return;
        if (!r.solid_waste_ledger || *r.solid_waste_ledger) return;
        Finding f;
        f.code = "no_solid_waste_ledger";
        f.code_name = "无固废台账";
        add(v, rule, f, ExplanationValues().set("code_name", f.code_name, "no solid-waste ledger"));
    }

    void load_parks() {
        const CategoryPolicy& p = rules_.category;
        for (const LayerInfo& info : store_.layers_with_role(p.park_role)) {
            std::map<long long, Park> parks;
            const auto fields = store_.layer_fields(info);
            auto has = [&](const std::string& name) {
                return std::any_of(fields.begin(), fields.end(), [&](const FieldDef& f) { return f.name == name; });
            };
            for (auto& [fid, id] : store_.column_values(info, "fid")) parks[fid];
            if (has(p.park_name_field))
                for (auto& [fid, value] : store_.column_values(info, p.park_name_field)) parks[fid].name = value;
            if (has(p.park_industries_field))
                for (auto& [fid, value] : store_.column_values(info, p.park_industries_field))
                    parks[fid].industries = parse_admitted_industries(value);
            if (has(p.park_max_class_field))
                for (auto& [fid, value] : store_.column_values(info, p.park_max_class_field))
                    if (!value.empty()) parks[fid].max_class = std::atoi(value.c_str());
            for (auto& [fid, park] : parks) parks_.push_back(std::move(park));
        }
    }

    const Park* accepting_park(const LedgerRecord& r) const {
        const Industry* industry = industries_.match(r.industry);
        const int pollution_class = industry ? industry->pollution_class : 3;  // unknown: assume the worst
        const std::string name = industry ? industry->name : r.industry;
        for (const Park& park : parks_)
            if (park_admits(park.industries, park.max_class, name, pollution_class)) return &park;
        return nullptr;
    }

    void decide(const LedgerRecord& r, Verdict& v) {
        for (const Finding& f : v.findings)
            if (f.hard) {
                v.suggested = Category::close;
                v.deciding_rule = f.rule;
                return;
            }
        const CategoryPolicy& p = rules_.category;
        const Industry* industry = industries_.match(r.industry);
        const int pollution_class = industry ? industry->pollution_class : 0;
        for (const Finding& f : v.findings) {
            const auto e = parse_emission_code(f.code);
            if (e && std::find(p.unfixable_emissions.begin(), p.unfixable_emissions.end(), *e) != p.unfixable_emissions.end() &&
                pollution_class >= p.unfixable_min_class) {
                v.suggested = Category::close;
                v.deciding_rule = f.rule;
                return;
            }
        }
        if (v.san) {
            const Finding& first = *std::find_if(v.findings.begin(), v.findings.end(),
                                                 [](const Finding& f) { return f.flag == Flag::san; });
            v.deciding_rule = first.rule;
            // Location does not conform: move it if a park admits it, otherwise it has to close.
            v.suggested = accepting_park(r) ? Category::relocate : Category::close;
            return;
        }
        if (v.luan || v.wu) {
            v.suggested = Category::rectify;
            v.deciding_rule = v.findings.front().rule;
        }
    }

    const GeosContext& geos_;
    const ProjectStore& store_;
    const RuleSet& rules_;
    CheckResult& result_;
    const std::vector<ProjectStore::Box>& boxes_;
    const long long read_whole_below_;
    IndustryTable industries_;
    LandUseCodeTable sandiao_, yongdi_;
    std::map<std::string, std::unique_ptr<SpatialLayer>> layers_;
    std::map<std::string, std::vector<const SpatialLayer*>> layers_by_rule_;
    std::vector<Park> parks_;
};

} // namespace

namespace {

using Footprints = std::map<long long, std::vector<unsigned char>>;

// What an enterprise is tested as: its footprint when there is one (findings weighted by area),
// else its point, else nothing (spatial rules skipped).
GeosGeometryPtr make_subject(const GeosContext& geos, GEOSWKBReader* reader, const LedgerRecord& r,
                             const Footprints& footprints) {
    if (auto it = footprints.find(r.id); it != footprints.end())
        return geos_own(geos, GEOSWKBReader_read_r(geos.get(), reader, it->second.data(), it->second.size()));
    if (r.x && r.y) return geos_own(geos, GEOSGeom_createPointFromXY_r(geos.get(), *r.x, *r.y));
    return {};
}

ProjectStore::Box envelope_of(const GeosContext& geos, const GEOSGeometry* g) {
    ProjectStore::Box b{};
    GEOSGeom_getXMin_r(geos.get(), g, &b.minx);
    GEOSGeom_getYMin_r(geos.get(), g, &b.miny);
    GEOSGeom_getXMax_r(geos.get(), g, &b.maxx);
    GEOSGeom_getYMax_r(geos.get(), g, &b.maxy);
    return b;
}

// Checks the enterprises ledger[members[k]] with its own GEOS context, subjects and layers, read
// through `store` near those enterprises only. Parts run on separate threads share no GEOS object
// (GEOS caches derived data lazily inside geometries and prepared geometries) and no connection.
// `progress` is reported to by the first part only; every part watches for cancellation.
// A part's GEOS objects kept beyond the check (ConformityOptions::keep_geometry), destroyed
// before the context they were made with.
struct KeptGeometry {
    std::unique_ptr<GeosContext> geos;
    std::vector<GeosGeometryPtr> subjects;
    std::map<std::string, std::unique_ptr<SpatialLayer>> layers;
    ~KeptGeometry() {
        layers.clear();
        subjects.clear();
    }
};

void check_part(const ProjectStore& store, const RuleSet& rules, const std::vector<LedgerRecord>& ledger,
                const Footprints& footprints, const std::vector<std::size_t>& members, const ConformityOptions& options,
                CheckResult& part, std::vector<Verdict>& verdicts, Progress& progress, bool reports,
                std::shared_ptr<KeptGeometry>& kept) {
    PhaseClock clock;
    auto lap = [&](const char* phase) { clock.lap(part.timings, phase); };
    auto geos_owner = std::make_unique<GeosContext>();
    const GeosContext& geos = *geos_owner;
    std::vector<GeosGeometryPtr> subjects;
    std::map<std::string, std::unique_ptr<SpatialLayer>> layers;
    {
        GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
        std::vector<ProjectStore::Box> boxes;
        subjects.reserve(members.size());
        for (std::size_t i : members) {
            subjects.push_back(make_subject(geos, reader.get(), ledger[i], footprints));
            if (subjects.back()) boxes.push_back(envelope_of(geos, subjects.back().get()));
        }
        if (reports) progress.report(0.05, N_("读取图层"));
        Engine engine(geos, store, rules, part, boxes, options.read_whole_below);
        lap("读取图层 (合计)");
        for (std::size_t k = 0; k < members.size(); ++k) {
            if ((k & 0xff) == 0) {
                if (progress.cancelled()) throw CancelledError();
                if (reports) progress.report(0.2 + 0.8 * double(k) / double(members.size()), N_("检查企业"));
            }
            verdicts[members[k]] = engine.judge(ledger[members[k]], subjects[k].get());
        }
        lap("逐家检查");
        layers = engine.take_layers();
    }
    if (options.keep_geometry) {
        kept = std::make_shared<KeptGeometry>();
        kept->layers = std::move(layers);
        kept->subjects = std::move(subjects);
        kept->geos = std::move(geos_owner);
        return;
    }
    layers.clear();
    subjects.clear();
    lap("释放图层");
}

// Splits the ledger into `parts` groups of about equal size, west to east by the centre of each
// enterprise's point or footprint, so each part reads the features near its own enterprises and
// few are read twice. Enterprises without location go to the first part.
std::vector<std::vector<std::size_t>> split_west_to_east(const std::vector<LedgerRecord>& ledger,
                                                         const Footprints& footprints, std::size_t parts) {
    GeosContext geos;
    GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
    std::vector<std::pair<std::pair<double, double>, std::size_t>> located;
    std::vector<std::vector<std::size_t>> out(parts);
    for (std::size_t i = 0; i < ledger.size(); ++i) {
        const LedgerRecord& r = ledger[i];
        if (footprints.count(r.id)) {
            if (GeosGeometryPtr g = make_subject(geos, reader.get(), r, footprints)) {
                const auto b = envelope_of(geos, g.get());
                located.push_back({{(b.minx + b.maxx) / 2, (b.miny + b.maxy) / 2}, i});
                continue;
            }
        } else if (r.x && r.y) {
            located.push_back({{*r.x, *r.y}, i});
            continue;
        }
        out[0].push_back(i);
    }
    std::sort(located.begin(), located.end());
    for (std::size_t k = 0; k < located.size(); ++k) out[k * parts / located.size()].push_back(located[k].second);
    for (auto& members : out) std::sort(members.begin(), members.end());
    return out;
}

} // namespace

CheckResult run_conformity_check(const ProjectStore& store, const RuleSet& rules, Progress& progress,
                                 const ConformityOptions& options) {
    CheckResult result;
    result.rules_source = rules.source.string();
    result.rules_hash = rules.sha256;
    progress.report(0.0, N_("读取台账"));
    PhaseClock clock;
    const std::vector<LedgerRecord> ledger = store.ledger();
    const Footprints footprints = store.enterprise_footprints();
    std::size_t parts = options.threads;
    if (parts == 0)
        parts = ledger.size() >= kParallelFrom ? std::max(1u, std::thread::hardware_concurrency()) : 1;
    parts = std::max<std::size_t>(1, std::min(parts, ledger.size()));
    std::vector<std::vector<std::size_t>> members;
    if (parts == 1) {
        members.emplace_back(ledger.size());
        for (std::size_t i = 0; i < ledger.size(); ++i) members[0][i] = i;
    } else {
        members = split_west_to_east(ledger, footprints, parts);
    }
    clock.lap(result.timings, N_("读取台账"));

    result.verdicts.resize(ledger.size());
    std::vector<CheckResult> part_results(parts);
    std::vector<std::exception_ptr> errors(parts);
    std::vector<std::shared_ptr<KeptGeometry>> kept(parts);
    std::vector<std::thread> threads;
    for (std::size_t p = 1; p < parts; ++p)
        threads.emplace_back([&, p] {
            try {
                const ProjectStore reader = store.open_reader();
                check_part(reader, rules, ledger, footprints, members[p], options, part_results[p], result.verdicts, progress,
                           false, kept[p]);
            } catch (...) {
                errors[p] = std::current_exception();
                progress.cancel();  // stop the other parts early
            }
        });
    try {
        check_part(store, rules, ledger, footprints, members[0], options, part_results[0], result.verdicts, progress, true,
                   kept[0]);
    } catch (...) {
        errors[0] = std::current_exception();
        progress.cancel();
    }
    PhaseClock wait_clock;
    for (auto& t : threads) t.join();
    // The first error that is not the cancellation another part's error caused.
    for (const auto& e : errors)
        if (e) try {
                std::rethrow_exception(e);
            } catch (const CancelledError&) {
            } catch (...) {
                throw;
            }
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    if (options.keep_geometry) result.kept_geometry = std::make_shared<decltype(kept)>(std::move(kept));
    // Every part reads the same layer list: the rules not evaluated are the first part's.
    result.not_evaluated = std::move(part_results[0].not_evaluated);
    for (auto& t : part_results[0].timings) result.timings.push_back(std::move(t));
    if (parts > 1) {
        wait_clock.lap(result.timings, "等待其他线程");
        for (std::size_t p = 1; p < parts; ++p)
            for (auto& t : part_results[p].timings) {
                t.phase = "[线程 " + std::to_string(p + 1) + "] " + t.phase;
                result.timings.push_back(std::move(t));
            }
    }
    progress.report(1.0, N_("检查完成"));
    return result;
}

} // namespace qingling
