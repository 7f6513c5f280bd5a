// The layers panel: the enterprise symbols by category and every project layer, each with a
// visibility toggle, a zoom-to-layer button and its legend (land classes by group code and name);
// a village list zooms the map to a village polygon.
#include "app/panels.hpp"
#include "app/symbol_theme.hpp"
#include "core/campaign_dates.hpp"

#include <imgui_internal.h>  // ImGui::RenderTextEllipsis

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace qingling::app {

namespace {

enum class SwatchKind { fill, outline, circle, square, hatch };

// How far text sits below the top of the current line: a line that starts with a framed widget (a
// checkbox) puts its text lower by the frame's padding; items drawn by hand must follow.
float text_offset() { return ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset; }

// Draws a legend swatch in the current line, level with its text, and records where it went.
void swatch(ViewerState& state, SwatchKind kind, Rgba colour, const std::string& label) {
    const float size = ImGui::GetTextLineHeight(), down = text_offset();
    ImGui::Dummy(ImVec2(size, size + down));
    const ImVec2 a(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y + down);
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
    case SwatchKind::hatch: {
        // The zone's outline with three stripes rising to the right, as on the map.
        dl->AddRectFilled(a, b, to_imgui(kMapBackground));
        dl->PushClipRect(a, b, true);
        const float step = size / 3;
        for (float k = -size; k < size; k += step)
            dl->AddLine(ImVec2(a.x + k, b.y), ImVec2(a.x + k + size, a.y), to_imgui(opaque), 1.2f);
        dl->PopClipRect();
        dl->AddRect(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), to_imgui(opaque), 0.f, 0, 2.0f);
        break;
    }
    }
    state.legend.push_back({label, opaque, {a.x, a.y, b.x, b.y}, {}});
    ImGui::SameLine();
}

enum class Icon { zoom, adjust };

// A button the size of a text line with a drawn icon, level with the line's text (the layer rows'
// buttons: a word each would leave the layer's name no room, in English above all); its tooltip
// says what it does.
bool icon_button(const char* id, Icon icon) {
    const float h = ImGui::GetTextLineHeight(), down = text_offset();
    const bool pressed = ImGui::InvisibleButton(id, ImVec2(h, h + down));
    ImVec2 a = ImGui::GetItemRectMin();
    a.y += down;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImGuiCol background = ImGui::IsItemActive() ? ImGuiCol_ButtonActive : ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered : ImGuiCol_Button;
    dl->AddRectFilled(a, ImVec2(a.x + h, a.y + h), ImGui::GetColorU32(background), ImGui::GetStyle().FrameRounding);
    const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
    auto at = [&](float x, float y) { return ImVec2(a.x + x * h, a.y + y * h); };
    switch (icon) {
    case Icon::zoom:  // a magnifying glass
        dl->AddCircle(at(0.42f, 0.42f), 0.24f * h, ink, 16, 1.6f);
        dl->AddLine(at(0.59f, 0.59f), at(0.84f, 0.84f), ink, 2.2f);
        break;
    case Icon::adjust:  // two sliders: order and opacity
        dl->AddLine(at(0.18f, 0.35f), at(0.82f, 0.35f), ink, 1.4f);
        dl->AddLine(at(0.18f, 0.68f), at(0.82f, 0.68f), ink, 1.4f);
        dl->AddCircleFilled(at(0.36f, 0.35f), 0.11f * h, ink, 12);
        dl->AddCircleFilled(at(0.64f, 0.68f), 0.11f * h, ink, 12);
        break;
    }
    return pressed;
}

// The timeline: the date the map's status and deadline colours and the dashboard are for.
void timeline_slider(ViewerState& state) {
    const DateRange range = campaign_timeline(state.model->campaign);
    const long first = parse_iso_date(range.first).value_or(0), last = parse_iso_date(range.last).value_or(first);
    int day = static_cast<int>(std::clamp(parse_iso_date(state.dashboard.as_of).value_or(last), first, last) - first);
    ImGui::SetNextItemWidth(-ImGui::CalcTextSize(_("今天")).x - 3 * ImGui::GetStyle().ItemSpacing.x);
    const std::string label = state.dashboard.as_of;
    if (ImGui::SliderInt("##timeline", &day, 0, static_cast<int>(last - first), label.c_str()))
        state.dashboard.as_of = iso_date_from_days(first + day);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(_("时间轴: 地图与整治进度按此日期显示 (%s 至 %s)"), range.first.c_str(), range.last.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(_("今天"))) state.dashboard.as_of = today_iso_date();
}

