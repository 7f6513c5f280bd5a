// English for the data the viewer shows (land-class and industry names from layers/*.tsv, the
// rules' explanation_en): the loaders with and without the English column, their errors, and which
// text is shown in which UI language. Reports keep the Chinese whatever the language.
#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/industry_table.hpp"
#include "core/landuse_codes.hpp"
#include "core/resources.hpp"
#include "core/rule_set.hpp"
#include "core/verdict.hpp"
#include "test_support.hpp"

#include <fstream>
#include <functional>
#include <set>

using namespace qingling;

namespace {

// Every test leaves the process in Chinese, the default the other tests expect.
struct BackToChinese {
    ~BackToChinese() { set_ui_language(UiLanguage::zh); }
};

void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string load_error(const std::function<void()>& load) {
    try {
        load();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no InputError)";
}

bool has_cjk(const std::string& text) {
    // U+3000..U+9FFF and U+FF00..U+FFEF start with the UTF-8 lead bytes E3..E9 and EF BC..EF BF.
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xE3 && c <= 0xE9) return true;
        if (c == 0xEF && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0xBC) return true;
    }
    return false;
}

} // namespace

TEST(LandUseNames, ShippedTablesNameEveryClassInEnglish) {
    const auto sandiao = LandUseCodeTable::load(CodeSystem::sandiao, layers_dir());
    const auto yongdi = LandUseCodeTable::load(CodeSystem::yongdi, layers_dir());
    EXPECT_EQ(sandiao.name_en("0101"), std::optional<std::string>("Paddy field"));
    EXPECT_EQ(sandiao.name_en("0102"), std::optional<std::string>("Irrigated land"));
    EXPECT_EQ(sandiao.name_en("0103"), std::optional<std::string>("Dry land"));
    // The code collisions keep their meaning in English too.
    EXPECT_EQ(sandiao.name_en("1001"), std::optional<std::string>("Railway land"));
    EXPECT_EQ(yongdi.name_en("1001"), std::optional<std::string>("Industrial land"));
    EXPECT_EQ(sandiao.name_en("0601"), std::optional<std::string>("Industrial land"));
    EXPECT_EQ(yongdi.name_en("0601"), std::optional<std::string>("Rural road"));
    EXPECT_EQ(yongdi.name_en("100102"), std::optional<std::string>("Class II industrial land"));
    EXPECT_EQ(yongdi.name_en("060299"), std::optional<std::string>("Facility agricultural land"));  // parent 0602
    EXPECT_EQ(sandiao.group("0103"), std::optional<std::string>("01"));
    // Every listed code of both tables has an English name without Chinese in it.
    for (const auto& [system, file] : {std::pair{CodeSystem::sandiao, "landuse-sandiao.tsv"}, std::pair{CodeSystem::yongdi, "landuse-yongdi.tsv"}}) {
        const auto table = LandUseCodeTable::load(system, layers_dir());
        std::ifstream in(layers_dir() / file);
        std::string line;
        int rows = 0;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#' || line.rfind("code\t", 0) == 0) continue;
            const std::string code = line.substr(0, line.find('\t'));
            ++rows;
            const auto en = table.name_en(code);
            ASSERT_TRUE(en) << file << " " << code;
            EXPECT_FALSE(has_cjk(*en)) << file << " " << code << " " << *en;
        }
        EXPECT_GT(rows, 60) << file;
    }
}

TEST(LandUseNames, FileWithoutTheEnglishColumnStillLoads) {
    test::TempDir dir;
    write(dir / "old.tsv", "# an older user file\ncode\tname\tgroup\n0101\t水田\t01\n0601\t工业用地\t06\n");
    const auto table = LandUseCodeTable::load_file(CodeSystem::sandiao, dir / "old.tsv");
    EXPECT_EQ(table.name("0101"), std::optional<std::string>("水田"));
    EXPECT_EQ(table.group("0601"), std::optional<std::string>("06"));
    EXPECT_FALSE(table.name_en("0101"));
    BackToChinese back;
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_EQ(table.shown_name("0101"), std::optional<std::string>("水田")) << "no English: the Chinese name";
}

