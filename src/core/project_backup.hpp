// Backups of a campaign file: rotating copies made automatically before schema migrations and bulk
// changes (imports, check runs, grid assignment, readings), on request (`qingling-cli backup`),
// and the restore of one. The copies are made by the project store (SQLite's online backup API);
// this file decides where they go, how many are kept and what a restore checks first.
#pragma once

#include "core/project_store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

// "<folder>/<name>.backups" beside the campaign file.
std::filesystem::path backup_folder(const std::filesystem::path& project);

// How many automatic backups are kept per project: $QINGLING_BACKUP_KEEP, else 5; 0 turns them off.
int backups_to_keep();

// The automatic backups of a project, oldest first.
std::vector<std::filesystem::path> list_backups(const std::filesystem::path& project);

// Copies the project to "<name>.backups/<stem>-<UTC time>-<reason>.qingling" and removes the
// oldest automatic backups beyond backups_to_keep(). Returns the copy (empty when turned off,
// unless even_when_off: then at least this one is kept).
std::filesystem::path make_rotating_backup(const ProjectStore& store, const std::string& reason,
                                           bool even_when_off = false);

// Before a bulk change: one rotating backup per connection (a session that imports ten layers
// makes one), none for a project created by this connection. Returns the copy or empty.
std::filesystem::path backup_before_bulk_change(ProjectStore& store, const std::string& reason);

struct RestoreReport {
    std::filesystem::path project;
    std::filesystem::path backup;             // what was restored
    std::filesystem::path previous_saved_as;  // the replaced content, itself backed up first
    int backup_schema_version = 0;
    int schema_version = 0;                   // after the restore (older backups are migrated)
    long long layers = 0, enterprises = 0, check_runs = 0;
};

// Replaces the project's content by a backup. The backup must be a campaign file (not from a newer
// Qingling) that passes PRAGMA integrity_check; the current content is backed up first; refused
// (ProjectInUseError) while another process writes. InputError for a bad backup.
RestoreReport restore_project(const std::filesystem::path& project, const std::filesystem::path& backup);

} // namespace qingling
