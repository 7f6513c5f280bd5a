// What the viewer asks of its model without GL: finding features, point in polygon with holes,
// distances for distance findings, areas, label points, zooming to an extent, village names.
#include "app/map_query.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace qingling;
using namespace qingling::app;

namespace {

// Adds a polygon feature (outer ring, optional holes; as the WKB reader leaves them: outer
// counter-clockwise, holes clockwise, closing vertex dropped).
void add_polygon(MapLayer& layer, long long fid, const std::vector<std::vector<Vec2>>& rings) {
    MapFeature f;
    f.fid = fid;
    f.rings.first = static_cast<std::uint32_t>(layer.geometry.rings.size());
    for (const auto& ring : rings) {
        VertexRange r{static_cast<std::uint32_t>(layer.geometry.vertices.size()), static_cast<std::uint32_t>(ring.size())};
        for (Vec2 v : ring) {
            layer.geometry.vertices.push_back(v);
            f.extent.add(v.x, v.y);
        }
        layer.geometry.rings.push_back(r);
    }
    f.rings.count = static_cast<std::uint32_t>(rings.size());
    layer.extent.add(f.extent);
    layer.features.push_back(f);
}

void add_point(MapLayer& layer, long long fid, Vec2 p) {
    MapFeature f;
    f.fid = fid;
    f.points = {static_cast<std::uint32_t>(layer.geometry.points.size()), 1};
    layer.geometry.points.push_back(p);
    f.extent.add(p.x, p.y);
    layer.extent.add(f.extent);
    layer.features.push_back(f);
}

const std::vector<Vec2> kSquare{{0, 0}, {100, 0}, {100, 100}, {0, 100}};
const std::vector<Vec2> kHole{{25, 25}, {25, 75}, {75, 75}, {75, 25}};  // clockwise
// An L: the notch (60..100, 40..100) is outside.
const std::vector<Vec2> kL{{0, 0}, {100, 0}, {100, 40}, {60, 40}, {60, 100}, {0, 100}};

MapModel model_with_layers() {
    MapModel m;
    MapLayer patches;
    patches.info.name = "DLTB";
    patches.info.role = "landuse";
    add_polygon(patches, 3, {kSquare, kHole});
    std::vector<Vec2> l;
    for (Vec2 v : kL) l.push_back({v.x + 200, v.y});
    add_polygon(patches, 7, {l});
    m.layers.push_back(std::move(patches));
    MapLayer sites;
    sites.info.name = "环境敏感点";
    sites.info.role = "sensitive";
    add_point(sites, 1, {500, 0});
    add_point(sites, 4, {500, 300});
    m.layers.push_back(std::move(sites));
    MapLayer villages;
    villages.info.name = "村界";
    villages.info.role = "village";
    add_polygon(villages, 1, {{{-10, -10}, {150, -10}, {150, 150}, {-10, 150}}});
    m.layers.push_back(std::move(villages));
    m.villages.push_back({"石桥村", 2, 0, m.layers[2].features[0].extent, {70, 70}});
    return m;
}

} // namespace

TEST(MapQuery, FindsLayersAndFeaturesByNameAndFid) {
    const MapModel m = model_with_layers();
    EXPECT_EQ(layer_index(m, "环境敏感点"), 1);
    EXPECT_EQ(layer_index(m, "nope"), -1);
    const FeatureRef r = find_feature(m, "DLTB", 7);
    ASSERT_TRUE(r.valid());
    EXPECT_EQ(r.layer, 0);
    EXPECT_EQ(r.feature, 1);
    EXPECT_EQ(feature_of(m, r).fid, 7);
    EXPECT_FALSE(find_feature(m, "DLTB", 5).valid());
    EXPECT_FALSE(find_feature(m, "nope", 3).valid());
}

TEST(MapQuery, PointInPolygonRespectsHolesAndConcavity) {
    const MapModel m = model_with_layers();
    const MapLayer& l = m.layers[0];
    EXPECT_TRUE(feature_contains(l, l.features[0], {10, 10}));
    EXPECT_FALSE(feature_contains(l, l.features[0], {50, 50}));  // in the hole
    EXPECT_FALSE(feature_contains(l, l.features[0], {150, 50}));
    EXPECT_TRUE(feature_contains(l, l.features[1], {220, 80}));
    EXPECT_FALSE(feature_contains(l, l.features[1], {280, 80}));  // in the notch
}

