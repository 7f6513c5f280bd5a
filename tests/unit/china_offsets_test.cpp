// GCJ-02 / BD-09 conversions against 664 published city vectors (from the gcoord library) and
// against themselves.
#include "core/china_offsets.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

namespace {

using qingling::LonLat;

// Great-circle distance on a sphere of the mean Earth radius; good to ~0.5 % at these distances.
double distance_m(LonLat a, LonLat b) {
    constexpr double radius = 6371008.8;
    constexpr double deg = std::numbers::pi / 180.0;
    const double dlat = (b.lat - a.lat) * deg;
    const double dlon = (b.lon - a.lon) * deg;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat * deg) * std::cos(b.lat * deg) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * radius * std::asin(std::min(1.0, std::sqrt(h)));
}

struct City {
    std::string name;
    LonLat wgs84;
    LonLat gcj02;
    LonLat bd09;
};

LonLat lonlat_of(const nlohmann::json& pair) {
    return {pair.at(0).get<double>(), pair.at(1).get<double>()};
}

const std::filesystem::path cities_file = QINGLING_SHARED_TESTDATA "/coord_vectors/china-cities.json";

std::vector<City> load_cities() {
    std::ifstream in(cities_file);
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::vector<City> cities;
    for (const auto& item : doc) {
        const auto& coords = item.at("coords");
        cities.push_back({item.at("attrs").at("name").get<std::string>(), lonlat_of(coords.at("WGS84")),
                          lonlat_of(coords.at("GCJ02")), lonlat_of(coords.at("BD09"))});
    }
    return cities;
}

// Largest error seen in one direction, with the city where it happened.
struct MaxError {
    double metres = 0.0;
    std::string where;

    void add(double m, const std::string& name) {
        if (m > metres) {
            metres = m;
            where = name;
        }
    }
};

} // namespace

TEST(ChinaOffsets, MatchesPublishedCityVectors) {
    if (!std::filesystem::exists(cities_file)) {
        GTEST_SKIP() << "test vectors not found: " << cities_file.string();
    }
    const std::vector<City> cities = load_cities();
    ASSERT_EQ(cities.size(), 664u);

    // The file's coordinates have 7 decimals (~1 cm). Its BD-09 agrees with its GCJ-02 to ~1 cm,
    // but its GCJ-02 sits a fairly constant 0.6-0.75 m (about 5e-6 deg east, 4e-6 deg north) from
    // the public formula applied to its WGS-84, both ways; so 1 m here checks agreement with the
    // file, and the precision of the inverses is checked by InversesUndoForwardEverywhere.
    constexpr double tolerance_m = 1.0;
    MaxError gcj_to_wgs, bd_to_wgs, wgs_to_gcj, wgs_to_bd;
    for (const City& c : cities) {
        const double e1 = distance_m(qingling::gcj02_to_wgs84(c.gcj02), c.wgs84);
        const double e2 = distance_m(qingling::bd09_to_wgs84(c.bd09), c.wgs84);
        const double e3 = distance_m(qingling::wgs84_to_gcj02(c.wgs84), c.gcj02);
        const double e4 = distance_m(qingling::wgs84_to_bd09(c.wgs84), c.bd09);
        EXPECT_LT(e1, tolerance_m) << c.name << ": GCJ-02 -> WGS-84";
        EXPECT_LT(e2, tolerance_m) << c.name << ": BD-09 -> WGS-84";
        EXPECT_LT(e3, tolerance_m) << c.name << ": WGS-84 -> GCJ-02";
        EXPECT_LT(e4, tolerance_m) << c.name << ": WGS-84 -> BD-09";
        gcj_to_wgs.add(e1, c.name);
        bd_to_wgs.add(e2, c.name);
        wgs_to_gcj.add(e3, c.name);
        wgs_to_bd.add(e4, c.name);
    }

    std::ostringstream summary;
    summary << std::fixed << std::setprecision(4) << "max error over " << cities.size()
            << " cities (m): gcj02->wgs84 " << gcj_to_wgs.metres << " (" << gcj_to_wgs.where << ")"
            << ", bd09->wgs84 " << bd_to_wgs.metres << " (" << bd_to_wgs.where << ")"
            << ", wgs84->gcj02 " << wgs_to_gcj.metres << " (" << wgs_to_gcj.where << ")"
            << ", wgs84->bd09 " << wgs_to_bd.metres << " (" << wgs_to_bd.where << ")";
    std::cout << "[ChinaOffsets] " << summary.str() << '\n';
    RecordProperty("max_error_gcj02_to_wgs84_m", std::to_string(gcj_to_wgs.metres));
    RecordProperty("max_error_bd09_to_wgs84_m", std::to_string(bd_to_wgs.metres));
    RecordProperty("max_error_wgs84_to_gcj02_m", std::to_string(wgs_to_gcj.metres));
    RecordProperty("max_error_wgs84_to_bd09_m", std::to_string(wgs_to_bd.metres));
}

