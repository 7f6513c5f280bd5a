#include "app/symbol_theme.hpp"

#include "core/campaign_dates.hpp"
#include "core/i18n.hpp"
#include "core/campaign_workflow.hpp"

#include <algorithm>

namespace qingling::app {

const char* symbol_theme_label_zh(SymbolTheme t) {
    switch (t) {
    case SymbolTheme::category: return N_("按分类");
    case SymbolTheme::status: return N_("按整治状态");
    case SymbolTheme::deadline: return N_("按时间节点");
    }
    return "";
}

const char* symbol_theme_code(SymbolTheme t) {
    switch (t) {
    case SymbolTheme::category: return "category";
    case SymbolTheme::status: return "status";
    case SymbolTheme::deadline: return "deadline";
    }
    return "";
}

bool parse_symbol_theme(const std::string& text, SymbolTheme& out) {
    for (SymbolTheme t : kAllSymbolThemes)
        if (text == symbol_theme_code(t) || text == symbol_theme_label_zh(t)) {
            out = t;
            return true;
        }
    return false;
}

namespace {

// Least important first (bottom): what is finished, then the early steps, the work in progress on top.
constexpr CampaignStatus kStatusDrawOrder[] = {CampaignStatus::struck_off, CampaignStatus::done, CampaignStatus::revisit,
                                               CampaignStatus::found, CampaignStatus::confirmed, CampaignStatus::classified,
                                               CampaignStatus::in_progress};
// Least important first (bottom), so 依法关闭 ends up on top.
constexpr Mark kMarkDrawOrder[] = {Mark::unchecked, Mark::ok, Mark::rectify, Mark::relocate, Mark::close};

enum DeadlineClass { overdue = 0, due_soon, on_track, no_deadline, finished };

} // namespace

EnterpriseSymbols enterprise_symbols(const MapModel& model, SymbolTheme theme, const std::string& as_of) {
    EnterpriseSymbols out;
    out.theme = theme;
    out.as_of = as_of;
    const std::size_t n = model.enterprises.size();
    out.class_of.assign(n, -1);
    switch (theme) {
    case SymbolTheme::category:
        for (Mark m : kAllMarks) out.classes.push_back({mark_label_zh(m), mark_colour(m), 0});
        for (Mark m : kMarkDrawOrder) out.draw_order.push_back(static_cast<int>(m));
        for (std::size_t i = 0; i < n; ++i) out.class_of[i] = static_cast<int>(model.enterprises[i].mark);
        break;
    case SymbolTheme::status: {
        for (CampaignStatus s : kAllCampaignStatuses) out.classes.push_back({campaign_status_label_zh(s), campaign_status_colour(s), 0});
        for (CampaignStatus s : kStatusDrawOrder) out.draw_order.push_back(static_cast<int>(s));
        for (std::size_t i = 0; i < n; ++i) {
            const EnterpriseProgress p = progress_as_of(model.campaign, model.enterprises[i].record.id, as_of);
            if (p.in_campaign) out.class_of[i] = static_cast<int>(p.status);
        }
        break;
    }
    case SymbolTheme::deadline: {
        out.classes = {{N_("已逾期"), rgb(0xD62828), 0},
                       {N_("14 天内到期"), rgb(0xF08C00), 0},
                       {N_("按期推进"), rgb(0x1E5AE6), 0},
                       {N_("无时间节点"), rgb(0x9E9E9E), 0},
                       {N_("已整治完成"), rgb(0x43B05C), 0}};
        out.draw_order = {finished, no_deadline, on_track, due_soon, overdue};
        for (std::size_t i = 0; i < n; ++i) {
            const EnterpriseProgress p = progress_as_of(model.campaign, model.enterprises[i].record.id, as_of);
            if (!p.in_campaign) continue;
            out.class_of[i] = !p.remaining() ? finished
                              : p.overdue    ? overdue
                              : p.due_soon   ? due_soon
                              : p.deadline   ? on_track
                                             : no_deadline;
        }
        break;
    }
    }
    for (std::size_t i = 0; i < n; ++i)
        if (out.class_of[i] >= 0 && model.enterprises[i].has_point) ++out.classes[static_cast<std::size_t>(out.class_of[i])].count;
    return out;
}

namespace {

// The earliest and latest dates recorded (status changes, inspections); empty when none.
DateRange recorded_dates(const CampaignData& data) {
    DateRange r;
    auto add = [&](const std::string& d) {
        if (d.empty()) return;
        if (r.first.empty() || d < r.first) r.first = d;
        if (r.last.empty() || d > r.last) r.last = d;
    };
    for (const auto& [id, changes] : data.history)
        for (const auto& c : changes) add(c.date);
    for (const auto& [id, list] : data.inspections)
        for (const auto& i : list) add(i.date);
    return r;
}

} // namespace

std::string default_campaign_date(const CampaignData& data) {
    const std::string latest = recorded_dates(data).last;
    const std::string today = today_iso_date();
    return latest.empty() || latest > today ? today : latest;
}

DateRange campaign_timeline(const CampaignData& data) {
    const DateRange recorded = recorded_dates(data);
    const CampaignCalendar& c = data.calendar;
    DateRange r;
    r.first = add_days(c.survey_end, -60);
    if (!recorded.first.empty()) r.first = std::min(r.first, recorded.first);
    r.last = add_days(std::max({c.survey_end, c.classify_end, c.close_end, c.rectify_end, c.relocate_plan_end}), 31);
    if (!recorded.last.empty()) r.last = std::max(r.last, recorded.last);
    return r;
}

} // namespace qingling::app
