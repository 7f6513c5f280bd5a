// What a land officer sees in `qingling PROJECT --screenshot`: the picture is checked pixel by pixel
// against the project read independently (OGR/GEOS, not the viewer's own WKB reader), with the
// camera recomputed from the jurisdiction's extent. Run by CTest after the fixtures rendered the
// demo subdistrict (QINGLING_APP_WORK holds demo.qingling, shot.png/view.json and
// shot_select.png/view_select.json).
#include "app/camera.hpp"
#include "app/map_renderer.hpp"
#include "app/style.hpp"
#include "core/basemap.hpp"
#include "core/gdal_handles.hpp"
#include "core/campaign_summary.hpp"
#include "core/campaign_workflow.hpp"
#include "core/project_store.hpp"
#include "core/resources.hpp"
#include "core/verdict.hpp"

#include <geos_c.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogr_geometry.h>
#include "shot_test_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace qingling;
using namespace qingling::app;
using nlohmann::json;

namespace {

using test::close_to;
using test::Image;
using test::load_json;
using test::load_png;
using test::work_dir;

std::string str(Rgba c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

struct MapRect {
    double x0, y0, x1, y1;
};
MapRect map_rect(const json& view) {
    const auto& r = view.at("map_rect");
    return {r[0].get<double>(), r[1].get<double>(), r[2].get<double>(), r[3].get<double>()};
}

// The envelope of the jurisdiction layer(s), read with OGR.
// Adds the envelope of a WKB geometry (parsed by OGR) to e.
void add_envelope(Extent& e, const unsigned char* wkb, size_t size) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size) != OGRERR_NONE || !g) return;
    OGREnvelope env;
    g->getEnvelope(&env);
    e.add(env.MinX, env.MinY);
    e.add(env.MaxX, env.MaxY);
    OGRGeometryFactory::destroyGeometry(g);
}

// The colour of an enterprise symbol in the view dump.
Rgba symbol_colour(const json& e) {
    return {e["colour"][0].get<std::uint8_t>(), e["colour"][1].get<std::uint8_t>(), e["colour"][2].get<std::uint8_t>(), 255};
}

// No other symbol of the dump within `px` pixels of this one.
bool isolated(const json& all, const json& e, double px) {
    const double x = e["screen"][0].get<double>(), y = e["screen"][1].get<double>();
    for (const auto& o : all)
        if (&o != &e && std::hypot(o["screen"][0].get<double>() - x, o["screen"][1].get<double>() - y) < px) return false;
    return true;
}

Extent jurisdiction_extent(const ProjectStore& store) {
    Extent e;
    for (const LayerInfo& layer : store.layers_with_role("jurisdiction"))
        store.for_each_geometry(layer, [&](long long, const unsigned char* wkb, size_t size) { add_envelope(e, wkb, size); });
    return e;
}

// The camera the default view must have: the jurisdiction fitted into the map rectangle.
Camera expected_home_camera(const ProjectStore& store, const MapRect& r) {
    Camera c(static_cast<int>(std::lround(r.x1 - r.x0)), static_cast<int>(std::lround(r.y1 - r.y0)), {0, 0}, 1);
    c.fit(jurisdiction_extent(store), kHomeMarginPx);
    return c;
}

Camera camera_of(const json& view) {
    const auto& c = view.at("camera");
    return Camera(c.at("viewport")[0].get<int>(), c.at("viewport")[1].get<int>(),
                  {c.at("center")[0].get<double>(), c.at("center")[1].get<double>()}, c.at("resolution").get<double>());
}

// What the map must show for each enterprise, from the store: confirmed category, else the latest
// run's suggestion, else "no category".
std::map<long long, Mark> expected_marks(const ProjectStore& store) {
    std::map<long long, Mark> marks;
    const auto run = store.latest_check_run();
    if (!run) return marks;
    const auto confirmations = store.confirmations();
    auto to_mark = [](Category c) {
        switch (c) {
        case Category::close: return Mark::close;
        case Category::rectify: return Mark::rectify;
        case Category::relocate: return Mark::relocate;
        }
        return Mark::unchecked;
    };
    for (const Verdict& v : store.verdicts(run->id)) {
        if (auto it = confirmations.find(v.enterprise_id); it != confirmations.end()) marks[v.enterprise_id] = to_mark(it->second.category);
        else marks[v.enterprise_id] = v.suggested ? to_mark(*v.suggested) : Mark::ok;
    }
    return marks;
}

struct Located {
    long long id;
    Vec2 world;
};
std::vector<Located> located_enterprises(const ProjectStore& store) {
    std::vector<Located> out;
    for (const LedgerRecord& r : store.ledger())
        if (r.x && r.y) out.push_back({r.id, {*r.x, *r.y}});
    return out;
}

// The order the map draws enterprise symbols in: categories bottom to top, then ledger order.
long long draw_rank(Mark m, long long id) {
    int level = 0;
    switch (m) {
    case Mark::unchecked: level = 0; break;
    case Mark::ok: level = 1; break;
    case Mark::rectify: level = 2; break;
    case Mark::relocate: level = 3; break;
    case Mark::close: level = 4; break;
    }
    return level * 1000000000LL + id;
}

double distance(Vec2 a, Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Pixels clear of the scale bar (bottom left), the north arrow (top right) and the map's edges.
bool in_clear_map_area(Vec2 p, const MapRect& r) {
    return p.x >= r.x0 + 30 && p.x <= r.x1 - 30 && p.y >= r.y0 + 70 && p.y <= r.y1 - 50;
}

// Whether a screen point is within `margin` pixels of a label the view dump lists.
bool under_label(const json& view, Vec2 s, double margin) {
    if (!view.contains("labels")) return false;
    for (const auto& l : view.at("labels")) {
        const auto& r = l.at("rect");
        if (s.x >= r[0].get<double>() - margin && s.x <= r[2].get<double>() + margin && s.y >= r[1].get<double>() - margin &&
            s.y <= r[3].get<double>() + margin)
            return true;
    }
    return false;
}

class Screenshot : public ::testing::Test {
protected:
    void SetUp() override {
        const auto dir = work_dir();
        store_ = std::make_unique<ProjectStore>(ProjectStore::open(dir / "demo.qingling", ProjectStore::Access::read_only));
        shot_ = load_png(dir / "shot.png");
        ASSERT_GT(shot_.width, 0) << "cannot read " << (dir / "shot.png");
        view_ = load_json(dir / "view.json");
        rect_ = map_rect(view_);
    }
    std::unique_ptr<ProjectStore> store_;
    Image shot_;
    json view_;
    MapRect rect_{};
};

} // namespace

TEST_F(Screenshot, HasTheRequestedSizeAndTheMapBetweenThePanels) {
    EXPECT_EQ(shot_.width, 1280);
    EXPECT_EQ(shot_.height, 800);
    EXPECT_GT(rect_.x0, 150);  // the layers panel is on the left
    EXPECT_LT(rect_.x1, 1280 - 250);  // the ledger on the right
    EXPECT_GT(rect_.x1 - rect_.x0, 400);
}

TEST_F(Screenshot, DefaultViewIsTheWholeJurisdiction) {
    const Camera expected = expected_home_camera(*store_, rect_);
    const Camera shown = camera_of(view_);
    EXPECT_EQ(shown.width(), expected.width());
    EXPECT_EQ(shown.height(), expected.height());
    EXPECT_NEAR(shown.center().x, expected.center().x, 1e-6);
    EXPECT_NEAR(shown.center().y, expected.center().y, 1e-6);
    EXPECT_NEAR(shown.resolution(), expected.resolution(), 1e-9);
    // Every corner of the jurisdiction's envelope is on the map.
    const Extent j = jurisdiction_extent(*store_);
    for (Vec2 corner : {Vec2{j.minx, j.miny}, Vec2{j.maxx, j.maxy}}) {
        const Vec2 s = expected.world_to_screen(corner);
        EXPECT_GE(s.x, 0);
        EXPECT_LE(s.x, expected.width());
        EXPECT_GE(s.y, 0);
        EXPECT_LE(s.y, expected.height());
    }
}

