// qingling-cli basemap add PROJECT RASTER [--name N] [--crs EPSG] [--no-overviews]
// qingling-cli basemap list PROJECT
// qingling-cli basemap remove PROJECT NAME
// Raster basemaps (影像底图): orthophotos or any GDAL raster under the map, referenced by path.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/basemap.hpp"
#include "core/project_store.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace qingling::cli {
namespace {

std::string extent_text(const BasemapInfo& b) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.1f, %.1f - %.1f, %.1f", b.minx, b.miny, b.maxx, b.maxy);
    return buf;
}

class BasemapAddCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "add", "add (or replace) a raster basemap: checks it, builds overviews when it has none, records its path");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("RASTER", raster_, "GeoTIFF or any raster GDAL reads (the file stays where it is)")->required();
        app->add_option("--name", name_, "name in the layer list (default: the file name)");
        app->add_option("--crs", epsg_, "EPSG code of the raster when the file does not say");
        app->add_flag("--no-overviews", no_overviews_, "do not build overviews (RASTER.ovr) for a raster without them");
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        BasemapAddOptions o;
        o.raster = raster_;
        o.name = name_;
        o.epsg = epsg_;
        o.build_overviews = !no_overviews_;
        BasemapAddReport r;
        {
            TerminalProgress progress;
            r = add_basemap(store, o, progress);
        }
        const BasemapInfo& b = r.info;
        std::cout << (r.replaced ? "已替换影像底图 " : "已添加影像底图 ") << b.name << "\n"
                  << "  文件: " << b.path << "\n"
                  << "  " << b.width << " x " << b.height << " 像素, " << b.bands << " 个波段, 坐标系 " << b.crs << "\n"
                  << "  范围 (项目坐标系): " << extent_text(b) << "\n"
                  << "  金字塔 " << b.overviews << " 级" << (r.overviews_built ? " (本次新建)" : "") << "\n";
        if (!r.overlaps_jurisdiction) std::cout << "  注意: 影像不在辖区范围内, 请检查坐标系\n";
        return 0;
    }

private:
    std::string project_, raster_, name_;
    std::optional<int> epsg_;
    bool no_overviews_ = false;
};

class BasemapListCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("list", "list the raster basemaps and whether their files are there");
        app->add_option("PROJECT", project_, "campaign file")->required();
        return app;
    }

    int run() override {
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const auto list = store.basemaps();
        std::cout << "影像底图 " << list.size() << " 幅\n";
        if (list.empty()) return 0;
        TextTable t({"名称", "文件", "像素", "金字塔", "坐标系", "文件状态"});
        for (const BasemapInfo& b : list)
            t.add({b.name, b.path, std::to_string(b.width) + " x " + std::to_string(b.height), std::to_string(b.overviews), b.crs,
                   std::filesystem::exists(basemap_file(store.path(), b)) ? "正常" : "文件不存在"});
        t.print(std::cout);
        return 0;
    }

private:
    std::string project_;
};

class BasemapRemoveCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("remove", "forget a raster basemap (its file is left alone)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("NAME", name_, "the basemap's name")->required();
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        WriteTransaction tx(store);
        store.remove_basemap(tx, name_);
        tx.commit();
        std::cout << "已移除影像底图 " << name_ << " (文件未删除)\n";
        return 0;
    }

private:
    std::string project_, name_;
};

} // namespace

std::unique_ptr<Command> make_basemap_add_command() { return std::make_unique<BasemapAddCommand>(); }
std::unique_ptr<Command> make_basemap_list_command() { return std::make_unique<BasemapListCommand>(); }
std::unique_ptr<Command> make_basemap_remove_command() { return std::make_unique<BasemapRemoveCommand>(); }

} // namespace qingling::cli
