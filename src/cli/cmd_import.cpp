// qingling-cli import PROJECT SOURCE --role ROLE [--layer L] [--name N] [--encoding E] [--crs C]
//                     [--code-system auto|sandiao|yongdi] [--code-field F] [--replace]
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/layer_import.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ImportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("import", "导入图层: import a vector layer (any GDAL format) with a role");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("SOURCE", source_, "Shapefile (also .zip), GeoPackage, GeoJSON, KML, .gdb/.gdb.zip, CSV, .osm.pbf …")
            ->required();
        app->add_option("--role", options_.role,
                        "jurisdiction, village, landuse, planning, farmland, eco_redline, urban_boundary, "
                        "water_protection, industrial_park, park_parcel, sensitive, grid, or a word of your own")
            ->required();
        app->add_option("--layer", options_.source_layer, "layer of a multi-layer source");
        app->add_option("--name", options_.name, "layer name in the project (default: the source layer's)");
        app->add_option("--encoding", options_.encoding, "text encoding: auto (default), GBK, UTF-8, …");
        app->add_option("--crs", options_.crs, "source CRS when missing or wrong, e.g. EPSG:4527");
        app->add_option("--code-system", code_system_, "land-class codes: auto (default), sandiao (三调), yongdi (用地用海)");
        app->add_option("--code-field", options_.code_field, "attribute holding the land-class code (default: DLBM, GHDLBM, …)");
        app->add_flag("--replace", options_.replace, "replace a layer of the same name");
        return app;
    }

    int run() override {
        const auto system = parse_code_system(code_system_);
        if (!system) throw UsageError("--code-system must be auto, sandiao or yongdi");
        options_.code_system = *system;
        options_.source = source_;
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        TerminalProgress progress;
        const auto report = import_layer(store, options_, progress);
        print_layer_import_report(std::cout, report);
        return 0;
    }

private:
    std::string project_, source_, code_system_ = "auto";
    LayerImportOptions options_;
};

} // namespace

std::unique_ptr<Command> make_import_command() { return std::make_unique<ImportCommand>(); }

} // namespace qingling::cli