TEST_F(Screenshot, EnterpriseSymbolsShowTheirCategoryColour) {
    const Camera camera = expected_home_camera(*store_, rect_);
    const auto marks = expected_marks(*store_);
    ASSERT_FALSE(marks.empty()) << "the fixture should have run the check";
    const auto located = located_enterprises(*store_);
    std::map<Mark, int> checked;
    int failures = 0;
    for (const Located& e : located) {
        const Vec2 local = camera.world_to_screen(e.world);
        const Vec2 s{rect_.x0 + local.x, rect_.y0 + local.y};
        if (!in_clear_map_area(s, rect_)) continue;
        // Skip symbols whose centre another symbol drawn later covers (依法关闭 is drawn on top,
        // then 限期搬迁, 整改规范, 无需分类; within a category in ledger order).
        const Mark mark = marks.at(e.id);
        bool covered = false;
        for (const Located& o : located)
            if (o.id != e.id && draw_rank(marks.at(o.id), o.id) > draw_rank(mark, e.id) &&
                distance(camera.world_to_screen(o.world), local) < 8)
                covered = true;
        if (covered) continue;
        const Rgba want = mark_colour(mark);
        const Rgba got = shot_.at(s.x, s.y);
        if (!close_to(got, want, 6)) {
            ++failures;
            ADD_FAILURE() << "enterprise " << e.id << " at (" << s.x << ", " << s.y << ") is " << str(got) << ", expected "
                          << mark_label_zh(mark) << " " << str(want);
        }
        ++checked[mark];
    }
    EXPECT_EQ(failures, 0);
    for (Mark m : {Mark::close, Mark::rectify, Mark::relocate, Mark::ok})
        EXPECT_GE(checked[m], 1) << "no isolated enterprise of " << mark_label_zh(m) << " to check";
    int total = 0;
    for (auto& [m, n] : checked) total += n;
    EXPECT_GE(total, 40);
    std::cout << "checked " << total << " enterprise symbols:";
    for (auto& [m, n] : checked) std::cout << ' ' << mark_label_zh(m) << ' ' << n;
    std::cout << '\n';
    // The view dump agrees with the camera recomputed here.
    for (const auto& d : view_.at("enterprises")) {
        const long long id = d.at("id").get<long long>();
        const Vec2 w{d.at("world")[0].get<double>(), d.at("world")[1].get<double>()};
        const Vec2 local = camera.world_to_screen(w);
        EXPECT_NEAR(d.at("screen")[0].get<double>(), rect_.x0 + local.x, 1e-6) << id;
        EXPECT_NEAR(d.at("screen")[1].get<double>(), rect_.y0 + local.y, 1e-6) << id;
    }
}

TEST_F(Screenshot, FarmlandPatchesAreFarmlandYellow) {
    const Camera camera = expected_home_camera(*store_, rect_);
    const auto landuse = store_->layers_with_role("landuse");
    ASSERT_FALSE(landuse.empty());
    const LayerInfo& dltb = landuse.front();
    ASSERT_FALSE(dltb.code_field.empty());

    GEOSContextHandle_t h = GEOS_init_r();
    GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
    auto read = [&](const unsigned char* wkb, size_t size) { return GEOSWKBReader_read_r(h, reader, wkb, size); };

    // Farmland (01xx) patches, largest first, and every other patch in an STRtree: at this scale
    // patch outlines are not drawn, so a point well inside farmland, far from any other class, must
    // show the farmland colour.
    std::vector<std::pair<double, GEOSGeometry*>> farmland;
    std::vector<GEOSGeometry*> other_classes;
    GEOSSTRtree* tree = GEOSSTRtree_create_r(h, 10);
    store_->for_each_feature(dltb, {dltb.code_field}, nullptr,
                             [&](long long, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
        GEOSGeometry* g = read(wkb, size);
        if (!g) return;
        if (v[0].rfind("01", 0) == 0) {
            double area = 0;
            GEOSArea_r(h, g, &area);
            farmland.emplace_back(area, g);
        } else {
            other_classes.push_back(g);
            GEOSSTRtree_insert_r(h, tree, g, g);
        }
    });
    ASSERT_FALSE(farmland.empty());
    std::sort(farmland.begin(), farmland.end(), [](auto& a, auto& b) { return a.first > b.first; });

    // Everything else drawn on the map: outlines of other layers and point symbols.
    std::vector<GEOSGeometry*> others;
    for (const LayerInfo& layer : store_->layers()) {
        if (layer.role == "landuse") continue;
        store_->for_each_geometry(layer, [&](long long, const unsigned char* wkb, size_t size) {
            GEOSGeometry* g = read(wkb, size);
            if (!g) return;
            if (GEOSGeomTypeId_r(h, g) == GEOS_POINT || GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOINT) {
                others.push_back(g);
            } else {
                others.push_back(GEOSBoundary_r(h, g));
                GEOSGeom_destroy_r(h, g);
            }
        });
    }
    const auto located = located_enterprises(*store_);
    const Rgba want = LandClassStyler::load(layers_dir()).group_of("sandiao", "0101").colour;
    const double res = camera.resolution();

    int checked = 0;
    for (size_t i = 0; i < farmland.size() && i < 400 && checked < 5; ++i) {
        GEOSGeometry* line = GEOSMaximumInscribedCircle_r(h, farmland[i].second, res / 8);
        if (!line) continue;
        GEOSGeometry* centre = GEOSGeomGetStartPoint_r(h, line);
        GEOSGeom_destroy_r(h, line);
        double cx = 0, cy = 0;
        GEOSGeomGetX_r(h, centre, &cx);
        GEOSGeomGetY_r(h, centre, &cy);
        bool clear = true;
        double d = 0;
        if (const void* nearest = GEOSSTRtree_nearest_r(h, tree, centre);
            nearest && GEOSDistance_r(h, centre, static_cast<const GEOSGeometry*>(nearest), &d) && d / res < 4)
            clear = false;
        for (const GEOSGeometry* o : others)
            if (clear && GEOSDistance_r(h, centre, o, &d) && d / res < 9) clear = false;
        GEOSGeom_destroy_r(h, centre);
        const Vec2 local = camera.world_to_screen({cx, cy});
        for (const Located& e : located)
            if (distance(camera.world_to_screen(e.world), local) < 12) clear = false;
        const Vec2 s{rect_.x0 + local.x, rect_.y0 + local.y};
        if (!clear || !in_clear_map_area(s, rect_) || under_label(view_, s, 3)) continue;
        const Rgba got = shot_.at(s.x, s.y);
        EXPECT_TRUE(close_to(got, want, 6)) << "farmland at (" << cx << ", " << cy << "), pixel (" << s.x << ", " << s.y
                                            << ") is " << str(got) << ", expected " << str(want);
        ++checked;
    }
    EXPECT_GE(checked, 1) << "no farmland patch large and clear enough to check";
    std::cout << "checked " << checked << " points inside farmland\n";
    GEOSSTRtree_destroy_r(h, tree);
    for (auto& [a, g] : farmland) GEOSGeom_destroy_r(h, g);
    for (GEOSGeometry* g : other_classes) GEOSGeom_destroy_r(h, g);
    for (GEOSGeometry* g : others) GEOSGeom_destroy_r(h, g);
    GEOSWKBReader_destroy_r(h, reader);
    GEOS_finish_r(h);
}

TEST_F(Screenshot, LegendShowsTheCategoriesAndLandClasses) {
    std::map<std::string, json> legend;
    for (const auto& s : view_.at("legend")) legend[s.at("label").get<std::string>()] = s;
    std::vector<std::string> required = {"依法关闭", "整改规范", "限期搬迁", "无需分类", "01 耕地", "03 林地",
                                         "07 住宅用地", "11 水域及水利设施用地", "青岭街道行政区界", "永久基本农田"};
    for (const std::string& label : required) {
        ASSERT_TRUE(legend.count(label)) << "legend lacks " << label;
        const json& s = legend[label];
        const double x0 = s.at("rect")[0], y0 = s.at("rect")[1], x1 = s.at("rect")[2], y1 = s.at("rect")[3];
        EXPECT_LT(x1, rect_.x0) << label << " is not in the panel left of the map";
        EXPECT_GE(x1 - x0, 8) << label;
        const Rgba want{s.at("colour")[0].get<std::uint8_t>(), s.at("colour")[1].get<std::uint8_t>(),
                        s.at("colour")[2].get<std::uint8_t>(), 255};
        // Fill swatches and symbols show their colour in the middle; outline swatches on their border.
        bool found = false;
        for (double y = y0 + 1; y < y1 - 1 && !found; y += 1)
            for (double x = x0 + 1; x < x1 - 1 && !found; x += 1)
                if (close_to(shot_.at(x, y), want, 8)) found = true;
        EXPECT_TRUE(found) << label << " swatch does not show " << str(want);
    }
    // Category symbols in the legend use the map's colours.
    EXPECT_TRUE(close_to(shot_.at((legend["依法关闭"].at("rect")[0].get<double>() + legend["依法关闭"].at("rect")[2].get<double>()) / 2,
                                  (legend["依法关闭"].at("rect")[1].get<double>() + legend["依法关闭"].at("rect")[3].get<double>()) / 2),
                         mark_colour(Mark::close), 6));
    // The legend panel is not map background: it has many different colours.
    std::set<std::tuple<int, int, int>> colours;
    for (int y = 0; y < shot_.height; y += 2)
        for (int x = 0; x < static_cast<int>(rect_.x0) - 2; x += 2) {
            const Rgba c = shot_.at(x, y);
            colours.insert({c.r / 8, c.g / 8, c.b / 8});
        }
    EXPECT_GE(colours.size(), 20u);
}

