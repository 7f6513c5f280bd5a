#include "app/fill_lod.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

namespace qingling::app {

namespace {

// Coarser bands stop once a level is this small: drawing it costs nothing worth saving.
constexpr std::size_t kSmallestLevelTriangles = 4096;
constexpr std::size_t kMaxLevels = 12;

struct TileGrid {
    int columns = 1, rows = 1;
    Extent extent;
    std::size_t tile_of(const Extent& e) const {
        if (columns * rows == 1) return 0;
        const Vec2 c = e.center();
        const int i = std::clamp(static_cast<int>((c.x - extent.minx) / extent.width() * columns), 0, columns - 1);
        const int j = std::clamp(static_cast<int>((c.y - extent.miny) / extent.height() * rows), 0, rows - 1);
        return static_cast<std::size_t>(j * columns + i);
    }
};

void push_unique(std::vector<Float2>& ring, Float2 v) {
    if (!ring.empty() && ring.back().x == v.x && ring.back().y == v.y) return;
    ring.push_back(v);
}

// Appends a ring (consecutive repeats already dropped) unless fewer than 3 vertices remain: a
// collapsed ring covers no area at this band.
void add_ring(FillLevel& level, std::vector<Float2>& ring) {
    while (ring.size() > 1 && ring.back().x == ring.front().x && ring.back().y == ring.front().y) ring.pop_back();
    if (ring.size() < 3) return;
    auto base = static_cast<std::uint32_t>(level.vertices.size());
    level.vertices.insert(level.vertices.end(), ring.begin(), ring.end());
    for (std::size_t i = 0; i < ring.size(); ++i) level.indices.push_back(base++);
    level.indices.push_back(kRingEnd);
    ++level.ring_count;
}

// The level of the classes [class_begin, class_end) with every vertex snapped through `chain`
// (empty: the exact level); the other classes' ranges stay empty. Snapping the exact vertex
// through the whole chain gives what snapping band by band gives (snapped_level), since each snap
// is a function of the coordinate alone.
FillLevel exact_level(const MapLayer& layer, const FillPyramid& pyramid, Vec2 origin, std::size_t class_begin,
                      std::size_t class_end, const std::vector<double>& chain = {}) {
    const FlatGeometry& g = layer.geometry;
    const std::size_t classes = layer.classes.size(), tiles = pyramid.tile_features.size();
    // Features of each class in each tile, in feature order.
    std::vector<std::vector<std::vector<std::uint32_t>>> members(classes, std::vector<std::vector<std::uint32_t>>(tiles));
    for (std::size_t t = 0; t < tiles; ++t)
        for (std::uint32_t f : pyramid.tile_features[t]) {
            const auto c = static_cast<std::size_t>(layer.features[f].style_class);
            if (c >= class_begin && c < class_end) members[c][t].push_back(f);
        }
    // Room for every vertex up front: growing vectors of millions of vertices copies them again.
    std::size_t vertices = 0, rings = 0;
    for (std::size_t c = class_begin; c < class_end; ++c)
        for (const auto& in_tile : members[c])
            for (std::uint32_t fi : in_tile) {
                const MapFeature& f = layer.features[fi];
                rings += f.rings.count;
                for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r) vertices += g.rings[r].count;
            }
    FillLevel level;
    level.vertices.reserve(vertices);
    level.indices.reserve(vertices + rings);
    level.grid = chain.empty() ? 0.0 : chain.back();
    level.snap_chain = chain;
    level.ranges.assign(classes, std::vector<IndexRange>(tiles));
    auto snapped = [&chain](float x) {
        for (double grid : chain) x = snap_to_grid(x, grid);
        return x;
    };
    std::vector<Float2> ring;
    for (std::size_t c = class_begin; c < class_end; ++c)
        for (std::size_t t = 0; t < tiles; ++t) {
            IndexRange& range = level.ranges[c][t];
            range.first = static_cast<std::uint32_t>(level.indices.size());
            for (std::uint32_t fi : members[c][t]) {
                const MapFeature& f = layer.features[fi];
                for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r) {
                    const VertexRange vr = g.rings[r];
                    ring.clear();
                    for (std::uint32_t i = 0; i < vr.count; ++i) {
                        const Vec2 v = g.vertices[vr.first + i];
                        push_unique(ring, {snapped(static_cast<float>(v.x - origin.x)), snapped(static_cast<float>(v.y - origin.y))});
                    }
                    add_ring(level, ring);
                }
            }
            range.count = static_cast<std::uint32_t>(level.indices.size()) - range.first;
        }
    return level;
}

