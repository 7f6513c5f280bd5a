#include "app/camera.hpp"

#include <cmath>

namespace qingling::app {

Camera::Camera(int width_px, int height_px, Vec2 center, double resolution) : center_(center) {
    set_viewport(width_px, height_px);
    set_resolution(resolution);
}

void Camera::set_viewport(int width_px, int height_px) {
    width_ = std::max(1, width_px);
    height_ = std::max(1, height_px);
}

void Camera::set_resolution(double units_per_pixel) {
    if (!(units_per_pixel > 0) || !std::isfinite(units_per_pixel)) return;
    resolution_ = std::clamp(units_per_pixel, min_resolution_, max_resolution_);
}

void Camera::set_resolution_limits(double min_units_per_pixel, double max_units_per_pixel) {
    if (!(min_units_per_pixel > 0) || !(max_units_per_pixel >= min_units_per_pixel)) return;
    min_resolution_ = min_units_per_pixel;
    max_resolution_ = max_units_per_pixel;
    resolution_ = std::clamp(resolution_, min_resolution_, max_resolution_);
}

Vec2 Camera::world_to_screen(Vec2 w) const {
    return {(w.x - center_.x) / resolution_ + width_ / 2.0, height_ / 2.0 - (w.y - center_.y) / resolution_};
}

Vec2 Camera::screen_to_world(Vec2 s) const {
    return {center_.x + (s.x - width_ / 2.0) * resolution_, center_.y - (s.y - height_ / 2.0) * resolution_};
}

void Camera::pan_pixels(double dx, double dy) {
    center_.x -= dx * resolution_;
    center_.y += dy * resolution_;
}

void Camera::zoom_at(Vec2 screen, double factor) {
    if (!(factor > 0) || !std::isfinite(factor)) return;
    const Vec2 anchor = screen_to_world(screen);
    set_resolution(resolution_ / factor);
    // Put the anchor back under the same pixel.
    center_.x = anchor.x - (screen.x - width_ / 2.0) * resolution_;
    center_.y = anchor.y + (screen.y - height_ / 2.0) * resolution_;
}

void Camera::fit(const Extent& e, double margin_px) {
    if (e.empty()) return;
    center_ = e.center();
    const double w = std::max(1.0, width_ - 2 * margin_px);
    const double h = std::max(1.0, height_ - 2 * margin_px);
    const double res = std::max(e.width() / w, e.height() / h);
    if (res > 0) set_resolution(res);
}

Extent Camera::visible_extent() const {
    Extent e;
    e.add(center_.x - width_ / 2.0 * resolution_, center_.y - height_ / 2.0 * resolution_);
    e.add(center_.x + width_ / 2.0 * resolution_, center_.y + height_ / 2.0 * resolution_);
    return e;
}

double Camera::scale_denominator(double metres_per_unit, double dpi) const {
    const double metres_per_screen_pixel = 0.0254 / dpi;
    return resolution_ * metres_per_unit / metres_per_screen_pixel;
}

std::array<float, 9> Camera::clip_matrix(Vec2 origin) const {
    const double sx = 2.0 / (resolution_ * width_);
    const double sy = 2.0 / (resolution_ * height_);
    const double tx = (origin.x - center_.x) * sx;
    const double ty = (origin.y - center_.y) * sy;
    return {static_cast<float>(sx), 0.f, 0.f, 0.f, static_cast<float>(sy), 0.f,
            static_cast<float>(tx), static_cast<float>(ty), 1.f};
}

ScaleBar nice_scale_bar(double resolution, double max_px) {
    ScaleBar bar;
    if (!(resolution > 0) || !(max_px > 0)) return bar;
    const double max_units = resolution * max_px;
    const double p = std::pow(10.0, std::floor(std::log10(max_units)));
    for (double m : {5.0, 2.0, 1.0}) {
        if (m * p <= max_units * (1 + 1e-12)) {
            bar.length_units = m * p;
            break;
        }
    }
    bar.length_px = bar.length_units / resolution;
    return bar;
}

} // namespace qingling::app
