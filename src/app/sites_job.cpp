#include "app/sites_job.hpp"

#include "app/fill_triangles.hpp"
#include "app/wkb_reader.hpp"
#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/rule_set.hpp"

#include <chrono>

namespace qingling::app {

OverlayShape overlay_shape(const std::vector<unsigned char>& wkb) {
    OverlayShape out;
    FlatGeometry g;
    if (wkb.empty() || !append_wkb(wkb.data(), wkb.size(), g) || g.rings.empty()) return out;
    for (const Vec2& v : g.vertices) out.extent.add(v.x, v.y);
    const Vec2 origin{out.extent.minx, out.extent.miny};
    TileRings rings;
    for (const VertexRange& r : g.rings) {
        std::vector<Vec2> ring(g.vertices.begin() + r.first, g.vertices.begin() + r.first + r.count);
        for (const Vec2& v : ring) rings.vertices.push_back({static_cast<float>(v.x - origin.x), static_cast<float>(v.y - origin.y)});
        rings.ring_ends.push_back(static_cast<std::uint32_t>(rings.vertices.size()));
        out.rings.push_back(std::move(ring));
    }
    rings.class_ends.push_back(static_cast<std::uint32_t>(rings.ring_ends.size()));
    const TileTriangles t = triangulate_tile(rings);
    out.triangles.reserve(t.indices.size());
    for (std::uint32_t i : t.indices) out.triangles.push_back({origin.x + t.vertices[i].x, origin.y + t.vertices[i].y});
    return out;
}

SitesJob::~SitesJob() {
    progress_->cancel();
    if (worker_.joinable()) worker_.join();
}

void SitesJob::start(const std::filesystem::path& project, long long enterprise_id) {
    if (running_) return;
    if (worker_.joinable()) worker_.join();
    progress_ = std::make_unique<JobProgress>();
    {
        std::lock_guard lock(mutex_);
        outcome_.reset();
    }
    running_ = true;
    worker_ = std::thread([this, project, enterprise_id, progress = progress_.get()] {
        SitesOutcome outcome;
        outcome.enterprise_id = enterprise_id;
        const auto start = std::chrono::steady_clock::now();
        try {
            const ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_only);
            const RuleSet rules = load_rule_set(default_rule_file());
            RelocationOptions options;
            options.enterprise_id = enterprise_id;
            options.with_geometry = true;
            RelocationReport report = find_relocation_sites(store, rules, options, *progress);
            if (report.entries.empty()) throw Error("no relocation entry for enterprise " + std::to_string(enterprise_id));
            outcome.entry = std::move(report.entries.front());
            outcome.parks = std::move(report.parks);
            outcome.notes = std::move(report.notes);
            for (const SiteCandidate& c : outcome.entry.candidates) outcome.pieces.push_back(overlay_shape(c.piece_wkb));
            if (const auto& a = outcome.entry.allocated) {
                bool listed = false;
                for (const SiteCandidate& c : outcome.entry.candidates) listed = listed || c.site_id == a->site_id;
                if (!listed && !a->piece_wkb.empty()) outcome.allocated_piece = overlay_shape(a->piece_wkb);
            }
            for (const EliminatedArea& e : outcome.entry.eliminated) outcome.eliminated.push_back(overlay_shape(e.wkb));
            FlatGeometry site;
            if (!outcome.entry.site_wkb.empty() &&
                append_wkb(outcome.entry.site_wkb.data(), outcome.entry.site_wkb.size(), site)) {
                if (!site.points.empty()) {
                    outcome.site_is_point = true;
                    outcome.site_point = site.points.front();
                } else {
                    outcome.site = overlay_shape(outcome.entry.site_wkb);
                    outcome.site_point = outcome.site.extent.center();
                }
            }
            outcome.ok = true;
        } catch (const CancelledError&) {
            outcome.cancelled = true;
        } catch (const std::exception& e) {
            outcome.error = std::string(_("搬迁选址失败: ")) + e.what();
        }
        outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        {
            std::lock_guard lock(mutex_);
            outcome_ = std::move(outcome);
        }
        running_ = false;
    });
}

void SitesJob::wait() {
    if (worker_.joinable()) worker_.join();
}

std::optional<SitesOutcome> SitesJob::take_outcome() {
    if (running_) return std::nullopt;
    std::lock_guard lock(mutex_);
    std::optional<SitesOutcome> out = std::move(outcome_);
    outcome_.reset();
    return out;
}

bool reserve_site_for(const std::filesystem::path& project, long long enterprise_id, const SiteCandidate& site,
                      std::string& error) {
    try {
        ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_write);
        WriteTransaction tx(store);
        char score[32];
        std::snprintf(score, sizeof score, "%.1f", site.score);
        store.reserve_site(tx, site.site_layer, site.site_fid, enterprise_id, std::string("查看器预留, 得分 ") + score);
        tx.commit();
        return true;
    } catch (const std::exception& e) {
        error = std::string(_("预留失败: ")) + e.what();
        return false;
    }
}

bool release_site_of(const std::filesystem::path& project, long long enterprise_id, std::string& error) {
    try {
        ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_write);
        WriteTransaction tx(store);
        store.release_site(tx, enterprise_id);
        tx.commit();
        return true;
    } catch (const std::exception& e) {
        error = std::string(_("释放失败: ")) + e.what();
        return false;
    }
}

std::optional<SiteReservation> reservation_of(const std::filesystem::path& project, long long enterprise_id) {
    const ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_only);
    for (const SiteReservation& r : store.site_reservations(true))
        if (r.enterprise_id == enterprise_id) return r;
    return std::nullopt;
}

} // namespace qingling::app
