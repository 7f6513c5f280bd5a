// 搬迁选址 on a constructed project where each constraint excludes exactly one parcel
// (tests/data/relocation/README.md), the assignment against greedy and brute force, and the demo.
#include "core/conformity.hpp"
#include "core/demo_project.hpp"
#include "core/geos_handles.hpp"
#include "core/layer_import.hpp"
#include "core/relocation.hpp"
#include "core/errors.hpp"
#include "core/landuse_codes.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

using namespace qingling;

namespace {

constexpr double X0 = 600000, Y0 = 3400000;

const SiteCandidate* candidate(const RelocationEntry& e, const std::string& label) {
    for (const auto& c : e.candidates)
        if (c.label == label) return &c;
    return nullptr;
}

class RelocationTest : public ::testing::Test {
protected:
    void SetUp() override {
        SilentProgress progress;
        for (auto [file, role] : {std::pair{"park", "industrial_park"}, {"parcels", "park_parcel"},
                                  {"farmland", "farmland"}, {"sensitive", "sensitive"}}) {
            LayerImportOptions o;
            o.source = test::test_data() / "relocation" / (std::string(file) + ".geojson");
            o.role = role;
            import_layer(store, o, progress);
        }
        WriteTransaction tx(store);
        auto add = [&](const char* name, const char* industry, double x, double y,
                       std::vector<std::pair<std::string, std::string>> extra = {}) {
            LedgerRecord r;
            r.name = name;
            r.industry = industry;
            r.x = X0 + x;
            r.y = Y0 + y;
            r.extra = std::move(extra);
            return ids[name] = store.add_enterprise(tx, r);
        };
        store.confirm(tx, add("甲五金厂", "五金加工", -300, 250), Category::relocate, "", 0, std::nullopt);
        store.confirm(tx, add("乙塑料厂", "塑料加工", -300, 100), Category::relocate, "", 0, std::nullopt);
        store.confirm(tx, add("丙五金厂", "五金加工", 330, 220), Category::rectify, "", 0, std::nullopt);
        store.confirm(tx, add("丁五金厂", "五金加工", -300, 400, {{"用地需求(m²)", "5000"}}), Category::relocate, "", 0,
                      std::nullopt);
        // 丙's footprint covers two thirds of parcel QY-8.
        GeosContext geos;
        GeosGeometryPtr g = geos_own(geos, GEOSGeomFromWKT_r(geos.get(),
                                                             "MULTIPOLYGON(((600300 3400200,600360 3400200,600360 3400240,"
                                                             "600300 3400240,600300 3400200)))"));
        std::size_t size = 0;
        unsigned char* wkb = GEOSGeomToWKB_buf_r(geos.get(), g.get(), &size);
        store.set_footprint(tx, ids["丙五金厂"], wkb, size);
        GEOSFree_r(geos.get(), wkb);
        const auto parcels = store.find_layer("parcels");
        for (const auto& [fid, dkbh] : store.column_values(*parcels, "DKBH"))
            if (dkbh == "YD-10") reserved_fid = fid;
        store.reserve_site(tx, "parcels", reserved_fid, ids["乙塑料厂"], "测试");
        tx.commit();
        rules = load_rule_set(default_rule_file());
    }

    RelocationReport find(bool allocate) {
        RelocationOptions o;
        o.allocate = allocate;
        SilentProgress progress;
        return find_relocation_sites(store, rules, o, progress);
    }
    static const RelocationEntry& entry(const RelocationReport& r, const std::string& name) {
        for (const auto& e : r.entries)
            if (e.name == name) return e;
        throw std::runtime_error("no entry " + name);
    }

    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "p.qingling", {});
    RuleSet rules;
    std::map<std::string, long long> ids;
    long long reserved_fid = 0;
};

} // namespace

TEST_F(RelocationTest, OnlyConfirmedRelocationsAreListed) {
    const auto r = find(false);
    std::set<std::string> names;
    for (const auto& e : r.entries) names.insert(e.name);
    EXPECT_EQ(names, (std::set<std::string>{"甲五金厂", "乙塑料厂", "丁五金厂"}));
    EXPECT_EQ(entry(r, "甲五金厂").basis, "甄别确认");
}

