// qingling-cli ledger import|export|list: the enterprise ledger (台账).
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/footprint_link.hpp"
#include "core/ledger_export.hpp"
#include "core/ledger_import.hpp"

#include <cstdio>
#include <map>
#include <iostream>

namespace qingling::cli {
namespace {

class LedgerImportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("import", "导入台账: import an XLSX/CSV ledger (or a GDAL point layer)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("FILE", file_, "ledger file (.xlsx, .csv in UTF-8 or GBK, or any GDAL point layer)")->required();
        app->add_option("--sheet", options_.sheet, "sheet of a workbook (default: the first)");
        app->add_option("--coords", coords_, "coordinates: auto (default), wgs84, cgcs2000, gcj02 (高德), bd09 (百度), gk");
        app->add_option("--encoding", options_.encoding, "CSV text encoding: auto (default), GBK, UTF-8");
        return app;
    }

    int run() override {
        const auto hint = parse_coord_hint(coords_);
        if (!hint) throw UsageError("--coords must be auto, wgs84, cgcs2000, gcj02, bd09 or gk");
        options_.coords = *hint;
        options_.file = file_;
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        TerminalProgress progress;
        const auto report = import_ledger(store, options_, progress);
        print_ledger_import_report(std::cout, report);
        return 0;
    }

private:
    std::string project_, file_, coords_ = "auto";
    LedgerImportOptions options_;
};

class LedgerExportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("export", "导出台账: write the ledger to .xlsx or .csv with Chinese headers");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT", out_, "output file (.xlsx or .csv)")->required();
        return app;
    }

    int run() override {
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const auto ledger = store.ledger();
        export_ledger(ledger, out_);
        std::cout << "已导出台账 " << ledger.size() << " 家企业到 " << out_ << "\n";
        return 0;
    }

private:
    std::string project_, out_;
};

class LedgerListCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("list", "台账清单: list the enterprises, with counts by village and industry");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--village", village_, "only this village/community");
        app->add_option("--industry", industry_, "only this industry");
        return app;
    }

    int run() override {
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const auto settings = store.settings();
        TextTable table({"编号", "企业名称", "所属村(社区)", "行业", "责任部门", "信用代码", "X", "Y"});
        std::map<std::string, int> by_village, by_industry;
        int shown = 0, without_point = 0;
        for (const auto& r : store.ledger()) {
            if (!village_.empty() && r.village != village_) continue;
            if (!industry_.empty() && r.industry != industry_) continue;
            char x[32] = "", y[32] = "";
            if (r.x) std::snprintf(x, sizeof x, "%.1f", *r.x);
            if (r.y) std::snprintf(y, sizeof y, "%.1f", *r.y);
            if (!r.x) ++without_point;
            table.add({std::to_string(r.id), r.name, r.village, r.industry, r.department, r.credit_code, x, y});
            ++by_village[r.village.empty() ? "(未填)" : r.village];
            ++by_industry[r.industry.empty() ? "(未填)" : r.industry];
            ++shown;
        }
        std::cout << settings.name << " — 企业台账 (坐标 EPSG:" << settings.epsg << ")\n\n";
        table.print(std::cout);
        std::cout << "\n共 " << shown << " 家, 无坐标 " << without_point << " 家\n\n按村(社区):\n";
        TextTable villages({"村(社区)", "企业数"});
        for (const auto& [v, n] : by_village) villages.add({v, std::to_string(n)});
        villages.print(std::cout);
        std::cout << "\n按行业:\n";
        TextTable industries({"行业", "企业数"});
        for (const auto& [v, n] : by_industry) industries.add({v, std::to_string(n)});
        industries.print(std::cout);
        return 0;
    }

private:
    std::string project_, village_, industry_;
};

class LedgerFootprintsCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "footprints", "占地范围: link the polygons of an imported layer to enterprises by credit code or name");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("LAYER", layer_, "project layer with the outlines (import it first, e.g. --role footprint)")->required();
        app->add_option("--field", field_, "the layer's attribute holding the credit code or name")->required();
        app->add_option("--by", by_, "what the field holds: credit_code (default) or name");
        return app;
    }

    int run() override {
        if (by_ != "credit_code" && by_ != "name") throw UsageError("--by must be credit_code or name");
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        TerminalProgress progress;
        const auto report = link_footprints(store, layer_, field_,
                                            by_ == "name" ? FootprintMatch::name : FootprintMatch::credit_code, progress);
        std::cout << "图层 \"" << layer_ << "\": " << report.features << " 个面, 关联到 " << report.enterprises_linked
                  << " 家企业, 未关联 " << report.problems.size() << " 个\n";
        for (const auto& p : report.problems) std::cout << "  " << p << "\n";
        return 0;
    }

private:
    std::string project_, layer_, field_, by_ = "credit_code";
};

} // namespace

std::unique_ptr<Command> make_ledger_footprints_command() { return std::make_unique<LedgerFootprintsCommand>(); }
std::unique_ptr<Command> make_ledger_import_command() { return std::make_unique<LedgerImportCommand>(); }
std::unique_ptr<Command> make_ledger_export_command() { return std::make_unique<LedgerExportCommand>(); }
std::unique_ptr<Command> make_ledger_list_command() { return std::make_unique<LedgerListCommand>(); }

} // namespace qingling::cli
