#include "app/fill_lod.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
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

void push_unique(BandRing& ring, Float2 v, float significance) {
    if (!ring.points.empty() && ring.points.back().x == v.x && ring.points.back().y == v.y) {
        ring.significance.back() = std::max(ring.significance.back(), significance);
        return;
    }
    ring.points.push_back(v);
    ring.significance.push_back(significance);
}

// Appends a ring that band_step kept.
void add_ring(FillLevel& level, const BandRing& ring, bool keep_significance) {
    const auto& p = ring.points;
    auto base = static_cast<std::uint32_t>(level.vertices.size());
    level.vertices.insert(level.vertices.end(), p.begin(), p.end());
    if (keep_significance) level.significance.insert(level.significance.end(), ring.significance.begin(), ring.significance.end());
    for (std::size_t i = 0; i < p.size(); ++i) level.indices.push_back(base++);
    level.indices.push_back(kRingEnd);
    ++level.ring_count;
}

// A 64-bit key of an exact coordinate: the same point in every ring that shares it (splitmix64's
// finaliser over both ordinates' bits). Two points of a county sharing a key is about a
// one-in-10^7 event; it would at worst merge two points' neighbours for the arc ends.
std::uint64_t mix64(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t point_key(Vec2 v) {
    std::uint64_t a = 0, b = 0;
    const double x = v.x + 0.0, y = v.y + 0.0;  // -0 and 0 alike
    std::memcpy(&a, &x, sizeof a);
    std::memcpy(&b, &y, sizeof b);
    return mix64(a ^ mix64(b));
}

double squared_distance_to_segment(Vec2 p, Vec2 a, Vec2 b) {
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy);
    return ex * ex + ey * ey;
}

} // namespace

