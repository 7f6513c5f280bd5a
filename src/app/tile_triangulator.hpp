// Triangulates fill tiles (app/fill_triangles) on a worker thread, so zooming in never waits for
// GLU: the renderer asks for the tiles in view and draws them by stencil until their triangles
// arrive. Jobs asked for by an earlier view and not started yet are dropped when the view moves
// on. No GL here.
#pragma once

#include "app/fill_triangles.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qingling::app {

struct TileKey {
    std::uint32_t layer = 0, band = 0, tile = 0;
    bool operator==(const TileKey& o) const { return layer == o.layer && band == o.band && tile == o.tile; }
};

class TileTriangulator {
public:
    // `on_finished` is called on the worker thread after each tile (e.g. to wake the event loop).
    explicit TileTriangulator(std::function<void()> on_finished = {});
    TileTriangulator(const TileTriangulator&) = delete;
    TileTriangulator& operator=(const TileTriangulator&) = delete;
    ~TileTriangulator();  // drops the queue and waits for the tile in hand

    void request(TileKey key, TileRings rings);
    // Drops queued jobs for which `keep` is false; returns their keys (the caller may ask again).
    std::vector<TileKey> drop_queued(const std::function<bool(const TileKey&)>& keep);
    // Drops everything queued and finished, and what is in hand when it completes (a new model).
    void reset();
    struct Finished {
        TileKey key;
        TileTriangles triangles;
        bool failed = false;  // GLU refused the tile: keep drawing it by stencil
    };
    std::vector<Finished> take_finished();
    // Waits until something finished or nothing is queued or in hand.
    void wait_for_progress();
    bool idle() const;

private:
    void run();

    std::function<void()> on_finished_;
    mutable std::mutex mutex_;
    std::condition_variable work_, progress_;
    std::deque<std::pair<TileKey, TileRings>> queue_;
    std::vector<Finished> finished_;
    bool in_hand_ = false;
    unsigned generation_ = 0;  // bumped by reset(): a tile in hand of an older generation is dropped
    bool stop_ = false;
    std::thread worker_;
};

} // namespace qingling::app