// The next band: the finer level's rings with every vertex snapped to `grid`. Snapping a snapped
// vertex again is still a function of the coordinate alone, so shared vertices stay shared.
FillLevel snapped_level(const FillLevel& finer, double grid) {
    FillLevel level;
    level.grid = grid;
    level.snap_chain = finer.snap_chain;
    level.snap_chain.push_back(grid);
    level.vertices.reserve(finer.vertices.size() / 2);
    level.indices.reserve(finer.indices.size() / 2);
    level.ranges = finer.ranges;
    // Round half to even: a vertex of the finer band lying exactly half way moves to the nearer
    // even multiple, so patches under half a grid still collapse instead of growing band by band.
    auto snap = [grid](float x) { return snap_to_grid(x, grid); };
    std::vector<Float2> ring;
    for (auto& by_tile : level.ranges)
        for (IndexRange& range : by_tile) {
            const IndexRange old = range;
            range.first = static_cast<std::uint32_t>(level.indices.size());
            ring.clear();
            for (std::uint32_t k = old.first; k < old.first + old.count; ++k) {
                const std::uint32_t i = finer.indices[k];
                if (i == kRingEnd) {
                    add_ring(level, ring);
                    ring.clear();
                } else {
                    push_unique(ring, {snap(finer.vertices[i].x), snap(finer.vertices[i].y)});
                }
            }
            range.count = static_cast<std::uint32_t>(level.indices.size()) - range.first;
        }
    return level;
}

// Appends `part` (built for other classes) to `level`: its vertices, its indices shifted past
// level's vertices, and its classes' ranges.
void append_part(FillLevel& level, const FillLevel& part, std::size_t class_begin, std::size_t class_end) {
    const auto vertex_shift = static_cast<std::uint32_t>(level.vertices.size());
    const auto index_shift = static_cast<std::uint32_t>(level.indices.size());
    level.vertices.insert(level.vertices.end(), part.vertices.begin(), part.vertices.end());
    level.indices.reserve(level.indices.size() + part.indices.size());
    for (std::uint32_t i : part.indices) level.indices.push_back(i == kRingEnd ? kRingEnd : i + vertex_shift);
    for (std::size_t c = class_begin; c < class_end; ++c) {
        level.ranges[c] = part.ranges[c];
        for (IndexRange& r : level.ranges[c]) r.first += index_shift;
    }
    level.ring_count += part.ring_count;
}

// The levels of the classes [class_begin, class_end): exact, then one per grid.
std::vector<FillLevel> build_levels(const MapLayer& layer, const FillPyramid& pyramid, Vec2 origin, std::size_t class_begin,
                                    std::size_t class_end, const std::vector<double>& grids, const std::atomic<bool>* cancel) {
    std::vector<FillLevel> levels;
    levels.push_back(exact_level(layer, pyramid, origin, class_begin, class_end));
    for (double grid : grids) {
        if (cancel && cancel->load()) return {};
        FillLevel next = snapped_level(levels.back(), grid);
        levels.push_back(std::move(next));
    }
    return levels;
}

// The levels `build(class_begin, class_end)` makes, for two halves of the classes (by vertex count)
// on two threads, put together; one call for small layers. Empty when a half comes back empty
// (cancelled).
template <typename Build>
std::vector<FillLevel> in_two_halves(const MapLayer& layer, Build build) {
    const std::size_t classes = layer.classes.size();
    std::vector<std::size_t> class_vertices(classes, 0);
    for (const MapFeature& f : layer.features)
        for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r)
            class_vertices[static_cast<std::size_t>(f.style_class)] += layer.geometry.rings[r].count;
    std::size_t total = 0, split = 0;
    for (std::size_t v : class_vertices) total += v;
    for (std::size_t sum = 0; split < classes && 2 * sum < total; ++split) sum += class_vertices[split];
    if (total < 200000 || split == 0 || split >= classes) return build(0, classes);
    std::vector<FillLevel> upper;
    std::thread second([&] { upper = build(split, classes); });
    std::vector<FillLevel> levels = build(0, split);
    second.join();
    if (levels.size() != upper.size()) return {};
    for (std::size_t l = 0; l < levels.size(); ++l) append_part(levels[l], upper[l], split, classes);
    return levels;
}

} // namespace

std::size_t band_for(const std::vector<double>& grids, double units_per_pixel) {
    std::size_t chosen = 0;
    for (std::size_t i = 1; i < grids.size(); ++i)
        if (grids[i] <= units_per_pixel) chosen = i;
    return chosen;
}

std::vector<std::uint32_t> tiles_in(const std::vector<Extent>& tile_extents, const Extent& view) {
    std::vector<std::uint32_t> visible;
    for (std::size_t t = 0; t < tile_extents.size(); ++t)
        if (tile_extents[t].intersects(view)) visible.push_back(static_cast<std::uint32_t>(t));
    return visible;
}

