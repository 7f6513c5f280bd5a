// The conformity engine on a tiny project whose every finding can be worked out by hand
// (tests/data/conformity/README.md), with the default rule set layers/rules.toml.
#include "core/conformity.hpp"
#include "core/footprint_link.hpp"
#include "core/layer_import.hpp"
#include "test_support.hpp"

#include <cmath>

using namespace qingling;

namespace {

constexpr double X = 530000, Y = 3386000;

const Finding* find(const Verdict& v, const std::string& rule) {
    for (const auto& f : v.findings)
        if (f.rule == rule) return &f;
    return nullptr;
}

class ConformityTest : public ::testing::Test {
protected:
    void SetUp() override {
        SilentProgress progress;
        for (auto [file, role] : {std::pair{"dltb", "landuse"}, {"planning", "planning"}, {"farmland", "farmland"},
                                  {"park", "industrial_park"}, {"sensitive", "sensitive"}}) {
            LayerImportOptions o;
            o.source = test::test_data() / "conformity" / (std::string(file) + ".geojson");
            o.role = role;
            import_layer(store, o, progress);
        }
        WriteTransaction tx(store);
        auto add = [&](const char* name, const char* industry, std::optional<std::pair<double, double>> at,
                       bool eia = true, Emission gas = Emission::none) {
            LedgerRecord r;
            r.name = name;
            r.industry = industry;
            r.permits[Permit::business_license] = true;
            r.permits[Permit::eia] = eia;
            r.permits[Permit::discharge] = true;
            r.permits[Permit::food] = true;
            r.permits[Permit::safety] = true;
            r.waste_gas = gas;
            if (at) {
                r.x = X + at->first;
                r.y = Y + at->second;
            }
            ids[name] = store.add_enterprise(tx, r);
        };
        add("甲五金厂", "五金加工", std::pair{50.0, 50.0});
        add("乙塑料厂", "塑料加工", std::pair{150.0, 50.0});
        add("丙砖厂", "砖瓦", std::pair{260.0, 50.0});
        add("丁饭店", "餐饮", std::pair{350.0, 50.0});
        add("戊塑料厂", "塑料加工", std::pair{50.0, 150.0}, false, Emission::excess);
        add("己五金厂", "五金加工", std::nullopt);
        add("庚化工厂", "化工", std::pair{360.0, 60.0});
        {
            LedgerRecord r;
            r.name = "辛塑料厂";
            r.industry = "塑料加工";
            r.credit_code = "91110000802100433B";
            r.x = X + 90;
            r.y = Y + 30;
            ids[r.name] = store.add_enterprise(tx, r);
        }
        tx.commit();
        LayerImportOptions o;
        o.source = test::test_data() / "conformity/footprints.geojson";
        o.role = "footprint";
        import_layer(store, o, progress);
        link = link_footprints(store, "footprints", "信用代码", FootprintMatch::credit_code, progress);
        rules = load_rule_set(default_rule_file());
        SilentProgress quiet;
        result = run_conformity_check(store, rules, quiet);
        for (const auto& v : result.verdicts) by_name[v.name] = v;
    }

    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "p.qingling", {});
    RuleSet rules;
    CheckResult result;
    FootprintLinkReport link;
    std::map<std::string, long long> ids;
    std::map<std::string, Verdict> by_name;
};

} // namespace

// 三调 0601 is industrial land, but the 用地用海 planning layer's 0601 over it is a rural road.
TEST_F(ConformityTest, CodeCollisionReadInEachLayersOwnSystem) {
    const Verdict& v = by_name.at("甲五金厂");
    const Finding* f = find(v, "land_class");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->layer, "planning");
    EXPECT_EQ(f->code, "0601");
    EXPECT_EQ(f->code_name, "农村道路");
    int land_class_findings = 0;
    for (const auto& g : v.findings) land_class_findings += g.rule == "land_class";
    EXPECT_EQ(land_class_findings, 1) << "the 三调 0601 patch under it is industrial land: no finding";
    EXPECT_TRUE(v.san);
    EXPECT_EQ(v.suggested, Category::relocate) << "五金加工 (class 2) is admitted by 测试工业园";
}

// 三调 1001 is railway land; the planning layer's 100102 over it is class-2 industrial land.
TEST_F(ConformityTest, RailwayIsNotIndustrial) {
    const Verdict& v = by_name.at("乙塑料厂");
    const Finding* f = find(v, "land_class");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->layer, "dltb");
    EXPECT_EQ(f->code, "1001");
    EXPECT_EQ(f->code_name, "铁路用地");
    EXPECT_EQ(f->feature_id, 2);
    EXPECT_NE(f->explanation.find("铁路用地"), std::string::npos) << f->explanation;
    EXPECT_EQ(v.suggested, Category::relocate);
    EXPECT_EQ(v.deciding_rule, "land_class");
}

