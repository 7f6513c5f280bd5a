// Grid (网格) management on the tiny subdistrict of tests/data/grid (README there lists every
// planted problem and its area, worked out by hand): validation, assignment, people, export.
#include "core/errors.hpp"
#include "core/grid_assign.hpp"
#include "core/grid_export.hpp"
#include "core/grid_validate.hpp"
#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"
#include "test_support.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <cmath>

using namespace qingling;

namespace {

constexpr double X = 530000, Y = 3386000;

void expect_area(double actual, double expected) {
    EXPECT_NEAR(actual, expected, expected * 1e-6) << "area " << actual << " m², expected " << expected;
}

std::vector<std::string> grid_names(const GridProblem& p) {
    std::vector<std::string> out;
    for (const auto& g : p.grids) out.push_back(g.name);
    return out;
}

void import(ProjectStore& store, const std::string& file, const std::string& role) {
    SilentProgress progress;
    LayerImportOptions o;
    o.source = test::test_data() / "grid" / file;
    o.role = role;
    import_layer(store, o, progress);
}

// A project with a jurisdiction, two villages, the given grids and the enterprise ledger.
ProjectStore make_project(const std::filesystem::path& path, const std::string& grids, bool with_jurisdiction = true) {
    auto store = ProjectStore::create(path, {});
    if (with_jurisdiction) import(store, "jurisdiction.geojson", "jurisdiction");
    import(store, "villages.geojson", "village");
    import(store, grids, "grid");
    SilentProgress progress;
    LedgerImportOptions o;
    o.file = test::test_data() / "grid/enterprises.csv";
    const auto report = import_ledger(store, o, progress);
    EXPECT_EQ(report.imported, 7);
    EXPECT_EQ(report.with_point, 7);
    return store;
}

long long enterprise_id(const ProjectStore& store, const std::string& name) {
    for (const auto& r : store.ledger())
        if (r.name == name) return r.id;
    ADD_FAILURE() << "no enterprise " << name;
    return 0;
}

std::vector<const GridProblem*> of_kind(const GridValidation& v, GridProblemKind kind) {
    std::vector<const GridProblem*> out;
    for (const auto& p : v.problems)
        if (p.kind == kind) out.push_back(&p);
    return out;
}

// Gives every grid of the project one person of each role.
void staff_all(ProjectStore& store) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    WriteTransaction tx(store);
    for (std::size_t i = 0; i < grids.size(); ++i)
        for (const char* role : kGridPersonRoles) {
            Person p;
            p.name = grids.ref(i).name + role;
            p.role = role;
            store.add_grid_person(tx, grids.ref(i).layer, grids.ref(i).fid, store.add_person(tx, p));
        }
    tx.commit();
}

class GridTest : public ::testing::Test {
protected:
    test::TempDir dir;
    ProjectStore store = make_project(dir / "grid.qingling", "grids.geojson");
};

} // namespace

