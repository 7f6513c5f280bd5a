// WKB decoding into the renderer's flat arrays.
#include "app/wkb_reader.hpp"
#include "core/project_store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

using namespace qingling::app;

namespace {

// A small WKB writer for the tests.
struct Wkb {
    std::vector<unsigned char> bytes;
    bool little = true;
    void u8(unsigned char b) { bytes.push_back(b); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<unsigned char>(little ? v >> (8 * i) : v >> (8 * (3 - i))));
    }
    void f64(double d) {
        unsigned char b[8];
        std::memcpy(b, &d, 8);
        for (int i = 0; i < 8; ++i) bytes.push_back(little ? b[i] : b[7 - i]);
    }
    void header(std::uint32_t type) {
        u8(little ? 1 : 0);
        u32(type);
    }
    void ring(const std::vector<Vec2>& pts, bool close = true) {
        u32(static_cast<std::uint32_t>(pts.size() + (close ? 1 : 0)));
        for (auto p : pts) {
            f64(p.x);
            f64(p.y);
        }
        if (close) {
            f64(pts[0].x);
            f64(pts[0].y);
        }
    }
    void polygon(const std::vector<std::vector<Vec2>>& rings) {
        header(3);
        u32(static_cast<std::uint32_t>(rings.size()));
        for (const auto& r : rings) ring(r);
    }
};

const std::vector<Vec2> kSquareCw{{0, 0}, {0, 10}, {10, 10}, {10, 0}};       // clockwise
const std::vector<Vec2> kHoleCcw{{2, 2}, {8, 2}, {8, 8}, {2, 8}};            // counter-clockwise

double area2(const FlatGeometry& g, VertexRange r) { return ring_signed_area2(g.vertices.data() + r.first, r.count); }

} // namespace

TEST(WkbReader, PolygonWithHoleIsOrientedForNonZeroFill) {
    Wkb w;
    w.polygon({kSquareCw, kHoleCcw});
    FlatGeometry g;
    ASSERT_TRUE(append_wkb(w.bytes.data(), w.bytes.size(), g));
    ASSERT_EQ(g.rings.size(), 2u);
    EXPECT_EQ(g.rings[0].count, 4u);  // closing vertex dropped
    EXPECT_EQ(g.rings[1].first, 4u);
    EXPECT_GT(area2(g, g.rings[0]), 0);  // outer counter-clockwise
    EXPECT_LT(area2(g, g.rings[1]), 0);  // hole clockwise
    EXPECT_DOUBLE_EQ(area2(g, g.rings[0]) + area2(g, g.rings[1]), 2 * (100 - 36));
}

TEST(WkbReader, MultiPolygonBigEndianAndGeometryCollection) {
    Wkb w;
    w.little = false;
    w.header(6);
    w.u32(2);
    w.polygon({kSquareCw});
    w.polygon({{{20, 0}, {30, 0}, {30, 5}}});
    FlatGeometry g;
    ASSERT_TRUE(append_wkb(w.bytes.data(), w.bytes.size(), g));
    EXPECT_EQ(g.rings.size(), 2u);
    EXPECT_DOUBLE_EQ(g.vertices[4].x, 20);

    Wkb c;
    c.header(7);
    c.u32(2);
    c.header(1);
    c.f64(5);
    c.f64(6);
    c.header(2);
    c.ring({{0, 0}, {1, 1}, {2, 0}}, false);
    ASSERT_TRUE(append_wkb(c.bytes.data(), c.bytes.size(), g));
    ASSERT_EQ(g.points.size(), 1u);
    EXPECT_DOUBLE_EQ(g.points[0].y, 6);
    ASSERT_EQ(g.lines.size(), 1u);
    EXPECT_EQ(g.lines[0].count, 3u);  // lines keep every vertex
}

TEST(WkbReader, ExtraOrdinatesAreSkipped) {
    Wkb w;
    w.header(1003);  // ISO Polygon Z
    w.u32(1);
    w.u32(4);
    for (Vec2 p : {Vec2{0, 0}, Vec2{4, 0}, Vec2{4, 3}, Vec2{0, 0}}) {
        w.f64(p.x);
        w.f64(p.y);
        w.f64(99);
    }
    FlatGeometry g;
    ASSERT_TRUE(append_wkb(w.bytes.data(), w.bytes.size(), g));
    ASSERT_EQ(g.vertices.size(), 3u);
    EXPECT_DOUBLE_EQ(g.vertices[2].y, 3);
}

