#include "core/campaign_records.hpp"

#include "core/i18n.hpp"

namespace qingling {

namespace {
// Finds text among the codes or Chinese labels of an enum's values.
template <typename E, std::size_t N>
std::optional<E> parse_by(const std::string& text, const E (&all)[N], const char* (*code)(E), const char* (*label)(E)) {
    for (E e : all)
        if (text == code(e) || text == label(e)) return e;
    return std::nullopt;
}
} // namespace

const char* campaign_status_label_zh(CampaignStatus s) {
    switch (s) {
    case CampaignStatus::found: return N_("排查发现");
    case CampaignStatus::confirmed: return N_("甄别确认");
    case CampaignStatus::classified: return N_("已分类");
    case CampaignStatus::in_progress: return N_("整治中");
    case CampaignStatus::done: return N_("整治完成");
    case CampaignStatus::revisit: return N_("回头看");
    case CampaignStatus::struck_off: return N_("已销号");
    }
    return "";
}

const char* campaign_status_code(CampaignStatus s) {
    switch (s) {
    case CampaignStatus::found: return "found";
    case CampaignStatus::confirmed: return "confirmed";
    case CampaignStatus::classified: return "classified";
    case CampaignStatus::in_progress: return "in_progress";
    case CampaignStatus::done: return "done";
    case CampaignStatus::revisit: return "revisit";
    case CampaignStatus::struck_off: return "struck_off";
    }
    return "";
}

std::optional<CampaignStatus> parse_campaign_status(const std::string& text) {
    if (text == "销号") return CampaignStatus::struck_off;
    if (text == "完成" || text == "已完成") return CampaignStatus::done;
    return parse_by(text, kAllCampaignStatuses, campaign_status_code, campaign_status_label_zh);
}

const char* clearance_item_label_zh(ClearanceItem i) {
    switch (i) {
    case ClearanceItem::water: return "断水";
    case ClearanceItem::power: return "断电";
    case ClearanceItem::plant: return "清厂房";
    case ClearanceItem::equipment: return "清设备";
    case ClearanceItem::materials: return "清原料";
    }
    return "";
}

const char* clearance_item_code(ClearanceItem i) {
    switch (i) {
    case ClearanceItem::water: return "water";
    case ClearanceItem::power: return "power";
    case ClearanceItem::plant: return "plant";
    case ClearanceItem::equipment: return "equipment";
    case ClearanceItem::materials: return "materials";
    }
    return "";
}

std::optional<ClearanceItem> parse_clearance_item(const std::string& text) {
    // The plan writes 清除厂房/清除设备/清除原料 too.
    if (text == "清除厂房") return ClearanceItem::plant;
    if (text == "清除设备") return ClearanceItem::equipment;
    if (text == "清除原料") return ClearanceItem::materials;
    return parse_by(text, kAllClearanceItems, clearance_item_code, clearance_item_label_zh);
}

const char* relocation_step_label_zh(RelocationStep s) { return s == RelocationStep::plan ? "搬迁方案" : "已搬迁"; }

const char* inspection_result_label_zh(InspectionResult r) {
    switch (r) {
    case InspectionResult::normal: return "正常";
    case InspectionResult::suspected: return "疑似复产";
    case InspectionResult::resumed: return "已复产";
    case InspectionResult::not_rectified: return "整改未到位";
    }
    return "";
}

const char* inspection_result_code(InspectionResult r) {
    switch (r) {
    case InspectionResult::normal: return "normal";
    case InspectionResult::suspected: return "suspected";
    case InspectionResult::resumed: return "resumed";
    case InspectionResult::not_rectified: return "not_rectified";
    }
    return "";
}

std::optional<InspectionResult> parse_inspection_result(const std::string& text) {
    return parse_by(text, kAllInspectionResults, inspection_result_code, inspection_result_label_zh);
}

namespace {
constexpr DeadlineStep kAllDeadlineSteps[] = {DeadlineStep::classify, DeadlineStep::close, DeadlineStep::rectify,
                                              DeadlineStep::relocate_plan, DeadlineStep::relocate_move};
}

const char* deadline_step_label_zh(DeadlineStep s) {
    switch (s) {
    case DeadlineStep::classify: return N_("精准分类");
    case DeadlineStep::close: return N_("两断三清");
    case DeadlineStep::rectify: return N_("整改验收");
    case DeadlineStep::relocate_plan: return N_("搬迁方案");
    case DeadlineStep::relocate_move: return N_("完成搬迁");
    }
    return "";
}

const char* deadline_step_code(DeadlineStep s) {
    switch (s) {
    case DeadlineStep::classify: return "classify";
    case DeadlineStep::close: return "close";
    case DeadlineStep::rectify: return "rectify";
    case DeadlineStep::relocate_plan: return "relocate_plan";
    case DeadlineStep::relocate_move: return "relocate_move";
    }
    return "";
}

std::optional<DeadlineStep> parse_deadline_step(const std::string& text) {
    return parse_by(text, kAllDeadlineSteps, deadline_step_code, deadline_step_label_zh);
}

} // namespace qingling
