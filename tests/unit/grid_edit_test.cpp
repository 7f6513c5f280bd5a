// Grid editing and the one-click fixes on the tiny subdistrict of tests/data/grid (its README
// lists every planted problem and area). Expected geometries are worked out from that README.
#include "core/errors.hpp"
#include "core/grid_edit.hpp"
#include "core/grid_fix.hpp"
#include "core/grid_validate.hpp"
#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"
#include "test_support.hpp"

#include <cmath>

using namespace qingling;

namespace {

constexpr double X = 530000, Y = 3386000;

void import(ProjectStore& store, const std::string& file, const std::string& role) {
    SilentProgress progress;
    LayerImportOptions o;
    o.source = test::test_data() / "grid" / file;
    o.role = role;
    import_layer(store, o, progress);
}

ProjectStore make_project(const std::filesystem::path& path, const std::string& grids) {
    auto store = ProjectStore::create(path, {});
    import(store, "jurisdiction.geojson", "jurisdiction");
    import(store, "villages.geojson", "village");
    import(store, grids, "grid");
    SilentProgress progress;
    LedgerImportOptions o;
    o.file = test::test_data() / "grid/enterprises.csv";
    import_ledger(store, o, progress);
    return store;
}

std::size_t count(const GridValidation& v, GridProblemKind kind) { return v.counts().at(kind); }

// Area of a grid by name, and the total of all grids.
struct Areas {
    std::map<std::string, double> by_name;
    double total = 0;
    std::size_t grids = 0;
};
Areas areas(const ProjectStore& store) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    Areas a;
    a.grids = grids.size();
    for (std::size_t i = 0; i < grids.size(); ++i) {
        a.by_name[grids.ref(i).name] = grids.area(i);
        a.total += grids.area(i);
    }
    return a;
}

// The length of the boundary two grids share (their boundaries' intersection).
double shared_edge(const ProjectStore& store, const std::string& a, const std::string& b) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    const auto h = geos.get();
    auto ia = grids.find_by_name(a).at(0), ib = grids.find_by_name(b).at(0);
    GeosGeometryPtr ba = geos_own(geos, GEOSBoundary_r(h, grids.stored(ia)));
    GeosGeometryPtr bb = geos_own(geos, GEOSBoundary_r(h, grids.stored(ib)));
    GeosGeometryPtr both = geos_own(geos, GEOSIntersection_r(h, ba.get(), bb.get()));
    double length = 0;
    GEOSLength_r(h, both.get(), &length);
    return length;
}

// Whether every vertex of grid a lying on grid b's boundary is also a vertex of b (shared edges
// identical vertex for vertex), and the other way round.
bool shared_vertices_identical(const ProjectStore& store, const std::string& a, const std::string& b) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    const Polygons pa = polygons_from_geos(geos, grids.stored(grids.find_by_name(a).at(0)));
    const Polygons pb = polygons_from_geos(geos, grids.stored(grids.find_by_name(b).at(0)));
    auto vertices = [](const Polygons& p) {
        std::vector<MapPoint> out;
        for (const auto& rings : p)
            for (const auto& r : rings) out.insert(out.end(), r.begin(), r.end());
        return out;
    };
    auto on_edge = [](MapPoint q, const Polygons& p) {
        for (const auto& rings : p)
            for (const auto& r : rings)
                for (std::size_t i = 0; i < r.size(); ++i) {
                    const MapPoint s = r[i], t = r[(i + 1) % r.size()];
                    const double cross = (t.x - s.x) * (q.y - s.y) - (t.y - s.y) * (q.x - s.x);
                    const double len = std::hypot(t.x - s.x, t.y - s.y);
                    if (len > 0 && std::abs(cross) / len < 1e-6 && q.x >= std::min(s.x, t.x) - 1e-6 &&
                        q.x <= std::max(s.x, t.x) + 1e-6 && q.y >= std::min(s.y, t.y) - 1e-6 && q.y <= std::max(s.y, t.y) + 1e-6)
                        return true;
                }
        return false;
    };
    const auto va = vertices(pa), vb = vertices(pb);
    for (const auto& q : va)
        if (on_edge(q, pb) && std::find(vb.begin(), vb.end(), q) == vb.end()) return false;
    for (const auto& q : vb)
        if (on_edge(q, pa) && std::find(va.begin(), va.end(), q) == va.end()) return false;
    return true;
}

