// The inspector: every ledger field of the selected enterprise, its verdict in the latest check
// run with each finding's explanation, and the 甄别确认 when there is one.
#include "app/panels.hpp"

#include "core/ledger_record.hpp"

#include <cmath>
#include <string>

namespace qingling::app {

namespace {

void row(const char* key, const std::string& value) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", key);
    ImGui::TableNextColumn();
    text_wrapped_cjk(value.empty() ? "—" : value.c_str());
}

std::string yes_no(const std::optional<bool>& v, const char* yes, const char* no) {
    if (!v) return "未填";
    return *v ? yes : no;
}

std::string coord_text(const LedgerRecord& r) {
    if (!r.x || !r.y) return "";
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.2f, %.2f", *r.x, *r.y);
    return buf;
}

void ledger_fields(const LedgerRecord& r) {
    if (!ImGui::BeginTable("fields", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) return;
    ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    row("统一社会信用代码", r.credit_code);
    row("法定代表人", r.legal_person);
    row("联系电话", r.phone);
    row("地址", r.address);
    row("所属村(社区)", r.village);
    row("行业", r.industry);
    row("责任部门", r.department);
    row("电力户号", r.power_account);
    for (Permit p : kAllPermits) {
        auto it = r.permits.find(p);
        row(permit_label_zh(p), yes_no(it == r.permits.end() ? std::nullopt : it->second, "有", "无"));
    }
    row("废水", emission_label_zh(r.wastewater));
    row("废气", emission_label_zh(r.waste_gas));
    row("固废", emission_label_zh(r.solid_waste));
    row("固废台账", yes_no(r.solid_waste_ledger, "有", "无"));
    std::string source = coord_source_code(r.coord_source);
    if (!r.original_x.empty() || !r.original_y.empty()) source += " (" + r.original_x + ", " + r.original_y + ")";
    row("坐标来源 (原值)", source);
    row("项目坐标", coord_text(r));
    row("备注", r.notes);
    for (const auto& [key, value] : r.extra) row(key.c_str(), value);
    row("台账行号", std::to_string(r.source_row));
    ImGui::EndTable();
}

std::string measure_text(const Finding& f) {
    if (!f.measure) return "";
    char buf[64];
    if (f.unit == "share") std::snprintf(buf, sizeof buf, "占 %.0f%%", *f.measure * 100);
    else if (f.unit == "m") std::snprintf(buf, sizeof buf, "%.0f 米", *f.measure);
    else std::snprintf(buf, sizeof buf, "%g %s", *f.measure, f.unit.c_str());
    return buf;
}

void verdict_section(const ViewerState& state, const EnterpriseItem& e) {
    const MapModel& model = *state.model;
    if (!model.run) {
        ImGui::TextDisabled("尚未运行符合性检查 (qingling-cli check)");
        return;
    }
    ImGui::Text("检查运行 #%lld  %s", model.run->id, model.run->at.c_str());
    if (!e.verdict) {
        ImGui::TextDisabled("本次检查不含这家企业");
        return;
    }
    const Verdict& v = *e.verdict;
    ImGui::Text("问题:");
    for (auto [flag, label] : {std::pair{v.san, "散"}, std::pair{v.luan, "乱"}, std::pair{v.wu, "污"}}) {
        ImGui::SameLine();
        if (flag) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", label);
        else ImGui::TextDisabled("%s", label);
    }
    Rgba c = mark_colour(mark_for(v, std::nullopt));
    ImGui::Text("建议分类:");
    ImGui::SameLine();
    ImGui::TextColored(to_imgui_vec(c), "%s", v.suggested ? category_label_zh(*v.suggested) : "无");
    if (!v.deciding_rule.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("(规则 %s)", v.deciding_rule.c_str());
    }
    if (e.confirmation) {
        const Confirmation& k = *e.confirmation;
        ImGui::Text("甄别确认: %s  (%s, %s)", category_label_zh(k.category), k.user.c_str(), k.at.c_str());
        if (!k.note.empty()) text_wrapped_cjkf("说明: %s", k.note.c_str());
        if (e.review) ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1), "需复核: 确认后检查建议已改变");
    } else {
        ImGui::TextDisabled("未甄别确认");
    }
    if (!e.has_point && !v.located) ImGui::TextColored(ImVec4(0.7f, 0.4f, 0, 1), "无坐标: 空间规则未检查");
    ImGui::Separator();
    if (v.findings.empty()) {
        ImGui::TextDisabled("没有发现问题");
        return;
    }
    ImGui::Text("发现 %zu 项问题:", v.findings.size());
    for (const Finding& f : v.findings) {
        ImGui::Bullet();
        ImGui::TextColored(f.hard ? ImVec4(0.8f, 0.1f, 0.1f, 1) : ImVec4(0.75f, 0.45f, 0.0f, 1), "[%s]",
                           flag_label_zh(f.flag));
        ImGui::SameLine();
        text_wrapped_cjk(f.explanation.c_str());
        std::string detail = "规则 " + f.rule;
        if (!f.layer.empty()) detail += " · " + f.layer + " #" + std::to_string(f.feature_id);
        if (!f.code.empty()) detail += " · " + f.code;
        const std::string m = measure_text(f);
        if (!m.empty()) detail += " · " + m;
        ImGui::Indent();
        ImGui::TextDisabled("%s", detail.c_str());
        ImGui::Unindent();
    }
}

} // namespace

void draw_inspector_panel(ViewerState& state) {
    const bool open = begin_panel("企业详情", state.layout.inspector);
    const EnterpriseItem* e = state.selected_item();
    if (open && !e) {
        ImGui::TextDisabled("在地图上或台账中点选一家企业");
    } else if (open && e) {
        text_wrapped_cjk(e->record.name.c_str());
        ImGui::TextDisabled("编号 %lld", e->record.id);
        if (e->has_point) {
            ImGui::SameLine();
            if (ImGui::SmallButton("居中 (F)")) state.camera.set_center(e->position);
        }
        if (ImGui::BeginTabBar("inspector")) {
            if (ImGui::BeginTabItem("检查结果")) {
                verdict_section(state, *e);
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("台账信息")) {
                ledger_fields(e->record);
                ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        }
    }
    ImGui::End();
}

} // namespace qingling::app
