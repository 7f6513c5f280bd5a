// The progress bulletin (通报) for the discipline inspection office (处纪委, plan section 五): one
// PDF with the overall numbers in words, a table of counts by village (categories, confirmation
// state), the deadlines of the calendar, and an overview map of the jurisdiction by category.
// The campaign status (整治状态) counts and the overdue list (逾期名单) come from the recorded
// workflow as of the bulletin's date, through campaign_progress() (core/map_render).
#pragma once

#include "core/map_layout.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

struct BulletinOptions {
    std::filesystem::path out;   // .pdf (or .png: one file per page)
    PageFormat page = PageFormat::a4_portrait;
    double dpi = 200;
    std::string title;           // default: <辖区>“散乱污”企业整治工作通报
    std::string unit;            // 制发单位 / 制图单位; default: <辖区>纪委 for the text, 国土所 for the map
    std::string date;            // default: today; also the date the status and overdue list are for
};

// An enterprise past the deadline of its next step on the bulletin's date.
struct BulletinOverdue {
    long long id = 0;
    std::string name, village, category, status;  // category: 处置类别; status: 整治状态
    std::string step, deadline;                    // the step due (两断三清 …) and its date
    long days_overdue = 0;
};

struct BulletinVillageRow {
    std::string village;         // "（未填村）" for enterprises without one
    long long total = 0;
    long long by_mark[5] = {0, 0, 0, 0, 0};  // in kAllMarks order
    long long confirmed = 0, to_confirm = 0, review = 0;
};

struct BulletinReport {
    std::vector<std::filesystem::path> files;
    std::vector<BulletinVillageRow> villages;  // sorted by name; the total row last (village "合计")
    std::string summary;                       // the overall paragraph
    std::vector<std::pair<std::string, long long>> by_status;  // 整治状态 in the workflow's order, with counts
    std::string progress_text;                 // the paragraph of section 三
    std::vector<BulletinOverdue> overdue;      // most days overdue first
    int pages = 0;
};

BulletinReport export_bulletin(const ProjectStore& store, const BulletinOptions& options, Progress& progress);

} // namespace qingling
