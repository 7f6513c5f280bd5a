// The map area between the panels: pan with a drag, zoom with the wheel around the cursor, click
// to select the nearest enterprise (or, with none under the cursor, identify the features there);
// keys Home (whole jurisdiction), +/- (zoom), F (centre the selection); drawn over the map: the
// labels of villages and (zoomed in) enterprises without overlaps, the distances of the selected
// enterprise's distance findings, the scale bar and the north arrow.
#include "app/panels.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace qingling::app {

namespace {

bool g_dragging = false;
bool g_drag_moved = false;

std::string length_text(double metres) {
    char buf[32];
    if (metres >= 1000) std::snprintf(buf, sizeof buf, _("%g 千米"), metres / 1000);
    else std::snprintf(buf, sizeof buf, _("%g 米"), metres);
    return buf;
}

// The enterprise symbol nearest to a screen point within max_px, or -1.
int pick_enterprise(const ViewerState& state, Vec2 screen, double max_px) {
    int best = -1;
    double best_d2 = max_px * max_px;
    const auto& list = state.model->enterprises;
    for (size_t i = 0; i < list.size(); ++i) {
        const EnterpriseItem& e = list[i];
        if (!e.has_point || !state.draw.class_shown(state.symbols.class_of_enterprise(i))) continue;
        const Vec2 s = state.camera.world_to_screen(e.position);
        const double d2 = (s.x - screen.x) * (s.x - screen.x) + (s.y - screen.y) * (s.y - screen.y);
        if (d2 <= best_d2) {
            best_d2 = d2;
            best = static_cast<int>(i);
        }
    }
    return best;
}

constexpr ImU32 kLabelText = IM_COL32(25, 25, 25, 255);
constexpr ImU32 kVillageText = IM_COL32(60, 40, 20, 255);
constexpr ImU32 kHalo = IM_COL32(255, 255, 255, 235);
constexpr ImU32 kLabelBox = IM_COL32(255, 255, 255, 215);
constexpr ImU32 kLabelBorder = IM_COL32(60, 60, 60, 160);
constexpr float kPadX = 3, kPadY = 1;
constexpr float kVillageScale = 1.2f;  // village names are larger than enterprise names

PixelRect scale_bar_box(const PixelRect& m) { return {m.x0 + 8, m.y1 - 42, m.x0 + 240, m.y1 - 8}; }
PixelRect north_arrow_box(const PixelRect& m) { return {m.x1 - 46, m.y0 + 12, m.x1 - 14, m.y0 + 72}; }

std::string distance_text(double metres) {
    char buf[48];
    std::snprintf(buf, sizeof buf, _("%.0f 米"), metres);
    return buf;
}

int mark_priority(Mark m) {
    switch (m) {
    case Mark::close: return 0;
    case Mark::relocate: return 1;
    case Mark::rectify: return 2;
    case Mark::ok: return 3;
    case Mark::unchecked: return 4;
    }
    return 5;
}

// Chooses the labels of this frame: the distances of the selected enterprise's findings, its name,
// the villages, then (zoomed in) the other enterprises, most severe category first.
std::vector<PlacedLabel> choose_labels(const ViewerState& state, float fb_scale) {
    const MapModel& model = *state.model;
    const PixelRect& m = state.layout.map;
    const Camera& cam = state.camera;
    auto to_window = [&](Vec2 world) {
        const Vec2 s = cam.world_to_screen(world);
        return ImVec2(m.x0 + static_cast<float>(s.x) / fb_scale, m.y0 + static_cast<float>(s.y) / fb_scale);
    };
    auto size_of = [](const std::string& text) {
        const ImVec2 t = ImGui::CalcTextSize(text.c_str());
        return ImVec2(t.x + 2 * kPadX, t.y + 2 * kPadY);
    };
    const float symbol_r = kEnterpriseSymbolPx / 2 / fb_scale + 1;
    const bool name_labels = state.draw.enterprises_visible &&
                             cam.resolution() * model.metres_per_unit <= kEnterpriseLabelMaxMetresPerPixel;
    std::vector<LabelCandidate> candidates;
    std::vector<PixelRect> obstacles{scale_bar_box(m), north_arrow_box(m)};
    // Enterprise symbols on screen are obstacles: a label never hides one.
    std::vector<int> on_screen;
    if (state.draw.enterprises_visible)
        for (size_t i = 0; i < model.enterprises.size(); ++i) {
            const EnterpriseItem& e = model.enterprises[i];
            if (!e.has_point || !state.draw.class_shown(state.symbols.class_of_enterprise(i))) continue;
            const ImVec2 p = to_window(e.position);
            if (!m.contains(p.x, p.y)) continue;
            obstacles.push_back({p.x - symbol_r, p.y - symbol_r, p.x + symbol_r, p.y + symbol_r});
            on_screen.push_back(static_cast<int>(i));
        }
    // Distances of the selected enterprise's findings, at the middle of their line.
    if (const EnterpriseItem* sel = state.selected_item()) {
        for (const FindingHighlight& h : state.highlights) {
            if (!h.has_line) continue;
            const std::string text = distance_text(h.length * model.metres_per_unit);
            const ImVec2 a = to_window(h.from), b = to_window(h.to);
            const ImVec2 mid((a.x + b.x) / 2, (a.y + b.y) / 2);
            const ImVec2 sz = size_of(text);
            // Beside the line rather than on it.
            std::vector<PixelRect> pos = positions_around_point(mid.x, mid.y, 4, sz.x, sz.y);
            pos.insert(pos.begin(), centred_box(mid.x, mid.y, sz.x, sz.y));
            candidates.push_back({text, LabelKind::distance, h.finding, pos});
        }
        if (sel->has_point) {
            const ImVec2 p = to_window(sel->position);
            const ImVec2 sz = size_of(sel->record.name);
            // Named even among other symbols: it may cover some of them.
            candidates.push_back({sel->record.name, LabelKind::enterprise, sel->record.id,
                                  positions_around_point(p.x, p.y, symbol_r + 6, sz.x, sz.y), true});
        }
    }
    for (size_t v = 0; v < model.villages.size(); ++v) {
        const VillageArea& village = model.villages[v];
        const ImVec2 p = to_window(village.label);
        const ImVec2 t = ImGui::CalcTextSize(village.name.c_str());
        const ImVec2 sz(t.x * kVillageScale + 2 * kPadX, t.y * kVillageScale + 2 * kPadY);
        // The label point first, then nearby places still inside the village, nearest first.
        const MapLayer& layer = model.layers[static_cast<size_t>(village.layer)];
        const MapFeature& f = layer.features[static_cast<size_t>(village.feature)];
        std::vector<std::pair<float, PixelRect>> places;
        for (int i = -4; i <= 4; ++i)
            for (int j = -4; j <= 4; ++j) {
                const float dx = i * sz.x * 0.5f, dy = j * sz.y;
                const Vec2 w = cam.screen_to_world({(p.x + dx - m.x0) * fb_scale, (p.y + dy - m.y0) * fb_scale});
                if ((i != 0 || j != 0) && !feature_contains(layer, f, w)) continue;
                places.emplace_back(dx * dx + 4 * dy * dy, centred_box(p.x + dx, p.y + dy, sz.x, sz.y));
            }
        std::stable_sort(places.begin(), places.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        LabelCandidate c{village.name, LabelKind::village, static_cast<long long>(v), {}};
        for (const auto& [d, box] : places) c.positions.push_back(box);
        candidates.push_back(std::move(c));
    }
    if (name_labels) {
        std::stable_sort(on_screen.begin(), on_screen.end(), [&](int a, int b) {
            return mark_priority(model.enterprises[static_cast<size_t>(a)].mark) <
                   mark_priority(model.enterprises[static_cast<size_t>(b)].mark);
        });
        for (int i : on_screen) {
            if (i == state.selected()) continue;
            const EnterpriseItem& e = model.enterprises[static_cast<size_t>(i)];
            const ImVec2 p = to_window(e.position);
            const ImVec2 sz = size_of(e.record.name);
            candidates.push_back({e.record.name, LabelKind::enterprise, e.record.id,
                                  positions_around_point(p.x, p.y, symbol_r, sz.x, sz.y)});
        }
    }
    return place_labels(candidates, m, obstacles);
}

void draw_labels(const std::vector<PlacedLabel>& labels) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    for (const PlacedLabel& l : labels) {
        const ImVec2 a(l.rect.x0, l.rect.y0), b(l.rect.x1, l.rect.y1);
        const ImVec2 t(a.x + kPadX, a.y + kPadY);
        switch (l.kind) {
        case LabelKind::village:
            // Text with a white halo: the map stays visible around the letters.
        {
            ImFont* font = ImGui::GetFont();
            const float size = ImGui::GetFontSize() * kVillageScale;
            for (float dx = -1.5f; dx <= 1.5f; dx += 1.5f)
                for (float dy = -1.5f; dy <= 1.5f; dy += 1.5f)
                    if (dx != 0 || dy != 0) dl->AddText(font, size, ImVec2(t.x + dx, t.y + dy), kHalo, l.text.c_str());
            // Twice, a third of a pixel apart: a bolder stroke.
            dl->AddText(font, size, t, kVillageText, l.text.c_str());
            dl->AddText(font, size, ImVec2(t.x + 0.35f, t.y), kVillageText, l.text.c_str());
        }
            break;
        case LabelKind::enterprise:
            dl->AddRectFilled(a, b, kLabelBox, 2);
            dl->AddRect(a, b, kLabelBorder, 2);
            dl->AddText(t, kLabelText, l.text.c_str());
            break;
        case LabelKind::distance:
            dl->AddRectFilled(a, b, to_imgui(kDistanceLineColour), 2);
            dl->AddText(t, IM_COL32(255, 255, 255, 255), l.text.c_str());
            break;
        }
    }
}

void draw_overlays(ViewerState& state, float fb_scale) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const PixelRect& m = state.layout.map;
    dl->PushClipRect(ImVec2(m.x0, m.y0), ImVec2(m.x1, m.y1));
    state.labels = choose_labels(state, fb_scale);
    draw_labels(state.labels);
    // The identified point: a cross in a ring.
    if (state.identified && !state.selected_item()) {
        const Vec2 s = state.camera.world_to_screen(state.identified->world);
        const ImVec2 c(m.x0 + static_cast<float>(s.x) / fb_scale, m.y0 + static_cast<float>(s.y) / fb_scale);
        for (auto [colour, width] : {std::pair{IM_COL32(20, 20, 20, 255), 4.0f}, std::pair{to_imgui(kHighlightColour), 2.0f}}) {
            dl->AddCircle(c, 7, colour, 24, width);
            dl->AddLine(ImVec2(c.x - 12, c.y), ImVec2(c.x - 4, c.y), colour, width);
            dl->AddLine(ImVec2(c.x + 4, c.y), ImVec2(c.x + 12, c.y), colour, width);
            dl->AddLine(ImVec2(c.x, c.y - 12), ImVec2(c.x, c.y - 4), colour, width);
            dl->AddLine(ImVec2(c.x, c.y + 4), ImVec2(c.x, c.y + 12), colour, width);
        }
    }
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
    dl->PopClipRect();
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
            if (!g_drag_moved && over_map && !grid_tool_takes_clicks(state)) {
                const int hit = pick_enterprise(state, local, 8.0 * fb_scale);
                if (hit >= 0) state.select(hit, false);
                else state.identify_at(state.camera.screen_to_world(local), 4.0 * fb_scale);
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
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
            state.select(-1, false);
            state.identified.reset();
        }
    }
    draw_overlays(state, fb_scale);
}

} // namespace qingling::app