TEST(ScreenshotSelect, SelectedEnterpriseIsCentredAndRinged) {
    const auto dir = work_dir();
    const ProjectStore store = ProjectStore::open(dir / "demo.qingling", ProjectStore::Access::read_only);
    const Image shot = load_png(dir / "shot_select.png");
    ASSERT_GT(shot.width, 0);
    const json view = load_json(dir / "view_select.json");
    ASSERT_FALSE(view.at("selected").is_null());
    const long long id = view.at("selected").get<long long>();
    const MapRect r = map_rect(view);
    const Camera camera = camera_of(view);
    Vec2 world{};
    for (const Located& e : located_enterprises(store))
        if (e.id == id) world = e.world;
    // Centred on the enterprise, at the home view's resolution.
    EXPECT_NEAR(camera.center().x, world.x, 1e-6);
    EXPECT_NEAR(camera.center().y, world.y, 1e-6);
    EXPECT_NEAR(camera.resolution(), expected_home_camera(store, r).resolution(), 1e-9);
    const double cx = r.x0 + camera.width() / 2.0, cy = r.y0 + camera.height() / 2.0;
    const Rgba want = mark_colour(expected_marks(store).at(id));
    EXPECT_TRUE(close_to(shot.at(cx, cy), want, 6)) << "centre is " << str(shot.at(cx, cy)) << ", expected " << str(want);
    // The selection ring around it, left and right.
    for (double dx : {-11.0, 11.0})
        EXPECT_TRUE(close_to(shot.at(cx + dx, cy), kSelectionColour, 30))
            << "ring at dx " << dx << " is " << str(shot.at(cx + dx, cy));
}

// The polygon fill (stencil-then-cover, non-zero winding) on hand-made shapes: a square with a hole
// and an island in the hole, a multipolygon of two squares, a concave L. The GeoJSON's rings are
// deliberately oriented wrongly (hole like the outer ring, multipolygon clockwise).
TEST(ScreenshotShapes, HolesIslandsMultipolygonsAndConcavePolygonsFillCorrectly) {
    const auto dir = work_dir();
    const Image shot = load_png(dir / "shapes.png");
    ASSERT_GT(shot.width, 0);
    const json view = load_json(dir / "shapes.json");
    const MapRect r = map_rect(view);
    const ProjectStore store = ProjectStore::open(dir / "shapes.qingling", ProjectStore::Access::read_only);
    const Camera camera = camera_of(view);
    const Camera home = expected_home_camera(store, r);
    EXPECT_NEAR(camera.resolution(), home.resolution(), 1e-9);
    EXPECT_NEAR(camera.center().x, home.center().x, 1e-6);

    const LandClassStyler styler = LandClassStyler::load(layers_dir());
    const Rgba farmland = styler.group_of("sandiao", "0101").colour;
    const Rgba forest = styler.group_of("sandiao", "0301").colour;
    const Rgba water = styler.group_of("sandiao", "1101").colour;
    struct Probe {
        const char* what;
        Vec2 world;
        Rgba colour;
    };
    const Probe probes[] = {
        {"square ring", {528300, 3386300}, farmland},
        {"square ring, far corner", {528900, 3386900}, farmland},
        {"hole", {528450, 3386450}, kMapBackground},
        {"hole, other corner", {528750, 3386750}, kMapBackground},
        {"island in the hole", {528600, 3386600}, water},
        {"multipolygon part 1", {529350, 3387350}, forest},
        {"multipolygon part 2", {529750, 3387350}, forest},
        {"between the parts", {529550, 3387350}, kMapBackground},
        {"L foot", {529800, 3386300}, farmland},
        {"L stem", {529300, 3386800}, farmland},
        {"L notch (concave side)", {529750, 3386750}, kMapBackground},
        {"outside every patch", {528100, 3387800}, kMapBackground},
    };
    for (const Probe& p : probes) {
        const Vec2 local = camera.world_to_screen(p.world);
        const Rgba got = shot.at(r.x0 + local.x, r.y0 + local.y);
        EXPECT_TRUE(close_to(got, p.colour, 6)) << p.what << ": " << str(got) << ", expected " << str(p.colour);
    }
    // Zoomed in this far the fill comes from GLU's triangles (app/fill_triangles), not the stencil:
    // the probes above are what the triangles drew.
    const json& draw = view.at("draw");
    EXPECT_GT(draw.at("tiles").get<int>(), 0);
    EXPECT_EQ(draw.at("tiles_triangulated"), draw.at("tiles"));
    EXPECT_EQ(draw.at("tiles_pending"), 0);
}

// The patch outlines (hairlines, layers/styles.toml's landuse outline) zoomed in, where the
// triangulated fill draws them itself (polygon_fill.frag's EDGES): along a row across
// tests/app/data/shapes_landuse.geojson's patches A | B (one class) | C (another class), each shared
// side shows one line of the outline colour, a pixel wide in all, split between the two patches;
// the outer side of A shows the part inside A (half a line to a whole one, as the side falls on
// the pixels); the patches away from their sides keep their colour.
TEST(ScreenshotShapes, PatchOutlinesAreOnePixelLinesOnEverySide) {
    const auto dir = work_dir();
    const Image shot = load_png(dir / "shapes.png");
    ASSERT_GT(shot.width, 0);
    const json view = load_json(dir / "shapes.json");
    EXPECT_EQ(view.at("draw").at("tiles_triangulated"), view.at("draw").at("tiles"));
    const MapRect r = map_rect(view);
    const Camera camera = camera_of(view);
    const LandClassStyler styler = LandClassStyler::load(layers_dir());
    const Rgba dry = styler.group_of("sandiao", "0103").colour, forest = styler.group_of("sandiao", "0301").colour;
    const LayerStyle landuse = RoleStyles::load(layers_dir() / "styles.toml").style("landuse");
    ASSERT_LE(landuse.outline_px, 1.0f);
    // The outline's strength: its alpha, lighter for an outline thinner than a pixel.
    const double strength = landuse.outline.a / 255.0 * landuse.outline_px;
    // How far a pixel went from its patch colour towards the outline colour (0: not at all).
    auto towards_outline = [&](Rgba got, Rgba fill) {
        double sum = 0;
        int channels = 0;
        for (auto [g, f, o] : {std::tuple{got.r, fill.r, landuse.outline.r}, std::tuple{got.g, fill.g, landuse.outline.g},
                               std::tuple{got.b, fill.b, landuse.outline.b}}) {
            if (std::abs(o - f) < 40) continue;
            sum += static_cast<double>(g - f) / (o - f);
            ++channels;
        }
        return channels ? sum / channels : 0.0;
    };
    const int y = static_cast<int>(std::lround(r.y0 + camera.world_to_screen({528500, 3387350}).y));
    auto column = [&](double x_world) { return r.x0 + camera.world_to_screen({x_world, 3387350}).x; };
    struct Side {
        const char* what;
        double x;
        Rgba west, east;  // the patch colours on either side (the background outside A)
        double least, most;  // how much of a one-pixel line the side should show
    };
    for (const Side& side : {Side{"A's outer side", 528200, kMapBackground, dry, 0.5, 1.0},
                             Side{"A | B", 528400, dry, dry, 1.0, 1.0}, Side{"B | C", 528600, dry, forest, 1.0, 1.0}}) {
        const double edge = column(side.x);
        double line = 0;
        for (int x = static_cast<int>(std::floor(edge)) - 3; x <= static_cast<int>(std::ceil(edge)) + 3; ++x) {
            // Pixel x covers [x, x + 1): its centre is west or east of the side.
            const bool west = x + 0.5 < edge;
            const Rgba fill = west ? side.west : side.east;
            const Rgba got = shot.at(x, y);
            const double t = close_to(fill, kMapBackground, 0) ? 0.0 : towards_outline(got, fill);
            if (std::abs(x + 0.5 - edge) > 1.0) {
                EXPECT_TRUE(close_to(got, fill, 3)) << side.what << ": pixel " << x << " is " << str(got) << ", away from the side";
            } else {
                EXPECT_GE(t, -0.02) << side.what << ": pixel " << x;
                line += t;
            }
        }
        EXPECT_GE(line / strength, side.least - 0.25) << side.what << ": the line's weight across the side";
        EXPECT_LE(line / strength, side.most + 0.25) << side.what << ": the line's weight across the side";
    }
}

