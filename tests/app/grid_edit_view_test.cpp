// 网格编辑 in the viewer, checked like a user would after running tests/app/data/grid_edit.script
// under Xvfb on the tiny subdistrict of tests/data/grid (grids_clean.geojson: 甲一 x 0–100, 甲二
// x 100–200, 乙一 x 200–300, 乙二 x 300–400, all y 0–200, origin 530000, 3386000): the stored
// grids (read with GEOS here, not through the editor), and the picture (snap marker, rubber band,
// grid outlines) at the places the view dump's camera puts them.
#include "app/camera.hpp"
#include "app/grid_editor.hpp"
#include "core/layer_import.hpp"
#include "core/grid_areas.hpp"
#include "core/grid_edit.hpp"
#include "core/grid_validate.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace qingling;
using namespace qingling::app;

namespace {

constexpr double X = 530000, Y = 3386000;

std::filesystem::path work_dir() {
    const char* dir = std::getenv("QINGLING_APP_WORK");
    return dir ? dir : ".";
}

struct Grid {
    std::string name;
    double area = 0;
    Polygons polygons;
};

std::map<std::string, Grid> stored_grids(const ProjectStore& store) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    std::map<std::string, Grid> out;
    for (std::size_t i = 0; i < grids.size(); ++i)
        out[grids.ref(i).name] = {grids.ref(i).name, grids.area(i), polygons_from_geos(geos, grids.stored(i))};
    return out;
}

std::vector<MapPoint> vertices(const Polygons& p) {
    std::vector<MapPoint> out;
    for (const auto& rings : p)
        for (const auto& r : rings) out.insert(out.end(), r.begin(), r.end());
    return out;
}

bool on_boundary(MapPoint q, const Polygons& p) {
    for (const auto& rings : p)
        for (const auto& r : rings)
            for (std::size_t i = 0; i < r.size(); ++i) {
                const MapPoint a = r[i], b = r[(i + 1) % r.size()];
                const double len = std::hypot(b.x - a.x, b.y - a.y);
                const double cross = (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x);
                const double t = ((q.x - a.x) * (b.x - a.x) + (q.y - a.y) * (b.y - a.y)) / (len * len);
                if (len > 0 && std::abs(cross) / len < 1e-6 && t >= -1e-9 && t <= 1 + 1e-9) return true;
            }
    return false;
}

// The vertices two grids share: every vertex of one on the other's boundary is a vertex of both.
// Returns how many there are (-1 when one is missing from the other).
int shared_vertices(const Grid& a, const Grid& b) {
    const auto va = vertices(a.polygons), vb = vertices(b.polygons);
    int shared = 0;
    for (const auto& [from, other, other_vertices] :
         {std::tuple{&va, &b.polygons, &vb}, std::tuple{&vb, &a.polygons, &va}})
        for (const MapPoint& q : *from)
            if (on_boundary(q, *other)) {
                if (std::find(other_vertices->begin(), other_vertices->end(), q) == other_vertices->end()) return -1;
                ++shared;
            }
    return shared / 2;
}

struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
    bool near(double cx, double cy, int r, int g, int b, int tolerance, int radius) const {
        for (int dy = -radius; dy <= radius; ++dy)
            for (int dx = -radius; dx <= radius; ++dx) {
                const int x = static_cast<int>(std::floor(cx)) + dx, y = static_cast<int>(std::floor(cy)) + dy;
                if (x < 0 || y < 0 || x >= width || y >= height) continue;
                const unsigned char* p = &rgba[(static_cast<size_t>(y) * width + x) * 4];
                if (std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance) return true;
            }
        return false;
    }
};

} // namespace

