// The state the viewer's panels share: the loaded project, the camera, visibility and selection,
// and where things were drawn this frame (for the map's mouse handling and the view dump).
#pragma once

#include "app/camera.hpp"
#include "app/grid_editor.hpp"
#include "app/labels.hpp"
#include "app/ledger_filter.hpp"
#include "app/map_model.hpp"
#include "app/map_query.hpp"
#include "app/map_renderer.hpp"
#include "app/symbol_theme.hpp"
#include "app/view_dump.hpp"
#include "core/campaign_summary.hpp"
#include "core/gdal_handles.hpp"
#include "app/import_job.hpp"
#include "app/sites_job.hpp"
#include "app/export_job.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qingling::app {

// Fixed panel layout: layers and legend on the left, ledger and inspector on the right, the status
// bar at the bottom, the map in between.
struct Layout {
    PixelRect layers, ledger, inspector, status, map;
};
Layout compute_layout(float window_width, float window_height);

// The dashboard (整治进度): the date it shows and its summary, computed again when the date changes.
struct DashboardState {
    std::string as_of;                       // ISO date; "" = chosen when first shown
    std::optional<CampaignSummary> summary;
    bool show_request = false;               // bring its tab to the front (script step `dashboard`)
};

// The import dialogs (导入图层, 导入台账): the file, the choices, and the preview from core
// (probe_layer / probe_ledger) shown before importing. The import runs on the frame loop's job.
struct ImportDialogState {
    enum class Kind { layer, ledger };
    Kind kind = Kind::layer;
    bool open_request = false;               // open the modal (button or script step)
    bool is_open = false;
    std::string path;                        // the file (text field or picked in the folder list)
    std::string folder;                      // the folder the list shows
    std::string role = "landuse";            // layer: the role (layers/styles.toml's and the built-in roles)
    std::string encoding = "auto";           // auto, GBK, UTF-8, GB18030, Big5, ISO-8859-1
    std::string epsg;                        // layer: "" = as the file says (auto), else a code
    int coords = 0;                          // ledger: CoordHint
    std::string sheet;                       // ledger: the sheet (layer) to read; "" = the first
    ImportPreview preview;                   // of the file and choices as they were when it was made
    std::string previewed;                   // choices() when the preview was made
    bool import_request = false;             // the 导入 button (the frame loop starts the job)
    bool close_request = false;              // the import started: close the dialog
    ImportRequest request() const;           // the file and the choices
    std::string choices() const;             // all of them in one string, to tell a stale preview
    std::string last_outcome;                // how the last import ended (status bar)
};

struct ViewerState {
    std::optional<MapModel> model;
    std::string project_path_input;      // the "open project" field
    std::string open_request;            // a path the user asked to open (handled between frames)
    std::string error;                   // shown in a modal dialog, never a crash

    bool input_enabled = true;           // off for scripted screenshots: the pointer must not matter
    Camera camera;
    bool camera_ready = false;           // fitted to the project once the map size is known
    MapDrawOptions draw;                 // visibility and selection
    bool scroll_ledger_to_selection = false;
    LedgerFilter ledger_filter;          // what the ledger table shows
    DashboardState dashboard;            // its date is also the map's (the timeline slider)
    SymbolTheme theme = SymbolTheme::category;
    EnterpriseSymbols symbols;           // what the enterprise symbols show, for `theme` on the date
    bool symbols_stale = true;           // the marks changed (a check run): compute them again
    std::vector<std::string> basemap_errors;  // by basemap: why its imagery cannot be shown

    Layout layout;
    // The cursor over the map, in the project CRS.
    bool cursor_in_map = false;
    Vec2 cursor_world;
    CoordTransformPtr to_lonlat;         // project CRS -> CGCS2000 lon/lat
    std::vector<LegendSwatch> legend;    // filled by the layers panel each frame
    PixelRect legend_room;               // where the layers panel's content may go (inside padding and scrollbar)
    std::vector<PlacedLabel> labels;     // placed by the map view each frame (window pixels)

    // Identify: what lies under the last map click that hit no enterprise. Shown in the inspector
    // while no enterprise is selected.
    std::optional<IdentifyResult> identified;
    int identify_serial = 0;             // changes with every identify (the highlight follows)
    // The selected enterprise's findings on the map (recomputed when the selection changes).
    std::vector<FindingHighlight> highlights;
    // Text whose glyphs the font lacks (attribute values ...): the frame loop rebuilds the atlas.
    std::string font_request;
    // The check button was pressed (the frame loop starts the check on a worker thread).
    bool check_request = false;
    bool check_running = false;          // set by the frame loop while the worker runs
    std::string check_message;           // how the last check ended, for the status bar
    ImportDialogState import_dialog;
    bool import_running = false;         // set by the frame loop while an import runs
    std::string opening;                 // the project being read on the worker (empty: none)
    std::string language_request;        // "zh"/"en" chosen in the status bar (applied between frames)
    GridPanelState grids;                // 网格编辑 and 网格检查 (panel_grids.cpp)
    SitesPanelState sites;               // 搬迁选址 (panel_sites.cpp)
    ExportDialogState export_dialog;     // 导出当前视图 and its layout preview (panel_export.cpp)

    int selected() const { return draw.selected_enterprise; }
    const EnterpriseItem* selected_item() const {
        if (!model || draw.selected_enterprise < 0 || draw.selected_enterprise >= static_cast<int>(model->enterprises.size()))
            return nullptr;
        return &model->enterprises[static_cast<size_t>(draw.selected_enterprise)];
    }
    // Selects an enterprise (index, -1 for none) and, when it has a point, centres the map on it.
    void select(int index, bool centre);
    void zoom_home();
    // Shows the extent with a margin; never closer than ~0.25 m per pixel for tiny features.
    void zoom_to(const Extent& extent);
    // The same in the part of the map a panel over its top (or bottom) edge leaves free:
    // panel_px high in window pixels, with margin_px around the extent.
    enum class PanelEdge { top, bottom };
    void zoom_to_beside_panel(const Extent& extent, float panel_px, PanelEdge edge, float margin_px);
    // Identifies the features at a world point (clears the enterprise selection).
    void identify_at(Vec2 world, double tolerance_px);
};

} // namespace qingling::app
