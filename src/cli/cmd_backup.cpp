// qingling-cli backup PROJECT [OUT] | --list, and qingling-cli restore PROJECT BACKUP.
#include "cli/command.hpp"
#include "core/errors.hpp"
#include "core/project_backup.hpp"
#include "core/project_store.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

namespace fs = std::filesystem;

std::string contents_line(const ProjectStore& store) {
    return "图层 " + std::to_string(store.layers().size()) + " 个, 企业台账 " + std::to_string(store.ledger_size()) +
           " 家, 检查 " + std::to_string(store.check_runs().size()) + " 次, 格式版本 " +
           std::to_string(store.schema_version());
}

class BackupCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "backup", "备份: copy a campaign file safely while others read it (default: into <file>.backups/)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT", out_, "the copy to write (must not exist); without it a rotating backup is made");
        app->add_flag("--list", list_, "list the automatic backups instead, oldest first");
        return app;
    }

    int run() override {
        if (list_) {
            if (!out_.empty()) throw UsageError("--list takes no OUT");
            const auto all = list_backups(project_);
            if (all.empty()) std::cout << "没有自动备份 (" << backup_folder(project_).string() << ")\n";
            for (const auto& p : all) std::cout << p.string() << "  " << fs::file_size(p) << " 字节\n";
            return 0;
        }
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        fs::path written = out_;
        if (out_.empty()) written = make_rotating_backup(store, "manual", true);
        else store.backup_to(out_);
        auto copy = ProjectStore::open(written, ProjectStore::Access::read_only);
        const std::string integrity = copy.integrity_check();
        std::cout << "已备份 " << project_.string() << " 到 " << written.string() << "\n";
        std::cout << contents_line(copy) << ", 完整性检查 " << integrity << "\n";
        if (integrity != "ok") throw ProjectError("the backup '" + written.string() + "' fails the integrity check");
        return 0;
    }

private:
    fs::path project_, out_;
    bool list_ = false;
};

class RestoreCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "restore", "恢复: replace a campaign file's content by a backup (checked first; the current content is backed up)");
        app->add_option("PROJECT", project_, "campaign file to restore")->required();
        app->add_option("BACKUP", backup_, "the backup to restore from")->required();
        return app;
    }

    int run() override {
        const RestoreReport r = restore_project(project_, backup_);
        std::cout << "已从 " << r.backup.string() << " 恢复 " << r.project.string() << "\n";
        std::cout << "图层 " << r.layers << " 个, 企业台账 " << r.enterprises << " 家, 检查 " << r.check_runs
                  << " 次, 格式版本 " << r.schema_version;
        if (r.backup_schema_version != r.schema_version) std::cout << " (备份为格式版本 " << r.backup_schema_version << ", 已升级)";
        std::cout << "\n恢复前的内容已备份为 " << r.previous_saved_as.string() << "\n";
        return 0;
    }

private:
    fs::path project_, backup_;
};

} // namespace

std::unique_ptr<Command> make_backup_command() { return std::make_unique<BackupCommand>(); }
std::unique_ptr<Command> make_restore_command() { return std::make_unique<RestoreCommand>(); }

} // namespace qingling::cli