std::string grid_of(const ProjectStore& store, const std::string& enterprise) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    long long id = 0;
    for (const auto& r : store.ledger())
        if (r.name == enterprise) id = r.id;
    const auto all = store.enterprise_grids();
    auto it = all.find(id);
    if (it == all.end()) return "";
    auto i = grids.find(it->second.grid_layer, it->second.grid_fid);
    return i ? grids.ref(*i).name : "?";
}

class GridEditTest : public ::testing::Test {
protected:
    test::TempDir dir;
};

} // namespace

TEST_F(GridEditTest, FixesRemoveThePlantedProblems) {
    auto store = make_project(dir / "grid.qingling", "grids.geojson");
    const auto before = validate_grids(store);
    ASSERT_EQ(count(before, GridProblemKind::gap), 1u);
    ASSERT_EQ(count(before, GridProblemKind::overlap), 1u);
    ASSERT_EQ(count(before, GridProblemKind::crosses_village), 1u);
    ASSERT_EQ(count(before, GridProblemKind::multipart), 1u);

    SilentProgress progress;
    GridFixOptions dry;
    dry.dry_run = true;
    const auto preview = fix_grids(store, dry, progress);
    EXPECT_FALSE(preview.actions.empty());
    EXPECT_EQ(count(validate_grids(store), GridProblemKind::gap), 1u) << "a dry run changes nothing";

    const auto report = fix_grids(store, {}, progress);
    std::map<GridFixKind, int> kinds;
    for (const auto& a : report.actions) ++kinds[a.kind];
    EXPECT_EQ(kinds[GridFixKind::multipart], 1);
    EXPECT_EQ(kinds[GridFixKind::crosses_village], 1);
    EXPECT_EQ(kinds[GridFixKind::overlap], 1);
    // The gap (grown by 三网格's cut-off part to x 100–200, y 150–200) and 五网格's old enclave.
    EXPECT_EQ(kinds[GridFixKind::gap], 2);
    EXPECT_EQ(kinds[GridFixKind::snap], 0) << "every planted vertex is exactly on or far from a boundary";

    const auto after = validate_grids(store);
    for (auto kind : {GridProblemKind::gap, GridProblemKind::overlap, GridProblemKind::crosses_village,
                      GridProblemKind::multipart, GridProblemKind::enterprise_unassigned, GridProblemKind::enterprise_in_several})
        EXPECT_EQ(count(after, kind), 0u) << grid_problem_code(kind);
    // Repaired at import: the stored geometry is valid, only a person can confirm the boundary.
    EXPECT_EQ(count(after, GridProblemKind::invalid), 1u);

    const Areas a = areas(store);
    EXPECT_NEAR(a.total, 80000, 1e-6);  // the whole jurisdiction, nothing twice
    EXPECT_NEAR(a.by_name.at("一网格"), 100 * 200, 1e-6);
    EXPECT_NEAR(a.by_name.at("二网格"), 100 * 200, 1e-6);  // x 100–200: gave the overlap, took the gap
    EXPECT_NEAR(a.by_name.at("三网格"), 100 * 50, 1e-6);   // clipped to 乙村
    EXPECT_NEAR(a.by_name.at("四网格"), 100 * 150, 1e-6);  // took the enclave back
    EXPECT_NEAR(a.by_name.at("五网格"), 100 * 200, 1e-6);
    EXPECT_NEAR(shared_edge(store, "一网格", "二网格"), 200, 1e-6);
    EXPECT_NEAR(shared_edge(store, "二网格", "三网格"), 50, 1e-6);
    EXPECT_NEAR(shared_edge(store, "二网格", "四网格"), 150, 1e-6);
    EXPECT_TRUE(shared_vertices_identical(store, "二网格", "三网格"));
    EXPECT_TRUE(shared_vertices_identical(store, "二网格", "四网格"));
    EXPECT_EQ(grid_of(store, "丙家具厂"), "二网格");  // was in the gap
    EXPECT_EQ(grid_of(store, "戊塑料厂"), "四网格");  // was in 五网格's enclave

    bool audited = false;
    for (const auto& e : store.audit_log()) audited |= e.action == "edit feature" && e.field == "geom";
    EXPECT_TRUE(audited);
}

