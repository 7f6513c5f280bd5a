// The viewer's 导出当前视图 (issue 7): the map of the current view — its extent and its visible
// layers — printed by core's map layout (core/map_layout, the renderer of `qingling-cli export
// map`), on a worker thread like the check (app/check_job), and the layout preview: the same page
// rendered into an image at screen resolution. No GL here.
#pragma once

#include "app/camera.hpp"
#include "app/check_job.hpp"
#include "app/map_model.hpp"
#include "core/map_layout.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace qingling::app {

struct MapDrawOptions;

// The map extent and layers of what the viewer shows: the camera's visible box and the names of
// the layers switched on (`visible`, by index into model.layers) in the layers panel's order
// (`order`, bottom first; empty = the model's).
void set_view_of_export(MapExportOptions& options, const MapModel& model, const Camera& camera,
                        const std::vector<char>& visible, const std::vector<int>& order = {});

// The largest whole dpi at which `page` fits into max_width x max_height pixels (at least 5).
double preview_dpi(PageSize page, int max_width, int max_height);

struct MapJobOutcome {
    bool ok = false;
    bool cancelled = false;
    bool preview = false;
    std::string error;                      // for the error dialog
    std::string summary;                    // e.g. "已导出 …/分布图.pdf"
    std::vector<std::filesystem::path> files;
    MapPageInfo page;                       // where the frame went and what it shows
    PageCanvas::Image image;                // preview: the page
    std::string key;                        // the options it was made with (preview_key)
    double dpi = 0;                         // the resolution it was made at
};

// The options as one string: a preview is stale when they differ.
std::string preview_key(const MapExportOptions& options);

// One export or preview at a time on a worker thread; the project is opened read-only there.
class MapJob {
public:
    MapJob() = default;
    MapJob(const MapJob&) = delete;
    MapJob& operator=(const MapJob&) = delete;
    ~MapJob();  // cancels and waits

    // preview: render the first page into an image (options.dpi) instead of writing options.out.
    void start(const std::filesystem::path& project, const MapExportOptions& options, bool preview,
               bool cancel_first = false);
    bool running() const { return running_; }
    double fraction() const { return progress_->fraction(); }
    std::string stage() const { return progress_->stage(); }
    void cancel() { progress_->cancel(); }
    std::optional<MapJobOutcome> take_outcome();

private:
    std::unique_ptr<JobProgress> progress_ = std::make_unique<JobProgress>();
    std::thread worker_;
    std::atomic<bool> running_{false};
    std::mutex mutex_;
    std::optional<MapJobOutcome> outcome_;
};

// The job's body on the calling thread (tests call it directly).
MapJobOutcome run_map_job(const std::filesystem::path& project, const MapExportOptions& options, bool preview,
                          Progress& progress);

// The export dialog's choices and what the frame loop does with them (panel_export.cpp).
struct ExportDialogState {
    bool open = false;
    int preset = 0;                          // MapPreset
    int page = 1;                            // PageFormat (A4 landscape)
    bool png = false;
    int dpi = 200;
    std::string title, subtitle;             // "" = core's defaults
    std::string path;                        // the output file ("" = beside the project)
    bool preview_on = true;
    bool export_request = false;             // the 导出 button or a script step
    std::string preview_save;                // script: write the preview texture here once shown
    std::string last_outcome;                // how the last export ended
    // The options of the dialog for the current view (extent and layers added by the caller).
    MapExportOptions options() const;
};

} // namespace qingling::app
