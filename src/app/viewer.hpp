// The viewer application: window, GL context, ImGui, the frame loop, and the scripted screenshot
// mode used by tests and for making pictures.
#pragma once

#include "app/view_script.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qingling::app {

struct ViewerOptions {
    std::optional<std::filesystem::path> project;
    int width = 1280, height = 800;                   // window (and screenshot) size
    bool size_given = false;                          // --size: else the remembered window size
    // These steps run in order once the map has its size (the first view of the window).
    std::vector<ScriptStep> script;
    // Scripted mode (tests, pictures, benchmarks): no mouse, exit after the last step.
    bool exit_after_script = false;
    std::string language;  // --lang: "zh" or "en"; empty = the one remembered (Chinese at first)
    // --first-view-from: MapRenderer's threshold for opening a layer with its first view's band only.
    std::optional<std::size_t> first_view_min_vertices;
};

// Runs until the window closes (or, with a screenshot, after writing it). Returns the exit code.
int run_viewer(const ViewerOptions& options);

} // namespace qingling::app
