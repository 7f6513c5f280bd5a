// qingling: the desktop viewer (issue 4). Thin: parse the command line, run the viewer.
#include "app/viewer.hpp"
#include "core/errors.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    using namespace qingling;
    CLI::App cli{"清零 Qingling — 散乱污企业整治 GIS (viewer)", "qingling"};
    app::ViewerOptions options;
    std::string project, screenshot, size, dump_view;
    long long select = 0;
    cli.add_option("PROJECT", project, "campaign file (.qingling) to open");
    cli.add_option("--screenshot", screenshot, "render the default view (whole jurisdiction, all layers, legend) to a PNG and exit");
    cli.add_option("--size", size, "window and screenshot size, WxH (default 1280x800)");
    auto* select_option = cli.add_option("--select", select, "select the enterprise with this id and centre the map on it");
    cli.add_option("--dump-view", dump_view, "with --screenshot: write what the picture shows (camera, enterprise positions, legend) as JSON");
    cli.set_version_flag("--version", std::string("qingling ") + QINGLING_VERSION);
    try {
        cli.parse(argc, argv);
        if (!size.empty()) {
            int w = 0, h = 0;
            char x = 0;
            if (std::sscanf(size.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 320 || h < 240 ||
                w > 16384 || h > 16384)
                throw CLI::ValidationError("--size", "expected WxH, at least 320x240, e.g. 1280x800; got '" + size + "'");
            options.width = w;
            options.height = h;
        }
        if (!dump_view.empty() && screenshot.empty())
            throw CLI::ValidationError("--dump-view", "needs --screenshot");
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);
        return code == 0 ? 0 : static_cast<int>(ExitCode::usage);
    }
    if (!project.empty()) options.project = project;
    if (!screenshot.empty()) options.screenshot = screenshot;
    if (!dump_view.empty()) options.dump_view = dump_view;
    if (select_option->count() > 0) options.select = select;
    return app::run_viewer(options);
}
