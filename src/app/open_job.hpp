// Reading a project's map model on a worker thread (issue 4: never a frozen window while a project
// loads): 打开项目, and the reload after an import. The frame loop adopts the model when it is read
// and uploads it. No GL here.
#pragma once

#include "app/map_model.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace qingling::app {

struct OpenOutcome {
    std::filesystem::path path;
    std::optional<MapModel> model;  // none when it could not be read
    std::string error;              // why, naming the file
    double seconds = 0;             // reading took
};

class OpenJob {
public:
    // `wake` is called from the worker when the read has finished (the viewer draws again).
    explicit OpenJob(std::function<void()> wake = {}) : wake_(std::move(wake)) {}
    OpenJob(const OpenJob&) = delete;
    OpenJob& operator=(const OpenJob&) = delete;
    ~OpenJob();  // waits for the read

    // Reads `project` on a worker thread; `land_classes` and `styles` must outlive the job. Ignored
    // while a read runs.
    void start(const std::filesystem::path& project, const LandClassStyler& land_classes, const RoleStyles& styles);
    bool running() const { return running_; }
    // Running, or finished with an outcome not yet taken: what a script waits for.
    bool busy();
    // The outcome once the read has finished, once; nullopt while running or when taken.
    std::optional<OpenOutcome> take_outcome();

private:
    std::function<void()> wake_;
    std::thread worker_;
    std::atomic<bool> running_{false};
    std::mutex mutex_;
    std::optional<OpenOutcome> outcome_;
};

// The model of a project, or the reason it cannot be read (the viewer's words for both openings).
OpenOutcome read_project(const std::filesystem::path& project, const LandClassStyler& land_classes, const RoleStyles& styles);

} // namespace qingling::app
