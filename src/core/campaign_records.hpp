// What the campaign file records about each enterprise's way to zero (schema 5): status history,
// 两断三清, 整改验收, 搬迁, inspections with photos, public reports, deadline overrides and
// electricity readings. Plain data shared by the project store, the workflow and the views.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace qingling {

// The steps of the plan an enterprise moves through (see campaign_workflow for the transitions).
enum class CampaignStatus { found, confirmed, classified, in_progress, done, revisit, struck_off };
inline constexpr CampaignStatus kAllCampaignStatuses[] = {
    CampaignStatus::found,  CampaignStatus::confirmed, CampaignStatus::classified, CampaignStatus::in_progress,
    CampaignStatus::done,   CampaignStatus::revisit,   CampaignStatus::struck_off};
const char* campaign_status_label_zh(CampaignStatus s);  // 排查发现, 甄别确认, 已分类, 整治中, 整治完成, 回头看, 已销号
const char* campaign_status_code(CampaignStatus s);      // found, confirmed, classified, in_progress, done, revisit, struck_off
std::optional<CampaignStatus> parse_campaign_status(const std::string& text);  // label or code

// One entry of an enterprise's status history. `date` is when it happened (ISO date, given by the
// user, may be in the past); `recorded_at` is when it was entered (ISO time, UTC).
struct StatusChange {
    long long id = 0;
    long long enterprise_id = 0;
    CampaignStatus status = CampaignStatus::found;
    std::string date, user, recorded_at, note;
};

// 两断三清 of an enterprise to be closed.
enum class ClearanceItem { water, power, plant, equipment, materials };
inline constexpr ClearanceItem kAllClearanceItems[] = {ClearanceItem::water, ClearanceItem::power, ClearanceItem::plant,
                                                       ClearanceItem::equipment, ClearanceItem::materials};
const char* clearance_item_label_zh(ClearanceItem i);  // 断水, 断电, 清厂房, 清设备, 清原料
const char* clearance_item_code(ClearanceItem i);      // water, power, plant, equipment, materials
std::optional<ClearanceItem> parse_clearance_item(const std::string& text);

struct ClearanceRecord {
    long long enterprise_id = 0;
    ClearanceItem item = ClearanceItem::water;
    std::string date;                 // ISO date it was done
    std::string evidence_note;        // 文书编号, 说明 ...
    std::string evidence_file;        // file name of the stored evidence, empty when none
    std::vector<unsigned char> evidence_data;  // its bytes (only when writing; lists leave it empty)
    std::string user, recorded_at;
};

// 整改验收 by a department.
struct Acceptance {
    long long id = 0;
    long long enterprise_id = 0;
    std::string department, date, note;
    bool passed = false;
    std::string user, recorded_at;
};

// 限期搬迁: the plan (with the date the move is due) and the move itself.
enum class RelocationStep { plan, moved };
const char* relocation_step_label_zh(RelocationStep s);  // 搬迁方案, 已搬迁
struct RelocationProgress {
    long long enterprise_id = 0;
    RelocationStep step = RelocationStep::plan;
    std::string date;         // when the plan was made / the enterprise moved
    std::string due_date;     // plan only: the move is due by then (may be empty)
    std::string note, user, recorded_at;
};

// Inspections (routine and 回头看).
enum class InspectionResult { normal, suspected, resumed, not_rectified };
inline constexpr InspectionResult kAllInspectionResults[] = {InspectionResult::normal, InspectionResult::suspected,
                                                             InspectionResult::resumed, InspectionResult::not_rectified};
const char* inspection_result_label_zh(InspectionResult r);  // 正常, 疑似复产, 已复产, 整改未到位
const char* inspection_result_code(InspectionResult r);      // normal, suspected, resumed, not_rectified
std::optional<InspectionResult> parse_inspection_result(const std::string& text);

struct Inspection {
    long long id = 0;
    long long enterprise_id = 0;
    std::string date, inspector, note;
    InspectionResult result = InspectionResult::normal;
    std::string user, recorded_at;
};

// A photo stored in the campaign file; its position comes from the EXIF GPS tags (WGS-84) and is
// kept both as read and in the project CRS.
struct Photo {
    long long id = 0;
    long long enterprise_id = 0;
    long long inspection_id = 0;    // 0: not taken at an inspection
    std::string file_name, taken_at;  // taken_at: EXIF DateTimeOriginal as ISO, or empty
    std::optional<double> lon, lat;   // WGS-84 from EXIF
    std::optional<double> x, y;       // project CRS
    long long size = 0;               // bytes
    std::vector<unsigned char> data;  // only when writing, or read through photo_data()
    std::string user, recorded_at;
};

// 举报 / 信访 from the public: each creates (or points at) an enterprise to be surveyed.
inline constexpr const char* kPublicReportKinds[] = {"举报", "信访"};
struct PublicReport {
    long long id = 0;
    std::string kind;               // 举报 or 信访
    std::string date, reporter, contact, content;
    long long enterprise_id = 0;    // the suspect record it created or names
    std::optional<double> x, y;     // where, in the project CRS
    std::string user, recorded_at;
};

// The calendar step a deadline belongs to; an enterprise can have its own date for any of them.
enum class DeadlineStep { classify, close, rectify, relocate_plan, relocate_move };
const char* deadline_step_label_zh(DeadlineStep s);  // 精准分类, 两断三清, 整改验收, 搬迁方案, 完成搬迁
const char* deadline_step_code(DeadlineStep s);
std::optional<DeadlineStep> parse_deadline_step(const std::string& text);

struct DeadlineOverride {
    long long enterprise_id = 0;
    DeadlineStep step = DeadlineStep::close;
    std::string date, note, user, recorded_at;
};

// Monthly consumption of one power account (电力户号) from the power supply office.
struct PowerReading {
    std::string account;
    std::string month;   // YYYY-MM
    double kwh = 0;
    std::string source;  // file it came from
};

// When readings make an enterprise suspect (死灰复燃). Stored in the project settings.
struct RelapseThresholds {
    double closed_max_kwh = 50;    // a closed enterprise may use at most this per month after 断电
    double jump_ratio = 2.0;       // a rectifying one whose month exceeds ratio x its earlier mean ...
    double jump_min_kwh = 300;     // ... by at least this many kWh
};

} // namespace qingling
