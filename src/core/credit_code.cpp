#include "core/credit_code.hpp"

#include <array>
#include <string>

namespace qingling {

namespace {

// GB 32100-2015: 31 characters, digits and upper-case letters without I, O, S, V, Z (too easily
// confused with 1, 0, 5, U, 2). A character's value is its index here.
constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int radix = 31;
static_assert(alphabet.size() == radix);

// Weight of position i is 3^i mod 31.
constexpr std::array<int, 17> weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

constexpr std::size_t code_length = 18;

int value_of(char c) {
    const auto pos = alphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char to_upper_ascii(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

} // namespace

std::optional<char> credit_code_check_char(std::string_view first17) {
    if (first17.size() != weights.size()) {
        return std::nullopt;
    }
    int sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const int v = value_of(first17[i]);
        if (v < 0) {
            return std::nullopt;
        }
        sum += v * weights[i];
    }
    // 31 - (sum mod 31), where 31 itself stands for 0.
    const int check = (radix - sum % radix) % radix;
    return alphabet[static_cast<std::size_t>(check)];
}

CreditCodeProblem check_credit_code(std::string_view code) {
    while (!code.empty() && is_blank(code.front())) {
        code.remove_prefix(1);
    }
    while (!code.empty() && is_blank(code.back())) {
        code.remove_suffix(1);
    }
    for (const char c : code) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return CreditCodeProblem::bad_character;
        }
    }
    if (code.size() != code_length) {
        return CreditCodeProblem::wrong_length;
    }
    std::string upper(code);
    for (char& c : upper) {
        c = to_upper_ascii(c);
        if (value_of(c) < 0) {
            return CreditCodeProblem::bad_character;
        }
    }
    const std::optional<char> expected = credit_code_check_char(std::string_view(upper).substr(0, 17));
    if (!expected || *expected != upper.back()) {
        return CreditCodeProblem::wrong_check_digit;
    }
    return CreditCodeProblem::ok;
}

const char* credit_code_problem_zh(CreditCodeProblem problem) {
    switch (problem) {
    case CreditCodeProblem::ok:
        return "有效";
    case CreditCodeProblem::wrong_length:
        return "长度不是18位";
    case CreditCodeProblem::bad_character:
        return "含非法字符";
    case CreditCodeProblem::wrong_check_digit:
        return "校验位错误";
    }
    return "未知问题";
}

} // namespace qingling
