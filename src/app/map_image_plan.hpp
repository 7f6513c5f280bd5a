// The map's layers as last drawn, kept in an offscreen image (issue 4: frames several times faster
// than a full render). A frame that shows the same layers at the same scale only copies the image;
// after a pan by whole pixels the image is copied shifted and only the strips that came into view
// are drawn; anything else (zoom, another layer setting, new data) draws it all again. Overlays
// (highlights, enterprises, the selection) are drawn over the copy every frame.
//
// This part is pure arithmetic, tested without GL; app/map_image_cache holds the two GL images.
#pragma once

#include "app/camera.hpp"

#include <optional>
#include <vector>

namespace qingling::app {

// Pixels of an image, GL convention: (x, y) of the lower-left corner, y up.
struct PixelBox {
    int x = 0, y = 0, width = 0, height = 0;
};

// What a map image shows.
struct MapImageView {
    int width = 0, height = 0;  // pixels
    double resolution = 0;      // world units per pixel
    Vec2 lower_left;            // world point at the image's lower-left corner

    // The camera that draws exactly this image.
    Camera camera() const;
    // The world box of some of its pixels.
    Extent extent_of(const PixelBox& box) const;
};

// A pan is taken as whole pixels when it is within this of them (a mouse drag moves whole pixels;
// floating point adds the rest). The copy is then off by at most this, which nobody can see.
inline constexpr double kWholePixelTolerance = 0.01;

struct MapImagePlan {
    enum class Kind { reuse, shift, redraw };
    Kind kind = Kind::redraw;
    int shift_x = 0, shift_y = 0;  // pixels the old image moves by (opposite to the camera)
    MapImageView view;             // what the new image shows
    std::vector<PixelBox> strips;  // to draw: all of it (redraw), what came into view (shift), nothing (reuse)
};

// How to make the image `wanted` from `cached` (nothing cached, or not the same layers: nullopt).
// A shift keeps cached.lower_left's pixel lattice: the new image is at most
// kWholePixelTolerance off `wanted`.
MapImagePlan plan_map_image(const std::optional<MapImageView>& cached, const MapImageView& wanted);

} // namespace qingling::app
