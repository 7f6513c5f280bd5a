// The map camera: which part of the world the map viewport shows. Pure arithmetic, no GL, so it
// is unit-tested on its own and shared by the renderer, the mouse handling, the screenshot test
// and the view dump.
//
// Screen coordinates are pixels of the map viewport: origin at its top-left corner, x to the
// right, y down; pixel (i, j) covers [i, i+1) x [j, j+1). World coordinates are the project CRS in
// GIS order (x = easting), y up.
#pragma once

#include <algorithm>
#include <array>
#include <limits>

namespace qingling::app {

struct Vec2 {
    double x = 0, y = 0;
};

// An axis-aligned box in world coordinates; empty until something is added.
struct Extent {
    double minx = std::numeric_limits<double>::infinity();
    double miny = std::numeric_limits<double>::infinity();
    double maxx = -std::numeric_limits<double>::infinity();
    double maxy = -std::numeric_limits<double>::infinity();

    bool empty() const { return !(minx <= maxx && miny <= maxy); }
    double width() const { return empty() ? 0 : maxx - minx; }
    double height() const { return empty() ? 0 : maxy - miny; }
    Vec2 center() const { return {(minx + maxx) / 2, (miny + maxy) / 2}; }
    void add(double x, double y) {
        minx = std::min(minx, x);
        miny = std::min(miny, y);
        maxx = std::max(maxx, x);
        maxy = std::max(maxy, y);
    }
    void add(const Extent& e) {
        if (e.empty()) return;
        add(e.minx, e.miny);
        add(e.maxx, e.maxy);
    }
    bool intersects(const Extent& e) const {
        return !empty() && !e.empty() && minx <= e.maxx && e.minx <= maxx && miny <= e.maxy && e.miny <= maxy;
    }
};

// The default view shows the jurisdiction with this many pixels free around it.
inline constexpr double kHomeMarginPx = 24;

class Camera {
public:
    // Default bounds of the world units per pixel: 1 mm .. 100 km per pixel for metres. A CRS in
    // degrees needs others (set_resolution_limits).
    static constexpr double kMinResolution = 1e-3;
    static constexpr double kMaxResolution = 1e5;

    Camera() = default;
    Camera(int width_px, int height_px, Vec2 center, double resolution);

    // Size of the map viewport in pixels; the world point at the centre stays where it is.
    void set_viewport(int width_px, int height_px);
    int width() const { return width_; }
    int height() const { return height_; }

    Vec2 center() const { return center_; }
    void set_center(Vec2 world) { center_ = world; }
    double resolution() const { return resolution_; }  // world units per pixel
    void set_resolution(double units_per_pixel);       // clamped to the limits
    void set_resolution_limits(double min_units_per_pixel, double max_units_per_pixel);

    Vec2 world_to_screen(Vec2 world) const;
    Vec2 screen_to_world(Vec2 screen) const;

    // The content follows a mouse drag of (dx, dy) pixels.
    void pan_pixels(double dx, double dy);
    // Magnifies by factor (> 1 zooms in) keeping the world point under `screen` in place.
    void zoom_at(Vec2 screen, double factor);
    // Shows the whole extent, centred, with margin_px pixels free on every side. An empty extent
    // changes nothing; a single point is centred at the current resolution.
    void fit(const Extent& extent, double margin_px = 0);

    // The world box the viewport shows.
    Extent visible_extent() const;

    // Map scale 1:N for a screen of `dpi` dots per inch; metres_per_unit converts world units
    // (1 for projected CRSs in metres).
    double scale_denominator(double metres_per_unit = 1.0, double dpi = 96.0) const;

    // Column-major 3x3 matrix taking (world - origin) to clip space (-1..1, y up), computed in
    // double precision so vertex buffers can hold float offsets from a nearby origin.
    std::array<float, 9> clip_matrix(Vec2 origin) const;

private:
    int width_ = 1, height_ = 1;
    Vec2 center_{0, 0};
    double resolution_ = 1.0;
    double min_resolution_ = kMinResolution, max_resolution_ = kMaxResolution;
};

// A scale bar of a "nice" length (1, 2 or 5 times a power of ten world units) no longer than
// max_px pixels at the camera's resolution.
struct ScaleBar {
    double length_units = 0;
    double length_px = 0;
};
ScaleBar nice_scale_bar(double resolution, double max_px);

} // namespace qingling::app