TEST_F(GridEditTest, FixOnlyTheKindAsked) {
    auto store = make_project(dir / "grid.qingling", "grids.geojson");
    SilentProgress progress;
    GridFixOptions o;
    o.kinds = {GridFixKind::overlap};
    const auto report = fix_grids(store, o, progress);
    ASSERT_EQ(report.actions.size(), 1u);
    EXPECT_NEAR(report.actions[0].area_m2, 1500, 1e-6);
    EXPECT_EQ(report.actions[0].grids.at(0).name, "二网格");  // the later grid gives it up
    const auto v = validate_grids(store);
    EXPECT_EQ(count(v, GridProblemKind::overlap), 0u);
    EXPECT_EQ(count(v, GridProblemKind::gap), 1u);
    EXPECT_EQ(count(v, GridProblemKind::crosses_village), 1u);

    // A gap above the largest sliver is not given away: it needs a grid of its own.
    o.kinds = {GridFixKind::gap};
    o.max_gap_m2 = 3000;
    const auto big = fix_grids(store, o, progress);
    EXPECT_TRUE(big.actions.empty());
    ASSERT_EQ(big.not_fixed.size(), 1u);
    EXPECT_NE(big.not_fixed[0].find("空隙 3250.0 m²"), std::string::npos) << big.not_fixed[0];
    EXPECT_EQ(count(validate_grids(store), GridProblemKind::gap), 1u);
}

