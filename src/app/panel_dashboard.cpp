// The dashboard (整治进度, issue 8): where the campaign stands on a date — counts by category and
// status, the path to zero against what the deadlines require, the overdue and due-soon lists and
// the 死灰复燃 suspects; a click on a name selects the enterprise on the map. The numbers are
// core/campaign_summary's, the same `qingling-cli status` prints.
#include "app/panels.hpp"

#include "core/campaign_dates.hpp"
#include "core/campaign_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace qingling::app {

namespace {

// A name that selects its enterprise on the map and in the ledger.
void enterprise_link(ViewerState& state, long long id, const std::string& name) {
    const int index = state.model->enterprise_index(id);
    ImGui::PushID(static_cast<int>(id));
    if (ImGui::Selectable(name.c_str(), state.selected() == index && index >= 0) && index >= 0) {
        state.select(index, true);
        state.scroll_ledger_to_selection = true;
    }
    ImGui::PopID();
}

void progress_list(ViewerState& state, const char* id, const std::vector<EnterpriseProgress>& list, bool overdue) {
    if (list.empty()) {
        ImGui::TextDisabled(_("无"));
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit |
                                  ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable(id, 4, flags, ImVec2(0, std::min(8.0f, static_cast<float>(list.size()) + 1.5f) *
                                                      ImGui::GetTextLineHeightWithSpacing())))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(_("企业"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(_("村(社区)"));
    ImGui::TableSetupColumn(_("节点"));
    ImGui::TableSetupColumn(overdue ? _("逾期") : _("剩余"));
    ImGui::TableHeadersRow();
    for (const EnterpriseProgress& p : list) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        enterprise_link(state, p.id, p.name);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.village.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.deadline ? tr(deadline_step_label_zh(p.deadline->step)) : "");
        ImGui::TableNextColumn();
        const long days = overdue ? -p.days_left : p.days_left;
        ImGui::Text(trn("%ld 天", "%ld 天", static_cast<unsigned long long>(std::labs(days))), days);
    }
    ImGui::EndTable();
}

} // namespace

void draw_dashboard(ViewerState& state) {
    if (!state.model) return;
    DashboardState& d = state.dashboard;
    if (d.as_of.empty()) d.as_of = default_campaign_date(state.model->campaign);
    char date[16];
    std::snprintf(date, sizeof date, "%s", d.as_of.c_str());
    ImGui::SetNextItemWidth(110);
    if (ImGui::InputText(_("截至日期"), date, sizeof date, ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (is_iso_date(date)) d.as_of = date;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(_("今天"))) d.as_of = today_iso_date();
    if (!d.summary || d.summary->as_of != d.as_of) {
        CampaignSummaryOptions o;
        o.as_of = d.as_of;
        d.summary = summarise_campaign(state.model->campaign, o);
    }
    const CampaignSummary& s = *d.summary;
    text_wrapped_cjkf(_("共 %d 家, 已整治完成 %d (其中已销号 %d), 剩余 %d (逾期 %d, %d 天内到期 %d)"), s.total, s.done,
                      s.struck_off, s.remaining, s.overdue, 14, s.due_soon);

    // Status × category: one row per status, one column per category.
    static const char* const kCategories[] = {N_("依法关闭"), N_("整改规范"), N_("限期搬迁"), N_("未分类")};  // keys of by_category
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame;
    if (ImGui::BeginTable("by_status", 1 + static_cast<int>(std::size(kCategories)) + 1, flags)) {
        ImGui::TableSetupColumn(_("状态"));
        for (const char* c : kCategories) ImGui::TableSetupColumn(tr(c));
        ImGui::TableSetupColumn(_("合计"));
        ImGui::TableHeadersRow();
        auto count = [&](const char* category, auto field) {
            const auto it = s.by_category.find(category);
            return it == s.by_category.end() ? 0 : field(it->second);
        };
        auto table_row = [&](const char* label, auto field, bool warn) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(label);
            int total = 0;
            for (const char* c : kCategories) {
                const int n = count(c, field);
                total += n;
                ImGui::TableNextColumn();
                if (warn && n > 0) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%d", n);
                else ImGui::Text("%d", n);
            }
            ImGui::TableNextColumn();
            ImGui::Text("%d", total);
        };
        for (CampaignStatus st : kAllCampaignStatuses)
            table_row(tr(campaign_status_label_zh(st)), [st](const CampaignGroupCounts& g) {
                const auto it = g.by_status.find(st);
                return it == g.by_status.end() ? 0 : it->second;
            }, false);
        table_row(_("其中逾期"), [](const CampaignGroupCounts& g) { return g.overdue; }, true);
        table_row(_("合计"), [](const CampaignGroupCounts& g) { return g.total; }, false);
        ImGui::EndTable();
    }

    // The path to zero: remaining per week (solid) and what the deadlines allow (the plan).
    if (!s.path_to_zero.empty()) {
        std::vector<float> remaining, required;
        float top = 1;
        for (const CampaignWeek& w : s.path_to_zero) {
            remaining.push_back(static_cast<float>(w.remaining));
            required.push_back(static_cast<float>(w.required_remaining));
            top = std::max({top, remaining.back(), required.back()});
        }
        text_wrapped_cjkf(_("清零进度: 每周剩余 (红), 按时间节点应剩 (灰), %s 至 %s"), s.path_to_zero.front().week_end.c_str(),
                          s.path_to_zero.back().week_end.c_str());
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const ImVec2 size(ImGui::GetContentRegionAvail().x, 70);
        ImGui::PushStyleColor(ImGuiCol_PlotLines, IM_COL32(200, 30, 30, 255));
        ImGui::PlotLines("##remaining", remaining.data(), static_cast<int>(remaining.size()), 0, nullptr, 0, top, size);
        ImGui::PopStyleColor();
        // The required line over the same frame.
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float pad = ImGui::GetStyle().FramePadding.x;
        for (size_t i = 1; i < required.size(); ++i) {
            auto point = [&](size_t k) {
                const float x = at.x + pad + (size.x - 2 * pad) * static_cast<float>(k) / static_cast<float>(required.size() - 1);
                const float y = at.y + pad + (size.y - 2 * pad) * (1 - required[k] / top);
                return ImVec2(x, y);
            };
            dl->AddLine(point(i - 1), point(i), IM_COL32(120, 120, 120, 255), 1.5f);
        }
    }

    ImGui::Separator();
    ImGui::Text(_("逾期 %zu 家"), s.overdue_list.size());
    progress_list(state, "overdue", s.overdue_list, true);
    ImGui::Text(_("%d 天内到期 %zu 家"), 14, s.due_soon_list.size());
    progress_list(state, "due_soon", s.due_soon_list, false);
    ImGui::Text(_("疑似死灰复燃 %zu 家 (用电数据)"), s.relapses.size());
    for (const RelapseFlag& f : s.relapses) {
        enterprise_link(state, f.enterprise_id, f.name);
        ImGui::SameLine();
        text_disabled_wrapped(f.explanation_phrase.shown().c_str());  // in the UI language
    }
}

} // namespace qingling::app
