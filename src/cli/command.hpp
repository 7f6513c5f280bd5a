// One class per sub-command (osmium-tool style): it declares its options on its own CLI11
// sub-app and runs an operation of the core library. main() only dispatches and turns typed
// errors into messages and exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <vector>

namespace qingling::cli {

class Command {
public:
    virtual ~Command() = default;
    // Declares the sub-command and its options on parent.
    virtual CLI::App* setup(CLI::App& parent) = 0;
    // Runs after parsing; returns the process exit code (errors are thrown).
    virtual int run() = 0;
};

std::unique_ptr<Command> make_new_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_export_command();
// Sub-commands of export; the export command sets them up and runs the one given.
std::unique_ptr<Command> make_export_map_command();
std::unique_ptr<Command> make_export_list_command();
std::unique_ptr<Command> make_export_bulletin_command();
std::unique_ptr<Command> make_export_evidence_command();
std::unique_ptr<Command> make_ledger_import_command();
std::unique_ptr<Command> make_ledger_export_command();
std::unique_ptr<Command> make_ledger_list_command();
std::unique_ptr<Command> make_ledger_footprints_command();
std::unique_ptr<Command> make_demo_command();
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_confirm_command();
std::unique_ptr<Command> make_check_diff_command();
std::unique_ptr<Command> make_grid_validate_command();
std::unique_ptr<Command> make_grid_assign_command();
std::unique_ptr<Command> make_grid_person_add_command();
std::unique_ptr<Command> make_grid_person_list_command();
std::unique_ptr<Command> make_grid_staff_command();
std::unique_ptr<Command> make_grid_export_command();
std::unique_ptr<Command> make_grid_fix_command();
std::unique_ptr<Command> make_grid_draw_command();
std::unique_ptr<Command> make_grid_split_command();
std::unique_ptr<Command> make_grid_merge_command();
std::unique_ptr<Command> make_grid_delete_command();
std::unique_ptr<Command> make_grid_draft_command();
std::unique_ptr<Command> make_grid_reassign_command();
std::unique_ptr<Command> make_grid_person_remove_command();
std::unique_ptr<Command> make_sites_command();
// 整治进度 (issue 8)
std::unique_ptr<Command> make_status_command();
std::unique_ptr<Command> make_calendar_command();
std::unique_ptr<Command> make_advance_command();
std::unique_ptr<Command> make_clearance_command();
std::unique_ptr<Command> make_accept_command();
std::unique_ptr<Command> make_relocation_command();
std::unique_ptr<Command> make_deadline_command();
std::unique_ptr<Command> make_inspect_add_command();
std::unique_ptr<Command> make_readings_import_command();
std::unique_ptr<Command> make_readings_thresholds_command();
std::unique_ptr<Command> make_report_add_command();
// 影像底图 (issue 4)
std::unique_ptr<Command> make_basemap_add_command();
std::unique_ptr<Command> make_basemap_list_command();
std::unique_ptr<Command> make_basemap_remove_command();
// safety (issue 9)
std::unique_ptr<Command> make_backup_command();
std::unique_ptr<Command> make_restore_command();
std::unique_ptr<Command> make_audit_command();

} // namespace qingling::cli