// Each constraint removes exactly one parcel (two for the park): the funnel shows it.
TEST_F(RelocationTest, EachConstraintExcludesItsParcel) {
    const auto r = find(false);
    const auto& e = entry(r, "甲五金厂");
    EXPECT_EQ(e.pollution_class, 2);
    EXPECT_DOUBLE_EQ(e.need_m2, 2000);
    ASSERT_EQ(e.candidates.size(), 1u);
    EXPECT_EQ(e.candidates[0].label, "OK-1");
    const std::vector<std::pair<std::string, int>> expected = {
        {"园区规划地块", 11}, {"工业用地等级", 10}, {"已占用", 9}, {"已预留", 8}, {"园区准入", 6}, {"地块面积", 5},
        {"永久基本农田/生态保护红线/水源保护区", 4}, {"现有企业占地", 3}, {"敏感点防护距离", 2}, {"地块形状", 1}};
    EXPECT_EQ(e.funnel, expected);
    for (const char* excluded : {"ZY-2", "YL-3", "NT-4", "XI-5", "ZH-6", "XX-7", "QY-8", "YQ-9", "YD-10", "YW-11"})
        EXPECT_FALSE(candidate(e, excluded)) << excluded;
    const SiteCandidate& c = e.candidates[0];
    EXPECT_EQ(c.park, "测试园");
    EXPECT_EQ(c.site_class, 2);
    EXPECT_NEAR(c.area_m2, 3600, 1e-6);
    EXPECT_NEAR(c.distance_m, std::hypot(300.0, 250.0 - 60.0), 1e-6);
    EXPECT_GE(c.inscribed_radius_m, 29);
    EXPECT_NEAR(c.score, 100 * (0.4 * c.s_distance + 0.3 * c.s_area + 0.1 * c.s_class + 0.2 * c.s_vacancy), 1e-9);
    EXPECT_NEAR(c.s_area, 2000.0 / 3600.0, 1e-9);
    EXPECT_FALSE(c.reasons.empty());
    EXPECT_NE(c.reasons[0].find("距现址"), std::string::npos) << c.reasons[0];
}

// The setback depends on the industry: 塑料加工 keeps 200 m, so XX-7 is still out, and its own
// reserved parcel YD-10 is a candidate for it.
TEST_F(RelocationTest, OwnReservationStaysACandidateAndIsAllocated) {
    const auto r = find(true);
    const auto& e = entry(r, "乙塑料厂");
    EXPECT_TRUE(candidate(e, "YD-10"));
    EXPECT_TRUE(candidate(e, "OK-1"));
    EXPECT_FALSE(candidate(e, "XX-7"));
    ASSERT_TRUE(e.allocated);
    EXPECT_TRUE(e.reserved);
    EXPECT_EQ(e.allocated->label, "YD-10");
    const auto& a = entry(r, "甲五金厂");
    ASSERT_TRUE(a.allocated);
    EXPECT_EQ(a.allocated->label, "OK-1");
}