// tests/app/data/shapes_zone.geojson: a 永久基本农田 zone over empty ground, hatched "diagonal"
// (layers/styles.toml): along a row, stripes of the hatch colour every spacing × √2 pixels, the
// background between them.
TEST(ScreenshotShapes, ZonesAreHatched) {
    const auto dir = work_dir();
    const Image shot = load_png(dir / "shapes.png");
    ASSERT_GT(shot.width, 0);
    const json view = load_json(dir / "shapes.json");
    const MapRect r = map_rect(view);
    const Camera camera = camera_of(view);
    const LayerStyle zone = RoleStyles::load(layers_dir() / "styles.toml").style("farmland");
    ASSERT_EQ(zone.hatch, Hatch::diagonal);
    // The stripe colour over the background, as blending gives it.
    auto over = [](Rgba top, Rgba under) {
        const double a = top.a / 255.0;
        auto mix = [&](int t, int u) { return static_cast<std::uint8_t>(std::lround(t * a + u * (1 - a))); };
        return rgb((mix(top.r, under.r) << 16) | (mix(top.g, under.g) << 8) | mix(top.b, under.b));
    };
    const Rgba stripe = over(zone.hatch_colour, kMapBackground);
    // A row through the middle of the zone, inside its outline.
    const Vec2 left = camera.world_to_screen({528400, 3387775}), right = camera.world_to_screen({529000, 3387775});
    const int y = static_cast<int>(std::lround(r.y0 + left.y));
    std::vector<int> stripe_starts;
    int background = 0, striped = 0;
    bool previous = false;
    for (int x = static_cast<int>(r.x0 + left.x); x < static_cast<int>(r.x0 + right.x); ++x) {
        const Rgba got = shot.at(x, y);
        const bool on = close_to(got, stripe, 8);
        if (on) ++striped;
        else if (close_to(got, kMapBackground, 3)) ++background;
        else ADD_FAILURE() << "pixel " << x << "," << y << " is " << str(got) << ": neither stripe nor background";
        if (on && !previous) stripe_starts.push_back(x);
        previous = on;
    }
    ASSERT_GE(stripe_starts.size(), 5u);
    const double period = zone.hatch_spacing_px * std::sqrt(2.0);
    for (std::size_t i = 1; i < stripe_starts.size(); ++i)
        EXPECT_NEAR(stripe_starts[i] - stripe_starts[i - 1], period, 1.01) << "stripe " << i;
    // Stripes take width/spacing of the row; the land (here the background) shows in the rest.
    const double share = static_cast<double>(striped) / (striped + background);
    EXPECT_NEAR(share, zone.hatch_width_px / zone.hatch_spacing_px, 0.06);
}

// The script of tests/app/data/shapes_layers.script: the land-use layer at half opacity, then
// hidden, then the view at a given centre and width.
TEST(ScreenshotShapes, ScriptedLayerOpacityVisibilityAndView) {
    const auto dir = work_dir();
    const LandClassStyler styler = LandClassStyler::load(layers_dir());
    const Rgba farmland = styler.group_of("sandiao", "0101").colour;
    const Rgba forest = styler.group_of("sandiao", "0301").colour;
    auto half = [](Rgba a, Rgba b) {
        return Rgba{static_cast<std::uint8_t>((a.r + b.r + 1) / 2), static_cast<std::uint8_t>((a.g + b.g + 1) / 2),
                    static_cast<std::uint8_t>((a.b + b.b + 1) / 2), 255};
    };
    struct Case {
        const char* file;
        Rgba square_ring, multipolygon;
    };
    for (const Case& c : {Case{"shapes_half", half(farmland, kMapBackground), half(forest, kMapBackground)},
                          Case{"shapes_off", kMapBackground, kMapBackground}}) {
        const Image shot = load_png(dir / (std::string(c.file) + ".png"));
        ASSERT_GT(shot.width, 0) << c.file;
        const json view = load_json(dir / (std::string(c.file) + ".json"));
        const MapRect r = map_rect(view);
        const Camera camera = camera_of(view);
        for (auto [world, want] : {std::pair{Vec2{528300, 3386300}, c.square_ring}, std::pair{Vec2{529350, 3387350}, c.multipolygon}}) {
            const Vec2 local = camera.world_to_screen(world);
            const Rgba got = shot.at(r.x0 + local.x, r.y0 + local.y);
            EXPECT_TRUE(close_to(got, want, 6)) << c.file << ": " << str(got) << ", expected " << str(want);
        }
    }
    const json zoomed = load_json(dir / "shapes_zoomed.json");
    const MapRect r = map_rect(zoomed);
    const Camera camera = camera_of(zoomed);
    EXPECT_NEAR(camera.center().x, 528600, 1e-6);
    EXPECT_NEAR(camera.center().y, 3386600, 1e-6);
    EXPECT_NEAR(camera.resolution() * (r.x1 - r.x0), 1500, 1500 * 0.01) << "the map is 1,500 m wide";
    const Image shot = load_png(dir / "shapes_zoomed.png");
    const Vec2 island = camera.world_to_screen({528600, 3386600});
    EXPECT_TRUE(close_to(shot.at(r.x0 + island.x, r.y0 + island.y), styler.group_of("sandiao", "1101").colour, 6))
        << "the island in the hole, at the centre, is water blue and fully opaque again";
}

// The 散/乱/污 marks, zoomed in (the labels view, about 1:19,000): beside an isolated enterprise
// each flag of its verdict shows as a small square in its own place and colour; a flag it does not
// have leaves its place empty. At the whole-subdistrict view there are none.
TEST(ScreenshotFlags, MarksShowEachEnterprisesFlags) {
    const auto dir = work_dir();
    const json view = load_json(dir / "view_labels.json");
    const Image shot = load_png(dir / "shot_labels.png");
    ASSERT_GT(shot.width, 0);
    const MapRect r = map_rect(view);
    const auto& all = view["enterprises"];
    const char* const names[3] = {"散", "乱", "污"};
    int present = 0, absent = 0;
    for (const auto& e : all) {
        const double x = e["screen"][0].get<double>(), y = e["screen"][1].get<double>();
        if (x < r.x0 + 30 || x > r.x1 - 30 || y < r.y0 + 30 || y > r.y1 - 30) continue;
        if (!isolated(all, e, 32)) continue;  // nothing else drawn near its marks
        const std::string flags = e["flags"].get<std::string>();
        for (int f = 0; f < 3; ++f) {
            // Screen y grows downwards; the offsets are y up. The mark's centre pixel or a neighbour
            // (the centre falls between pixels) has the flag's colour.
            const double mx = x + kFlagMarkOffsetsPx[f][0], my = y - kFlagMarkOffsetsPx[f][1];
            bool shown = false;
            for (double dx : {-1.0, 0.0, 1.0})
                for (double dy : {-1.0, 0.0, 1.0}) shown = shown || close_to(shot.at(mx + dx, my + dy), kFlagMarkColours[f], 24);
            if (flags.find(names[f]) != std::string::npos) {
                EXPECT_TRUE(shown) << e["name"] << " " << names[f] << ": " << str(shot.at(mx, my));
                ++present;
            } else {
                EXPECT_FALSE(shown) << e["name"] << " has no " << names[f];
                ++absent;
            }
        }
    }
    EXPECT_GE(present, 5);
    EXPECT_GE(absent, 5);
    std::cout << "checked " << present << " marks shown and " << absent << " places empty\n";
}

// tests/app/data/dashboard.script: the 整治进度 tab shows the demo campaign as of 2024-12-20 with
// the numbers of the campaign summary (what `qingling-cli status --as-of` prints).
TEST(ScreenshotDashboard, TheProgressTabShowsTheCampaignAsOfTheDate) {
    const auto dir = work_dir();
    const json view = load_json(dir / "view_dashboard.json");
    ASSERT_TRUE(view.contains("dashboard")) << "the tab was not drawn";
    const json& d = view["dashboard"];
    const ProjectStore store = ProjectStore::open(dir / "demo.qingling", ProjectStore::Access::read_only);
    CampaignSummaryOptions o;
    o.as_of = "2024-12-20";
    const CampaignSummary want = summarise_campaign(load_campaign(store), o);
    EXPECT_EQ(d["as_of"], "2024-12-20");
    EXPECT_EQ(d["total"].get<int>(), want.total);
    EXPECT_EQ(d["done"].get<int>(), want.done);
    EXPECT_EQ(d["remaining"].get<int>(), want.remaining);
    EXPECT_EQ(d["overdue"].get<int>(), want.overdue);
    EXPECT_GT(want.overdue, 0) << "the demo has overdue enterprises on that day";
    EXPECT_EQ(d["relapses"].get<std::size_t>(), want.relapses.size());
    std::vector<long long> overdue;
    for (const auto& p : want.overdue_list) overdue.push_back(p.id);
    EXPECT_EQ(d["overdue_ids"].get<std::vector<long long>>(), overdue);
}

