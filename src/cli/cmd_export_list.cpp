// qingling-cli export list PROJECT OUT.xlsx|OUT.csv --kind ledger|power-cut|department:NAME
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/list_export.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ExportListCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("list", "清单: 分类处置台账, 断电清单 or a department's task list (XLSX/CSV)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT", out_, "output .xlsx or .csv")->required();
        app->add_option("--kind", kind_,
                        "ledger (分类处置台账, default), power-cut (断电清单) or department:NAME (e.g. department:处国土所; "
                        "处环保办, 处畜牧站, 处林业站, 处食安办, 处城管队)");
        return app;
    }

    int run() override {
        const auto kind = parse_list_kind(kind_, options_.department);
        if (!kind) throw UsageError("--kind: expected ledger, power-cut or department:NAME, not '" + kind_ + "'");
        options_.kind = *kind;
        options_.out = out_;
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        TerminalProgress progress;
        const ListExportReport report = export_list(store, options_, progress);
        std::cout << "已导出" << report.title << " " << report.rows << " 家企业到 " << out_ << '\n';
        return 0;
    }

private:
    std::string project_, out_, kind_ = "ledger";
    ListExportOptions options_;
};

} // namespace

std::unique_ptr<Command> make_export_list_command() { return std::make_unique<ExportListCommand>(); }

} // namespace qingling::cli
