// Reads views of the raster basemaps on a worker thread (GDAL, through core/basemap), so panning
// never waits for the imagery: the renderer keeps drawing the last image at its place until the
// one for the new view arrives. Only the latest request of each basemap is read. No GL here.
#pragma once

#include "app/camera.hpp"
#include "core/basemap.hpp"

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace qingling::app {

struct BasemapView {
    Extent view;
    int width = 0, height = 0;  // pixels
    bool operator==(const BasemapView& o) const {
        return view.minx == o.view.minx && view.miny == o.view.miny && view.maxx == o.view.maxx && view.maxy == o.view.maxy &&
               width == o.width && height == o.height;
    }
};

class BasemapLoader {
public:
    // `on_finished` is called on the worker thread after each image (e.g. to wake the event loop).
    explicit BasemapLoader(std::function<void()> on_finished = {});
    BasemapLoader(const BasemapLoader&) = delete;
    BasemapLoader& operator=(const BasemapLoader&) = delete;
    ~BasemapLoader();

    struct Source {
        std::filesystem::path file;
        std::string crs;  // BasemapInfo::crs
    };
    // A new project: forgets the old sources, their requests and results.
    void set_sources(std::vector<Source> sources, int project_epsg);
    // Replaces the basemap's pending request (one not started yet).
    void request(std::size_t basemap, const BasemapView& view);
    struct Finished {
        std::size_t basemap = 0;
        BasemapView view;
        BasemapImage image;
        std::string error;  // the file is missing or unreadable: no image
    };
    std::vector<Finished> take_finished();
    bool idle() const;
    // Waits until an image is ready or nothing is asked for.
    void wait_for_progress();

private:
    void run();

    std::function<void()> on_finished_;
    mutable std::mutex mutex_;
    std::condition_variable work_, progress_;
    std::vector<Source> sources_;
    int epsg_ = 0;
    unsigned generation_ = 0;
    std::map<std::size_t, BasemapView> pending_;
    std::vector<Finished> finished_;
    bool in_hand_ = false;
    bool stop_ = false;
    std::thread worker_;
};

} // namespace qingling::app
