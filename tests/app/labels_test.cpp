// Label placement: greedy, in priority order, never overlapping, inside the map, around obstacles.
#include "app/labels.hpp"

#include <gtest/gtest.h>

using namespace qingling::app;

namespace {
LabelCandidate candidate(const std::string& text, std::vector<PixelRect> positions) {
    return {text, LabelKind::enterprise, 0, std::move(positions)};
}
} // namespace

TEST(Labels, FirstFreePositionWinsAndOverlappingLabelsAreSkipped) {
    const PixelRect bounds{0, 0, 200, 100};
    const auto placed = place_labels({candidate("a", {{10, 10, 60, 30}}),
                                      candidate("b", {{40, 20, 90, 40}, {70, 10, 120, 30}}),  // 2nd position is free
                                      candidate("c", {{15, 15, 50, 25}}),                      // only under a: skipped
                                      candidate("d", {{150, 80, 210, 95}}),                    // outside the map
                                      candidate("e", {{10, 50, 60, 70}})},
                                     bounds);
    ASSERT_EQ(placed.size(), 3u);
    EXPECT_EQ(placed[0].text, "a");
    EXPECT_EQ(placed[1].text, "b");
    EXPECT_FLOAT_EQ(placed[1].rect.x0, 70);
    EXPECT_EQ(placed[2].text, "e");
    for (size_t i = 0; i < placed.size(); ++i)
        for (size_t j = i + 1; j < placed.size(); ++j) EXPECT_FALSE(overlaps(placed[i].rect, placed[j].rect));
}

TEST(Labels, ObstaclesAreAvoided) {
    const auto placed = place_labels({candidate("a", {{10, 10, 60, 30}, {10, 40, 60, 60}})}, {0, 0, 100, 100},
                                     {{50, 0, 55, 35}});
    ASSERT_EQ(placed.size(), 1u);
    EXPECT_FLOAT_EQ(placed[0].rect.y0, 40);
}

TEST(Labels, APriorityLabelMayCoverObstaclesButNotLabels) {
    LabelCandidate selected = candidate("selected", {{10, 10, 60, 30}, {10, 40, 60, 60}});
    selected.over_obstacles = true;
    const auto placed = place_labels({candidate("first", {{0, 40, 20, 50}}), selected}, {0, 0, 100, 100},
                                     {{50, 0, 55, 35}});
    ASSERT_EQ(placed.size(), 2u);
    EXPECT_FLOAT_EQ(placed[1].rect.y0, 10);  // over the obstacle
}

TEST(Labels, TouchingBoxesDoNotOverlap) {
    EXPECT_FALSE(overlaps({0, 0, 10, 10}, {10, 0, 20, 10}));
    EXPECT_TRUE(overlaps({0, 0, 10, 10}, {9.5f, 9.5f, 20, 20}));
}

TEST(Labels, PositionsAroundAPointStayClearOfTheSymbol) {
    const auto pos = positions_around_point(100, 50, 6, 40, 16);
    ASSERT_EQ(pos.size(), 4u);
    const PixelRect symbol{94, 44, 106, 56};
    for (const PixelRect& r : pos) {
        EXPECT_FALSE(overlaps(r, symbol));
        EXPECT_FLOAT_EQ(r.width(), 40);
        EXPECT_FLOAT_EQ(r.height(), 16);
    }
    EXPECT_GT(pos[0].x0, 106);  // right first
    const PixelRect c = centred_box(10, 20, 8, 4);
    EXPECT_FLOAT_EQ(c.x0, 6);
    EXPECT_FLOAT_EQ(c.y1, 22);
}
