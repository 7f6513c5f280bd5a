// What the viewer remembers between sessions (issue 4): the window size, the last project and the
// UI language,
// in $XDG_CONFIG_HOME/qingling/viewer.conf (default ~/.config/qingling/viewer.conf), one
// `key = value` per line. Scripted runs neither read nor write it. No GL here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace qingling::app {

struct ViewerSettings {
    int window_width = 1280, window_height = 800;
    std::string last_project;  // the project open when the viewer closed; "" for none
    std::string language = "zh";  // the UI language chosen last: "zh" or "en"
};

// The settings file of this user; nullopt when neither XDG_CONFIG_HOME nor HOME is set.
std::optional<std::filesystem::path> viewer_settings_path();
// Missing or unreadable file: the defaults. Unknown keys and bad values are ignored (the file is
// the viewer's own; a newer version's keys must not stop an older one).
ViewerSettings load_viewer_settings(const std::filesystem::path& path);
// Writes a temporary file beside it and renames it; false when that fails (nothing to lose).
bool save_viewer_settings(const std::filesystem::path& path, const ViewerSettings& settings);

} // namespace qingling::app
