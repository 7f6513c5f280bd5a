// qingling-cli new PROJECT [--crs EPSG:n | --crs-from SOURCE [--layer L]] [--name NAME] [--jurisdiction NAME]
#include "cli/command.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/layer_import.hpp"
#include "core/project_store.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class NewCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("new", "新建整治项目: create an empty campaign file");
        app->add_option("PROJECT", project_, "campaign file to create (e.g. 青岭.qingling)")->required();
        app->add_option("--crs", crs_, "working CRS, a CGCS2000 Gauss-Krüger one (default EPSG:4547)");
        app->add_option("--crs-from", crs_from_, "choose the CRS from a data file: its own CGCS2000 GK CRS, or the 3-degree GK zone around its centre")
            ->excludes(app->get_option("--crs"));
        app->add_option("--layer", layer_, "layer of a multi-layer --crs-from source");
        app->add_option("--name", name_, "campaign name");
        app->add_option("--jurisdiction", jurisdiction_, "subdistrict name, e.g. 青岭街道");
        return app;
    }

    int run() override {
        ProjectSettings settings;
        if (!name_.empty()) settings.name = name_;
        settings.jurisdiction = jurisdiction_;
        if (!crs_.empty()) {
            const auto epsg = srs_epsg(make_srs(crs_));
            if (!epsg) throw UsageError("--crs must name an EPSG CRS, e.g. EPSG:4547");
            settings.epsg = *epsg;
        }
        if (!crs_from_.empty()) {
            LayerImportOptions source;
            source.source = crs_from_;
            source.source_layer = layer_;
            settings.epsg = suggest_project_epsg(source);
        }
        ProjectStore::create(project_, settings);
        std::cout << "已创建项目 " << project_ << " (" << settings.name << ", 坐标系 EPSG:" << settings.epsg << ")\n";
        return 0;
    }

private:
    std::string project_, crs_, crs_from_, layer_, name_, jurisdiction_;
};

} // namespace

std::unique_ptr<Command> make_new_command() { return std::make_unique<NewCommand>(); }

} // namespace qingling::cli
