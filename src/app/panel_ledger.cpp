// The ledger table (企业台账): every enterprise with its village, industry and category; sortable
// by any column, filtered by text, village, industry, category and 散/乱/污 flag (app/ledger_filter); a click selects the enterprise and
// centres the map on it, and a selection made on the map scrolls the table to its row.
#include "app/ledger_filter.hpp"
#include "app/panels.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace qingling::app {

namespace {

enum Column : ImGuiID { col_id, col_name, col_village, col_industry, col_mark, col_flags };

std::string flags_text(const EnterpriseItem& e) {
    if (!e.verdict) return "";
    // Chinese writes 散乱污 as one word; translations get a separator.
    const char* separator = ui_language() == UiLanguage::zh ? "" : ", ";
    std::string s;
    for (auto [flag, label] : {std::pair{e.verdict->san, N_("散")}, std::pair{e.verdict->luan, N_("乱")},
                               std::pair{e.verdict->wu, N_("污")}})
        if (flag) s += (s.empty() ? "" : separator) + std::string(tr(label));
    return s;
}

int compare(const EnterpriseItem& a, const EnterpriseItem& b, ImGuiID column) {
    switch (column) {
    case col_id: return a.record.id < b.record.id ? -1 : a.record.id > b.record.id;
    case col_name: return a.record.name.compare(b.record.name);
    case col_village: return a.record.village.compare(b.record.village);
    case col_industry: return shown_industry(a.record.industry).compare(shown_industry(b.record.industry));
    case col_mark: return static_cast<int>(a.mark) - static_cast<int>(b.mark);
    case col_flags: return flags_text(a).compare(flags_text(b));
    }
    return 0;
}

} // namespace

