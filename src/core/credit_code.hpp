// The 18-character unified social credit code (统一社会信用代码, GB 32100-2015) that identifies
// enterprises and other organisations in ledgers. Its last character is a check character over
// the first 17, which catches most typing errors.
#pragma once

#include <optional>
#include <string_view>

namespace qingling {

// The check character for the first 17 characters of a code. Upper-case only; returns nullopt if
// first17 is not exactly 17 characters long or holds a character outside the code's alphabet
// "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z).
std::optional<char> credit_code_check_char(std::string_view first17);

enum class CreditCodeProblem {
    ok,
    wrong_length,
    bad_character,
    wrong_check_digit,
};

// Checks a code as typed into a ledger: surrounding ASCII blanks (space, tab, CR, LF) are ignored
// and lower-case letters are accepted. Any non-ASCII byte (e.g. full-width digits or letters) is
// reported as bad_character, before the length is looked at, since that is the actual mistake.
CreditCodeProblem check_credit_code(std::string_view code);

// A short Chinese message for the user (UTF-8, static storage); "有效" for ok.
const char* credit_code_problem_zh(CreditCodeProblem problem);

} // namespace qingling
