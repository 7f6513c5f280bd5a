// qingling-cli export PROJECT LAYER OUT [--encoding GBK] [--crs EPSG:n]
#include "cli/command.hpp"
#include "core/layer_export.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ExportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("export", "导出图层: write a project layer to .gpkg/.shp/.geojson/.kml/.csv/.dxf/.gdb");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("LAYER", options_.layer, "layer name in the project")->required();
        app->add_option("OUT", out_, "output file; the format follows the extension")->required();
        app->add_option("--encoding", options_.encoding, "Shapefile text encoding: UTF-8 (default) or GBK");
        app->add_option("--crs", options_.crs, "output CRS (default: the project's)");
        return app;
    }

    int run() override {
        options_.out = out_;
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const long long n = export_layer(store, options_);
        std::cout << "已导出图层 \"" << options_.layer << "\" 到 " << out_ << " (" << n << " 个要素)\n";
        return 0;
    }

private:
    std::string project_, out_;
    LayerExportOptions options_;
};

} // namespace

std::unique_ptr<Command> make_export_command() { return std::make_unique<ExportCommand>(); }

} // namespace qingling::cli