TEST(LandUseNames, ShownNameFollowsTheUiLanguage) {
    test::TempDir dir;
    write(dir / "new.tsv", "code\tname\tgroup\tname_en\r\n0101\t水田\t01\tPaddy field\r\n0102\t水浇地\t01\t\r\n");
    const auto table = LandUseCodeTable::load_file(CodeSystem::sandiao, dir / "new.tsv");
    EXPECT_EQ(table.shown_name("0101"), std::optional<std::string>("水田"));
    BackToChinese back;
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_EQ(table.shown_name("0101"), std::optional<std::string>("Paddy field"));  // CRLF cut off
    EXPECT_EQ(table.shown_name("0102"), std::optional<std::string>("水浇地"));       // empty English cell
    EXPECT_FALSE(table.shown_name("9999"));
    EXPECT_EQ(table.name("0101"), std::optional<std::string>("水田")) << "name() stays Chinese for reports";
}

TEST(LandUseNames, BadRowNamesFileAndLine) {
    test::TempDir dir;
    write(dir / "bad.tsv", "# comment\ncode\tname\tgroup\tname_en\n0101\t水田\t01\tPaddy field\n0102\n");
    std::string message = load_error([&] { LandUseCodeTable::load_file(CodeSystem::sandiao, dir / "bad.tsv"); });
    EXPECT_NE(message.find("bad.tsv line 4"), std::string::npos) << message;
    EXPECT_NE(message.find("found 1 column"), std::string::npos) << message;
    write(dir / "extra.tsv", "code\tname\tgroup\tname_en\n0101\t水田\t01\tPaddy field\tsurplus\n");
    message = load_error([&] { LandUseCodeTable::load_file(CodeSystem::sandiao, dir / "extra.tsv"); });
    EXPECT_NE(message.find("extra.tsv line 2"), std::string::npos) << message;
    write(dir / "noname.tsv", "code\tname\tgroup\n0101\t\t01\n");
    message = load_error([&] { LandUseCodeTable::load_file(CodeSystem::sandiao, dir / "noname.tsv"); });
    EXPECT_NE(message.find("noname.tsv line 2: empty code or name"), std::string::npos) << message;
}

TEST(IndustryNames, ShippedTableNamesEveryIndustryInEnglish) {
    const auto table = IndustryTable::load(layers_dir() / "industries.tsv");
    ASSERT_GE(table.industries().size(), 19u);
    for (const Industry& i : table.industries()) {
        EXPECT_FALSE(i.name_en.empty()) << i.name;
        EXPECT_FALSE(has_cjk(i.name_en)) << i.name << " " << i.name_en;
    }
    EXPECT_EQ(table.match("砖瓦")->name_en, "Brick and tile making");
    EXPECT_EQ(table.match("洗染")->name_en, "Laundry and dyeing");
}

TEST(IndustryNames, FileWithoutTheEnglishColumnStillLoads) {
    test::TempDir dir;
    write(dir / "old.tsv", "industry\taliases\tdepartment\tpollution_class\n砖瓦\t砖厂\t处国土所\t3\n");
    const auto table = IndustryTable::load(dir / "old.tsv");
    ASSERT_EQ(table.industries().size(), 1u);
    EXPECT_EQ(table.industries()[0].department, "处国土所");
    EXPECT_EQ(table.industries()[0].name_en, "");
    BackToChinese back;
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_EQ(table.shown("红砖厂"), "红砖厂") << "no English: the ledger's words";
    EXPECT_EQ(table.industries()[0].shown_name(), "砖瓦");
}

TEST(IndustryNames, ShownNameFollowsTheUiLanguage) {
    test::TempDir dir;
    write(dir / "new.tsv", "industry\taliases\tdepartment\tpollution_class\tname_en\n砖瓦\t砖厂\t处国土所\t3\tBrick and tile making\n");
    const auto table = IndustryTable::load(dir / "new.tsv");
    EXPECT_EQ(table.shown("红砖厂"), "红砖厂");
    BackToChinese back;
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_EQ(table.shown("红砖厂"), "Brick and tile making");  // matched through its alias
    EXPECT_EQ(table.shown("砖瓦"), "Brick and tile making");
    EXPECT_EQ(table.shown("服装零售"), "服装零售");              // no industry: as typed
    EXPECT_EQ(table.industries()[0].shown_name(), "Brick and tile making");
}

