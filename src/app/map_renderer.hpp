// Draws a MapModel with OpenGL 3.3: polygon fill by stencil-then-cover (every ring's triangle fan
// into the stencil buffer with non-zero winding, then one cover quad per style class, so holes and
// multipolygons are right without triangulation), outlines of a width in pixels, and point symbols.
// GPU buffers are built once per layer when the model is uploaded, never per frame.
#pragma once

#include "app/camera.hpp"
#include "app/fill_lod.hpp"
#include "app/gl_objects.hpp"
#include "app/map_image_cache.hpp"
#include "app/map_model.hpp"
#include "app/map_query.hpp"
#include "app/symbol_theme.hpp"
#include "app/tile_triangulator.hpp"
#include "core/basemap.hpp"

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace qingling::app {

// What to draw this frame.
struct MapDrawOptions {
    std::vector<char> layer_visible;        // by index into MapModel::layers
    std::vector<float> layer_opacity;       // by index into MapModel::layers, 0..1 (fill and outline)
    std::vector<int> layer_order;           // indices into MapModel::layers, bottom first
    std::vector<char> basemap_visible;      // by index into MapModel::basemaps
    std::vector<float> basemap_opacity;     // 0..1
    bool enterprises_visible = true;
    bool flag_marks_visible = true;         // the 散/乱/污 marks beside the symbols
    std::vector<char> class_visible;        // by symbol class (EnterpriseSymbols); missing = shown
    bool class_shown(int c) const { return c >= 0 && (static_cast<std::size_t>(c) >= class_visible.size() || class_visible[static_cast<std::size_t>(c)]); }
    int selected_enterprise = -1;           // index into MapModel::enterprises
};

// Sizes the per-layer options for the model: visibility from the styles, full opacity, the
// model's drawing order. Keeps them when they already fit.
void fit_layer_options(MapDrawOptions& options, const MapModel& model);
// Moves a layer one step up (towards the top of the drawing) or down in `options.layer_order`.
void move_layer(MapDrawOptions& options, int layer, bool up);
// The layer named so (MapLayer::info.name), or -1.
int layer_index(const MapModel& model, const std::string& name);
// The raster basemap named so (BasemapInfo::name), or -1.
int basemap_index(const MapModel& model, const std::string& name);

// Pixels of the framebuffer the map occupies (GL convention: y counted from the bottom).
struct GlViewport {
    int x = 0, y = 0, width = 1, height = 1;
};

inline constexpr float kEnterpriseSymbolPx = 12.0f;
// The 散/乱/污 marks: a small square per flag of the latest run, in a row above the symbol's
// upper right, each flag in its own place and colour (legend in the layers panel).
inline constexpr Rgba kFlagMarkColours[3] = {rgb(0x8B5A2B), rgb(0x7B2FBE), rgb(0x303030)};  // 散, 乱, 污
inline constexpr float kFlagMarkPx = 7.0f;
// Shown from this many metres per pixel down (about 1:30,000): at the whole-subdistrict view they
// would cover the neighbouring symbols.
inline constexpr double kFlagMarksMaxMetresPerPixel = 8.0;
inline constexpr float kFlagMarkOffsetsPx[3][2] = {{4.0f, 10.0f}, {11.0f, 10.0f}, {18.0f, 10.0f}};
// Opacity of the symbols the ledger filter leaves out.
inline constexpr std::uint8_t kFilteredOutAlpha = 56;
// Outlines up to this width are drawn as one-pixel lines (lighter when thinner).
inline constexpr float kHairlinePx = 1.0f;
// Outlines appear once features are this many pixels across on average.
inline constexpr double kMinOutlinedFeaturePx = 10.0;

// What the last draw() drew, for the frame-time benchmark and tests.
struct DrawStats {
    std::size_t fill_triangles = 0;   // stencil fan indices of all layers (about one triangle each)
    std::size_t outline_segments = 0; // outline line-loop indices or wide segments
    std::size_t tiles_drawn = 0;      // fill tiles in view, summed over layers
    std::size_t tiles_triangulated = 0;  // of those, drawn from their triangles in one pass
    std::size_t tiles_pending = 0;       // of those, waiting for the worker's triangles (drawn by stencil)
    bool image_shifted = false;          // the layers' image was made by shifting the last one (a pan)
};

// Zoomed in, the tiles in view are triangulated once (on a worker thread) and drawn in one pass;
// only when the band's fan indices in view are at most this many (about a 10 km view of a DLTB):
// further out the triangles would cost more memory than the stencil saves.
inline constexpr std::size_t kMaxTriangulatedFanIndices = 1'500'000;
// Triangulated tiles kept on the GPU, least recently drawn dropped first.
inline constexpr std::size_t kTriangleCacheBytes = 160u << 20;
// A filled layer of at least this many vertices opens with only its first view's band (built in
// a fraction of the time); its other bands are built on a worker and replace it when ready, so a
// 500,000-patch DLTB shows after little more than its read and the window never freezes.
inline constexpr std::size_t kFirstViewOnlyMinVertices = 2'000'000;

class MapRenderer {
public:
    // Compiles the shaders; needs a current GL 3.3 context. `wake` is called from a worker thread
    // when triangles for the view are ready (the viewer posts an empty event to draw again).
    explicit MapRenderer(std::function<void()> wake = {});
    ~MapRenderer();
    MapRenderer(const MapRenderer&) = delete;
    MapRenderer& operator=(const MapRenderer&) = delete;
    // Builds the GPU buffers of every layer and the enterprise symbols. A layer read by the same
    // load as one already uploaded (MapLayer::load_serial) keeps its buffers: a grid edit does
    // not rebuild a big DLTB. Big layers get their other bands later (kFirstViewOnlyMinVertices).
    void upload(const MapModel& model);
    // Layers of at least this many vertices open with their first view's band only (from the next upload).
    void set_first_view_min_vertices(std::size_t vertices) { first_view_min_vertices_ = vertices; }
    // True while big layers' bands are still being built: frames draw their first view's band.
    bool bands_pending() const { return !band_builds_.empty(); }
    // Layers whose bands came from the worker since the last upload (tests, benchmarks).
    std::size_t layers_with_later_bands() const { return later_bands_; }
    // Waits until a band build has finished on its worker (scripts, benchmarks); the next draw()
    // calls take it over.
    void wait_for_bands();
    // Stops the band builds, which read the model's layers: call before changing those.
    void stop_building();
    // Rebuilds only the enterprise symbols (after categories, the theme, the date or the ledger
    // filter change), coloured by `symbols`. With `shown` (by index into model.enterprises), the
    // others are drawn faded.
    void upload_enterprises(const MapModel& model, const EnterpriseSymbols& symbols, const std::vector<char>* shown = nullptr);
    void draw(const MapModel& model, const Camera& camera, const GlViewport& viewport, const MapDrawOptions& options);
    // What is highlighted over the layers: features (outlined, points ringed) and distance lines.
    void set_highlight(const MapModel& model, const std::vector<FeatureRef>& features,
                       const std::vector<std::pair<Vec2, Vec2>>& lines);
    // The image of a basemap's latest view (drawn under every layer at its extent until the next).
    void set_basemap_image(std::size_t basemap, const BasemapImage& image);
    const DrawStats& last_draw() const { return stats_; }
    // The next draw() draws again what the last image drew (all of it, or a pan's strips).
    // Triangles arriving for tiles already drawn by stencil draw the same pixels, so they do not do
    // this by themselves; a script does it to show (and test) the triangulated view.
    void redraw_last_strips() { redraw_last_strips_ = true; }
    // Off: every draw() draws the layers whole (the benchmark's "new view" frames).
    void set_image_reuse(bool on) { image_enabled_ = on; }
    // Waits until the worker has triangulated something or has nothing left (benchmarks, tests).
    void wait_for_triangles() { triangulator_->wait_for_progress(); }

private:
    // One zoom band of a layer's fill (see fill_lod.hpp): its own vertices and fan indices.
    struct GpuFillLevel {
        GlVertexArray vao;
        GlBuffer vertices, indices;                   // no indices for outline-only layers
        std::vector<std::vector<IndexRange>> ranges;  // [class][tile]
    };
    struct GpuTriangles {
        GlVertexArray vao;
        GlBuffer vertices, indices;   // no indices when edged
        bool edged = false;           // draws its rings' hairlines (polygon_fill.frag's EDGES), unindexed
        std::size_t ring_edges = 0;   // triangle edges on rings, when edged
        GLsizei count = 0;            // indices, or vertices when edged
        std::size_t bytes = 0;
        std::uint64_t last_drawn = 0;  // frame number
    };
    struct GpuLayer {
        std::uint64_t load_serial = 0;               // MapLayer::load_serial of what was uploaded
        bool has_fill = false;
        bool first_view_only = false;                // only the first view's band so far (see band_builds_)
        bool hairlines_wanted = false;               // hairlines once the exact level is here
        std::vector<GpuFillLevel> fill_levels;       // exact first, then coarser (the exact one also for outlines)
        std::vector<double> band_grids;              // the grid of each of fill_levels (0: exact)
        std::vector<Extent> tile_extents;
        std::vector<Rgba> class_colours;
        GlVertexArray cover_vao;                     // one quad per class over its extent
        GlBuffer cover_vertices;
        bool hairlines = false;                      // thin outlines: line loops of the band the fill is drawn from
        GlVertexArray outline_vao;                   // wide outlines: instanced quads
        GlBuffer outline_segments;
        std::vector<IndexRange> tile_segments;       // outline segments of each tile, then the line features
        double mean_feature_size = 0;  // world units; outlines are hidden when features are tiny on screen
        GlVertexArray point_vao;
        GlBuffer point_instances;
        GLsizei point_count = 0;
        // Triangulated tiles (see kMaxTriangulatedFanIndices), by band.
        std::vector<std::vector<std::uint32_t>> tile_features;  // what tile_rings reads per tile
        std::vector<std::vector<double>> band_chains;           // snap chain of each of fill_levels
        std::shared_ptr<const std::vector<float>> significance;  // what the bands were simplified with
        std::vector<std::unordered_map<std::uint32_t, GpuTriangles>> triangles;  // [band] by tile
        std::vector<std::unordered_set<std::uint32_t>> asked;   // [band] tiles asked for, ready or refused
        std::vector<std::unordered_set<std::uint32_t>> refused; // [band] tiles GLU refused: always stencilled
        bool opaque = true;                                     // every class colour opaque, no hatch
        Hatch hatch = Hatch::none;
        float hatch_spacing_px = 0, hatch_width_px = 0;
    };
    struct Instance {
        float x, y;
        std::uint8_t r, g, b, a;
    };

    void set_common_uniforms(GLuint program, const std::array<float, 9>& m, const GlViewport& vp);
    // The hatch of polygon_fill.frag: the layer's, or solid (none) for hairlines.
    void set_hatch(GLuint program, Hatch hatch, float spacing_px, float width_px) const;
    void draw_points(GLuint vao, GLuint buffer, GLsizei count, GLint first, float size_px, PointShape shape,
                     Rgba border, float border_px, const std::array<float, 9>& m, const GlViewport& vp,
                     const float offset_px[2] = nullptr);
    static void point_attributes(GLint first_instance);
    static void fill_instance_buffer(GlVertexArray& vao, GlBuffer& buffer, const std::vector<Instance>& instances);

    // The basemaps and layers into the bound framebuffer (the map image): what meets `visible`.
    void draw_layers(const MapModel& model, const Camera& camera, const Extent& visible, const GlViewport& vp,
                     const MapDrawOptions& options);
    // Returns the tiles whose hairlines it did not draw (all but the edged triangulated ones);
    // `hairline` alpha 0: none shown.
    std::vector<std::uint32_t> draw_fill(std::uint32_t layer_index, const MapLayer& layer, GpuLayer& gpu, double resolution,
                                         const std::vector<std::uint32_t>& tiles, Rgba hairline, float opacity,
                                         const std::array<float, 9>& m, const GlViewport& vp);
    // Tiles of the last drawn image still waiting for the worker's triangles.
    std::size_t pending_tiles() const;
    void stencil_fill(const GpuLayer& gpu, const GpuFillLevel& level, const std::vector<std::uint32_t>& tiles, float opacity,
                      const std::array<float, 9>& m, const GlViewport& vp);
    // Uploads the worker's finished tiles, drops the least recently drawn over the cache budget.
    void take_triangles();
    GpuTriangles upload_triangles(const GpuLayer& gpu, const TileTriangles& triangles, bool edged);

    static Rgba hairline_colour(const LayerStyle& style, float opacity);
    // Of `tiles` (and a layer's line features).
    void draw_outlines(const GpuLayer& gpu, const MapLayer& layer, double resolution, const std::vector<std::uint32_t>& tiles,
                       float opacity, const std::array<float, 9>& m, const GlViewport& vp);

    // Variants of the fill shaders (see polygon_fill.frag): solid, hatched, and tiles with hairlines.
    GlProgram fill_program_, hatched_fill_program_, triangles_program_, hatched_triangles_program_, edged_triangles_program_;
    GlProgram outline_program_, point_program_, raster_program_;
    struct GpuBasemap {
        GlTexture texture;
        GlVertexArray vao;
        GlBuffer quad;
    };
    std::vector<GpuBasemap> basemaps_;
    // A big layer's full pyramid, built on a worker; draw() uploads one level per frame, then
    // swaps them in for the first view's band.
    struct BandBuild {
        std::uint32_t layer = 0;
        std::future<FillPyramid> result;
        FillPyramid built;
        std::vector<GpuFillLevel> uploaded;
    };
    static GpuFillLevel upload_fill_level(const FillLevel& level);
    void start_band_build(std::uint32_t layer_index, const MapLayer& layer);
    void adopt_bands();
    std::vector<BandBuild> band_builds_;
    std::size_t first_view_min_vertices_ = kFirstViewOnlyMinVertices;
    std::size_t later_bands_ = 0;
    // The layers' image of the last frames (see map_image_plan.hpp) and the settings it shows.
    MapImageCache image_;
    MapDrawOptions image_options_;
    bool image_enabled_ = true;
    std::vector<PixelBox> last_strips_;  // what the last image drew
    bool redraw_last_strips_ = false;
    Vec2 hatch_origin_px_;  // the world origin in pixels of the image being drawn
    // Features this many pixels outside a strip are drawn into it too (outline widths, symbols).
    static constexpr int kStripReachPx = 32;
    std::shared_ptr<std::atomic<bool>> cancel_builds_ = std::make_shared<std::atomic<bool>>(false);
    std::function<void()> wake_;
    std::unique_ptr<TileTriangulator> triangulator_;
    std::uint64_t frame_ = 0;
    std::size_t triangle_bytes_ = 0;
    std::vector<TileKey> wanted_;  // tiles asked for by this frame's view
    DrawStats stats_;
    std::vector<GpuLayer> layers_;
    Vec2 origin_;
    // Enterprise symbols: one run of instances per symbol class, drawn in the theme's order.
    GlVertexArray enterprise_vao_;
    GlBuffer enterprise_instances_;
    struct InstanceRun {
        GLint first = 0;
        GLsizei count = 0;
    };
    std::vector<InstanceRun> class_runs_;  // by class
    std::vector<int> class_draw_order_;
    GlVertexArray flag_vao_;
    GlBuffer flag_instances_;
    std::vector<InstanceRun> flag_runs_[3];  // [散/乱/污][class]
    void draw_segments(GLuint vao, GLsizei count, Rgba colour, float width_px, const std::array<float, 9>& m,
                       const GlViewport& vp);
    GlVertexArray highlight_vao_;
    GlBuffer highlight_segments_;
    GLsizei highlight_segment_count_ = 0;
    GlVertexArray distance_vao_;
    GlBuffer distance_segments_;
    GLsizei distance_segment_count_ = 0;
    GlVertexArray highlight_point_vao_;
    GlBuffer highlight_points_;
    GLsizei highlight_point_count_ = 0;
    GlVertexArray selection_vao_;
    GlBuffer selection_instance_;
};

} // namespace qingling::app
