// The viewer application: window, GL context, ImGui, the frame loop, and the scripted screenshot
// mode used by tests and for making pictures.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace qingling::app {

struct ViewerOptions {
    std::optional<std::filesystem::path> project;
    std::optional<std::filesystem::path> screenshot;  // render the default view, write PNG, exit
    int width = 1280, height = 800;                   // window (and screenshot) size
    std::optional<long long> select;                  // enterprise id to select and centre
    std::optional<std::filesystem::path> dump_view;   // JSON sidecar of what the screenshot shows
    std::optional<std::string> village;               // zoom to this village first
    std::optional<double> zoom;                       // then magnify the view by this factor
    std::optional<int> zoom_finding;                  // then zoom to the selection's n-th finding (1-based)
    std::optional<std::pair<double, double>> identify;  // then identify at this world point
};

// Runs until the window closes (or, with a screenshot, after writing it). Returns the exit code.
int run_viewer(const ViewerOptions& options);

} // namespace qingling::app
