// The campaign workflow (issue 8): every enterprise moves through the plan's steps
//   排查发现 → 甄别确认 → 已分类 (依法关闭/整改规范/限期搬迁) → 整治中 → 整治完成 → 回头看 → 已销号
// with checked transitions (整治完成 needs all five 两断三清 items for 依法关闭, a passed 验收 for
// 整改规范, the plan and the move for 限期搬迁; 销号 needs a 正常 回头看 inspection), and deadlines
// from the campaign calendar (per enterprise overrides), so overdue and due-soon can be computed
// for any "as of" date. The category is the 甄别确认 (`confirmation`) the check already keeps.
#pragma once

#include "core/campaign_records.hpp"
#include "core/project_store.hpp"
#include "core/verdict.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

// Everything the campaign views need, read once from the store; the views then compute for any
// date without touching the file (a dashboard's timeline slider calls them repeatedly).
struct CampaignData {
    CampaignCalendar calendar;
    std::vector<LedgerRecord> ledger;                     // by id
    std::map<long long, Confirmation> confirmations;      // 甄别确认 (the category)
    std::map<long long, std::vector<StatusChange>> history;  // in date order
    std::map<long long, std::map<ClearanceItem, ClearanceRecord>> clearances;
    std::map<long long, std::vector<Acceptance>> acceptances;
    std::map<long long, std::map<RelocationStep, RelocationProgress>> relocation;
    std::map<long long, std::vector<Inspection>> inspections;  // in date order
    std::map<long long, std::map<DeadlineStep, std::string>> deadline_overrides;
    std::vector<PowerReading> readings;                   // by account, month
    RelapseThresholds relapse_thresholds;

    const LedgerRecord* enterprise(long long id) const;
};
// Everything, or (only_enterprise) what one enterprise's checks need: its ledger row and records,
// without the power readings. A single change at county scale then reads a few rows, not the
// whole campaign.
CampaignData load_campaign(const ProjectStore& store, std::optional<long long> only_enterprise = {});

struct Deadline {
    DeadlineStep step = DeadlineStep::classify;
    std::string date;          // ISO date
    bool overridden = false;   // the enterprise's own date instead of the calendar's
};

// Where one enterprise stands on a date.
struct EnterpriseProgress {
    long long id = 0;
    std::string name, village, department, industry, power_account;
    bool in_campaign = true;                 // false: recorded as found (e.g. by a report) after the date
    std::optional<Category> category;        // from 甄别确认
    CampaignStatus status = CampaignStatus::found;
    std::string status_date;                 // empty for 排查发现 without a recorded date
    std::optional<Deadline> deadline;        // the next calendar step it has to meet, if any
    long days_left = 0;                      // deadline - date (negative: overdue)
    bool overdue = false, due_soon = false;
    std::vector<ClearanceItem> clearance_missing;  // 依法关闭 only: 两断三清 items not done by the date
    std::optional<Acceptance> passed_acceptance;   // 整改规范: the first passed one by the date
    bool relocation_planned = false, relocated = false;
    std::optional<Inspection> last_inspection;     // by the date

    bool remaining() const;  // not yet 整治完成 (or later)
};

// The date of an enterprise's completion step for a category (the calendar's or its own).
std::optional<Deadline> completion_deadline(const CampaignData& data, long long enterprise_id,
                                            std::optional<Category> category);

// The category of an enterprise: its 甄别确认, if any.
std::optional<Category> category_of(const CampaignData& data, long long enterprise_id);

// progress_as_of(...).remaining() without building the progress: the weekly path to zero asks it
// for every enterprise and week.
bool remaining_on(const CampaignData& data, long long enterprise_id, const std::string& date);

EnterpriseProgress progress_as_of(const CampaignData& data, long long enterprise_id, const std::string& as_of,
                                  int due_soon_days = 14);

// The statuses the plan allows after `from` (whether the evidence is there is checked separately).
std::vector<CampaignStatus> allowed_next_statuses(CampaignStatus from);

struct AdvanceOptions {
    long long enterprise_id = 0;
    CampaignStatus to = CampaignStatus::confirmed;
    std::string date;                   // ISO date; empty = today
    std::string note;
    std::optional<Category> category;   // for 已分类: recorded as 甄别确认 when given
};

struct AdvanceReport {
    long long enterprise_id = 0;
    std::string name;
    CampaignStatus from = CampaignStatus::found, to = CampaignStatus::found;
    std::string date;
    std::optional<Category> category;
    bool confirmation_recorded = false;  // a new 甄别确认 was written
};

// Throws TransitionError (Chinese and English, naming the enterprise, the two statuses and what is
// missing or allowed) when the plan does not allow the change on that date.
void check_transition(const CampaignData& data, const AdvanceOptions& options);
// Checks and records the change (and the 甄别确认 when a category is given) in one transaction.
AdvanceReport advance_status(ProjectStore& store, AdvanceOptions options);

// Recording the evidence. Each checks that it fits the enterprise's category (TransitionError
// otherwise) and writes in one transaction.
struct ClearanceOptions {
    long long enterprise_id = 0;
    ClearanceItem item = ClearanceItem::water;
    std::string date;                   // empty = today
    std::string evidence_note;
    std::string evidence_file;          // a file to store in the campaign file (photo, scan, PDF), optional
};
ClearanceRecord record_clearance(ProjectStore& store, const ClearanceOptions& options);
Acceptance record_acceptance(ProjectStore& store, Acceptance acceptance);
RelocationProgress record_relocation(ProjectStore& store, RelocationProgress progress);

// Reads a whole file (evidence, photos); InputError naming it when it cannot.
std::vector<unsigned char> read_whole_file(const std::string& path);

} // namespace qingling
