// What the conformity check's results look like outside the program: the JSON contract for
// scripts, the CSV/XLSX list for meetings, the summary counts, and the comparison of two runs.
// No SQL and no terminal output here; the CLI and the viewer format these.
#pragma once

#include "core/verdict.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

// True when the enterprise has a confirmation and the current suggestion differs from the one the
// person saw when confirming (需复核).
bool needs_review(const Verdict& v, const Confirmation& c);
bool needs_review(const Verdict& v, const std::map<long long, Confirmation>& confirmations);

// The stable JSON contract: an array with one object per verdict, in the given order:
//   {"id", "name", "credit_code", "village", "san", "luan", "wu",
//    "suggested": "依法关闭"|"整改规范"|"限期搬迁"|null,
//    "confirmed": null | {"category", "user", "at", "note"}, "review": bool,
//    "findings": [{"rule", "flag": "散"|"乱"|"污", "layer", "feature_id", "code", "code_name",
//                  "measure": number|null, "unit": "share"|"m"|"", "explanation"}]}
// Pretty-printed (two spaces), UTF-8 not escaped, ending with a newline.
std::string verdicts_to_json(const std::vector<Verdict>& verdicts,
                             const std::map<long long, Confirmation>& confirmations);

// Columns of the CSV/XLSX list: 编号, 企业名称, 统一社会信用代码, 所属村(社区), 行业, 散, 乱, 污,
// 建议分类, 决定规则, 确认分类, 确认人, 需复核, 问题说明 (every explanation, joined with '；').
std::vector<std::string> check_report_headers();

// UTF-8 with BOM (so Excel shows Chinese), RFC 4180 quoting. The XLSX has the list on sheet 检查结果
// and one row per finding on sheet 问题明细. Both write a temporary file beside out and rename it at
// the end; Error when the file cannot be written.
void write_verdicts_csv(const std::vector<Verdict>& verdicts, const std::map<long long, Confirmation>& confirmations,
                        const std::filesystem::path& out);
void write_verdicts_xlsx(const std::vector<Verdict>& verdicts, const std::map<long long, Confirmation>& confirmations,
                         const std::filesystem::path& out);

struct CheckCounts {
    long long enterprises = 0;
    long long flagged = 0;                      // at least one of 散 乱 污
    std::map<Flag, long long> by_flag;          // every flag, 0 included
    std::map<Category, long long> by_category;  // suggested; every category, 0 included
    long long no_category = 0;                  // no suggestion
};

struct CheckSummary {
    CheckCounts total;
    std::map<std::string, CheckCounts> by_village;  // "" = village not filled in
    long long not_located = 0;                      // no point or footprint: spatial rules could not run
    long long confirmed = 0;                        // enterprises with a 甄别确认
    std::map<Category, long long> confirmed_by_category;
    long long review = 0;                           // confirmed, but the suggestion changed since
};

CheckSummary summarise(const std::vector<Verdict>& verdicts, const std::map<long long, Confirmation>& confirmations);

// One enterprise's state in a run, as compared between runs.
struct VerdictState {
    bool san = false, luan = false, wu = false;
    std::optional<Category> suggested;
    bool operator==(const VerdictState&) const = default;
};
VerdictState verdict_state(const Verdict& v);
// "散乱 → 依法关闭", "无问题", "污 → 无建议"; "(不在本次检查)" is for the caller to write.
std::string describe_verdict_state(const VerdictState& s);

struct VerdictChange {
    long long enterprise_id = 0;
    std::string name, village;
    std::optional<VerdictState> before, after;  // nullopt: the enterprise was not in that run
    std::vector<std::string> rules_added;       // rules with findings after but not before
    std::vector<std::string> rules_removed;     // rules with findings before but not after
};

struct RunComparison {
    std::vector<VerdictChange> changed;  // by enterprise id: flags or suggestion changed, or added/removed
    long long unchanged = 0;
};

RunComparison compare_runs(const std::vector<Verdict>& before, const std::vector<Verdict>& after);

} // namespace qingling
