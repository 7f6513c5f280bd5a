// What printed maps draw inside and around a map frame, with Cairo: the project's layers in the
// styles of layers/styles.toml (WKB parsed by OGR), enterprise symbols by a preset's classes,
// non-overlapping labels (core/map_labels), and the map furniture: scale bar with round numbers,
// north arrow, coordinate ticks, overview inset, legend. Used by the map layouts, the atlas and
// the bulletin (core/map_layout, core/bulletin_export).
#pragma once

#include "core/campaign_workflow.hpp"
#include "core/map_canvas.hpp"
#include "core/map_style.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qingling {

// An axis-aligned box in the project CRS (GIS order: x = easting).
struct WorldBox {
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    bool valid = false;
    void add(double x, double y);
    void add(const WorldBox& b);
    double width() const { return maxx - minx; }
    double height() const { return maxy - miny; }
    bool intersects(const WorldBox& b) const;
};

// The campaign's common maps (issue 7).
enum class MapPreset {
    distribution,  // 分布图: every enterprise by category
    progress,      // 整治进度图: by status
    relocation,    // 搬迁选址图: relocating enterprises, park parcels and reserved sites
    grid,          // 网格图: grids with their people
};
std::optional<MapPreset> parse_map_preset(const std::string& text);  // Chinese name or code
const char* map_preset_label_zh(MapPreset p);                         // 分布图 ...
const char* map_preset_code(MapPreset p);                             // distribution ...

// HOOK(campaign status): the campaign's progress of an enterprise (整治状态 and its deadline).
// Until the campaign-status module lands this is derived from what the project already holds:
// the status from 甄别确认 (未检查, 待确认, 已确认, 需复核, 无需分类) and the deadline from the
// campaign calendar for the category (依法关闭 → close_end ...). Replace the body of
// campaign_progress() with the stored status when it exists; maps, atlas tables, lists and the
// bulletin all read it from here.
struct CampaignProgress {
    std::string status;    // Chinese, shown as it is
    std::string deadline;  // ISO date or empty
    bool overdue = false;  // deadline passed and not done
    // From the campaign workflow (core/campaign_workflow) on a date, when read with it:
    std::string campaign_status;  // 排查发现, 甄别确认, 已分类, 整治中, 整治完成, 回头看, 已销号
    std::string due_step;         // the step whose deadline it has to meet next (两断三清 …), or ""
    std::string due_date;         // that step's date (ISO), or ""
    long days_left = 0;           // due_date - the date (negative: overdue by that many days)
};
CampaignProgress campaign_progress(const EnterpriseMark& mark, const CampaignCalendar& calendar);
// The same, with the recorded campaign status of enterprise `id` on `as_of` (ISO date): the
// workflow's status, the next deadline and whether it is overdue.
CampaignProgress campaign_progress(const EnterpriseMark& mark, const CampaignData& campaign, long long id,
                                   const std::string& as_of);

// One enterprise as the maps show it.
struct MapEnterprise {
    LedgerRecord record;
    EnterpriseMark mark;
    CampaignProgress progress;
    bool located = false;
    double x = 0, y = 0;            // project CRS
    std::string grid;               // grid name (网格), if assigned
    std::string responsible;        // responsible person (责任人: the grid assignment's person)
    std::optional<SiteReservation> reservation;  // 搬迁选址: its reserved park parcel
};

// A village or grid with a point inside it for its label.
struct AreaLabel {
    std::string role;    // village or grid
    std::string layer;
    long long fid = 0;
    std::string name;
    double x = 0, y = 0;
};

struct MapLayerToDraw {
    LayerInfo info;
    LayerStyle style;
};

// Everything the maps of a project need that is not per-feature geometry, read once.
struct MapContent {
    ProjectSettings settings;
    std::vector<MapLayerToDraw> layers;       // visible ones, bottom first
    std::vector<MapEnterprise> enterprises;   // ledger order
    std::optional<CheckRunInfo> run;
    WorldBox jurisdiction;                    // the jurisdiction layers (may be invalid)
    WorldBox everything;                      // layers and enterprises
    double metres_per_unit = 1.0;
    std::string crs_note;                     // 坐标系：…
    std::string data_date;                    // the newest import, check or confirmation (YYYY-MM-DD)
    LandClassStyler land_classes;
    // Grid people by grid (layer name + fid): "网格长 张三；网格员 李四".
    std::map<std::pair<std::string, long long>, std::string> grid_people;
    std::vector<AreaLabel> areas;             // villages (sorted by name) and grids (layer/fid order)
    std::string as_of;                        // the date the campaign progress is for (ISO)
    // 搬迁选址图: park parcels that core/relocation finds for a relocating enterprise and that no
    // enterprise has reserved (layer name, fid); filled by read_relocation_candidates().
    std::set<std::pair<std::string, long long>> candidate_sites;

