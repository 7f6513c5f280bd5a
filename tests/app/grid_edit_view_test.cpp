// 网格编辑 in the viewer, checked like a user would after running tests/app/data/grid_edit.script
// under Xvfb on the tiny subdistrict of tests/data/grid (grids_clean.geojson: 甲一 x 0–100, 甲二
// x 100–200, 乙一 x 200–300, 乙二 x 300–400, all y 0–200, origin 530000, 3386000): the stored
// grids (read with GEOS here, not through the editor), and the picture (snap marker, rubber band,
// grid outlines) at the places the view dump's camera puts them.
#include "app/camera.hpp"
#include "core/grid_areas.hpp"
#include "core/grid_edit.hpp"
#include "core/grid_validate.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

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