TEST_F(GridTest, FindsEveryPlantedProblem) {
    const GridValidation v = validate_grids(store);
    EXPECT_EQ(v.grid_count, 5u);
    EXPECT_EQ(v.enterprise_count, 7u);
    EXPECT_EQ(v.coverage, "jurisdiction");
    const auto counts = v.counts();
    EXPECT_EQ(counts.at(GridProblemKind::gap), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::overlap), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::crosses_village), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::invalid), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::multipart), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::enterprise_unassigned), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::enterprise_in_several), 1u);
    EXPECT_EQ(counts.at(GridProblemKind::no_people), 5u);  // nobody is staffed yet
    ASSERT_EQ(v.problems.size(), 12u);

    const GridProblem& gap = *of_kind(v, GridProblemKind::gap).at(0);
    expect_area(gap.area_m2, 65.0 * 50.0);
    EXPECT_EQ(grid_names(gap), (std::vector<std::string>{"一网格", "二网格", "三网格"}));
    ASSERT_TRUE(gap.located);
    EXPECT_GT(gap.x, X + 100);
    EXPECT_LT(gap.x, X + 165);
    EXPECT_GT(gap.y, Y + 150);
    EXPECT_LT(gap.y, Y + 200);

    const GridProblem& overlap = *of_kind(v, GridProblemKind::overlap).at(0);
    expect_area(overlap.area_m2, 10.0 * 150.0);
    EXPECT_EQ(grid_names(overlap), (std::vector<std::string>{"一网格", "二网格"}));
    EXPECT_EQ(overlap.grids[0].fid, 1);
    EXPECT_EQ(overlap.grids[1].fid, 2);
    EXPECT_EQ(overlap.grids[0].layer, "grids");
    ASSERT_TRUE(overlap.located);
    EXPECT_GT(overlap.x, X + 90);
    EXPECT_LT(overlap.x, X + 100);

    const GridProblem& crossing = *of_kind(v, GridProblemKind::crosses_village).at(0);
    EXPECT_EQ(grid_names(crossing), std::vector<std::string>{"三网格"});
    expect_area(crossing.area_m2, 35.0 * 50.0);
    EXPECT_EQ(crossing.villages, (std::vector<std::string>{"乙村", "甲村"}));
    ASSERT_TRUE(crossing.located);
    EXPECT_LT(crossing.x, X + 200);  // in 甲村, the part outside its main village

    const GridProblem& invalid = *of_kind(v, GridProblemKind::invalid).at(0);
    EXPECT_EQ(grid_names(invalid), std::vector<std::string>{"四网格"});
    EXPECT_TRUE(invalid.repaired_at_import);
    EXPECT_NE(invalid.detail.find("Self-intersection"), std::string::npos) << invalid.detail;
    expect_area(invalid.area_m2, 100.0 * 150.0 - 20.0 * 20.0);
    ASSERT_TRUE(invalid.located);
    EXPECT_DOUBLE_EQ(invalid.x, X + 300);  // where the spike starts
    EXPECT_DOUBLE_EQ(invalid.y, Y + 75);

    const GridProblem& multipart = *of_kind(v, GridProblemKind::multipart).at(0);
    EXPECT_EQ(grid_names(multipart), std::vector<std::string>{"五网格"});
    expect_area(multipart.area_m2, 20.0 * 20.0);
    ASSERT_TRUE(multipart.located);
    EXPECT_GT(multipart.x, X + 220);  // in the enclave
    EXPECT_LT(multipart.x, X + 240);

    const GridProblem& unassigned = *of_kind(v, GridProblemKind::enterprise_unassigned).at(0);
    EXPECT_EQ(unassigned.enterprise_name, "丙家具厂");
    EXPECT_EQ(unassigned.enterprise_id, enterprise_id(store, "丙家具厂"));
    EXPECT_TRUE(unassigned.grids.empty());
    EXPECT_DOUBLE_EQ(unassigned.x, X + 130);

    const GridProblem& several = *of_kind(v, GridProblemKind::enterprise_in_several).at(0);
    EXPECT_EQ(several.enterprise_name, "乙塑料厂");
    EXPECT_EQ(grid_names(several), (std::vector<std::string>{"一网格", "二网格"}));
    // 庚五金厂 stands on the edge between 二网格 and 四网格: not "in several".

    for (const GridProblem* p : of_kind(v, GridProblemKind::no_people))
        EXPECT_EQ(p->missing_roles, (std::vector<std::string>{"网格长", "网格员", "督察员"}));

    // Problems come grouped by kind, in the documented order.
    EXPECT_TRUE(std::is_sorted(v.problems.begin(), v.problems.end(),
                               [](const GridProblem& a, const GridProblem& b) { return a.kind < b.kind; }));
    const std::string json = grid_validation_to_json(v);
    EXPECT_NE(json.find("\"kind\": \"crosses_village\""), std::string::npos);
    EXPECT_NE(json.find("\"enterprise_in_several\": 1"), std::string::npos);
}

TEST_F(GridTest, NoPeopleListsTheMissingRoles) {
    {
        WriteTransaction tx(store);
        Person leader{0, "张村长", "网格长", "13800000001", "甲村", ""};
        Person member{0, "李网格", "网格员", "", "甲村", ""};
        const long long a = store.add_person(tx, leader), b = store.add_person(tx, member);
        store.add_grid_person(tx, "grids", 1, a);
        store.add_grid_person(tx, "grids", 1, b);
        store.add_grid_person(tx, "grids", 2, b);
        tx.commit();
    }
    const auto v = validate_grids(store);
    std::map<std::string, std::vector<std::string>> missing;
    for (const GridProblem* p : of_kind(v, GridProblemKind::no_people)) missing[p->grids.at(0).name] = p->missing_roles;
    EXPECT_EQ(missing.at("一网格"), std::vector<std::string>{"督察员"});
    EXPECT_EQ(missing.at("二网格"), (std::vector<std::string>{"网格长", "督察员"}));
    EXPECT_EQ(missing.at("三网格").size(), 3u);
}