TEST_F(ConformityTest, FarmlandIsHardAndDecidesClosure) {
    const Verdict& v = by_name.at("丙砖厂");
    const Finding* farmland = find(v, "farmland");
    ASSERT_TRUE(farmland);
    EXPECT_TRUE(farmland->hard);
    EXPECT_EQ(v.suggested, Category::close);
    EXPECT_EQ(v.deciding_rule, "farmland");
    // Outside the park (its edge is at x = 250) and the project has no urban boundary.
    EXPECT_TRUE(find(v, "layout"));
    // The school is sqrt(90² + 250²) = 265.7 m away; a brickworks needs 500 m.
    const Finding* near = find(v, "sensitive_distance");
    ASSERT_TRUE(near);
    EXPECT_EQ(near->flag, Flag::wu);
    ASSERT_TRUE(near->measure);
    EXPECT_NEAR(*near->measure, std::hypot(90.0, 250.0), 1e-6);
    EXPECT_EQ(near->unit, "m");
    EXPECT_NE(near->explanation.find("测试小学"), std::string::npos) << near->explanation;
}

TEST_F(ConformityTest, NoParkAdmitsMeansClosure) {
    const Verdict& v = by_name.at("庚化工厂");
    const Finding* f = find(v, "land_class");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->code, "05H1");
    EXPECT_EQ(f->code_name, "商业服务业设施用地");
    EXPECT_TRUE(find(v, "layout"));
    EXPECT_EQ(v.suggested, Category::close) << "测试工业园 admits neither 化工 nor class 3";
    EXPECT_EQ(v.deciding_rule, "land_class");
}

// A restaurant on commercial land, 250 m from the school, with its permits: nothing to do.
TEST_F(ConformityTest, ServiceTradeOnCommercialLandConforms) {
    const Verdict& v = by_name.at("丁饭店");
    EXPECT_TRUE(v.findings.empty()) << v.findings.front().explanation;
    EXPECT_FALSE(v.suggested);
}

TEST_F(ConformityTest, FixableProblemsMeanRectification) {
    const Verdict& v = by_name.at("戊塑料厂");
    EXPECT_FALSE(v.san);
    EXPECT_TRUE(v.luan);
    EXPECT_TRUE(v.wu);
    const Finding* permit = find(v, "permits");
    ASSERT_TRUE(permit);
    EXPECT_EQ(permit->code_name, "环评手续");
    // Excess discharge by a class-2 industry can be fixed.
    EXPECT_EQ(v.suggested, Category::rectify);
}

TEST_F(ConformityTest, UnlocatedEnterpriseGetsNoSpatialVerdict) {
    const Verdict& v = by_name.at("己五金厂");
    EXPECT_FALSE(v.located);
    EXPECT_TRUE(v.findings.empty());
    EXPECT_FALSE(v.suggested);
}

TEST_F(ConformityTest, MissingLayersAreNotEvaluatedNotViolations) {
    std::set<std::string> not_evaluated;
    for (const auto& [rule, why] : result.not_evaluated) not_evaluated.insert(rule);
    EXPECT_TRUE(not_evaluated.count("eco_redline"));
    EXPECT_TRUE(not_evaluated.count("water_protection"));
    for (const auto& [name, v] : by_name) {
        EXPECT_FALSE(find(v, "eco_redline")) << name;
        EXPECT_FALSE(find(v, "water_protection")) << name;
    }
    EXPECT_EQ(result.rules_hash, rules.sha256);
    EXPECT_EQ(result.verdicts.size(), 8u);
}

// Two sheds merged into one footprint, 60 % on industrial 三调 land and 40 % on the railway.
TEST_F(ConformityTest, FootprintSharesWeighTheLandClasses) {
    EXPECT_EQ(link.features, 3);
    EXPECT_EQ(link.enterprises_linked, 1);
    ASSERT_EQ(link.problems.size(), 1u);
    EXPECT_NE(link.problems[0].find("91310000000000000X"), std::string::npos) << link.problems[0];
    const auto footprints = store.enterprise_footprints();
    ASSERT_EQ(footprints.count(ids.at("辛塑料厂")), 1u);

    const Verdict& v = by_name.at("辛塑料厂");
    std::map<std::string, const Finding*> by_layer;
    for (const auto& f : v.findings)
        if (f.rule == "land_class") by_layer[f.layer] = &f;
    ASSERT_EQ(by_layer.size(), 2u);
    const Finding* sandiao = by_layer.at("dltb");
    EXPECT_EQ(sandiao->code, "1001");
    EXPECT_EQ(sandiao->unit, "share");
    ASSERT_TRUE(sandiao->measure);
    EXPECT_NEAR(*sandiao->measure, 0.4, 1e-9);
    EXPECT_NE(sandiao->explanation.find("占 40%"), std::string::npos) << sandiao->explanation;
    const Finding* planning = by_layer.at("planning");
    EXPECT_EQ(planning->code, "0601");
    EXPECT_NEAR(*planning->measure, 0.6, 1e-9);
    // The point alone (x 90, on the 0601 patches) would have found only the planning road.
}