// The village view of a viewer that opened the land-use layer with its first view's band only and
// built the other bands on its worker: once they are in, the map is the same as when every band was
// built before the first frame (app.screenshot_village).
TEST(ScreenshotLaterBands, TheBandsBuiltOnTheWorkerShowTheSameMap) {
    const auto dir = work_dir();
    const json view = load_json(dir / "view_village_later_bands.json"), usual = load_json(dir / "view_village.json");
    EXPECT_GE(view.at("draw").at("layers_with_later_bands").get<int>(), 1) << "the land-use layer took the worker's path";
    EXPECT_EQ(usual.at("draw").at("layers_with_later_bands").get<int>(), 0);
    const Image later = load_png(dir / "shot_village_later_bands.png"), shot = load_png(dir / "shot_village.png");
    ASSERT_GT(later.width, 0);
    ASSERT_EQ(later.width, shot.width);
    const MapRect r = map_rect(view);
    long long differ = 0, pixels = 0;
    for (int y = static_cast<int>(r.y0); y < static_cast<int>(r.y1); ++y)
        for (int x = static_cast<int>(r.x0); x < static_cast<int>(r.x1); ++x) {
            ++pixels;
            const Rgba a = later.at(x, y), b = shot.at(x, y);
            if (a.r != b.r || a.g != b.g || a.b != b.b) ++differ;
        }
    EXPECT_GT(pixels, 400000);
    EXPECT_EQ(differ, 0);
}

// tests/app/data/pan.script and pan_fresh.script: after a pan of (37, -23) pixels the map shows
// exactly what the same view drawn whole shows, although only the strips that came into view were
// drawn (the rest is the image of the view before, shifted). The demo's village view has hatched
// 永久基本农田 zones, outlines and labels across the strips' edges.
TEST(ScreenshotPan, APanDrawsOnlyTheNewStripsAndShowsTheSameAsTheViewDrawnWhole) {
    const auto dir = work_dir();
    const json panned_view = load_json(dir / "view_pan.json"), fresh_view = load_json(dir / "view_pan_fresh.json");
    EXPECT_EQ(panned_view.at("draw").at("image"), "shift");
    EXPECT_EQ(fresh_view.at("draw").at("image"), "redraw");
    const Camera panned_camera = camera_of(panned_view), fresh_camera = camera_of(fresh_view);
    EXPECT_NEAR(panned_camera.center().x, fresh_camera.center().x, 1e-6);
    EXPECT_NEAR(panned_camera.center().y, fresh_camera.center().y, 1e-6);
    const Image before = load_png(dir / "shot_pan_before.png");
    const Image panned = load_png(dir / "shot_pan.png");
    const Image fresh = load_png(dir / "shot_pan_fresh.png");
    ASSERT_GT(panned.width, 0);
    ASSERT_EQ(panned.width, fresh.width);
    ASSERT_EQ(panned.height, fresh.height);
    const MapRect r = map_rect(panned_view);
    long long pixels = 0, differ = 0, compared = 0, came_from_before = 0, stayed = 0;
    int worst = 0;
    for (int y = static_cast<int>(r.y0); y < static_cast<int>(r.y1); ++y)
        for (int x = static_cast<int>(r.x0); x < static_cast<int>(r.x1); ++x) {
            ++pixels;
            const Rgba a = panned.at(x, y), b = fresh.at(x, y);
            const int d = std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
            worst = std::max(worst, d);
            if (d > 0) ++differ;
            // The picture moved with the drag: the panned pixel was 37 px left and 23 px lower before.
            const int bx = x - 37, by = y + 23;
            if (bx >= r.x0 && by < r.y1) {
                ++compared;
                const Rgba c = before.at(bx, by), s0 = before.at(x, y);
                if (c.r == a.r && c.g == a.g && c.b == a.b) ++came_from_before;
                if (s0.r == a.r && s0.g == a.g && s0.b == a.b) ++stayed;
            }
        }
    EXPECT_GT(pixels, 400000);
    // The same picture: a few pixels under the translucent overlays (labels' halos, the toolbar)
    // come out one level apart.
    EXPECT_LE(worst, 2) << "largest difference of a channel";
    EXPECT_LT(differ, pixels / 1000) << "of " << pixels << " map pixels differ";
    // Labels are placed again for the view and the overlays stay on the screen; the rest moved.
    EXPECT_GT(came_from_before, compared * 9 / 10);
    EXPECT_LT(stayed, came_from_before / 2);
}

// tests/app/data/check.script on the demo: the check ran on the worker thread, was stored, and
// every enterprise on the map has the colour of its stored verdict or confirmation.
TEST(ScreenshotCheck, TheCheckStepColoursEveryEnterpriseByItsStoredVerdict) {
    const auto dir = work_dir();
    const json view = load_json(dir / "view_check.json");
    const Image shot = load_png(dir / "shot_check.png");
    ASSERT_GT(shot.width, 0);
    const ProjectStore store = ProjectStore::open(dir / "demo_unchecked.qingling", ProjectStore::Access::read_only);
    ASSERT_TRUE(store.latest_check_run()) << "the script's check stored a run";
    // Each symbol shows the person's confirmation (甄别确认) if there is one, else the new run's suggestion.
    const auto confirmations = store.confirmations();
    std::map<long long, std::string> expected;
    for (const Verdict& v : store.verdicts(store.latest_check_run()->id)) {
        const auto c = confirmations.find(v.enterprise_id);
        expected[v.enterprise_id] = c != confirmations.end() ? category_label_zh(c->second.category)
                                    : v.suggested          ? category_label_zh(*v.suggested)
                                                           : "无需分类";
    }
    int checked = 0, painted = 0;
    const MapRect r = map_rect(view);
    for (const auto& e : view["enterprises"]) {
        const long long id = e["id"].get<long long>();
        ASSERT_TRUE(expected.count(id)) << "enterprise " << id;
        EXPECT_EQ(e["mark"].get<std::string>(), expected[id]) << "enterprise " << id;
        ++checked;
        const double x = e["screen"][0].get<double>(), y = e["screen"][1].get<double>();
        if (x < r.x0 + 8 || x > r.x1 - 8 || y < r.y0 + 8 || y > r.y1 - 8) continue;
        const Rgba want = symbol_colour(e);
        painted += close_to(shot.at(x, y), want, 40);
    }
    EXPECT_EQ(checked, static_cast<int>(expected.size()) - 1) << "every enterprise but the one without coordinates";
    // Symbols overlap in the town centre: most, not all, show their own colour at their centre.
    EXPECT_GT(painted, checked / 2) << painted << " of " << checked;
}

// tests/app/data/filter.script: the ledger shows the brick works (砖瓦) flagged 散 of the latest
// run; on the map they keep their colour, every other enterprise is faded.
TEST(ScreenshotFilter, TheLedgerFilterKeepsItsRowsAndFadesTheOthersOnTheMap) {
    const auto dir = work_dir();
    const json view = load_json(dir / "view_filter.json");
    const Image shot = load_png(dir / "shot_filter.png");
    ASSERT_GT(shot.width, 0);
    const ProjectStore store = ProjectStore::open(dir / "demo.qingling", ProjectStore::Access::read_only);
    ASSERT_TRUE(store.latest_check_run());
    std::set<long long> san;
    for (const Verdict& v : store.verdicts(store.latest_check_run()->id))
        if (v.san) san.insert(v.enterprise_id);
    std::vector<long long> expected;
    for (const LedgerRecord& r : store.ledger())
        if (r.industry == "砖瓦" && san.count(r.id)) expected.push_back(r.id);
    ASSERT_GE(expected.size(), 3u) << "the demo has brick works on farmland";
    EXPECT_EQ(view["ledger_rows"].get<std::vector<long long>>(), expected);

    const std::set<long long> kept(expected.begin(), expected.end());
    const MapRect r = map_rect(view);
    const auto& all = view["enterprises"];
    int kept_ok = 0, kept_checked = 0, faded_ok = 0, faded_checked = 0;
    for (const auto& e : all) {
        const double x = e["screen"][0].get<double>(), y = e["screen"][1].get<double>();
        if (x < r.x0 + 8 || x > r.x1 - 8 || y < r.y0 + 8 || y > r.y1 - 8) continue;
        if (!isolated(all, e, 14)) continue;  // no other symbol covers its centre pixel
        const Rgba mark = symbol_colour(e);
        const Rgba got = shot.at(x, y);
        if (kept.count(e["id"].get<long long>())) {
            ++kept_checked;
            kept_ok += close_to(got, mark, 30);
        } else {
            ++faded_checked;
            faded_ok += !close_to(got, mark, 60);
        }
    }
    EXPECT_GE(kept_checked, 3);
    EXPECT_EQ(kept_ok, kept_checked) << "kept enterprises show their category colour";
    EXPECT_GE(faded_checked, 20);
    EXPECT_EQ(faded_ok, faded_checked) << "the others are faded";
}