TEST_F(GridEditTest, SplitMergeUndoRedoKeepSharedEdges) {
    auto store = make_project(dir / "clean.qingling", "grids_clean.geojson");
    const auto original = store.feature(*store.find_layer("grids_clean"), find_grid(store, "甲一").fid)->wkb;
    GridEditHistory history;
    {
        GridEditBuilder b(store);
        // A line across 甲二 (x 100–200) at y 100, overshooting into 甲一 and 乙一.
        history.apply(store, b.split_grid(find_grid(store, "甲二"), {{X + 90, Y + 100}, {X + 210, Y + 100}}));
    }
    Areas a = areas(store);
    EXPECT_EQ(a.grids, 5u);
    EXPECT_NEAR(a.by_name.at("甲二"), 10000, 1e-6);
    EXPECT_NEAR(a.by_name.at("甲二-2"), 10000, 1e-6);
    EXPECT_NEAR(a.total, 80000, 1e-6);
    EXPECT_NEAR(shared_edge(store, "甲二", "甲二-2"), 100, 1e-6);
    // The split's nodes on x=100 and x=200 went into the neighbours' edges.
    EXPECT_TRUE(shared_vertices_identical(store, "甲一", "甲二"));
    EXPECT_TRUE(shared_vertices_identical(store, "甲一", "甲二-2"));
    EXPECT_TRUE(shared_vertices_identical(store, "乙一", "甲二-2"));
    auto v = validate_grids(store);
    EXPECT_EQ(count(v, GridProblemKind::gap) + count(v, GridProblemKind::overlap), 0u);

    // 甲二-2 gets a 网格员; the merge hands them to 甲二, its undo back.
    long long member = 0;
    const GridKey lower_half = find_grid(store, "甲二-2");
    {
        WriteTransaction tx(store);
        member = store.add_person(tx, Person{0, "李网格", "网格员", "", "甲村", ""});
        store.add_grid_person(tx, lower_half.layer, lower_half.fid, member);
        tx.commit();
    }
    auto staffed = [&](const GridKey& g) {
        for (const auto& link : store.grid_people())
            if (link.grid_layer == g.layer && link.grid_fid == g.fid && link.person_id == member) return true;
        return false;
    };
    {
        GridEditBuilder b(store);
        EXPECT_THROW(b.merge_grids(find_grid(store, "甲一"), find_grid(store, "乙一")), UsageError);  // not adjacent
        EXPECT_THROW(b.split_grid(find_grid(store, "甲一"), {{X + 300, Y}, {X + 310, Y + 10}}), UsageError);
        history.apply(store, b.merge_grids(find_grid(store, "甲二"), find_grid(store, "甲二-2")));
    }
    a = areas(store);
    EXPECT_EQ(a.grids, 4u);
    EXPECT_NEAR(a.by_name.at("甲二"), 20000, 1e-6);
    EXPECT_TRUE(staffed(find_grid(store, "甲二")));
    EXPECT_FALSE(staffed(lower_half)) << "the merged grid is gone, and its link with it";

    ASSERT_TRUE(history.undo(store));  // the merge
    EXPECT_EQ(areas(store).grids, 5u);
    EXPECT_TRUE(staffed(lower_half));
    EXPECT_FALSE(staffed(find_grid(store, "甲二")));
    ASSERT_TRUE(history.undo(store));  // the split
    a = areas(store);
    EXPECT_EQ(a.grids, 4u);
    EXPECT_NEAR(a.by_name.at("甲二"), 20000, 1e-6);
    EXPECT_EQ(store.feature(*store.find_layer("grids_clean"), find_grid(store, "甲一").fid)->wkb, original)
        << "undo restores the neighbour's vertices";
    EXPECT_FALSE(history.undo(store));
    ASSERT_TRUE(history.redo(store));  // the split again, with the same fid for 甲二-2
    EXPECT_EQ(areas(store).grids, 5u);
    EXPECT_TRUE(shared_vertices_identical(store, "甲一", "甲二-2"));
}

TEST_F(GridEditTest, SharedVertexMovesInBothGrids) {
    auto store = make_project(dir / "clean.qingling", "grids_clean.geojson");
    const GridKey key = find_grid(store, "甲一");
    GridEditBuilder b(store);
    // Find 甲一's vertex at (100, 200), shared with 甲二.
    const Polygons p = polygons_from_wkb(b.geos(), store.feature(*store.find_layer(key.layer), key.fid)->wkb);
    std::optional<VertexRef> corner;
    for (std::size_t i = 0; i < p[0][0].size(); ++i)
        if (p[0][0][i] == MapPoint{X + 100, Y + 200}) corner = VertexRef{0, 0, i};
    ASSERT_TRUE(corner);
    GridEditHistory history;
    const auto report = history.apply(store, b.move_vertex(key, *corner, {X + 120, Y + 200}));
    EXPECT_EQ(report.grids.size(), 2u);
    const Areas a = areas(store);
    EXPECT_NEAR(a.by_name.at("甲一"), 20000 + 20 * 200 / 2.0, 1e-6);
    EXPECT_NEAR(a.by_name.at("甲二"), 20000 - 20 * 200 / 2.0, 1e-6);
    const auto v = validate_grids(store);
    EXPECT_EQ(count(v, GridProblemKind::gap) + count(v, GridProblemKind::overlap), 0u);
}