TEST_F(GridTest, ToleranceHidesSmallerAreas) {
    // 1 500 m² overlap and 1 750 m² crossing fall under 2 000 m²; the 3 250 m² gap does not.
    const auto v = validate_grids(store, 2000);
    const auto counts = v.counts();
    EXPECT_EQ(counts.at(GridProblemKind::overlap), 0u);
    EXPECT_EQ(counts.at(GridProblemKind::crosses_village), 0u);
    EXPECT_EQ(counts.at(GridProblemKind::gap), 1u);
    EXPECT_THROW(validate_grids(store, -1), UsageError);
}

TEST(GridValidation, WithoutJurisdictionTheVillagesAreTheCover) {
    test::TempDir dir;
    const auto store = make_project(dir / "p.qingling", "grids.geojson", false);
    const auto v = validate_grids(store);
    EXPECT_EQ(v.coverage, "village");
    const auto gaps = of_kind(v, GridProblemKind::gap);
    ASSERT_EQ(gaps.size(), 1u);
    expect_area(gaps[0]->area_m2, 3250);
}

TEST(GridValidation, CleanGridsHaveNoProblems) {
    test::TempDir dir;
    auto store = make_project(dir / "clean.qingling", "grids_clean.geojson");
    staff_all(store);
    const auto v = validate_grids(store);
    EXPECT_EQ(v.grid_count, 4u);
    for (const auto& p : v.problems)
        ADD_FAILURE() << grid_problem_code(p.kind) << ": " << p.detail;
    EXPECT_TRUE(v.problems.empty());
}

TEST(GridValidation, InvalidGeometryAsStoredIsReported) {
    // A grid edited outside Qingling (QGIS opens the file) can be invalid as stored.
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "p.qingling", {});
    import(store, "jurisdiction.geojson", "jurisdiction");
    GeosContext geos;
    GeosGeometryPtr bowtie;
    {
        GEOSWKTReader* reader = GEOSWKTReader_create_r(geos.get());
        bowtie = geos_own(geos, GEOSWKTReader_read_r(geos.get(), reader,
                                                     "MULTIPOLYGON(((530000 3386000, 530400 3386200, 530400 3386000, "
                                                     "530000 3386200, 530000 3386000)))"));
        GEOSWKTReader_destroy_r(geos.get(), reader);
    }
    ASSERT_TRUE(bowtie);
    GeosWkbWriterPtr writer(GEOSWKBWriter_create_r(geos.get()), GeosWkbWriterDeleter{geos.get()});
    std::size_t size = 0;
    std::unique_ptr<unsigned char, GeosBufferDeleter> wkb(GEOSWKBWriter_write_r(geos.get(), writer.get(), bowtie.get(), &size),
                                                          GeosBufferDeleter{geos.get()});
    {
        WriteTransaction tx(store);
        auto layer = store.create_layer(tx, "网格", "grid", {{"WGMC", FieldType::text}}, GeometryKind::multipolygon);
        FieldValue name;
        name.kind = FieldValue::Kind::text;
        name.s = "蝴蝶网格";
        layer.add(0, {name}, wkb.get(), size);
        LayerInfo info;
        info.name = "网格";
        info.role = "grid";
        layer.finish(info);
        tx.commit();
    }
    const auto v = validate_grids(store);
    const auto invalid = of_kind(v, GridProblemKind::invalid);
    ASSERT_EQ(invalid.size(), 1u);
    EXPECT_FALSE(invalid[0]->repaired_at_import);
    EXPECT_NE(invalid[0]->detail.find("Self-intersection"), std::string::npos) << invalid[0]->detail;
    EXPECT_DOUBLE_EQ(invalid[0]->x, X + 200);  // where the ring crosses itself
    EXPECT_DOUBLE_EQ(invalid[0]->y, Y + 100);
    expect_area(invalid[0]->area_m2, 2 * 200.0 * 200.0 / 2);  // the two triangles make-valid keeps
    // The repaired bowtie is two triangles; the rest of the jurisdiction is two gaps of 20 000 m².
    const auto gaps = of_kind(v, GridProblemKind::gap);
    ASSERT_EQ(gaps.size(), 2u);
    expect_area(gaps[0]->area_m2, 20000);
    expect_area(gaps[1]->area_m2, 20000);
    EXPECT_EQ(of_kind(v, GridProblemKind::multipart).size(), 1u);
}

