// 搬迁选址 in the viewer (issue 6), checked like a user would after tests/app/data/sites.script ran
// under Xvfb on a checked copy of the demo subdistrict: enterprise 67's candidates with and without
// the panel, the eliminated areas toggled on (overview and a closer view), a candidate chosen, then
// reserved and released. Pixels are compared with the same view without the overlay: a translucent fill
// must be exactly the fill colour blended over what was there (the GL blend of ImGui's draw lists).
// The stored reservation is read back from the campaign file here, not through the viewer.
#include "app/style.hpp"
#include "core/project_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include "shot_test_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

using namespace qingling;
using namespace qingling::app;
using nlohmann::json;

namespace {

using test::blend;
using test::close_to;
using test::Image;
using test::work_dir;

struct P {
    double x, y;
};
using Ring = std::vector<P>;

std::vector<Ring> rings_of(const json& rings) {
    std::vector<Ring> out;
    for (const auto& r : rings) {
        Ring ring;
        for (const auto& p : r) ring.push_back({p[0].get<double>(), p[1].get<double>()});
        out.push_back(std::move(ring));
    }
    return out;
}

// Even-odd over all rings: outer rings and holes alike.
bool inside(const std::vector<Ring>& rings, P q) {
    bool in = false;
    for (const Ring& r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
            if ((r[i].y > q.y) != (r[j].y > q.y) && q.x < (r[j].x - r[i].x) * (q.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
                in = !in;
    return in;
}

double segment_distance(P q, P a, P b) {
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((q.x - a.x) * dx + (q.y - a.y) * dy) / len2, 0.0, 1.0) : 0;
    return std::hypot(q.x - a.x - t * dx, q.y - a.y - t * dy);
}

double edge_distance(const std::vector<Ring>& rings, P q) {
    double d = 1e18;
    for (const Ring& r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) d = std::min(d, segment_distance(q, r[j], r[i]));
    return d;
}

// The map above the sites panel (the panel covers the map's bottom 304 px), and what else is drawn
// there: rank markers, the current site, the lines, every outline.
struct Scene {
    double x0, y0, x1, y1;
    std::vector<P> markers;
    P site{0, 0};
    bool located = false;
    std::vector<std::vector<Ring>> pieces, eliminated;
    std::vector<std::string> kinds;
    std::vector<Rgba> fills;
    double legend[4] = {0, 0, -1, -1};

    explicit Scene(const json& dump) {
        x0 = dump["map_rect"][0];
        y0 = dump["map_rect"][1];
        x1 = dump["map_rect"][2];
        y1 = dump["map_rect"][3].get<double>() - 304;
        const json& s = dump["sites"];
        located = !s["site_screen"].is_null();
        if (located) site = {s["site_screen"][0], s["site_screen"][1]};
        for (const auto& c : s["candidates"]) {
            markers.push_back({c["screen"][0], c["screen"][1]});
            pieces.push_back(rings_of(c["piece_rings"]));
        }
        if (!s["legend_rect"].is_null())
            for (int i = 0; i < 4; ++i) legend[i] = s["legend_rect"][i];
        for (const auto& e : s["eliminated"]) {
            eliminated.push_back(rings_of(e["rings"]));
            kinds.push_back(e["kind"]);
            fills.push_back({e["fill"][0], e["fill"][1], e["fill"][2], e["fill"][3]});
        }
    }
    // Clear of markers, lines, outlines and the map's edge, by `margin` pixels.
    bool clear(P q, double margin) const {
        if (q.x < x0 + margin || q.x > x1 - margin || q.y < y0 + margin || q.y > y1 - margin) return false;
        if (q.x > legend[0] - margin && q.x < legend[2] + margin && q.y > legend[1] - margin && q.y < legend[3] + margin)
            return false;
        if (located && std::hypot(q.x - site.x, q.y - site.y) < 14 + margin) return false;
        for (const P& m : markers) {
            if (std::hypot(q.x - m.x, q.y - m.y) < 14 + margin) return false;
            if (located && segment_distance(q, site, m) < 5 + margin) return false;
        }
        for (const auto& p : pieces)
            if (!p.empty() && edge_distance(p, q) < 3 + margin) return false;
        for (const auto& e : eliminated)
            if (!e.empty() && edge_distance(e, q) < 3 + margin) return false;
        return true;
    }
};

// Pixels on a grid inside `want` and in no shape of `others`, clear of everything else.
std::vector<P> samples(const Scene& scene, const std::vector<Ring>& want, const std::vector<const std::vector<Ring>*>& others,
                       double step, std::size_t max_count) {
    std::vector<P> out;
    for (double y = scene.y0 + 2; y < scene.y1 && out.size() < max_count; y += step)
        for (double x = scene.x0 + 2; x < scene.x1 && out.size() < max_count; x += step) {
            const P q{std::floor(x) + 0.5, std::floor(y) + 0.5};
            if (!inside(want, q) || !scene.clear(q, 2)) continue;
            if (std::any_of(others.begin(), others.end(), [&](const std::vector<Ring>* o) { return inside(*o, q); })) continue;
            out.push_back(q);
        }
    return out;
}

class SitesView : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* name : {"candidates", "closed", "eliminated", "zoom_eliminated", "zoom", "zoom_closed", "chosen",
                                 "reserved", "released"}) {
            dumps[name] = test::load_json(work_dir() / (std::string("sites_") + name + ".json"));
            shots[name] = test::load_png(work_dir() / (std::string("sites_") + name + ".png"));
            ASSERT_GT(shots[name].width, 0) << name;
        }
        ASSERT_TRUE(dumps["candidates"].contains("sites"));
    }
    std::map<std::string, json> dumps;
    std::map<std::string, Image> shots;
};

} // namespace

