// The UI language (core/i18n): the English catalogue compiled from po/en.po at build time, switched
// at run time both ways, core labels translated where they are shown, Chinese as the default.
#include "core/i18n.hpp"
#include "core/map_style.hpp"
#include "core/project_store.hpp"
#include "core/resources.hpp"
#include "core/verdict.hpp"

#include <gtest/gtest.h>

using namespace qingling;

namespace {
// Every test leaves the process in Chinese, the default the other tests expect.
struct BackToChinese {
    ~BackToChinese() { set_ui_language(UiLanguage::zh); }
};
} // namespace

TEST(I18n, ChineseIsTheDefaultAndNeedsNoCatalogue) {
    EXPECT_EQ(ui_language(), UiLanguage::zh);
    EXPECT_STREQ(tr("图层与图例"), "图层与图例");
    EXPECT_STREQ(tr(mark_label_zh(Mark::close)), "依法关闭");
}

TEST(I18n, EnglishFromTheCompiledCatalogueAndBackAtRunTime) {
    BackToChinese restore;
    std::string why;
    ASSERT_TRUE(set_ui_language(UiLanguage::en, &why)) << why << " (locale dir " << locale_dir() << ")";
    EXPECT_STREQ(tr("图层与图例"), "Layers and legend");
    EXPECT_STREQ(_("企业台账"), "Enterprise ledger");
    // Core labels are marked with N_ where they are defined and translated where they are shown.
    EXPECT_STREQ(tr(mark_label_zh(Mark::close)), "Close by law");
    EXPECT_STREQ(tr(category_label_zh(Category::relocate)), "Relocate");
    EXPECT_STREQ(tr(role_label_zh("landuse")), "Land-use patches (3rd survey)");
    EXPECT_EQ(tr(std::string("整治进度")), "Progress");
    // The label functions themselves stay Chinese (the CLI's reports and the script steps use them).
    EXPECT_STREQ(mark_label_zh(Mark::close), "依法关闭");
    // A string nobody translated stays as it is.
    EXPECT_STREQ(tr("没有这个词条"), "没有这个词条");

    ASSERT_TRUE(set_ui_language(UiLanguage::zh));
    EXPECT_STREQ(tr("图层与图例"), "图层与图例");
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_STREQ(tr("图层与图例"), "Layers and legend") << "switching back to English after Chinese";
}

TEST(I18n, CountsTakeTheRightPluralForm) {
    BackToChinese restore;
    EXPECT_STREQ(trn("%s: %lld 个图斑", "%s: %lld 个图斑", 1), "%s: %lld 个图斑");
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_STREQ(trn("%s: %lld 个图斑", "%s: %lld 个图斑", 1), "%s: %lld patch");
    EXPECT_STREQ(trn("%s: %lld 个图斑", "%s: %lld 个图斑", 0), "%s: %lld patches");
    EXPECT_STREQ(trn("%s: %lld 个图斑", "%s: %lld 个图斑", 24065), "%s: %lld patches");
}

TEST(I18n, PhrasesKeepTheirChineseAndShowTheUiLanguage) {
    BackToChinese restore;
    // 网格检查's detail of a grid nobody is staffed on, and of an overlap of two named grids.
    const Phrase missing{N_("缺少 {roles}"), {}, {}, {{"roles", {kGridPersonRoles[0], kGridPersonRoles[2]}}}};
    const Phrase overlap{N_("{a} 与 {b} 重叠"), {{"a", "网格 {b}"}, {"b", "甲二"}}};
    EXPECT_EQ(missing.zh(), "缺少 网格长、督察员");
    EXPECT_EQ(missing.shown(), "缺少 网格长、督察员") << "Chinese UI";
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    EXPECT_EQ(missing.shown(), "Missing: grid chief, grid inspector");
    EXPECT_EQ(missing.zh(), "缺少 网格长、督察员") << "what reports and JSON keep does not follow the UI";
    // Values are data: the names stay as stored (even one that looks like a placeholder).
    EXPECT_EQ(overlap.shown(), "网格 {b} and 甲二 overlap");
    EXPECT_EQ(fill_placeholders("{x} 与 {unknown}", {{"x", "1"}}), "1 与 {unknown}");
}

TEST(I18n, ParsesLanguageNames) {
    UiLanguage l = UiLanguage::zh;
    EXPECT_TRUE(parse_ui_language("en_US.UTF-8", l));
    EXPECT_EQ(l, UiLanguage::en);
    EXPECT_TRUE(parse_ui_language("中文", l));
    EXPECT_EQ(l, UiLanguage::zh);
    EXPECT_TRUE(parse_ui_language("English", l));
    EXPECT_EQ(l, UiLanguage::en);
    EXPECT_FALSE(parse_ui_language("klingon", l));
    EXPECT_STREQ(ui_language_code(UiLanguage::en), "en");
}

TEST(I18n, MissingCatalogueKeepsChineseAndSaysWhere) {
    BackToChinese restore;
    ::setenv("QINGLING_LOCALE_DIR", "/nonexistent/locale", 1);
    std::string why;
    EXPECT_FALSE(set_ui_language(UiLanguage::en, &why));
    ::unsetenv("QINGLING_LOCALE_DIR");
    EXPECT_NE(why.find("/nonexistent/locale"), std::string::npos) << why;
    EXPECT_EQ(ui_language(), UiLanguage::zh);
    EXPECT_STREQ(tr("图层与图例"), "图层与图例");
}