TEST(WkbReader, MalformedInputLeavesTheOutputAsItWas) {
    Wkb w;
    w.polygon({kSquareCw, kHoleCcw});
    FlatGeometry g;
    ASSERT_TRUE(append_wkb(w.bytes.data(), w.bytes.size(), g));
    const size_t vertices = g.vertices.size();
    for (size_t cut : {size_t(0), size_t(3), size_t(20), w.bytes.size() - 1}) {
        EXPECT_FALSE(append_wkb(w.bytes.data(), cut, g)) << cut;
        EXPECT_EQ(g.vertices.size(), vertices);
        EXPECT_EQ(g.rings.size(), 2u);
    }
    Wkb huge;  // a count far beyond the data must not allocate
    huge.header(2);
    huge.u32(0x7FFFFFFF);
    EXPECT_FALSE(append_wkb(huge.bytes.data(), huge.bytes.size(), g));
    Wkb bad;
    bad.header(42);
    EXPECT_FALSE(append_wkb(bad.bytes.data(), bad.bytes.size(), g));
    EXPECT_FALSE(append_wkb(nullptr, 0, g));
}

TEST(WkbReader, DegenerateRingsAndEmptyPointsAreDropped) {
    Wkb w;
    w.header(3);
    w.u32(1);
    w.ring({{0, 0}, {1, 1}});  // two distinct vertices: no area
    FlatGeometry g;
    ASSERT_TRUE(append_wkb(w.bytes.data(), w.bytes.size(), g));
    EXPECT_TRUE(g.rings.empty());
    EXPECT_TRUE(g.vertices.empty());
    Wkb p;
    p.header(1);
    p.f64(std::nan(""));
    p.f64(std::nan(""));
    ASSERT_TRUE(append_wkb(p.bytes.data(), p.bytes.size(), g));
    EXPECT_TRUE(g.points.empty());
}

// The viewer's opening reads the geometries in the store's own form (ProjectStore::
// for_each_stored_feature, SpatiaLite blobs) without WKB: it must give exactly what the WKB gives.
TEST(StoredGeometry, ReadsTheSameAsTheWkbOfTheStore) {
    // Its own folder, emptied first: a file left by an earlier run keeps its -wal beside it.
    const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "qingling_stored_geometry";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::filesystem::path path = dir / "stored_geometry.qingling";
    qingling::ProjectStore store = qingling::ProjectStore::create(path, {});
    Wkb hole;  // clockwise outer ring, counter-clockwise hole: both turn
    hole.polygon({kSquareCw, kHoleCcw});
    Wkb two;  // a multipolygon of two squares
    two.header(6);
    two.u32(2);
    two.polygon({{{20, 0}, {30, 0}, {30, 10}, {20, 10}}});
    two.polygon({{{40, 0}, {40, 10}, {50, 10}, {50, 0}}});
    {
        qingling::WriteTransaction tx(store);
        auto layer = store.create_layer(tx, "patches", "landuse", {}, qingling::GeometryKind::multipolygon);
        layer.add(1, {}, hole.bytes.data(), hole.bytes.size());
        layer.add(2, {}, two.bytes.data(), two.bytes.size());
        qingling::LayerInfo info;
        info.name = "patches";
        info.role = "landuse";
        layer.finish(info);
        tx.commit();
    }
    const qingling::LayerInfo info = *store.find_layer("patches");
    FlatGeometry from_wkb, from_stored;
    int features = 0;
    store.for_each_feature(info, {}, nullptr, [&](long long, const unsigned char* wkb, size_t size, const std::vector<std::string>&) {
        ASSERT_TRUE(append_wkb(wkb, size, from_wkb));
    });
    store.for_each_stored_feature(info, {}, [&](long long, const unsigned char* stored, size_t size, const std::vector<std::string>&) {
        ++features;
        ASSERT_TRUE(append_stored(stored, size, from_stored));
    });
    EXPECT_EQ(features, 2);
    ASSERT_EQ(from_stored.rings.size(), 4u) << "outer ring and hole, and the two parts";
    ASSERT_EQ(from_stored.vertices.size(), from_wkb.vertices.size());
    for (std::size_t i = 0; i < from_wkb.vertices.size(); ++i) {
        EXPECT_EQ(from_stored.vertices[i].x, from_wkb.vertices[i].x) << i;
        EXPECT_EQ(from_stored.vertices[i].y, from_wkb.vertices[i].y) << i;
    }
    for (std::size_t r = 0; r < from_wkb.rings.size(); ++r) {
        EXPECT_EQ(from_stored.rings[r].first, from_wkb.rings[r].first);
        EXPECT_EQ(from_stored.rings[r].count, from_wkb.rings[r].count);
    }
    EXPECT_GT(area2(from_stored, from_stored.rings[0]), 0) << "outer ring counter-clockwise";
    EXPECT_LT(area2(from_stored, from_stored.rings[1]), 0) << "hole clockwise";

    // Not a stored geometry: refused, nothing appended.
    const unsigned char junk[] = {0, 1, 2, 3, 4, 5, 6, 7};
    EXPECT_FALSE(append_stored(junk, sizeof junk, from_stored));
    EXPECT_EQ(from_stored.vertices.size(), from_wkb.vertices.size());
}
