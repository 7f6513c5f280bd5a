// qingling-cli demo PROJECT [--sources DIR]: build the invented demo subdistrict 青岭街道.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/demo_project.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class DemoCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("demo", "演示项目: generate the demo subdistrict 青岭街道 and import it");
        app->add_option("PROJECT", project_, "campaign file to create")->required();
        app->add_option("--sources", sources_, "folder for the generated source files (default: PROJECT's name + '-sources')");
        app->add_flag("--force", force_, "replace an existing demo project and its sources folder");
        return app;
    }

    int run() override {
        const std::filesystem::path project(project_);
        const std::filesystem::path sources =
            sources_.empty() ? project.parent_path() / (project.stem().string() + "-sources") : std::filesystem::path(sources_);
        if (force_) {
            std::error_code ec;
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(project.string() + suffix, ec);
            std::filesystem::remove_all(sources, ec);
        }
        TerminalProgress progress;
        const auto report = build_demo_project(project, sources, progress);
        std::cout << "演示数据已写入 " << sources.string() << "\n\n";
        for (const auto& layer : report.layers) {
            print_layer_import_report(std::cout, layer);
            std::cout << "\n";
        }
        print_ledger_import_report(std::cout, report.ledger);
        const BasemapInfo& b = report.basemap.info;
        std::cout << "\n影像底图 " << b.name << ": " << b.path << " (" << b.width << " x " << b.height << " 像素, 金字塔 "
                  << b.overviews << " 级)\n";
        const auto& c = report.campaign;
        std::cout << "\n整治进度 (演示, 截至 " << c.as_of << "): 合规检查运行 #" << c.check_run_id << "; 甄别确认 "
                  << c.confirmed << " 家, 其中已分类 " << c.classified << " 家, 整治中 " << c.in_progress
                  << " 家, 整治完成 " << c.done << " 家, 已销号 " << c.struck_off << " 家\n";
        std::cout << "  回头看检查 " << c.inspections.inspections.size() << " 次 (照片 " << c.inspections.photos.size()
                  << " 张); 用电数据 " << c.readings.rows << " 个户号, 读数 " << c.readings.readings << " 条\n";
        std::cout << "  查看: qingling-cli status " << project_ << " --as-of " << c.as_of << "\n";
        std::cout << "\n已创建项目 " << project_ << "\n";
        return 0;
    }

private:
    std::string project_, sources_;
    bool force_ = false;
};

} // namespace

std::unique_ptr<Command> make_demo_command() { return std::make_unique<DemoCommand>(); }

} // namespace qingling::cli