void draw_ledger_panel(ViewerState& state) {
    if (!begin_panel(_("企业台账"), state.layout.ledger) || !state.model) {
        if (!state.model) ImGui::TextDisabled(_("没有打开项目"));
        ImGui::End();
        return;
    }
    MapModel& model = *state.model;

    // Filters: text, village and category on the first row; industry and flag on the second.
    LedgerFilter& filter = state.ledger_filter;
    char text[256];
    std::snprintf(text, sizeof text, "%s", filter.text.c_str());
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
    if (ImGui::InputTextWithHint("##text", _("搜索名称或信用代码"), text, sizeof text)) filter.text = text;
    ImGui::SameLine();
    std::set<std::string> villages, industries;
    for (const auto& e : model.enterprises) {
        villages.insert(e.record.village);
        industries.insert(e.record.industry);
    }
    // `shown` gives an entry's text (industries in the UI language); the ledger's value after "##"
    // keeps entries apart whose shown text is the same.
    auto choice = [](const char* id, const char* all, std::string& value, const std::set<std::string>& values,
                     std::string (*shown)(std::string_view) = nullptr) {
        auto text = [&](const std::string& v) { return shown ? shown(v) : v; };
        if (ImGui::BeginCombo(id, value.empty() ? all : text(value).c_str())) {
            if (ImGui::Selectable(all, value.empty())) value.clear();
            for (const auto& v : values)
                if (!v.empty() && ImGui::Selectable((text(v) + "##" + v).c_str(), value == v)) value = v;
            ImGui::EndCombo();
        }
    };
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    choice("##village", _("全部村(社区)"), filter.village, villages);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##mark", filter.mark < 0 ? _("全部分类") : tr(mark_label_zh(static_cast<Mark>(filter.mark))))) {
        if (ImGui::Selectable(_("全部分类"), filter.mark < 0)) filter.mark = -1;
        for (Mark m : kAllMarks)
            if (ImGui::Selectable(tr(mark_label_zh(m)), filter.mark == static_cast<int>(m))) filter.mark = static_cast<int>(m);
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.42f);
    choice("##industry", _("全部行业"), filter.industry, industries, shown_industry);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    if (ImGui::BeginCombo("##flag", tr(flag_filter_label_zh(filter.flag)))) {
        for (FlagFilter f : {FlagFilter::any, FlagFilter::san, FlagFilter::luan, FlagFilter::wu, FlagFilter::none})
            if (ImGui::Selectable(tr(flag_filter_label_zh(f)), filter.flag == f)) filter.flag = f;
        ImGui::EndCombo();
    }
    if (filter.active()) {
        ImGui::SameLine();
        if (ImGui::SmallButton(_("清除筛选"))) filter = LedgerFilter{};
    }

    std::vector<int> rows = filtered_rows(model, filter);

    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_SortMulti | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingFixedFit;
    const float footer = ImGui::GetTextLineHeightWithSpacing();
    if (ImGui::BeginTable("ledger", 6, flags, ImVec2(0, -footer))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(_("编号"), ImGuiTableColumnFlags_DefaultSort, 0, col_id);
        ImGui::TableSetupColumn(_("企业名称"), ImGuiTableColumnFlags_WidthStretch, 0, col_name);
        ImGui::TableSetupColumn(_("村(社区)"), 0, 0, col_village);
        ImGui::TableSetupColumn(_("行业"), 0, 0, col_industry);
        ImGui::TableSetupColumn(_("分类"), 0, 0, col_mark);
        ImGui::TableSetupColumn(_("问题"), 0, 0, col_flags);
        ImGui::TableHeadersRow();

        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs()) {
            std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
                for (int s = 0; s < specs->SpecsCount; ++s) {
                    const ImGuiTableColumnSortSpecs& spec = specs->Specs[s];
                    int c = compare(model.enterprises[static_cast<size_t>(a)], model.enterprises[static_cast<size_t>(b)],
                                    spec.ColumnUserID);
                    if (c != 0) return spec.SortDirection == ImGuiSortDirection_Ascending ? c < 0 : c > 0;
                }
                return a < b;
            });
            specs->SpecsDirty = false;
        }

        const float row_height = ImGui::GetTextLineHeightWithSpacing();
        if (state.scroll_ledger_to_selection) {
            auto it = std::find(rows.begin(), rows.end(), state.selected());
            if (it != rows.end()) {
                const float y = static_cast<float>(it - rows.begin()) * row_height;
                const float visible = ImGui::GetWindowHeight() - row_height;
                if (y < ImGui::GetScrollY() || y > ImGui::GetScrollY() + visible - row_height)
                    ImGui::SetScrollY(std::max(0.f, y - visible / 2));
            }
            state.scroll_ledger_to_selection = false;
        }

        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()), row_height);
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                const int index = rows[static_cast<size_t>(r)];
                const EnterpriseItem& e = model.enterprises[static_cast<size_t>(index)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                char id[32];
                std::snprintf(id, sizeof id, "%lld", e.record.id);
                const bool selected = index == state.selected();
                if (ImGui::Selectable(id, selected, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
                    state.select(index, true);
                    state.scroll_ledger_to_selection = false;  // the row is already in view
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(e.record.name.c_str());
                if (!e.has_point) {
                    ImGui::SameLine();
                    ImGui::TextDisabled(_("(无坐标)"));
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(e.record.village.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(shown_industry(e.record.industry).c_str());
                ImGui::TableNextColumn();
                Rgba c = mark_colour(e.mark);
                if (e.mark == Mark::rectify) c = rgb(0xC77800);  // readable on white
                ImGui::TextColored(to_imgui_vec(c), "%s%s", tr(mark_label_zh(e.mark)), e.confirmation ? " ✓" : "");
                if (e.review) {
                    ImGui::SameLine();
                    ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1), _("需复核"));
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(flags_text(e).c_str());
            }
        }
        ImGui::EndTable();
    }
    ImGui::TextDisabled(_("显示 %zu / %zu 家"), rows.size(), model.enterprises.size());
    ImGui::End();
}

} // namespace qingling::app