std::vector<float> arc_significance(const MapLayer& layer) {
    const FlatGeometry& g = layer.geometry;
    std::vector<float> significance(g.vertices.size(), std::numeric_limits<float>::infinity());
    // Every ring vertex by its point's key, with its two neighbours in its ring (past repeats of
    // the same point) as one unordered pair: a point is an arc end unless every ring through it
    // has the same two neighbours there. Sorting by key puts each point's occurrences together;
    // the neighbours are taken while walking the rings, as reading them later would jump about.
    struct Occurrence {
        std::uint64_t key, neighbours;
        std::uint32_t vertex;
    };
    std::vector<Occurrence> by_key;
    std::size_t ring_vertices = 0;
    for (const VertexRange& r : g.rings) ring_vertices += r.count;
    by_key.reserve(ring_vertices);
    std::vector<std::uint64_t> keys;
    for (const VertexRange& r : g.rings) {
        keys.clear();
        for (std::uint32_t k = 0; k < r.count; ++k) keys.push_back(point_key(g.vertices[r.first + k]));
        for (std::uint32_t k = 0; k < r.count; ++k) {
            std::uint64_t before = keys[k], after = keys[k];
            for (std::uint32_t n = 1; n < r.count && before == keys[k]; ++n) before = keys[(k + r.count - n) % r.count];
            for (std::uint32_t n = 1; n < r.count && after == keys[k]; ++n) after = keys[(k + n) % r.count];
            const std::uint64_t lo = std::min(before, after), hi = std::max(before, after);
            // The same two points, one twice, count as an end (a spike): lo == hi.
            const std::uint64_t pair = lo == hi ? 0 : mix64(lo) ^ hi;
            by_key.push_back({keys[k], pair, r.first + k});
        }
    }
    // Two sorted halves, merged: the sort is most of the time.
    auto by_point = [](const Occurrence& a, const Occurrence& b) { return a.key < b.key; };
    const auto middle = by_key.begin() + static_cast<std::ptrdiff_t>(by_key.size() / 2);
    std::thread second([&] { std::sort(middle, by_key.end(), by_point); });
    std::sort(by_key.begin(), middle, by_point);
    second.join();
    std::inplace_merge(by_key.begin(), middle, by_key.end(), by_point);
    std::vector<char> arc_end(g.vertices.size(), 0);
    for (std::size_t a = 0; a < by_key.size();) {
        std::size_t b = a;
        bool same = by_key[a].neighbours != 0;
        while (b < by_key.size() && by_key[b].key == by_key[a].key) {
            same = same && by_key[b].neighbours == by_key[a].neighbours;
            ++b;
        }
        if (!same)
            for (std::size_t k = a; k < b; ++k) arc_end[by_key[k].vertex] = 1;
        a = b;
    }
    by_key = {};

    // Douglas–Peucker on every arc, in the same direction whichever ring walks it (the end with
    // the smaller key first), so the rings on both sides of an arc keep the same vertices. A
    // vertex's significance is its distance from the chord when it splits its part of the arc,
    // at most its parent's: the vertices kept at a tolerance are those of significance above it.
    std::vector<std::uint32_t> arc;
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    std::vector<float> part_limit;
    for (const VertexRange& r : g.rings) {
        if (r.count < 3) continue;
        std::vector<std::uint32_t> ends;
        for (std::uint32_t k = 0; k < r.count; ++k)
            if (arc_end[r.first + k]) ends.push_back(k);
        if (ends.empty()) {
            // A closed arc (an enclave and the hole around it) starts at its easternmost point
            // (southernmost of those): a corner of its hull, the same for both rings.
            std::uint32_t best = 0;
            for (std::uint32_t k = 1; k < r.count; ++k) {
                const Vec2 v = g.vertices[r.first + k], b = g.vertices[r.first + best];
                if (v.x > b.x || (v.x == b.x && v.y < b.y)) best = k;
            }
            ends.push_back(best);
        }
        for (std::size_t e = 0; e < ends.size(); ++e) {
            const std::uint32_t from = ends[e], to = ends[(e + 1) % ends.size()];
            arc.clear();
            for (std::uint32_t k = from;; k = (k + 1) % r.count) {
                arc.push_back(r.first + k);
                if (arc.size() > 1 && k == to) break;
            }
            if (arc.size() < 3) continue;
            const std::uint64_t front = point_key(g.vertices[arc.front()]), back = point_key(g.vertices[arc.back()]);
            if (front > back || (front == back && point_key(g.vertices[arc[1]]) > point_key(g.vertices[arc[arc.size() - 2]])))
                std::reverse(arc.begin(), arc.end());
            parts.assign(1, {0, arc.size() - 1});
            part_limit.assign(1, std::numeric_limits<float>::infinity());
            while (!parts.empty()) {
                const auto [i0, i1] = parts.back();
                const float limit = part_limit.back();
                parts.pop_back();
                part_limit.pop_back();
                if (i1 - i0 < 2) continue;
                double far = -1;
                std::size_t split = i0 + 1;
                for (std::size_t k = i0 + 1; k < i1; ++k) {
                    const double d = squared_distance_to_segment(g.vertices[arc[k]], g.vertices[arc[i0]], g.vertices[arc[i1]]);
                    if (d > far) {
                        far = d;
                        split = k;
                    }
                }
                const float sig = std::min(limit, static_cast<float>(std::sqrt(far)));
                significance[arc[split]] = sig;
                parts.emplace_back(i0, split);
                part_limit.push_back(sig);
                parts.emplace_back(split, i1);
                part_limit.push_back(sig);
            }
        }
    }
    return significance;
}

namespace {

// The level of the classes [class_begin, class_end) with every vertex snapped through `chain`
// (empty: the exact level); the other classes' ranges stay empty. Snapping the exact vertex
// through the whole chain gives what snapping band by band gives (snapped_level), since each snap
// is a function of the coordinate alone.
FillLevel exact_level(const MapLayer& layer, const FillPyramid& pyramid, Vec2 origin, std::size_t class_begin,
                      std::size_t class_end, const std::vector<double>& chain = {},
                      const std::vector<float>* significance = nullptr) {
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
    if (significance) level.significance.reserve(vertices);
    BandRing ring;
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
                        push_unique(ring, {snapped(static_cast<float>(v.x - origin.x)), snapped(static_cast<float>(v.y - origin.y))},
                                    significance ? (*significance)[vr.first + i] : 0.0f);
                    }
                    if (band_step(ring, 0.0, false)) add_ring(level, ring, significance != nullptr);
                }
            }
            range.count = static_cast<std::uint32_t>(level.indices.size()) - range.first;
        }
    return level;
}

