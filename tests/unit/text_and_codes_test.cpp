// Text encodings and land-class code systems (the 1001/0601 collision).
#include "core/landuse_codes.hpp"
#include "core/resources.hpp"
#include "core/text_encoding.hpp"
#include "test_support.hpp"

using namespace qingling;

TEST(TextEncoding, TellsGbkFromUtf8) {
    const std::string utf8 = "黑龙江省";
    const std::string gbk = "\xba\xda\xc1\xfa\xbd\xad\xca\xa1";  // 黑龙江省 in GBK
    EXPECT_TRUE(is_valid_utf8(utf8));
    EXPECT_FALSE(is_valid_utf8(gbk));
    EXPECT_TRUE(decodes_as_gbk(gbk));
    EXPECT_EQ(gbk_to_utf8(gbk), utf8);
    EXPECT_EQ(detect_text_encoding({"abc", utf8}), "UTF-8");
    EXPECT_EQ(detect_text_encoding({gbk, "plain"}), "CP936");
    EXPECT_EQ(detect_text_encoding({"\xff\xff\xff"}), "");  // neither
    EXPECT_EQ(detect_text_encoding({}), "UTF-8");
}

TEST(TextEncoding, NormalisesUserSpellings) {
    EXPECT_EQ(normalise_encoding_name("gbk"), "CP936");
    EXPECT_EQ(normalise_encoding_name("GB2312"), "CP936");
    EXPECT_EQ(normalise_encoding_name("utf8"), "UTF-8");
    EXPECT_EQ(normalise_encoding_name("AUTO"), "auto");
    EXPECT_EQ(normalise_encoding_name("gb18030"), "GB18030");
}

class CodeTables : public ::testing::Test {
protected:
    LandUseCodeTable sandiao = LandUseCodeTable::load(CodeSystem::sandiao, layers_dir());
    LandUseCodeTable yongdi = LandUseCodeTable::load(CodeSystem::yongdi, layers_dir());
};

TEST_F(CodeTables, SameCodeDifferentMeaning) {
    EXPECT_EQ(sandiao.name("1001"), std::optional<std::string>("铁路用地"));
    EXPECT_EQ(yongdi.name("1001"), std::optional<std::string>("工业用地"));
    EXPECT_EQ(sandiao.name("0601"), std::optional<std::string>("工业用地"));
    EXPECT_EQ(yongdi.name("0601"), std::optional<std::string>("农村道路"));
}

TEST_F(CodeTables, SixDigitYongdiCodesInheritTheirParent) {
    EXPECT_EQ(yongdi.name("100102"), std::optional<std::string>("二类工业用地"));
    EXPECT_EQ(yongdi.name("060299"), std::optional<std::string>("设施农用地"));
    EXPECT_FALSE(sandiao.name("100101"));
    EXPECT_FALSE(yongdi.name("0508"));  // 三调 物流仓储用地; no such class in 用地用海
}

TEST_F(CodeTables, DetectsTheSystemFromTheValues) {
    auto sd = detect_code_system({"0101", "0601", "05H1", "1107A", "1001"}, sandiao, yongdi);
    EXPECT_EQ(sd.system, CodeSystem::sandiao);
    EXPECT_NE(sd.evidence.find("05H1"), std::string::npos);
    auto yd = detect_code_system({"100101", "0601", "1001", "070102"}, sandiao, yongdi);
    EXPECT_EQ(yd.system, CodeSystem::yongdi);
    // Codes that exist in both say nothing.
    EXPECT_EQ(detect_code_system({"0101", "0601", "1001"}, sandiao, yongdi).system, CodeSystem::unknown);
}

TEST(CodeFields, FindsTheUsualFieldNames) {
    EXPECT_EQ(find_code_field({"BSM", "DLBM", "DLMC"}), std::optional<std::string>("DLBM"));
    EXPECT_EQ(find_code_field({"MC", "ghdlbm"}), std::optional<std::string>("ghdlbm"));
    EXPECT_FALSE(find_code_field({"NAME", "AREA"}));
}