// For the viewer's map: the candidate's usable piece, and around the enterprise what each
// constraint removed (README: farmland on NT-4, the school's 100 m setback over XX-7, 丙's
// footprint on QY-8, occupied ZY-2; YD-10 lies outside 甲's box and is 乙's own reservation).
TEST_F(RelocationTest, GeometryForTheMap) {
    RelocationOptions o;
    o.with_geometry = true;
    SilentProgress progress;
    const auto r = find_relocation_sites(store, rules, o, progress);
    GeosContext geos;
    auto area = [&](const std::vector<unsigned char>& wkb) {
        GeosGeometryPtr g = geos_own(geos, GEOSGeomFromWKB_buf_r(geos.get(), wkb.data(), wkb.size()));
        double a = 0;
        if (g) GEOSArea_r(geos.get(), g.get(), &a);
        return a;
    };
    auto covers = [&](const std::vector<unsigned char>& wkb, double x, double y) {
        GeosGeometryPtr g = geos_own(geos, GEOSGeomFromWKB_buf_r(geos.get(), wkb.data(), wkb.size()));
        GeosGeometryPtr p = geos_own(geos, GEOSGeom_createPointFromXY_r(geos.get(), X0 + x, Y0 + y));
        return GEOSCovers_r(geos.get(), g.get(), p.get()) == 1;
    };
    const auto& e = entry(r, "甲五金厂");
    ASSERT_EQ(e.candidates.size(), 1u);
    EXPECT_NEAR(area(e.candidates[0].piece_wkb), 3600, 1e-6);
    EXPECT_FALSE(e.site_wkb.empty());
    EXPECT_DOUBLE_EQ(e.setback_m, 100);
    // Site (-300, 250) and OK-1 (0..60 × 0..60), grown by 300 m.
    EXPECT_DOUBLE_EQ(e.region[0], X0 - 600);
    EXPECT_DOUBLE_EQ(e.region[1], Y0 - 300);
    EXPECT_DOUBLE_EQ(e.region[2], X0 + 360);
    EXPECT_DOUBLE_EQ(e.region[3], Y0 + 550);
    std::map<std::string, const EliminatedArea*> by_kind;
    for (const auto& a : e.eliminated) by_kind[a.kind] = &a;
    ASSERT_EQ(by_kind.size(), 5u);
    EXPECT_NEAR(area(by_kind["zone"]->wkb), 60 * 40, 1e-6);
    EXPECT_NE(by_kind["zone"]->label.find("永久基本农田"), std::string::npos) << by_kind["zone"]->label;
    // The school's 100 m circle (16 segments a quarter: within 0.5 % of π·100²).
    EXPECT_NEAR(area(by_kind["setback"]->wkb), 3.14159265 * 100 * 100, 0.005 * 3.14159265 * 100 * 100);
    EXPECT_TRUE(covers(by_kind["setback"]->wkb, 20, 200));
    EXPECT_FALSE(covers(by_kind["setback"]->wkb, 20, 150));
    EXPECT_EQ(by_kind["setback"]->label, "敏感点防护距离 100 米");
    EXPECT_NEAR(area(by_kind["footprint"]->wkb), 60 * 40, 1e-6);
    EXPECT_NEAR(area(by_kind["occupied"]->wkb), 60 * 60, 1e-6);
    EXPECT_TRUE(covers(by_kind["occupied"]->wkb, 130, 30));
    EXPECT_TRUE(by_kind["reserved"]->wkb.empty());
    EXPECT_EQ(by_kind["reserved"]->features, 0);
    // 乙 keeps 200 m and holds YD-10: its box reaches YD-10, which is not shown as reserved for another.
    const auto& b = entry(r, "乙塑料厂");
    EXPECT_DOUBLE_EQ(b.setback_m, 200);
    for (const auto& a : b.eliminated)
        if (a.kind == "reserved") EXPECT_TRUE(a.wkb.empty());
    // Without the option, no geometry (the CLI's reports).
    EXPECT_TRUE(find(false).entries.front().eliminated.empty());
    EXPECT_TRUE(find(false).entries.front().candidates.front().piece_wkb.empty());
}

TEST_F(RelocationTest, NoSiteNamesTheLastConstraint) {
    const auto r = find(true);
    const auto& e = entry(r, "丁五金厂");
    EXPECT_DOUBLE_EQ(e.need_m2, 5000);
    EXPECT_TRUE(e.candidates.empty());
    EXPECT_FALSE(e.allocated);
    EXPECT_NE(e.reason.find("「地块面积」"), std::string::npos) << e.reason;
}

TEST_F(RelocationTest, ReasonsShowInTheUiLanguageAndKeepTheirChinese) {
    const auto r = find(true);
    std::size_t candidates = 0;
    for (const auto& e : r.entries) {
        // The Chinese that reports and JSON keep is what the phrases say in Chinese.
        std::string reason;
        for (const Phrase& part : e.reason_phrases) reason += part.zh();
        EXPECT_EQ(reason, e.reason) << e.name;
        for (const SiteCandidate& c : e.candidates) {
            ++candidates;
            ASSERT_EQ(c.reason_phrases.size(), c.reasons.size()) << e.name;
            for (std::size_t i = 0; i < c.reasons.size(); ++i) EXPECT_EQ(c.reason_phrases[i].zh(), c.reasons[i]);
        }
    }
    ASSERT_GT(candidates, 0u);
    std::string why;
    ASSERT_TRUE(set_ui_language(UiLanguage::en, &why)) << why;
    const auto& no_site = entry(r, "丁五金厂");
    std::string shown;
    for (const Phrase& part : no_site.reason_phrases) shown += part.shown();
    set_ui_language(UiLanguage::zh);
    EXPECT_NE(shown.find("No candidate site: \u201cparcel area\u201d eliminated the last"), std::string::npos) << shown;
    EXPECT_NE(shown.find("m² needed)"), std::string::npos) << shown;
    // Chinese again: the same phrases give the stored text.
    std::string again;
    for (const Phrase& part : no_site.reason_phrases) again += part.shown();
    EXPECT_EQ(again, no_site.reason);
}

