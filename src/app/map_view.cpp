// The map area between the panels: pan with a drag, zoom with the wheel around the cursor, click
// to select the nearest enterprise; keys Home (whole jurisdiction), +/- (zoom), F (centre the
// selection); the scale bar and the north arrow drawn over the map.
#include "app/panels.hpp"

#include <GLFW/glfw3.h>

#include <cmath>
#include <string>

namespace qingling::app {

namespace {

bool g_dragging = false;
bool g_drag_moved = false;

std::string length_text(double metres) {
    char buf[32];
    if (metres >= 1000) std::snprintf(buf, sizeof buf, "%g 千米", metres / 1000);
    else std::snprintf(buf, sizeof buf, "%g 米", metres);
    return buf;
}

// The enterprise symbol nearest to a screen point within max_px, or -1.
int pick_enterprise(const ViewerState& state, Vec2 screen, double max_px) {
    int best = -1;
    double best_d2 = max_px * max_px;
    const auto& list = state.model->enterprises;
    for (size_t i = 0; i < list.size(); ++i) {
        const EnterpriseItem& e = list[i];
        if (!e.has_point || !state.draw.mark_visible[static_cast<int>(e.mark)]) continue;
        const Vec2 s = state.camera.world_to_screen(e.position);
        const double d2 = (s.x - screen.x) * (s.x - screen.x) + (s.y - screen.y) * (s.y - screen.y);
        if (d2 <= best_d2) {
            best_d2 = d2;
            best = static_cast<int>(i);
        }
    }
    return best;
}

void draw_overlays(const ViewerState& state, float fb_scale) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const PixelRect& m = state.layout.map;
    // Scale bar, bottom left.
    // In metres per window pixel (for a CRS in degrees, at the map's centre latitude).
    const double res_window = state.camera.resolution() * fb_scale * state.model->metres_per_unit;
    const ScaleBar bar = nice_scale_bar(res_window, 160);
    if (bar.length_px > 0) {
        const float x0 = m.x0 + 16, y = m.y1 - 18;
        const float x1 = x0 + static_cast<float>(bar.length_px);  // window pixels
        dl->AddRectFilled(ImVec2(x0 - 6, y - 22), ImVec2(x1 + 60, y + 8), IM_COL32(255, 255, 255, 200), 3);
        dl->AddLine(ImVec2(x0, y), ImVec2(x1, y), IM_COL32(20, 20, 20, 255), 3);
        dl->AddLine(ImVec2(x0, y - 6), ImVec2(x0, y + 1), IM_COL32(20, 20, 20, 255), 2);
        dl->AddLine(ImVec2(x1, y - 6), ImVec2(x1, y + 1), IM_COL32(20, 20, 20, 255), 2);
        const std::string label = length_text(bar.length_units);
        dl->AddText(ImVec2(x0, y - 21), IM_COL32(20, 20, 20, 255), label.c_str());
    }
    // North arrow, top right (grid north of the project CRS).
    const ImVec2 c(m.x1 - 30, m.y0 + 42);
    dl->AddTriangleFilled(ImVec2(c.x, c.y - 22), ImVec2(c.x - 9, c.y + 6), ImVec2(c.x, c.y), IM_COL32(20, 20, 20, 255));
    dl->AddTriangleFilled(ImVec2(c.x, c.y - 22), ImVec2(c.x, c.y), ImVec2(c.x + 9, c.y + 6), IM_COL32(255, 255, 255, 255));
    dl->AddTriangle(ImVec2(c.x, c.y - 22), ImVec2(c.x - 9, c.y + 6), ImVec2(c.x + 9, c.y + 6), IM_COL32(20, 20, 20, 255), 1.2f);
    dl->AddText(ImVec2(c.x - 4, c.y + 8), IM_COL32(20, 20, 20, 255), "N");
}

} // namespace

void update_map_view(ViewerState& state, float fb_scale) {
    const PixelRect& m = state.layout.map;
    state.camera.set_viewport(static_cast<int>(std::lround(m.width() * fb_scale)),
                              static_cast<int>(std::lround(m.height() * fb_scale)));
    if (!state.model) return;
    if (!state.camera_ready) {
        state.zoom_home();
        state.camera_ready = true;
    }

    if (!state.input_enabled) {
        state.cursor_in_map = false;
        draw_overlays(state, fb_scale);
        return;
    }
    ImGuiIO& io = ImGui::GetIO();
    const ImVec2 mouse = io.MousePos;
    const bool over_map = m.contains(mouse.x, mouse.y) && !io.WantCaptureMouse;
    const Vec2 local{(mouse.x - m.x0) * fb_scale, (mouse.y - m.y0) * fb_scale};
    state.cursor_in_map = over_map || g_dragging;
    if (state.cursor_in_map) state.cursor_world = state.camera.screen_to_world(local);

    if (over_map && io.MouseWheel != 0) state.camera.zoom_at(local, std::pow(1.25, io.MouseWheel));
    if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        g_dragging = true;
        g_drag_moved = false;
    }
    if (g_dragging) {
        if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) {
            state.camera.pan_pixels(io.MouseDelta.x * fb_scale, io.MouseDelta.y * fb_scale);
            if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.0f)) g_drag_moved = true;
        }
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            if (!g_drag_moved && over_map) {
                const int hit = pick_enterprise(state, local, 8.0 * fb_scale);
                state.select(hit, false);
            }
            g_dragging = false;
        }
    }

    if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(GLFW_KEY_HOME)) state.zoom_home();
        const Vec2 centre{state.camera.width() / 2.0, state.camera.height() / 2.0};
        if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) state.camera.zoom_at(centre, 1.5);
        if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
            state.camera.zoom_at(centre, 1 / 1.5);
        if (ImGui::IsKeyPressed(GLFW_KEY_F))
            if (const EnterpriseItem* e = state.selected_item(); e && e->has_point) state.camera.set_center(e->position);
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) state.select(-1, false);
    }
    draw_overlays(state, fb_scale);
}

} // namespace qingling::app