TEST_F(GridEditTest, DrawWithSnappingClosesTheGap) {
    auto store = make_project(dir / "clean.qingling", "grids_clean.geojson");
    GridEditHistory history;
    {
        GridEditBuilder b(store);
        history.apply(store, b.delete_grid(find_grid(store, "乙二")));
    }
    EXPECT_EQ(count(validate_grids(store), GridProblemKind::gap), 1u);
    GridSnapper snapper(store);
    // Clicks up to 1.5 m off the corners of the hole (x 300–400); 2 m tolerance.
    const MapPoint clicks[] = {{X + 301.2, Y - 0.8}, {X + 398.9, Y + 1.1}, {X + 400.5, Y + 199}, {X + 299.4, Y + 200.6}};
    Ring ring;
    for (const auto& c : clicks) {
        const SnapResult s = snapper.snap(c, 2.0);
        EXPECT_EQ(s.kind, SnapResult::Kind::vertex);
        ring.push_back(s.point);
    }
    EXPECT_EQ(ring[0], (MapPoint{X + 300, Y}));
    EXPECT_EQ(snapper.snap({X + 350, Y + 0.7}, 2.0).kind, SnapResult::Kind::edge);
    EXPECT_EQ(snapper.snap({X + 350, Y + 0.7}, 2.0).point, (MapPoint{X + 350, Y}));
    EXPECT_EQ(snapper.snap({X + 350, Y + 50}, 2.0).kind, SnapResult::Kind::none);
    {
        GridEditBuilder b(store);
        history.apply(store, b.add_polygon(ring, "乙三"));
    }
    const auto v = validate_grids(store);
    EXPECT_EQ(count(v, GridProblemKind::gap) + count(v, GridProblemKind::overlap), 0u);
    EXPECT_EQ(grid_of(store, "己家具厂"), "乙三");
    EXPECT_NEAR(areas(store).by_name.at("乙三"), 20000, 1e-6);
    ASSERT_TRUE(history.undo(store));
    EXPECT_EQ(grid_of(store, "己家具厂"), "") << "undoing the drawing leaves it in no grid";
}

TEST_F(GridEditTest, DraftForAVillage) {
    auto store = ProjectStore::create(dir / "draft.qingling", {});
    import(store, "jurisdiction.geojson", "jurisdiction");
    import(store, "villages.geojson", "village");
    SilentProgress progress;
    LedgerImportOptions o;
    o.file = test::test_data() / "grid/enterprises.csv";
    import_ledger(store, o, progress);
    GridEditHistory history;
    {
        GridEditBuilder b(store);
        history.apply(store, b.draft_for_village("甲村", 4, false));  // no grid layer yet: creates 网格
    }
    Areas a = areas(store);
    EXPECT_EQ(a.grids, 4u);
    EXPECT_NEAR(a.by_name.at("甲村1"), 50 * 200, 1e-6);
    EXPECT_NEAR(a.total, 200 * 200, 1e-6);
    ASSERT_TRUE(history.undo(store));
    EXPECT_EQ(areas(store).grids, 0u);
    {
        // Balanced: 甲村 holds 甲 (x 50), 乙 (95), 丙 (130) and 庚 (200, on its edge): the cut
        // lies between the second and third, at x 112.5.
        GridEditBuilder b(store);
        history.apply(store, b.draft_for_village("甲村", 2, true));
    }
    a = areas(store);
    EXPECT_NEAR(a.by_name.at("甲村1"), 112.5 * 200, 1e-6);
    EXPECT_NEAR(a.by_name.at("甲村2"), 87.5 * 200, 1e-6);
    GridEditBuilder b(store);
    EXPECT_THROW(b.draft_for_village("丁村", 2, false), UsageError);
    EXPECT_THROW(b.draft_for_village("乙村", 5, true), UsageError);  // 4 enterprises (庚 on its edge)
}