TEST(IndustryNames, BadRowNamesFileAndLine) {
    test::TempDir dir;
    write(dir / "bad.tsv", "industry\taliases\tdepartment\tpollution_class\tname_en\n砖瓦\t砖厂\t处国土所\t3\tBricks\textra\n");
    const std::string message = load_error([&] { IndustryTable::load(dir / "bad.tsv"); });
    EXPECT_NE(message.find("bad.tsv line 2"), std::string::npos) << message;
    EXPECT_NE(message.find("found 6"), std::string::npos) << message;
}

TEST(RuleExplanations, EveryDefaultRuleHasEnglishWithTheSamePlaceholders) {
    const RuleSet rules = load_rule_set(default_rule_file());
    ASSERT_GE(rules.rules.size(), 11u);
    auto placeholders = [](const std::string& text) {
        std::multiset<std::string> out;
        for (std::size_t p = text.find('{'); p != std::string::npos; p = text.find('{', p + 1))
            out.insert(text.substr(p, text.find('}', p) - p + 1));
        return out;
    };
    for (const Rule& r : rules.rules) {
        EXPECT_FALSE(r.explanation_en.empty()) << r.id;
        EXPECT_FALSE(has_cjk(r.explanation_en)) << r.id << ": " << r.explanation_en;
        EXPECT_EQ(placeholders(r.explanation_en), placeholders(r.explanation)) << r.id;
    }
}

TEST(RuleExplanations, EnglishIsOptionalAndCheckedLikeTheChinese) {
    test::TempDir dir;
    const std::string meta = "[meta]\nname = \"test\"\nversion = 1\n\n";
    const std::string rule = "[[rule]]\nid = \"z\"\ntype = \"zone\"\nflags = [\"散\"]\nroles = [\"farmland\"]\n";
    write(dir / "own.toml", meta + rule + "explanation = \"在{zone}内\"\n");
    write(dir / "both.toml", meta + rule + "explanation = \"在{zone}内\"\nexplanation_en = \"In {zone}\"\n");
    write(dir / "none.toml", meta + rule);
    write(dir / "bad.toml", meta + rule + "explanation_en = \"In {zoen}\"\n");
    // Its own Chinese without English: none (the viewer shows the Chinese).
    EXPECT_EQ(load_rule_set(dir / "own.toml").rules.at(0).explanation_en, "");
    EXPECT_EQ(load_rule_set(dir / "both.toml").rules.at(0).explanation_en, "In {zone}");
    // Neither: the type's defaults in both languages.
    const Rule none = load_rule_set(dir / "none.toml").rules.at(0);
    EXPECT_EQ(none.explanation, "位于{layer}内（{zone}，{share}）");
    EXPECT_EQ(none.explanation_en, "Inside {layer} ({zone}, {share})");
    std::string message;
    try {
        load_rule_set(dir / "bad.toml");
    } catch (const Error& e) {
        message = e.what();
    }
    EXPECT_NE(message.find("unknown placeholder '{zoen}' in 'explanation_en'"), std::string::npos) << message;
    EXPECT_NE(message.find("bad.toml"), std::string::npos) << message;
}

TEST(RuleExplanations, TheViewerShowsTheEnglishOneInEnglishOnly) {
    Finding f;
    f.explanation = "缺少营业执照";
    f.explanation_en = "Missing business licence";
    Finding chinese_only;
    chinese_only.explanation = "位于永久基本农田内（图斑 0009，点位）";
    EXPECT_EQ(shown_explanation(f), "缺少营业执照");
    BackToChinese back;
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_EQ(shown_explanation(f), "Missing business licence");
    EXPECT_EQ(shown_explanation(chinese_only), chinese_only.explanation) << "no English: the Chinese";
    ASSERT_TRUE(set_ui_language(UiLanguage::zh));
    EXPECT_EQ(shown_explanation(f), "缺少营业执照");
}
