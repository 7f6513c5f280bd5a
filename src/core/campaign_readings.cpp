#include "core/campaign_readings.hpp"

#include "core/campaign_dates.hpp"
#include "core/errors.hpp"
#include "core/project_backup.hpp"
#include "core/sheet_table.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace qingling {

namespace {
std::string trimmed(std::string s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    return s;
}

// A power account as a spreadsheet may give it: "3301234567", or a number read as "3301234567.0".
std::string account_text(const std::string& raw) {
    std::string s = trimmed(raw);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

std::optional<double> kwh_value(const std::string& raw) {
    std::string s;
    for (char c : trimmed(raw))
        if (c != ',') s += c;  // thousands separators
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0' || !std::isfinite(v) || v < 0) return std::nullopt;
    return v;
}

std::string kwh_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}
} // namespace

ReadingsImportReport import_power_readings(ProjectStore& store, const std::filesystem::path& file, Progress& progress) {
    progress.report(0, "读取用电数据");
    const SheetTable t = read_sheet_table(file);
    ReadingsImportReport report;
    report.file = file.string();
    const auto account = t.column({"电力户号", "户号", "用电户号", "电表户号", "account"});
    if (!account) throw InputError(file.string() + " has no 电力户号 column (户号, 用电户号 …)");
    const auto month = t.column({"月份", "抄表月份", "年月", "month"});
    const auto kwh = t.column({"用电量", "用电量(kWh)", "用电量（kWh）", "电量", "kWh", "用电量(千瓦时)"});
    std::vector<std::pair<std::size_t, std::string>> month_columns;  // wide layout
    if (!month || !kwh) {
        for (std::size_t i = 0; i < t.headers.size(); ++i)
            if (auto m = parse_month(t.headers[i])) month_columns.emplace_back(i, *m);
        if (month_columns.empty())
            throw InputError(file.string() + " has neither 月份 and 用电量 columns nor one column per month (e.g. 2024-10)");
        report.wide = true;
    }
    std::vector<PowerReading> readings;
    const std::string source = file.filename().string();
    auto add = [&](const SheetRow& r, const std::string& acc, const std::string& m, const std::string& value,
                   const std::string& column) {
        const auto v = kwh_value(value);
        if (!v) {
            if (!trimmed(value).empty() || !report.wide)
                report.problems.push_back({r.row, column, value, "用电量不是非负数字, 已跳过"});
            return;
        }
        readings.push_back({acc, m, *v, source});
    };
    for (const auto& r : t.rows) {
        ++report.rows;
        const std::string acc = account_text(r.values[*account]);
        if (acc.empty()) {
            report.problems.push_back({r.row, t.headers[*account], "", "电力户号为空, 该行已跳过"});
            continue;
        }
        if (report.wide) {
            for (const auto& [col, m] : month_columns) add(r, acc, m, r.values[col], t.headers[col]);
            continue;
        }
        const auto m = parse_month(r.values[*month]);
        if (!m) {
            report.problems.push_back({r.row, t.headers[*month], r.values[*month], "月份无法识别 (应如 2024-10), 该行已跳过"});
            continue;
        }
        add(r, acc, *m, r.values[*kwh], t.headers[*kwh]);
    }
    // The same account and month twice in one file is a mistake the office must resolve.
    std::map<std::pair<std::string, std::string>, double> seen;
    for (const auto& r : readings) {
        auto [it, fresh] = seen.emplace(std::make_pair(r.account, r.month), r.kwh);
        if (!fresh && it->second != r.kwh)
            throw InputError(file.string() + ": 电力户号 " + r.account + " has two different readings for " + r.month +
                             " (" + kwh_text(it->second) + " and " + kwh_text(r.kwh) + " kWh)");
    }
    if (readings.empty()) throw InputError(file.string() + " holds no usable reading");
    report.readings = static_cast<long long>(readings.size());
    std::set<std::string> known;
    for (const auto& e : store.ledger())
        if (!e.power_account.empty()) known.insert(account_text(e.power_account));
    std::set<std::string> unknown;
    for (const auto& r : readings)
        if (!known.count(r.account)) unknown.insert(r.account);
    report.unknown_accounts.assign(unknown.begin(), unknown.end());
    if (progress.cancelled()) throw CancelledError();
    progress.report(0.5, "保存用电数据");
    backup_before_bulk_change(store, "readings");
    WriteTransaction tx(store);
    report.stored = store.store_power_readings(tx, readings);
    tx.commit();
    progress.report(1, "完成");
    return report;
}

