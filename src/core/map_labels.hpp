// Map labels that do not overlap, for the viewer and the printed maps: candidates in priority
// order, each with a few positions around its anchor; a greedy pass places a candidate at its
// first position whose box fits in the map and overlaps no box placed before, and drops it
// otherwise. The caller measures the text and draws what was placed.
#pragma once

#include <string>
#include <vector>

namespace qingling {

// A rectangle in device units (pixels or points), origin top-left, y down.
struct PixelRect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    bool contains(float x, float y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
};

enum class LabelKind { village, enterprise, distance };  // distance: of a distance finding

struct LabelCandidate {
    std::string text;
    LabelKind kind = LabelKind::enterprise;
    long long id = 0;                  // enterprise id or village index
    std::vector<PixelRect> positions;  // boxes to try, best first
    bool over_obstacles = false;       // may cover obstacles (the selected enterprise's name)
};

struct PlacedLabel {
    std::string text;
    LabelKind kind = LabelKind::enterprise;
    long long id = 0;
    PixelRect rect;
};

bool overlaps(const PixelRect& a, const PixelRect& b);

// `candidates` in priority order; `obstacles` are boxes no label may cover (the scale bar ...).
std::vector<PlacedLabel> place_labels(const std::vector<LabelCandidate>& candidates, const PixelRect& bounds,
                                      const std::vector<PixelRect>& obstacles = {});

// The usual positions of a label of size w x h beside a point symbol of radius r at (x, y):
// right, left, above, below.
std::vector<PixelRect> positions_around_point(float x, float y, float r, float w, float h);
// A label centred on (x, y).
PixelRect centred_box(float x, float y, float w, float h);

} // namespace qingling
