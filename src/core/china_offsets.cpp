#include "core/china_offsets.hpp"

#include <cmath>
#include <numbers>

namespace qingling {

namespace {

constexpr double pi = std::numbers::pi;

// GCJ-02 is defined on the Krasovsky 1940 ellipsoid (the datum of Beijing 1954), so the offset in
// metres is turned into degrees with its radii, not WGS-84's.
constexpr double krasovsky_a = 6378245.0;
constexpr double krasovsky_ee = 0.00669342162296594323;

// Baidu's constant: pi * 3000 / 180.
constexpr double x_pi = pi * 3000.0 / 180.0;

// Iterative inverses stop when a step moves the estimate less than this (degrees; about 0.1 mm),
// or after max_iterations. The offset's derivative is small (the mapping is close to a translation),
// so the fixed-point iteration contracts fast: 3 to 5 steps in practice. The bound only guards
// against inputs where it cannot converge (NaN, points straddling the edge of the offset box).
constexpr double tolerance_deg = 1e-9;
constexpr int max_iterations = 30;

// The published GCJ-02 offset polynomials, in metres on the ellipsoid, of x = lon - 105 and
// y = lat - 35.
double offset_lat_m(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * pi) + 40.0 * std::sin(y / 3.0 * pi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * pi) + 320.0 * std::sin(y * pi / 30.0)) * 2.0 / 3.0;
    return r;
}

double offset_lon_m(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * pi) + 40.0 * std::sin(x / 3.0 * pi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * pi) + 300.0 * std::sin(x / 30.0 * pi)) * 2.0 / 3.0;
    return r;
}

// Solves forward(result) == target by fixed-point iteration: move the estimate by the residual.
// This works because forward(p) = p + small, slowly varying offset(p).
template <typename Forward>
LonLat invert(Forward forward, LonLat target, LonLat guess) {
    for (int i = 0; i < max_iterations; ++i) {
        const LonLat f = forward(guess);
        const double dlon = target.lon - f.lon;
        const double dlat = target.lat - f.lat;
        guess.lon += dlon;
        guess.lat += dlat;
        if (std::fabs(dlon) < tolerance_deg && std::fabs(dlat) < tolerance_deg) {
            break;
        }
    }
    return guess;
}

} // namespace

bool inside_china_offset_area(LonLat p) {
    // Written so that NaN falls outside (and is left untouched).
    return p.lon >= 72.004 && p.lon <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271;
}

LonLat wgs84_to_gcj02(LonLat wgs) {
    if (!inside_china_offset_area(wgs)) {
        return wgs;
    }
    const double x = wgs.lon - 105.0;
    const double y = wgs.lat - 35.0;
    const double rad_lat = wgs.lat / 180.0 * pi;
    const double s = std::sin(rad_lat);
    const double w = 1.0 - krasovsky_ee * s * s;
    const double sqrt_w = std::sqrt(w);
    // Metres to degrees: meridian radius of curvature for latitude, parallel radius for longitude.
    const double m_radius = krasovsky_a * (1.0 - krasovsky_ee) / (w * sqrt_w);
    const double n_radius = krasovsky_a / sqrt_w;
    const double dlat = offset_lat_m(x, y) * 180.0 / (m_radius * pi);
    const double dlon = offset_lon_m(x, y) * 180.0 / (n_radius * std::cos(rad_lat) * pi);
    return {wgs.lon + dlon, wgs.lat + dlat};
}

LonLat gcj02_to_wgs84(LonLat gcj) {
    if (!inside_china_offset_area(gcj)) {
        return gcj;
    }
    // Start from the classic one-step inverse (subtract the offset seen at the GCJ point), ~4 m off.
    const LonLat f = wgs84_to_gcj02(gcj);
    const LonLat guess{2.0 * gcj.lon - f.lon, 2.0 * gcj.lat - f.lat};
    return invert(wgs84_to_gcj02, gcj, guess);
}

LonLat gcj02_to_bd09(LonLat gcj) {
    // Baidu's formula: perturb the polar form of the point, then shift.
    const double x = gcj.lon;
    const double y = gcj.lat;
    const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * x_pi);
    const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * x_pi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

LonLat bd09_to_gcj02(LonLat bd) {
    // The published inverse evaluates the perturbation at the BD point instead of the GCJ point,
    // so it is only approximate; use it as the starting guess and iterate.
    const double x = bd.lon - 0.0065;
    const double y = bd.lat - 0.006;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * x_pi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * x_pi);
    const LonLat guess{z * std::cos(theta), z * std::sin(theta)};
    return invert(gcj02_to_bd09, bd, guess);
}

LonLat wgs84_to_bd09(LonLat wgs) {
    return gcj02_to_bd09(wgs84_to_gcj02(wgs));
}

LonLat bd09_to_wgs84(LonLat bd) {
    return gcj02_to_wgs84(bd09_to_gcj02(bd));
}

} // namespace qingling
