// Unified social credit codes (GB 32100-2015).
#include "core/credit_code.hpp"

#include <gtest/gtest.h>

#include <string>

using qingling::check_credit_code;
using qingling::credit_code_check_char;
using qingling::CreditCodeProblem;

namespace {

// Codes of large companies as shown on their public licences; each one's check character was
// confirmed with the algorithm independently of this implementation.
const char* const valid_codes[] = {
    "91110000802100433B", // Baidu Online Network Technology (Beijing)
    "914403001922038216", // Huawei Technologies
    "9144030071526726XG", // Shenzhen Tencent Computer Systems
    "91330100716105852F", // Alibaba (China)
    "91110108551385082Q", // Xiaomi Technology
};

} // namespace

TEST(CreditCode, KnownValidCodes) {
    for (const char* code : valid_codes) {
        EXPECT_EQ(check_credit_code(code), CreditCodeProblem::ok) << code;
        const std::string s(code);
        const auto check = credit_code_check_char(std::string_view(s).substr(0, 17));
        ASSERT_TRUE(check.has_value()) << code;
        EXPECT_EQ(*check, s.back()) << code;
    }
}

TEST(CreditCode, CheckCharacterThirtyOneMapsToZero) {
    // All zeros: sum 0, 31 - 0 = 31, written as '0'.
    EXPECT_EQ(credit_code_check_char("00000000000000000"), '0');
    EXPECT_EQ(check_credit_code("000000000000000000"), CreditCodeProblem::ok);
}

TEST(CreditCode, LowerCaseAndSurroundingBlanksAccepted) {
    EXPECT_EQ(check_credit_code("9144030071526726xg"), CreditCodeProblem::ok);
    EXPECT_EQ(check_credit_code("  91110000802100433b "), CreditCodeProblem::ok);
    EXPECT_EQ(check_credit_code("\t91110000802100433B\r\n"), CreditCodeProblem::ok);
}

TEST(CreditCode, OneChangedCharacterIsCaught) {
    // Every single-character substitution changes the weighted sum by a non-multiple of 31
    // (31 is prime and no weight is 0 mod 31), so each one must fail.
    const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    for (const char* code : valid_codes) {
        const std::string good(code);
        for (std::size_t i = 0; i < good.size(); ++i) {
            for (const char c : alphabet) {
                if (c == good[i]) {
                    continue;
                }
                std::string bad = good;
                bad[i] = c;
                EXPECT_EQ(check_credit_code(bad), CreditCodeProblem::wrong_check_digit) << bad;
            }
        }
    }
    EXPECT_EQ(check_credit_code("91110000802100434B"), CreditCodeProblem::wrong_check_digit);
}

TEST(CreditCode, WrongLength) {
    EXPECT_EQ(check_credit_code(""), CreditCodeProblem::wrong_length);
    EXPECT_EQ(check_credit_code("   "), CreditCodeProblem::wrong_length);
    EXPECT_EQ(check_credit_code("91110000802100433"), CreditCodeProblem::wrong_length);
    EXPECT_EQ(check_credit_code("91110000802100433B0"), CreditCodeProblem::wrong_length);
    EXPECT_EQ(check_credit_code("9111 0000802100433B"), CreditCodeProblem::wrong_length);
    // The old 15-digit business registration number is not a credit code.
    EXPECT_EQ(check_credit_code("110000000000000"), CreditCodeProblem::wrong_length);
    EXPECT_FALSE(credit_code_check_char("9111000080210043").has_value());
    EXPECT_FALSE(credit_code_check_char("911100008021004330").has_value());
}

TEST(CreditCode, ExcludedLettersRejected) {
    // I, O, S, V and Z are not in the alphabet, in either case and in any position.
    for (const char c : std::string("IOSVZiosvz")) {
        std::string code = "91110000802100433B";
        code[5] = c;
        EXPECT_EQ(check_credit_code(code), CreditCodeProblem::bad_character) << code;
        code = "91110000802100433B";
        code[17] = c;
        EXPECT_EQ(check_credit_code(code), CreditCodeProblem::bad_character) << code;
    }
    EXPECT_FALSE(credit_code_check_char("9111000080210043O").has_value());
    EXPECT_FALSE(credit_code_check_char("9111000080210043b").has_value());
    EXPECT_EQ(check_credit_code("91110000-02100433B"), CreditCodeProblem::bad_character);
    // Full-width characters from a Chinese input method are reported as such, not as a length error.
    EXPECT_EQ(check_credit_code("９1110000802100433B"), CreditCodeProblem::bad_character);
}

TEST(CreditCode, ChineseMessages) {
    EXPECT_STREQ(qingling::credit_code_problem_zh(CreditCodeProblem::wrong_length), "长度不是18位");
    EXPECT_STREQ(qingling::credit_code_problem_zh(CreditCodeProblem::bad_character), "含非法字符");
    EXPECT_STREQ(qingling::credit_code_problem_zh(CreditCodeProblem::wrong_check_digit), "校验位错误");
    EXPECT_STREQ(qingling::credit_code_problem_zh(CreditCodeProblem::ok), "有效");
}
