// ISO calendar dates (YYYY-MM-DD) for the campaign: validation, day arithmetic, months and weeks.
// C++17 has no calendar; this is Howard Hinnant's days_from_civil, nothing more.
#pragma once

#include <optional>
#include <string>

namespace qingling {

// Days since 1970-01-01 for a valid YYYY-MM-DD, else nullopt.
std::optional<long> parse_iso_date(const std::string& text);
bool is_iso_date(const std::string& text);
std::string iso_date_from_days(long days);
// The date part of an ISO time ("2024-09-30T08:00:00Z" → "2024-09-30"); the text if it is a date.
std::string date_part(const std::string& iso_time);
// Today in UTC.
std::string today_iso_date();
// Days from a to b (b - a); both must be valid dates.
long days_between(const std::string& a, const std::string& b);
std::string add_days(const std::string& date, long days);
// YYYY-MM of a date; the month after a YYYY-MM.
std::string month_of(const std::string& date);
std::string next_month(const std::string& month);
// Normalises a month as spreadsheets write it: 2024-10, 2024/10, 2024.10, 202410, 2024年10月,
// 2024-10-01 (any day) → "2024-10"; nullopt when it is none of these.
std::optional<std::string> parse_month(const std::string& text);
// Throws UsageError naming `what` unless text is a valid date.
void require_iso_date(const std::string& text, const std::string& what);

} // namespace qingling
