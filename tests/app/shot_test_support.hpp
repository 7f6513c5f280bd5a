// Shared by the screenshot checks of the viewer (each its own executable): the folder the scripted
// runs wrote their screenshots and view dumps to, reading them, and comparing colours.
#pragma once

#include "core/map_style.hpp"

#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace qingling::app::test {

// QINGLING_APP_WORK: where the app tests run (the current folder otherwise).
inline std::filesystem::path work_dir() {
    const char* dir = std::getenv("QINGLING_APP_WORK");
    return dir ? dir : ".";
}

// A screenshot as RGBA rows, top row first.
struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
    Rgba at(int x, int y) const {
        const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 4;
        return {rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]};
    }
    Rgba at(double x, double y) const { return at(static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y))); }
};

// Empty (0 × 0) when the file is missing or not an image.
inline Image load_png(const std::filesystem::path& path) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load(path.string().c_str(), &img.width, &img.height, &channels, 4);
    if (!data) return img;
    img.rgba.assign(data, data + static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 4);
    stbi_image_free(data);
    return img;
}

inline nlohmann::json load_json(const std::filesystem::path& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

inline bool close_to(Rgba a, Rgba b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

// What a colour with alpha looks like over `base`.
inline Rgba blend(Rgba base, Rgba over) {
    const double a = over.a / 255.0;
    auto mix = [&](int b, int o) { return static_cast<std::uint8_t>(std::lround(b * (1 - a) + o * a)); };
    return {mix(base.r, over.r), mix(base.g, over.g), mix(base.b, over.b), 255};
}

} // namespace qingling::app::test