TEST(MapQuery, DistanceAndNearestPoint) {
    const MapModel m = model_with_layers();
    const MapLayer& l = m.layers[0];
    Vec2 nearest;
    EXPECT_DOUBLE_EQ(distance_to_feature(l, l.features[0], {10, 10}, &nearest), 0);
    EXPECT_DOUBLE_EQ(distance_to_feature(l, l.features[0], {50, 50}, &nearest), 25);  // hole: to its edge
    EXPECT_DOUBLE_EQ(distance_to_feature(l, l.features[0], {130, 50}, &nearest), 30);
    EXPECT_DOUBLE_EQ(nearest.x, 100);
    EXPECT_DOUBLE_EQ(nearest.y, 50);
    const MapLayer& sites = m.layers[1];
    EXPECT_DOUBLE_EQ(distance_to_feature(sites, sites.features[0], {500, 40}, &nearest), 40);
    EXPECT_DOUBLE_EQ(nearest.y, 0);
}

TEST(MapQuery, AreaSubtractsHoles) {
    const MapModel m = model_with_layers();
    EXPECT_DOUBLE_EQ(feature_area(m.layers[0], m.layers[0].features[0]), 100 * 100 - 50 * 50);
    EXPECT_DOUBLE_EQ(feature_area(m.layers[0], m.layers[0].features[1]), 100 * 40 + 60 * 60);
    EXPECT_DOUBLE_EQ(feature_area(m.layers[1], m.layers[1].features[0]), 0);
}

TEST(MapQuery, LabelPointIsInsideEvenForHolesAndLShapes) {
    const MapModel m = model_with_layers();
    for (const MapFeature& f : m.layers[0].features) {
        const Vec2 p = label_point(m.layers[0], f);
        EXPECT_TRUE(feature_contains(m.layers[0], f, p)) << f.fid << " at " << p.x << ", " << p.y;
    }
}

TEST(MapQuery, FindingHighlightsNameTheFeatureAndDrawTheDistanceLine) {
    const MapModel m = model_with_layers();
    EnterpriseItem e;
    e.has_point = true;
    e.position = {500, 163};
    Verdict v;
    Finding farmland;
    farmland.layer = "DLTB";
    farmland.feature_id = 7;
    Finding ledger_rule;  // no layer: nothing on the map
    ledger_rule.rule = "permits";
    Finding near;
    near.layer = "环境敏感点";
    near.feature_id = 4;
    near.unit = "m";
    near.measure = 137;
    Finding missing;
    missing.layer = "DLTB";
    missing.feature_id = 999;
    v.findings = {farmland, ledger_rule, near, missing};
    e.verdict = v;
    const auto hs = finding_highlights(m, e);
    ASSERT_EQ(hs.size(), 2u);
    EXPECT_EQ(hs[0].finding, 0);
    EXPECT_EQ(hs[0].feature, (FeatureRef{0, 1}));
    EXPECT_FALSE(hs[0].has_line);
    EXPECT_EQ(hs[1].finding, 2);
    EXPECT_TRUE(hs[1].has_line);
    EXPECT_DOUBLE_EQ(hs[1].length, 137);
    EXPECT_DOUBLE_EQ(hs[1].to.y, 300);
    // A click on the distance finding shows the enterprise and the site.
    const Extent x = finding_extent(m, e, hs[1]);
    EXPECT_DOUBLE_EQ(x.miny, 163);
    EXPECT_DOUBLE_EQ(x.maxy, 300);
    const Extent p = finding_extent(m, e, hs[0]);
    EXPECT_DOUBLE_EQ(p.minx, 200);
    EXPECT_DOUBLE_EQ(p.maxx, 300);
}

TEST(MapQuery, ZoomToExtentFitsItWithAMarginButNotCloserThanAQuarterMetre) {
    Camera c(400, 300, {0, 0}, 10);
    Extent e;
    e.add(1000, 2000);
    e.add(1304, 2102);
    zoom_camera_to(c, e, 1.0, 48);
    EXPECT_DOUBLE_EQ(c.center().x, 1152);
    EXPECT_DOUBLE_EQ(c.resolution(), 1.0);  // 304 m across 304 free pixels
    Extent tiny;
    tiny.add(0, 0);
    tiny.add(1, 1);
    zoom_camera_to(c, tiny, 1.0);
    EXPECT_DOUBLE_EQ(c.resolution(), 0.25);
    Extent point;
    point.add(5, 5);
    zoom_camera_to(c, point, 1.0);
    EXPECT_DOUBLE_EQ(c.resolution(), 0.25);
    EXPECT_DOUBLE_EQ(c.center().x, 5);
}

TEST(MapQuery, VillagesByPointAndName) {
    const MapModel m = model_with_layers();
    EXPECT_EQ(village_at(m, {10, 10}), "石桥村");
    EXPECT_EQ(village_at(m, {400, 10}), "");
    EXPECT_EQ(village_index(m, "石桥村"), 0);
    EXPECT_EQ(village_index(m, "东湖村"), -1);
    EXPECT_EQ(village_name_field({"BSM", "ZLDWDM", "ZLDWMC", "DCMJ"}), "ZLDWMC");
    EXPECT_EQ(village_name_field({"fid", "name"}), "name");
    EXPECT_EQ(village_name_field({"BSM", "DCMJ"}), "");
}
