#include "core/map_labels.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace qingling {

bool overlaps(const PixelRect& a, const PixelRect& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

namespace {

// The placed labels by the cells of a uniform grid over the bounds they must stay in, so a new box
// is tested against its neighbours only: tens of thousands of enterprise names on a county map
// would otherwise cost a test against every label placed before.
class PlacedIndex {
public:
    PlacedIndex(const PixelRect& bounds, float cell)
        : x0_(bounds.x0), y0_(bounds.y0), cell_(std::max(cell, 1.0f)),
          nx_(std::max(1, static_cast<int>(std::ceil(bounds.width() / cell_)))),
          ny_(std::max(1, static_cast<int>(std::ceil(bounds.height() / cell_)))),
          cells_(static_cast<size_t>(nx_) * static_cast<size_t>(ny_)) {}

    bool free(const PixelRect& r, const std::vector<PlacedLabel>& placed) const {
        bool ok = true;
        visit(r, [&](const std::vector<size_t>& cell) {
            for (size_t i : cell)
                if (overlaps(r, placed[i].rect)) ok = false;
            return ok;
        });
        return ok;
    }
    void add(const PixelRect& r, size_t index) {
        visit(r, [&](std::vector<size_t>& cell) {
            cell.push_back(index);
            return true;
        });
    }

private:
    template <class Cells, class F>
    static bool visit_cells(Cells& cells, int ix0, int iy0, int ix1, int iy1, int nx, F&& f) {
        for (int y = iy0; y <= iy1; ++y)
            for (int x = ix0; x <= ix1; ++x)
                if (!f(cells[static_cast<size_t>(y) * static_cast<size_t>(nx) + static_cast<size_t>(x)])) return false;
        return true;
    }
    int clamp_x(float v) const { return std::clamp(static_cast<int>(std::floor((v - x0_) / cell_)), 0, nx_ - 1); }
    int clamp_y(float v) const { return std::clamp(static_cast<int>(std::floor((v - y0_) / cell_)), 0, ny_ - 1); }
    template <class F>
    void visit(const PixelRect& r, F&& f) const {
        visit_cells(cells_, clamp_x(r.x0), clamp_y(r.y0), clamp_x(r.x1), clamp_y(r.y1), nx_, f);
    }
    template <class F>
    void visit(const PixelRect& r, F&& f) {
        visit_cells(cells_, clamp_x(r.x0), clamp_y(r.y0), clamp_x(r.x1), clamp_y(r.y1), nx_, f);
    }

    float x0_, y0_, cell_;
    int nx_, ny_;
    std::vector<std::vector<size_t>> cells_;
};

} // namespace

std::vector<PlacedLabel> place_labels(const std::vector<LabelCandidate>& candidates, const PixelRect& bounds,
                                      const std::vector<PixelRect>& obstacles) {
    // Cells about as wide as a typical label.
    double widths = 0;
    size_t counted = 0;
    for (const LabelCandidate& c : candidates)
        if (!c.positions.empty() && counted < 1000) {
            widths += c.positions.front().width();
            ++counted;
        }
    PlacedIndex index(bounds, counted ? static_cast<float>(widths / static_cast<double>(counted)) : bounds.width() / 16);
    std::vector<PlacedLabel> placed;
    for (const LabelCandidate& c : candidates) {
        for (const PixelRect& r : c.positions) {
            if (r.x0 < bounds.x0 || r.y0 < bounds.y0 || r.x1 > bounds.x1 || r.y1 > bounds.y1) continue;
            bool free = true;
            if (!c.over_obstacles)
                for (const PixelRect& o : obstacles)
                    if (overlaps(r, o)) {
                        free = false;
                        break;
                    }
            if (!free || !index.free(r, placed)) continue;
            index.add(r, placed.size());
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
