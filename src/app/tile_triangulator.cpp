#include "app/tile_triangulator.hpp"

#include <exception>
#include <utility>

namespace qingling::app {

TileTriangulator::TileTriangulator(std::function<void()> on_finished)
    : on_finished_(std::move(on_finished)), worker_([this] { run(); }) {}

TileTriangulator::~TileTriangulator() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    work_.notify_all();
    worker_.join();
}

void TileTriangulator::request(TileKey key, TileRings rings) {
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(key, std::move(rings));
    }
    work_.notify_one();
}

std::vector<TileKey> TileTriangulator::drop_queued(const std::function<bool(const TileKey&)>& keep) {
    std::vector<TileKey> dropped;
    std::lock_guard lock(mutex_);
    std::deque<std::pair<TileKey, TileRings>> kept;
    for (auto& job : queue_) {
        if (keep(job.first)) kept.push_back(std::move(job));
        else dropped.push_back(job.first);
    }
    queue_ = std::move(kept);
    return dropped;
}

void TileTriangulator::reset() {
    {
        std::lock_guard lock(mutex_);
        queue_.clear();
        finished_.clear();
        ++generation_;
    }
    progress_.notify_all();
}

std::vector<TileTriangulator::Finished> TileTriangulator::take_finished() {
    std::lock_guard lock(mutex_);
    return std::exchange(finished_, {});
}

void TileTriangulator::wait_for_progress() {
    std::unique_lock lock(mutex_);
    progress_.wait(lock, [&] { return !finished_.empty() || (queue_.empty() && !in_hand_); });
}

bool TileTriangulator::idle() const {
    std::lock_guard lock(mutex_);
    return queue_.empty() && !in_hand_;
}

void TileTriangulator::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        // Oldest first: the renderer asks for the tiles of a view in the order it draws them.
        auto job = std::move(queue_.front());
        queue_.pop_front();
        in_hand_ = true;
        const unsigned generation = generation_;
        lock.unlock();
        Finished done{job.first, {}, false};
        try {
            done.triangles = triangulate_tile(job.second);
        } catch (const std::exception&) {
            done.failed = true;
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
