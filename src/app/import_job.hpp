// The viewer's imports (导入图层, 导入台账) on a worker thread, like the check (app/check_job): the
// project is opened for writing only by the job; progress for the progress bar; a cancel or an
// error leaves the project as it was (the core imports write in one transaction). No GL here.
#pragma once

#include "app/check_job.hpp"
#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace qingling::app {

struct ImportRequest {
    enum class Kind { layer, ledger };
    Kind kind = Kind::layer;
    LayerImportOptions layer;    // when kind == layer
    LedgerImportOptions ledger;  // when kind == ledger
    const std::filesystem::path& source() const { return kind == Kind::layer ? layer.source : ledger.file; }
};

struct ImportOutcome {
    bool ok = false;
    bool cancelled = false;
    std::string error;    // for the error dialog: names the file (and row) and the reason
    std::string summary;  // e.g. "已导入图层 chinese_poly: 1 个要素"
};

class ImportJob {
public:
    ImportJob() = default;
    ImportJob(const ImportJob&) = delete;
    ImportJob& operator=(const ImportJob&) = delete;
    ~ImportJob();  // cancels and waits

    void start(const std::filesystem::path& project, const ImportRequest& request, bool cancel_first = false);
    bool running() const { return running_; }
    double fraction() const { return progress_->fraction(); }
    std::string stage() const { return progress_->stage(); }
    void cancel() { progress_->cancel(); }
    std::optional<ImportOutcome> take_outcome();

private:
    std::unique_ptr<JobProgress> progress_ = std::make_unique<JobProgress>();
    std::thread worker_;
    std::atomic<bool> running_{false};
    std::mutex mutex_;
    std::optional<ImportOutcome> outcome_;
};

// What the import dialog shows before importing, from core's probes (probe_layer, probe_ledger):
// the detected encoding and CRS and the first rows' decoded text, or why the file cannot be read.
struct ImportPreview {
    std::string file;                    // the path previewed ("" before the first preview)
    std::optional<LayerPreview> layer;
    std::optional<LedgerPreview> ledger;
    std::string error;
    std::string all_text() const;  // every string it shows (for the font's glyphs)
};
// The ledger preview checks against the project (duplicates, jurisdiction), read-only.
ImportPreview preview_import(const std::filesystem::path& project, const ImportRequest& request, std::size_t max_rows = 20);

// Runs one import on the calling thread (the job's body; tests call it directly).
ImportOutcome run_import(const std::filesystem::path& project, const ImportRequest& request, Progress& progress);

} // namespace qingling::app