// The iterative inverses undo the forward functions almost exactly: check on a grid over the
// whole offset area (away from its edge, where the offset switches on and off).
TEST(ChinaOffsets, InversesUndoForwardEverywhere) {
    double worst_gcj = 0.0;
    double worst_bd = 0.0;
    for (double lon = 73.0; lon <= 137.0; lon += 0.73) {
        for (double lat = 1.5; lat <= 55.0; lat += 0.61) {
            const LonLat wgs{lon, lat};
            worst_gcj = std::max(worst_gcj, distance_m(qingling::gcj02_to_wgs84(qingling::wgs84_to_gcj02(wgs)), wgs));
            worst_bd = std::max(worst_bd, distance_m(qingling::bd09_to_wgs84(qingling::wgs84_to_bd09(wgs)), wgs));
        }
    }
    EXPECT_LT(worst_gcj, 1e-3);
    EXPECT_LT(worst_bd, 1e-3);
    std::cout << "[ChinaOffsets] self round-trip max error (m): gcj02 " << worst_gcj << ", bd09 " << worst_bd
              << '\n';
}

TEST(ChinaOffsets, OffsetIsHundredsOfMetres) {
    // A sanity check that the forward offset is applied at all: in Beijing it is several hundred m.
    const LonLat beijing{116.391, 39.907};
    const double d = distance_m(qingling::wgs84_to_gcj02(beijing), beijing);
    EXPECT_GT(d, 100.0);
    EXPECT_LT(d, 1000.0);
}

TEST(ChinaOffsets, PointOutsideChinaIsUnchanged) {
    const LonLat paris{2.3522, 48.8566};
    EXPECT_FALSE(qingling::inside_china_offset_area(paris));
    const LonLat gcj = qingling::wgs84_to_gcj02(paris);
    EXPECT_EQ(gcj.lon, paris.lon);
    EXPECT_EQ(gcj.lat, paris.lat);
    const LonLat back = qingling::gcj02_to_wgs84(paris);
    EXPECT_EQ(back.lon, paris.lon);
    EXPECT_EQ(back.lat, paris.lat);
    // BD-09 is Baidu's own shift of GCJ-02 and applies everywhere, but still round-trips.
    EXPECT_LT(distance_m(qingling::bd09_to_wgs84(qingling::wgs84_to_bd09(paris)), paris), 1e-3);
}

TEST(ChinaOffsets, BoundingBoxEdges) {
    EXPECT_TRUE(qingling::inside_china_offset_area({72.004, 0.8293}));
    EXPECT_TRUE(qingling::inside_china_offset_area({137.8347, 55.8271}));
    EXPECT_FALSE(qingling::inside_china_offset_area({72.0039, 30.0}));
    EXPECT_FALSE(qingling::inside_china_offset_area({137.8348, 30.0}));
    EXPECT_FALSE(qingling::inside_china_offset_area({110.0, 0.8292}));
    EXPECT_FALSE(qingling::inside_china_offset_area({110.0, 55.8272}));
    EXPECT_FALSE(qingling::inside_china_offset_area({std::nan(""), 30.0}));
}