// ---------------------------------------------------------------------------------------------
// Finding highlights, distance lines, labels, identify and zoom to village (issue 4).
// ---------------------------------------------------------------------------------------------

namespace {

struct Shot {
    Image image;
    json view;
    MapRect rect{};
    Camera camera;
    // Window position of a world point.
    Vec2 screen(Vec2 w) const {
        const Vec2 l = camera.world_to_screen(w);
        return {rect.x0 + l.x, rect.y0 + l.y};
    }
    bool in_map(Vec2 s, double margin = 2) const {
        return s.x >= rect.x0 + margin && s.x < rect.x1 - margin && s.y >= rect.y0 + margin && s.y < rect.y1 - margin;
    }
};

Shot load_shot(const std::string& png, const std::string& view) {
    Shot s;
    s.image = load_png(work_dir() / png);
    s.view = load_json(work_dir() / view);
    s.rect = map_rect(s.view);
    s.camera = camera_of(s.view);
    return s;
}

const LayerInfo* layer_named(const std::vector<LayerInfo>& layers, const std::string& name) {
    for (const LayerInfo& l : layers)
        if (l.name == name) return &l;
    return nullptr;
}

// A feature's geometry, read with OGR (not the viewer's reader); the caller destroys it.
OGRGeometry* read_feature(const ProjectStore& store, const LayerInfo& layer, long long fid) {
    OGRGeometry* out = nullptr;
    store.for_each_geometry(layer, [&](long long id, const unsigned char* wkb, size_t size) {
        if (id != fid || out) return;
        OGRGeometryFactory::createFromWkb(wkb, nullptr, &out, size);
    });
    return out;
}

// The rings of a (multi)polygon as vertex lists.
std::vector<std::vector<Vec2>> rings_of(const OGRGeometry* g) {
    std::vector<std::vector<Vec2>> out;
    auto add_ring = [&](const OGRLinearRing* r) {
        std::vector<Vec2> v;
        for (int i = 0; r && i < r->getNumPoints(); ++i) v.push_back({r->getX(i), r->getY(i)});
        out.push_back(v);
    };
    auto add_polygon = [&](const OGRPolygon* p) {
        add_ring(p->getExteriorRing());
        for (int i = 0; i < p->getNumInteriorRings(); ++i) add_ring(p->getInteriorRing(i));
    };
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) add_polygon(g->toPolygon());
    if (type == wkbMultiPolygon)
        for (const OGRPolygon* p : *g->toMultiPolygon()) add_polygon(p);
    return out;
}

// Whether the colour shows within `radius` pixels of a point.
bool colour_near(const Image& img, Vec2 s, Rgba want, int tolerance, int radius) {
    for (int dy = -radius; dy <= radius; ++dy)
        for (int dx = -radius; dx <= radius; ++dx) {
            const int x = static_cast<int>(std::floor(s.x)) + dx, y = static_cast<int>(std::floor(s.y)) + dy;
            if (x >= 0 && y >= 0 && x < img.width && y < img.height && close_to(img.at(x, y), want, tolerance)) return true;
        }
    return false;
}

// Enterprise symbols and labels cover the map; points near them are not checked.
bool covered(const Shot& shot, Vec2 s) {
    for (const auto& e : shot.view.at("enterprises"))
        if (std::hypot(e.at("screen")[0].get<double>() - s.x, e.at("screen")[1].get<double>() - s.y) < 16) return true;
    return under_label(shot.view, s, 2);
}

// Checks that the outline of a polygon feature is drawn in the highlight colour: points every 6
// pixels along its rings, away from symbols and labels. Returns {shown, checked}.
std::pair<int, int> outline_shown(const Shot& shot, const OGRGeometry* g, Rgba colour) {
    int shown = 0, checked = 0;
    for (const auto& ring : rings_of(g)) {
        double carry = 3;  // pixels to the next sample
        for (size_t i = 0; i + 1 < ring.size(); ++i) {
            const Vec2 a = shot.screen(ring[i]), b = shot.screen(ring[i + 1]);
            const double len = std::hypot(a.x - b.x, a.y - b.y);
            double t = carry;
            for (; t < len; t += 6) {
                const Vec2 s{a.x + (b.x - a.x) * t / len, a.y + (b.y - a.y) * t / len};
                if (!shot.in_map(s, 4) || covered(shot, s)) continue;
                ++checked;
                if (colour_near(shot.image, s, colour, 40, 1)) ++shown;
            }
            carry = t - len;
        }
    }
    return {shown, checked};
}

const Verdict* verdict_of(const std::vector<Verdict>& verdicts, long long id) {
    for (const Verdict& v : verdicts)
        if (v.enterprise_id == id) return &v;
    return nullptr;
}

// Dark text pixels and the label's box or halo: what a reader sees of a label.
int dark_pixels(const Image& img, const json& rect) {
    int n = 0;
    for (int y = static_cast<int>(rect[1].get<double>()); y < static_cast<int>(rect[3].get<double>()); ++y)
        for (int x = static_cast<int>(rect[0].get<double>()); x < static_cast<int>(rect[2].get<double>()); ++x) {
            const Rgba c = img.at(x, y);
            if (c.r < 90 && c.g < 90 && c.b < 90) ++n;
        }
    return n;
}

} // namespace

TEST(ScreenshotSelect, EveryFindingFeatureOfTheSelectedEnterpriseIsOutlinedInCyan) {
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const Shot shot = load_shot("shot_select.png", "view_select.json");
    ASSERT_GT(shot.image.width, 0);
    const long long id = shot.view.at("selected").get<long long>();
    const auto verdicts = store.verdicts(store.latest_check_run()->id);
    const Verdict* v = verdict_of(verdicts, id);
    ASSERT_NE(v, nullptr);
    // The dump lists exactly the findings that name a feature.
    std::set<std::pair<std::string, long long>> expected, dumped;
    for (const Finding& f : v->findings)
        if (!f.layer.empty()) expected.insert({f.layer, f.feature_id});
    for (const auto& h : shot.view.at("highlights")) dumped.insert({h.at("layer").get<std::string>(), h.at("fid").get<long long>()});
    EXPECT_EQ(dumped, expected);
    ASSERT_TRUE(expected.count({"永久基本农田", 9})) << "the demo's enterprise 58 lies in farmland zone 0009";
    // The farmland zone is outlined in cyan on the map.
    const auto layers = store.layers();
    OGRGeometry* zone = read_feature(store, *layer_named(layers, "永久基本农田"), 9);
    ASSERT_NE(zone, nullptr);
    const auto [shown, checked] = outline_shown(shot, zone, kHighlightColour);
    OGRGeometryFactory::destroyGeometry(zone);
    std::cout << "farmland zone 0009: " << shown << " of " << checked << " edges cyan\n";
    EXPECT_GE(checked, 5);
    EXPECT_GE(shown, checked * 9 / 10);
    // Its name labels the selected enterprise, right beside its symbol.
    bool labelled = false;
    for (const auto& l : shot.view.at("labels"))
        if (l.at("kind") == "enterprise" && l.at("id").get<long long>() == id) {
            labelled = true;
            const double cx = shot.rect.x0 + shot.camera.width() / 2.0, cy = shot.rect.y0 + shot.camera.height() / 2.0;
            const auto& r = l.at("rect");
            EXPECT_LT(std::abs((r[0].get<double>() + r[2].get<double>()) / 2 - cx), 200);
            EXPECT_LT(std::abs((r[1].get<double>() + r[3].get<double>()) / 2 - cy), 40);
            EXPECT_GE(dark_pixels(shot.image, r), 20) << "no text in the label";
        }
    EXPECT_TRUE(labelled);
}

