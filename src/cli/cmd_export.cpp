// qingling-cli export PROJECT LAYER OUT [--encoding GBK] [--crs EPSG:n]
// qingling-cli export map|list|bulletin|evidence ...   (maps, lists, bulletins and evidence: cmd_export_*.cpp)
//
// The old form stays: `export` takes a layer when no sub-command follows it. A layer literally named
// map, list or bulletin is exported with `export PROJECT -- LAYER OUT`.
#include "cli/command.hpp"
#include "core/errors.hpp"
#include "core/layer_export.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ExportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "export", "导出: a layer to .gpkg/.shp/.geojson/.kml/.csv/.dxf/.gdb (export PROJECT LAYER OUT), or "
                      "export map|list|bulletin for meetings, export evidence");
        app->add_option("PROJECT", project_, "campaign file");
        app->add_option("LAYER", options_.layer, "layer name in the project");
        app->add_option("OUT", out_, "output file; the format follows the extension");
        app->add_option("--encoding", options_.encoding, "Shapefile text encoding: UTF-8 (default) or GBK");
        app->add_option("--crs", options_.crs, "output CRS (default: the project's)");
        app->require_subcommand(0, 1);
        for (auto make : {make_export_map_command, make_export_list_command, make_export_bulletin_command,
                          make_export_evidence_command}) {
            children_.push_back(make());
            child_apps_.push_back(children_.back()->setup(*app));
        }
        return app;
    }

    int run() override {
        for (size_t i = 0; i < children_.size(); ++i)
            if (child_apps_[i]->parsed()) return children_[i]->run();
        if (project_.empty() || options_.layer.empty() || out_.empty())
            throw UsageError("export needs PROJECT LAYER OUT, or one of: export map, export list, export bulletin "
                             "(see qingling-cli export --help)");
        options_.out = out_;
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const long long n = export_layer(store, options_);
        std::cout << "已导出图层 \"" << options_.layer << "\" 到 " << out_ << " (" << n << " 个要素)\n";
        return 0;
    }

private:
    std::string project_, out_;
    LayerExportOptions options_;
    std::vector<std::unique_ptr<Command>> children_;
    std::vector<CLI::App*> child_apps_;
};

} // namespace

std::unique_ptr<Command> make_export_command() { return std::make_unique<ExportCommand>(); }

} // namespace qingling::cli