TEST(GridEditView, StoredGridsShareTheirEdgesWithoutGapOrOverlap) {
    const ProjectStore store = ProjectStore::open(work_dir() / "grid_edit.qingling", ProjectStore::Access::read_only);
    const auto grids = stored_grids(store);
    ASSERT_EQ(grids.size(), 5u) << "甲一, 甲二 and 甲二-2 (split, merge undone), 乙一, the drawn grid";
    ASSERT_TRUE(grids.count("甲二-2"));
    ASSERT_TRUE(grids.count("新网格1"));
    EXPECT_FALSE(grids.count("乙二"));
    EXPECT_NEAR(grids.at("甲一").area, 20000, 1e-6);
    EXPECT_NEAR(grids.at("甲二").area, 10000, 1e-6);
    EXPECT_NEAR(grids.at("甲二-2").area, 10000, 1e-6);
    EXPECT_NEAR(grids.at("新网格1").area, 20000, 1e-6) << "the clicks snapped onto the hole's corners";
    // Snapped exactly: the drawn grid's corners are 乙一's and the jurisdiction's.
    for (const MapPoint corner : {MapPoint{X + 300, Y}, MapPoint{X + 400, Y}, MapPoint{X + 400, Y + 200}, MapPoint{X + 300, Y + 200}}) {
        const auto v = vertices(grids.at("新网格1").polygons);
        EXPECT_NE(std::find(v.begin(), v.end(), corner), v.end()) << corner.x - X << "," << corner.y - Y;
    }
    // Shared edges identical vertex for vertex, the split's nodes in the neighbours too.
    EXPECT_EQ(shared_vertices(grids.at("甲二"), grids.at("甲二-2")), 2);
    EXPECT_EQ(shared_vertices(grids.at("甲一"), grids.at("甲二")), 2);    // (100,0), (100,100)
    EXPECT_EQ(shared_vertices(grids.at("甲一"), grids.at("甲二-2")), 2);  // (100,100), (100,200)
    EXPECT_EQ(shared_vertices(grids.at("乙一"), grids.at("甲二")), 2);
    EXPECT_EQ(shared_vertices(grids.at("乙一"), grids.at("新网格1")), 2);
    const GridValidation v = validate_grids(store);
    EXPECT_EQ(v.counts().at(GridProblemKind::gap), 0u);
    EXPECT_EQ(v.counts().at(GridProblemKind::overlap), 0u);
    EXPECT_EQ(v.counts().at(GridProblemKind::crosses_village), 0u);
    EXPECT_EQ(v.counts().at(GridProblemKind::enterprise_unassigned), 0u);
    // Every edit audited; the undo is an edit of its own.
    int edits = 0;
    for (const auto& e : store.audit_log()) edits += e.field == "geom";
    EXPECT_GE(edits, 8);
}

TEST(GridEditView, ThePictureShowsTheSnapMarkerRubberBandAndGrids) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load((work_dir() / "grid_edit.png").string().c_str(), &img.width, &img.height, &channels, 4);
    ASSERT_NE(data, nullptr);
    img.rgba.assign(data, data + static_cast<size_t>(img.width) * img.height * 4);
    stbi_image_free(data);
    std::ifstream in(work_dir() / "grid_edit.json");
    const auto view = nlohmann::json::parse(in);
    const auto& r = view.at("map_rect");
    const auto& c = view.at("camera");
    const Camera camera(c.at("viewport")[0].get<int>(), c.at("viewport")[1].get<int>(),
                        {c.at("center")[0].get<double>(), c.at("center")[1].get<double>()}, c.at("resolution").get<double>());
    auto screen = [&](double x, double y) {
        const Vec2 s = camera.world_to_screen({X + x, Y + y});
        return Vec2{r[0].get<double>() + s.x, r[1].get<double>() + s.y};
    };
    // The snap marker: a magenta square of 14 pixels around the node (200, 100), not at the pointer.
    const Vec2 node = screen(200, 100);
    EXPECT_TRUE(img.near(node.x + 7, node.y, 230, 0, 200, 40, 1)) << "right side of the marker";
    EXPECT_TRUE(img.near(node.x - 7, node.y, 230, 0, 200, 40, 1)) << "left side of the marker";
    EXPECT_FALSE(img.near(node.x, node.y - 20, 230, 0, 200, 40, 2)) << "nothing magenta above it";
    // The rubber band: blue from the clicked point (20, 20) to the snapped node.
    const Vec2 a = screen(20, 20);
    EXPECT_TRUE(img.near((a.x * 2 + node.x) / 3, (a.y * 2 + node.y) / 3, 0, 90, 230, 40, 1));
    EXPECT_TRUE(img.near(a.x, a.y, 0, 90, 230, 40, 2)) << "the clicked point";
    // Grid outlines in orange: the shared edge 甲一/甲二 at x 100 and the drawn grid's east edge.
    int shown = 0;
    for (double y : {20.0, 40.0, 60.0, 80.0, 140.0, 160.0, 180.0}) shown += img.near(screen(100, y).x, screen(100, y).y, 230, 110, 0, 40, 1);
    EXPECT_EQ(shown, 7);
    EXPECT_TRUE(img.near(screen(400, 120).x, screen(400, 120).y, 230, 110, 0, 40, 2));
}

