// Triangles of a fill tile (app/fill_triangles): GLU's non-zero winding must cover what
// stencil-then-cover covers — holes left open, overlaps of one class filled once, each class on
// its own — and a band's triangles must use the band's snapped vertices, so triangulated tiles and
// stencilled tiles meet without gaps.
#include "app/fill_triangles.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <utility>

namespace qingling::app {
namespace {

// Appends a ring (counter-clockwise for an outer ring, clockwise for a hole) as one feature's ring.
void add_ring(MapLayer& layer, MapFeature& f, const std::vector<Vec2>& ring) {
    const auto first = static_cast<std::uint32_t>(layer.geometry.vertices.size());
    for (const Vec2& v : ring) {
        layer.geometry.vertices.push_back(v);
        f.extent.add(v.x, v.y);
    }
    if (f.rings.count == 0) f.rings.first = static_cast<std::uint32_t>(layer.geometry.rings.size());
    layer.geometry.rings.push_back({first, static_cast<std::uint32_t>(ring.size())});
    ++f.rings.count;
}

std::vector<Vec2> square(double x, double y, double size, bool clockwise = false) {
    std::vector<Vec2> r{{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}};
    if (clockwise) std::swap(r[1], r[3]);
    return r;
}

MapLayer two_class_layer() {
    MapLayer layer;
    layer.classes = {{"01", "01 耕地", {}, 0}, {"03", "03 林地", {}, 0}};
    MapFeature a;  // class 0: a 10 x 10 square with a 4 x 4 hole
    a.style_class = 0;
    add_ring(layer, a, square(0, 0, 10));
    add_ring(layer, a, square(3, 3, 4, true));
    layer.features.push_back(a);
    MapFeature b;  // class 0 again, overlapping a by 2 x 10
    b.style_class = 0;
    add_ring(layer, b, square(8, 0, 10));
    layer.features.push_back(b);
    MapFeature c;  // class 1: inside a's hole
    c.style_class = 1;
    add_ring(layer, c, square(4, 4, 2));
    layer.features.push_back(c);
    return layer;
}

double triangle_area(const TileTriangles& t, IndexRange range) {
    double sum = 0;
    for (std::uint32_t k = range.first; k + 3 <= range.first + range.count; k += 3) {
        const Float2 a = t.vertices[t.indices[k]], b = t.vertices[t.indices[k + 1]], c = t.vertices[t.indices[k + 2]];
        sum += std::abs(0.5 * ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)));
    }
    return sum;
}

TEST(FillTriangles, ClassesHolesAndOverlapsAsStencilThenCover) {
    const MapLayer layer = two_class_layer();
    const TileTriangles t = triangulate_tile(tile_rings(layer, {0, 1, 2}, {0, 0}, {}));
    ASSERT_EQ(t.classes.size(), 2u);
    EXPECT_EQ(t.indices.size() % 3, 0u);
    EXPECT_EQ(t.classes[0].count % 3, 0u);
    // Class 0: the union of a (100 - 16) and b (100), overlapping by 20: 164.
    EXPECT_NEAR(triangle_area(t, t.classes[0]), 164.0, 1e-4);
    // Class 1: the square inside the hole.
    EXPECT_NEAR(triangle_area(t, t.classes[1]), 4.0, 1e-6);
    // Nothing of class 0 inside the hole: every triangle's centroid is outside (3..7)^2.
    for (std::uint32_t k = t.classes[0].first; k < t.classes[0].first + t.classes[0].count; k += 3) {
        const Float2 a = t.vertices[t.indices[k]], b = t.vertices[t.indices[k + 1]], c = t.vertices[t.indices[k + 2]];
        const double cx = (a.x + b.x + c.x) / 3, cy = (a.y + b.y + c.y) / 3;
        EXPECT_FALSE(cx > 3 && cx < 7 && cy > 3 && cy < 7) << "triangle at " << cx << "," << cy << " fills the hole";
    }
}

TEST(FillTriangles, OnlyTheTilesFeaturesAndRelativeToTheOrigin) {
    const MapLayer layer = two_class_layer();
    const TileTriangles t = triangulate_tile(tile_rings(layer, {2}, {100, 200}, {}));
    EXPECT_EQ(t.classes[0].count, 0u);
    EXPECT_NEAR(triangle_area(t, t.classes[1]), 4.0, 1e-6);
    for (const Float2& v : t.vertices) {
        EXPECT_NEAR(v.x, -95, 1.0001);
        EXPECT_NEAR(v.y, -195, 1.0001);
    }
}

