// The layers panel: the enterprise symbols by category and every project layer, each with a
// visibility toggle, a zoom-to-layer button and its legend (land classes by group code and name);
// a village list zooms the map to a village polygon.
#include "app/panels.hpp"

#include <cmath>
#include <string>

namespace qingling::app {

namespace {

enum class SwatchKind { fill, outline, circle, square };

// Draws a legend swatch in the current line and records where it went.
void swatch(ViewerState& state, SwatchKind kind, Rgba colour, const std::string& label) {
    const float size = ImGui::GetTextLineHeight();
    ImGui::Dummy(ImVec2(size, size));
    const ImVec2 a = ImGui::GetItemRectMin();
    const ImVec2 b = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    Rgba opaque = colour;
    opaque.a = 255;
    switch (kind) {
    case SwatchKind::fill:
        dl->AddRectFilled(a, b, to_imgui(opaque));
        dl->AddRect(a, b, IM_COL32(90, 90, 90, 255));
        break;
    case SwatchKind::outline:
        dl->AddRectFilled(a, b, to_imgui(kMapBackground));
        dl->AddRect(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), to_imgui(opaque), 0.f, 0, 2.5f);
        break;
    case SwatchKind::circle: {
        const ImVec2 c((a.x + b.x) / 2, (a.y + b.y) / 2);
        dl->AddCircleFilled(c, size / 2, IM_COL32(32, 32, 32, 255), 24);
        dl->AddCircleFilled(c, size / 2 - 1.6f, to_imgui(opaque), 24);
        break;
    }
    case SwatchKind::square:
        dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 255));
        dl->AddRectFilled(ImVec2(a.x + 2, a.y + 2), ImVec2(b.x - 2, b.y - 2), to_imgui(opaque));
        break;
    }
    state.legend.push_back({label, opaque, {a.x, a.y, b.x, b.y}});
    ImGui::SameLine();
}

void open_project_form(ViewerState& state) {
    text_wrapped_cjk(_("没有打开项目。输入项目文件 (.qingling) 的路径:"));
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer, "%s", state.project_path_input.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##path", buffer, sizeof buffer)) state.project_path_input = buffer;
    if (ImGui::Button(_("打开项目"))) state.open_request = state.project_path_input;
}

} // namespace