TEST(ScreenshotFinding, ADistanceFindingShowsTheLineToTheSiteAndTheSiteAndPatchAreHighlighted) {
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const Shot shot = load_shot("shot_finding.png", "view_finding.json");
    ASSERT_GT(shot.image.width, 0);
    ASSERT_FALSE(shot.view.at("selected").is_null());
    const long long id = shot.view.at("selected").get<long long>();
    const auto verdicts = store.verdicts(store.latest_check_run()->id);
    const Verdict* v = verdict_of(verdicts, id);
    ASSERT_NE(v, nullptr);
    ASSERT_GE(v->findings.size(), 2u);
    const Finding& near = v->findings[1];  // --zoom-finding 2
    ASSERT_EQ(near.unit, "m") << "the demo's enterprise 49 has a distance finding second";
    const auto layers = store.layers();
    OGRGeometry* site = read_feature(store, *layer_named(layers, near.layer), near.feature_id);
    ASSERT_NE(site, nullptr);
    Vec2 ent{};
    for (const Located& e : located_enterprises(store))
        if (e.id == id) ent = e.world;
    OGRPoint p(ent.x, ent.y);
    const double d = site->Distance(&p);
    const OGRPoint* site_point = wkbFlatten(site->getGeometryType()) == wkbPoint ? site->toPoint() : nullptr;
    ASSERT_NE(site_point, nullptr);
    const Vec2 site_world{site_point->getX(), site_point->getY()};
    OGRGeometryFactory::destroyGeometry(site);

    // The dump's line goes from the enterprise to the site, as long as the finding says.
    const json* line = nullptr;
    for (const auto& h : shot.view.at("highlights"))
        if (h.at("finding").get<int>() == 1) line = &h.at("line");
    ASSERT_NE(line, nullptr) << "no distance line";
    EXPECT_NEAR(line->at("length").get<double>(), d, 0.01);
    EXPECT_NEAR(d, *near.measure, 0.5);
    EXPECT_NEAR(line->at("to")[0].get<double>(), site_world.x, 1e-6);
    // The view shows both ends ("clicking the finding zooms to it").
    const Vec2 a = shot.screen(ent), b = shot.screen(site_world);
    EXPECT_TRUE(shot.in_map(a, 30));
    EXPECT_TRUE(shot.in_map(b, 30));
    EXPECT_GT(std::hypot(a.x - b.x, a.y - b.y), 200) << "zoomed in so that the line is long on screen";
    // Magenta along the line, away from the symbols and the distance label.
    int shown = 0, checked = 0;
    for (double t = 0.1; t < 0.95; t += 0.05) {
        const Vec2 s{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
        if (covered(shot, s) || std::hypot(s.x - b.x, s.y - b.y) < 20) continue;
        ++checked;
        if (colour_near(shot.image, s, kDistanceLineColour, 40, 1)) ++shown;
    }
    EXPECT_GE(checked, 8);
    EXPECT_EQ(shown, checked);
    // The distance is written on the map, in the line's colour.
    bool distance_label = false;
    for (const auto& l : shot.view.at("labels"))
        if (l.at("kind") == "distance") {
            distance_label = true;
            const auto& r = l.at("rect");
            EXPECT_EQ(l.at("text").get<std::string>(), std::to_string(static_cast<int>(std::lround(d))) + " 米");
            EXPECT_TRUE(colour_near(shot.image, {r[0].get<double>() + 2, r[1].get<double>() + 2}, kDistanceLineColour, 30, 1));
        }
    EXPECT_TRUE(distance_label);
    // The site is ringed in cyan.
    EXPECT_TRUE(colour_near(shot.image, {b.x + 13, b.y}, kHighlightColour, 40, 1) ||
                colour_near(shot.image, {b.x - 13, b.y}, kHighlightColour, 40, 1));
    // The land-use patch of the first finding is outlined in cyan.
    const Finding& patch = v->findings[0];
    ASSERT_FALSE(patch.layer.empty());
    OGRGeometry* g = read_feature(store, *layer_named(layers, patch.layer), patch.feature_id);
    ASSERT_NE(g, nullptr);
    const auto [edges_shown, edges] = outline_shown(shot, g, kHighlightColour);
    OGRGeometryFactory::destroyGeometry(g);
    EXPECT_GE(edges, 2);
    EXPECT_EQ(edges_shown, edges);
}

TEST(ScreenshotLabels, EnterpriseAndVillageNamesDoNotOverlap) {
    const Shot shot = load_shot("shot_labels.png", "view_labels.json");
    ASSERT_GT(shot.image.width, 0);
    const auto& labels = shot.view.at("labels");
    int enterprises = 0, villages = 0;
    std::vector<std::array<double, 4>> rects;
    for (const auto& l : labels) {
        const auto& r = l.at("rect");
        const std::array<double, 4> box{r[0].get<double>(), r[1].get<double>(), r[2].get<double>(), r[3].get<double>()};
        EXPECT_GE(box[0], shot.rect.x0);
        EXPECT_LE(box[2], shot.rect.x1);
        EXPECT_GE(box[1], shot.rect.y0);
        EXPECT_LE(box[3], shot.rect.y1);
        for (const auto& o : rects)
            EXPECT_FALSE(box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) << l.at("text") << " overlaps";
        rects.push_back(box);
        // Readable: dark letters (the distance is white on magenta).
        if (l.at("kind") != "distance") EXPECT_GE(dark_pixels(shot.image, r), 15) << l.at("text") << " shows no text";
        if (l.at("kind") == "enterprise") ++enterprises;
        if (l.at("kind") == "village") ++villages;
    }
    EXPECT_GE(enterprises, 10);
    EXPECT_GE(villages, 1);
    // No label hides an enterprise symbol: every symbol's centre still shows its category colour.
    for (const auto& e : shot.view.at("enterprises")) {
        const Vec2 s{e.at("screen")[0].get<double>(), e.at("screen")[1].get<double>()};
        if (!shot.in_map(s, 20)) continue;
        for (const auto& o : rects) EXPECT_FALSE(s.x > o[0] && s.x < o[2] && s.y > o[1] && s.y < o[3]) << e.at("name");
    }
    // Zoomed out (the default view) only villages are named, at least half of them.
    const json home = load_json(work_dir() / "view.json");
    int home_villages = 0;
    for (const auto& l : home.at("labels")) {
        EXPECT_EQ(l.at("kind"), "village") << l.at("text");
        ++home_villages;
    }
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const auto village_layers = store.layers_with_role("village");
    ASSERT_FALSE(village_layers.empty());
    EXPECT_GE(home_villages * 2, village_layers.front().feature_count);
}

TEST(ScreenshotIdentify, TheClickedPatchShowsItsLandClassAreaAndVillage) {
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const Shot shot = load_shot("shot_identify.png", "view_identify.json");
    ASSERT_GT(shot.image.width, 0);
    ASSERT_FALSE(shot.view.at("identify").is_null());
    const json& id = shot.view.at("identify");
    const Vec2 w{id.at("world")[0].get<double>(), id.at("world")[1].get<double>()};
    OGRPoint p(w.x, w.y);
    // Independently: the DLTB patch and the village containing the point.
    const LayerInfo dltb = store.layers_with_role("landuse").front();
    long long patch_fid = -1;
    std::string dlbm, dlmc, tbmj, village;
    OGRGeometry* patch = nullptr;
    store.for_each_feature(dltb, {"DLBM", "DLMC", "TBMJ"}, nullptr,
                           [&](long long fid, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
        OGRGeometry* g = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size) != OGRERR_NONE || !g) return;
        if (patch_fid < 0 && g->Contains(&p)) {
            patch_fid = fid;
            dlbm = v[0];
            dlmc = v[1];
            tbmj = v[2];
            patch = g;
            return;
        }
        OGRGeometryFactory::destroyGeometry(g);
    });
    ASSERT_GE(patch_fid, 0);
    for (const LayerInfo& l : store.layers_with_role("village"))
        store.for_each_feature(l, {"ZLDWMC"}, nullptr,
                               [&](long long, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size) != OGRERR_NONE || !g) return;
            if (g->Contains(&p)) village = v[0];
            OGRGeometryFactory::destroyGeometry(g);
        });
    ASSERT_FALSE(village.empty());
    EXPECT_EQ(id.at("village").get<std::string>(), village);
    const json& first = id.at("features").at(0);
    EXPECT_EQ(first.at("layer").get<std::string>(), dltb.name);
    EXPECT_EQ(first.at("fid").get<long long>(), patch_fid);
    EXPECT_EQ(first.at("code").get<std::string>(), dlbm);
    EXPECT_EQ(first.at("code_name").get<std::string>(), dlmc);
    EXPECT_EQ(first.at("attributes").at("DLBM").get<std::string>(), dlbm);
    EXPECT_TRUE(first.at("area_from_attribute").get<bool>());
    EXPECT_NEAR(first.at("area").get<double>(), std::stod(tbmj), 1e-6);
    EXPECT_EQ(first.at("village").get<std::string>(), village);
    // The patch is outlined in cyan, and the point is marked.
    const auto [shown, checked] = outline_shown(shot, patch, kHighlightColour);
    OGRGeometryFactory::destroyGeometry(patch);
    EXPECT_GE(checked, 2);
    EXPECT_EQ(shown, checked);
    const Vec2 s = shot.screen(w);
    EXPECT_TRUE(colour_near(shot.image, {s.x + 7, s.y}, kHighlightColour, 40, 1));
    EXPECT_TRUE(colour_near(shot.image, {s.x, s.y - 9}, kHighlightColour, 40, 1));
}

