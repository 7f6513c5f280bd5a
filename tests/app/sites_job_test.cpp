// 搬迁选址 on the viewer's worker thread (app/sites_job) on a copy of the checked demo project: the
// outcome carries the candidates with their pieces triangulated (the triangles cover exactly the
// usable area core reports), the eliminated areas and the current site; a reservation made and
// released through it is what the campaign file then holds.
#include "app/sites_job.hpp"
#include "job_test_support.hpp"
#include "core/geos_handles.hpp"
#include "core/project_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace qingling::app {
namespace {

using test::demo_copy;

SitesOutcome wait_for(SitesJob& job) { return test::wait_for(job, "the site search"); }

double triangles_area(const OverlayShape& s) {
    double area = 0;
    for (std::size_t i = 0; i + 2 < s.triangles.size(); i += 3) {
        const Vec2 a = s.triangles[i], b = s.triangles[i + 1], c = s.triangles[i + 2];
        area += std::abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2;
    }
    return area;
}

std::vector<unsigned char> wkb_of(const char* wkt) {
    GeosContext geos;
    GeosGeometryPtr g = geos_own(geos, GEOSGeomFromWKT_r(geos.get(), wkt));
    std::size_t size = 0;
    unsigned char* buf = GEOSGeomToWKB_buf_r(geos.get(), g.get(), &size);
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(geos.get(), buf);
    return out;
}

TEST(SitesOverlay, TrianglesCoverThePolygonWithoutItsHole) {
    const OverlayShape s = overlay_shape(
        wkb_of("MULTIPOLYGON(((0 0,100 0,100 60,0 60,0 0),(10 10,30 10,30 30,10 30,10 10)),((200 0,230 0,200 40,200 0)))"));
    EXPECT_NEAR(triangles_area(s), 100 * 60 - 20 * 20 + 30 * 40 / 2.0, 1e-6);
    EXPECT_EQ(s.rings.size(), 3u);
    EXPECT_DOUBLE_EQ(s.extent.minx, 0);
    EXPECT_DOUBLE_EQ(s.extent.maxx, 230);
    EXPECT_TRUE(overlay_shape(wkb_of("POINT(1 2)")).empty());
    EXPECT_TRUE(overlay_shape({}).empty());
}

TEST(SitesJob, FindsTheCandidatesWithTheirPiecesOnTheWorker) {
    const auto project = demo_copy("sites_job_find.qingling");
    SitesJob job;
    job.start(project, 67);
    const SitesOutcome outcome = wait_for(job);
    ASSERT_TRUE(outcome.ok) << outcome.error;
    EXPECT_DOUBLE_EQ(job.fraction(), 1.0) << "the progress bar ends full";
    EXPECT_EQ(job.stage(), "选址完成");
    EXPECT_EQ(outcome.enterprise_id, 67);
    ASSERT_FALSE(outcome.entry.candidates.empty());
    ASSERT_EQ(outcome.pieces.size(), outcome.entry.candidates.size());
    for (std::size_t i = 0; i < outcome.pieces.size(); ++i) {
        const SiteCandidate& c = outcome.entry.candidates[i];
        EXPECT_NEAR(triangles_area(outcome.pieces[i]), c.area_m2, 1e-3 * c.area_m2) << c.label;
        EXPECT_TRUE(c.x >= outcome.pieces[i].extent.minx && c.x <= outcome.pieces[i].extent.maxx) << c.label;
    }
    EXPECT_EQ(outcome.eliminated.size(), 5u);
    EXPECT_EQ(outcome.entry.eliminated.size(), 5u);
    ASSERT_FALSE(outcome.parks.empty());
    // The current site is the ledger's point.
    const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
    for (const LedgerRecord& r : store.ledger())
        if (r.id == 67) {
            ASSERT_TRUE(outcome.site_is_point);
            EXPECT_NEAR(outcome.site_point.x, *r.x, 1e-6);
            EXPECT_NEAR(outcome.site_point.y, *r.y, 1e-6);
        }
}

TEST(SitesJob, AnEnterpriseNotToRelocateIsAnError) {
    const auto project = demo_copy("sites_job_not.qingling");
    SitesJob job;
    job.start(project, 58);
    const SitesOutcome outcome = wait_for(job);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.error.find("is not one to relocate"), std::string::npos) << outcome.error;
}

TEST(SitesJob, ReserveAndReleaseAreStoredWithTheUser) {
    const auto project = demo_copy("sites_job_reserve.qingling");
    SitesJob job;
    job.start(project, 67);
    const SitesOutcome outcome = wait_for(job);
    ASSERT_TRUE(outcome.ok) << outcome.error;
    const SiteCandidate& best = outcome.entry.candidates.front();
    std::string error;
    EXPECT_FALSE(reservation_of(project, 67));
    ASSERT_TRUE(reserve_site_for(project, 67, best, error)) << error;
    const auto held = reservation_of(project, 67);
    ASSERT_TRUE(held);
    EXPECT_EQ(held->site_layer, best.site_layer);
    EXPECT_EQ(held->site_fid, best.site_fid);
    EXPECT_EQ(held->user, "test");
    // The same site for another enterprise: refused, with the reason.
    EXPECT_FALSE(reserve_site_for(project, 73, best, error));
    EXPECT_NE(error.find("预留失败"), std::string::npos) << error;
    // Searched again, the reserved site is listed as this enterprise's reservation.
    job.start(project, 67);
    const SitesOutcome again = wait_for(job);
    ASSERT_TRUE(again.ok) << again.error;
    EXPECT_TRUE(again.entry.reserved);
    ASSERT_TRUE(again.entry.allocated);
    EXPECT_EQ(again.entry.allocated->site_id, best.site_id);
    ASSERT_TRUE(release_site_of(project, 67, error)) << error;
    EXPECT_FALSE(reservation_of(project, 67));
    EXPECT_FALSE(release_site_of(project, 67, error)) << "nothing left to release";
    const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
    const auto all = store.site_reservations(false);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].released_by, "test");
}

} // namespace
} // namespace qingling::app
