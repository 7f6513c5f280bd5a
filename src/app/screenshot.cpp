#include "app/screenshot.hpp"

#include "app/gl.hpp"

#include <stb_image_write.h>

#include <cstring>
#include <vector>

namespace qingling::app {

bool write_back_buffer_png(const std::filesystem::path& out, int width, int height, std::string& message) {
    if (width <= 0 || height <= 0) {
        message = "nothing to capture";
        return false;
    }
    std::vector<unsigned char> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    if (GLenum e = glGetError(); e != GL_NO_ERROR) {
        message = "glReadPixels failed (GL error " + std::to_string(e) + ")";
        return false;
    }
    // GL's first row is the bottom one; PNG's the top one.
    const size_t stride = static_cast<size_t>(width) * 4;
    std::vector<unsigned char> flipped(pixels.size());
    for (int y = 0; y < height; ++y)
        std::memcpy(&flipped[static_cast<size_t>(y) * stride], &pixels[static_cast<size_t>(height - 1 - y) * stride], stride);
    for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    if (!stbi_write_png(out.string().c_str(), width, height, 4, flipped.data(), static_cast<int>(stride))) {
        message = "cannot write " + out.string();
        return false;
    }
    return true;
}

bool write_texture_png(const std::filesystem::path& out, unsigned texture, int width, int height, std::string& message) {
    if (width <= 0 || height <= 0 || texture == 0) {
        message = "no preview to write";
        return false;
    }
    std::vector<unsigned char> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    glBindTexture(GL_TEXTURE_2D, 0);
    if (GLenum e = glGetError(); e != GL_NO_ERROR) {
        message = "glGetTexImage failed (GL error " + std::to_string(e) + ")";
        return false;
    }
    if (!stbi_write_png(out.string().c_str(), width, height, 4, pixels.data(), width * 4)) {
        message = "cannot write " + out.string();
        return false;
    }
    return true;
}

} // namespace qingling::app
