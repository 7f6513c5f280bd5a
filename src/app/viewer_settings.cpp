#include "app/viewer_settings.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace qingling::app {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::optional<int> size_value(const std::string& v) {
    try {
        std::size_t used = 0;
        const int n = std::stoi(v, &used);
        if (used == v.size() && n >= 320 && n <= 16384) return n;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

} // namespace

std::optional<std::filesystem::path> viewer_settings_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "qingling" / "viewer.conf";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".config" / "qingling" / "viewer.conf";
    return std::nullopt;
}

ViewerSettings load_viewer_settings(const std::filesystem::path& path) {
    ViewerSettings s;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
        const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (key == "window_width") {
            if (auto n = size_value(value)) s.window_width = *n;
        } else if (key == "window_height") {
            if (auto n = size_value(value)) s.window_height = *n;
        } else if (key == "last_project") {
            s.last_project = value;
        } else if (key == "language") {
            if (value == "zh" || value == "en") s.language = value;
        }
    }
    return s;
}

bool save_viewer_settings(const std::filesystem::path& path, const ViewerSettings& settings) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    const std::filesystem::path temp = path.string() + ".partial";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << "# qingling viewer: remembered between sessions (safe to delete)\n"
            << "window_width = " << settings.window_width << "\n"
            << "window_height = " << settings.window_height << "\n"
            << "last_project = " << settings.last_project << "\n"
            << "language = " << settings.language << "\n";
        if (!out) return false;
    }
    std::filesystem::rename(temp, path, ec);
    return !ec;
}

} // namespace qingling::app
