// Backups, restore, the writer's note for a second writer, and the audit log against raw SQL (issue 9).
#include "core/audit_export.hpp"
#include "core/errors.hpp"
#include "core/project_backup.hpp"
#include "core/project_store.hpp"
#include "test_support.hpp"

#include <sqlite3.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace qingling;
namespace fs = std::filesystem;

namespace {

// Sets an environment variable for one test and restores it after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        setenv(name, value, 1);
    }
    ~ScopedEnv() {
        if (old_) setenv(name_, old_->c_str(), 1);
        else unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

void add_enterprises(ProjectStore& store, int n, const std::string& prefix) {
    WriteTransaction tx(store);
    for (int i = 0; i < n; ++i) {
        LedgerRecord r;
        r.name = prefix + std::to_string(i);
        store.add_enterprise(tx, r);
    }
    tx.commit();
}

long long ledger_size_of(const fs::path& path) {
    return ProjectStore::open(path, ProjectStore::Access::read_only).ledger_size();
}

int raw_exec(const fs::path& path, const char* sql, std::string* error = nullptr) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (error && err) *error = err;
    sqlite3_free(err);
    sqlite3_close(db);
    return rc;
}

} // namespace

TEST(ProjectBackup, CopyIsOneConsistentFileWhileTheProjectIsOpen) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    add_enterprises(store, 3, "砖厂");
    store.backup_to(dir / "copy.qingling");
    EXPECT_FALSE(fs::exists(dir / "copy.qingling-wal"));
    EXPECT_THROW(store.backup_to(dir / "copy.qingling"), UsageError) << "an existing file was overwritten";
    auto copy = ProjectStore::open(dir / "copy.qingling", ProjectStore::Access::read_only);
    EXPECT_EQ(copy.ledger_size(), 3);
    EXPECT_EQ(copy.integrity_check(), "ok");
    EXPECT_EQ(copy.ledger()[2].name, "砖厂2");
}

TEST(ProjectBackup, RotatingBackupsKeepTheNewestN) {
    test::TempDir dir;
    ScopedEnv keep("QINGLING_BACKUP_KEEP", "3");
    auto store = ProjectStore::create(dir / "a.qingling", {});
    for (int i = 1; i <= 5; ++i) {
        add_enterprises(store, 1, "e");
        const fs::path made = make_rotating_backup(store, "step" + std::to_string(i));
        EXPECT_EQ(made.parent_path(), dir / "a.qingling.backups");
    }
    // A copy somebody put into the folder by hand is not an automatic backup and is never removed.
    std::ofstream(dir / "a.qingling.backups" / "keep-me.qingling") << "x";
    const auto kept = list_backups(dir / "a.qingling");
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_NE(kept[0].filename().string().find("step3"), std::string::npos) << kept[0];
    EXPECT_NE(kept[2].filename().string().find("step5"), std::string::npos) << kept[2];
    EXPECT_EQ(ledger_size_of(kept[0]), 3);  // as it was after the third enterprise
    EXPECT_EQ(ledger_size_of(kept[2]), 5);
    EXPECT_TRUE(fs::exists(dir / "a.qingling.backups" / "keep-me.qingling"));
}

TEST(ProjectBackup, ZeroTurnsAutomaticBackupsOff) {
    test::TempDir dir;
    ScopedEnv keep("QINGLING_BACKUP_KEEP", "0");
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
    EXPECT_TRUE(backup_before_bulk_change(store, "import").empty());
    EXPECT_FALSE(fs::exists(dir / "a.qingling.backups"));
}

TEST(ProjectBackup, OneBackupPerSessionBeforeBulkChangesAndNoneForANewFile) {
    test::TempDir dir;
    {
        auto created = ProjectStore::create(dir / "a.qingling", {});
        EXPECT_TRUE(backup_before_bulk_change(created, "import").empty()) << "a new, empty file was backed up";
        add_enterprises(created, 2, "e");
    }
    auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
    const fs::path first = backup_before_bulk_change(store, "import");
    ASSERT_FALSE(first.empty());
    EXPECT_NE(first.filename().string().find("-import.qingling"), std::string::npos) << first;
    EXPECT_TRUE(backup_before_bulk_change(store, "check").empty());
    EXPECT_EQ(list_backups(dir / "a.qingling").size(), 1u);
    EXPECT_EQ(ledger_size_of(first), 2);
}

TEST(ProjectBackup, OlderFileIsBackedUpThenMigrated) {
    test::TempDir dir;
    ProjectStore::create_at_schema_version(dir / "old.qingling", {}, 3);
    EXPECT_TRUE(list_backups(dir / "old.qingling").empty());
    { auto reader = ProjectStore::open(dir / "old.qingling", ProjectStore::Access::read_only); }
    EXPECT_TRUE(list_backups(dir / "old.qingling").empty()) << "reading is no reason for a backup";
    auto store = ProjectStore::open(dir / "old.qingling", ProjectStore::Access::read_write);
    EXPECT_EQ(store.schema_version(), ProjectStore::latest_schema_version());
    const auto backups = list_backups(dir / "old.qingling");
    ASSERT_EQ(backups.size(), 1u);
    EXPECT_NE(backups[0].filename().string().find("schema3"), std::string::npos) << backups[0];
    EXPECT_EQ(ProjectStore::open(backups[0], ProjectStore::Access::read_only).schema_version(), 3);
}

