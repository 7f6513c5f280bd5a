#include "app/import_job.hpp"

#include "core/errors.hpp"
#include "core/i18n.hpp"

#include <cstdio>

namespace qingling::app {

ImportOutcome run_import(const std::filesystem::path& project, const ImportRequest& request, Progress& progress) {
    ImportOutcome outcome;
    const std::string file = request.source().filename().string();
    char buffer[512];
    try {
        ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_write);
        if (request.kind == ImportRequest::Kind::layer) {
            const LayerImportReport r = import_layer(store, request.layer, progress);
            std::snprintf(buffer, sizeof buffer,
                          trn("已导入图层 %s: %lld 个要素 (编码 %s, 坐标系 %s)", "已导入图层 %s: %lld 个要素 (编码 %s, 坐标系 %s)",
                              static_cast<unsigned long long>(r.imported)),
                          r.layer_name.c_str(),
                          r.imported, r.encoding.c_str(), r.source_crs.c_str());
        } else {
            const LedgerImportReport r = import_ledger(store, request.ledger, progress);
            std::snprintf(buffer, sizeof buffer, _("已导入台账 %s: %lld 家企业, %lld 行未导入"), file.c_str(), r.imported,
                          r.rejected);
        }
        outcome.ok = true;
        outcome.summary = buffer;
    } catch (const CancelledError&) {
        outcome.cancelled = true;
        std::snprintf(buffer, sizeof buffer, _("导入 %s 已取消, 项目未改变"), file.c_str());
        outcome.summary = buffer;
    } catch (const std::exception& e) {
        std::snprintf(buffer, sizeof buffer, _("导入 %s 失败, 项目未改变:"), file.c_str());
        outcome.error = std::string(buffer) + "\n" + e.what();
    }
    return outcome;
}

std::string ImportPreview::all_text() const {
    std::string text = file + error;
    if (layer) {
        text += layer->encoding_how + layer->crs_how + layer->source_layer;
        for (const auto& f : layer->fields) text += f;
        for (const auto& row : layer->rows)
            for (const auto& v : row) text += v;
    }
    if (ledger) {
        text += ledger->report.coordinate_columns;
        for (const auto& r : ledger->first_rows) text += r.name + r.credit_code + r.village + r.industry;
        for (const auto& p : ledger->report.problems) text += p.column + p.message;
    }
    return text;
}

ImportPreview preview_import(const std::filesystem::path& project, const ImportRequest& request, std::size_t max_rows) {
    ImportPreview preview;
    preview.file = request.source().string();
    try {
        if (request.source().empty()) throw InputError(_("请选择文件"));
        if (request.kind == ImportRequest::Kind::layer) {
            preview.layer = probe_layer(request.layer, max_rows);
        } else {
            const ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_only);
            SilentProgress progress;
            preview.ledger = probe_ledger(store, request.ledger, max_rows, progress);
        }
    } catch (const std::exception& e) {
        preview.error = e.what();
    }
    return preview;
}

ImportJob::~ImportJob() {
    progress_->cancel();
    if (worker_.joinable()) worker_.join();
}

void ImportJob::start(const std::filesystem::path& project, const ImportRequest& request, bool cancel_first) {
    if (running_) return;
    if (worker_.joinable()) worker_.join();
    progress_ = std::make_unique<JobProgress>();  // a Progress cannot be un-cancelled
    if (cancel_first) progress_->cancel();
    {
        std::lock_guard lock(mutex_);
        outcome_.reset();
    }
    running_ = true;
    worker_ = std::thread([this, project, request, progress = progress_.get()] {
        ImportOutcome outcome = run_import(project, request, *progress);
        {
            std::lock_guard lock(mutex_);
            outcome_ = std::move(outcome);
        }
        running_ = false;
    });
}

std::optional<ImportOutcome> ImportJob::take_outcome() {
    if (running_) return std::nullopt;
    std::lock_guard lock(mutex_);
    std::optional<ImportOutcome> out = std::move(outcome_);
    outcome_.reset();
    return out;
}

} // namespace qingling::app
