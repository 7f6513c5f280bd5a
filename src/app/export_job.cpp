#include "app/export_job.hpp"

#include "core/errors.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace qingling::app {

void set_view_of_export(MapExportOptions& options, const MapModel& model, const Camera& camera,
                        const std::vector<char>& visible, const std::vector<int>& order) {
    const Extent e = camera.visible_extent();
    options.extent = WorldBox{};
    if (!e.empty()) {
        options.extent.add(e.minx, e.miny);
        options.extent.add(e.maxx, e.maxy);
    }
    std::vector<std::string> names;
    std::vector<size_t> indices;
    if (order.size() == model.layers.size())
        for (int i : order) indices.push_back(static_cast<size_t>(i));
    else
        for (size_t i = 0; i < model.layers.size(); ++i) indices.push_back(i);
    for (size_t i : indices)
        if (i < visible.size() ? visible[i] != 0 : model.layers[i].style.visible) names.push_back(model.layers[i].info.name);
    options.layers = names;
}

double preview_dpi(PageSize page, int max_width, int max_height) {
    const double dpi = std::floor(std::min(max_width * 72.0 / page.width, max_height * 72.0 / page.height));
    return std::max(5.0, dpi);
}

std::string preview_key(const MapExportOptions& o) {
    std::ostringstream k;
    k.precision(17);
    k << static_cast<int>(o.preset) << '|' << static_cast<int>(o.page) << '|' << o.dpi << '|' << o.title << '|'
      << o.subtitle << '|' << o.unit << '|' << o.date << '|' << o.as_of << '|' << o.extent.valid << ',' << o.extent.minx << ','
      << o.extent.miny << ',' << o.extent.maxx << ',' << o.extent.maxy << '|';
    if (o.layers)
        for (const auto& l : *o.layers) k << l << ';';
    return k.str();
}

MapJobOutcome run_map_job(const std::filesystem::path& project, const MapExportOptions& options, bool preview,
                          Progress& progress) {
    MapJobOutcome outcome;
    outcome.preview = preview;
    outcome.key = preview_key(options);
    outcome.dpi = options.dpi;
    try {
        const ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_only);
        if (preview) {
            MapPreview p = render_map_preview(store, options, progress);
            outcome.image = std::move(p.image);
            outcome.page = std::move(p.page);
            outcome.summary = _("版面预览已更新");
        } else {
            MapExportReport report = export_map(store, options, progress);
            outcome.files = report.files;
            if (!report.pages.empty()) outcome.page = report.pages.front();
            outcome.summary = _("已导出: ");
            for (size_t i = 0; i < report.files.size(); ++i)
                outcome.summary += (i ? ", " : "") + report.files[i].string();
        }
        outcome.ok = true;
    } catch (const CancelledError&) {
        outcome.cancelled = true;
        outcome.summary = _("导出已取消");
    } catch (const std::exception& e) {
        outcome.error = std::string(preview ? _("版面预览失败: ") : _("导出地图失败: ")) + e.what();
    }
    return outcome;
}

MapJob::~MapJob() {
    progress_->cancel();
    if (worker_.joinable()) worker_.join();
}

void MapJob::start(const std::filesystem::path& project, const MapExportOptions& options, bool preview,
                   bool cancel_first) {
    if (running_) return;
    if (worker_.joinable()) worker_.join();
    progress_ = std::make_unique<JobProgress>();
    if (cancel_first) progress_->cancel();
    {
        std::lock_guard lock(mutex_);
        outcome_.reset();
    }
    running_ = true;
    worker_ = std::thread([this, project, options, preview, progress = progress_.get()] {
        MapJobOutcome outcome = run_map_job(project, options, preview, *progress);
        {
            std::lock_guard lock(mutex_);
            outcome_ = std::move(outcome);
        }
        running_ = false;
    });
}

std::optional<MapJobOutcome> MapJob::take_outcome() {
    if (running_) return std::nullopt;
    std::lock_guard lock(mutex_);
    std::optional<MapJobOutcome> out = std::move(outcome_);
    outcome_.reset();
    return out;
}

MapExportOptions ExportDialogState::options() const {
    MapExportOptions o;
    o.preset = static_cast<MapPreset>(std::clamp(preset, 0, 3));
    o.page = static_cast<PageFormat>(std::clamp(page, 0, 3));
    o.dpi = png ? dpi : 200;
    o.title = title;
    o.subtitle = subtitle;
    o.out = path;
    return o;
}

} // namespace qingling::app
