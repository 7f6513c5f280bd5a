// qingling-cli export evidence PROJECT OUT_DIR [--enterprise ID] [--village V]
// The stored photos and 两断三清 evidence, one folder per enterprise, with an index (SHA-256 per
// file) and the photos' positions as a GeoPackage.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/evidence_export.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ExportEvidenceCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "evidence", "证据导出: stored photos and 两断三清 evidence, a folder per enterprise, with an index and SHA-256");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT_DIR", out_, "new folder to create")->required();
        app->add_option("--enterprise", enterprise_, "only this enterprise (ledger id)");
        app->add_option("--village", options_.village, "only the enterprises of this village");
        return app;
    }

    int run() override {
        if (enterprise_ != 0) options_.enterprise_id = enterprise_;
        options_.out_dir = std::filesystem::u8path(out_);
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        EvidenceExportReport report;
        {
            TerminalProgress progress;
            report = export_evidence(store, options_, progress);
        }
        long long photos = 0, bytes = 0;
        for (const auto& f : report.files) {
            photos += f.kind == "检查照片";
            bytes += f.bytes;
        }
        std::cout << "已导出证据 " << report.files.size() << " 个文件（照片 " << photos << " 张，两断三清材料 "
                  << report.files.size() - photos << " 份，" << report.enterprises << " 家企业，" << bytes
                  << " 字节）到 " << out_ << "\n";
        std::cout << "  目录: 证据目录.xlsx（每个文件的 SHA-256）\n";
        if (report.placed_photos > 0)
            std::cout << "  照片位置: 照片位置.gpkg（" << report.placed_photos << " 张有 GPS 位置）\n";
        return 0;
    }

private:
    std::string project_, out_;
    long long enterprise_ = 0;
    EvidenceExportOptions options_;
};

} // namespace

std::unique_ptr<Command> make_export_evidence_command() { return std::make_unique<ExportEvidenceCommand>(); }

} // namespace qingling::cli
