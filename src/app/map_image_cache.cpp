#include "app/map_image_cache.hpp"

#include <algorithm>
#include <cstdlib>

namespace qingling::app {

void MapImageCache::make(Target& target, int width, int height) {
    target.framebuffer = make_framebuffer();
    target.colour = make_texture();
    target.stencil = make_renderbuffer();
    glBindTexture(GL_TEXTURE_2D, target.colour.get());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindRenderbuffer(GL_RENDERBUFFER, target.stencil.get());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, width, height);
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer.get());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target.colour.get(), 0);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, target.stencil.get());
    // The stencil starts at 0 and the stencil fills keep it so (MapRenderer::draw_layers clears
    // only the colour).
    glDisable(GL_SCISSOR_TEST);
    glStencilMask(0xFF);
    glClearStencil(0);
    glClear(GL_STENCIL_BUFFER_BIT);
}

void MapImageCache::begin(const MapImagePlan& plan) {
    const int w = plan.view.width, h = plan.view.height;
    if (w != width_ || h != height_ || !targets_[0].framebuffer) {
        make(targets_[0], w, h);
        make(targets_[1], w, h);
        width_ = w;
        height_ = h;
    }
    if (plan.kind == MapImagePlan::Kind::shift) {
        // The same-size copy, moved: the part that stays in view; the strips are drawn after.
        const int next = 1 - current_;
        glBindFramebuffer(GL_READ_FRAMEBUFFER, targets_[current_].framebuffer.get());
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, targets_[next].framebuffer.get());
        const int sx0 = std::max(0, -plan.shift_x), sy0 = std::max(0, -plan.shift_y);
        const int cw = w - std::abs(plan.shift_x), ch = h - std::abs(plan.shift_y);
        const int dx0 = sx0 + plan.shift_x, dy0 = sy0 + plan.shift_y;
        glDisable(GL_SCISSOR_TEST);
        glBlitFramebuffer(sx0, sy0, sx0 + cw, sy0 + ch, dx0, dy0, dx0 + cw, dy0 + ch, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        current_ = next;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, targets_[current_].framebuffer.get());
    view_ = plan.view;
}

void MapImageCache::present(int x, int y) const {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, targets_[current_].framebuffer.get());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    glBlitFramebuffer(0, 0, width_, height_, x, y, x + width_, y + height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

} // namespace qingling::app