TEST_F(SitesView, TheEnterpriseAndItsRankedCandidatesAreListed) {
    const json& s = dumps["candidates"]["sites"];
    EXPECT_EQ(s["enterprise_id"], 67);
    EXPECT_EQ(dumps["candidates"]["selected"], 67);
    ASSERT_GE(s["candidates"].size(), 2u);
    EXPECT_LE(s["candidates"].size(), 10u);
    EXPECT_GE(s["candidate_count"].get<int>(), static_cast<int>(s["candidates"].size()));
    double previous = 101;
    for (const auto& c : s["candidates"]) {
        EXPECT_LE(c["score"].get<double>(), previous) << "ranked best first";
        previous = c["score"];
        EXPECT_GT(c["area_m2"].get<double>(), 0);
        EXPECT_FALSE(c["piece_rings"].empty()) << c["site_id"];
        EXPECT_FALSE(c["reserved"].get<bool>());
    }
    EXPECT_FALSE(s["show_eliminated"].get<bool>());
    EXPECT_TRUE(s["reservation"].is_null());
    EXPECT_FALSE(dumps["closed"].contains("sites")) << "the closed panel draws nothing";
    // Park capacity: used + remaining adds up to the industrial land of each park.
    ASSERT_FALSE(s["parks"].empty());
    for (const auto& p : s["parks"])
        EXPECT_NEAR(p["occupied_m2"].get<double>() + p["reserved_m2"].get<double>() + p["remaining_m2"].get<double>(),
                    p["industrial_m2"].get<double>(), 1e-3)
            << p["park"];
}

TEST_F(SitesView, TheCameraShowsTheSiteAndTheCandidatesAboveThePanel) {
    const Scene scene(dumps["candidates"]);
    ASSERT_TRUE(scene.located);
    EXPECT_TRUE(scene.site.x > scene.x0 && scene.site.x < scene.x1 && scene.site.y > scene.y0 && scene.site.y < scene.y1);
    for (const P& m : scene.markers)
        EXPECT_TRUE(m.x > scene.x0 && m.x < scene.x1 && m.y > scene.y0 && m.y < scene.y1) << m.x << "," << m.y;
    EXPECT_EQ(dumps["closed"]["camera"], dumps["candidates"]["camera"]) << "closing the panel keeps the view";
    EXPECT_EQ(dumps["eliminated"]["camera"], dumps["candidates"]["camera"]) << "showing it again fits the same view";
}

