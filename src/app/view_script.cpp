#include "app/view_script.hpp"

#include "app/symbol_theme.hpp"
#include "core/campaign_dates.hpp"
#include "core/map_layout.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <istream>
#include <sstream>

namespace qingling::app {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

bool parse_double(const std::string& s, double& out) {
    std::istringstream in(s);
    in >> out;
    return in && (in >> std::ws).eof() && std::isfinite(out);
}

bool parse_point(const std::string& s, double& x, double& y) {
    const auto comma = s.find(',');
    return comma != std::string::npos && parse_double(trim(s.substr(0, comma)), x) && parse_double(trim(s.substr(comma + 1)), y);
}

bool parse_count(const std::string& s, long long& out) {
    double v = 0;
    if (!parse_double(s, v) || v != std::floor(v) || v < 1 || v > 1e12) return false;
    out = static_cast<long long>(v);
    return true;
}

} // namespace

std::vector<ScriptStep> parse_view_script(std::istream& in, const std::string& file_name) {
    std::vector<ScriptStep> steps;
    std::string raw;
    int line_no = 0;
    while (std::getline(in, raw)) {
        ++line_no;
        if (line_no == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);  // UTF-8 BOM of Windows editors
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.find_first_of(" \t");
        const std::string word = line.substr(0, space);
        const std::string arg = space == std::string::npos ? std::string() : trim(line.substr(space));
        auto fail = [&](const std::string& why) {
            throw ScriptError(file_name + ":" + std::to_string(line_no) + ": " + why);
        };
        ScriptStep step;
        step.line = line_no;
        using K = ScriptStep::Kind;
        auto need_arg = [&](const char* what) {
            if (arg.empty()) fail("'" + word + "' needs " + what);
        };
        if (word == "home" || word == "timings" || word == "check") {
            if (!arg.empty()) fail("'" + word + "' takes no argument");
            step.kind = word == "home" ? K::home : word == "timings" ? K::timings : K::check;
        } else if (word == "village") {
            need_arg("a village name");
            step.kind = K::village;
            step.text = arg;
        } else if (word == "select" || word == "finding" || word == "frames") {
            step.kind = word == "select" ? K::select : word == "finding" ? K::finding : K::frames;
            if (!parse_count(arg, step.number)) fail("'" + word + "' needs a whole number of at least 1, got '" + arg + "'");
        } else if (word == "zoom" || word == "width") {
            step.kind = word == "zoom" ? K::zoom : K::width;
            if (!parse_double(arg, step.x) || step.x <= 0) fail("'" + word + "' needs a positive number, got '" + arg + "'");
        } else if (word == "center" || word == "identify") {
            step.kind = word == "center" ? K::center : K::identify;
            if (!parse_point(arg, step.x, step.y)) fail("'" + word + "' needs X,Y in the project CRS, got '" + arg + "'");
        } else if (word == "pan") {
            step.kind = K::pan;
            if (!parse_point(arg, step.x, step.y)) fail("'pan' needs DX,DY in screen pixels, got '" + arg + "'");
        } else if (word == "layer") {
            step.kind = K::layer;
            const auto last = arg.find_last_of(" \t");
            const std::string state = last == std::string::npos ? std::string() : arg.substr(last + 1);
            if (state != "on" && state != "off") fail("'layer' needs a layer name and on or off, got '" + arg + "'");
            step.text = trim(arg.substr(0, last));
            step.on = state == "on";
        } else if (word == "opacity") {
            step.kind = K::opacity;
            const auto last = arg.find_last_of(" \t");
            if (last == std::string::npos || !parse_double(arg.substr(last + 1), step.x) || step.x < 0 || step.x > 1)
                fail("'opacity' needs a layer name and a number from 0 to 1, got '" + arg + "'");
            step.text = trim(arg.substr(0, last));
        } else if (word == "dashboard" || word == "date") {
            step.kind = word == "date" ? K::date : K::dashboard;
            step.text = arg;
            if (!is_iso_date(arg)) fail("'" + word + "' needs a date YYYY-MM-DD, got '" + arg + "'");
        } else if (word == "theme") {
            step.kind = K::theme;
            step.text = arg;
            SymbolTheme theme;
            if (!parse_symbol_theme(arg, theme)) fail("'theme' needs category, status or deadline, got '" + arg + "'");
        } else if (word == "filter") {
            step.kind = K::filter;
            const auto space2 = arg.find_first_of(" \t");
            step.field = arg.substr(0, space2);
            step.text = space2 == std::string::npos ? std::string() : trim(arg.substr(space2));
            static const char* const kFields[] = {"text", "village", "industry", "category", "flag"};
            const bool known = std::find(std::begin(kFields), std::end(kFields), step.field) != std::end(kFields);
            if (step.field == "clear" ? !step.text.empty() : !known || step.text.empty())
                fail("'filter' needs text|village|industry|category|flag and a value, or clear; got '" + arg + "'");
        } else if (word == "preview-layer" || word == "import-layer" || word == "preview-ledger" ||
                   word == "import-ledger") {
            const bool layer = word.find("layer") != std::string::npos;
            step.kind = word == "preview-layer" ? K::preview_layer
                        : word == "import-layer" ? K::import_layer
                        : word == "preview-ledger" ? K::preview_ledger
                                                   : K::import_ledger;
            std::istringstream words(arg);
            std::vector<std::string> parts{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
            const std::size_t max_parts = layer ? 4 : 2;
            if (parts.size() < (layer ? 2u : 1u) || parts.size() > max_parts)
                fail("'" + word + (layer ? "' needs PATH ROLE [ENCODING] [EPSG]" : "' needs PATH [ENCODING]") + ", got '" + arg + "'");
            step.text = parts[0];
            std::size_t next = 1;
            if (layer) step.role = parts[next++];
            step.encoding = next < parts.size() ? parts[next++] : "auto";
            if (next < parts.size()) {
                step.epsg = parts[next] == "auto" ? std::string() : parts[next];
                long long code = 0;
                if (!step.epsg.empty() && (!parse_count(step.epsg, code) || code > 999999))
                    fail("'" + word + "' needs an EPSG number or auto, got '" + parts[next] + "'");
            }
        } else if (word == "language") {
            step.kind = K::language;
            step.text = arg;
            if (arg != "zh" && arg != "en") fail("'language' needs zh or en, got '" + arg + "'");
        } else if (word == "grid") {
            step.kind = K::grid;
            std::istringstream words(arg);
            std::vector<std::string> parts{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
            if (parts.empty()) fail("'grid' needs an action: draw, split, merge, delete, undo, redo, check, fix, tool, hover, click, finish");
            step.field = parts[0];
            std::vector<std::string> rest(parts.begin() + 1, parts.end());
            if (rest.size() >= 2 && rest[rest.size() - 2] == "snap") {
                if (!parse_double(rest.back(), step.snap_px) || step.snap_px < 0)
                    fail("'snap' needs a number of pixels, got '" + rest.back() + "'");
                rest.resize(rest.size() - 2);
            }
            auto points = [&](std::size_t from, std::size_t at_least) {
                for (std::size_t i = from; i < rest.size(); ++i) {
                    double x = 0, y = 0;
                    if (!parse_point(rest[i], x, y)) fail("'grid " + step.field + "' needs points X,Y, got '" + rest[i] + "'");
                    step.coords.push_back(x);
                    step.coords.push_back(y);
                }
                if (step.coords.size() / 2 < at_least)
                    fail("'grid " + step.field + "' needs at least " + std::to_string(at_least) + " points");
            };
            const std::string& a = step.field;
            if (a == "draw") points(0, 3);
            else if (a == "hover" || a == "click") {
                points(0, 1);
                if (step.coords.size() != 2) fail("'grid " + a + "' takes one point X,Y");
            } else if (a == "split") {
                if (rest.empty()) fail("'grid split' needs a grid name and a line");
                step.names = {rest[0]};
                points(1, 2);
            } else if (a == "merge") {
                if (rest.size() != 2) fail("'grid merge' needs two grid names");
                step.names = rest;
            } else if (a == "draft") {
                long long n = 0;
                if (rest.size() < 2 || rest.size() > 3 || !parse_count(rest[1], n) || n > 100 ||
                    (rest.size() == 3 && rest[2] != "balanced"))
                    fail("'grid draft' needs a village name, a number of grids (1–100) and optionally 'balanced'");
                step.names = {rest[0]};
                if (rest.size() == 3) step.names.push_back(rest[2]);
                step.number = n;
            } else if (a == "problem") {
                long long n = 0;
                if (rest.size() != 1 || !parse_count(rest[0], n)) fail("'grid problem' needs the problem's number (1 …)");
                step.number = n;
            } else if (a == "move") {
                if (rest.size() != 2) fail("'grid move' needs a grid name and an offset DX,DY");
                step.names = {rest[0]};
                points(1, 1);
            } else if (a == "delete" || a == "tool") {
                if (rest.size() != 1) fail("'grid " + a + "' needs one name");
                step.names = rest;
            } else if (a == "fix") {
                if (rest.size() > 1) fail("'grid fix' takes at most one kind");
                step.names = rest;
            } else if (a == "undo" || a == "redo" || a == "check" || a == "finish") {
                if (!rest.empty()) fail("'grid " + a + "' takes no argument");
            } else {
                fail("unknown grid action '" + a + "' (known: draw, split, merge, delete, move, draft, undo, redo, check, problem, fix, tool, hover, click, finish)");
            }
        } else if (word == "sites" || word == "sites-eliminated" || word == "site" || word == "reserve" || word == "release") {
            step.kind = K::sites;
            if (word == "sites") {
                need_arg("an enterprise's ledger id or name, or close");
                step.field = arg == "close" ? "close" : "show";
                step.text = arg;
            } else if (word == "sites-eliminated") {
                if (arg != "on" && arg != "off") fail("'sites-eliminated' needs on or off, got '" + arg + "'");
                step.field = "eliminated";
                step.on = arg == "on";
            } else if (word == "release") {
                if (!arg.empty()) fail("'release' takes no argument");
                step.field = "release";
            } else {
                step.field = word == "site" ? "candidate" : "reserve";
                if (!parse_count(arg, step.number)) fail("'" + word + "' needs a candidate's rank (1 …), got '" + arg + "'");
            }
        } else if (word == "export-view") {
            step.kind = K::export_view;
            std::istringstream words(arg);
            std::vector<std::string> parts{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
            if (parts.empty() || parts.size() > 4) fail("'export-view' needs OUT.pdf|png [PRESET] [PAGE] [DPI], got '" + arg + "'");
            step.text = parts[0];
            std::string ext = std::filesystem::path(step.text).extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (ext != ".pdf" && ext != ".png") fail("'export-view' writes a .pdf or .png, not '" + step.text + "'");
            step.names = {"", ""};  // preset, page
            for (std::size_t i = 1; i < parts.size(); ++i) {
                long long dpi = 0;
                if (parse_map_preset(parts[i])) step.names[0] = parts[i];
                else if (parse_page_format(parts[i])) step.names[1] = parts[i];
                else if (parse_count(parts[i], dpi) && dpi >= 20 && dpi <= 1200) step.number = dpi;
                else if (parts[i] == "preview") step.number = -1;  // the layout preview's resolution
                else fail("'export-view': '" + parts[i] + "' is no preset (分布图, 整治进度图, 搬迁选址图, 网格图), page (A4P, A4L, A3P, A3L) or dpi (20–1200, or preview)");
            }
        } else if (word == "layout-preview") {
            step.kind = K::layout_preview;
            std::istringstream words(arg);
            std::vector<std::string> parts{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
            if (parts.empty() || parts.size() > 2 || (parts[0] != "on" && parts[0] != "off") ||
                (parts[0] == "off" && parts.size() > 1))
                fail("'layout-preview' needs on [FILE] or off, got '" + arg + "'");
            step.on = parts[0] == "on";
            if (parts.size() == 2) step.text = parts[1];
        } else if (word == "screenshot" || word == "dump-view") {
            need_arg("a file name");
            step.kind = word == "screenshot" ? K::screenshot : K::dump_view;
            step.text = arg;
        } else {
            fail("unknown step '" + word +
                 "' (known: home, village, select, finding, zoom, center, pan, width, identify, layer, opacity, screenshot, "
                 "dump-view, frames, timings, check, filter, dashboard, theme, date, preview-layer, import-layer, "
                 "preview-ledger, import-ledger, language, grid, sites, sites-eliminated, site, reserve, release, "
                 "export-view, layout-preview)");
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

} // namespace qingling::app