void draw_layers_panel(ViewerState& state) {
    state.legend.clear();
    if (!begin_panel(_("图层与图例"), state.layout.layers)) {
        ImGui::End();
        return;
    }
    if (!state.model) {
        open_project_form(state);
        ImGui::End();
        return;
    }
    MapModel& model = *state.model;
    text_wrapped_cjk(model.settings.name.c_str());
    if (!model.settings.jurisdiction.empty()) ImGui::TextDisabled(_("辖区: %s"), model.settings.jurisdiction.c_str());
    if (ImGui::Button(_("全图 (Home)"))) state.zoom_home();
    if (!model.villages.empty()) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##village_zoom", _("缩放到村(社区)…"))) {
            for (size_t v = 0; v < model.villages.size(); ++v) {
                ImGui::PushID(static_cast<int>(v));
                if (ImGui::Selectable(model.villages[v].name.c_str())) state.zoom_to(model.villages[v].extent);
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
    }
    ImGui::Separator();

    // Enterprises on top, as on the map.
    ImGui::Checkbox(_("企业 (台账)"), &state.draw.enterprises_visible);
    long long counts[5] = {0, 0, 0, 0, 0};
    long long unlocated = 0;
    for (const auto& e : model.enterprises) {
        if (e.has_point) counts[static_cast<int>(e.mark)]++;
        else ++unlocated;
    }
    ImGui::Indent();
    for (Mark m : kAllMarks) {
        const int i = static_cast<int>(m);
        if (m == Mark::unchecked && counts[i] == 0 && model.run) continue;
        ImGui::PushID(i);
        bool visible = state.draw.mark_visible[i];
        if (ImGui::Checkbox("##mark", &visible)) state.draw.mark_visible[i] = visible;
        ImGui::SameLine();
        swatch(state, SwatchKind::circle, mark_colour(m), tr(mark_label_zh(m)));
        ImGui::Text("%s  %lld", tr(mark_label_zh(m)), counts[i]);
        ImGui::PopID();
    }
    // The 散/乱/污 marks beside the symbols.
    ImGui::Checkbox("##flags", &state.draw.flag_marks_visible);
    ImGui::SameLine();
    ImGui::TextUnformatted(_("问题标记"));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(_("放大到约 1:30,000 以内时, 在企业符号右上方标出散、乱、污"));
    static const char* const kFlagNames[3] = {N_("散"), N_("乱"), N_("污")};
    for (int f = 0; f < 3; ++f) {
        // Chinese fits one line; longer translations continue on the next.
        const float needed = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(tr(kFlagNames[f])).x;
        const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        if (right_edge - ImGui::GetItemRectMax().x > needed) ImGui::SameLine();
        swatch(state, SwatchKind::square, kFlagMarkColours[f], tr(kFlagNames[f]));
        ImGui::TextUnformatted(tr(kFlagNames[f]));
    }
    if (unlocated > 0) text_disabled_wrappedf(_("无坐标 %lld 家 (不在图上)"), unlocated);
    if (!model.run) text_disabled_wrapped(_("尚未运行符合性检查"));
    ImGui::BeginDisabled(state.check_running);
    if (ImGui::Button(model.run ? _("重新运行符合性检查") : _("运行符合性检查"))) state.check_request = true;
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(_("按 layers/rules.toml 的规则检查全部企业, 结果存为新的检查运行"));
    ImGui::Unindent();
    ImGui::Separator();

    // Layers, top of the drawing order first.
    fit_layer_options(state.draw, model);
    const std::vector<int> order = state.draw.layer_order;  // a copy: the arrows below reorder it
    for (size_t o = order.size(); o-- > 0;) {
        const size_t k = static_cast<size_t>(order[o]);
        const MapLayer& layer = model.layers[k];
        ImGui::PushID(static_cast<int>(k));
        bool visible = state.draw.layer_visible[k] != 0;
        if (ImGui::Checkbox("##visible", &visible)) state.draw.layer_visible[k] = visible ? 1 : 0;
        ImGui::SameLine();
        const bool classified = layer.style.fill_by_land_class && layer.classes.size() > 0 && !layer.classes[0].key.empty();
        if (!classified) {
            if (layer.has_points()) swatch(state, SwatchKind::square, layer.style.point_colour, layer.info.name);
            else if (layer.style.fill) swatch(state, SwatchKind::fill, layer.style.fill_colour, layer.info.name);
            else swatch(state, SwatchKind::outline, layer.style.outline, layer.info.name);
        }
        ImGui::Text("%s", layer.info.name.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(trn("%s · %lld 个要素\n%s", "%s · %lld 个要素\n%s", layer.features.size()), tr(role_label_zh(layer.info.role)),
                              static_cast<long long>(layer.features.size()), layer.info.source_path.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%lld", static_cast<long long>(layer.features.size()));
        if (!layer.extent.empty()) {
            ImGui::SameLine();
            if (ImGui::SmallButton(_("缩放"))) state.zoom_to(layer.extent);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip(_("缩放到图层 %s"), layer.info.name.c_str());
        }
        // Drawing order and opacity in a small popup: the legend below must stay in view.
        ImGui::SameLine(0, 2);
        const int percent_now = static_cast<int>(std::lround(state.draw.layer_opacity[k] * 100));
        if (ImGui::SmallButton(percent_now == 100 ? _("调整") : (std::to_string(percent_now) + "%").c_str()))
            ImGui::OpenPopup("adjust");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip(_("图层顺序与不透明度 (%d%%)"), percent_now);
        if (ImGui::BeginPopup("adjust")) {
            ImGui::TextUnformatted(layer.info.name.c_str());
            if (ImGui::ArrowButton("##up", ImGuiDir_Up)) move_layer(state.draw, static_cast<int>(k), true);
            ImGui::SameLine();
            ImGui::TextUnformatted(_("上移"));
            ImGui::SameLine();
            if (ImGui::ArrowButton("##down", ImGuiDir_Down)) move_layer(state.draw, static_cast<int>(k), false);
            ImGui::SameLine();
            ImGui::TextUnformatted(_("下移"));
            int percent = percent_now;
            ImGui::SetNextItemWidth(200);
            if (ImGui::SliderInt("##opacity", &percent, 0, 100, _("不透明度 %d%%")))
                state.draw.layer_opacity[k] = static_cast<float>(percent) / 100.0f;
            ImGui::EndPopup();
        }
        if (classified) {
            ImGui::Indent();
            if (ImGui::BeginTable("classes", 2, ImGuiTableFlags_SizingStretchSame)) {
                for (const StyleClass& c : layer.classes) {
                    ImGui::TableNextColumn();
                    swatch(state, SwatchKind::fill, c.fill, c.label);
                    ImGui::Text("%s", c.label.c_str());
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip(trn("%s: %lld 个图斑", "%s: %lld 个图斑", static_cast<unsigned long long>(c.feature_count)),
                                                                  c.label.c_str(), c.feature_count);
                }
                ImGui::EndTable();
            }
            ImGui::Unindent();
        }
        ImGui::PopID();
    }
    ImGui::End();
}

} // namespace qingling::app