TEST(ProjectBackup, RestoreReplacesTheContentAfterBackingUpTheCurrentOne) {
    test::TempDir dir;
    {
        auto store = ProjectStore::create(dir / "a.qingling", {});
        add_enterprises(store, 1, "old");
        store.backup_to(dir / "saved.qingling");
        add_enterprises(store, 2, "new");
    }
    // A reader keeps the file open meanwhile (the viewer): a restore does not need it closed.
    auto reader = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only);
    const RestoreReport r = restore_project(dir / "a.qingling", dir / "saved.qingling");
    EXPECT_EQ(r.enterprises, 1);
    EXPECT_EQ(r.schema_version, ProjectStore::latest_schema_version());
    EXPECT_EQ(ledger_size_of(dir / "a.qingling"), 1);
    EXPECT_EQ(reader.ledger_size(), 1);
    ASSERT_FALSE(r.previous_saved_as.empty());
    EXPECT_EQ(ledger_size_of(r.previous_saved_as), 3) << "the replaced content was not kept";
    EXPECT_EQ(ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only).integrity_check(), "ok");
}

TEST(ProjectBackup, RestoreMigratesAnOlderBackup) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    ProjectStore::create_at_schema_version(dir / "old.qingling", {}, 2);
    const RestoreReport r = restore_project(dir / "a.qingling", dir / "old.qingling");
    EXPECT_EQ(r.backup_schema_version, 2);
    EXPECT_EQ(r.schema_version, ProjectStore::latest_schema_version());
}

TEST(ProjectBackup, RestoreRefusesDamagedNewerAndForeignFilesAndLeavesTheProjectAlone) {
    test::TempDir dir;
    {
        auto store = ProjectStore::create(dir / "a.qingling", {});
        add_enterprises(store, 300, "企业");
        store.backup_to(dir / "saved.qingling");
        add_enterprises(store, 1, "later");
    }
    // Damaged: garbage over a page in the middle (the ledger's rows).
    fs::copy_file(dir / "saved.qingling", dir / "damaged.qingling");
    {
        const auto size = fs::file_size(dir / "damaged.qingling");
        std::fstream f(dir / "damaged.qingling", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size / 4096 / 2 * 4096));
        const std::string garbage(4096, '\x5a');
        f.write(garbage.data(), garbage.size());
    }
    EXPECT_THROW(restore_project(dir / "a.qingling", dir / "damaged.qingling"), InputError);
    // Newer: a later Qingling wrote it.
    fs::copy_file(dir / "saved.qingling", dir / "newer.qingling");
    ASSERT_EQ(raw_exec(dir / "newer.qingling", "PRAGMA user_version = 99"), SQLITE_OK);
    try {
        restore_project(dir / "a.qingling", dir / "newer.qingling");
        FAIL() << "a backup from a newer version was restored";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    }
    // Not a project at all, and missing.
    std::ofstream(dir / "notes.txt") << "hello";
    EXPECT_THROW(restore_project(dir / "a.qingling", dir / "notes.txt"), InputError);
    EXPECT_THROW(restore_project(dir / "a.qingling", dir / "missing.qingling"), InputError);
    EXPECT_EQ(ledger_size_of(dir / "a.qingling"), 301);
}

TEST(ProjectBackup, RestoreOfADifferentPageSizeIsRefusedWithWhatToDoAndLeavesNoTrace) {
    test::TempDir dir;
    {
        auto store = ProjectStore::create(dir / "a.qingling", {});
        add_enterprises(store, 2, "old");
        store.backup_to(dir / "saved.qingling");
        add_enterprises(store, 3, "new");
        EXPECT_EQ(store.page_size(), 4096);
    }
    // The backup rewritten with 1 KB pages, as another program (or an old SQLite) may leave it.
    ASSERT_EQ(raw_exec(dir / "saved.qingling", "PRAGMA journal_mode = DELETE; PRAGMA page_size = 1024; VACUUM"), SQLITE_OK);
    ASSERT_EQ(ProjectStore::open(dir / "saved.qingling", ProjectStore::Access::read_only).page_size(), 1024);
    try {
        restore_project(dir / "a.qingling", dir / "saved.qingling");
        FAIL() << "a backup with another page size was restored";
    } catch (const InputError& e) {
        const std::string why = e.what();
        EXPECT_NE(why.find("page size is 1024 bytes, the project's 4096"), std::string::npos) << why;
        EXPECT_NE(why.find("the project was not changed"), std::string::npos) << why;
        EXPECT_NE(why.find("PRAGMA page_size=4096; VACUUM;"), std::string::npos) << why;
    }
    EXPECT_EQ(ledger_size_of(dir / "a.qingling"), 5);
    EXPECT_TRUE(list_backups(dir / "a.qingling").empty()) << "a refused restore made a before-restore backup";
    EXPECT_EQ(ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only).integrity_check(), "ok");

    // What the message says to do works: the converted copy is restored.
    fs::copy_file(dir / "saved.qingling", dir / "converted.qingling");
    ASSERT_EQ(raw_exec(dir / "converted.qingling", "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM"), SQLITE_OK);
    EXPECT_EQ(restore_project(dir / "a.qingling", dir / "converted.qingling").enterprises, 2);
    EXPECT_EQ(ledger_size_of(dir / "a.qingling"), 2);
}