// Each rank marker is the marker colour where no better-ranked marker covers it; closer in, the
// usable pieces are tinted by the candidate fill: exactly the fill blended over the map without it.
TEST_F(SitesView, CandidatesAreHighlightedWithTheirRank) {
    int markers_checked = 0;
    for (const char* view : {"candidates", "zoom"}) {
        const Scene scene(dumps[view]);
        for (std::size_t i = 0; i < scene.markers.size() && i < 9; ++i) {
            const P m = scene.markers[i];
            bool covered = m.x - 7 < scene.x0 || m.x > scene.x1 || m.y < scene.y0 || m.y > scene.y1;
            for (std::size_t k = 0; k < i; ++k)
                covered = covered || std::hypot(m.x - scene.markers[k].x, m.y - scene.markers[k].y) < 25;
            if (covered) continue;
            const Rgba px = shots[view].at(static_cast<int>(m.x) - 7, static_cast<int>(m.y));
            EXPECT_TRUE(close_to(px, kSiteMarker, 30)) << view << ": rank " << i + 1 << " at " << m.x << "," << m.y;
            ++markers_checked;
        }
    }
    EXPECT_GE(markers_checked, 6);
    const Scene scene(dumps["zoom"]);
    EXPECT_EQ(dumps["zoom_closed"]["camera"], dumps["zoom"]["camera"]);
    int checked = 0, matched = 0;
    for (std::size_t i = 0; i < scene.pieces.size(); ++i) {
        std::vector<const std::vector<Ring>*> others;
        for (std::size_t k = 0; k < scene.pieces.size(); ++k)
            if (k != i) others.push_back(&scene.pieces[k]);
        for (const P& q : samples(scene, scene.pieces[i], others, 3, 40)) {
            const int x = static_cast<int>(q.x), y = static_cast<int>(q.y);
            const Rgba want = blend(shots["zoom_closed"].at(x, y), kSiteCandidateFill);
            ++checked;
            if (close_to(shots["zoom"].at(x, y), want, 6)) ++matched;
        }
    }
    ASSERT_GE(checked, 40) << "too few clear pixels inside the candidates";
    EXPECT_GE(matched, checked * 9 / 10) << matched << " of " << checked;
}