TEST_F(GridTest, AssignPutsEveryEnterpriseInItsGridAndKeepsHandAssignments) {
    long long member = 0;
    {
        WriteTransaction tx(store);
        member = store.add_person(tx, {0, "李网格", "网格员", "", "", ""});
        const long long other = store.add_person(tx, {0, "周网格", "网格员", "", "", ""});
        store.add_grid_person(tx, "grids", 1, member);   // 一网格: exactly one 网格员
        store.add_grid_person(tx, "grids", 5, member);   // 五网格: two
        store.add_grid_person(tx, "grids", 5, other);
        tx.commit();
    }
    SilentProgress progress;
    auto report = assign_enterprises_to_grids(store, {}, progress);
    EXPECT_EQ(report.enterprises, 7u);
    EXPECT_EQ(report.assigned.size(), 6u);
    ASSERT_EQ(report.unassigned.size(), 1u);
    EXPECT_EQ(report.unassigned[0].enterprise_name, "丙家具厂");

    auto grid_of = [&](const std::string& name) {
        const auto all = store.enterprise_grids();
        auto it = all.find(enterprise_id(store, name));
        return it == all.end() ? std::string() : it->second.grid_layer + "#" + std::to_string(it->second.grid_fid);
    };
    EXPECT_EQ(grid_of("甲五金厂"), "grids#1");
    EXPECT_EQ(grid_of("乙塑料厂"), "grids#1");  // in the overlap: the lower fid
    EXPECT_EQ(grid_of("丙家具厂"), "");
    EXPECT_EQ(grid_of("丁五金厂"), "grids#4");
    EXPECT_EQ(grid_of("戊塑料厂"), "grids#5");  // in 五网格's enclave inside 四网格
    EXPECT_EQ(grid_of("己家具厂"), "grids#5");
    EXPECT_EQ(grid_of("庚五金厂"), "grids#2");  // on the edge 二网格/四网格: the lower fid
    auto all = store.enterprise_grids();
    const long long jia = enterprise_id(store, "甲五金厂");
    EXPECT_EQ(all.at(jia).responsible_person_id, member);
    EXPECT_EQ(all.at(jia).assigned_by, "location");
    EXPECT_FALSE(all.at(enterprise_id(store, "己家具厂")).responsible_person_id);  // two 网格员: a person chooses
    EXPECT_EQ(report.without_person.size(), 4u);  // 丁 (四网格: none), 戊, 己 (五网格: two), 庚 (二网格: none)

    // A hand assignment survives a new run; --force replaces it.
    const long long ding = enterprise_id(store, "丁五金厂");
    {
        WriteTransaction tx(store);
        EnterpriseGridAssignment a;
        a.enterprise_id = ding;
        a.grid_layer = "grids";
        a.grid_fid = 5;
        a.responsible_person_id = member;
        a.assigned_by = "hand";
        store.set_enterprise_grid(tx, a);
        tx.commit();
    }
    report = assign_enterprises_to_grids(store, {}, progress);
    EXPECT_EQ(report.assigned.size(), 0u);
    EXPECT_EQ(report.unchanged, 5u);
    ASSERT_EQ(report.kept_by_hand.size(), 1u);
    EXPECT_EQ(report.kept_by_hand[0].enterprise_name, "丁五金厂");
    EXPECT_EQ(grid_of("丁五金厂"), "grids#5");
    EXPECT_EQ(store.enterprise_grids().at(ding).assigned_by, "hand");

    GridAssignOptions force;
    force.force = true;
    report = assign_enterprises_to_grids(store, force, progress);
    ASSERT_EQ(report.assigned.size(), 1u);
    EXPECT_EQ(grid_of("丁五金厂"), "grids#4");
    EXPECT_EQ(store.enterprise_grids().at(ding).assigned_by, "location");
    EXPECT_FALSE(store.enterprise_grids().at(ding).responsible_person_id);

    // Every change is in the audit log with old and new values.
    bool moved = false, by = false;
    for (const auto& e : store.audit_log()) {
        if (e.table_name != "enterprise_grid" || e.row_id != ding) continue;
        if (e.field == "grid" && e.old_value == "grids#5" && e.new_value == "grids#4") moved = true;
        if (e.field == "assigned_by" && e.old_value == "hand" && e.new_value == "location") by = true;
    }
    EXPECT_TRUE(moved);
    EXPECT_TRUE(by);
}

