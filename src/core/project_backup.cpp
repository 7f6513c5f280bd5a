#include "core/project_backup.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>

namespace qingling {

namespace fs = std::filesystem;

fs::path backup_folder(const fs::path& project) {
    return project.parent_path() / (project.filename().string() + ".backups");
}

int backups_to_keep() {
    if (const char* v = std::getenv("QINGLING_BACKUP_KEEP"); v && *v) return std::max(0, std::atoi(v));
    return 5;
}

namespace {
// "<stem>-" followed by a time: the automatic backups of this project (a hand-made copy in the
// folder under another name is never removed).
std::string backup_prefix(const fs::path& project) { return project.stem().string() + "-"; }

std::string utc_stamp() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

std::string safe_reason(const std::string& reason) {
    std::string out;
    for (char c : reason) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '-';
    return out.empty() ? "backup" : out;
}
} // namespace

std::vector<fs::path> list_backups(const fs::path& project) {
    std::vector<std::pair<fs::file_time_type, fs::path>> found;
    std::error_code ec;
    const fs::path folder = backup_folder(project);
    if (!fs::is_directory(folder, ec)) return {};
    const std::string prefix = backup_prefix(project);
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.rfind(prefix, 0) == 0 && entry.path().extension() == ".qingling")
            found.emplace_back(entry.last_write_time(), entry.path());
    }
    std::sort(found.begin(), found.end());
    std::vector<fs::path> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

fs::path make_rotating_backup(const ProjectStore& store, const std::string& reason, bool even_when_off) {
    const int keep = even_when_off ? std::max(1, backups_to_keep()) : backups_to_keep();
    if (keep == 0) return {};
    const fs::path project = store.path();
    const fs::path folder = backup_folder(project);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw ProjectError("cannot create the backup folder '" + folder.string() + "': " + ec.message());
    const std::string base = backup_prefix(project) + utc_stamp() + "-" + safe_reason(reason);
    fs::path target = folder / (base + ".qingling");
    for (int n = 2; fs::exists(target); ++n) target = folder / (base + "-" + std::to_string(n) + ".qingling");
    store.backup_to(target);
    auto all = list_backups(project);
    for (std::size_t i = 0; i + keep < all.size(); ++i) fs::remove(all[i], ec);
    return target;
}

fs::path backup_before_bulk_change(ProjectStore& store, const std::string& reason) {
    if (store.session_backup_done()) return {};
    fs::path made = make_rotating_backup(store, reason);
    store.set_session_backup_done();
    return made;
}

RestoreReport restore_project(const fs::path& project, const fs::path& backup) {
    RestoreReport report;
    report.project = project;
    report.backup = backup;
    if (!fs::exists(backup)) throw InputError("backup '" + backup.string() + "' does not exist");
    int backup_page_size = 0;
    {
        ProjectStore source = [&] {
            try {
                return ProjectStore::open(backup, ProjectStore::Access::read_only);
            } catch (const ProjectInUseError&) {
                throw;
            } catch (const Error& e) {
                throw InputError("backup '" + backup.string() + "' cannot be restored: " + e.what());
            }
        }();
        const std::string integrity = source.integrity_check();
        if (integrity != "ok")
            throw InputError("backup '" + backup.string() + "' is damaged (integrity check: " + integrity +
                             "); the project was not changed");
        report.backup_schema_version = source.schema_version();
        backup_page_size = source.page_size();
    }
    {
        auto store = ProjectStore::open(project, ProjectStore::Access::read_write);
        // SQLite copies a file into a project (kept in WAL mode) only page for page of the same
        // size; checked before anything is written, so a refused restore leaves no trace.
        if (const int project_page_size = store.page_size(); backup_page_size != project_page_size) {
            const std::string size = std::to_string(project_page_size);
            throw InputError("backup '" + backup.string() + "' cannot be restored into '" + project.string() +
                             "': its SQLite page size is " + std::to_string(backup_page_size) + " bytes, the project's " +
                             size + ", and SQLite replaces a project's content only by a copy with the same page size"
                             " (the backup was probably written by another program); the project was not changed. "
                             "To use it: open the backup itself as a project (a copy under a new name), or convert a"
                             " copy with `sqlite3 COPY \"PRAGMA journal_mode=DELETE; PRAGMA page_size=" + size +
                             "; VACUUM;\"` and restore that");
        }
        report.previous_saved_as = make_rotating_backup(store, "before-restore", true);
        store.replace_contents_from(backup);
    }
    // Reopened: an older backup is migrated here (after a backup of it as restored).
    auto store = ProjectStore::open(project, ProjectStore::Access::read_write);
    {
        // The restored audit log ends where the backup was made; this entry says what happened
        // since, and the replaced content (with its full log) is kept as previous_saved_as.
        WriteTransaction tx(store);
        store.audit(tx, "restore from backup", "", 0, "file", report.previous_saved_as.filename().string(),
                    backup.filename().string());
        tx.commit();
    }
    report.schema_version = store.schema_version();
    report.layers = static_cast<long long>(store.layers().size());
    report.enterprises = store.ledger_size();
    report.check_runs = static_cast<long long>(store.check_runs().size());
    return report;
}

} // namespace qingling
