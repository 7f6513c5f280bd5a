// The rule file: the default layers/rules.toml and the validation of bad files.

#include "core/errors.hpp"
#include "core/rule_set.hpp"

#include "test_support.hpp"

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

namespace qingling {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

// The message of the InputError that loading `text` (written to dir/name) gives; fails the test
// when loading succeeds or throws something else.
std::string load_error(const TempDir& dir, const std::string& name, const std::string& text) {
    const fs::path file = dir / name;
    write_all(file, text);
    try {
        load_rule_set(file);
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "loading " << name << " did not throw InputError";
    return {};
}

const std::string kMeta = "[meta]\nname = \"test\"\nversion = 1\n\n";

TEST(RuleSet, DefaultFileIsInLayersDir) {
    EXPECT_EQ(default_rule_file().filename(), "rules.toml");
    EXPECT_TRUE(fs::exists(default_rule_file())) << default_rule_file();
}

TEST(RuleSet, DefaultFileHasItsRules) {
    const RuleSet rs = load_rule_set(default_rule_file());
    EXPECT_EQ(rs.source, default_rule_file());
    EXPECT_FALSE(rs.name.empty());

    struct Expect {
        const char* id;
        RuleType type;
        std::vector<Flag> flags;
        bool hard;
    };
    const Expect expected[] = {
        {"farmland", RuleType::zone, {Flag::san}, true},
        {"eco_redline", RuleType::zone, {Flag::san}, true},
        {"water_protection", RuleType::zone, {Flag::san, Flag::wu}, true},
        {"land_class", RuleType::land_class, {Flag::san}, false},
        {"land_class_service", RuleType::land_class, {Flag::san}, false},
        {"land_class_livestock", RuleType::land_class, {Flag::san}, false},
        {"layout", RuleType::outside_all, {Flag::san}, false},
        {"sensitive_distance", RuleType::proximity, {Flag::wu}, false},
        {"permits", RuleType::permits, {Flag::luan}, false},
        {"discharge", RuleType::emission, {Flag::wu}, false},
        {"solid_waste_ledger", RuleType::solid_waste_ledger, {Flag::wu}, false},
    };
    ASSERT_EQ(rs.rules.size(), std::size(expected));
    // Service trades are judged by their own land-class rule and not by the industrial layout.
    EXPECT_FALSE(rs.find("land_class")->applies_to("餐饮"));
    EXPECT_TRUE(rs.find("land_class")->applies_to("砖瓦"));
    EXPECT_TRUE(rs.find("land_class_service")->applies_to("加油站"));
    EXPECT_FALSE(rs.find("land_class_service")->applies_to("化工"));
    EXPECT_FALSE(rs.find("layout")->applies_to("农家乐"));
    for (const auto& e : expected) {
        const Rule* r = rs.find(e.id);
        ASSERT_NE(r, nullptr) << e.id;
        EXPECT_EQ(r->type, e.type) << e.id;
        EXPECT_EQ(r->flags, e.flags) << e.id;
        EXPECT_EQ(r->hard, e.hard) << e.id;
        EXPECT_FALSE(r->explanation.empty()) << e.id;
        EXPECT_EQ(r->explanation.find('\n'), std::string::npos) << e.id;
    }
    EXPECT_EQ(rs.find("no_such_rule"), nullptr);

    EXPECT_EQ(rs.find("farmland")->roles, std::vector<std::string>{"farmland"});
    EXPECT_EQ(rs.find("eco_redline")->roles, std::vector<std::string>{"eco_redline"});
    EXPECT_EQ(rs.find("water_protection")->roles, std::vector<std::string>{"water_protection"});
    EXPECT_EQ(rs.find("water_protection")->name_field, "JB");
    EXPECT_EQ(rs.find("layout")->roles, (std::vector<std::string>{"industrial_park", "urban_boundary"}));

    const Rule& lc = *rs.find("land_class");
    EXPECT_EQ(lc.roles, (std::vector<std::string>{"landuse", "planning"}));
    EXPECT_EQ(lc.sandiao_allowed, (std::vector<std::string>{"0601", "0602", "0508"}));
    EXPECT_EQ(lc.yongdi_allowed, (std::vector<std::string>{"1001", "1101"}));
    EXPECT_NE(lc.explanation.find("{code}"), std::string::npos);
}

TEST(RuleSet, DefaultDistancesByIndustry) {
    const RuleSet rs = load_rule_set(default_rule_file());
    const Rule& r = *rs.find("sensitive_distance");
    EXPECT_EQ(r.roles, std::vector<std::string>{"sensitive"});
    EXPECT_EQ(r.name_field, "MC");
    EXPECT_DOUBLE_EQ(r.default_distance, 100);
    const std::map<std::string, double> expected = {
        {"砖瓦", 500},     {"屠宰", 300},   {"畜禽养殖", 300}, {"化工", 500},     {"家具制造", 300}, {"木材加工", 200},
        {"洗染", 200},     {"燃煤锅炉", 300}, {"塑料加工", 200}, {"小酒坊", 100}, {"食品加工", 50},   {"餐饮", 50}};
    EXPECT_EQ(r.distance_by_industry, expected);
}

TEST(RuleSet, DefaultPermitTables) {
    const RuleSet rs = load_rule_set(default_rule_file());
    const Rule& r = *rs.find("permits");
    EXPECT_EQ(r.required, (std::vector<Permit>{Permit::business_license, Permit::eia}));
    const std::map<std::string, std::vector<Permit>> expected = {
        {"食品加工", {Permit::food}},
        {"小酒坊", {Permit::food}},
        {"化工", {Permit::discharge, Permit::safety}},
        {"洗染", {Permit::discharge}},
        {"砖瓦", {Permit::discharge}},
        {"燃煤锅炉", {Permit::discharge}},
        {"屠宰", {Permit::discharge}},
        {"加油站", {Permit::safety, Permit::discharge}},
    };
    EXPECT_EQ(r.required_by_industry, expected);

    EXPECT_EQ(rs.find("discharge")->counted, (std::vector<Emission>{Emission::untreated, Emission::excess}));
}

TEST(RuleSet, DefaultCategoryPolicy) {
    const RuleSet rs = load_rule_set(default_rule_file());
    EXPECT_EQ(rs.category.unfixable_emissions, std::vector<Emission>{Emission::excess});
    EXPECT_EQ(rs.category.unfixable_min_class, 3);
    EXPECT_EQ(rs.category.park_role, "industrial_park");
    EXPECT_EQ(rs.category.park_name_field, "MC");
    EXPECT_EQ(rs.category.park_industries_field, "准入行业");
    EXPECT_EQ(rs.category.park_max_class_field, "最高污染类别");
}

TEST(RuleSet, Sha256IsStableAndFollowsTheBytes) {
    const RuleSet a = load_rule_set(default_rule_file());
    const RuleSet b = load_rule_set(default_rule_file());
    EXPECT_TRUE(std::regex_match(a.sha256, std::regex("[0-9a-f]{64}"))) << a.sha256;
    EXPECT_EQ(a.sha256, b.sha256);

    TempDir dir;
    std::string text = read_all(default_rule_file());
    write_all(dir / "copy.toml", text);
    EXPECT_EQ(load_rule_set(dir / "copy.toml").sha256, a.sha256);
    // One byte more (a space at the end) changes the hash but not the rules.
    write_all(dir / "changed.toml", text + " ");
    const RuleSet c = load_rule_set(dir / "changed.toml");
    EXPECT_NE(c.sha256, a.sha256);
    EXPECT_EQ(c.rules.size(), a.rules.size());
}

TEST(RuleSet, Sha256OfKnownBytes) {
    TempDir dir;
    // Expected value from `sha256sum` of the same bytes.
    write_all(dir / "r.toml", "[meta]\nversion = 1\n\n[[rule]]\nid = \"d\"\ntype = \"emission\"\nflags = [\"污\"]\ncounted = [\"excess\"]\n");
    EXPECT_EQ(load_rule_set(dir / "r.toml").sha256, "330da831e016aed804ff4cbabfa11bbdd00166e21abbca66fa4fd81a8a44c3cc");
}

TEST(RuleSet, AcceptsCodesSingleRoleAndDefaults) {
    TempDir dir;
    write_all(dir / "ok.toml", kMeta + R"(
[[rule]]
id = "near_school"
type = "proximity"
role = "sensitive"
flags = ["wu"]
default_distance = 80.5

[[rule]]
id = "papers"
type = "permits"
flags = ["乱"]
required = ["permit_business_license", "eia"]

[rule.required_by_industry]
"餐饮" = ["食品生产许可"]

[[rule]]
id = "d"
type = "emission"
flags = ["污"]
counted = ["未经处理直排"]
)");
    const RuleSet rs = load_rule_set(dir / "ok.toml");
    EXPECT_EQ(rs.name, "test");
    ASSERT_EQ(rs.rules.size(), 3u);
    EXPECT_EQ(rs.rules[0].roles, std::vector<std::string>{"sensitive"});
    EXPECT_DOUBLE_EQ(rs.rules[0].default_distance, 80.5);
    EXPECT_FALSE(rs.rules[0].hard);
    EXPECT_FALSE(rs.rules[0].explanation.empty());  // the type's default template
    EXPECT_EQ(rs.rules[1].required, (std::vector<Permit>{Permit::business_license, Permit::eia}));
    EXPECT_EQ(rs.rules[2].counted, std::vector<Emission>{Emission::untreated});
    // No [category]: the struct defaults.
    EXPECT_TRUE(rs.category.unfixable_emissions.empty());
    EXPECT_EQ(rs.category.park_role, "industrial_park");
}

TEST(RuleSet, RuleTypeCodes) {
    EXPECT_STREQ(rule_type_code(RuleType::zone), "zone");
    EXPECT_STREQ(rule_type_code(RuleType::land_class), "land_class");
    EXPECT_STREQ(rule_type_code(RuleType::outside_all), "outside_all");
    EXPECT_STREQ(rule_type_code(RuleType::proximity), "proximity");
    EXPECT_STREQ(rule_type_code(RuleType::permits), "permits");
    EXPECT_STREQ(rule_type_code(RuleType::emission), "emission");
    EXPECT_STREQ(rule_type_code(RuleType::solid_waste_ledger), "solid_waste_ledger");
}

// --- bad files ---------------------------------------------------------------------------------

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(RuleSetErrors, MissingFile) {
    TempDir dir;
    try {
        load_rule_set(dir / "absent.toml");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_CONTAINS(std::string(e.what()), "absent.toml");
    }
}

TEST(RuleSetErrors, SyntaxErrorNamesLineAndColumn) {
    TempDir dir;
    const auto msg = load_error(dir, "syntax.toml", kMeta + "[[rule]]\nid = \"a\"\ntype = zone\n");
    EXPECT_CONTAINS(msg, "syntax.toml");
    EXPECT_CONTAINS(msg, "line 7");
    EXPECT_CONTAINS(msg, "column");
    EXPECT_CONTAINS(msg, "syntax error");
}

TEST(RuleSetErrors, UnknownType) {
    TempDir dir;
    const auto msg = load_error(dir, "type.toml", kMeta + "[[rule]]\nid = \"a\"\ntype = \"zones\"\nflags = [\"散\"]\nroles = [\"farmland\"]\n");
    EXPECT_CONTAINS(msg, "type.toml");
    EXPECT_CONTAINS(msg, "rule 'a'");
    EXPECT_CONTAINS(msg, "unknown type 'zones'");
    EXPECT_CONTAINS(msg, "did you mean 'zone'");
    EXPECT_CONTAINS(msg, "line 7");
}

TEST(RuleSetErrors, UnknownFlag) {
    TempDir dir;
    const auto msg = load_error(dir, "flag.toml", kMeta + "[[rule]]\nid = \"a\"\ntype = \"zone\"\nflags = [\"撒\"]\nroles = [\"farmland\"]\n");
    EXPECT_CONTAINS(msg, "flag.toml");
    EXPECT_CONTAINS(msg, "rule 'a'");
    EXPECT_CONTAINS(msg, "unknown flag '撒'");
}

TEST(RuleSetErrors, DuplicateId) {
    TempDir dir;
    const std::string rule = "[[rule]]\nid = \"same\"\ntype = \"solid_waste_ledger\"\nflags = [\"污\"]\n\n";
    const auto msg = load_error(dir, "dup.toml", kMeta + rule + rule);
    EXPECT_CONTAINS(msg, "dup.toml");
    EXPECT_CONTAINS(msg, "duplicate rule id 'same'");
    EXPECT_CONTAINS(msg, "line 11");
}

TEST(RuleSetErrors, TypoKey) {
    TempDir dir;
    const auto msg = load_error(dir, "typo.toml", kMeta + "[[rule]]\nid = \"a\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\nhrad = true\n");
    EXPECT_CONTAINS(msg, "typo.toml");
    EXPECT_CONTAINS(msg, "rule 'a'");
    EXPECT_CONTAINS(msg, "unknown key 'hrad'");
    EXPECT_CONTAINS(msg, "did you mean 'hard'");
    EXPECT_CONTAINS(msg, "line 10");
}

TEST(RuleSetErrors, KeyOfAnotherType) {
    TempDir dir;
    const auto msg = load_error(dir, "other.toml", kMeta + "[[rule]]\nid = \"a\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\ndefault_distance = 5\n");
    EXPECT_CONTAINS(msg, "'default_distance' does not apply to a zone rule");
}

TEST(RuleSetErrors, TypoKeyAtTopAndInCategory) {
    TempDir dir;
    const std::string rule = "[[rule]]\nid = \"a\"\ntype = \"solid_waste_ledger\"\nflags = [\"污\"]\n\n";
    auto msg = load_error(dir, "top.toml", kMeta + rule + "[categroy]\nunfixable_min_class = 3\n");
    EXPECT_CONTAINS(msg, "unknown key 'categroy'");
    msg = load_error(dir, "cat.toml", kMeta + rule + "[category]\nunfixable_min_clas = 3\n");
    EXPECT_CONTAINS(msg, "[category]");
    EXPECT_CONTAINS(msg, "unknown key 'unfixable_min_clas'");
    msg = load_error(dir, "cls.toml", kMeta + rule + "[category]\nunfixable_min_class = 4\n");
    EXPECT_CONTAINS(msg, "unfixable_min_class");
}

TEST(RuleSetErrors, UnknownPermit) {
    TempDir dir;
    const auto msg = load_error(dir, "permit.toml", kMeta + "[[rule]]\nid = \"p\"\ntype = \"permits\"\nflags = [\"乱\"]\nrequired = [\"营业执照\", \"卫生许可\"]\n");
    EXPECT_CONTAINS(msg, "permit.toml");
    EXPECT_CONTAINS(msg, "rule 'p'");
    EXPECT_CONTAINS(msg, "unknown permit '卫生许可'");
}

TEST(RuleSetErrors, UnknownEmission) {
    TempDir dir;
    auto msg = load_error(dir, "em.toml", kMeta + "[[rule]]\nid = \"d\"\ntype = \"emission\"\nflags = [\"污\"]\ncounted = [\"leaking\"]\n");
    EXPECT_CONTAINS(msg, "unknown discharge state 'leaking'");
    msg = load_error(dir, "em2.toml", kMeta + "[[rule]]\nid = \"d\"\ntype = \"emission\"\nflags = [\"污\"]\ncounted = [\"treated\"]\n");
    EXPECT_CONTAINS(msg, "not a discharge violation");
}

TEST(RuleSetErrors, UnknownIndustry) {
    TempDir dir;
    auto msg = load_error(dir, "ind.toml", kMeta + "[[rule]]\nid = \"near\"\ntype = \"proximity\"\nroles = [\"sensitive\"]\nflags = [\"污\"]\ndefault_distance = 100\n\n[rule.distance_by_industry]\n\"造纸\" = 300\n");
    EXPECT_CONTAINS(msg, "ind.toml");
    EXPECT_CONTAINS(msg, "rule 'near'");
    EXPECT_CONTAINS(msg, "'造纸'");
    EXPECT_CONTAINS(msg, "industries.tsv");
    EXPECT_CONTAINS(msg, "line 13");
    // An alias instead of the industry name gets a hint.
    msg = load_error(dir, "alias.toml", kMeta + "[[rule]]\nid = \"p\"\ntype = \"permits\"\nflags = [\"乱\"]\n\n[rule.required_by_industry]\n\"砖厂\" = [\"排污许可\"]\n");
    EXPECT_CONTAINS(msg, "'砖厂'");
    EXPECT_CONTAINS(msg, "did you mean '砖瓦'");
}

TEST(RuleSetErrors, MissingRoles) {
    TempDir dir;
    const auto msg = load_error(dir, "roles.toml", kMeta + "[[rule]]\nid = \"farm\"\ntype = \"zone\"\nflags = [\"散\"]\nhard = true\n");
    EXPECT_CONTAINS(msg, "roles.toml");
    EXPECT_CONTAINS(msg, "rule 'farm'");
    EXPECT_CONTAINS(msg, "missing 'roles'");
}

TEST(RuleSetErrors, MissingRequiredKeysPerType) {
    TempDir dir;
    auto msg = load_error(dir, "lc.toml", kMeta + "[[rule]]\nid = \"lc\"\ntype = \"land_class\"\nflags = [\"散\"]\nroles = [\"landuse\"]\n");
    EXPECT_CONTAINS(msg, "sandiao_allowed");
    msg = load_error(dir, "px.toml", kMeta + "[[rule]]\nid = \"px\"\ntype = \"proximity\"\nflags = [\"污\"]\nroles = [\"sensitive\"]\ndefault_distance = 0\n");
    EXPECT_CONTAINS(msg, "default_distance");
    msg = load_error(dir, "pm.toml", kMeta + "[[rule]]\nid = \"pm\"\ntype = \"permits\"\nflags = [\"乱\"]\n");
    EXPECT_CONTAINS(msg, "required");
    msg = load_error(dir, "em.toml", kMeta + "[[rule]]\nid = \"em\"\ntype = \"emission\"\nflags = [\"污\"]\n");
    EXPECT_CONTAINS(msg, "missing 'counted'");
    msg = load_error(dir, "noid.toml", kMeta + "[[rule]]\ntype = \"emission\"\nflags = [\"污\"]\ncounted = [\"excess\"]\n");
    EXPECT_CONTAINS(msg, "rule #1");
    EXPECT_CONTAINS(msg, "missing 'id'");
    msg = load_error(dir, "noflags.toml", kMeta + "[[rule]]\nid = \"x\"\ntype = \"solid_waste_ledger\"\n");
    EXPECT_CONTAINS(msg, "missing 'flags'");
}

TEST(RuleSetErrors, BadValues) {
    TempDir dir;
    auto msg = load_error(dir, "neg.toml", kMeta + "[[rule]]\nid = \"px\"\ntype = \"proximity\"\nflags = [\"污\"]\nroles = [\"sensitive\"]\ndefault_distance = 100\n\n[rule.distance_by_industry]\n\"砖瓦\" = -5\n");
    EXPECT_CONTAINS(msg, "'砖瓦' must not be negative");
    msg = load_error(dir, "share.toml", kMeta + "[[rule]]\nid = \"z\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\nmin_share = 1.5\n");
    EXPECT_CONTAINS(msg, "min_share");
    msg = load_error(dir, "id.toml", kMeta + "[[rule]]\nid = \"Farm-Land\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\n");
    EXPECT_CONTAINS(msg, "Farm-Land");
    msg = load_error(dir, "hard.toml", kMeta + "[[rule]]\nid = \"z\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\nhard = \"yes\"\n");
    EXPECT_CONTAINS(msg, "'hard' must be true or false");
    msg = load_error(dir, "ph.toml", kMeta + "[[rule]]\nid = \"z\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\nexplanation = \"占 {shar}\"\n");
    EXPECT_CONTAINS(msg, "unknown placeholder '{shar}'");
    msg = load_error(dir, "ver.toml", "[meta]\nversion = 2\n");
    EXPECT_CONTAINS(msg, "version 2");
    msg = load_error(dir, "nometa.toml", "[[rule]]\nid = \"x\"\ntype = \"solid_waste_ledger\"\nflags = [\"污\"]\n");
    EXPECT_CONTAINS(msg, "[meta]");
    msg = load_error(dir, "norules.toml", kMeta);
    EXPECT_CONTAINS(msg, "no [[rule]]");
}

} // namespace
} // namespace qingling
