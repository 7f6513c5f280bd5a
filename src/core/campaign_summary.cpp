#include "core/campaign_summary.hpp"

#include "core/campaign_dates.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace qingling {

std::string category_group_label(const std::optional<Category>& c) { return c ? category_label_zh(*c) : "未分类"; }

namespace {
void count(CampaignGroupCounts& g, const EnterpriseProgress& p) {
    if (g.by_status.empty())
        for (auto s : kAllCampaignStatuses) g.by_status[s] = 0;
    ++g.total;
    ++g.by_status[p.status];
    if (p.remaining()) ++g.remaining;
    if (p.overdue) ++g.overdue;
    if (p.due_soon) ++g.due_soon;
}
std::string or_unknown(const std::string& s) { return s.empty() ? "(未填)" : s; }
} // namespace

CampaignSummary summarise_campaign(const CampaignData& data, const CampaignSummaryOptions& options) {
    CampaignSummary s;
    s.as_of = options.as_of.empty() ? today_iso_date() : options.as_of;
    require_iso_date(s.as_of, "the as-of date");
    s.calendar = data.calendar;
    for (const char* c : {"依法关闭", "整改规范", "限期搬迁", "未分类"}) s.by_category[c] = CampaignGroupCounts{};
    for (auto& [_, g] : s.by_category)
        for (auto st : kAllCampaignStatuses) g.by_status[st] = 0;
    for (const auto& r : data.ledger) {
        EnterpriseProgress p = progress_as_of(data, r.id, s.as_of, options.due_soon_days);
        if (!p.in_campaign) continue;
        ++s.total;
        if (p.remaining()) ++s.remaining;
        else if (p.status == CampaignStatus::struck_off) ++s.struck_off;
        else ++s.done;
        count(s.by_category[category_group_label(p.category)], p);
        count(s.by_village[or_unknown(p.village)], p);
        count(s.by_department[or_unknown(p.department)], p);
        if (p.overdue) {
            ++s.overdue;
            s.overdue_list.push_back(p);
        }
        if (p.due_soon) {
            ++s.due_soon;
            s.due_soon_list.push_back(p);
        }
        s.enterprises.push_back(std::move(p));
    }
    std::stable_sort(s.overdue_list.begin(), s.overdue_list.end(),
                     [](const auto& a, const auto& b) { return a.days_left < b.days_left; });
    std::stable_sort(s.due_soon_list.begin(), s.due_soon_list.end(),
                     [](const auto& a, const auto& b) { return a.days_left < b.days_left; });

    s.relapses = detect_relapses(data, data.readings, data.relapse_thresholds, s.as_of);

    // Path to zero: the weeks up to the date, back to the campaign's first recorded day.
    std::string first = data.calendar.survey_end;
    for (const auto& [_, h] : data.history)
        if (!h.empty() && h.front().date < first) first = h.front().date;
    std::vector<std::string> ends;
    for (std::string end = s.as_of; static_cast<int>(ends.size()) < options.max_weeks; end = add_days(end, -7)) {
        ends.push_back(end);
        if (end <= first) break;
    }
    std::reverse(ends.begin(), ends.end());
    s.path_to_zero.resize(ends.size());
    for (size_t k = 0; k < ends.size(); ++k) s.path_to_zero[k].week_end = ends[k];
    for (const auto& r : data.ledger) {
        // The completion deadline does not change with the week.
        const auto due = completion_deadline(data, r.id, category_of(data, r.id));
        for (size_t k = 0; k < ends.size(); ++k) {
            if (!remaining_on(data, r.id, ends[k])) continue;
            CampaignWeek& w = s.path_to_zero[k];
            ++w.remaining;
            if (!due || due->date >= ends[k]) ++w.required_remaining;
        }
    }
    return s;
}

