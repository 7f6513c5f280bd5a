// Writes what the current frame drew to a PNG: reads the back buffer before the swap.
#pragma once

#include <filesystem>
#include <string>

namespace qingling::app {

// Reads width x height pixels from the bottom-left of GL_BACK of the default framebuffer and writes
// them top row first, alpha forced to 255. Returns false with a message on failure.
bool write_back_buffer_png(const std::filesystem::path& out, int width, int height, std::string& message);

// Reads a 2D RGBA texture back (glGetTexImage; its first row is written first) into a PNG.
bool write_texture_png(const std::filesystem::path& out, unsigned texture, int width, int height, std::string& message);

} // namespace qingling::app
