// The map camera: world <-> screen, pan, zoom around a point, fit, scale.
#include "app/camera.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace qingling::app;

namespace {
constexpr double kEps = 1e-6;

void expect_near(Vec2 a, Vec2 b, double eps = kEps) {
    EXPECT_NEAR(a.x, b.x, eps);
    EXPECT_NEAR(a.y, b.y, eps);
}

// A camera over the demo subdistrict's coordinates (EPSG:4547 metres).
Camera demo_camera() { return Camera(800, 600, {529248.241, 3387221.856}, 10.0); }
} // namespace

TEST(Camera, CentreOfTheWorldIsCentreOfTheViewport) {
    const Camera c = demo_camera();
    expect_near(c.world_to_screen({529248.241, 3387221.856}), {400, 300});
    expect_near(c.screen_to_world({400, 300}), {529248.241, 3387221.856});
}

TEST(Camera, ScreenYGoesDownWorldYGoesUp) {
    const Camera c = demo_camera();
    // 100 m east and 50 m north at 10 m/px: 10 px right, 5 px up.
    expect_near(c.world_to_screen({529348.241, 3387271.856}), {410, 295});
    // The top-left pixel corner is the north-west corner of the view.
    expect_near(c.screen_to_world({0, 0}), {529248.241 - 4000, 3387221.856 + 3000});
}

TEST(Camera, WorldToScreenAndBackRoundTrip) {
    const Camera c(1280, 800, {39619604.99, 3387000.0}, 0.37);  // zone-prefixed eastings stay exact
    for (Vec2 s : {Vec2{0, 0}, Vec2{1279.5, 799.5}, Vec2{12.25, 640.75}}) expect_near(c.world_to_screen(c.screen_to_world(s)), s, 1e-6);
}

TEST(Camera, PanMovesTheContentWithTheDrag) {
    Camera c = demo_camera();
    const Vec2 world = c.screen_to_world({100, 100});
    c.pan_pixels(30, -20);
    expect_near(c.world_to_screen(world), {130, 80});
}

TEST(Camera, ZoomKeepsThePointUnderTheCursor) {
    Camera c = demo_camera();
    const Vec2 cursor{123.5, 456.25};
    const Vec2 anchor = c.screen_to_world(cursor);
    c.zoom_at(cursor, 2.0);
    EXPECT_NEAR(c.resolution(), 5.0, kEps);
    expect_near(c.world_to_screen(anchor), cursor);
    c.zoom_at(cursor, 0.25);
    EXPECT_NEAR(c.resolution(), 20.0, kEps);
    expect_near(c.world_to_screen(anchor), cursor);
}

TEST(Camera, ResolutionLimitsCanBeChanged) {
    Camera c = demo_camera();
    c.set_resolution_limits(1e-9, 1.0);  // degrees
    EXPECT_DOUBLE_EQ(c.resolution(), 1.0);  // clamped into the new range
    c.set_resolution(1e-7);
    EXPECT_DOUBLE_EQ(c.resolution(), 1e-7);
    c.set_resolution_limits(5, 1);  // nonsense is ignored
    c.set_resolution(1e-8);
    EXPECT_DOUBLE_EQ(c.resolution(), 1e-8);
}

TEST(Camera, ZoomIsClampedAndIgnoresNonsense) {
    Camera c = demo_camera();
    c.zoom_at({0, 0}, 1e12);
    EXPECT_DOUBLE_EQ(c.resolution(), Camera::kMinResolution);
    c.zoom_at({0, 0}, 1e-15);
    EXPECT_DOUBLE_EQ(c.resolution(), Camera::kMaxResolution);
    const Vec2 before = c.center();
    c.zoom_at({10, 10}, 0);
    c.zoom_at({10, 10}, std::nan(""));
    c.zoom_at({10, 10}, -2);
    EXPECT_DOUBLE_EQ(c.resolution(), Camera::kMaxResolution);
    expect_near(c.center(), before);
}

TEST(Camera, FitShowsTheWholeExtentWithTheMargin) {
    Camera c(800, 600, {0, 0}, 1);
    Extent e;
    e.add(520000, 3380000);
    e.add(540000, 3392000);  // 20 km x 12 km
    c.fit(e, 20);
    expect_near(c.center(), {530000, 3386000});
    // Width is the tight side: 20000 m over 760 px.
    EXPECT_NEAR(c.resolution(), 20000.0 / 760.0, kEps);
    const Vec2 sw = c.world_to_screen({e.minx, e.miny});
    const Vec2 ne = c.world_to_screen({e.maxx, e.maxy});
    EXPECT_NEAR(sw.x, 20, kEps);
    EXPECT_NEAR(ne.x, 780, kEps);
    EXPECT_GE(ne.y, 20 - kEps);
    EXPECT_LE(sw.y, 580 + kEps);
    const Extent visible = c.visible_extent();
    EXPECT_LE(visible.minx, e.minx);
    EXPECT_GE(visible.maxy, e.maxy);
}

