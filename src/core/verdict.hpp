// What the conformity check says about an enterprise, shared by the engine, the project store,
// the exporters and the viewer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qingling {

enum class Flag { san, luan, wu };          // 散 乱 污
const char* flag_label_zh(Flag f);          // "散", "乱", "污"
std::optional<Flag> parse_flag(const std::string& text);  // "散"/"san", ...

enum class Category { close, rectify, relocate };  // 依法关闭, 整改规范, 限期搬迁
const char* category_label_zh(Category c);
const char* category_code(Category c);      // "close", "rectify", "relocate"
std::optional<Category> parse_category(const std::string& text);  // Chinese label or code

struct Finding {
    std::string rule;          // rule id from the rule set, e.g. "farmland"
    Flag flag = Flag::san;
    bool hard = false;         // a hard violation decides 依法关闭
    std::string layer;         // project layer name ("" for ledger rules)
    long long feature_id = 0;  // fid in that layer (0 for ledger rules)
    std::string code;          // land class code or permit/emission code
    std::string code_name;     // its name (in the layer's own code system)
    std::optional<double> measure;  // overlap share (0..1) or distance (m)
    std::string unit;          // "share", "m" or ""
    std::string explanation;   // one line, Chinese (reports, exports, the CLI)
    // The same in English from the rule's explanation_en, made by the check beside the Chinese and
    // stored with it, so it does not depend on the language of the process that ran the check;
    // "" when the rule has no English (or the run predates it).
    std::string explanation_en;
};

// The explanation the viewer shows: the English one when the UI speaks English (core/i18n) and
// the finding has one, else the Chinese.
const std::string& shown_explanation(const Finding& f);

struct Verdict {
    long long enterprise_id = 0;
    std::string name, credit_code, village, industry;
    bool located = false;      // has a point or footprint; spatial rules need one
    bool san = false, luan = false, wu = false;
    std::optional<Category> suggested;
    std::string deciding_rule;
    std::vector<Finding> findings;
};

// How long a phase took: wall seconds and CPU seconds of the thread that ran it (on a busy machine
// the wall time says more about the other processes than about the phase).
struct PhaseTiming {
    std::string phase;
    double wall = 0, cpu = 0;
};

// Measures consecutive phases of one thread.
class PhaseClock {
public:
    PhaseClock();
    // The time since the previous lap (or construction), added to `out` as `phase`.
    void lap(std::vector<PhaseTiming>& out, std::string phase);

private:
    double wall_start_, cpu_start_;
};

// Appends text as a JSON string literal as nlohmann::json writes it (quotes, backslashes and
// control characters escaped, UTF-8 kept), for the verdict writers that do not build nlohmann
// objects (tens of thousands per check). Text that is not valid UTF-8 is written by nlohmann with
// each bad sequence replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

struct CheckResult {
    std::string rules_source;   // file the rules came from
    std::string rules_hash;     // SHA-256 of the rule file's bytes
    std::vector<Verdict> verdicts;
    // Rules that could not run, with the reason (e.g. its layer is missing from the project):
    // never reported as violations.
    std::vector<std::pair<std::string, std::string>> not_evaluated;
    // Each phase ("读取台账", "图层 DLTB", "逐家检查"), for --timings and benchmarks.
    std::vector<PhaseTiming> timings;
    // The engine's GEOS objects when the caller asked to keep them (ConformityOptions::
    // keep_geometry); freed with the last copy of the result.
    std::shared_ptr<void> kept_geometry;
};

// 甄别确认: a person's decision on an enterprise's category. Re-running the check never changes
// it; when the suggestion differs from the one the person saw, the enterprise is flagged for review.
struct Confirmation {
    long long enterprise_id = 0;
    Category category = Category::rectify;
    std::string user, at, note;
    std::optional<Category> suggested_when_confirmed;  // the engine's suggestion the person saw
    long long run_id = 0;                              // the check run it was based on (0: none)
};

} // namespace qingling
