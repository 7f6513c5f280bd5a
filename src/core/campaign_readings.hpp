// Relapse (死灰复燃) detection from the power supply office's monthly readings per 电力户号: a
// closed enterprise that still draws power after 断电, or a rectifying one (先停后治, not yet
// accepted) whose use jumps, is flagged for re-inspection with the numbers. Thresholds are project
// settings (RelapseThresholds), editable.
#pragma once

#include "core/campaign_workflow.hpp"
#include "core/i18n.hpp"
#include "core/progress.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

struct ReadingProblem {
    long long row = 0;
    std::string column, value, message;  // message in Chinese
};

struct ReadingsImportReport {
    std::string file;
    bool wide = false;                   // one column per month instead of a 月份 column
    long long rows = 0;                  // data rows read
    long long readings = 0;              // valid readings found
    long long stored = 0;                // new or changed
    std::vector<ReadingProblem> problems;            // rows or cells skipped
    std::vector<std::string> unknown_accounts;       // not in the ledger (stored anyway)
};

// Reads a CSV (UTF-8 or GBK) or XLSX through GDAL: either long (电力户号, 月份, 用电量) or wide
// (电力户号 and one column per month such as 2024-10 or 2024年10月). Bad cells are listed and
// skipped; InputError (naming the file) when nothing usable is found. One transaction.
ReadingsImportReport import_power_readings(ProjectStore& store, const std::filesystem::path& file, Progress& progress);

struct RelapseFlag {
    long long enterprise_id = 0;
    std::string name, village, account;
    Category category = Category::close;
    std::string reason;                  // "closed_consumption" or "rectify_jump"
    std::string since;                   // 断电 date (closed) or "" (jump)
    std::vector<std::pair<std::string, double>> months;  // month → kWh that tripped the rule
    double max_kwh = 0;
    double baseline_kwh = 0;             // closed: the limit; jump: mean of the months before the first jump
    std::string explanation;             // one line, Chinese, with the numbers
    Phrase explanation_phrase;           // the same for the UI (explanation_phrase.shown() in its language)
};

// Flags by the readings up to the as-of month. Enterprises without a 电力户号 are not judged.
std::vector<RelapseFlag> detect_relapses(const CampaignData& data, const std::vector<PowerReading>& readings,
                                         const RelapseThresholds& thresholds, const std::string& as_of);

} // namespace qingling
