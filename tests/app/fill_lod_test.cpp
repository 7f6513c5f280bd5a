// Level of detail of polygon fills (app/fill_lod): coarser bands snap vertices to a grid, keep a
// land-use tessellation without gaps or overlaps, drop patches smaller than the band, and tiles
// let a zoomed-in view draw only what it shows.
#include "app/fill_lod.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <set>

namespace qingling::app {
namespace {

// A layer of unit squares covering [0, columns] x [0, rows]. Every edge carries two extra vertices
// at 0.3 and 0.7 of its length, shared with the neighbour (as a real DLTB shares its vertices).
MapLayer square_tessellation(int columns, int rows) {
    MapLayer layer;
    layer.classes = {{"01", "01 耕地", {}, 0}, {"03", "03 林地", {}, 0}};
    for (int j = 0; j < rows; ++j)
        for (int i = 0; i < columns; ++i) {
            MapFeature f;
            f.fid = j * columns + i + 1;
            f.style_class = (i + j) % 2;
            const auto first = static_cast<std::uint32_t>(layer.geometry.vertices.size());
            const double x = i, y = j;
            // Counter-clockwise: bottom, right, top, left edge.
            for (const Vec2 v : {Vec2{x, y}, Vec2{x + 0.3, y}, Vec2{x + 0.7, y}, Vec2{x + 1, y}, Vec2{x + 1, y + 0.3},
                                 Vec2{x + 1, y + 0.7}, Vec2{x + 1, y + 1}, Vec2{x + 0.7, y + 1}, Vec2{x + 0.3, y + 1},
                                 Vec2{x, y + 1}, Vec2{x, y + 0.7}, Vec2{x, y + 0.3}})
                layer.geometry.vertices.push_back(v);
            f.rings = {static_cast<std::uint32_t>(layer.geometry.rings.size()), 1};
            layer.geometry.rings.push_back({first, 12});
            f.extent.add(x, y);
            f.extent.add(x + 1, y + 1);
            layer.extent.add(f.extent);
            layer.features.push_back(f);
        }
    return layer;
}

// Signed area of every ring of a level, summed (the rings of one class and tile after another).
double total_area(const FillLevel& level) {
    double sum = 0;
    std::vector<Float2> ring;
    for (std::uint32_t i : level.indices) {
        if (i != kRingEnd) {
            ring.push_back(level.vertices[i]);
            continue;
        }
        for (std::size_t k = 0; k < ring.size(); ++k) {
            const Float2 a = ring[k], b = ring[(k + 1) % ring.size()];
            sum += 0.5 * (static_cast<double>(a.x) * b.y - static_cast<double>(b.x) * a.y);
        }
        ring.clear();
    }
    return sum;
}

TEST(FillLod, ExactLevelKeepsEveryRingAndVertex) {
    const MapLayer layer = square_tessellation(60, 60);
    const FillPyramid p = build_fill_pyramid(layer, {0, 0});
    ASSERT_FALSE(p.levels.empty());
    EXPECT_EQ(p.levels[0].grid, 0);
    EXPECT_EQ(p.levels[0].ring_count, 3600u);
    EXPECT_EQ(p.levels[0].vertices.size(), 3600u * 12);
    EXPECT_EQ(p.levels[0].triangle_count(), 3600u * 10);
    EXPECT_NEAR(total_area(p.levels[0]), 3600.0, 1e-3);
}

TEST(FillLod, CoarserBandsSnapToTheirGridWithoutGapsOrOverlaps) {
    const MapLayer layer = square_tessellation(60, 60);
    const FillPyramid p = build_fill_pyramid(layer, {0, 0});
    // Typical patch size 1: candidate bands of 1/32, 1/16, 1/8, 1/4 and 1/2 (up to the extent / 64).
    // The vertices at 0.3 and 0.7 lie on the straight sides (significance 0): the first band leaves
    // them out and keeps the 4 corners, on every grid; the later bands would repeat it: not kept.
    ASSERT_EQ(p.levels.size(), 2u);
    const FillLevel& level = p.levels[1];
    EXPECT_DOUBLE_EQ(level.grid, 1.0 / 32);
    EXPECT_EQ(level.ring_count, 3600u) << "no unit square collapses";
    EXPECT_EQ(level.vertices.size(), 3600u * 4);
    for (const Float2 v : level.vertices) {
        EXPECT_NEAR(std::remainder(v.x, level.grid), 0.0, 1e-5);
        EXPECT_NEAR(std::remainder(v.y, level.grid), 0.0, 1e-5);
    }
    // All rings counter-clockwise: the summed area is the covered area only if nothing overlaps
    // and nothing is missing; the tessellation's border lies on the grid.
    EXPECT_NEAR(total_area(level), 3600.0, 1e-3);
    EXPECT_TRUE(level.significance.empty()) << "only kept while building";
}

// n x n unit squares whose inner sides wiggle: 3 vertices at 1/4, 1/2, 3/4 of each side, moved
// sideways by -w, +w and -w alternately, shared with the neighbour (the very same coordinates).
// The outline stays straight, so the squares cover exactly n x n.
MapLayer wiggly_tessellation(int n, double w) {
    auto side = [&](Vec2 a, Vec2 b, bool outline) {
        std::vector<Vec2> points;
        const double nx = -(b.y - a.y), ny = b.x - a.x;  // a normal, the same for (a, b) on both sides
        for (int k = 1; k <= 3; ++k) {
            const double t = k / 4.0, off = outline ? 0.0 : (k % 2 == 1 ? -w : w);
            points.push_back({a.x + t * (b.x - a.x) + off * nx, a.y + t * (b.y - a.y) + off * ny});
        }
        return points;
    };
    MapLayer layer;
    layer.classes = {{"01", "01 耕地", {}, 0}, {"03", "03 林地", {}, 0}};
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            MapFeature f;
            f.fid = j * n + i + 1;
            f.style_class = (i + j) % 2;
            const auto first = static_cast<std::uint32_t>(layer.geometry.vertices.size());
            auto& out = layer.geometry.vertices;
            const Vec2 c00{double(i), double(j)}, c10{i + 1.0, double(j)}, c11{i + 1.0, j + 1.0}, c01{double(i), j + 1.0};
            // Each side's points come from its lower-left end to the other, then run the ring's way.
            auto add = [&](Vec2 corner, std::vector<Vec2> points, bool reversed) {
                out.push_back(corner);
                if (reversed) std::reverse(points.begin(), points.end());
                out.insert(out.end(), points.begin(), points.end());
            };
            add(c00, side(c00, c10, j == 0), false);
            add(c10, side(c10, c11, i == n - 1), false);
            add(c11, side(c01, c11, j == n - 1), true);
            add(c01, side(c00, c01, i == 0), true);
            f.rings = {static_cast<std::uint32_t>(layer.geometry.rings.size()), 1};
            layer.geometry.rings.push_back({first, 16});
            f.extent.add(i, j);
            f.extent.add(i + 1, j + 1);
            layer.extent.add(f.extent);
            layer.features.push_back(f);
        }
    return layer;
}

TEST(FillLod, BandsLeaveOutWigglesUnderTheirGridAndNeighboursKeepSharingTheirSides) {
    // Wiggles of 0.05: the band of 1/32 (tolerance 1/32) keeps them (and is not kept, saving
    // nothing), the band of 1/16 (tolerance 1/16) leaves every square its 4 corners.
    const MapLayer layer = wiggly_tessellation(40, 0.05);
    EXPECT_NEAR(total_area(build_fill_pyramid(layer, {0, 0}, false).levels[0]), 1600.0, 1e-3);
    const std::vector<float> significance = arc_significance(layer);
    ASSERT_EQ(significance.size(), layer.geometry.vertices.size());
    // Inner squares: corners are arc ends, each side one arc whose wiggles are 0.05 off its chord.
    for (int j = 1; j < 39; ++j)
        for (int i = 1; i < 39; ++i) {
            const VertexRange ring = layer.geometry.rings[static_cast<std::size_t>(j * 40 + i)];
            for (std::uint32_t k = 0; k < 16; ++k) {
                if (k % 4 == 0) EXPECT_TRUE(std::isinf(significance[ring.first + k])) << "corner " << k << " of " << i << "," << j;
                else EXPECT_NEAR(significance[ring.first + k], 0.05f, 1e-6f) << "vertex " << k << " of " << i << "," << j;
            }
        }
    const FillPyramid p = build_fill_pyramid(layer, {0, 0});
    const FillLevel& fine = p.level_for(0.04);
    EXPECT_GT(fine.vertices.size(), 1600u * 4) << "tolerance under the wiggles: they stay";
    const FillLevel& coarse = p.level_for(0.07);
    EXPECT_DOUBLE_EQ(coarse.grid, 0.0625);
    EXPECT_EQ(coarse.ring_count, 1600u);
    EXPECT_EQ(coarse.vertices.size(), 1600u * 4);
    // Left out on both sides alike: no gap, no overlap.
    EXPECT_NEAR(total_area(coarse), 1600.0, 1e-3);
    EXPECT_NEAR(total_area(fine), 1600.0, 1e-3);
}

// 3,000 squares of side `size` at the integer points of a 60 x 50 grid, with a vertex in the middle
// of each side (18,000 triangles: enough for coarser bands to be worth building).
MapLayer small_squares(double size) {
    MapLayer layer;
    layer.classes = {{"", "small", {}, 0}};
    const double h = size / 2;
    for (int j = 0; j < 50; ++j)
        for (int i = 0; i < 60; ++i) {
            MapFeature f;
            const auto first = static_cast<std::uint32_t>(layer.geometry.vertices.size());
            for (const Vec2 v : {Vec2{i + 0.0, j + 0.0}, Vec2{i + h, j + 0.0}, Vec2{i + size, j + 0.0}, Vec2{i + size, j + h},
                                 Vec2{i + size, j + size}, Vec2{i + h, j + size}, Vec2{i + 0.0, j + size}, Vec2{i + 0.0, j + h}})
                layer.geometry.vertices.push_back(v);
            f.rings = {static_cast<std::uint32_t>(layer.geometry.rings.size()), 1};
            layer.geometry.rings.push_back({first, 8});
            f.extent.add(i, j);
            f.extent.add(i + size, j + size);
            layer.extent.add(f.extent);
            layer.features.push_back(f);
        }
    layer.extent.add(60, 50);  // a typical patch size of exactly 1: bands of 1/16 ... 1/2
    return layer;
}

TEST(FillLod, LonePatchesDisappearOnceTheBandReachesTheirSize) {
    // Squares of 0.1, apart: the sides' middles lie on the sides (left out at once); the corners go
    // to 0 and 3/32 at the band of 1/32, 0 and 0.125 at 1/16 (4 vertices a square still: not kept);
    // at 1/8 two corners, 0.07 from the diagonal through the others, are under the tolerance: the
    // squares, under a pixel across wherever the band is drawn, are left out.
    const FillPyramid tiny = build_fill_pyramid(small_squares(0.1), {0, 0});
    ASSERT_EQ(tiny.levels.size(), 3u) << "no band after one with nothing left to draw";
    EXPECT_DOUBLE_EQ(tiny.levels[1].grid, 1.0 / 32);
    EXPECT_EQ(tiny.levels[1].ring_count, 3000u);
    EXPECT_EQ(tiny.levels[1].vertices.size(), 3000u * 4);
    EXPECT_NEAR(total_area(tiny.levels[1]), 3000 * 0.09375 * 0.09375, 1e-3);
    EXPECT_DOUBLE_EQ(tiny.levels[2].grid, 0.125);
    EXPECT_EQ(tiny.levels[2].ring_count, 0u);

    // Squares of 0.2 are 0.1875 across at the bands of 1/32 and 1/16 (6/32, 3/16), 0.25 at 1/8 (4
    // vertices still: not kept), and are left out at 1/4.
    const FillPyramid small = build_fill_pyramid(small_squares(0.2), {0, 0});
    ASSERT_EQ(small.levels.size(), 3u);
    EXPECT_DOUBLE_EQ(small.levels[1].grid, 1.0 / 32);
    EXPECT_EQ(small.levels[1].ring_count, 3000u);
    EXPECT_NEAR(total_area(small.levels[1]), 3000 * 0.1875 * 0.1875, 1e-3);
    EXPECT_DOUBLE_EQ(small.levels[2].grid, 0.25);
    EXPECT_EQ(small.levels[2].ring_count, 0u);
}

TEST(FillLod, LevelForPicksTheCoarsestBandOfAtMostOnePixel) {
    const FillPyramid p = build_fill_pyramid(square_tessellation(60, 60), {0, 0});
    EXPECT_EQ(p.level_for(0.02).grid, 0);
    EXPECT_EQ(p.level_for(1.0 / 32).grid, 1.0 / 32);
    EXPECT_EQ(p.level_for(0.3).grid, 1.0 / 32) << "the bands of 1/16 ... 1/2 were not kept";
    EXPECT_EQ(p.level_for(100).grid, 1.0 / 32);
}

TEST(FillLod, TilesHoldEveryFeatureOnceAndCullTheView) {
    const MapLayer layer = square_tessellation(60, 60);
    const FillPyramid p = build_fill_pyramid(layer, {0, 0});
    EXPECT_GT(p.tile_extents.size(), 16u);  // 3,600 features, about 100 per tile
    std::set<std::uint32_t> seen;
    std::size_t total = 0;
    for (const auto& members : p.tile_features) {
        total += members.size();
        seen.insert(members.begin(), members.end());
    }
    EXPECT_EQ(total, 3600u);
    EXPECT_EQ(seen.size(), 3600u);
    Extent everything;
    everything.add(-1, -1);
    everything.add(61, 61);
    EXPECT_EQ(p.tiles_in(everything).size(), p.tile_extents.size());
    Extent corner;
    corner.add(0.5, 0.5);
    corner.add(2.5, 2.5);
    const auto visible = p.tiles_in(corner);
    ASSERT_FALSE(visible.empty());
    EXPECT_LT(visible.size(), p.tile_extents.size());
    // The features in the corner are in the visible tiles.
    for (std::uint32_t t = 0; t < p.tile_features.size(); ++t)
        for (std::uint32_t f : p.tile_features[t])
            if (layer.features[f].extent.intersects(corner))
                EXPECT_NE(std::find(visible.begin(), visible.end(), t), visible.end()) << "feature " << f;
}

TEST(FillLod, SmallLayersGetOneTileAndTheExactLevelOnly) {
    const FillPyramid p = build_fill_pyramid(square_tessellation(9, 9), {0, 0});
    EXPECT_EQ(p.tile_extents.size(), 1u);
    EXPECT_EQ(p.levels.size(), 1u);
    EXPECT_EQ(p.levels[0].ring_count, 81u);
}

TEST(FillLod, FirstViewLevelIsSnappedOnceToTheBandOfItsResolutionWithoutGapsOrOverlaps) {
    // 140 x 140 unit squares (235,200 vertices: the classes are built in two halves on two threads),
    // the origin off the grid so snapping is not trivial.
    const MapLayer layer = square_tessellation(140, 140);
    const Vec2 origin{0.37, 0.11};
    const std::vector<double> grids = fill_band_grids(layer);
    ASSERT_GE(grids.size(), 4u);
    EXPECT_DOUBLE_EQ(grids[0], 1.0 / 32);
    const FillPyramid first = build_first_view_level(layer, origin, 0.3);  // 1/4 is the coarsest grid <= 0.3
    ASSERT_EQ(first.levels.size(), 1u);
    const FillLevel& level = first.levels[0];
    EXPECT_DOUBLE_EQ(level.grid, 0.25);
    EXPECT_EQ(level.snap_chain, std::vector<double>{0.25});
    // Relative to the origin a square's x are i - 0.37, i - 0.07, i + 0.33, i + 0.63: they snap to
    // i - 0.25, i, i + 0.25, i + 0.75, all different (likewise y), so every square keeps its 12.
    EXPECT_EQ(level.ring_count, 140u * 140u);
    EXPECT_EQ(level.vertices.size(), 140u * 140u * 12);
    for (const Float2 v : level.vertices) {
        EXPECT_NEAR(std::remainder(v.x, 0.25), 0.0, 1e-4);
        EXPECT_NEAR(std::remainder(v.y, 0.25), 0.0, 1e-4);
    }
    // Shared vertices stay shared: the rings' areas add up to the area inside the snapped outline
    // (x: -0.37 and 139.63 snap to -0.25 and 139.75; y: -0.11 and 139.89 to 0 and 140), no more, no less.
    const double x0 = std::nearbyint(-0.37 / 0.25) * 0.25, x1 = std::nearbyint((140 - 0.37) / 0.25) * 0.25;
    const double y0 = std::nearbyint(-0.11 / 0.25) * 0.25, y1 = std::nearbyint((140 - 0.11) / 0.25) * 0.25;
    EXPECT_NEAR(total_area(level), (x1 - x0) * (y1 - y0), 1e-1);
    // The same tiles as the full pyramid, so its bands can replace this one tile for tile.
    const FillPyramid full = build_fill_pyramid(layer, origin);
    EXPECT_EQ(first.tile_features, full.tile_features);
    ASSERT_EQ(level.ranges.size(), full.levels[0].ranges.size());
    EXPECT_EQ(level.ranges[0].size(), full.levels[0].ranges[0].size());
}

TEST(FillLod, ACancelledPyramidHasNoLevels) {
    std::atomic<bool> cancel{true};
    EXPECT_TRUE(build_fill_pyramid(square_tessellation(140, 140), {0, 0}, true, &cancel).levels.empty());
    cancel = false;
    EXPECT_FALSE(build_fill_pyramid(square_tessellation(20, 20), {0, 0}, true, &cancel).levels.empty());
}

TEST(FillLod, SnappingRoundsHalfToEvenLikeNearbyint) {
    for (const double grid : {0.25, 7.09, 28.36})
        for (const float x : {-3.5f * 0.25f, -0.125f, 0.125f, 0.375f, 2.5f, 3.5f, 1234.56f, -98765.4f, 31415.9f})
            EXPECT_EQ(snap_to_grid(x, grid), static_cast<float>(std::nearbyint(static_cast<double>(x) / grid) * grid))
                << x << " on " << grid;
}

TEST(FillLod, RangesOfEachClassAndTileCoverTheirRings) {
    const MapLayer layer = square_tessellation(60, 60);
    const FillPyramid p = build_fill_pyramid(layer, {0, 0});
    for (const FillLevel& level : p.levels) {
        ASSERT_EQ(level.ranges.size(), 2u);
        std::size_t rings = 0, indices = 0;
        for (const auto& by_tile : level.ranges)
            for (const IndexRange& r : by_tile) {
                indices += r.count;
                if (r.count > 0) EXPECT_EQ(level.indices[r.first + r.count - 1], kRingEnd);
                for (std::uint32_t k = r.first; k < r.first + r.count; ++k) rings += level.indices[k] == kRingEnd;
            }
        EXPECT_EQ(indices, level.indices.size());
        EXPECT_EQ(rings, level.ring_count);
    }
}

} // namespace
} // namespace qingling::app
