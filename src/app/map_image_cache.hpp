// The two offscreen images of the map's layers that app/map_image_plan's plans copy and draw into.
#pragma once

#include "app/gl_objects.hpp"
#include "app/map_image_plan.hpp"

#include <optional>

namespace qingling::app {

// Two offscreen images (colour + stencil) of the map's size; the shift copies one into the other.
class MapImageCache {
public:
    // Makes `view`'s image current for drawing: binds its framebuffer after copying the old image
    // shifted when the plan says so. Leaves the framebuffer bound; draw the plan's strips, then
    // present().
    void begin(const MapImagePlan& plan);
    // Copies the current image to the default framebuffer at `x, y`.
    void present(int x, int y) const;
    const std::optional<MapImageView>& view() const { return view_; }
    // The next plan redraws everything (new data, another layer setting).
    void invalidate() { view_.reset(); }

private:
    struct Target {
        GlFramebuffer framebuffer;
        GlTexture colour;
        GlRenderbuffer stencil;
    };
    void make(Target& target, int width, int height);
    Target targets_[2];
    int current_ = 0;
    int width_ = 0, height_ = 0;  // of both targets
    std::optional<MapImageView> view_;
};

} // namespace qingling::app
