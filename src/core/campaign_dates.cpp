#include "core/campaign_dates.hpp"

#include "core/errors.hpp"

#include <cstdio>
#include <ctime>
#include <regex>

namespace qingling {

namespace {
long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

void civil_from_days(long z, long& y, unsigned& m, unsigned& d) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned month_days(long y, unsigned m) {
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}
} // namespace

std::optional<long> parse_iso_date(const std::string& text) {
    static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (!std::regex_match(text, m, pattern)) return std::nullopt;
    const long y = std::stol(m[1]);
    const unsigned mo = static_cast<unsigned>(std::stoul(m[2])), d = static_cast<unsigned>(std::stoul(m[3]));
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo)) return std::nullopt;
    return days_from_civil(y, mo, d);
}

bool is_iso_date(const std::string& text) { return parse_iso_date(text).has_value(); }

std::string iso_date_from_days(long days) {
    long y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[32];  // room for any year the arithmetic can give
    std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
    return buf;
}

std::string date_part(const std::string& iso_time) { return iso_time.substr(0, 10); }

std::string today_iso_date() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

long days_between(const std::string& a, const std::string& b) {
    const auto da = parse_iso_date(a), db = parse_iso_date(b);
    if (!da || !db) throw UsageError("not a date (YYYY-MM-DD): '" + (da ? b : a) + "'");
    return *db - *da;
}

std::string add_days(const std::string& date, long days) {
    const auto d = parse_iso_date(date);
    if (!d) throw UsageError("not a date (YYYY-MM-DD): '" + date + "'");
    return iso_date_from_days(*d + days);
}

std::string month_of(const std::string& date) { return date.substr(0, 7); }

std::string next_month(const std::string& month) {
    int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
    if (++m > 12) {
        m = 1;
        ++y;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    return buf;
}

std::optional<std::string> parse_month(const std::string& raw) {
    std::string text;
    for (char c : raw)
        if (c != ' ' && c != '\t') text += c;
    static const std::regex separated(R"((\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})(?:月|(?:-|/|\.)\d{1,2}(?:日)?(?:T.*|\d\d:.*)?)?)");
    static const std::regex compact(R"((\d{4})(\d{2}))");
    std::smatch m;
    if (!std::regex_match(text, m, separated) && !std::regex_match(text, m, compact)) return std::nullopt;
    const int y = std::stoi(m[1]), mo = std::stoi(m[2]);
    if (mo < 1 || mo > 12 || y < 1900 || y > 2999) return std::nullopt;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, mo);
    return std::string(buf);
}

void require_iso_date(const std::string& text, const std::string& what) {
    if (!is_iso_date(text)) throw UsageError(what + " must be a date written YYYY-MM-DD, not '" + text + "'");
}

} // namespace qingling
