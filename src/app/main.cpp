// qingling: the desktop viewer (issue 4). Thin: parse the command line, run the viewer.
#include "app/viewer.hpp"
#include "core/errors.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    using namespace qingling;
    CLI::App cli{"清零 Qingling — 散乱污企业整治 GIS (viewer)", "qingling"};
    app::ViewerOptions options;
    std::string project, screenshot, size, dump_view, village, identify, script, language;
    double zoom = 1;
    int zoom_finding = 0;
    long long select = 0;
    cli.add_option("PROJECT", project, "campaign file (.qingling) to open");
    cli.add_option("--screenshot", screenshot, "render the default view (whole jurisdiction, all layers, legend) to a PNG and exit");
    cli.add_option("--size", size, "window and screenshot size, WxH (default 1280x800)");
    auto* select_option = cli.add_option("--select", select, "select the enterprise with this id and centre the map on it");
    auto* village_option = cli.add_option("--village", village, "zoom to this village (its name in the village layer)");
    auto* zoom_option = cli.add_option("--zoom", zoom, "then magnify the view by this factor around its centre")
                            ->check(CLI::Range(1e-3, 1e6));
    auto* finding_option = cli.add_option("--zoom-finding", zoom_finding,
                                          "then zoom to the selected enterprise's n-th finding (1-based, as the inspector lists them)")
                               ->check(CLI::PositiveNumber);
    cli.add_option("--identify", identify, "then identify the features at this point X,Y (project CRS), as a click on the map does");
    cli.add_option("--script", script, "run the steps of this file (village, select, layer, screenshot, frames …; see the README), then exit")
        ->check(CLI::ExistingFile);
    cli.add_option("--lang", language, "the UI language: zh (中文, the default) or en (English); remembered when chosen in the window")
        ->check(CLI::IsMember({"zh", "en"}));
    long long first_view_from = 0;
    auto* first_view_option = cli.add_option("--first-view-from", first_view_from,
                                             "layers of at least this many vertices open with only the first view's band and get "
                                             "the others in the background (default 2000000; tests lower it)")
                                  ->check(CLI::PositiveNumber);
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
            options.size_given = true;
        }
        if (finding_option->count() > 0 && select_option->count() == 0)
            throw CLI::ValidationError("--zoom-finding", "needs --select");
        if (!dump_view.empty() && screenshot.empty())
            throw CLI::ValidationError("--dump-view", "needs --screenshot");
        // The shortcuts become script steps, in this order, before the script file's own steps.
        using K = app::ScriptStep::Kind;
        auto step = [&](K kind) -> app::ScriptStep& {
            options.script.emplace_back().kind = kind;
            return options.script.back();
        };
        if (village_option->count() > 0) step(K::village).text = village;
        if (select_option->count() > 0) step(K::select).number = select;
        if (zoom_option->count() > 0) step(K::zoom).x = zoom;
        if (finding_option->count() > 0) step(K::finding).number = zoom_finding;
        if (!identify.empty()) {
            double x = 0, y = 0;
            char comma = 0, rest = 0;
            if (std::sscanf(identify.c_str(), "%lf%c%lf%c", &x, &comma, &y, &rest) != 3 || comma != ',')
                throw CLI::ValidationError("--identify", "expected X,Y in the project CRS, e.g. 528400.5,3386900; got '" + identify + "'");
            auto& s = step(K::identify);
            s.x = x;
            s.y = y;
        }
        if (!script.empty()) {
            std::ifstream in(script);
            for (app::ScriptStep& s : app::parse_view_script(in, script)) options.script.push_back(std::move(s));
        }
        if (!dump_view.empty()) step(K::dump_view).text = dump_view;
        if (!screenshot.empty()) step(K::screenshot).text = screenshot;
        // Without a script or a screenshot the shortcuts only set up the first view of the window.
        options.exit_after_script = !script.empty() || !screenshot.empty();
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);
        return code == 0 ? 0 : static_cast<int>(ExitCode::usage);
    } catch (const app::ScriptError& e) {
        std::cerr << "qingling: " << e.what() << '\n';
        return static_cast<int>(ExitCode::usage);
    }
    if (!project.empty()) options.project = project;
    if (first_view_option->count() > 0) options.first_view_min_vertices = static_cast<std::size_t>(first_view_from);
    options.language = language;
    return app::run_viewer(options);
}