// The editor's mouse logic (no window needed): what a click, a drag, Enter and Esc do.
TEST(GridEditorMouse, DrawDragMergeDeleteUndo) {
    const auto path = std::filesystem::temp_directory_path() / ("grid_editor_" + std::to_string(::getpid()) + ".qingling");
    std::filesystem::remove(path);
    {
        auto store = ProjectStore::create(path, {});
        for (const auto& [file, role] : {std::pair{"jurisdiction.geojson", "jurisdiction"}, std::pair{"villages.geojson", "village"},
                                         std::pair{"grids_clean.geojson", "grid"}}) {
            SilentProgress progress;
            LayerImportOptions o;
            o.source = std::filesystem::path(QINGLING_GRID_DATA) / file;
            o.role = role;
            import_layer(store, o, progress);
        }
    }
    GridEditor ed;
    ed.open(path);
    ASSERT_EQ(ed.outlines().size(), 4u);
    const double tol = 2.0;  // map units, as 10 pixels at 0.2 m per pixel

    // Drag 甲一/甲二's shared corner (100, 200) to (110, 200): both grids follow.
    ed.set_tool(GridTool::vertex);
    ed.click({X + 50, Y + 50}, tol);  // selects 甲一
    ASSERT_TRUE(ed.selected());
    EXPECT_EQ(ed.grid_label(*ed.selected()), "甲一");
    ed.press({X + 100.5, Y + 199.6}, tol);
    ASSERT_TRUE(ed.dragged_vertex());
    ed.hover({X + 110, Y + 200.4}, tol);
    EXPECT_EQ(ed.snap().kind, SnapResult::Kind::edge) << "onto the jurisdiction's top edge";
    ed.release({X + 110, Y + 200.4}, tol);
    EXPECT_FALSE(ed.last_failed()) << ed.message();
    EXPECT_TRUE(ed.take_reload());
    EXPECT_FALSE(ed.take_reload()) << "once";
    {
        const ProjectStore store = ProjectStore::open(path, ProjectStore::Access::read_only);
        const auto grids = stored_grids(store);
        EXPECT_NEAR(grids.at("甲一").area, 20000 + 10 * 200 / 2.0, 1e-6);
        EXPECT_NEAR(grids.at("甲二").area, 20000 - 10 * 200 / 2.0, 1e-6);
        EXPECT_EQ(shared_vertices(grids.at("甲一"), grids.at("甲二")), 2);
    }
    ASSERT_TRUE(ed.undo());

    // A double click on 甲一's edge x = 100 inserts a vertex there, in 甲二 too; a right click
    // removes it from both.
    ed.insert_vertex_at({X + 100.6, Y + 50}, tol);
    EXPECT_FALSE(ed.last_failed()) << ed.message();
    {
        const ProjectStore store = ProjectStore::open(path, ProjectStore::Access::read_only);
        const auto grids = stored_grids(store);
        EXPECT_EQ(shared_vertices(grids.at("甲一"), grids.at("甲二")), 3);
        const auto v = vertices(grids.at("甲二").polygons);
        EXPECT_NE(std::find(v.begin(), v.end(), MapPoint{X + 100, Y + 50}), v.end());
    }
    ed.delete_vertex_at({X + 100.3, Y + 50.4}, tol);
    EXPECT_FALSE(ed.last_failed()) << ed.message();
    {
        const ProjectStore store = ProjectStore::open(path, ProjectStore::Access::read_only);
        const auto grids = stored_grids(store);
        EXPECT_EQ(shared_vertices(grids.at("甲一"), grids.at("甲二")), 2);
    }

    // Draw: three clicks, Esc drops them; three clicks and Enter store a triangle; a click on the
    // last point (a double click) closes too.
    ed.set_tool(GridTool::draw);
    ed.click({X + 10, Y + 10}, tol);
    ed.click({X + 60, Y + 10}, tol);
    EXPECT_EQ(ed.points().size(), 2u);
    ed.cancel();
    EXPECT_TRUE(ed.points().empty());
    ed.click({X + 300.8, Y + 0.7}, tol);    // snaps to (300, 0)
    ed.click({X + 399.5, Y - 0.5}, tol);    // (400, 0)
    ed.click({X + 400.6, Y + 199.2}, tol);  // (400, 200)
    ed.remove_last_point();
    ed.click({X + 400.6, Y + 199.2}, tol);
    ed.click({X + 400.6, Y + 199.2}, tol);  // the double click
    EXPECT_FALSE(ed.last_failed()) << ed.message();
    ASSERT_EQ(ed.outlines().size(), 5u);
    EXPECT_EQ(ed.outlines().back().polygons.at(0).at(0).at(0), (MapPoint{X + 300, Y}));

    // Merge 甲一 and 甲二 by two clicks; delete the triangle by a click; undo both.
    ed.set_tool(GridTool::merge);
    ed.click({X + 50, Y + 50}, tol);
    ed.click({X + 150, Y + 50}, tol);
    EXPECT_EQ(ed.outlines().size(), 4u) << ed.message();
    ed.set_tool(GridTool::remove);
    ed.click({X + 390, Y + 50}, tol);
    EXPECT_EQ(ed.outlines().size(), 3u) << ed.message();
    EXPECT_EQ(ed.undo_label(), "删除网格");
    ASSERT_TRUE(ed.undo());
    ASSERT_TRUE(ed.undo());
    EXPECT_EQ(ed.outlines().size(), 5u);
    ASSERT_TRUE(ed.redo());
    EXPECT_EQ(ed.outlines().size(), 4u);

    // Merging grids without a shared edge is refused with the reason.
    ed.set_tool(GridTool::merge);
    ed.click({X + 50, Y + 50}, tol);     // 甲一 (merged with 甲二: x 0–200)
    ed.click({X + 350, Y + 150}, tol);   // 乙二 (x 300–400), above the triangle
    EXPECT_TRUE(ed.last_failed());
    EXPECT_NE(ed.message().find("not adjacent"), std::string::npos) << ed.message();

    // Move: 乙二 (x 300–400) dragged 5 m east and 3 m north keeps its area and shape; undone.
    ed.set_tool(GridTool::move);
    ed.press({X + 350, Y + 150}, tol);
    ed.hover({X + 355, Y + 153}, tol);
    ASSERT_TRUE(ed.move_offset());
    EXPECT_EQ(*ed.move_offset(), (MapPoint{5, 3}));
    ed.release({X + 355, Y + 153}, tol);
    EXPECT_FALSE(ed.last_failed()) << ed.message();
    {
        const ProjectStore store = ProjectStore::open(path, ProjectStore::Access::read_only);
        const auto grids = stored_grids(store);
        EXPECT_NEAR(grids.at("乙二").area, 20000, 1e-6);
        const auto v = vertices(grids.at("乙二").polygons);
        EXPECT_NE(std::find(v.begin(), v.end(), MapPoint{X + 305, Y + 3}), v.end()) << "(300, 0) moved by (5, 3)";
    }
    ASSERT_TRUE(ed.undo());
    // The script's way: by name and offset.
    ASSERT_TRUE(ed.move("乙二", -2, 0)) << ed.message();
    {
        const ProjectStore store = ProjectStore::open(path, ProjectStore::Access::read_only);
        const auto v = vertices(stored_grids(store).at("乙二").polygons);
        EXPECT_NE(std::find(v.begin(), v.end(), MapPoint{X + 298, Y}), v.end());
    }
    ASSERT_TRUE(ed.undo());

    // 网格草案 for 乙村 (x 200–400): two strips of 100 m beside the grids already there.
    const std::size_t before = ed.outlines().size();
    ASSERT_TRUE(ed.draft("乙村", 2, false)) << ed.message();
    EXPECT_EQ(ed.outlines().size(), before + 2);
    EXPECT_EQ(ed.outlines().back().name, "乙村2");
    std::filesystem::remove(path);
}

