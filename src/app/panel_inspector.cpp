// The inspector: every ledger field of the selected enterprise, its verdict in the latest check
// run with each finding's explanation (a finding naming a feature zooms the map to it), and the
// 甄别确认 when there is one. Without a selection: what identify found under the last map click.
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
    if (!v) return _("未填");
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
    row(_("统一社会信用代码"), r.credit_code);
    row(_("法定代表人"), r.legal_person);
    row(_("联系电话"), r.phone);
    row(_("地址"), r.address);
    row(_("所属村(社区)"), r.village);
    // In English the industry's English name, with the ledger's own words when they differ.
    const std::string industry = shown_industry(r.industry);
    row(_("行业"), industry == r.industry ? industry : industry + " (" + r.industry + ")");
    row(_("责任部门"), r.department);
    row(_("电力户号"), r.power_account);
    for (Permit p : kAllPermits) {
        auto it = r.permits.find(p);
        row(tr(permit_label_zh(p)), yes_no(it == r.permits.end() ? std::nullopt : it->second, _("有"), _("无")));
    }
    row(_("废水"), tr(emission_label_zh(r.wastewater)));
    row(_("废气"), tr(emission_label_zh(r.waste_gas)));
    row(_("固废"), tr(emission_label_zh(r.solid_waste)));
    row(_("固废台账"), yes_no(r.solid_waste_ledger, _("有"), _("无")));
    std::string source = coord_source_code(r.coord_source);
    if (!r.original_x.empty() || !r.original_y.empty()) source += " (" + r.original_x + ", " + r.original_y + ")";
    row(_("坐标来源 (原值)"), source);
    row(_("项目坐标"), coord_text(r));
    row(_("备注"), r.notes);
    for (const auto& [key, value] : r.extra) row(key.c_str(), value);
    row(_("台账行号"), std::to_string(r.source_row));
    ImGui::EndTable();
}

std::string measure_text(const Finding& f) {
    if (!f.measure) return "";
    char buf[64];
    if (f.unit == "share") std::snprintf(buf, sizeof buf, _("占 %.0f%%"), *f.measure * 100);
    else if (f.unit == "m") std::snprintf(buf, sizeof buf, _("%.0f 米"), *f.measure);
    else std::snprintf(buf, sizeof buf, "%g %s", *f.measure, f.unit.c_str());
    return buf;
}

std::string area_text(double square_metres) {
    char buf[64];
    if (square_metres >= 10000) std::snprintf(buf, sizeof buf, _("%.2f 平方米 (%.2f 公顷, %.2f 亩)"), square_metres,
                                              square_metres / 10000, square_metres / (10000.0 / 15));
    else std::snprintf(buf, sizeof buf, _("%.2f 平方米 (%.2f 亩)"), square_metres, square_metres / (10000.0 / 15));
    return buf;
}