TEST_F(RelocationTest, ReservationsAreStoredAndReleased) {
    EXPECT_THROW(
        {
            WriteTransaction tx(store);
            store.reserve_site(tx, "parcels", reserved_fid, ids["甲五金厂"]);
        },
        UsageError);
    {
        WriteTransaction tx(store);
        store.release_site(tx, ids["乙塑料厂"]);
        tx.commit();
    }
    EXPECT_TRUE(store.site_reservations().empty());
    ASSERT_EQ(store.site_reservations(false).size(), 1u);
    EXPECT_FALSE(store.site_reservations(false)[0].released_at.empty());
    const auto r = find(false);
    EXPECT_TRUE(candidate(entry(r, "甲五金厂"), "YD-10")) << "released: a candidate again";
}

// The contract of issue 6: {"enterprise_id", "name", "candidates": [{"site_id", "park", "class",
// "area_m2", "distance_m", "score", "reasons"}], "allocated": {"site_id", ...} or null, "reason"}.
TEST_F(RelocationTest, JsonContract) {
    const auto j = nlohmann::json::parse(relocation_to_json(find(true)));
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 3u);
    std::map<std::string, nlohmann::json> by_name;
    for (const auto& e : j) {
        ASSERT_TRUE(e["enterprise_id"].is_number_integer());
        ASSERT_TRUE(e["name"].is_string());
        ASSERT_TRUE(e["candidates"].is_array());
        ASSERT_TRUE(e["allocated"].is_null() || e["allocated"].is_object());
        ASSERT_TRUE(e["reason"].is_null() || e["reason"].is_string());
        for (const auto& c : e["candidates"]) {
            EXPECT_TRUE(c["site_id"].is_string());
            EXPECT_TRUE(c["park"].is_string());
            EXPECT_TRUE(c["class"].is_number_integer());
            EXPECT_TRUE(c["area_m2"].is_number());
            EXPECT_TRUE(c["distance_m"].is_number());  // every enterprise here has a location
            EXPECT_TRUE(c["score"].is_number());
            ASSERT_TRUE(c["reasons"].is_array());
            for (const auto& r : c["reasons"]) EXPECT_TRUE(r.is_string());
        }
        by_name[e["name"].get<std::string>()] = e;
    }
    const auto& a = by_name.at("甲五金厂");
    EXPECT_EQ(a["enterprise_id"], ids["甲五金厂"]);
    ASSERT_EQ(a["candidates"].size(), 1u);
    EXPECT_EQ(a["candidates"][0]["site_id"].get<std::string>().rfind("parcels#", 0), 0u);
    EXPECT_EQ(a["candidates"][0]["park"], "测试园");
    EXPECT_EQ(a["candidates"][0]["class"], 2);
    EXPECT_DOUBLE_EQ(a["candidates"][0]["area_m2"].get<double>(), 3600);
    EXPECT_EQ(a["allocated"]["site_id"], a["candidates"][0]["site_id"]);
    EXPECT_TRUE(a["reason"].is_null());
    const auto& d = by_name.at("丁五金厂");
    EXPECT_TRUE(d["candidates"].empty());
    EXPECT_TRUE(d["allocated"].is_null());
    EXPECT_NE(d["reason"].get<std::string>().find("地块面积"), std::string::npos);
}

namespace {
// RFC 4180 lines of a CSV text (quotes, doubled quotes, CRLF).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += '"', ++i;
            else if (c == '"') quoted = false;
            else rows.back().back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().emplace_back();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.emplace_back(1);
            ++i;
        } else {
            rows.back().back() += c;
        }
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
    return rows;
}
} // namespace