TEST_F(GridTest, PeopleAndStaffAreCheckedAndAudited) {
    WriteTransaction tx(store);
    EXPECT_THROW(store.add_person(tx, {0, "赵", "村长", "", "", ""}), UsageError);
    EXPECT_THROW(store.add_person(tx, {0, "", "网格员", "", "", ""}), UsageError);
    const long long id = store.add_person(tx, {0, "王督察", "督察员", "139", "", "环保办"});
    EXPECT_THROW(store.add_grid_person(tx, "grids", 99, id), UsageError);
    EXPECT_THROW(store.add_grid_person(tx, "villages", 1, id), UsageError);  // not a grid layer
    EXPECT_THROW(store.add_grid_person(tx, "grids", 1, id + 1), UsageError);
    store.add_grid_person(tx, "grids", 3, id);
    EXPECT_THROW(store.add_grid_person(tx, "grids", 3, id), UsageError);
    store.remove_grid_person(tx, "grids", 3, id);
    EXPECT_THROW(store.remove_grid_person(tx, "grids", 3, id), UsageError);
    store.add_grid_person(tx, "grids", 2, id);
    tx.commit();
    ASSERT_EQ(store.people().size(), 1u);
    EXPECT_EQ(store.people()[0].department, "环保办");
    ASSERT_EQ(store.grid_people().size(), 1u);
    EXPECT_EQ(store.grid_people()[0].grid_fid, 2);
    int staffed = 0, unstaffed = 0;
    for (const auto& e : store.audit_log()) {
        if (e.action == "staff grid") ++staffed;
        if (e.action == "unstaff grid" && e.old_value == "grids#3") ++unstaffed;
    }
    EXPECT_EQ(staffed, 2);
    EXPECT_EQ(unstaffed, 1);
}

TEST_F(GridTest, ExportWritesGridsWithPeopleAndCounts) {
    staff_all(store);
    SilentProgress progress;
    assign_enterprises_to_grids(store, {}, progress);
    EXPECT_EQ(export_grids(store, dir / "grids.gpkg"), 5);
    EXPECT_EQ(export_grids(store, dir / "grids.xlsx"), 5);
    EXPECT_THROW(export_grids(store, dir / "grids.gpkg"), UsageError);  // exists
    EXPECT_THROW(export_grids(store, dir / "grids.shp"), UsageError);
    GDALDatasetH ds = GDALOpenEx((dir / "grids.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    ASSERT_TRUE(ds);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    EXPECT_EQ(OGR_L_GetFeatureCount(layer, 1), 5);
    OGRFeatureH f = OGR_L_GetNextFeature(layer);
    ASSERT_TRUE(f);
    EXPECT_STREQ(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "网格名称")), "一网格");
    EXPECT_STREQ(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "网格员")), "一网格网格员");
    EXPECT_EQ(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "企业数")), 2);  // 甲, 乙
    EXPECT_TRUE(OGR_F_GetGeometryRef(f));
    OGR_F_Destroy(f);
    GDALClose(ds);
}

TEST(GridStore, Version2FileIsMigrated) {
    test::TempDir dir;
    const auto path = dir / "old.qingling";
    ProjectStore::create_at_schema_version(path, {}, 2);
    {
        const auto reader = ProjectStore::open(path, ProjectStore::Access::read_only);
        EXPECT_EQ(reader.schema_version(), 2);
        EXPECT_TRUE(reader.people().empty());   // no tables yet: empty, not an SQL error
        EXPECT_TRUE(reader.enterprise_grids().empty());
    }
    auto store = ProjectStore::open(path, ProjectStore::Access::read_write);
    EXPECT_EQ(store.schema_version(), ProjectStore::latest_schema_version());
    WriteTransaction tx(store);
    EXPECT_EQ(store.add_person(tx, {0, "张", "网格长", "", "", ""}), 1);
    tx.commit();
}