TEST(ProjectBackup, RestoreIsRefusedWhileAnotherConnectionWrites) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    add_enterprises(store, 2, "e");
    store.backup_to(dir / "saved.qingling");
    add_enterprises(store, 1, "f");
    WriteTransaction tx(store);
    EXPECT_THROW(restore_project(dir / "a.qingling", dir / "saved.qingling"), ProjectInUseError);
    tx.commit();
    EXPECT_EQ(store.ledger_size(), 3);
}

// Two processes: the child holds a write transaction; the parent's writer is told who holds it.
TEST(ProjectLocking, SecondWriterInAnotherProcessIsToldWhoHoldsTheFile) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    int ready[2], release[2];
    ASSERT_EQ(pipe(ready), 0);
    ASSERT_EQ(pipe(release), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
            WriteTransaction tx(store);
            store.audit(tx, "child", "", 0, "", "", "");
            char c = 1;
            if (write(ready[1], &c, 1) != 1) _exit(2);
            if (read(release[0], &c, 1) != 1) _exit(3);
            tx.commit();
        } catch (...) {
            _exit(1);
        }
        _exit(0);
    }
    char c = 0;
    ASSERT_EQ(read(ready[0], &c, 1), 1);
    auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
    try {
        WriteTransaction tx(store);
        FAIL() << "two writers at once";
    } catch (const ProjectInUseError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("in use by " + current_user_name() + "@"), std::string::npos) << m;
        EXPECT_NE(m.find(" pid " + std::to_string(child) + " since 20"), std::string::npos) << m;
    }
    // Readers still work meanwhile.
    EXPECT_EQ(ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only).ledger_size(), 0);
    ASSERT_EQ(write(release[1], &c, 1), 1);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(project_writer(dir / "a.qingling"), "") << "the note outlived the transaction";
    EXPECT_NO_THROW({ WriteTransaction tx(store); });
    EXPECT_EQ(store.audit_log().back().action, "child");
    for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
}

// A holder killed mid-transaction leaves its note behind; it blocks nobody and names nobody.
TEST(ProjectLocking, CrashedHolderBlocksNobody) {
    test::TempDir dir;
    { auto store = ProjectStore::create(dir / "a.qingling", {}); }
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
        WriteTransaction tx(store);
        store.audit(tx, "never committed", "", 0, "", "", "");
        raise(SIGKILL);
        _exit(1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_TRUE(fs::exists(dir / "a.qingling.writer"));
    EXPECT_EQ(project_writer(dir / "a.qingling"), "");
    auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_write);
    EXPECT_NO_THROW({
        WriteTransaction tx(store);
        tx.commit();
    });
    EXPECT_FALSE(fs::exists(dir / "a.qingling.writer"));
    for (const auto& e : store.audit_log()) EXPECT_NE(e.action, "never committed");
    EXPECT_EQ(store.integrity_check(), "ok");
}

// The audit log refuses UPDATE and DELETE even from raw SQL on the file (the triggers are in it).
TEST(AuditLog, RawSqlCannotChangeOrDeleteEntries) {
    test::TempDir dir;
    {
        auto store = ProjectStore::create(dir / "a.qingling", {});
        add_enterprises(store, 1, "e");
    }
    std::string error;
    EXPECT_NE(raw_exec(dir / "a.qingling", "UPDATE audit_log SET user = 'someone else'", &error), SQLITE_OK);
    EXPECT_NE(error.find("the audit log cannot be changed"), std::string::npos) << error;
    error.clear();
    EXPECT_NE(raw_exec(dir / "a.qingling", "DELETE FROM audit_log", &error), SQLITE_OK);
    EXPECT_NE(error.find("the audit log cannot be changed"), std::string::npos) << error;
    auto store = ProjectStore::open(dir / "a.qingling", ProjectStore::Access::read_only);
    const auto log = store.audit_log();
    ASSERT_EQ(log.size(), 2u);  // create project, add enterprise
    EXPECT_EQ(log[0].action, "create project");
    EXPECT_NE(log[0].user, "someone else");
    // The export for 纪检 holds every entry.
    const ListTable t = audit_table(store);
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.columns[2].header, "操作人");
    EXPECT_EQ(t.rows[1][3], log[1].action);
    const std::string json = audit_json(store);
    EXPECT_NE(json.find("\"entries\": 2"), std::string::npos) << json;
}