    WorldBox home() const { return jurisdiction.valid ? jurisdiction : everything; }
};
// `as_of`: the date of the campaign progress (ISO; "" = today).
MapContent read_map_content(const ProjectStore& store, const std::string& as_of = {});
// The unreserved candidate parcels of the relocating enterprises (core/relocation with the default
// rules). A project without parcels or rules gets none; the map is drawn without them.
void read_relocation_candidates(MapContent& content, const ProjectStore& store, Progress& progress);

// A symbol class of a preset: what the legend lists with its count.
struct SymbolClass {
    std::string label;
    Rgba colour;
    double radius = 2.3;  // points
};
std::vector<SymbolClass> preset_symbol_classes(MapPreset preset);
// The class of an enterprise under a preset (index into preset_symbol_classes).
int preset_symbol_class(MapPreset preset, const MapEnterprise& e);

// World → page: a frame (page points) and the world box it shows, the same scale on both axes.
struct FrameTransform {
    PixelRect frame;
    WorldBox world;
    double scale = 1;               // points per world unit
    long long scale_denominator = 0;  // 1:N on paper
    double page_x(double x) const { return frame.x0 + (x - world.minx) * scale; }
    double page_y(double y) const { return frame.y0 + (world.maxy - y) * scale; }
};
// Fits `content` (grown by `margin` of its size on each side) into `frame` at a round scale
// (1, 2, 2.5 or 5 × 10^k) and centres it.
FrameTransform fit_frame(const PixelRect& frame, const WorldBox& content, double metres_per_unit,
                         double margin = 0.04);

// What a frame should show and how.
struct FrameOptions {
    MapPreset preset = MapPreset::distribution;
    const std::vector<size_t>* enterprises = nullptr;  // indices into content.enterprises; null = all
    std::vector<unsigned char> focus_wkb;  // atlas: the village or grid; outside it is veiled
    bool labels = true;
    std::vector<PixelRect> obstacles;       // page boxes no label may cover (north arrow, scale bar)
    double symbol_scale = 1.0;
    // A raster page's layers are drawn in horizontal bands, one thread each: 0 = one per core (at
    // most 4), 1 = one pass. The page looks the same either way (a few antialiased pixels along
    // the band edges differ by a few levels).
    unsigned threads = 0;
};

struct FrameResult {
    std::vector<long long> class_counts;          // per preset symbol class (drawn enterprises)
    std::set<std::string> roles_drawn;            // roles with a feature in the frame
    std::map<std::string, LandClassGroup> land_groups;  // "sandiao:01" -> group, present in the frame
    long long features_drawn = 0;
    long long not_drawn = 0;                      // enterprises of the frame without a point or outside it
    long long candidate_sites_drawn = 0;          // 搬迁选址图: unreserved candidate parcels in the frame
    std::vector<std::pair<long long, std::pair<double, double>>> symbols;  // enterprise id, page point
    std::vector<PlacedLabel> labels;
};

// Draws the layers and the enterprises into the frame (clipped to it).
FrameResult draw_map_frame(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                           const FrameTransform& t, const FrameOptions& options, Progress& progress);

// Map furniture. Each returns the page box it covers.
PixelRect draw_scale_bar(PageCanvas& canvas, const FrameTransform& t, double metres_per_unit, double x, double y,
                         double max_width);  // (x, y): bottom-left
PixelRect draw_north_arrow(PageCanvas& canvas, double cx, double top, double height);
void draw_coordinate_ticks(PageCanvas& canvas, const FrameTransform& t);
// The whole jurisdiction small, with the frame's extent as a red box.
void draw_overview_inset(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                         const PixelRect& box, const WorldBox& current);

// The legend: symbol classes with counts, the layers drawn, the land-class groups present.
// Returns the height used; fills `entries` with every label written (for tests and reports).
// `wide`: a band below a portrait map; the land classes go to a second column.
double draw_legend(PageCanvas& canvas, const MapContent& content, MapPreset preset, const FrameResult& drawn,
                   const PixelRect& box, std::vector<std::string>& entries, bool wide = false);

// A table: columns with header and width (points), rows of text. Draws from row `first` while
// they fit above box.y1; returns the index of the first row not drawn.
struct TableColumn {
    std::string header;
    double width = 40;
    TextStyle::Align align = TextStyle::Align::left;
};
size_t draw_table(PageCanvas& canvas, const PixelRect& box, const std::vector<TableColumn>& columns,
                  const std::vector<std::vector<std::string>>& rows, size_t first, double font_size = 7.5,
                  double* bottom = nullptr);

// WKB (project CRS) → Cairo path through the transform; skips vertices closer than `min_step`
// points to the previous one. Points are appended to `points`. False for malformed WKB.
bool wkb_to_path(cairo_t* cr, const unsigned char* wkb, size_t size, const FrameTransform& t, double min_step,
                 std::vector<std::pair<double, double>>* points = nullptr);

} // namespace qingling