TEST(FillTriangles, BandTrianglesUseTheBandsSnappedVertices) {
    // 40 x 40 unit squares whose edges carry vertices at 0.3 and 0.7 (shared with the neighbour):
    // at a band of 0.5 they all snap onto the corners.
    MapLayer layer;
    layer.classes = {{"01", "01 耕地", {}, 0}};
    for (int j = 0; j < 40; ++j)
        for (int i = 0; i < 40; ++i) {
            MapFeature f;
            f.style_class = 0;
            const double x = i, y = j;
            add_ring(layer, f, {{x, y}, {x + 0.3, y}, {x + 0.7, y}, {x + 1, y}, {x + 1, y + 0.7}, {x + 1, y + 1},
                                {x + 0.3, y + 1}, {x, y + 1}, {x, y + 0.3}});
            layer.extent.add(f.extent);
            layer.features.push_back(f);
        }
    const FillPyramid pyramid = build_fill_pyramid(layer, {0, 0});
    ASSERT_GE(pyramid.levels.size(), 2u);
    ASSERT_TRUE(pyramid.significance) << "the bands were simplified along the shared sides";
    for (std::size_t l = 1; l < pyramid.levels.size(); ++l) {
        const FillLevel& band = pyramid.levels[l];
        ASSERT_FALSE(band.snap_chain.empty());
        EXPECT_DOUBLE_EQ(band.snap_chain.back(), band.grid);
        std::set<std::pair<float, float>> band_vertices, tile_vertices;
        for (const Float2& v : band.vertices) band_vertices.insert({v.x, v.y});
        double area = 0;
        for (std::size_t tile = 0; tile < pyramid.tile_features.size(); ++tile) {
            const TileTriangles t = triangulate_tile(
                tile_rings(layer, pyramid.tile_features[tile], {0, 0}, band.snap_chain, pyramid.significance.get()));
            area += triangle_area(t, t.classes[0]);
            for (const Float2& v : t.vertices) tile_vertices.insert({v.x, v.y});
        }
        // The same vertices as the band the stencil draws (simplified and snapped alike), and the
        // tiles' triangles cover the layer exactly once.
        EXPECT_EQ(tile_vertices, band_vertices) << "band " << l;
        EXPECT_NEAR(area, 1600.0, 1e-3) << "band " << l;
    }
}

// The triangle edges that lie on rings (TileTriangles::ring_edges, where the fill draws the
// hairlines): A and B of one class side by side, C of another class beside B, as a DLTB's patches.
TEST(FillTriangles, MarksEveryRingEdgeOncePerSideAndNoDiagonal) {
    MapLayer layer;
    layer.classes = {{"01", "01 耕地", {}, 0}, {"03", "03 林地", {}, 0}};
    for (int i = 0; i < 3; ++i) {
        MapFeature f;
        f.style_class = i < 2 ? 0 : 1;
        add_ring(layer, f, square(i, 0, 1));
        layer.features.push_back(f);
    }
    const TileTriangles t = triangulate_tile(tile_rings(layer, {0, 1, 2}, {0, 0}, {}));
    ASSERT_EQ(t.ring_edges.size(), t.indices.size() / 3);
    using Point = std::pair<float, float>;
    using Edge = std::pair<Point, Point>;
    auto edge = [](Float2 a, Float2 b) {
        const Point pa{a.x, a.y}, pb{b.x, b.y};
        return pa < pb ? Edge{pa, pb} : Edge{pb, pa};
    };
    std::multiset<Edge> marked;
    std::size_t unmarked = 0;
    for (std::size_t k = 0; k < t.ring_edges.size(); ++k)
        for (int c = 0; c < 3; ++c) {
            const Edge e = edge(t.vertices[t.indices[3 * k + (c + 1) % 3]], t.vertices[t.indices[3 * k + (c + 2) % 3]]);
            if (t.ring_edges[k] & (1u << c)) {
                marked.insert(e);
            } else {
                ++unmarked;
                // A diagonal of a square: both ends differ in x and in y.
                EXPECT_TRUE(e.first.first != e.second.first && e.first.second != e.second.second)
                    << "an edge along a ring is not marked: " << e.first.first << "," << e.first.second << " - "
                    << e.second.first << "," << e.second.second;
            }
        }
    // Each square's 4 sides, once for each square that has it: the sides shared by A and B (one
    // class) and by B and C are marked twice, once from each side; the outer sides once.
    EXPECT_EQ(marked.size(), 12u);
    EXPECT_EQ(marked.count(edge({1, 0}, {1, 1})), 2u) << "A | B, same class";
    EXPECT_EQ(marked.count(edge({2, 0}, {2, 1})), 2u) << "B | C, two classes";
    EXPECT_EQ(marked.count(edge({0, 0}, {0, 1})), 1u);
    EXPECT_EQ(marked.count(edge({0, 0}, {1, 0})), 1u);
    EXPECT_EQ(marked.count(edge({2, 1}, {3, 1})), 1u);
    EXPECT_EQ(unmarked, 6u) << "one diagonal per square, in both its triangles";
}

} // namespace
} // namespace qingling::app
