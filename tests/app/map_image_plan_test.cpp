// The map image's plan (app/map_image_plan): when a frame copies the last image, shifts it and
// draws the strips that came into view, or draws everything again.
#include "app/map_image_plan.hpp"

#include <gtest/gtest.h>

namespace qingling::app {
namespace {

MapImageView view_at(double x, double y, double resolution = 2.0) { return {800, 600, resolution, {x, y}}; }

int area(const std::vector<PixelBox>& boxes) {
    int sum = 0;
    for (const PixelBox& b : boxes) sum += b.width * b.height;
    return sum;
}

TEST(MapImagePlan, NothingCachedDrawsTheWholeImage) {
    const MapImagePlan plan = plan_map_image(std::nullopt, view_at(1000, 2000));
    EXPECT_EQ(plan.kind, MapImagePlan::Kind::redraw);
    ASSERT_EQ(plan.strips.size(), 1u);
    EXPECT_EQ(area(plan.strips), 800 * 600);
    EXPECT_EQ(plan.view.lower_left.x, 1000);
}

TEST(MapImagePlan, TheSameViewIsCopied) {
    const MapImagePlan plan = plan_map_image(view_at(1000, 2000), view_at(1000, 2000));
    EXPECT_EQ(plan.kind, MapImagePlan::Kind::reuse);
    EXPECT_TRUE(plan.strips.empty());
}

TEST(MapImagePlan, APanByWholePixelsShiftsTheImageAndDrawsWhatCameIntoView) {
    // The camera moves 30 px right and 20 px down (2 world units a pixel): the old image moves 30
    // px left and 20 px up; a column of 30 px on the right and a row of 20 px at the bottom are new.
    const MapImagePlan plan = plan_map_image(view_at(1000, 2000), view_at(1060, 1960));
    ASSERT_EQ(plan.kind, MapImagePlan::Kind::shift);
    EXPECT_EQ(plan.shift_x, -30);
    EXPECT_EQ(plan.shift_y, 20);
    ASSERT_EQ(plan.strips.size(), 2u);
    EXPECT_EQ(plan.strips[0].x, 770);
    EXPECT_EQ(plan.strips[0].width, 30);
    EXPECT_EQ(plan.strips[0].height, 600);
    EXPECT_EQ(plan.strips[1].x, 0);
    EXPECT_EQ(plan.strips[1].y, 0);
    EXPECT_EQ(plan.strips[1].width, 770);
    EXPECT_EQ(plan.strips[1].height, 20);
    // Every pixel is either copied or drawn, once.
    EXPECT_EQ(area(plan.strips) + (800 - 30) * (600 - 20), 800 * 600);
    // The strips' world box is where the new view shows them.
    const Extent column = plan.view.extent_of(plan.strips[0]);
    EXPECT_DOUBLE_EQ(column.minx, 1060 + 770 * 2.0);
    EXPECT_DOUBLE_EQ(column.maxx, 1060 + 800 * 2.0);
}

TEST(MapImagePlan, APanToTheLeftAndUpDrawsTheLeftColumnAndTheTopRow) {
    const MapImagePlan plan = plan_map_image(view_at(1000, 2000), view_at(990, 2008));
    ASSERT_EQ(plan.kind, MapImagePlan::Kind::shift);
    EXPECT_EQ(plan.shift_x, 5);
    EXPECT_EQ(plan.shift_y, -4);
    ASSERT_EQ(plan.strips.size(), 2u);
    EXPECT_EQ(plan.strips[0].x, 0);
    EXPECT_EQ(plan.strips[0].width, 5);
    EXPECT_EQ(plan.strips[1].x, 5);
    EXPECT_EQ(plan.strips[1].y, 596);
    EXPECT_EQ(plan.strips[1].height, 4);
    EXPECT_EQ(area(plan.strips) + (800 - 5) * (600 - 4), 800 * 600);
}

TEST(MapImagePlan, RoundingNoiseStillShiftsOnTheOldLattice) {
    // 10 px, off by floating point: the new image keeps the old pixel lattice.
    const MapImagePlan plan = plan_map_image(view_at(1000, 2000), view_at(1020.000001, 2000));
    ASSERT_EQ(plan.kind, MapImagePlan::Kind::shift);
    EXPECT_EQ(plan.shift_x, -10);
    EXPECT_DOUBLE_EQ(plan.view.lower_left.x, 1020);
}

TEST(MapImagePlan, AZoomAFractionalPanOrAPanPastTheImageDrawsItAllAgain) {
    EXPECT_EQ(plan_map_image(view_at(1000, 2000), view_at(1000, 2000, 2.5)).kind, MapImagePlan::Kind::redraw);
    EXPECT_EQ(plan_map_image(view_at(1000, 2000), view_at(1001, 2000)).kind, MapImagePlan::Kind::redraw) << "half a pixel";
    EXPECT_EQ(plan_map_image(view_at(1000, 2000), view_at(1000 + 800 * 2.0, 2000)).kind, MapImagePlan::Kind::redraw);
    MapImageView resized = view_at(1000, 2000);
    resized.width = 801;
    EXPECT_EQ(plan_map_image(view_at(1000, 2000), resized).kind, MapImagePlan::Kind::redraw);
}

} // namespace
} // namespace qingling::app