void open_project_form(ViewerState& state) {
    text_wrapped_cjk(_("没有打开项目。输入项目文件 (.qingling) 的路径:"));
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer, "%s", state.project_path_input.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##path", buffer, sizeof buffer)) state.project_path_input = buffer;
    ImGui::BeginDisabled(!state.opening.empty());  // one read at a time
    if (ImGui::Button(_("打开项目"))) state.open_request = state.project_path_input;
    ImGui::EndDisabled();
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
    {
        const ImVec2 origin = ImGui::GetWindowPos(), lo = ImGui::GetWindowContentRegionMin(), hi = ImGui::GetWindowContentRegionMax();
        state.legend_room = {origin.x + lo.x, origin.y + lo.y, origin.x + hi.x, origin.y + hi.y};
    }
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

    // Enterprises on top, as on the map: what their colour shows, and on which date.
    ImGui::Checkbox(_("企业 (台账)"), &state.draw.enterprises_visible);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##theme", tr(symbol_theme_label_zh(state.theme)))) {
        for (SymbolTheme t : kAllSymbolThemes)
            if (ImGui::Selectable(tr(symbol_theme_label_zh(t)), state.theme == t)) state.theme = t;
        ImGui::EndCombo();
    }
    if (state.theme != SymbolTheme::category) timeline_slider(state);
    const EnterpriseSymbols& symbols = state.symbols;
    long long unlocated = 0;
    for (const auto& e : model.enterprises)
        if (!e.has_point) ++unlocated;
    ImGui::Indent();
    if (state.draw.class_visible.size() != symbols.classes.size()) state.draw.class_visible.assign(symbols.classes.size(), 1);
    for (size_t c = 0; c < symbols.classes.size(); ++c) {
        const SymbolClass& k = symbols.classes[c];
        // Before a check every enterprise is 未检查; after it the row only when some still are.
        if (symbols.theme == SymbolTheme::category && static_cast<Mark>(c) == Mark::unchecked && k.count == 0 && model.run) continue;
        ImGui::PushID(static_cast<int>(c));
        bool visible = state.draw.class_visible[c] != 0;
        if (ImGui::Checkbox("##class", &visible)) state.draw.class_visible[c] = visible ? 1 : 0;
        ImGui::SameLine();
        swatch(state, SwatchKind::circle, k.colour, tr(k.label.c_str()));
        ImGui::Text("%s  %lld", tr(k.label.c_str()), k.count);
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
            else if (layer.style.hatch != Hatch::none) swatch(state, SwatchKind::hatch, layer.style.hatch_colour, layer.info.name);
            else if (layer.style.fill) swatch(state, SwatchKind::fill, layer.style.fill_colour, layer.info.name);
            else swatch(state, SwatchKind::outline, layer.style.outline, layer.info.name);
        }
        // Name and feature count, then the buttons: a name too long for the row is cut with "…"
        // (whole in its tooltip) so the buttons stay inside the panel.
        const int percent_now = static_cast<int>(std::lround(state.draw.layer_opacity[k] * 100));
        const std::string percent = std::to_string(percent_now) + "%";  // instead of the icon when not 100%
        const std::string count = std::to_string(layer.features.size());
        const ImGuiStyle& style = ImGui::GetStyle();
        const float line = ImGui::GetTextLineHeight();
        const float buttons = (layer.extent.empty() ? 0 : line + 2) +
                              (percent_now == 100 ? line : ImGui::CalcTextSize(percent.c_str()).x + style.FramePadding.x * 2);
        const float room = ImGui::GetContentRegionAvail().x - buttons - ImGui::CalcTextSize(count.c_str()).x - 2 * style.ItemSpacing.x;
        const ImVec2 name_size = ImGui::CalcTextSize(layer.info.name.c_str());
        const bool cut = name_size.x > room;
        const float down = text_offset();  // level with the count and the buttons after it
        ImGui::Dummy(ImVec2(std::max(cut ? room : name_size.x, ImGui::GetFontSize()), line + down));
        {
            ImVec2 a = ImGui::GetItemRectMin();
            const ImVec2 b = ImGui::GetItemRectMax();
            a.y += down;
            ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), a, b, b.x, b.x, layer.info.name.c_str(), nullptr, &name_size);
            if (!classified) state.legend.back().label_rect = {a.x, a.y, b.x, b.y};
        }
        if (ImGui::IsItemHovered()) {
            char about[1024];
            std::snprintf(about, sizeof about, trn("%s · %lld 个要素\n%s", "%s · %lld 个要素\n%s", layer.features.size()),
                          tr(role_label_zh(layer.info.role)), static_cast<long long>(layer.features.size()), layer.info.source_path.c_str());
            ImGui::SetTooltip("%s%s%s", cut ? layer.info.name.c_str() : "", cut ? "\n" : "", about);
        }
        ImGui::SameLine();
        ImGui::TextDisabled("%s", count.c_str());
        if (!layer.extent.empty()) {
            ImGui::SameLine();
            if (icon_button("zoom", Icon::zoom)) state.zoom_to(layer.extent);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip(_("缩放到图层 %s"), layer.info.name.c_str());
        }
        // Drawing order and opacity in a small popup: the legend below must stay in view.
        ImGui::SameLine(0, 2);
        if (percent_now == 100 ? icon_button("adjust_button", Icon::adjust) : ImGui::SmallButton(percent.c_str())) ImGui::OpenPopup("adjust");
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
            // Two columns while every name fits in half the width, else one, where a name longer
            // than the panel wraps: in two, "05 Commercial and business service land" (or
            // "08 公共管理与公共服务用地") would wrap into a tower of single words.
            const float half_text = ImGui::GetContentRegionAvail().x / 2 - style.CellPadding.x * 2 - ImGui::GetTextLineHeight() -
                                    style.ItemSpacing.x;
            float widest = 0;
            for (const StyleClass& c : layer.classes) widest = std::max(widest, ImGui::CalcTextSize(c.shown_label().c_str()).x);
            if (ImGui::BeginTable("classes", widest <= half_text ? 2 : 1, ImGuiTableFlags_SizingStretchSame)) {
                for (const StyleClass& c : layer.classes) {
                    ImGui::TableNextColumn();
                    const std::string label = c.shown_label();
                    swatch(state, SwatchKind::fill, c.fill, label);
                    text_wrapped_cjk(label.c_str());  // whole, on more lines when longer than the column
                    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
                    state.legend.back().label_rect = {a.x, a.y, b.x, b.y};
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip(trn("%s: %lld 个图斑", "%s: %lld 个图斑", static_cast<unsigned long long>(c.feature_count)),
                                                                  label.c_str(), c.feature_count);
                }
                ImGui::EndTable();
            }
            ImGui::Unindent();
        }
        ImGui::PopID();
    }
    // Raster basemaps, under every layer.
    for (size_t i = 0; i < model.basemaps.size(); ++i) {
        const BasemapInfo& b = model.basemaps[i];
        ImGui::PushID(static_cast<int>(1000000 + i));
        bool visible = state.draw.basemap_visible[i] != 0;
        if (ImGui::Checkbox("##visible", &visible)) state.draw.basemap_visible[i] = visible ? 1 : 0;
        ImGui::SameLine();
        ImGui::Text(_("影像 %s"), b.name.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(_("影像底图 · %d x %d 像素 · 金字塔 %d 级 · %s\n%s"), b.width, b.height, b.overviews, b.crs.c_str(),
                              b.path.c_str());
        ImGui::SameLine(0, 2);
        int percent = static_cast<int>(std::lround(state.draw.basemap_opacity[i] * 100));
        ImGui::SetNextItemWidth(-1);
        if (ImGui::SliderInt("##opacity", &percent, 0, 100, _("不透明度 %d%%")))
            state.draw.basemap_opacity[i] = static_cast<float>(percent) / 100.0f;
        if (i < state.basemap_errors.size() && !state.basemap_errors[i].empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(190, 30, 30, 255));
            text_wrapped_cjkf(_("无法显示: %s"), state.basemap_errors[i].c_str());
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
    }
    ImGui::End();
}

} // namespace qingling::app