TEST_F(GridEditTest, InsertAndDeleteAVertexOnASharedEdge) {
    auto store = make_project(dir / "clean.qingling", "grids_clean.geojson");
    const GridKey key = find_grid(store, "甲一");
    GridEditHistory history;
    // 甲一's ring: find the edge (100,0)→(100,200) or back, shared with 甲二.
    std::optional<VertexRef> edge;
    {
        GridEditBuilder b(store);
        const Polygons p = polygons_from_wkb(b.geos(), store.feature(*store.find_layer(key.layer), key.fid)->wkb);
        const Ring& r = p[0][0];
        for (std::size_t i = 0; i < r.size(); ++i) {
            const MapPoint a = r[i], c = r[(i + 1) % r.size()];
            if (a.x == X + 100 && c.x == X + 100) edge = VertexRef{0, 0, i};
        }
        ASSERT_TRUE(edge);
        history.apply(store, b.insert_vertex(key, *edge, {X + 100, Y + 120}));
    }
    EXPECT_TRUE(shared_vertices_identical(store, "甲一", "甲二")) << "甲二 got the vertex too";
    {
        // Now move it: both grids bend, no gap, no overlap.
        GridEditBuilder b(store);
        const Polygons p = polygons_from_wkb(b.geos(), store.feature(*store.find_layer(key.layer), key.fid)->wkb);
        std::optional<VertexRef> v;
        for (std::size_t i = 0; i < p[0][0].size(); ++i)
            if (p[0][0][i] == MapPoint{X + 100, Y + 120}) v = VertexRef{0, 0, i};
        ASSERT_TRUE(v);
        history.apply(store, b.move_vertex(key, *v, {X + 90, Y + 120}));
        auto val = validate_grids(store);
        EXPECT_EQ(count(val, GridProblemKind::gap) + count(val, GridProblemKind::overlap), 0u);
        EXPECT_NEAR(areas(store).by_name.at("甲一"), 20000 - 10 * 200 / 2.0, 1e-6);
        // And delete it from both.
        GridEditBuilder b2(store);
        history.apply(store, b2.delete_vertex(key, *v));
    }
    EXPECT_NEAR(areas(store).by_name.at("甲一"), 20000, 1e-6);
    EXPECT_NEAR(areas(store).by_name.at("甲二"), 20000, 1e-6);
    EXPECT_TRUE(shared_vertices_identical(store, "甲一", "甲二"));
    {
        GridEditBuilder b(store);
        EXPECT_THROW(b.delete_vertex(key, {0, 0, 99}), UsageError);
        // A self-crossing move is refused.
        EXPECT_THROW(b.move_vertex(key, {0, 0, 0}, {X + 1000, Y + 100}), UsageError) << "a bow tie is not a grid";
    }
}

TEST_F(GridEditTest, MoveGridAndSnapFix) {
    auto store = make_project(dir / "clean.qingling", "grids_clean.geojson");
    GridEditHistory history;
    {
        // 乙二 moved 0.3 m east: a sliver gap of 60 m² at x 300; undone.
        GridEditBuilder b(store);
        history.apply(store, b.move_grid(find_grid(store, "乙二"), 0.3, 0));
    }
    auto v = validate_grids(store);
    ASSERT_EQ(count(v, GridProblemKind::gap), 1u);
    EXPECT_NEAR(v.problems.at(0).area_m2, 60, 1e-6);
    ASSERT_TRUE(history.undo(store));
    EXPECT_EQ(count(validate_grids(store), GridProblemKind::gap), 0u);
    {
        // 乙二 drawn again with its eastern corners 0.2–0.3 m off the jurisdiction's.
        GridEditBuilder b(store);
        history.apply(store, b.delete_grid(find_grid(store, "乙二")));
        GridEditBuilder b2(store);
        history.apply(store, b2.add_polygon({{X + 300, Y}, {X + 400.3, Y + 0.2}, {X + 400.2, Y + 200.3}, {X + 300, Y + 200}}, "乙二"));
    }
    EXPECT_GT(areas(store).by_name.at("乙二"), 20000 + 1);
    SilentProgress progress;
    GridFixOptions o;
    o.kinds = {GridFixKind::snap};
    const auto r = fix_grids(store, o, progress);
    ASSERT_EQ(r.actions.size(), 1u);
    EXPECT_EQ(r.actions[0].grids.at(0).name, "乙二");
    EXPECT_NEAR(areas(store).by_name.at("乙二"), 20000, 1e-6) << "the corners went onto the jurisdiction's";
    v = validate_grids(store);
    EXPECT_EQ(count(v, GridProblemKind::gap) + count(v, GridProblemKind::overlap), 0u);
}
