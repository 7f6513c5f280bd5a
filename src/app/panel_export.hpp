// 导出当前视图 (issue 7): the export dialog over the map — preset, page, PDF or PNG with dpi,
// title and subtitle — and its layout preview, the page drawn by core's Cairo layout into an image
// at screen resolution and shown as a GL texture, made again when the options or the view change.
// The export and the preview run on worker threads (app/export_job); errors go to the error dialog.
#pragma once

#include "app/export_job.hpp"
#include "app/gl_objects.hpp"
#include "app/viewer_state.hpp"

#include <string>

namespace qingling::app {

class ExportPanel {
public:
    // Between frames: starts the export or a new preview when asked, takes finished outcomes
    // (the preview's image becomes the texture). Returns true when something changed on screen.
    bool update(ViewerState& state, bool scripted);
    // The dialog (when open), with the preview and the running export's progress and cancel.
    void draw(ViewerState& state, bool scripted);
    // A job runs or a preview the script waits for is not shown yet.
    bool busy(const ViewerState& state) const;
    // The export of the last finished job (scripted runs report it); cleared when taken.
    std::optional<MapJobOutcome> take_finished_export();

    int preview_width() const { return texture_width_; }
    int preview_height() const { return texture_height_; }
    double preview_dpi_used() const { return texture_dpi_; }

private:
    MapExportOptions current_options(const ViewerState& state) const;

    MapJob export_job_, preview_job_;
    GlTexture texture_;
    int texture_width_ = 0, texture_height_ = 0;
    double texture_dpi_ = 0;
    std::string texture_key_;       // the options the texture shows
    std::string asked_key_;         // the options the running preview was started with
    std::optional<MapJobOutcome> finished_export_;
    bool export_unreported_ = false;  // started, its outcome not taken yet (a fast failure included)
    // The room the dialog gives the preview, in framebuffer pixels.
    int room_width_ = 560, room_height_ = 400;
};

} // namespace qingling::app