namespace {
using Json = nlohmann::ordered_json;

Json group_json(const CampaignGroupCounts& g) {
    Json j;
    j["total"] = g.total;
    j["remaining"] = g.remaining;
    j["overdue"] = g.overdue;
    j["due_soon"] = g.due_soon;
    Json by = Json::object();
    for (const auto& [st, n] : g.by_status) by[campaign_status_code(st)] = n;
    j["by_status"] = by;
    return j;
}

Json progress_json(const EnterpriseProgress& p) {
    Json j;
    j["id"] = p.id;
    j["name"] = p.name;
    j["village"] = p.village;
    j["department"] = p.department;
    j["category"] = p.category ? Json(category_code(*p.category)) : Json(nullptr);
    j["status"] = campaign_status_code(p.status);
    j["status_zh"] = campaign_status_label_zh(p.status);
    j["status_date"] = p.status_date.empty() ? Json(nullptr) : Json(p.status_date);
    if (p.deadline) {
        j["deadline"] = {{"step", deadline_step_code(p.deadline->step)},
                         {"step_zh", deadline_step_label_zh(p.deadline->step)},
                         {"date", p.deadline->date},
                         {"overridden", p.deadline->overridden}};
        j["days_left"] = p.days_left;
    } else {
        j["deadline"] = nullptr;
        j["days_left"] = nullptr;
    }
    j["overdue"] = p.overdue;
    j["due_soon"] = p.due_soon;
    Json missing = Json::array();
    for (auto item : p.clearance_missing) missing.push_back(clearance_item_code(item));
    j["clearance_missing"] = missing;
    return j;
}
} // namespace

std::string campaign_summary_to_json(const CampaignSummary& s) {
    Json j;
    j["as_of"] = s.as_of;
    j["calendar"] = {{"survey_end", s.calendar.survey_end},
                     {"classify_end", s.calendar.classify_end},
                     {"close_end", s.calendar.close_end},
                     {"rectify_end", s.calendar.rectify_end},
                     {"relocate_plan_end", s.calendar.relocate_plan_end}};
    j["total"] = s.total;
    j["remaining"] = s.remaining;
    j["done"] = s.done;
    j["struck_off"] = s.struck_off;
    j["overdue"] = s.overdue;
    j["due_soon"] = s.due_soon;
    Json cat = Json::object();
    for (const auto& [k, g] : s.by_category) cat[k] = group_json(g);
    j["by_category"] = cat;
    Json vil = Json::object();
    for (const auto& [k, g] : s.by_village) vil[k] = group_json(g);
    j["by_village"] = vil;
    Json dep = Json::object();
    for (const auto& [k, g] : s.by_department) dep[k] = group_json(g);
    j["by_department"] = dep;
    Json weeks = Json::array();
    for (const auto& w : s.path_to_zero)
        weeks.push_back({{"week_end", w.week_end}, {"remaining", w.remaining}, {"required_remaining", w.required_remaining}});
    j["path_to_zero"] = weeks;
    Json overdue = Json::array();
    for (const auto& p : s.overdue_list) overdue.push_back(progress_json(p));
    j["overdue_list"] = overdue;
    Json soon = Json::array();
    for (const auto& p : s.due_soon_list) soon.push_back(progress_json(p));
    j["due_soon_list"] = soon;
    Json relapses = Json::array();
    for (const auto& f : s.relapses) {
        Json months = Json::array();
        for (const auto& [m, kwh] : f.months) months.push_back({{"month", m}, {"kwh", kwh}});
        relapses.push_back({{"id", f.enterprise_id},
                            {"name", f.name},
                            {"village", f.village},
                            {"account", f.account},
                            {"category", category_code(f.category)},
                            {"reason", f.reason},
                            {"since", f.since.empty() ? Json(nullptr) : Json(f.since)},
                            {"months", months},
                            {"max_kwh", f.max_kwh},
                            {"baseline_kwh", f.baseline_kwh},
                            {"explanation", f.explanation}});
    }
    j["relapses"] = relapses;
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace qingling
