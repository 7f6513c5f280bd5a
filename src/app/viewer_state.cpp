#include "app/viewer_state.hpp"

#include <algorithm>
#include <cmath>

namespace qingling::app {

Layout compute_layout(float w, float h) {
    Layout l;
    const float left = std::clamp(w * 0.21f, 220.f, 300.f);
    const float right = std::clamp(w * 0.35f, 300.f, 560.f);
    const float status = 26.f;
    const float body = std::max(1.f, h - status);
    l.layers = {0, 0, left, body};
    const float split = std::floor(body * 0.55f);
    l.ledger = {w - right, 0, w, split};
    l.inspector = {w - right, split, w, body};
    l.status = {0, body, w, h};
    l.map = {left, 0, std::max(left + 1, w - right), body};
    return l;
}

void ViewerState::select(int index, bool centre) {
    draw.selected_enterprise = index;
    if (index >= 0) identified.reset();
    scroll_ledger_to_selection = true;
    const EnterpriseItem* e = selected_item();
    if (centre && e && e->has_point) camera.set_center(e->position);
}

void ViewerState::zoom_home() {
    if (model) camera.fit(model->home_extent(), kHomeMarginPx);
}

void ViewerState::zoom_to(const Extent& extent) {
    if (model) zoom_camera_to(camera, extent, model->metres_per_unit);
}

void ViewerState::zoom_to_beside_panel(const Extent& e, float panel_px, PanelEdge edge, float margin_px) {
    if (e.empty() || !model) return;
    const float fb_scale = static_cast<float>(camera.height()) / std::max(1.0f, layout.map.height());
    const double covered = panel_px * fb_scale, margin = margin_px * fb_scale;
    const double w = camera.width() - 2 * margin, h = camera.height() - covered - 2 * margin;
    if (w < 20 || h < 20) {
        zoom_to(e);
        return;
    }
    camera.set_resolution(std::max({e.width() / w, e.height() / h, 0.25 / model->metres_per_unit}));
    camera.set_center(e.center());
    // The extent's centre moves into the middle of the free part.
    camera.pan_pixels(0, edge == PanelEdge::top ? covered / 2 : -covered / 2);
}

void ViewerState::identify_at(Vec2 world, double tolerance_px) {
    if (!model) return;
    draw.selected_enterprise = -1;
    identified = app::identify_at(*model, world, tolerance_px * camera.resolution(), draw.layer_visible);
    ++identify_serial;
    std::string text = identified->village + identified->error;
    for (const auto& f : identified->features) {
        text += f.code_name + f.village;
        for (const auto& [k, v] : f.attributes) text += k + v;
    }
    font_request = text;
}

} // namespace qingling::app
