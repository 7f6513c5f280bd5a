// Level of detail for filled polygon layers: the ring fans that stencil-then-cover draws, at several
// zoom bands, grouped by style class and by spatial tile, so a frame draws only the tiles in view
// and only the detail a pixel can show (issue 4: a 500,000-polygon DLTB stays interactive).
//
// A coarser band snaps every vertex to a grid of its size and drops the vertices that fall
// together. Snapping is a function of the coordinate alone, so a vertex that neighbouring patches
// share lands on the same point in all of them: a land-use tessellation stays without gaps, a patch
// that collapses covers no area and the edges of its neighbours collapse with it. No GL here.
#pragma once

#include "app/camera.hpp"
#include "app/map_model.hpp"

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace qingling::app {

struct Float2 {
    float x, y;
};

// Indices [first, first + count) of FillLevel::indices: one style class in one tile.
struct IndexRange {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

// Ends a ring in FillLevel::indices (GL primitive restart).
inline constexpr std::uint32_t kRingEnd = 0xFFFFFFFFu;

struct FillLevel {
    double grid = 0;                          // vertices snapped to multiples of this (0: exact)
    std::vector<double> snap_chain;           // every grid snapped to on the way here, in order (ends with `grid`)
    std::vector<Float2> vertices;             // relative to the model's origin
    // Every ring's vertex indices followed by kRingEnd: drawn as a triangle fan into the stencil
    // (fill) or as a line loop (outline). By class, then by tile.
    std::vector<std::uint32_t> indices;
    std::vector<std::vector<IndexRange>> ranges;  // [class][tile]
    std::vector<float> significance;              // while the bands are built: each vertex's (arc_significance)
    std::size_t ring_count = 0;
    // Triangles of the fans: vertices - 2 per ring.
    std::size_t triangle_count() const { return vertices.size() - 2 * ring_count; }
};

struct FillPyramid {
    std::vector<Extent> tile_extents;                   // what the features of each tile cover
    std::vector<std::vector<std::uint32_t>> tile_features;  // feature indices per tile
    std::vector<FillLevel> levels;                      // exact first, then ever coarser grids
    // The arc significances the coarser levels were simplified with (null: none): triangulated
    // tiles take their rings through the same steps (band_step).
    std::shared_ptr<const std::vector<float>> significance;

    // The coarsest level whose grid is at most one pixel; the exact level when zoomed in closer
    // than the first band. Each band is snapped from the previous one (half to even), so a vertex
    // moves by at most half a grid per band: less than one grid, one pixel, in all.
    const FillLevel& level_for(double units_per_pixel) const;
    // The tiles whose features reach into the view.
    std::vector<std::uint32_t> tiles_in(const Extent& view) const;
};

// One coordinate snapped to a band's grid, rounding half to even. A band applies this to the
// previous band's (float) vertices, so a band's vertex is the exact one snapped through its chain.
inline float snap_to_grid(float x, double grid) {
    // std::nearbyint in the default rounding mode, without its libm call (x86-64's baseline has no
    // SSE4.1 round instruction; this runs for every vertex of every band): adding and subtracting
    // 1.5 * 2^52 leaves the nearest integer, ties to even, for |v| < 2^51. No -ffast-math here.
    constexpr double kRoundShift = 6755399441055744.0;
    const double v = static_cast<double>(x) / grid;
    return static_cast<float>(((v + kRoundShift) - kRoundShift) * grid);
}

// A ring on its way through the bands, with each vertex's arc significance (arc_significance).
struct BandRing {
    std::vector<Float2> points;
    std::vector<float> significance;  // as many as points
    void clear() {
        points.clear();
        significance.clear();
    }
};
// One band's step of a ring, as the pyramid's bands and the triangulated tiles both take it: with
// `simplify`, leave out the vertices of significance under kSimplifyGridShare of the grid; snap to
// the grid (none for 0); drop repeats (vertices that fall together keep the larger significance,
// whichever way the ring runs, so both sides of an arc agree). False when fewer than three
// vertices remain: the ring covers nothing at this band.
bool band_step(BandRing& ring, double grid, bool simplify);

// The band to draw (index into grids, the first being the exact 0) at a resolution: the coarsest
// whose grid is at most one pixel. Shared by FillPyramid::level_for and the renderer's GPU bands.
std::size_t band_for(const std::vector<double>& grids, double units_per_pixel);
// The tiles whose extent meets the view.
std::vector<std::uint32_t> tiles_in(const std::vector<Extent>& tile_extents, const Extent& view);

// Tiles of about this many features each: fine culling when zoomed in; at full extent the ranges
// of neighbouring tiles are adjacent in the index buffer and merge into one draw per class.
inline constexpr std::size_t kFeaturesPerTile = 100;

// Builds the tiles and the levels of a layer's polygons (vertices relative to `origin`); only the
// exact level without `coarser_levels` (outline-only layers). Layers of fewer than
// kFeaturesPerTile features get one tile and the exact level only. Returns an empty pyramid
// (no levels) once `cancel` is set.
FillPyramid build_fill_pyramid(const MapLayer& layer, Vec2 origin, bool coarser_levels = true,
                               const std::atomic<bool>* cancel = nullptr);

// Only what the first view of a big layer needs, quickly: the tiles and one level snapped once
// to the grid that build_fill_pyramid's bands give for `units_per_pixel` (the band itself is
// snapped through every finer grid too, so a vertex may differ by up to that grid). The viewer
// draws it while the full pyramid is built on a worker.
FillPyramid build_first_view_level(const MapLayer& layer, Vec2 origin, double units_per_pixel);

// Coverage-consistent simplification for the coarser bands: Douglas–Peucker on the arcs between
// the points where three or more patches meet (or the outline turns into a shared edge), each
// arc walked the same way by both patches, so neighbours keep the same vertices and no gap opens.
// For each vertex of the layer's rings (index into geometry.vertices): the largest tolerance at
// which it is kept; infinity at arc ends. GEOS 3.12 simplifies coverages; Debian 12 has 3.11.
std::vector<float> arc_significance(const MapLayer& layer);
// A band leaves out the vertices whose significance is under this share of its grid (at most a
// pixel where the band is drawn), the threshold QGIS simplifies its own drawing with by default
// (Qgis::DEFAULT_MAPTOPIXEL_THRESHOLD, 1 pixel). With the snapping (under a grid on each axis, see
// FillPyramid::level_for) a drawn edge departs from the patch by under 1 + √2 ≈ 2.41 pixels at
// worst at the band's finest zoom, 1.21 at its coarsest; mostly far less.
// Half a grid kept 2.3 times the triangles at the 2 km view of the 500k DLTB for no visible change
// (bench/README.md, session 7).
inline constexpr double kSimplifyGridShare = 1.0;

// The tiles of a layer (no levels), and the grids of its coarser bands, finest first.
FillPyramid build_fill_tiles(const MapLayer& layer);
std::vector<double> fill_band_grids(const MapLayer& layer);

} // namespace qingling::app