// The next band: the finer level's rings with every vertex snapped to `grid`. Snapping a snapped
// vertex again is still a function of the coordinate alone, so shared vertices stay shared. With
// significances, the vertices under kSimplifyGridShare of the grid are left out first.
FillLevel snapped_level(const FillLevel& finer, double grid) {
    const bool simplify = !finer.significance.empty();
    FillLevel level;
    level.grid = grid;
    level.snap_chain = finer.snap_chain;
    level.snap_chain.push_back(grid);
    level.vertices.reserve(finer.vertices.size() / 2);
    level.indices.reserve(finer.indices.size() / 2);
    level.ranges = finer.ranges;
    BandRing ring;
    for (auto& by_tile : level.ranges)
        for (IndexRange& range : by_tile) {
            const IndexRange old = range;
            range.first = static_cast<std::uint32_t>(level.indices.size());
            ring.clear();
            for (std::uint32_t k = old.first; k < old.first + old.count; ++k) {
                const std::uint32_t i = finer.indices[k];
                if (i == kRingEnd) {
                    if (band_step(ring, grid, simplify)) add_ring(level, ring, simplify);
                    ring.clear();
                } else {
                    ring.points.push_back(finer.vertices[i]);
                    ring.significance.push_back(simplify ? finer.significance[i] : 0.0f);
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
    level.significance.insert(level.significance.end(), part.significance.begin(), part.significance.end());
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
                                    std::size_t class_end, const std::vector<double>& grids, const std::atomic<bool>* cancel,
                                    const std::vector<float>* significance) {
    std::vector<FillLevel> levels;
    levels.push_back(exact_level(layer, pyramid, origin, class_begin, class_end, {}, significance));
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

bool band_step(BandRing& ring, double grid, bool simplify) {
    auto& p = ring.points;
    auto& sig = ring.significance;
    const auto tolerance = static_cast<float>(kSimplifyGridShare * grid);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (simplify && sig[i] < tolerance) continue;
        const Float2 v = grid > 0 ? Float2{snap_to_grid(p[i].x, grid), snap_to_grid(p[i].y, grid)} : p[i];
        if (kept > 0 && p[kept - 1].x == v.x && p[kept - 1].y == v.y) {
            sig[kept - 1] = std::max(sig[kept - 1], sig[i]);
            continue;
        }
        p[kept] = v;
        sig[kept] = sig[i];
        ++kept;
    }
    p.resize(kept);
    sig.resize(kept);
    while (p.size() > 1 && p.back().x == p.front().x && p.back().y == p.front().y) {
        sig.front() = std::max(sig.front(), sig.back());
        p.pop_back();
        sig.pop_back();
    }
    return p.size() >= 3;
}

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
    // The first snaps to a 32nd of the typical feature size (real patches have dozens of
    // vertices, a few metres apart), each next one doubles it.
    std::vector<double> grids;
    const std::size_t n = layer.features.size();
    if (n >= kFeaturesPerTile && !layer.extent.empty()) {
        const double typical = std::sqrt(layer.extent.width() * layer.extent.height() / static_cast<double>(n));
        const double largest = std::max(layer.extent.width(), layer.extent.height()) / 64;
        for (double step = typical / 32; step <= largest && grids.size() + 1 < kMaxLevels; step *= 2) grids.push_back(step);
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
    // The coarser bands leave out what a pixel cannot show along the arcs between patches.
    auto significance = std::make_shared<const std::vector<float>>(grids.empty() ? std::vector<float>{} : arc_significance(layer));
    if (cancel && cancel->load()) return {};
    pyramid.levels = in_two_halves(layer, [&](std::size_t class_begin, std::size_t class_end) {
        return build_levels(layer, pyramid, origin, class_begin, class_end, grids, cancel,
                            significance->empty() ? nullptr : significance.get());
    });
    if (cancel && cancel->load()) return {};
    for (FillLevel& level : pyramid.levels) level.significance = {};  // only needed while building
    if (!significance->empty()) pyramid.significance = std::move(significance);
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