std::vector<RelapseFlag> detect_relapses(const CampaignData& data, const std::vector<PowerReading>& readings,
                                         const RelapseThresholds& th, const std::string& as_of) {
    std::map<std::string, std::map<std::string, double>> by_account;  // account → month → kWh
    const std::string last_month = month_of(as_of);
    for (const auto& r : readings)
        if (r.month <= last_month) by_account[r.account][r.month] = r.kwh;
    std::vector<RelapseFlag> flags;
    for (const auto& e : data.ledger) {
        const std::string acc = account_text(e.power_account);
        if (acc.empty()) continue;
        auto months = by_account.find(acc);
        if (months == by_account.end()) continue;
        auto conf = data.confirmations.find(e.id);
        if (conf == data.confirmations.end()) continue;
        RelapseFlag f;
        f.enterprise_id = e.id;
        f.name = e.name;
        f.village = e.village;
        f.account = acc;
        f.category = conf->second.category;
        if (f.category == Category::close) {
            // Months wholly after 断电.
            auto c = data.clearances.find(e.id);
            if (c == data.clearances.end()) continue;
            auto power = c->second.find(ClearanceItem::power);
            if (power == c->second.end() || power->second.date > as_of) continue;
            f.since = power->second.date;
            const std::string first = next_month(month_of(f.since));
            for (const auto& [m, kwh] : months->second)
                if (m >= first && kwh > th.closed_max_kwh) {
                    f.months.emplace_back(m, kwh);
                    f.max_kwh = std::max(f.max_kwh, kwh);
                }
            if (f.months.empty()) continue;
            f.reason = "closed_consumption";
            f.baseline_kwh = th.closed_max_kwh;
            f.explanation_phrase = Phrase(N_("依法关闭企业 {since} 已断电, 但 {first} 起 {count} 个月用电超过 {limit} kWh (最高 {max} kWh), "
                                             "疑似私接电源复产, 需回头看"),
                                          {{"since", f.since},
                                           {"first", f.months.front().first},
                                           {"count", std::to_string(f.months.size())},
                                           {"limit", kwh_text(th.closed_max_kwh)},
                                           {"max", kwh_text(f.max_kwh)}});
        } else if (f.category == Category::rectify) {
            // Before the first passed acceptance the enterprise should stay stopped (先停后治).
            std::string accepted_month = "9999-12";
            if (auto a = data.acceptances.find(e.id); a != data.acceptances.end())
                for (const auto& acc_rec : a->second)
                    if (acc_rec.passed && month_of(acc_rec.date) < accepted_month) accepted_month = month_of(acc_rec.date);
            std::vector<std::pair<std::string, double>> series(months->second.begin(), months->second.end());
            for (std::size_t i = 1; i < series.size(); ++i) {
                if (series[i].first >= accepted_month) break;
                const std::size_t from = i >= 3 ? i - 3 : 0;
                double sum = 0;
                for (std::size_t k = from; k < i; ++k) sum += series[k].second;
                const double mean = sum / static_cast<double>(i - from);
                if (series[i].second > th.jump_ratio * mean && series[i].second - mean >= th.jump_min_kwh) {
                    if (f.months.empty()) f.baseline_kwh = mean;
                    f.months.push_back(series[i]);
                    f.max_kwh = std::max(f.max_kwh, series[i].second);
                }
            }
            if (f.months.empty()) continue;
            f.reason = "rectify_jump";
            char ratio[16];
            std::snprintf(ratio, sizeof ratio, "%.1f", f.months.front().second / std::max(f.baseline_kwh, 1.0));
            f.explanation_phrase = Phrase(N_("整改规范企业尚未验收, {first} 用电 {kwh} kWh, 为此前月均 {mean} kWh 的 {ratio} 倍, "
                                             "疑似未整改到位即恢复生产, 需现场检查"),
                                          {{"first", f.months.front().first},
                                           {"kwh", kwh_text(f.months.front().second)},
                                           {"mean", kwh_text(f.baseline_kwh)},
                                           {"ratio", ratio}});
        } else {
            continue;
        }
        f.explanation = f.explanation_phrase.zh();
        flags.push_back(std::move(f));
    }
    return flags;
}

} // namespace qingling