TEST(Camera, FitTallExtentUsesTheHeight) {
    Camera c(800, 600, {0, 0}, 1);
    Extent e;
    e.add(0, 0);
    e.add(100, 1000);
    c.fit(e);
    EXPECT_NEAR(c.resolution(), 1000.0 / 600.0, kEps);
}

TEST(Camera, FitEmptyChangesNothingAndAPointIsCentred) {
    Camera c = demo_camera();
    c.fit(Extent{});
    expect_near(c.center(), {529248.241, 3387221.856});
    EXPECT_DOUBLE_EQ(c.resolution(), 10.0);
    Extent point;
    point.add(530000, 3390000);
    c.fit(point, 10);
    expect_near(c.center(), {530000, 3390000});
    EXPECT_DOUBLE_EQ(c.resolution(), 10.0);
}

TEST(Camera, ResizingKeepsTheCentre) {
    Camera c = demo_camera();
    c.set_viewport(1000, 200);
    expect_near(c.world_to_screen({529248.241, 3387221.856}), {500, 100});
    c.set_viewport(0, -5);  // minimised windows give zero sizes
    EXPECT_EQ(c.width(), 1);
    EXPECT_EQ(c.height(), 1);
}

TEST(Camera, ScaleDenominator) {
    Camera c(800, 600, {0, 0}, 1.0);  // 1 m per pixel
    EXPECT_NEAR(c.scale_denominator(), 96 / 0.0254, 1e-6);  // 1:3779.5 on a 96 dpi screen
    c.set_resolution(26.458333);
    EXPECT_NEAR(c.scale_denominator(1.0, 96), 100000, 1);
    // Geographic CRS: degrees converted by the caller's metres per unit; resolution limits in degrees.
    Camera g(800, 600, {114.3, 30.6}, 1.0);
    g.set_resolution_limits(1e-9, 1.0);
    g.set_resolution(1e-4);
    EXPECT_NEAR(g.scale_denominator(95800.0, 96), 1e-4 * 95800 / (0.0254 / 96), 1e-6);
}

TEST(Camera, ClipMatrixMatchesWorldToScreen) {
    const Camera c = demo_camera();
    const Vec2 origin{530000, 3386000};  // vertex buffers store offsets from here
    const auto m = c.clip_matrix(origin);
    for (Vec2 w : {Vec2{529248.241, 3387221.856}, Vec2{525248.241, 3390221.856}, Vec2{531000, 3385000}}) {
        const double px = w.x - origin.x, py = w.y - origin.y;
        const double cx = m[0] * px + m[3] * py + m[6];
        const double cy = m[1] * px + m[4] * py + m[7];
        const Vec2 s = c.world_to_screen(w);
        // clip -1..1 (y up) against pixels (y down)
        EXPECT_NEAR((cx + 1) / 2 * c.width(), s.x, 1e-3);
        EXPECT_NEAR((1 - cy) / 2 * c.height(), s.y, 1e-3);
    }
}

TEST(Camera, NiceScaleBar) {
    ScaleBar b = nice_scale_bar(18.9, 160);  // 3024 m fit: 2 km
    EXPECT_DOUBLE_EQ(b.length_units, 2000);
    EXPECT_NEAR(b.length_px, 2000 / 18.9, 1e-9);
    EXPECT_DOUBLE_EQ(nice_scale_bar(1.0, 100).length_units, 100);
    EXPECT_DOUBLE_EQ(nice_scale_bar(1.0, 99).length_units, 50);
    EXPECT_DOUBLE_EQ(nice_scale_bar(0.01, 160).length_units, 1);
    EXPECT_DOUBLE_EQ(nice_scale_bar(0, 160).length_units, 0);
}

TEST(Extent, EmptyAddAndIntersect) {
    Extent e;
    EXPECT_TRUE(e.empty());
    EXPECT_EQ(e.width(), 0);
    e.add(1, 2);
    EXPECT_FALSE(e.empty());
    e.add(3, 5);
    EXPECT_DOUBLE_EQ(e.width(), 2);
    EXPECT_DOUBLE_EQ(e.height(), 3);
    Extent f;
    f.add(3, 5);
    f.add(10, 10);
    EXPECT_TRUE(e.intersects(f));  // touching counts
    Extent g;
    g.add(3.1, 0);
    EXPECT_FALSE(e.intersects(g));
    EXPECT_FALSE(e.intersects(Extent{}));
}