void identify_section(ViewerState& state, const IdentifyResult& r) {
    const MapModel& model = *state.model;
    ImGui::Text(_("识别: %.2f, %.2f"), r.world.x, r.world.y);
    ImGui::SameLine();
    if (ImGui::SmallButton(_("清除"))) {
        state.identified.reset();
        return;
    }
    if (!r.village.empty()) ImGui::Text(_("所在村(社区): %s"), r.village.c_str());
    if (!r.error.empty()) text_wrapped_cjkf(_("属性读取失败: %s"), r.error.c_str());
    if (r.features.empty()) {
        ImGui::TextDisabled(_("此处没有可见图层的要素"));
        return;
    }
    ImGui::Separator();
    const double m2 = model.metres_per_unit * model.metres_per_unit;
    for (size_t i = 0; i < r.features.size(); ++i) {
        const IdentifiedFeature& f = r.features[i];
        ImGui::PushID(static_cast<int>(i));
        const std::string title = f.layer_name + "  #" + std::to_string(f.fid);
        // The land-use patch (what a click is usually about) and small layers open by default.
        const bool open_default = f.role == "landuse" || f.role == "planning" || (i == 0 && r.features.size() == 1);
        if (ImGui::CollapsingHeader(title.c_str(), open_default ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
            if (ImGui::BeginTable("identify", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
                ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed);
                ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
                row(_("图层角色"), tr(role_label_zh(f.role)));
                if (!f.code.empty()) {
                    row(_("地类编码"), f.code);
                    row(_("地类名称"), f.shown_code_name());
                }
                if (f.area) {
                    std::string a = area_text(*f.area * (f.area_from_attribute ? 1.0 : m2));
                    a += f.area_from_attribute ? _("  (属性 ") + f.area_field + ")" : std::string(_("  (按图形计算)"));
                    row(_("面积"), a);
                }
                if (f.role != "village" && f.role != "jurisdiction") row(_("所在村(社区)"), f.village);
                for (const auto& [k, v] : f.attributes) row(k.c_str(), v);
                ImGui::EndTable();
            }
            if (ImGui::SmallButton(_("缩放到此要素"))) state.zoom_to(feature_of(model, f.ref).extent);
        }
        ImGui::PopID();
    }
}

void verdict_section(ViewerState& state, const EnterpriseItem& e) {
    const MapModel& model = *state.model;
    if (!model.run) {
        text_disabled_wrapped(_("尚未运行符合性检查 (左侧\"运行符合性检查\"按钮, 或 qingling-cli check)"));
        return;
    }
    ImGui::Text(_("检查运行 #%lld  %s"), model.run->id, model.run->at.c_str());
    if (!e.verdict) {
        ImGui::TextDisabled(_("本次检查不含这家企业"));
        return;
    }
    const Verdict& v = *e.verdict;
    ImGui::Text(_("问题:"));
    for (auto [flag, label] : {std::pair{v.san, _("散")}, std::pair{v.luan, _("乱")}, std::pair{v.wu, _("污")}}) {
        ImGui::SameLine();
        if (flag) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", label);
        else ImGui::TextDisabled("%s", label);
    }
    Rgba c = mark_colour(mark_for(v, std::nullopt));
    ImGui::Text(_("建议分类:"));
    ImGui::SameLine();
    ImGui::TextColored(to_imgui_vec(c), "%s", v.suggested ? tr(category_label_zh(*v.suggested)) : _("无"));
    if (!v.deciding_rule.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled(_("(规则 %s)"), v.deciding_rule.c_str());
    }
    if (e.confirmation) {
        const Confirmation& k = *e.confirmation;
        ImGui::Text(_("甄别确认: %s  (%s, %s)"), tr(category_label_zh(k.category)), k.user.c_str(), k.at.c_str());
        if (!k.note.empty()) text_wrapped_cjkf(_("说明: %s"), k.note.c_str());
        if (e.review) ImGui::TextColored(ImVec4(0.85f, 0.1f, 0.1f, 1), _("需复核: 确认后检查建议已改变"));
    } else {
        ImGui::TextDisabled(_("未甄别确认"));
    }
    if (!e.has_point && !v.located) ImGui::TextColored(ImVec4(0.7f, 0.4f, 0, 1), _("无坐标: 空间规则未检查"));
    ImGui::Separator();
    if (v.findings.empty()) {
        ImGui::TextDisabled(_("没有发现问题"));
        return;
    }
    ImGui::Text(trn("发现 %zu 项问题:", "发现 %zu 项问题:", v.findings.size()), v.findings.size());
    for (size_t fi = 0; fi < v.findings.size(); ++fi) {
        const Finding& f = v.findings[fi];
        const FindingHighlight* h = nullptr;
        for (const FindingHighlight& c : state.highlights)
            if (c.finding == static_cast<int>(fi)) h = &c;
        ImGui::Bullet();
        ImGui::TextColored(f.hard ? ImVec4(0.8f, 0.1f, 0.1f, 1) : ImVec4(0.75f, 0.45f, 0.0f, 1), "[%s]",
                           tr(flag_label_zh(f.flag)));
        ImGui::SameLine();
        text_wrapped_cjk(shown_explanation(f).c_str());
        std::string detail = _("规则 ") + f.rule;
        if (!f.layer.empty()) detail += " · " + f.layer + " #" + std::to_string(f.feature_id);
        if (!f.code.empty()) detail += " · " + f.code;
        const std::string m = measure_text(f);
        if (!m.empty()) detail += " · " + m;
        ImGui::Indent();
        if (h) {
            // On the map: outlined in cyan (and the distance line); a click shows it.
            ImGui::PushID(static_cast<int>(fi));
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.0f, 0.45f, 0.55f, 1));
            const bool clicked = ImGui::Selectable(("→ " + detail).c_str(), false);
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip(_("在地图上显示此要素"));
            if (clicked) state.zoom_to(finding_extent(*state.model, e, *h));
            ImGui::PopID();
        } else {
            ImGui::TextDisabled("%s", detail.c_str());
        }
        ImGui::Unindent();
    }
}

} // namespace

void draw_inspector_panel(ViewerState& state) {
    bool open = begin_panel(_("企业详情##panel"), state.layout.inspector);
    // Two tabs share the panel: the selected enterprise, and the campaign's progress.
    bool details = true;
    if (open && ImGui::BeginTabBar("right_panel")) {
        if (ImGui::BeginTabItem(_("企业详情"))) ImGui::EndTabItem();
        else details = false;
        const ImGuiTabItemFlags flags = state.dashboard.show_request ? ImGuiTabItemFlags_SetSelected : 0;
        if (ImGui::BeginTabItem(_("整治进度"), nullptr, flags)) {
            details = false;
            state.dashboard.show_request = false;
            draw_dashboard(state);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    open = open && details;
    const EnterpriseItem* e = state.selected_item();
    if (open && !e && state.identified && state.model) {
        const IdentifyResult r = *state.identified;  // a copy: the "clear" button resets it
        identify_section(state, r);
    } else if (open && !e) {
        text_disabled_wrapped(_("在地图上或台账中点选一家企业; 点击地图其他位置识别要素"));
    } else if (open && e) {
        text_wrapped_cjk(e->record.name.c_str());
        ImGui::TextDisabled(_("编号 %lld"), e->record.id);
        if (e->has_point) {
            ImGui::SameLine();
            if (ImGui::SmallButton(_("居中 (F)"))) state.camera.set_center(e->position);
        }
        if (e->mark == Mark::relocate) {  // 限期搬迁: where it could go (panel_sites)
            ImGui::SameLine();
            if (ImGui::SmallButton(_("搬迁选址"))) open_sites_for(state, e->record.id);
        }
        if (ImGui::BeginTabBar("inspector")) {
            if (ImGui::BeginTabItem(_("检查结果"))) {
                verdict_section(state, *e);
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem(_("台账信息"))) {
                ledger_fields(e->record);
                ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        }
    }
    ImGui::End();
}

} // namespace qingling::app
