#include "core/demo_project.hpp"

#include "core/basemap.hpp"
#include "core/demo_imagery.hpp"

#include "core/demo_sources.hpp"
#include "core/errors.hpp"

namespace qingling {

DemoBuildReport build_demo_project(const std::filesystem::path& project, const std::filesystem::path& sources_dir,
                                   Progress& progress) {
    if (std::filesystem::exists(project))
        throw UsageError("'" + project.string() + "' already exists; choose another file name");
    DemoBuildReport report;
    report.sources_dir = sources_dir;
    StageProgress writing(progress, 0.0, 0.4);
    const std::vector<DemoSource> sources = write_demo_sources(sources_dir, writing);

    ProjectSettings settings;
    settings.name = "青岭街道散乱污企业整治 (演示)";
    settings.jurisdiction = "青岭街道";
    settings.epsg = 4547;
    try {
        auto store = ProjectStore::create(project, settings);
        const double step = 0.5 / static_cast<double>(sources.size());
        double at = 0.4;
        for (const auto& source : sources) {
            StageProgress stage(progress, at, at + step);
            at += step;
            if (source.role == "ledger") {
                LedgerImportOptions lo;
                lo.file = source.path;
                report.ledger = import_ledger(store, lo, stage);
                continue;
            }
            LayerImportOptions o;
            o.source = source.path;
            o.role = source.role;
            o.source_layer = source.layer;
            o.name = source.name;
            report.layers.push_back(import_layer(store, o, stage));
        }
        // A simulated orthophoto as the raster basemap (the land office would add its own imagery).
        for (const auto& source : sources)
            if (source.role == "landuse") {
                const std::filesystem::path imagery = sources_dir / "青岭街道_模拟正射影像.tif";
                StageProgress drawing(progress, 0.86, 0.88);
                write_demo_imagery(source.path, imagery, drawing);
                BasemapAddOptions bo;
                bo.raster = imagery;
                bo.name = "模拟正射影像";
                StageProgress adding(progress, 0.88, 0.9);
                report.basemap = add_basemap(store, bo, adding);
            }
        StageProgress campaign(progress, 0.9, 1.0);
        report.campaign = build_demo_campaign(store, sources_dir, campaign);
    } catch (...) {
        // A half-built demo is worth nothing: remove it (the store is closed by now).
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(project.string() + suffix, ec);
        throw;
    }
    progress.report(1.0, "完成");
    return report;
}

} // namespace qingling