TEST_F(RelocationTest, CsvHasChineseHeadersAndARowPerCandidate) {
    const std::string text = relocation_to_csv(find(true));
    ASSERT_EQ(text.rfind("\xEF\xBB\xBF", 0), 0u) << "BOM for Excel";
    const auto rows = parse_csv(text.substr(3));
    ASSERT_FALSE(rows.empty());
    const std::vector<std::string> headers = {"企业编号", "企业名称", "行业", "污染类别", "需用地(m²)", "依据",
                                              "候选地块数", "名次", "地块编号", "地块", "园区", "用地类别",
                                              "可用面积(m²)", "距现址(m)", "得分", "理由", "分配地块", "无用地原因"};
    EXPECT_EQ(rows[0], headers);
    std::map<std::string, std::vector<std::vector<std::string>>> by_name;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), headers.size()) << "row " << i;
        by_name[rows[i][1]].push_back(rows[i]);
    }
    const auto r = find(true);
    for (const auto& e : r.entries) {
        const auto& mine = by_name[e.name];
        ASSERT_EQ(mine.size(), std::max<std::size_t>(1, e.candidates.size())) << e.name;
        for (std::size_t k = 0; k < e.candidates.size(); ++k) {
            EXPECT_EQ(mine[k][7], std::to_string(k + 1));
            EXPECT_EQ(mine[k][9], e.candidates[k].label);
        }
    }
    const auto& a = by_name["甲五金厂"][0];
    EXPECT_EQ(a[9], "OK-1");
    EXPECT_EQ(a[10], "测试园");
    EXPECT_EQ(a[12], "3600");
    EXPECT_NE(a[15].find("距现址"), std::string::npos);
    EXPECT_EQ(a[16].rfind("OK-1（", 0), 0u) << a[16];
    const auto& d = by_name["丁五金厂"][0];
    EXPECT_EQ(d[7], "");
    EXPECT_NE(d[17].find("「地块面积」"), std::string::npos) << d[17];
}

// 城镇开发边界 (issue 6: "inside an industrial park or 城镇开发边界"): YW-11, outside every park,
// becomes a candidate once a boundary covers it, with no park admission list; YQ-9 lies inside the
// same boundary but in 一类园, whose rules (class 1 only) still exclude it.
TEST_F(RelocationTest, UrbanBoundaryAddsParcelsOutsideParks) {
    SilentProgress progress;
    LayerImportOptions o;
    o.source = test::test_data() / "relocation" / "urban_boundary.geojson";
    o.role = "urban_boundary";
    import_layer(store, o, progress);
    const auto r = find(false);
    const auto& e = entry(r, "甲五金厂");
    ASSERT_EQ(e.candidates.size(), 2u);
    const SiteCandidate* c = candidate(e, "YW-11");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->park, "城镇开发边界（园区外）");
    EXPECT_NEAR(c->area_m2, 3600, 1e-6);
    EXPECT_TRUE(std::any_of(c->reasons.begin(), c->reasons.end(),
                            [](const std::string& s) { return s.find("城镇开发边界内") != std::string::npos; }));
    EXPECT_TRUE(candidate(e, "OK-1"));
    EXPECT_FALSE(candidate(e, "YQ-9"));
    EXPECT_EQ(e.funnel[4], (std::pair<std::string, int>{"园区准入", 7}));
    EXPECT_EQ(e.funnel[9], (std::pair<std::string, int>{"地块形状", 2}));
    bool listed = false;
    for (const auto& p : r.parks) listed |= p.park == "城镇开发边界（园区外）" && p.parcels == 1;
    EXPECT_TRUE(listed) << "capacity lists the boundary's parcel";
}

// The allocation is not limited to the candidates listed: with one listed each, 甲 and 戊 both
// want OK-1 (the nearer); the assignment still places both (the other gets YW-11).
TEST_F(RelocationTest, ListingFewCandidatesDoesNotLimitTheAllocation) {
    SilentProgress progress;
    LayerImportOptions lo;
    lo.source = test::test_data() / "relocation" / "urban_boundary.geojson";
    lo.role = "urban_boundary";
    import_layer(store, lo, progress);
    {
        WriteTransaction tx(store);
        LedgerRecord r;
        r.name = "戊五金厂";
        r.industry = "五金加工";
        r.x = X0 - 100;
        r.y = Y0 + 30;
        store.confirm(tx, ids["戊五金厂"] = store.add_enterprise(tx, r), Category::relocate, "", 0, std::nullopt);
        tx.commit();
    }
    RelocationOptions o;
    o.allocate = true;
    o.max_candidates = 1;
    o.w_distance = 0.6, o.w_vacancy = 0;  // the boundary's lone parcel is 100% vacant: rank by distance here
    const auto r = find_relocation_sites(store, rules, o, progress);
    const auto& a = entry(r, "甲五金厂");
    const auto& b = entry(r, "戊五金厂");
    ASSERT_EQ(a.candidates.size(), 1u);
    ASSERT_EQ(b.candidates.size(), 1u);
    EXPECT_EQ(a.candidate_count, 2);
    EXPECT_EQ(a.candidates[0].label, "OK-1");
    EXPECT_EQ(b.candidates[0].label, "OK-1");
    ASSERT_TRUE(a.allocated);
    ASSERT_TRUE(b.allocated);
    EXPECT_EQ(std::set<std::string>({a.allocated->label, b.allocated->label}), (std::set<std::string>{"OK-1", "YW-11"}));
    EXPECT_FALSE(a.allocated->reasons.empty()) << "the allocated site carries its reasons even when not listed";
    EXPECT_FALSE(b.allocated->reasons.empty());
}