// grid_check.script: the gap (x 100–165, y 150–200) selected in 网格检查 is ringed in red on the map,
// its bordering grids outlined in red; after the fixes the project has none of the planted problems.
TEST(GridCheckView, TheSelectedGapIsHighlightedAndTheFixesRemoveTheProblems) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load((work_dir() / "grid_check.png").string().c_str(), &img.width, &img.height, &channels, 4);
    ASSERT_NE(data, nullptr);
    img.rgba.assign(data, data + static_cast<size_t>(img.width) * img.height * 4);
    stbi_image_free(data);
    std::ifstream in(work_dir() / "grid_check.json");
    const auto view = nlohmann::json::parse(in);
    const auto& r = view.at("map_rect");
    const auto& c = view.at("camera");
    const Camera camera(c.at("viewport")[0].get<int>(), c.at("viewport")[1].get<int>(),
                        {c.at("center")[0].get<double>(), c.at("center")[1].get<double>()}, c.at("resolution").get<double>());
    auto screen = [&](double x, double y) {
        const Vec2 s = camera.world_to_screen({X + x, Y + y});
        return Vec2{r[0].get<double>() + s.x, r[1].get<double>() + s.y};
    };
    // Zoomed to the gap's grids (一, 二, 三网格: x 0–300): closer than the whole jurisdiction.
    EXPECT_LT(camera.resolution() * camera.width(), 400 * 1.2);
    const Vec2 a = screen(100, 200), b = screen(165, 150);  // top left, bottom right of the gap
    int red_inside = 0;
    for (int y = static_cast<int>(a.y) + 4; y < static_cast<int>(b.y) - 4; ++y)
        for (int x = static_cast<int>(a.x) + 4; x < static_cast<int>(b.x) - 4; ++x) red_inside += img.near(x, y, 230, 0, 0, 40, 0);
    EXPECT_GE(red_inside, 40) << "the red ring at the gap's location";
    // 一网格's west edge (x 0) is outlined in red: it borders the gap.
    int shown = 0;
    for (double y : {30.0, 60.0, 90.0, 120.0}) shown += img.near(screen(0, y).x, screen(0, y).y, 230, 0, 0, 40, 2);
    EXPECT_EQ(shown, 4);

    const ProjectStore store = ProjectStore::open(work_dir() / "grid_check.qingling", ProjectStore::Access::read_only);
    const auto v = validate_grids(store);
    for (auto kind : {GridProblemKind::gap, GridProblemKind::overlap, GridProblemKind::crosses_village,
                      GridProblemKind::multipart, GridProblemKind::enterprise_unassigned, GridProblemKind::enterprise_in_several})
        EXPECT_EQ(v.counts().at(kind), 0u) << grid_problem_code(kind);
    const auto grids = stored_grids(store);
    EXPECT_NEAR(grids.at("二网格").area, 20000, 1e-6);
    EXPECT_EQ(shared_vertices(grids.at("二网格"), grids.at("三网格")), 2);
}
