#include "app/map_image_plan.hpp"

#include <cmath>
#include <cstdlib>

namespace qingling::app {

Camera MapImageView::camera() const {
    return Camera(width, height, {lower_left.x + width / 2.0 * resolution, lower_left.y + height / 2.0 * resolution},
                  resolution);
}

Extent MapImageView::extent_of(const PixelBox& box) const {
    Extent e;
    e.add(lower_left.x + box.x * resolution, lower_left.y + box.y * resolution);
    e.add(lower_left.x + (box.x + box.width) * resolution, lower_left.y + (box.y + box.height) * resolution);
    return e;
}

MapImagePlan plan_map_image(const std::optional<MapImageView>& cached, const MapImageView& wanted) {
    MapImagePlan plan;
    plan.view = wanted;
    const PixelBox whole{0, 0, wanted.width, wanted.height};
    plan.strips = {whole};
    if (!cached || cached->width != wanted.width || cached->height != wanted.height ||
        cached->resolution != wanted.resolution)
        return plan;
    // The camera's move in pixels of the cached image.
    const double mx = (wanted.lower_left.x - cached->lower_left.x) / wanted.resolution;
    const double my = (wanted.lower_left.y - cached->lower_left.y) / wanted.resolution;
    const double kx = std::round(mx), ky = std::round(my);
    if (std::abs(mx - kx) > kWholePixelTolerance || std::abs(my - ky) > kWholePixelTolerance) return plan;
    if (std::abs(kx) >= wanted.width || std::abs(ky) >= wanted.height) return plan;
    const int dx = static_cast<int>(kx), dy = static_cast<int>(ky);
    plan.view.lower_left = {cached->lower_left.x + dx * wanted.resolution, cached->lower_left.y + dy * wanted.resolution};
    plan.strips.clear();
    if (dx == 0 && dy == 0) {
        plan.kind = MapImagePlan::Kind::reuse;
        return plan;
    }
    plan.kind = MapImagePlan::Kind::shift;
    plan.shift_x = -dx;
    plan.shift_y = -dy;
    // The camera moved right (dx > 0): a strip on the right came into view; up (dy > 0): the top.
    if (dx > 0) plan.strips.push_back({wanted.width - dx, 0, dx, wanted.height});
    if (dx < 0) plan.strips.push_back({0, 0, -dx, wanted.height});
    // The rows, without the corner the column strip already has.
    const int x0 = dx < 0 ? -dx : 0, row_width = wanted.width - std::abs(dx);
    if (dy > 0) plan.strips.push_back({x0, wanted.height - dy, row_width, dy});
    if (dy < 0) plan.strips.push_back({x0, 0, row_width, -dy});
    return plan;
}

} // namespace qingling::app
