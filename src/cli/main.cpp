// qingling-cli: every operation of the viewer, headless. Thin: dispatch and error reporting.
#include "cli/command.hpp"
#include "core/errors.hpp"

#include <iostream>

int main(int argc, char** argv) {
    using namespace qingling;
    CLI::App app{"清零 Qingling — 散乱污企业整治 GIS (command-line tool)", "qingling-cli"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("qingling-cli ") + QINGLING_VERSION);

    std::vector<std::unique_ptr<cli::Command>> commands;
    std::vector<std::pair<CLI::App*, cli::Command*>> dispatch;
    auto add = [&](std::unique_ptr<cli::Command> c, CLI::App& parent) {
        dispatch.emplace_back(c->setup(parent), c.get());
        commands.push_back(std::move(c));
    };
    add(cli::make_new_command(), app);
    add(cli::make_import_command(), app);
    add(cli::make_info_command(), app);
    add(cli::make_export_command(), app);
    CLI::App* ledger = app.add_subcommand("ledger", "企业台账: import, export or list the enterprise ledger");
    ledger->require_subcommand(1);
    add(cli::make_ledger_import_command(), *ledger);
    add(cli::make_ledger_export_command(), *ledger);
    add(cli::make_ledger_list_command(), *ledger);
    add(cli::make_ledger_footprints_command(), *ledger);
    add(cli::make_demo_command(), app);
    add(cli::make_check_command(), app);
    add(cli::make_confirm_command(), app);
    add(cli::make_check_diff_command(), app);
    CLI::App* grid = app.add_subcommand("grid", "网格管理: validate, fix and edit grids, assign enterprises, people, export");
    grid->require_subcommand(1);
    add(cli::make_grid_validate_command(), *grid);
    add(cli::make_grid_assign_command(), *grid);
    add(cli::make_grid_fix_command(), *grid);
    add(cli::make_grid_draw_command(), *grid);
    add(cli::make_grid_split_command(), *grid);
    add(cli::make_grid_merge_command(), *grid);
    add(cli::make_grid_delete_command(), *grid);
    add(cli::make_grid_draft_command(), *grid);
    add(cli::make_grid_reassign_command(), *grid);
    CLI::App* person = grid->add_subcommand("person", "网格人员: add, list or remove 网格长/网格员/督察员");
    person->require_subcommand(1);
    add(cli::make_grid_person_add_command(), *person);
    add(cli::make_grid_person_list_command(), *person);
    add(cli::make_grid_person_remove_command(), *person);
    add(cli::make_grid_staff_command(), *grid);
    add(cli::make_grid_export_command(), *grid);
    add(cli::make_sites_command(), app);
    // 整治进度 (issue 8)
    add(cli::make_status_command(), app);
    add(cli::make_calendar_command(), app);
    add(cli::make_advance_command(), app);
    add(cli::make_clearance_command(), app);
    add(cli::make_accept_command(), app);
    add(cli::make_relocation_command(), app);
    add(cli::make_deadline_command(), app);
    CLI::App* inspect = app.add_subcommand("inspect", "检查记录: inspections (routine and 回头看) with photos");
    inspect->require_subcommand(1);
    add(cli::make_inspect_add_command(), *inspect);
    CLI::App* readings = app.add_subcommand("readings", "用电数据: monthly electricity per 电力户号 and relapse suspects");
    readings->require_subcommand(1);
    add(cli::make_readings_import_command(), *readings);
    add(cli::make_readings_thresholds_command(), *readings);
    CLI::App* report = app.add_subcommand("report", "举报/信访: public reports that create suspect records");
    report->require_subcommand(1);
    add(cli::make_report_add_command(), *report);
    CLI::App* basemap = app.add_subcommand("basemap", "影像底图: raster basemaps (orthophotos) under the map");
    basemap->require_subcommand(1);
    add(cli::make_basemap_add_command(), *basemap);
    add(cli::make_basemap_list_command(), *basemap);
    add(cli::make_basemap_remove_command(), *basemap);
    // safety (issue 9)
    add(cli::make_backup_command(), app);
    add(cli::make_restore_command(), app);
    add(cli::make_audit_command(), app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return static_cast<int>(ExitCode::usage);
    }

    try {
        for (auto& [sub, command] : dispatch)
            if (sub->parsed()) return command->run();
    } catch (const Error& e) {
        std::cerr << "qingling-cli: " << e.what() << '\n';
        return static_cast<int>(e.exit_code());
    } catch (const std::exception& e) {
        std::cerr << "qingling-cli: internal error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::failure);
    }
    return static_cast<int>(ExitCode::usage);
}