const FillLevel& FillPyramid::level_for(double units_per_pixel) const {
    std::vector<double> grids;
    for (const FillLevel& l : levels) grids.push_back(l.grid);
    return levels[band_for(grids, units_per_pixel)];
}

std::vector<std::uint32_t> FillPyramid::tiles_in(const Extent& view) const { return app::tiles_in(tile_extents, view); }

FillPyramid build_fill_tiles(const MapLayer& layer) {
    FillPyramid pyramid;
    const std::size_t n = layer.features.size();
    TileGrid grid;
    grid.extent = layer.extent;
    if (n >= kFeaturesPerTile && !layer.extent.empty() && layer.extent.width() > 0 && layer.extent.height() > 0) {
        // Square-ish tiles of about kFeaturesPerTile features each.
        const double tiles = static_cast<double>(n) / kFeaturesPerTile;
        const double aspect = layer.extent.width() / layer.extent.height();
        grid.columns = std::clamp(static_cast<int>(std::round(std::sqrt(tiles * aspect))), 1, 256);
        grid.rows = std::clamp(static_cast<int>(std::round(tiles / grid.columns)), 1, 256);
    }
    const std::size_t tiles = static_cast<std::size_t>(grid.columns) * static_cast<std::size_t>(grid.rows);
    pyramid.tile_extents.assign(tiles, Extent{});
    pyramid.tile_features.assign(tiles, {});
    for (std::size_t i = 0; i < n; ++i) {
        const MapFeature& f = layer.features[i];
        if (f.rings.count == 0) continue;
        const std::size_t t = grid.tile_of(f.extent);
        pyramid.tile_features[t].push_back(static_cast<std::uint32_t>(i));
        pyramid.tile_extents[t].add(f.extent);
    }
    return pyramid;
}

std::vector<double> fill_band_grids(const MapLayer& layer) {
    // The first snaps to a sixteenth of the typical feature size (real patches have dozens of
    // vertices, a few metres apart), each next one doubles it.
    std::vector<double> grids;
    const std::size_t n = layer.features.size();
    if (n >= kFeaturesPerTile && !layer.extent.empty()) {
        const double typical = std::sqrt(layer.extent.width() * layer.extent.height() / static_cast<double>(n));
        const double largest = std::max(layer.extent.width(), layer.extent.height()) / 64;
        for (double step = typical / 16; step <= largest && grids.size() + 1 < kMaxLevels; step *= 2) grids.push_back(step);
    }
    return grids;
}

FillPyramid build_first_view_level(const MapLayer& layer, Vec2 origin, double units_per_pixel) {
    FillPyramid pyramid = build_fill_tiles(layer);
    const std::vector<double> all = fill_band_grids(layer);
    std::vector<double> grids{0.0};
    grids.insert(grids.end(), all.begin(), all.end());
    const std::size_t band = band_for(grids, units_per_pixel);
    // One snap to the band's grid, not the chain of every finer grid: three times less work, and
    // still a function of the coordinate alone, so shared vertices stay shared. A vertex may
    // differ from the full pyramid's band by a grid (one pixel) until that replaces this.
    const std::vector<double> chain = band == 0 ? std::vector<double>{} : std::vector<double>{grids[band]};
    pyramid.levels = in_two_halves(layer, [&](std::size_t class_begin, std::size_t class_end) {
        return std::vector<FillLevel>{exact_level(layer, pyramid, origin, class_begin, class_end, chain)};
    });
    return pyramid;
}

FillPyramid build_fill_pyramid(const MapLayer& layer, Vec2 origin, bool coarser_levels, const std::atomic<bool>* cancel) {
    FillPyramid pyramid = build_fill_tiles(layer);
    const std::vector<double> grids = coarser_levels ? fill_band_grids(layer) : std::vector<double>{};
    pyramid.levels = in_two_halves(layer, [&](std::size_t class_begin, std::size_t class_end) {
        return build_levels(layer, pyramid, origin, class_begin, class_end, grids, cancel);
    });
    if (cancel && cancel->load()) return {};
    // Keep a band only if it saves a sixth of the vertices of the last one kept: real patches have
    // vertices a few metres apart, and the first bands would mostly repeat the exact level.
    std::vector<FillLevel> kept;
    for (FillLevel& level : pyramid.levels)
        if (kept.empty() || 6 * level.vertices.size() < 5 * kept.back().vertices.size()) kept.push_back(std::move(level));
    pyramid.levels = std::move(kept);
    // Drop bands past the first small one: drawing them would save nothing.
    for (std::size_t l = 1; l < pyramid.levels.size(); ++l)
        if (pyramid.levels[l - 1].triangle_count() <= kSmallestLevelTriangles) {
            pyramid.levels.resize(l);
            break;
        }
    return pyramid;
}

} // namespace qingling::app
