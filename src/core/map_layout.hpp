// Print layouts of the campaign's maps (issue 7): a page (A4/A3, portrait/landscape) with title,
// subtitle, the map frame with coordinate ticks, north arrow and scale bar, a side panel with the
// legend (counts per class), an overview inset and the notes (坐标系, 数据日期, 制图单位, 制图日期).
// An atlas gives one page per village or grid showing only its enterprises, with a table of them
// (continued on further pages when long). PDF (vector, fonts embedded) or PNG at a chosen dpi.
#pragma once

#include "core/map_render.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

enum class AtlasBy { none, village, grid };
std::optional<AtlasBy> parse_atlas_by(const std::string& text);  // "village", "grid"

struct MapExportOptions {
    std::filesystem::path out;        // .pdf or .png (several pages: OUT-01.png ...)
    MapPreset preset = MapPreset::distribution;
    PageFormat page = PageFormat::a4_landscape;
    double dpi = 200;                 // PNG only
    AtlasBy atlas = AtlasBy::none;
    std::string title;                // default: <jurisdiction>"散乱污"企业<preset>
    std::string subtitle;             // default: the data's state (check run, confirmations)
    std::string unit;                 // 制图单位; default: <jurisdiction>国土所
    std::string date;                 // 制图日期; default: today
    std::string as_of;                // 整治进度 (status, overdue) on this date (ISO); default: today
    // The viewer's "export current view" (导出当前视图), and `--extent`/`--layers` of the CLI:
    // the frame shows at least this box (project CRS), centred, at the next round scale; and only
    // these layers (by name, drawn in this order, bottom first, as the viewer's layers panel has
    // them). Not with an atlas.
    WorldBox extent;                  // invalid = the jurisdiction
    std::optional<std::vector<std::string>> layers;  // nullopt = the styles' defaults
};

// Where things went on a page: for tests (pixels where an enterprise must be) and the report.
struct MapPageInfo {
    std::string title;
    std::string area;                 // atlas: the village or grid; "" for a whole map
    bool continuation = false;        // a page holding only the rest of the table
    FrameTransform transform;         // frame (points) and the world box it shows
    std::vector<long long> enterprise_ids;  // the page's enterprises (atlas: its own only)
    std::vector<std::string> legend;  // legend entries as written
    std::vector<std::pair<long long, std::pair<double, double>>> symbols;  // drawn: id, page point
};

struct MapExportReport {
    std::vector<std::filesystem::path> files;
    std::vector<MapPageInfo> pages;
    PageSize page_size;
    double dpi = 0;                   // PNG
};

// UsageError for a bad extension or dpi, an atlas without village/grid layers; CancelledError.
MapExportReport export_map(const ProjectStore& store, const MapExportOptions& options, Progress& progress);

// The first page as an image at `options.dpi` (no file; options.out is ignored): the viewer's
// layout preview, drawn by the same code as the exported page.
struct MapPreview {
    PageCanvas::Image image;
    MapPageInfo page;
};
MapPreview render_map_preview(const ProjectStore& store, const MapExportOptions& options, Progress& progress);

// "minx,miny,maxx,maxy" (project CRS); nullopt when malformed or empty.
std::optional<WorldBox> parse_world_box(const std::string& text);

// One map page of the whole jurisdiction (title, frame, furniture, side panel): the bulletin's
// overview map.
MapPageInfo draw_whole_map_page(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                                const MapExportOptions& options, const std::string& title, const std::string& subtitle,
                                Progress& progress);

// The pieces the bulletin reuses: the title block and the notes block of a page.
double draw_title_block(PageCanvas& canvas, const std::string& title, const std::string& subtitle, double top);
double draw_notes_block(PageCanvas& canvas, const MapContent& content, const std::string& unit, const std::string& date,
                        const PixelRect& box);  // returns the height used
std::string default_unit(const ProjectSettings& settings);
std::string today_date();

} // namespace qingling
