// Shared by the libFuzzer targets: the input as a file with a given extension (the parsers read
// files through GDAL or toml++), in one temporary folder per process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace qingling::fuzz {

inline std::filesystem::path work_folder() {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("qingling-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline std::filesystem::path input_file(const uint8_t* data, size_t size, const std::string& extension) {
    const auto path = work_folder() / ("input" + extension);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

} // namespace qingling::fuzz
