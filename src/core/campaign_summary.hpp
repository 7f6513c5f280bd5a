// Where the campaign stands on a date: counts by category × status, by village and by department,
// the path to zero (remaining per week against what the deadlines require), the overdue and
// due-soon lists, and every enterprise's progress for click-through. Computed from CampaignData
// only, so the dashboard panel and `qingling-cli status` show the same numbers.
#pragma once

#include "core/campaign_readings.hpp"
#include "core/campaign_workflow.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace qingling {

struct CampaignSummaryOptions {
    std::string as_of;          // ISO date; empty = today
    int due_soon_days = 14;
    int max_weeks = 26;         // length of the path to zero
};

// Counts of one group (a village, a department, a category).
struct CampaignGroupCounts {
    int total = 0, remaining = 0, overdue = 0, due_soon = 0;
    std::map<CampaignStatus, int> by_status;  // every status present, zero included
};

struct CampaignWeek {
    std::string week_end;        // ISO date (the as-of date, then 7, 14, … days before)
    int remaining = 0;           // not yet 整治完成 on that day
    int required_remaining = 0;  // allowed to remain by the deadlines (completion date after the day, or none)
};

struct CampaignSummary {
    std::string as_of;
    CampaignCalendar calendar;
    int total = 0;               // enterprises in the campaign on the date
    int remaining = 0, done = 0, struck_off = 0, overdue = 0, due_soon = 0;
    // "依法关闭", "整改规范", "限期搬迁", "未分类" → counts
    std::map<std::string, CampaignGroupCounts> by_category;
    std::map<std::string, CampaignGroupCounts> by_village;      // "(未填)" for none
    std::map<std::string, CampaignGroupCounts> by_department;   // "(未填)" for none
    std::vector<CampaignWeek> path_to_zero;                     // oldest first
    std::vector<EnterpriseProgress> overdue_list;               // most overdue first
    std::vector<EnterpriseProgress> due_soon_list;              // nearest first
    std::vector<EnterpriseProgress> enterprises;                // all in the campaign, by id
    std::vector<RelapseFlag> relapses;                          // 死灰复燃 suspects by the readings up to the date
};

CampaignSummary summarise_campaign(const CampaignData& data, const CampaignSummaryOptions& options);

// The summary as JSON (the scripts' and dashboard's contract): counts, weeks, lists by id, relapses.
std::string campaign_summary_to_json(const CampaignSummary& summary);

// The label of a category for grouping ("未分类" when none).
std::string category_group_label(const std::optional<Category>& c);

} // namespace qingling
