#include "app/basemap_loader.hpp"

#include <exception>
#include <utility>

namespace qingling::app {

BasemapLoader::BasemapLoader(std::function<void()> on_finished)
    : on_finished_(std::move(on_finished)), worker_([this] { run(); }) {}

BasemapLoader::~BasemapLoader() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        pending_.clear();
    }
    work_.notify_all();
    worker_.join();
}

void BasemapLoader::set_sources(std::vector<Source> sources, int project_epsg) {
    {
        std::lock_guard lock(mutex_);
        sources_ = std::move(sources);
        epsg_ = project_epsg;
        ++generation_;
        pending_.clear();
        finished_.clear();
    }
    progress_.notify_all();
}

void BasemapLoader::request(std::size_t basemap, const BasemapView& view) {
    {
        std::lock_guard lock(mutex_);
        pending_[basemap] = view;
    }
    work_.notify_one();
}

std::vector<BasemapLoader::Finished> BasemapLoader::take_finished() {
    std::lock_guard lock(mutex_);
    return std::exchange(finished_, {});
}

bool BasemapLoader::idle() const {
    std::lock_guard lock(mutex_);
    return pending_.empty() && !in_hand_;
}

void BasemapLoader::wait_for_progress() {
    std::unique_lock lock(mutex_);
    progress_.wait(lock, [&] { return !finished_.empty() || (pending_.empty() && !in_hand_); });
}

void BasemapLoader::run() {
    // The readers live on this thread only (a GDAL dataset is not for two threads at once).
    std::map<std::size_t, std::unique_ptr<BasemapReader>> readers;
    std::map<std::size_t, std::string> failures;
    unsigned readers_generation = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
        work_.wait(lock, [&] { return stop_ || !pending_.empty(); });
        if (stop_) return;
        const auto job = *pending_.begin();
        pending_.erase(pending_.begin());
        in_hand_ = true;
        const unsigned generation = generation_;
        const std::size_t index = job.first;
        const bool known = index < sources_.size();
        const Source source = known ? sources_[index] : Source{};
        const int epsg = epsg_;
        lock.unlock();
        if (readers_generation != generation) {
            readers.clear();
            failures.clear();
            readers_generation = generation;
        }
        Finished done{index, job.second, {}, {}};
        if (!known) {
            done.error = "no such basemap";
        } else {
            try {
                auto& reader = readers[index];
                if (!reader && !failures.count(index)) reader = std::make_unique<BasemapReader>(source.file, source.crs, epsg);
                if (reader) {
                    const Extent& v = job.second.view;
                    done.image = reader->read(v.minx, v.miny, v.maxx, v.maxy, job.second.width, job.second.height);
                } else {
                    done.error = failures[index];
                }
            } catch (const std::exception& e) {
                failures[index] = e.what();
                readers.erase(index);
                done.error = e.what();
            }
        }
        lock.lock();
        in_hand_ = false;
        if (generation == generation_) finished_.push_back(std::move(done));
        progress_.notify_all();
        if (on_finished_) {
            lock.unlock();
            on_finished_();
            lock.lock();
        }
    }
}

} // namespace qingling::app
