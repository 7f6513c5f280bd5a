// The status bar: the cursor's coordinates in the project CRS and in CGCS2000 longitude/latitude,
// the map scale, and the check run the colours come from.
#include "app/panels.hpp"

#include "core/crs.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace qingling::app {

namespace {
std::string thousands(double v) {
    std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        out += digits[static_cast<size_t>(i)];
        if ((n - i - 1) % 3 == 0 && i != n - 1) out += ',';
    }
    return out;
}
} // namespace

void draw_status_bar(ViewerState& state) {
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 4));
    ImGui::SetNextWindowPos(ImVec2(state.layout.status.x0, state.layout.status.y0), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(state.layout.status.width(), state.layout.status.height()), ImGuiCond_Always);
    ImGui::Begin("##status", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (state.model) {
        const int epsg = state.model->settings.epsg;
        if (state.cursor_in_map) {
            const Vec2 w = state.cursor_world;
            if (state.model->geographic) ImGui::Text("X %.7f  Y %.7f (EPSG:%d)", w.x, w.y, epsg);
            else ImGui::Text("X %.2f  Y %.2f (EPSG:%d)", w.x, w.y, epsg);
            double lon = w.x, lat = w.y;
            if (state.to_lonlat && transform_point(*state.to_lonlat, lon, lat)) {
                ImGui::SameLine(0, 24);
                ImGui::Text(_("经度 %.6f°  纬度 %.6f°"), lon, lat);
            }
        } else {
            ImGui::TextDisabled("EPSG:%d", epsg);
        }
        ImGui::SameLine(0, 24);
        ImGui::Text(_("比例尺 1:%s"), thousands(state.camera.scale_denominator(state.model->metres_per_unit)).c_str());
        ImGui::SameLine(0, 24);
        if (state.model->run)
            ImGui::TextDisabled(_("颜色依据: 检查运行 #%lld (%s)"), state.model->run->id, state.model->run->at.c_str());
        else
            ImGui::TextDisabled(_("尚未运行符合性检查"));
        if (!state.check_message.empty()) {
            ImGui::SameLine(0, 24);
            ImGui::TextDisabled("%s", state.check_message.c_str());
        }
    } else {
        ImGui::TextDisabled(_("清零 Qingling"));
    }
    if (!state.opening.empty()) {
        ImGui::SameLine(0, 24);
        ImGui::TextDisabled(_("正在读取项目 %s …"), state.opening.c_str());
    }
    if (state.model && !state.import_dialog.last_outcome.empty()) {
        ImGui::SameLine(0, 24);
        ImGui::TextDisabled("%s", state.import_dialog.last_outcome.c_str());
    }
    // At the right end: the import dialogs and the language (each label in its own language).
    const char* import_layer = _("导入图层…");
    const char* import_ledger = _("导入台账…");
    const char* export_view = _("导出当前视图…");
    const char* language = ui_language() == UiLanguage::en ? "English" : "中文";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float right = ImGui::CalcTextSize(import_layer).x + ImGui::CalcTextSize(import_ledger).x +
                        ImGui::CalcTextSize(export_view).x + ImGui::CalcTextSize("English").x +
                        ImGui::GetFrameHeight() + 8 * style.FramePadding.x + 4 * style.ItemSpacing.x +
                        style.WindowPadding.x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 12, ImGui::GetWindowWidth() - right));
    ImGui::BeginDisabled(!state.model || state.import_running || state.check_running);
    for (auto [label, kind] : {std::pair{import_layer, ImportDialogState::Kind::layer},
                               std::pair{import_ledger, ImportDialogState::Kind::ledger}}) {
        if (ImGui::SmallButton(label)) {
            if (state.import_dialog.kind != kind) state.import_dialog.preview = {};
            state.import_dialog.kind = kind;
            state.import_dialog.open_request = true;
        }
        ImGui::SameLine();
    }
    ImGui::EndDisabled();
    ImGui::BeginDisabled(!state.model);
    if (ImGui::SmallButton(export_view)) state.export_dialog.open = true;
    ImGui::SameLine();
    ImGui::EndDisabled();
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("English").x + ImGui::GetFrameHeight() + 2 * style.FramePadding.x);
    // Not while a worker runs: switching sets the process's LANGUAGE, which gettext and GDAL read there.
    ImGui::BeginDisabled(state.import_running || state.check_running);
    if (ImGui::BeginCombo("##language", language)) {
        if (ImGui::Selectable("中文", ui_language() == UiLanguage::zh)) state.language_request = "zh";
        if (ImGui::Selectable("English", ui_language() == UiLanguage::en)) state.language_request = "en";
        ImGui::EndCombo();
    }
    ImGui::EndDisabled();
    ImGui::End();
    ImGui::PopStyleVar();
}

} // namespace qingling::app
