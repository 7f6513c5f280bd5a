// `--dump-view FILE`: what the screenshot shows, as JSON, so tests can check pixels where things
// are: the map rectangle, the camera, the screen position and colour of every located enterprise,
// and the legend swatches. No GL.
#pragma once

#include "app/symbol_theme.hpp"

#include "core/campaign_summary.hpp"

#include "app/camera.hpp"
#include "app/map_model.hpp"
#include "core/map_labels.hpp"

#include <string>
#include <utility>
#include <vector>

namespace qingling::app {

// A rectangle in window pixels (ImGui's coordinates: origin top-left).
using qingling::PixelRect;

// A legend swatch as drawn this frame.
struct LegendSwatch {
    std::string label;
    Rgba colour;
    PixelRect rect;
    PixelRect label_rect;  // where its name went: layer rows and land classes (else empty)
};

using qingling::PlacedLabel;
struct FindingHighlight;
struct IdentifyResult;
struct ImportPreview;
struct SitesPanelState;
// What else the frame showed; positions of labels in framebuffer pixels.
// What the renderer drew for the picture (map_renderer's DrawStats, without GL here).
struct DrawCounts {
    std::size_t tiles = 0;               // fill tiles in view
    std::size_t tiles_triangulated = 0;  // of those, drawn from their triangles
    std::size_t tiles_pending = 0;       // of those, still waiting for the worker
    std::string image;                   // how the layers' image shown was made: "redraw" or "shift"
    std::size_t layers_with_later_bands = 0;  // opened with their first view's band, the rest built on the worker
};

struct ViewDumpExtras {
    const std::vector<PlacedLabel>* labels = nullptr;
    const std::vector<FindingHighlight>* highlights = nullptr;  // of the selected enterprise
    const IdentifyResult* identified = nullptr;
    const std::vector<long long>* ledger_rows = nullptr;  // ids of the rows the ledger table shows
    const CampaignSummary* dashboard = nullptr;           // what the 整治进度 tab showed
    const DrawCounts* draw = nullptr;
    const EnterpriseSymbols* symbols = nullptr;           // the theme the symbols are coloured by
    std::string language;                                 // "zh", "en"
    std::vector<std::string> panel_titles;                // as the panels show them
    std::string error_dialog;                             // the error dialog's text ("" when none)
    std::string grid_message;                             // the grid editor's status line ("" when none)
    std::vector<std::pair<std::string, std::string>> grid_problems;  // 网格检查's list: line, tooltip
    const ImportPreview* import_preview = nullptr;        // the import dialog's last preview
    const SitesPanelState* sites = nullptr;               // 搬迁选址, while its panel is open
    PixelRect layers_panel;                               // the 图层与图例 panel's content room (framebuffer pixels)
};

// All positions in the JSON are framebuffer (= screenshot) pixels, origin top-left:
// {"image": [w, h], "map_rect": [x0, y0, x1, y1], "epsg": n,
//  "camera": {"center": [x, y], "resolution": r, "viewport": [w, h], "scale": n},
//  "home_extent": [minx, miny, maxx, maxy], "selected": id|null,
//  "theme": "category"|"status"|"deadline", "as_of": date,
//  "enterprises": [{"id", "name", "mark", "flags", "colour": [r, g, b] (as drawn), "class": label|null,
//                   "world": [x, y], "screen": [x, y]}],
//  "legend": [{"label", "colour": [r, g, b], "rect": [x0, y0, x1, y1] (the swatch),
//              "label_rect": [x0, y0, x1, y1] | null (the name: layer rows and land classes)}],
//  "layers_panel": [x0, y0, x1, y1] (where its content may go: inside padding and scrollbar),
//  "labels": [{"text", "kind": "village"|"enterprise"|"distance", "id", "rect": [x0, y0, x1, y1]}],
//  "highlights": [{"finding", "rule", "layer", "fid", "line": {"from", "to", "from_screen", "to_screen",
//                  "length"}?}],
//  "identify": {"world", "village", "features": [{"layer", "role", "fid", "code", "code_name", "area",
//               "area_from_attribute", "village", "attributes": {name: value}}]} | null,
//  "draw": {"tiles", "tiles_triangulated", "tiles_pending"},
//  "layers": [{"name", "role", "features"}], "language", "panel_titles": [...], "error_dialog", "grid_message",
//  "grid_problems": [{"text", "detail"}] (网格检查's list as shown, with each tooltip),
//  "import_preview": {"file", "error", "encoding", "encoding_how", "crs", "crs_how", "fields", "rows",
//                     "ledger": {"rows_read", "importable", "rejected", "problems": [{"row", "column", "message"}]}} | null,
//  "sites": {"enterprise_id", "name", "candidate_count", "reason", "setback_m", "site_screen": [x, y] | null,
//            "show_eliminated", "legend_rect": [x0, y0, x1, y1] | null, "selected": rank | null, "reservation": {"site_id", "user", "at"} | null,
//            "candidates": [{"rank", "site_id", "label", "park", "score", "area_m2", "distance_m", "reserved",
//                            "world": [x, y], "screen": [x, y] (rank marker), "piece_rings": [[[x, y] …]] (screen)}],
//            "eliminated": [{"kind", "label", "features", "fill": [r, g, b, a], "rings": [[[x, y] …]] (screen)}],
//            "parks": [{"park", "industrial_m2", "occupied_m2", "reserved_m2", "remaining_m2", "parcels", "free_parcels"}]}
//   (only while the 搬迁选址 panel is open)}
// `map_rect_px` and the legend rects are in framebuffer pixels already.
std::string view_dump_json(const MapModel& model, const Camera& camera, int image_width, int image_height,
                           const PixelRect& map_rect_px, const std::vector<LegendSwatch>& legend_px,
                           int selected_enterprise, const ViewDumpExtras& extras = {});

} // namespace qingling::app