// Without a park parcel layer: 三调 0601 land inside a park is the candidate land (tests/data/
// relocation/landuse.geojson): A (0601 in 测试园) and E (0601 crossing the park's edge, clipped
// to 40 × 60 m) are candidates; B (0601 outside every park), C (0101 paddy in the park) are not
// industrial land in a park; D (0601 in 一类园, class 1) is too low a class for 五金加工 (class 2).
TEST(RelocationLanduseFallback, SandiaoIndustrialLandInParksWithoutParcels) {
    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "p.qingling", {});
    SilentProgress progress;
    for (auto [file, role] : {std::pair{"park", "industrial_park"}, {"landuse", "landuse"}}) {
        LayerImportOptions o;
        o.source = test::test_data() / "relocation" / (std::string(file) + ".geojson");
        o.role = role;
        o.name = file;
        if (std::string(role) == "landuse") o.code_system = CodeSystem::sandiao;
        import_layer(store, o, progress);
    }
    {
        WriteTransaction tx(store);
        LedgerRecord r;
        r.name = "甲五金厂";
        r.industry = "五金加工";
        r.x = X0 - 300;
        r.y = Y0 + 250;
        store.confirm(tx, store.add_enterprise(tx, r), Category::relocate, "", 0, std::nullopt);
        tx.commit();
    }
    RelocationOptions o;
    o.allocate = true;
    const auto r = find_relocation_sites(store, load_rule_set(default_rule_file()), o, progress);
    ASSERT_EQ(r.entries.size(), 1u);
    const auto& e = r.entries[0];
    std::map<long long, std::string> bsm;
    for (const auto& [fid, v] : store.column_values(*store.find_layer("landuse"), "BSM")) bsm[fid] = v;
    std::map<std::string, const SiteCandidate*> by_bsm;
    for (const auto& c : e.candidates) {
        EXPECT_EQ(c.site_layer, "landuse");
        by_bsm[bsm.at(c.site_fid)] = &c;
    }
    ASSERT_EQ(by_bsm.size(), 2u);
    ASSERT_TRUE(by_bsm.count("A"));
    ASSERT_TRUE(by_bsm.count("E"));
    EXPECT_NEAR(by_bsm["A"]->area_m2, 3600, 1e-6);
    EXPECT_NEAR(by_bsm["E"]->area_m2, 2400, 1e-6);
    for (const auto* c : {by_bsm["A"], by_bsm["E"]}) {
        EXPECT_EQ(c->code, "0601");
        EXPECT_EQ(c->park, "测试园");
        EXPECT_EQ(c->site_class, 3) << "the park's 最高污染类别";
    }
    ASSERT_GE(e.funnel.size(), 2u);
    EXPECT_EQ(e.funnel[0], (std::pair<std::string, int>{"园区内三调工业用地", 3}));
    EXPECT_EQ(e.funnel[1], (std::pair<std::string, int>{"工业用地等级", 2}));
    ASSERT_TRUE(e.allocated);
    EXPECT_TRUE(std::any_of(r.notes.begin(), r.notes.end(),
                            [](const std::string& n) { return n.find("三调 0601") != std::string::npos; }));
}

// Greedy (best score first) gives X to A and leaves B without a site; the assignment places both.
TEST(AssignSites, BeatsGreedyOnTrap) {
    const std::vector<std::vector<std::pair<int, double>>> scores = {{{0, 90}, {1, 80}}, {{0, 85}}};
    EXPECT_EQ(assign_sites(scores, 2), (std::vector<int>{1, 0}));
}

