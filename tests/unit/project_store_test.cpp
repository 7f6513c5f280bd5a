// The campaign file: creation, settings, schema version, locking, audit log, ledger round trip.
#include "core/errors.hpp"
#include "core/project_store.hpp"
#include "test_support.hpp"

#include <sqlite3.h>

using namespace qingling;

TEST(ProjectStore, CreateStoresSettingsAndCalendarDefaults) {
    test::TempDir dir;
    ProjectSettings s;
    s.name = "青岭街道整治";
    s.jurisdiction = "青岭街道";
    { auto store = ProjectStore::create(dir / "a.qingling", s); }
    const auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only);
    const auto got = store.settings();
    EXPECT_EQ(got.name, "青岭街道整治");
    EXPECT_EQ(got.jurisdiction, "青岭街道");
    EXPECT_EQ(got.epsg, 4547);
    EXPECT_EQ(got.calendar.classify_end, "2024-09-30");
    EXPECT_EQ(got.calendar.close_end, "2024-11-30");
    EXPECT_EQ(got.calendar.rectify_end, "2024-12-31");
    EXPECT_EQ(store.schema_version(), ProjectStore::latest_schema_version());
    EXPECT_TRUE(store.layers().empty());
}

TEST(ProjectStore, CreateRefusesExistingFileAndLeavesNothingOnBadCrs) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    EXPECT_THROW(ProjectStore::create(dir / "a.qingling", {}), UsageError);
    ProjectSettings bad;
    bad.epsg = 999999;
    EXPECT_THROW(ProjectStore::create(dir / "b.qingling", bad), Error);
    EXPECT_FALSE(std::filesystem::exists(dir / "b.qingling"));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "temporary files left behind";
}

TEST(ProjectStore, OpensAsSpatiaLiteWithWalAndUserVersion) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "a.qingling").c_str(), &db), SQLITE_OK);
    auto scalar = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    };
    EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(scalar("PRAGMA user_version"), std::to_string(ProjectStore::latest_schema_version()));
    EXPECT_EQ(scalar("SELECT srid FROM geometry_columns WHERE f_table_name='enterprise' AND f_geometry_column='geom'"), "4547");
    EXPECT_EQ(scalar("SELECT count(*) FROM spatial_ref_sys WHERE srid IN (4547, 4490)"), "2");
    sqlite3_close(db);
}

TEST(ProjectStore, RefusesNewerSchemaAndForeignFiles) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "a.qingling").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    try {
        ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
        FAIL() << "a newer file was opened";
    } catch (const ProjectError& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    }
    // A plain SQLite file that is not a project.
    ASSERT_EQ(sqlite3_open((dir / "other.sqlite").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_THROW(ProjectStore::open(dir / "other.sqlite", ProjectStore::Access::read_only), ProjectError);
    EXPECT_THROW(ProjectStore::open(dir / "missing.qingling", ProjectStore::Access::read_only), ProjectError);
}

TEST(ProjectStore, SecondWriterGetsInUseErrorWhileReadersWork) {
    test::TempDir dir;
    auto first = ProjectStore::create(dir / "a.qingling", {});
    auto second = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
    WriteTransaction tx(first);
    first.audit(tx, "test", "", 0, "", "", "");
    EXPECT_THROW({ WriteTransaction other(second); }, ProjectInUseError);
    const auto reader = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only);
    EXPECT_EQ(reader.settings().epsg, 4547);
    tx.commit();
    EXPECT_NO_THROW({ WriteTransaction other(second); });
}

TEST(ProjectStore, UncommittedTransactionLeavesProjectUnchanged) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    const auto before = store.audit_log().size();
    {
        WriteTransaction tx(store);
        LedgerRecord r;
        r.name = "测试企业";
        store.add_enterprise(tx, r);
    }  // no commit
    EXPECT_EQ(store.ledger_size(), 0);
    EXPECT_EQ(store.audit_log().size(), before);
}

TEST(ProjectStore, LedgerRoundTripAndAuditTrail) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    LedgerRecord r;
    r.name = "东湖村红星砖瓦厂";
    r.credit_code = "91110000802100433B";
    r.village = "东湖村";
    r.industry = "砖瓦";
    r.department = "处国土所";
    r.permits[Permit::business_license] = true;
    r.permits[Permit::eia] = false;
    r.wastewater = Emission::untreated;
    r.solid_waste_ledger = false;
    r.coord_source = CoordSource::gcj02;
    r.original_x = "114.305";
    r.original_y = "30.605";
    r.x = 529248.241;
    r.y = 3387221.856;
    r.extra = {{"备用电话", "13800000000"}};
    {
        WriteTransaction tx(store);
        store.add_enterprise(tx, r);
        tx.commit();
    }
    const auto ledger = store.ledger();
    ASSERT_EQ(ledger.size(), 1u);
    const auto& got = ledger[0];
    EXPECT_EQ(got.name, r.name);
    EXPECT_EQ(got.credit_code, r.credit_code);
    EXPECT_EQ(got.permits.at(Permit::business_license), std::optional<bool>(true));
    EXPECT_EQ(got.permits.at(Permit::eia), std::optional<bool>(false));
    EXPECT_EQ(got.permits.count(Permit::food), 0u);
    EXPECT_EQ(got.wastewater, Emission::untreated);
    EXPECT_EQ(got.solid_waste_ledger, std::optional<bool>(false));
    EXPECT_EQ(got.coord_source, CoordSource::gcj02);
    ASSERT_TRUE(got.x && got.y);
    EXPECT_NEAR(*got.x, 529248.241, 1e-6);
    EXPECT_NEAR(*got.y, 3387221.856, 1e-6);
    ASSERT_EQ(got.extra.size(), 1u);
    EXPECT_EQ(got.extra[0].first, "备用电话");
    const auto log = store.audit_log();
    ASSERT_GE(log.size(), 2u);
    EXPECT_EQ(log.back().action, "add enterprise");
    EXPECT_EQ(log.back().new_value, "东湖村红星砖瓦厂");
    EXPECT_FALSE(log.back().user.empty());
}

TEST(ProjectStore, AuditLogCannotBeEdited) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "a.qingling").c_str(), &db), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET user='x'", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

TEST(ProjectStore, SettingsChangesAreAudited) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    auto s = store.settings();
    s.calendar.close_end = "2025-01-15";
    {
        WriteTransaction tx(store);
        store.set_settings(tx, s);
        tx.commit();
    }
    EXPECT_EQ(store.settings().calendar.close_end, "2025-01-15");
    const auto log = store.audit_log();
    EXPECT_EQ(log.back().field, "calendar.close_end");
    EXPECT_EQ(log.back().old_value, "2024-11-30");
    EXPECT_EQ(log.back().new_value, "2025-01-15");
    s.epsg = 4527;
    WriteTransaction tx(store);
    EXPECT_THROW(store.set_settings(tx, s), UsageError);
}
