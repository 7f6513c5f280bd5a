// The status bar: the cursor's coordinates in the project CRS and in CGCS2000 longitude/latitude,
// the map scale, and the check run the colours come from.
#include "app/panels.hpp"

#include "core/crs.hpp"

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
                ImGui::Text("经度 %.6f°  纬度 %.6f°", lon, lat);
            }
        } else {
            ImGui::TextDisabled("EPSG:%d", epsg);
        }
        ImGui::SameLine(0, 24);
        ImGui::Text("比例尺 1:%s", thousands(state.camera.scale_denominator(state.model->metres_per_unit)).c_str());
        ImGui::SameLine(0, 24);
        if (state.model->run)
            ImGui::TextDisabled("颜色依据: 检查运行 #%lld (%s)", state.model->run->id, state.model->run->at.c_str());
        else
            ImGui::TextDisabled("尚未运行符合性检查");
        if (!state.check_message.empty()) {
            ImGui::SameLine(0, 24);
            ImGui::TextDisabled("%s", state.check_message.c_str());
        }
    } else {
        ImGui::TextDisabled("清零 Qingling");
    }
    ImGui::End();
    ImGui::PopStyleVar();
}

} // namespace qingling::app
