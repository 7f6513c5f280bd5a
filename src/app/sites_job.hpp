// 搬迁选址 in the viewer (issue 6): core/relocation's site search for one 限期搬迁 enterprise on a
// worker thread (a read-only connection of its own, progress, cancel), its geometry decoded and
// triangulated for drawing there too; and reserving / releasing a site (a short read-write
// connection through ProjectStore, audited), after which the search runs again. No GL here.
#pragma once

#include "app/camera.hpp"
#include "app/check_job.hpp"
#include "core/map_labels.hpp"
#include "core/project_store.hpp"
#include "core/relocation.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace qingling::app {

// A polygon for the overlay: its triangles (non-zero winding, holes left out) and its rings, in
// the project CRS.
struct OverlayShape {
    std::vector<Vec2> triangles;            // three vertices per triangle
    std::vector<std::vector<Vec2>> rings;   // outlines (closing vertex not repeated)
    Extent extent;
    bool empty() const { return rings.empty(); }
};
// Decodes polygon WKB and triangulates it (fill_triangles' tessellator); empty for anything else.
OverlayShape overlay_shape(const std::vector<unsigned char>& wkb);

struct SitesOutcome {
    bool ok = false;
    bool cancelled = false;
    std::string error;                      // for the error dialog
    long long enterprise_id = 0;
    RelocationEntry entry;                  // with geometry (RelocationOptions::with_geometry)
    std::vector<ParkCapacity> parks;
    std::vector<std::string> notes;
    std::vector<OverlayShape> pieces;       // by entry.candidates
    std::optional<OverlayShape> allocated_piece;  // the reserved site when it is not listed
    std::vector<OverlayShape> eliminated;   // by entry.eliminated
    bool site_is_point = false;
    Vec2 site_point;                        // the current site (point, or a point of its footprint)
    OverlayShape site;                      // the footprint, when it has one
    double seconds = 0;
};

class SitesJob {
public:
    SitesJob() = default;
    SitesJob(const SitesJob&) = delete;
    SitesJob& operator=(const SitesJob&) = delete;
    ~SitesJob();  // cancels and waits

    // The search for one enterprise (it must be one to relocate, else the outcome's error says so).
    void start(const std::filesystem::path& project, long long enterprise_id);
    bool running() const { return running_; }
    double fraction() const { return progress_->fraction(); }
    std::string stage() const { return progress_->stage(); }
    void cancel() { progress_->cancel(); }
    void wait();  // until the worker has finished (scripts)
    std::optional<SitesOutcome> take_outcome();

private:
    std::unique_ptr<JobProgress> progress_ = std::make_unique<JobProgress>();
    std::thread worker_;
    std::atomic<bool> running_{false};
    std::mutex mutex_;
    std::optional<SitesOutcome> outcome_;
};

// The 搬迁选址 panel's state (panel_sites.cpp): whose sites are shown, the last search's result and
// what the user chose. The frame loop starts and polls the job (poll_sites_job).
struct SitesPanelState {
    bool open = false;
    long long enterprise_id = 0;           // whose sites the panel shows (0: none yet)
    bool request = false;                  // (re)run the search for enterprise_id
    bool fit_request = false;              // when the result arrives: fit the site and its candidates
    bool running = false;
    double fraction = 0;                   // the running search's progress, and its stage
    std::string stage;
    bool show_eliminated = false;          // the eliminated areas on the map (a toggle)
    int selected = -1;                     // the chosen candidate (index into the result's candidates)
    std::optional<SitesOutcome> result;
    std::optional<SiteReservation> reservation;  // the enterprise's, as stored (read after each search)
    std::string message;                   // how the last reserve/release ended
    bool message_failed = false;
    PixelRect legend_px;                   // the eliminated areas' legend as last drawn (framebuffer pixels)
};

// Stores a reservation of the candidate's parcel for the enterprise (one transaction, audited with
// the user and time); false with the reason in `error` (e.g. the site is reserved already).
bool reserve_site_for(const std::filesystem::path& project, long long enterprise_id, const SiteCandidate& site,
                      std::string& error);
// Releases the enterprise's reservation; false with the reason when it has none.
bool release_site_of(const std::filesystem::path& project, long long enterprise_id, std::string& error);
// The enterprise's active reservation, if any (read-only).
std::optional<SiteReservation> reservation_of(const std::filesystem::path& project, long long enterprise_id);

} // namespace qingling::app