// tests/app/data/themes.script on the demo campaign: by status and by deadline on 2024-12-20, by
// status on 2024-09-15. Every enterprise is in the class core/campaign_workflow gives it on that
// date (those recorded later are left off), and isolated symbols show their class's legend colour.
std::map<std::string, int> check_theme(const std::string& png, const std::string& dump, const std::string& as_of,
                                       const std::string& theme) {
    std::map<std::string, int> counts;
    const Shot shot = load_shot(png, dump);
    EXPECT_GT(shot.image.width, 0);
    EXPECT_EQ(shot.view.at("theme"), theme);
    EXPECT_EQ(shot.view.at("as_of"), as_of);
    std::map<std::string, Rgba> legend;
    for (const auto& l : shot.view.at("legend")) legend[l.at("label").get<std::string>()] = symbol_colour(l);
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const CampaignData data = load_campaign(store);
    const auto& all = shot.view.at("enterprises");
    int painted = 0, looked = 0;
    for (const auto& e : all) {
        const EnterpriseProgress p = progress_as_of(data, e.at("id").get<long long>(), as_of);
        json want = nullptr;
        if (p.in_campaign) {
            if (theme == "status") want = campaign_status_label_zh(p.status);
            else want = !p.remaining() ? "已整治完成" : p.overdue ? "已逾期" : p.due_soon ? "14 天内到期" : p.deadline ? "按期推进" : "无时间节点";
        }
        EXPECT_EQ(e.at("class"), want) << e.at("name") << " on " << as_of;
        if (want.is_null()) continue;
        ++counts[want.get<std::string>()];
        // Its legend entry has the colour it is drawn in.
        const auto swatch = legend.find(want.get<std::string>());
        EXPECT_NE(swatch, legend.end()) << want << " is not in the legend";
        if (swatch == legend.end()) continue;
        EXPECT_TRUE(close_to(symbol_colour(e), swatch->second, 0)) << e.at("name");
        const Vec2 s{e["screen"][0].get<double>(), e["screen"][1].get<double>()};
        if (!shot.in_map(s, 10) || !isolated(all, e, 14)) continue;
        ++looked;
        painted += close_to(shot.image.at(s.x, s.y), swatch->second, 30);
    }
    EXPECT_GE(looked, 20);
    EXPECT_GE(painted, looked * 9 / 10) << painted << " of " << looked << " isolated symbols in their class colour";
    return counts;
}

TEST(ScreenshotThemes, SymbolsByStatusAndDeadlineFollowTheTimeline) {
    const auto late = check_theme("shot_status.png", "view_status.json", "2024-12-20", "status");
    const auto deadline = check_theme("shot_deadline.png", "view_deadline.json", "2024-12-20", "deadline");
    const auto early = check_theme("shot_status_early.png", "view_status_early.json", "2024-09-15", "status");
    EXPECT_GE(late.size(), 4u) << "the demo campaign is spread over several statuses on 2024-12-20";
    EXPECT_GT(deadline.count("已逾期") ? deadline.at("已逾期") : 0, 0);
    EXPECT_GT(deadline.count("已整治完成") ? deadline.at("已整治完成") : 0, 0);
    // Moving the timeline back: fewer finished, none struck off yet.
    auto n = [](const std::map<std::string, int>& m, const char* k) { return m.count(k) ? m.at(k) : 0; };
    EXPECT_LT(n(early, "整治完成") + n(early, "已销号"), n(late, "整治完成") + n(late, "已销号"));
}

// tests/app/data/basemap.script: with the land-use layer hidden, the demo's orthophoto shows: the
// colour on screen is the GeoTIFF's own at that place (read here with GDAL), wherever no symbol,
// label or outline covers it.
TEST(ScreenshotBasemap, TheImageryShowsUnderTheMapInPlace) {
    const Shot shot = load_shot("shot_basemap.png", "view_basemap.json");
    ASSERT_GT(shot.image.width, 0);
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const auto basemaps = store.basemaps();
    ASSERT_EQ(basemaps.size(), 1u);
    ensure_gdal_initialised();
    GdalDatasetPtr dataset(GDALDataset::Open(basemap_file(store.path(), basemaps[0]).string().c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(dataset);
    GDALDataset* ds = dataset.get();
    double gt[6];
    ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
    int matched = 0, looked = 0;
    for (double fy = 0.15; fy < 0.9; fy += 0.07)
        for (double fx = 0.1; fx < 0.9; fx += 0.07) {
            const Vec2 s{shot.rect.x0 + fx * (shot.rect.x1 - shot.rect.x0), shot.rect.y0 + fy * (shot.rect.y1 - shot.rect.y0)};
            if (!in_clear_map_area(s, shot.rect) || under_label(shot.view, s, 6)) continue;
            bool near_symbol = false;
            for (const auto& e : shot.view.at("enterprises"))
                near_symbol = near_symbol || std::hypot(e["screen"][0].get<double>() - s.x, e["screen"][1].get<double>() - s.y) < 16;
            if (near_symbol) continue;
            const Vec2 w = shot.camera.screen_to_world({s.x - shot.rect.x0, s.y - shot.rect.y0});
            const int px = static_cast<int>((w.x - gt[0]) / gt[1]), py = static_cast<int>((w.y - gt[3]) / gt[5]);
            if (px < 1 || py < 1 || px + 2 > ds->GetRasterXSize() || py + 2 > ds->GetRasterYSize()) continue;
            std::uint8_t v[3];
            int bands[3] = {1, 2, 3};
            ASSERT_EQ(ds->RasterIO(GF_Read, px, py, 1, 1, v, 1, 1, GDT_Byte, 3, bands, 3, 3, 1, nullptr), CE_None);
            ++looked;
            const Rgba want = rgb((static_cast<std::uint32_t>(v[0]) << 16) | (v[1] << 8) | v[2]);
            // A screen pixel spans about one image pixel here; bilinear sampling and the texture's
            // grain allow some difference. Thin outlines (villages, parcels) may cross a probe.
            matched += close_to(shot.image.at(s.x, s.y), want, 40);
        }
    EXPECT_GE(looked, 40);
    EXPECT_GE(matched, looked * 8 / 10) << matched << " of " << looked << " probes show the orthophoto's colour";
}

TEST(ScreenshotVillage, ZoomToVillageFitsTheVillagePolygon) {
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const Shot shot = load_shot("shot_village.png", "view_village.json");
    ASSERT_GT(shot.image.width, 0);
    Extent e;
    for (const LayerInfo& l : store.layers_with_role("village"))
        store.for_each_feature(l, {"ZLDWMC"}, nullptr,
                               [&](long long, const unsigned char* wkb, size_t size, const std::vector<std::string>& v) {
            if (v[0] == "石桥村") add_envelope(e, wkb, size);
        });
    ASSERT_FALSE(e.empty());
    Camera want(shot.camera.width(), shot.camera.height(), {0, 0}, 1);
    want.fit(e, 48);
    EXPECT_NEAR(shot.camera.center().x, want.center().x, 1e-6);
    EXPECT_NEAR(shot.camera.center().y, want.center().y, 1e-6);
    EXPECT_NEAR(shot.camera.resolution(), want.resolution(), 1e-9);
    // Its name is on the map.
    bool named = false;
    for (const auto& l : shot.view.at("labels")) named = named || l.at("text") == "石桥村";
    EXPECT_TRUE(named);
    // Every land-use tile in view was drawn from its triangles once the worker had them.
    const json& draw = shot.view.at("draw");
    EXPECT_GT(draw.at("tiles").get<int>(), 1);
    EXPECT_EQ(draw.at("tiles_triangulated"), draw.at("tiles"));
}

TEST(ScreenshotStyled, TheMapUsesTheStylesFile) {
    // Rendered with a styles.toml that draws the jurisdiction 6 px green (tests/app/CMakeLists.txt).
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const Shot shot = load_shot("shot_styled.png", "view_styled.json");
    ASSERT_GT(shot.image.width, 0);
    const LayerInfo j = store.layers_with_role("jurisdiction").front();
    OGRGeometry* g = nullptr;
    store.for_each_geometry(j, [&](long long, const unsigned char* wkb, size_t size) {
        if (!g) OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size);
    });
    ASSERT_NE(g, nullptr);
    const auto [green, checked] = outline_shown(shot, g, rgb(0x00C000));
    const auto [dark, checked_default] = outline_shown(load_shot("shot.png", "view.json"), g, rgb(0x00C000));
    OGRGeometryFactory::destroyGeometry(g);
    EXPECT_GE(checked, 20);
    EXPECT_GE(green, checked * 9 / 10);
    EXPECT_LT(dark, checked_default / 10) << "the shipped styles draw the jurisdiction dark, not green";
}
