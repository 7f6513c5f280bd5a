#include "core/map_labels.hpp"

#include <vector>

namespace qingling {

bool overlaps(const PixelRect& a, const PixelRect& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

std::vector<PlacedLabel> place_labels(const std::vector<LabelCandidate>& candidates, const PixelRect& bounds,
                                      const std::vector<PixelRect>& obstacles) {
    std::vector<PlacedLabel> placed;
    for (const LabelCandidate& c : candidates) {
        for (const PixelRect& r : c.positions) {
            if (r.x0 < bounds.x0 || r.y0 < bounds.y0 || r.x1 > bounds.x1 || r.y1 > bounds.y1) continue;
            bool free = true;
            for (const PixelRect& o : c.over_obstacles ? std::vector<PixelRect>{} : obstacles)
                if (overlaps(r, o)) {
                    free = false;
                    break;
                }
            for (size_t i = 0; free && i < placed.size(); ++i)
                if (overlaps(r, placed[i].rect)) free = false;
            if (!free) continue;
            placed.push_back({c.text, c.kind, c.id, r});
            break;
        }
    }
    return placed;
}

std::vector<PixelRect> positions_around_point(float x, float y, float r, float w, float h) {
    const float gap = 2;
    return {
        {x + r + gap, y - h / 2, x + r + gap + w, y + h / 2},      // right
        {x - r - gap - w, y - h / 2, x - r - gap, y + h / 2},      // left
        {x - w / 2, y - r - gap - h, x + w / 2, y - r - gap},      // above
        {x - w / 2, y + r + gap, x + w / 2, y + r + gap + h},      // below
    };
}

PixelRect centred_box(float x, float y, float w, float h) { return {x - w / 2, y - h / 2, x + w / 2, y + h / 2}; }

} // namespace qingling