TEST(AssignSites, MatchesBruteForceAndNeverDoubleBooks) {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        const int n = 1 + rng() % 5, m = 1 + rng() % 5;
        std::vector<std::vector<std::pair<int, double>>> scores(n);
        for (auto& row : scores)
            for (int s = 0; s < m; ++s)
                if (rng() % 2) row.emplace_back(s, double(rng() % 10000) / 100);
        const auto got = assign_sites(scores, m);
        std::set<int> used;
        int placed = 0;
        long long total = 0;
        for (int e = 0; e < n; ++e) {
            if (got[e] < 0) continue;
            EXPECT_TRUE(used.insert(got[e]).second) << "site " << got[e] << " booked twice";
            ++placed;
            for (auto [s, v] : scores[e])
                if (s == got[e]) total += std::llround(v * 100);
        }
        // Brute force: most placed, then highest total.
        std::pair<int, long long> best{0, 0};
        std::vector<bool> taken(m);
        std::function<void(int, int, long long)> go = [&](int e, int count, long long sum) {
            if (e == n) {
                best = std::max(best, std::pair{count, sum});
                return;
            }
            go(e + 1, count, sum);
            for (auto [s, v] : scores[e])
                if (!taken[s]) {
                    taken[s] = true;
                    go(e + 1, count + 1, sum + std::llround(v * 100));
                    taken[s] = false;
                }
        };
        go(0, 0, 0);
        EXPECT_EQ(std::pair(placed, total), best) << "round " << round;
    }
}

// On the demo subdistrict every 限期搬迁 enterprise gets candidates or a stated reason, and the
// allocation books no parcel twice.
TEST(RelocationDemo, EveryRelocationHasCandidatesOrAReason) {
    test::TempDir dir;
    SilentProgress progress;
    build_demo_project(dir / "demo.qingling", dir / "sources", progress);
    auto store = ProjectStore::open(dir / "demo.qingling", ProjectStore::Access::read_write);
    const RuleSet rules = load_rule_set(default_rule_file());
    {
        const CheckResult result = run_conformity_check(store, rules, progress);
        WriteTransaction tx(store);
        store.store_check_run(tx, result);
        tx.commit();
    }
    RelocationOptions o;
    o.allocate = true;
    const auto report = find_relocation_sites(store, rules, o, progress);
    ASSERT_FALSE(report.entries.empty());
    std::set<std::string> booked;
    int with_candidates = 0;
    for (const auto& e : report.entries) {
        EXPECT_TRUE(!e.candidates.empty() || !e.reason.empty()) << e.name;
        EXPECT_TRUE(e.allocated || !e.reason.empty()) << e.name;
        with_candidates += !e.candidates.empty();
        if (e.allocated) EXPECT_TRUE(booked.insert(e.allocated->site_id).second) << e.allocated->site_id;
        for (const auto& c : e.candidates) {
            EXPECT_GE(c.area_m2, e.need_m2);
            EXPECT_GE(c.site_class, e.pollution_class);
        }
    }
    EXPECT_GT(with_candidates, 0);
    EXPECT_FALSE(report.parks.empty());

    // The best three (found by scoring in the order of an envelope-distance bound, so most
    // candidates are never measured) are the first three of the full list, which is sorted.
    RelocationOptions all, three;
    all.max_candidates = 0;
    three.max_candidates = 3;
    const auto full = find_relocation_sites(store, rules, all, progress);
    const auto top = find_relocation_sites(store, rules, three, progress);
    ASSERT_EQ(full.entries.size(), report.entries.size());
    ASSERT_EQ(top.entries.size(), report.entries.size());
    for (std::size_t i = 0; i < full.entries.size(); ++i) {
        const auto& listed = top.entries[i];
        const auto& every = full.entries[i];
        ASSERT_EQ(static_cast<int>(every.candidates.size()), every.candidate_count) << every.name;
        EXPECT_EQ(listed.candidate_count, every.candidate_count) << every.name;
        ASSERT_EQ(listed.candidates.size(), std::min<std::size_t>(3, every.candidates.size())) << every.name;
        for (std::size_t k = 0; k < listed.candidates.size(); ++k) {
            EXPECT_EQ(listed.candidates[k].site_id, every.candidates[k].site_id) << every.name << " #" << k;
            EXPECT_DOUBLE_EQ(listed.candidates[k].score, every.candidates[k].score) << every.name << " #" << k;
        }
        for (std::size_t k = 1; k < every.candidates.size(); ++k)
            EXPECT_GE(every.candidates[k - 1].score, every.candidates[k].score) << every.name;
    }
}