// Sampled where no other candidate's line runs within 8 px (the lines fan out from one site).
TEST_F(SitesView, ALineRunsFromTheCurrentSiteToEachCandidate) {
    const Scene scene(dumps["candidates"]);
    ASSERT_TRUE(scene.located);
    int lines_seen = 0;
    for (std::size_t i = 0; i < scene.markers.size(); ++i) {
        const P a = scene.site, b = scene.markers[i];
        int on = 0, before = 0, n = 0;
        for (double t = 0.1; t <= 0.9; t += 0.02) {
            const P q{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
            bool near_other = q.y > scene.y1;
            for (std::size_t k = 0; k < scene.markers.size(); ++k) {
                near_other = near_other || std::hypot(q.x - scene.markers[k].x, q.y - scene.markers[k].y) < 16;
                if (k != i) near_other = near_other || segment_distance(q, a, scene.markers[k]) < 8;
            }
            if (near_other) continue;
            ++n;
            if (close_to(shots["candidates"].at(static_cast<int>(q.x), static_cast<int>(q.y)), kSiteLine, 40)) ++on;
            if (close_to(shots["closed"].at(static_cast<int>(q.x), static_cast<int>(q.y)), kSiteLine, 40)) ++before;
        }
        if (n < 5) continue;
        EXPECT_GE(on, n * 8 / 10) << "line to rank " << i + 1 << ": " << on << " of " << n;
        EXPECT_LE(before, n / 5) << "the line is the overlay's";
        ++lines_seen;
    }
    EXPECT_GE(lines_seen, 2);
}

// Toggled on, each eliminated area is its own colour over the map (compared with the same view
// toggled off), the legend beside it; in the closer view the school/hospital setback circles of
// 五金加工 (100 m) and the occupied parcels of 青岭工业园.
TEST_F(SitesView, EliminatedAreasShowInTheirOwnColours) {
    EXPECT_TRUE(dumps["eliminated"]["sites"]["show_eliminated"].get<bool>());
    EXPECT_FALSE(dumps["eliminated"]["sites"]["legend_rect"].is_null());
    EXPECT_DOUBLE_EQ(dumps["eliminated"]["sites"]["setback_m"].get<double>(), 100);
    const Scene scene(dumps["zoom_eliminated"]);
    EXPECT_EQ(dumps["zoom"]["camera"], dumps["zoom_eliminated"]["camera"]);
    ASSERT_EQ(scene.kinds, (std::vector<std::string>{"zone", "setback", "footprint", "occupied", "reserved"}));
    for (std::size_t i = 0; i < scene.kinds.size(); ++i)
        EXPECT_TRUE(close_to(scene.fills[i], eliminated_fill(scene.kinds[i]), 0)) << scene.kinds[i];
    std::set<std::string> kinds_checked;
    for (std::size_t i = 0; i < scene.kinds.size(); ++i) {
        if (scene.eliminated[i].empty()) continue;
        std::vector<const std::vector<Ring>*> others;
        for (std::size_t k = 0; k < scene.eliminated.size(); ++k)
            if (k != i) others.push_back(&scene.eliminated[k]);
        for (const auto& p : scene.pieces) others.push_back(&p);
        int checked = 0, matched = 0;
        for (const P& q : samples(scene, scene.eliminated[i], others, 4, 80)) {
            const int x = static_cast<int>(q.x), y = static_cast<int>(q.y);
            ++checked;
            if (close_to(shots["zoom_eliminated"].at(x, y), blend(shots["zoom"].at(x, y), scene.fills[i]), 6)) ++matched;
        }
        if (checked < 10) continue;  // too little of it in view
        EXPECT_GE(matched, checked * 9 / 10) << scene.kinds[i] << ": " << matched << " of " << checked;
        kinds_checked.insert(scene.kinds[i]);
    }
    EXPECT_TRUE(kinds_checked.count("setback")) << "no setback buffer in view";
    EXPECT_TRUE(kinds_checked.count("occupied")) << "no occupied parcel in view";
}

// A click in the list (script step `site 1`) chooses the candidate and zooms to its piece.
TEST_F(SitesView, ChoosingACandidateZoomsToIt) {
    const json& s = dumps["chosen"]["sites"];
    EXPECT_EQ(s["selected"], 1);
    const Scene scene(dumps["chosen"]);
    ASSERT_FALSE(scene.pieces.empty());
    double minx = 1e9, miny = 1e9, maxx = -1e9, maxy = -1e9;
    for (const Ring& r : scene.pieces[0])
        for (const P& p : r) minx = std::min(minx, p.x), miny = std::min(miny, p.y), maxx = std::max(maxx, p.x), maxy = std::max(maxy, p.y);
    EXPECT_GE(minx, scene.x0);
    EXPECT_LE(maxx, scene.x1);
    EXPECT_GE(miny, scene.y0);
    EXPECT_LE(maxy, scene.y1) << "above the panel";
    EXPECT_GT(std::max(maxx - minx, maxy - miny), 0.5 * std::min(scene.x1 - scene.x0, scene.y1 - scene.y0)) << "fills the view";
    // The chosen marker is amber.
    EXPECT_TRUE(close_to(shots["chosen"].at(static_cast<int>(scene.markers[0].x) - 7, static_cast<int>(scene.markers[0].y)),
                         kSiteMarkerChosen, 30));
}

TEST_F(SitesView, AReservationIsStoredAndReleased) {
    const json& first = dumps["candidates"]["sites"]["candidates"][0];
    const json& r = dumps["reserved"]["sites"];
    ASSERT_FALSE(r["reservation"].is_null());
    EXPECT_EQ(r["reservation"]["site_id"], first["site_id"]);
    EXPECT_EQ(r["reservation"]["user"], "test");
    bool marked = false;
    for (const auto& c : r["candidates"]) marked = marked || (c["site_id"] == first["site_id"] && c["reserved"].get<bool>());
    EXPECT_TRUE(marked) << "the list marks the reserved site";
    // The park's reserved area grows and its remaining area shrinks by the same parcel.
    auto park = [&](const json& dump) {
        for (const auto& p : dump["sites"]["parks"])
            if (p["park"] == first["park"]) return p;
        return json();
    };
    const json before = park(dumps["candidates"]), during = park(dumps["reserved"]), after = park(dumps["released"]);
    ASSERT_FALSE(before.is_null());
    const double grew = during["reserved_m2"].get<double>() - before["reserved_m2"].get<double>();
    EXPECT_GE(grew, first["area_m2"].get<double>() - 1) << "the whole parcel, at least its usable piece";
    EXPECT_NEAR(before["remaining_m2"].get<double>() - during["remaining_m2"].get<double>(), grew, 1e-3);
    EXPECT_NEAR(after["reserved_m2"].get<double>(), before["reserved_m2"].get<double>(), 1e-3);
    EXPECT_TRUE(dumps["released"]["sites"]["reservation"].is_null());
    for (const auto& c : dumps["released"]["sites"]["candidates"]) EXPECT_FALSE(c["reserved"].get<bool>());

    // In the campaign file: reserved by the user, then released by the user; none active.
    const ProjectStore store = ProjectStore::open(work_dir() / "sites.qingling", ProjectStore::Access::read_only);
    for (const SiteReservation& a : store.site_reservations(true)) EXPECT_NE(a.enterprise_id, 67);
    int found = 0;
    for (const SiteReservation& a : store.site_reservations(false)) {
        if (a.enterprise_id != 67) continue;
        ++found;
        EXPECT_EQ(a.site_layer + "#" + std::to_string(a.site_fid), first["site_id"].get<std::string>());
        EXPECT_EQ(a.user, "test");
        EXPECT_FALSE(a.at.empty());
        EXPECT_FALSE(a.released_at.empty());
        EXPECT_EQ(a.released_by, "test");
    }
    EXPECT_EQ(found, 1);
}
