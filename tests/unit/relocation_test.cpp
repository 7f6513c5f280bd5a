// 搬迁选址 on a constructed project where each constraint excludes exactly one parcel
// (tests/data/relocation/README.md), the assignment against greedy and brute force, and the demo.
#include "core/conformity.hpp"
#include "core/demo_project.hpp"
#include "core/geos_handles.hpp"
#include "core/layer_import.hpp"
#include "core/relocation.hpp"
#include "core/errors.hpp"
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

TEST_F(RelocationTest, NoSiteNamesTheLastConstraint) {
    const auto r = find(true);
    const auto& e = entry(r, "丁五金厂");
    EXPECT_DOUBLE_EQ(e.need_m2, 5000);
    EXPECT_TRUE(e.candidates.empty());
    EXPECT_FALSE(e.allocated);
    EXPECT_NE(e.reason.find("「地块面积」"), std::string::npos) << e.reason;
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

TEST_F(RelocationTest, JsonContract) {
    const auto j = nlohmann::json::parse(relocation_to_json(find(true), 10));
    ASSERT_TRUE(j.is_array());
    for (const auto& e : j) {
        for (const char* key : {"enterprise_id", "name", "candidates", "allocated", "reason"}) EXPECT_TRUE(e.contains(key)) << key;
        for (const auto& c : e["candidates"])
            for (const char* key : {"site_id", "park", "class", "area_m2", "distance_m", "score", "reasons"})
                EXPECT_TRUE(c.contains(key)) << key;
    }
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
}
