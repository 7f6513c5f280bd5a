// The invented demo subdistrict 青岭街道. See demo_sources.hpp and data/README.md.
//
// Everything is built in EPSG:4547 (CGCS2000 3-degree GK, CM 114°E, GIS order x = easting) around
// (529000, 3387000), then written with GDAL drivers in the formats a land office receives. The
// layout is fixed in relative metres (town core, parks, river, railway, forest side, clusters);
// the seed moves it slightly and decides everything random (patch shapes, land classes, names).
//
// Determinism: every random number comes from std::mt19937_64 through the small distributions of
// Rng below (the standard library's distributions differ between implementations). Each part of
// the demo has its own stream, so changing one part does not reshuffle the others.
#include "core/demo_sources.hpp"

#include "core/china_offsets.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/geos_handles.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

namespace qingling {
namespace {

namespace fs = std::filesystem;

constexpr double kPi = std::numbers::pi;

// Centre of the demo in EPSG:4547 (about lon 114.30, lat 30.60).
constexpr double kX0 = 529000.0;
constexpr double kY0 = 3387000.0;
// Seeds of the land-use Voronoi; the DLTB ends with somewhat more patches (cuts by villages, roads).
constexpr int kLandusePoints = 22000;
// Invented codes: 420199 is not an assigned county code in GB/T 2260.
constexpr const char* kCounty = "420199";
constexpr const char* kTownCode = "420199001000";
constexpr const char* kTownName = "青岭街道";
// Fixed timestamp for the GeoPackage metadata so two runs give the same content.
constexpr const char* kFixedDate = "2024-09-01T00:00:00.000Z";

// ------------------------------------------------------------------------------------------------
// Random numbers

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Rng {
public:
    Rng(std::uint64_t seed, std::uint64_t stream) {
        std::uint64_t s = seed ^ (stream * 0xD1B54A32D192ED03ull);
        engine_.seed(splitmix64(s));
    }
    // [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Unbiased integer in [0, n).
    std::size_t below(std::size_t n) {
        const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
        const std::uint64_t limit = max - max % n;
        std::uint64_t r;
        do {
            r = engine_();
        } while (r >= limit);
        return static_cast<std::size_t>(r % n);
    }
    int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
    bool chance(double p) { return uniform() < p; }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }
    std::string digits(int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += static_cast<char>('0' + below(10));
        return s;
    }

private:
    std::mt19937_64 engine_;
};

// Streams: one per part of the demo.
enum Stream : std::uint64_t {
    s_layout = 1, s_jurisdiction, s_villages, s_settlements, s_roads, s_seeds, s_classes,
    s_farmland, s_parks, s_ledger, s_ledger_places, s_ledger_traps
};

struct Choice {
    const char* value;
    double weight;
};

const char* choose(Rng& rng, std::initializer_list<Choice> choices) {
    double total = 0;
    for (const auto& c : choices) total += c.weight;
    double r = rng.uniform() * total;
    for (const auto& c : choices) {
        if (r < c.weight) return c.value;
        r -= c.weight;
    }
    return std::data(choices)[choices.size() - 1].value;
}

std::string choose(Rng& rng, const std::vector<Choice>& choices) {
    double total = 0;
    for (const auto& c : choices) total += c.weight;
    double r = rng.uniform() * total;
    for (const auto& c : choices) {
        if (r < c.weight) return c.value;
        r -= c.weight;
    }
    return choices.back().value;
}

// ------------------------------------------------------------------------------------------------
// Plane geometry of the layout

struct P {
    double x = 0;
    double y = 0;
};

P rel(double dx, double dy) { return {kX0 + dx, kY0 + dy}; }
double dist(P a, P b) { return std::hypot(a.x - b.x, a.y - b.y); }

double segment_distance(P p, P a, P b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

double polyline_distance(const std::vector<P>& line, P p) {
    double best = std::numeric_limits<double>::max();
    for (std::size_t i = 1; i < line.size(); ++i) best = std::min(best, segment_distance(p, line[i - 1], line[i]));
    return best;
}

bool in_ring(const std::vector<P>& ring, P p) {
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const P& a = ring[i];
        const P& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
    return inside;
}

// A smooth periodic function of the angle, |w| <= strength: irregular outlines.
struct Wobble {
    std::array<double, 5> amp{};
    std::array<double, 5> phase{};
    double operator()(double theta) const {
        double s = 0;
        for (std::size_t k = 0; k < amp.size(); ++k) s += amp[k] * std::sin(static_cast<double>(k + 2) * theta + phase[k]);
        return s;
    }
};

Wobble make_wobble(Rng& rng, double strength) {
    Wobble w;
    double total = 0;
    for (std::size_t k = 0; k < w.amp.size(); ++k) {
        w.amp[k] = rng.uniform(0.3, 1.0) / static_cast<double>(k + 1);
        w.phase[k] = rng.uniform(0, 2 * kPi);
        total += w.amp[k];
    }
    for (auto& a : w.amp) a *= strength / total;
    return w;
}

// A roundish area with an irregular outline (town core, clusters, hamlets, lake).
struct Blob {
    P c;
    double r = 0;
    Wobble w;
    double radius(double theta) const { return r * (1.0 + w(theta)); }
    // < 1 inside, 1 on the outline.
    double ratio(P p) const {
        const double d = dist(p, c);
        if (d < 1e-9) return 0;
        return d / radius(std::atan2(p.y - c.y, p.x - c.x));
    }
    bool contains(P p) const { return ratio(p) <= 1.0; }
    std::vector<P> ring(int n = 96) const {
        std::vector<P> pts;
        for (int i = 0; i < n; ++i) {
            const double th = 2 * kPi * i / n;
            const double rr = radius(th);
            pts.push_back({c.x + rr * std::cos(th), c.y + rr * std::sin(th)});
        }
        return pts;
    }
};

Blob make_blob(Rng& rng, P c, double r, double strength) { return Blob{c, r, make_wobble(rng, strength)}; }

// A rotated rectangle (industrial parks are planned, hence regular).
struct Park {
    P c;
    double hu = 0, hv = 0, angle = 0;
    P world(double u, double v) const {
        const double ca = std::cos(angle), sa = std::sin(angle);
        return {c.x + u * ca - v * sa, c.y + u * sa + v * ca};
    }
    std::pair<double, double> local(P p) const {
        const double ca = std::cos(angle), sa = std::sin(angle);
        const double dx = p.x - c.x, dy = p.y - c.y;
        return {dx * ca + dy * sa, -dx * sa + dy * ca};
    }
    bool contains(P p) const {
        const auto [u, v] = local(p);
        return std::fabs(u) <= hu && std::fabs(v) <= hv;
    }
    std::vector<P> ring() const { return {world(-hu, -hv), world(hu, -hv), world(hu, hv), world(-hu, hv)}; }
};

// Smooth 2-D noise in [-1, 1]: a few plane waves.
struct Noise2 {
    struct Wave {
        double kx, ky, phase, amp;
    };
    std::vector<Wave> waves;
    double norm = 1;
    double operator()(P p) const {
        double s = 0;
        for (const auto& w : waves) s += w.amp * std::sin(w.kx * (p.x - kX0) + w.ky * (p.y - kY0) + w.phase);
        return s / norm;
    }
};

Noise2 make_noise(Rng& rng, double wavelength, int n = 4) {
    Noise2 noise;
    noise.norm = 0;
    for (int i = 0; i < n; ++i) {
        const double a = rng.uniform(0, 2 * kPi);
        const double k = 2 * kPi / (wavelength * rng.uniform(0.6, 1.4));
        Noise2::Wave w{k * std::cos(a), k * std::sin(a), rng.uniform(0, 2 * kPi), rng.uniform(0.5, 1.0)};
        noise.norm += w.amp;
        noise.waves.push_back(w);
    }
    return noise;
}

// ------------------------------------------------------------------------------------------------
// GEOS helpers

struct Env {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool intersects(const Env& o) const { return x0 <= o.x1 && o.x0 <= x1 && y0 <= o.y1 && o.y0 <= y1; }
    Env expanded(double d) const { return {x0 - d, y0 - d, x1 + d, y1 + d}; }
};

class Geo {
public:
    explicit Geo(const GeosContext& gc) : gc_(gc), h_(gc.get()) {}
    GEOSContextHandle_t h() const { return h_; }

    GeosGeometryPtr own(GEOSGeometry* g, const char* what) const {
        if (!g) throw Error(std::string("demo data: GEOS failed in ") + what + ": " + gc_.last_error());
        return geos_own(gc_, g);
    }
    GEOSCoordSequence* seq(const std::vector<P>& pts, bool close) const {
        const unsigned n = static_cast<unsigned>(pts.size() + (close ? 1 : 0));
        GEOSCoordSequence* s = GEOSCoordSeq_create_r(h_, n, 2);
        if (!s) throw Error("demo data: GEOS cannot allocate a coordinate sequence");
        for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(h_, s, i, pts[i].x, pts[i].y);
        if (close) GEOSCoordSeq_setXY_r(h_, s, n - 1, pts[0].x, pts[0].y);
        return s;
    }
    GeosGeometryPtr point(P p) const { return own(GEOSGeom_createPointFromXY_r(h_, p.x, p.y), "point"); }
    GeosGeometryPtr polygon(const std::vector<P>& ring) const {
        GEOSGeometry* shell = GEOSGeom_createLinearRing_r(h_, seq(ring, true));
        if (!shell) throw Error("demo data: GEOS cannot build a ring: " + gc_.last_error());
        return own(GEOSGeom_createPolygon_r(h_, shell, nullptr, 0), "polygon");
    }
    GeosGeometryPtr line(const std::vector<P>& pts) const {
        return own(GEOSGeom_createLineString_r(h_, seq(pts, false)), "line");
    }
    GeosGeometryPtr rect(double x0, double y0, double x1, double y1) const {
        return polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
    }
    GeosGeometryPtr clone(const GEOSGeometry* g) const { return own(GEOSGeom_clone_r(h_, g), "clone"); }
    GeosGeometryPtr intersection(const GEOSGeometry* a, const GEOSGeometry* b) const {
        return own(GEOSIntersection_r(h_, a, b), "intersection");
    }
    GeosGeometryPtr difference(const GEOSGeometry* a, const GEOSGeometry* b) const {
        return own(GEOSDifference_r(h_, a, b), "difference");
    }
    GeosGeometryPtr unite(const GEOSGeometry* a, const GEOSGeometry* b) const {
        return own(GEOSUnion_r(h_, a, b), "union");
    }
    // Buffer of a line (flat ends) or polygon.
    GeosGeometryPtr buffer(const GEOSGeometry* g, double d, bool flat_ends = false) const {
        return own(GEOSBufferWithStyle_r(h_, g, d, 8, flat_ends ? GEOSBUF_CAP_FLAT : GEOSBUF_CAP_ROUND,
                                         GEOSBUF_JOIN_ROUND, 5.0),
                   "buffer");
    }
    GeosGeometryPtr collection(std::vector<GeosGeometryPtr>&& parts, int type = GEOS_GEOMETRYCOLLECTION) const {
        std::vector<GEOSGeometry*> raw;
        raw.reserve(parts.size());
        for (auto& p : parts) raw.push_back(p.release());
        parts.clear();
        return own(GEOSGeom_createCollection_r(h_, type, raw.data(), static_cast<unsigned>(raw.size())), "collection");
    }
    // Union of all parts; grid > 0 snaps to that precision (clean unions of touching patches).
    GeosGeometryPtr union_all(std::vector<GeosGeometryPtr>&& parts, double grid = 0) const {
        auto coll = collection(std::move(parts));
        if (grid > 0) return own(GEOSUnaryUnionPrec_r(h_, coll.get(), grid), "union");
        return own(GEOSUnaryUnion_r(h_, coll.get()), "union");
    }
    double area(const GEOSGeometry* g) const {
        double a = 0;
        GEOSArea_r(h_, g, &a);
        return a;
    }
    P centroid(const GEOSGeometry* g) const {
        auto c = own(GEOSGetCentroid_r(h_, g), "centroid");
        P p;
        GEOSGeomGetX_r(h_, c.get(), &p.x);
        GEOSGeomGetY_r(h_, c.get(), &p.y);
        return p;
    }
    Env envelope(const GEOSGeometry* g) const {
        Env e;
        GEOSGeom_getXMin_r(h_, g, &e.x0);
        GEOSGeom_getYMin_r(h_, g, &e.y0);
        GEOSGeom_getXMax_r(h_, g, &e.x1);
        GEOSGeom_getYMax_r(h_, g, &e.y1);
        return e;
    }
    bool empty(const GEOSGeometry* g) const { return GEOSisEmpty_r(h_, g) == 1; }
    GeosPreparedPtr prepare(const GEOSGeometry* g) const {
        const GEOSPreparedGeometry* p = GEOSPrepare_r(h_, g);
        if (!p) throw Error("demo data: GEOS cannot prepare a geometry: " + gc_.last_error());
        return GeosPreparedPtr(p, GeosPreparedDeleter{h_});
    }
    bool contains(const GEOSPreparedGeometry* pg, const GEOSGeometry* g) const {
        return GEOSPreparedContains_r(h_, pg, g) == 1;
    }
    bool intersects(const GEOSPreparedGeometry* pg, const GEOSGeometry* g) const {
        return GEOSPreparedIntersects_r(h_, pg, g) == 1;
    }
    bool covers_point(const GEOSPreparedGeometry* pg, P p) const {
        auto pt = point(p);
        return GEOSPreparedIntersects_r(h_, pg, pt.get()) == 1;
    }
    // Appends the polygon parts of g (clones) with an area of at least min_area.
    void polygons(const GEOSGeometry* g, std::vector<GeosGeometryPtr>& out, double min_area = 0) const {
        const int type = GEOSGeomTypeId_r(h_, g);
        if (type == GEOS_POLYGON) {
            if (!empty(g) && area(g) > min_area) out.push_back(clone(g));
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            const int n = GEOSGetNumGeometries_r(h_, g);
            for (int i = 0; i < n; ++i) polygons(GEOSGetGeometryN_r(h_, g, i), out, min_area);
        }
    }
private:
    const GeosContext& gc_;
    GEOSContextHandle_t h_;
};

// An STRtree over polygons for point look-ups.
class PolygonIndex {
public:
    PolygonIndex(const Geo& geo, const std::vector<const GEOSGeometry*>& polys) : geo_(geo), polys_(polys) {
        tree_ = GEOSSTRtree_create_r(geo_.h(), 10);
        if (!tree_) throw Error("demo data: GEOS cannot create a spatial index");
        for (std::size_t i = 0; i < polys_.size(); ++i)
            GEOSSTRtree_insert_r(geo_.h(), tree_, polys_[i], reinterpret_cast<void*>(i + 1));
    }
    ~PolygonIndex() { GEOSSTRtree_destroy_r(geo_.h(), tree_); }
    PolygonIndex(const PolygonIndex&) = delete;
    PolygonIndex& operator=(const PolygonIndex&) = delete;

    // Indices of the polygons whose envelope meets the envelope of g, ascending.
    std::vector<std::size_t> candidates(const GEOSGeometry* g) const {
        std::vector<std::size_t> hits;
        GEOSSTRtree_query_r(
            geo_.h(), tree_, g,
            [](void* item, void* user) {
                static_cast<std::vector<std::size_t>*>(user)->push_back(reinterpret_cast<std::size_t>(item) - 1);
            },
            &hits);
        std::sort(hits.begin(), hits.end());
        return hits;
    }
    // Index of a polygon containing p, or -1.
    long find(P p) const {
        auto pt = geo_.point(p);
        for (std::size_t i : candidates(pt.get()))
            if (GEOSIntersects_r(geo_.h(), polys_[i], pt.get()) == 1) return static_cast<long>(i);
        return -1;
    }

private:
    const Geo& geo_;
    std::vector<const GEOSGeometry*> polys_;
    GEOSSTRtree* tree_ = nullptr;
};

// ------------------------------------------------------------------------------------------------
// Coordinate reference systems

class Crs {
public:
    Crs() {
        if (gk_.importFromEPSG(4547) != OGRERR_NONE || geo_.importFromEPSG(4490) != OGRERR_NONE)
            throw Error("demo data: PROJ does not know EPSG:4547 or EPSG:4490: " +
                        last_gdal_error("is proj.db installed?"));
        gk_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        geo_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        to_geo_.reset(OGRCreateCoordinateTransformation(&gk_, &geo_));
        to_gk_.reset(OGRCreateCoordinateTransformation(&geo_, &gk_));
        if (!to_geo_ || !to_gk_)
            throw Error("demo data: no transformation between EPSG:4547 and EPSG:4490: " + last_gdal_error(""));
    }
    const OGRSpatialReference& gk() const { return gk_; }
    const OGRSpatialReference& geographic() const { return geo_; }
    LonLat to_lonlat(P p) const {
        double x = p.x, y = p.y;
        if (!to_geo_->Transform(1, &x, &y)) throw Error("demo data: cannot transform a point to EPSG:4490");
        return {x, y};
    }
    P to_plane(LonLat ll) const {
        double x = ll.lon, y = ll.lat;
        if (!to_gk_->Transform(1, &x, &y)) throw Error("demo data: cannot transform a point to EPSG:4547");
        return {x, y};
    }

private:
    OGRSpatialReference gk_;
    OGRSpatialReference geo_;
    CoordTransformPtr to_geo_;
    CoordTransformPtr to_gk_;
};

// ------------------------------------------------------------------------------------------------
// Writing files with GDAL

struct FieldDef {
    const char* name;
    OGRFieldType type;
    int width = 0;
    int precision = 0;
};

class LayerWriter {
public:
    LayerWriter(const fs::path& path, const char* driver_name, const std::string& layer_name,
                OGRwkbGeometryType type, const OGRSpatialReference* srs, const std::vector<FieldDef>& fields,
                const std::vector<std::string>& layer_options = {})
        : path_(path), multi_(type == wkbMultiPolygon) {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
        if (!driver) fail(std::string("the GDAL driver ") + driver_name + " is not available");
        CPLErrorReset();
        ds_.reset(driver->Create(path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds_) fail("cannot create the file");
        CPLStringList options;
        for (const auto& o : layer_options) options.AddString(o.c_str());
        OGRSpatialReference* srs_copy = nullptr;
        if (srs) srs_copy = srs->Clone();
        layer_ = ds_->CreateLayer(layer_name.c_str(), srs_copy, type, options.List());
        if (srs_copy) srs_copy->Release();
        if (!layer_) fail("cannot create the layer " + layer_name);
        for (const auto& f : fields) {
            OGRFieldDefn defn(f.name, f.type);
            if (f.width > 0) defn.SetWidth(f.width);
            if (f.precision > 0) defn.SetPrecision(f.precision);
            if (layer_->CreateField(&defn) != OGRERR_NONE) fail(std::string("cannot create the field ") + f.name);
        }
        if (layer_->StartTransaction() != OGRERR_NONE) transaction_ = false;
    }

    OGRFeatureUniquePtr feature() const { return OGRFeatureUniquePtr(OGRFeature::CreateFeature(layer_->GetLayerDefn())); }

    void write(OGRFeature& feature, const Geo* geo = nullptr, const GEOSGeometry* g = nullptr) {
        if (geo && g) {
            GeosWkbWriterPtr writer(GEOSWKBWriter_create_r(geo->h()), GeosWkbWriterDeleter{geo->h()});
            std::size_t size = 0;
            std::unique_ptr<unsigned char, GeosBufferDeleter> wkb(GEOSWKBWriter_write_r(geo->h(), writer.get(), g, &size),
                                                                  GeosBufferDeleter{geo->h()});
            if (!wkb) fail("cannot encode a geometry");
            OGRGeometry* og = nullptr;
            if (OGRGeometryFactory::createFromWkb(wkb.get(), nullptr, &og, size) != OGRERR_NONE || !og)
                fail("cannot decode a geometry");
            if (multi_) og = OGRGeometryFactory::forceToMultiPolygon(og);
            feature.SetGeometryDirectly(og);
        }
        if (layer_->CreateFeature(&feature) != OGRERR_NONE) fail("cannot write a feature");
    }

    void close() {
        if (!ds_) return;
        if (transaction_ && layer_->CommitTransaction() != OGRERR_NONE) fail("cannot commit the features");
        CPLErrorReset();
        GDALDataset* ds = ds_.release();
        GDALClose(GDALDataset::ToHandle(ds));
        if (CPLGetLastErrorType() >= CE_Failure) fail("cannot finish the file");
    }
    ~LayerWriter() { ds_.reset(); }

private:
    [[noreturn]] void fail(const std::string& what) {
        throw Error("demo data: " + path_.string() + ": " + what + ": " + last_gdal_error("no details from GDAL"));
    }
    fs::path path_;
    bool multi_;
    GdalDatasetPtr ds_;
    OGRLayer* layer_ = nullptr;
    bool transaction_ = true;
};

// Paths a file of this name occupies (a shapefile is several files).
std::vector<fs::path> file_family(const fs::path& path) {
    if (path.extension() != ".shp") return {path};
    std::vector<fs::path> out;
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"}) {
        fs::path p = path;
        p.replace_extension(ext);
        out.push_back(p);
    }
    return out;
}

void remove_family(const fs::path& path) {
    for (const auto& p : file_family(path)) {
        std::error_code ec;
        fs::remove(p, ec);
    }
}

// Writes the DBF code-page byte (offset 29).
void set_dbf_ldid(const fs::path& dbf, unsigned char value) {
    std::fstream f(dbf, std::ios::in | std::ios::out | std::ios::binary);
    if (!f) throw Error("demo data: " + dbf.string() + ": cannot open the DBF to fix its code-page byte");
    f.seekg(29);
    char current = 0;
    f.read(&current, 1);
    if (!f) throw Error("demo data: " + dbf.string() + ": the DBF is too short");
    if (static_cast<unsigned char>(current) != value) {
        f.seekp(29);
        const char v = static_cast<char>(value);
        f.write(&v, 1);
        if (!f) throw Error("demo data: " + dbf.string() + ": cannot write the code-page byte");
    }
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) throw Error("demo data: " + path.string() + ": cannot write the file");
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

double round_to(double v, double unit) { return std::round(v / unit) * unit; }

// ------------------------------------------------------------------------------------------------
// Codes

const char* sandiao_name(const std::string& code) {
    static const std::map<std::string, const char*> names = {
        {"0101", "水田"}, {"0102", "水浇地"}, {"0103", "旱地"}, {"0201", "果园"}, {"0301", "乔木林地"},
        {"0305", "灌木林地"}, {"0307", "其他林地"}, {"05H1", "商业服务业设施用地"}, {"0508", "物流仓储用地"},
        {"0601", "工业用地"}, {"0602", "采矿用地"}, {"0701", "城镇住宅用地"}, {"0702", "农村宅基地"},
        {"08H1", "机关团体新闻出版用地"}, {"08H2", "科教文卫用地"}, {"0809", "公用设施用地"},
        {"0810", "公园与绿地"}, {"1001", "铁路用地"}, {"1003", "公路用地"}, {"1004", "城镇村道路用地"},
        {"1006", "农村道路"}, {"1101", "河流水面"}, {"1102", "湖泊水面"}, {"1104", "坑塘水面"},
        {"1106", "内陆滩涂"}, {"1107", "沟渠"}, {"1201", "空闲地"}, {"1202", "设施农用地"}, {"1206", "裸土地"},
    };
    auto it = names.find(code);
    if (it == names.end()) throw Error("demo data: internal error: no name for land class " + code);
    return it->second;
}

bool is_farmland(const std::string& c) { return c == "0101" || c == "0102" || c == "0103"; }
bool is_forest(const std::string& c) { return c == "0301" || c == "0305" || c == "0307"; }
bool is_buildable(const std::string& c) {
    static const std::set<std::string> no = {"1001", "1003", "1004", "1006", "1101", "1102", "1104", "1106", "1107"};
    return !no.count(c);
}

// GB 32100-2015 check character of a unified social credit code (first 17 characters).
constexpr const char* kCreditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

char credit_check_char(const std::string& first17) {
    static constexpr int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        const char* pos = std::strchr(kCreditCharset, first17[static_cast<std::size_t>(i)]);
        if (!pos || !*pos) throw Error("demo data: internal error: bad credit code character");
        sum += static_cast<int>(pos - kCreditCharset) * weights[i];
    }
    int check = 31 - sum % 31;
    if (check == 31) check = 0;
    return kCreditCharset[check];
}

// GB 11714 organisation code (9 characters: 8 digits and a check character).
std::string organisation_code(Rng& rng) {
    static constexpr int weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    std::string body = rng.digits(8);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (body[static_cast<std::size_t>(i)] - '0') * weights[i];
    const int c = 11 - sum % 11;
    body += c == 10 ? 'X' : c == 11 ? '0' : static_cast<char>('0' + c);
    return body;
}

std::string credit_code(Rng& rng, bool company) {
    std::string s = company ? "91" : "92";
    s += kCounty;
    s += organisation_code(rng);
    s += credit_check_char(s);
    return s;
}

// ------------------------------------------------------------------------------------------------
// The layout of the demo subdistrict

struct Village {
    std::string code;
    std::string name;
    bool community = false;
    P seed;                     // of the (displaced) Voronoi partition
    GeosGeometryPtr geom;       // union of its land-use cells, made once those exist
    GeosPreparedPtr prepared;
    Env env;                    // of the part of the plane nearest to its seed, later of geom
    P centroid;
    P centre;                   // main settlement (villages only)
    std::vector<Blob> hamlets;  // settlements incl. the main one (villages only)
};

struct Sensitive {
    P p;
    std::string lx;
    std::string mc;
};

struct Patch {
    GeosGeometryPtr geom;
    std::string code;
    int village = 0;
    const char* czcsxm = "";
    double area = 0;
    bool overlay = false;  // a piece of a road, railway, river, lake or canal
};

struct World {
    std::vector<P> jurisdiction;  // ring, EPSG:4547 (after the lon/lat round trip)
    std::vector<LonLat> jurisdiction_lonlat;
    Env env;
    Blob town;
    Park park1;  // 青岭工业园; occupied where local u < park1_split
    double park1_split = 0;
    Park park2;  // 石桥产业园 (planned)
    Blob station_cluster, north_cluster, quarry, lake;
    std::vector<P> river, railway, highway, county_road;
    std::vector<std::vector<P>> canals;
    P intake;
    std::array<double, 4> forest_wave{};  // phases
    Noise2 farm_noise;
    Noise2 forest_noise;
    Noise2 shift_x, shift_y;  // displacement that makes village boundaries wiggle
    std::vector<Village> villages;
    std::vector<Sensitive> sensitive;
    std::vector<std::vector<P>> rural_roads;

    double forest_edge(double y) const {  // x of the forest side's edge at northing y
        const double t = y - kY0;
        return kX0 - 2600 - 320 * std::sin(t / 2300 + forest_wave[0]) - 200 * std::sin(t / 1100 + forest_wave[1]) -
               130 * std::sin(t / 430 + forest_wave[3]);
    }
    bool in_forest(P p) const { return p.x < forest_edge(p.y) + 250 * forest_noise(p); }
    // The village of a point: nearest seed after a smooth displacement of the point (so that the
    // boundaries are wiggly lines, not the straight edges of a Voronoi diagram).
    int village_at(P p) const {
        const P q{p.x + 220 * shift_x(p), p.y + 220 * shift_y(p)};
        int best = 0;
        double bd = std::numeric_limits<double>::max();
        for (std::size_t i = 0; i < villages.size(); ++i) {
            const double d = dist(q, villages[i].seed);
            if (d < bd) bd = d, best = static_cast<int>(i);
        }
        return best;
    }
    double river_y(double x) const {
        const double t = x - kX0;
        return kY0 - 2000 + 450 * std::sin(t / 2200 + 0.7) + 150 * std::sin(t / 900 + forest_wave[2]);
    }
    bool park1_occupied(P p) const { return park1.contains(p) && park1.local(p).first < park1_split; }
    bool in_settlement(P p) const {
        for (const auto& v : villages)
            for (const auto& h : v.hamlets)
                if (h.contains(p)) return true;
        return false;
    }
};

void build_layout(World& w, Rng& rng) {
    auto jitter = [&](double d) { return rng.uniform(-d, d); };
    w.town = make_blob(rng, rel(700 + jitter(100), 600 + jitter(100)), 1250, 0.15);
    w.park1 = Park{rel(3300 + jitter(80), 1500 + jitter(80)), 750, 500, (10 + jitter(3)) * kPi / 180};
    w.park1_split = 100;
    w.park2 = Park{rel(1900 + jitter(60), -3000 + jitter(60)), 500, 350, (-8 + jitter(3)) * kPi / 180};
    w.station_cluster = make_blob(rng, rel(-1350 + jitter(60), 1350 + jitter(60)), 360, 0.2);
    w.north_cluster = make_blob(rng, rel(1800 + jitter(80), 3000 + jitter(60)), 300, 0.2);
    w.quarry = make_blob(rng, rel(-4000 + jitter(80), 2300 + jitter(80)), 260, 0.25);
    w.lake = make_blob(rng, rel(4000 + jitter(60), -1700 + jitter(40)), 430, 0.18);
    for (auto& ph : w.forest_wave) ph = rng.uniform(0, 2 * kPi);
    w.farm_noise = make_noise(rng, 3500);
    w.forest_noise = make_noise(rng, 1600);
    w.shift_x = make_noise(rng, 3000);
    w.shift_y = make_noise(rng, 3000);

    for (double x = -5900; x <= 5900; x += 40) w.river.push_back({kX0 + x, w.river_y(kX0 + x)});
    {  // railway: a gentle curve from SSW to NNE, west of the town
        const P a = rel(-4200, -4900), b = rel(1300, 4900);
        const P c = {(a.x + b.x) / 2 + 300 + jitter(60), (a.y + b.y) / 2 - 200};
        for (int i = 0; i <= 80; ++i) {
            const double t = i / 80.0;
            w.railway.push_back({(1 - t) * (1 - t) * a.x + 2 * t * (1 - t) * c.x + t * t * b.x,
                                 (1 - t) * (1 - t) * a.y + 2 * t * (1 - t) * c.y + t * t * b.y});
        }
    }
    for (double x = -5900; x <= 5900; x += 100) w.highway.push_back(rel(x, 650 + 250 * std::sin(x / 2500)));
    const double road_x = w.town.c.x - kX0 + 60;
    for (double y = -4900; y <= 4900; y += 100) w.county_road.push_back(rel(road_x + 180 * std::sin(y / 1900), y));
    for (double cx : {-300.0, 3000.0}) {
        std::vector<P> canal;
        const double top = w.river_y(kX0 + cx) - kY0;
        for (double y = top; y >= -4900; y -= 100) canal.push_back(rel(cx + 120 * std::sin((y - top) / 1500), y));
        w.canals.push_back(canal);
    }
    w.intake = {kX0 - 1200, w.river_y(kX0 - 1200)};
}

std::vector<P> jurisdiction_ring(Rng& rng) {
    const double a = 5000, b = 4000, p = 4;
    std::array<double, 6> amp{}, phase{};
    for (std::size_t k = 0; k < amp.size(); ++k) {
        amp[k] = rng.uniform(0.006, 0.016);
        phase[k] = rng.uniform(0, 2 * kPi);
    }
    const int n = 72;
    std::vector<P> ring;
    for (int i = 0; i < n; ++i) {
        const double th = 2 * kPi * (i + rng.uniform(-0.3, 0.3)) / n;
        const double c = std::fabs(std::cos(th)), s = std::fabs(std::sin(th));
        double r = std::pow(std::pow(c / a, p) + std::pow(s / b, p), -1.0 / p);
        double f = 1.0 + rng.uniform(-0.008, 0.008);
        for (std::size_t k = 0; k < amp.size(); ++k) f += amp[k] * std::sin(static_cast<double>(k + 2) * th + phase[k]);
        r *= f;
        ring.push_back(rel(r * std::cos(th), r * std::sin(th)));
    }
    return ring;
}

// Voronoi cells of points, clipped to the clip geometry; result[i] belongs to points[i].
std::vector<GeosGeometryPtr> voronoi_cells(const Geo& geo, const std::vector<P>& points, const GEOSGeometry* clip) {
    std::vector<GeosGeometryPtr> pts;
    for (const P& p : points) pts.push_back(geo.point(p));
    auto multi = geo.collection(std::move(pts), GEOS_MULTIPOINT);
    const Env e = geo.envelope(clip).expanded(3000);
    auto frame = geo.rect(e.x0, e.y0, e.x1, e.y1);
    auto diagram = geo.own(GEOSVoronoiDiagram_r(geo.h(), multi.get(), frame.get(), 0.0, 0), "Voronoi diagram");
    std::vector<GeosGeometryPtr> out(points.size());
    const int n = GEOSGetNumGeometries_r(geo.h(), diagram.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(geo.h(), diagram.get(), i);
        auto prepared = geo.prepare(cell);
        for (std::size_t k = 0; k < points.size(); ++k) {
            if (!out[k] && geo.covers_point(prepared.get(), points[k])) {
                out[k] = geo.intersection(cell, clip);
                break;
            }
        }
    }
    for (auto& c : out)
        if (!c) throw Error("demo data: internal error: a Voronoi cell is missing");
    return out;
}

// Twelve villages: seeds spread by Lloyd relaxation, named after what lies in them. Their polygons
// are made later from the land-use cells (village boundaries follow patch boundaries, as in 三调).
void build_villages(World& w, const Geo& geo, const GEOSGeometry* jurisdiction, Rng& rng) {
    std::vector<P> seeds;
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 4; ++c) {
            P p = rel(-5000 + (c + 0.5) * 2500 + rng.uniform(-600, 600),
                      -4000 + (r + 0.5) * 8000.0 / 3 + rng.uniform(-450, 450));
            while (!in_ring(w.jurisdiction, p)) p = {kX0 + (p.x - kX0) * 0.85, kY0 + (p.y - kY0) * 0.85};
            seeds.push_back(p);
        }
    }
    for (int iteration = 0; iteration < 2; ++iteration) {  // Lloyd relaxation: rounder villages
        auto cells = voronoi_cells(geo, seeds, jurisdiction);
        for (std::size_t i = 0; i < seeds.size(); ++i) seeds[i] = geo.centroid(cells[i].get());
    }
    // Provisional villages in seed order, to measure and name them.
    w.villages.clear();
    for (const P& s : seeds) {
        Village v;
        v.seed = s;
        w.villages.push_back(std::move(v));
    }
    const std::size_t n = w.villages.size();
    std::vector<double> sx(n, 0), sy(n, 0), count(n, 0);
    std::vector<Env> envs(n, Env{1e300, 1e300, -1e300, -1e300});
    for (double x = w.env.x0 + 50; x < w.env.x1; x += 100) {
        for (double y = w.env.y0 + 50; y < w.env.y1; y += 100) {
            if (!in_ring(w.jurisdiction, {x, y})) continue;
            const auto i = static_cast<std::size_t>(w.village_at({x, y}));
            sx[i] += x, sy[i] += y, count[i] += 1;
            envs[i] = {std::min(envs[i].x0, x - 50), std::min(envs[i].y0, y - 50), std::max(envs[i].x1, x + 50),
                       std::max(envs[i].y1, y + 50)};
        }
    }
    std::vector<std::string> names(n);
    std::vector<P> centroids(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (count[i] == 0) throw Error("demo data: internal error: an empty village");
        centroids[i] = {sx[i] / count[i], sy[i] / count[i]};
    }
    auto nearest_unnamed = [&](P p) -> std::size_t {
        std::size_t best = 0;
        double bd = 1e300;
        for (std::size_t i = 0; i < n; ++i) {
            if (!names[i].empty()) continue;
            const double d = dist(p, centroids[i]);
            if (d < bd) bd = d, best = i;
        }
        return best;
    };
    std::vector<std::size_t> order;
    auto name_at = [&](P p, const char* name) {
        auto i = static_cast<std::size_t>(w.village_at(p));
        if (!in_ring(w.jurisdiction, p) || !names[i].empty()) i = nearest_unnamed(p);
        names[i] = name;
        order.push_back(i);
    };
    name_at(w.town.c, "青岭社区");
    name_at(w.town.c, "新华社区");  // the town's other half: the nearest remaining village
    name_at(w.park2.c, "石桥村");
    name_at(w.intake, "柳树湾村");
    name_at(rel(-6000, 0), "西山村");
    name_at(rel(6000, 0), "东湖村");
    // The rest from north-west to south-east.
    std::vector<std::size_t> rest;
    for (std::size_t i = 0; i < n; ++i)
        if (names[i].empty()) rest.push_back(i);
    std::sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) {
        return (centroids[a].x - centroids[a].y) < (centroids[b].x - centroids[b].y);
    });
    const char* others[] = {"桃园村", "龙潭村", "新庄村", "南岗村", "河口村", "杨家湾村"};
    for (std::size_t k = 0; k < rest.size(); ++k) {
        names[rest[k]] = others[k];
        order.push_back(rest[k]);
    }
    std::vector<Village> named;
    int community_no = 0, village_no = 0;
    for (std::size_t i : order) {
        Village v;
        v.seed = seeds[i];
        v.name = names[i];
        v.community = v.name.ends_with("社区");
        char buf[16];
        std::snprintf(buf, sizeof buf, "%03d", v.community ? ++community_no : 200 + ++village_no);
        v.code = std::string(kTownCode).substr(0, 9) + buf;
        v.env = envs[i];
        v.centroid = centroids[i];
        named.push_back(std::move(v));
    }
    w.villages = std::move(named);
}

// Where settlements may lie: not in town, parks, clusters, water or next to the railway.
bool settlement_site_ok(const World& w, P p, double margin) {
    if (w.town.ratio(p) < 1.0 + margin / w.town.r + 0.1) return false;
    for (const Park* park : {&w.park1, &w.park2})
        if (dist(p, park->c) < std::hypot(park->hu, park->hv) + margin) return false;
    for (const Blob* b : {&w.station_cluster, &w.north_cluster, &w.quarry, &w.lake})
        if (dist(p, b->c) < b->r * 1.25 + margin) return false;
    if (polyline_distance(w.river, p) < 150 + margin) return false;
    if (polyline_distance(w.railway, p) < 80 + margin) return false;
    return true;
}

void build_settlements(World& w, Rng& rng) {
    auto inside_with_margin = [&](const Village& v, P p, double m) {
        const int index = static_cast<int>(&v - w.villages.data());
        for (int k = 0; k <= 8; ++k) {
            const double a = k * kPi / 4, r = k == 8 ? 0 : m;
            const P q{p.x + r * std::cos(a), p.y + r * std::sin(a)};
            if (!in_ring(w.jurisdiction, q) || w.village_at(q) != index) return false;
        }
        return true;
    };
    std::vector<P> all_centres;
    auto far_from_others = [&](P p, double d) {
        for (const P& q : all_centres)
            if (dist(p, q) < d) return false;
        return true;
    };
    for (auto& v : w.villages) {
        if (v.community) continue;
        bool found = false;
        for (int attempt = 0; attempt < 4000 && !found; ++attempt) {
            const double spread = 200 + attempt * 0.5;
            const P p{v.centroid.x + rng.uniform(-spread, spread), v.centroid.y + rng.uniform(-spread, spread)};
            if (inside_with_margin(v, p, 300) && settlement_site_ok(w, p, 250) && far_from_others(p, 900)) {
                v.centre = p;
                found = true;
            }
        }
        if (!found) throw Error("demo data: internal error: no site for the centre of " + v.name);
        all_centres.push_back(v.centre);
        v.hamlets.push_back(make_blob(rng, v.centre, rng.uniform(260, 340), 0.22));
    }
    for (auto& v : w.villages) {
        if (v.community) continue;
        const int wanted = 2 + static_cast<int>(rng.below(2));
        for (int attempt = 0; attempt < 3000 && static_cast<int>(v.hamlets.size()) < wanted + 1; ++attempt) {
            const P p{rng.uniform(v.env.x0, v.env.x1), rng.uniform(v.env.y0, v.env.y1)};
            if (inside_with_margin(v, p, 200) && settlement_site_ok(w, p, 150) && far_from_others(p, 650)) {
                all_centres.push_back(p);
                v.hamlets.push_back(make_blob(rng, p, rng.uniform(130, 200), 0.25));
            }
        }
    }
}

const Village* village_named(const World& w, const std::string& name) {
    for (const auto& v : w.villages)
        if (v.name == name) return &v;
    return nullptr;
}

void build_sensitive(World& w) {
    const P t = w.town.c;
    auto at = [&](double dx, double dy) { return P{t.x + dx, t.y + dy}; };
    w.sensitive = {
        {at(-450, 350), "学校", "青岭中学"},
        {at(300, 450), "学校", "青岭第一小学"},
        {at(-250, -500), "学校", "青岭第二小学"},
        {at(550, -150), "学校", "青岭中心幼儿园"},
        {at(100, -250), "卫生院", "青岭街道卫生院"},
        {at(-150, 150), "居民区", "青岭花园小区"},
        {at(650, 300), "居民区", "锦绣家园"},
        {at(-200, -850), "居民区", "滨河小区"},
        {at(-700, -100), "居民区", "新华苑"},
    };
    if (const Village* v = village_named(w, "东湖村")) {
        w.sensitive.push_back({{v->centre.x + 90, v->centre.y + 60}, "学校", "东湖小学"});
        w.sensitive.push_back({{v->centre.x - 60, v->centre.y - 90}, "居民区", "东湖新村"});
    }
    if (const Village* v = village_named(w, "石桥村"))
        w.sensitive.push_back({{v->centre.x - 80, v->centre.y + 70}, "学校", "石桥小学"});
    if (const Village* v = village_named(w, "柳树湾村"))
        w.sensitive.push_back({{v->centre.x + 100, v->centre.y + 40}, "居民区", "柳树湾安置小区"});
}

// Rural roads: each settlement centre to its two nearest neighbours (and the town), each hamlet to
// its village centre, with a bend in the middle.
void build_rural_roads(World& w, Rng& rng) {
    std::vector<P> nodes = {w.town.c};
    for (const auto& v : w.villages)
        if (!v.community) nodes.push_back(v.centre);
    std::set<std::pair<std::size_t, std::size_t>> edges;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        std::vector<std::pair<double, std::size_t>> near;
        for (std::size_t j = 0; j < nodes.size(); ++j)
            if (j != i) near.push_back({dist(nodes[i], nodes[j]), j});
        std::sort(near.begin(), near.end());
        for (std::size_t k = 0; k < 2 && k < near.size(); ++k)
            edges.insert({std::min(i, near[k].second), std::max(i, near[k].second)});
    }
    auto bent = [&](P a, P b) {
        const double len = dist(a, b);
        const double off = rng.uniform(-0.12, 0.12) * len;
        const P m{(a.x + b.x) / 2 - (b.y - a.y) / len * off, (a.y + b.y) / 2 + (b.x - a.x) / len * off};
        return std::vector<P>{a, m, b};
    };
    for (const auto& [i, j] : edges) w.rural_roads.push_back(bent(nodes[i], nodes[j]));
    for (const auto& v : w.villages)
        for (std::size_t k = 1; k < v.hamlets.size(); ++k) w.rural_roads.push_back(bent(v.hamlets[k].c, v.centre));
    // Access road of the planned park to the county road.
    const P pc = w.park2.c;
    const double road_x = polyline_distance(w.county_road, pc);
    w.rural_roads.push_back({pc, {pc.x - road_x - 20, pc.y + 40}});
}

// Land-use density: small patches in town and settlements, large ones in the forest.
double seed_density(const World& w, P p) {
    if (w.town.contains(p)) return 3.0;
    if (w.park1_occupied(p)) return 2.0;
    if (w.park1.contains(p) || w.park2.contains(p)) return 1.5;
    if (w.station_cluster.contains(p) || w.north_cluster.contains(p)) return 2.0;
    if (w.in_settlement(p)) return 2.2;
    if (w.in_forest(p)) return 0.45;
    return 1.0;
}

struct Classified {
    std::string code;
    const char* czcsxm;
};

Classified classify(const World& w, P p, Rng& rng) {
    for (const auto& s : w.sensitive) {
        if ((s.lx == "学校" || s.lx == "卫生院") && dist(p, s.p) < 70) return {"08H2", w.town.contains(p) ? "202" : "203"};
        if (s.lx == "居民区" && dist(p, s.p) < 90) return {w.town.contains(p) ? "0701" : "0702", w.town.contains(p) ? "202" : "203"};
    }
    if (w.park1.contains(p)) {
        if (w.park1_occupied(p))
            return {choose(rng, {{"0601", 0.78}, {"0508", 0.10}, {"05H1", 0.04}, {"1201", 0.08}}), "202"};
        return {choose(rng, {{"0103", 0.55}, {"0102", 0.15}, {"1201", 0.20}, {"0601", 0.10}}), ""};
    }
    if (w.park2.contains(p))
        return {choose(rng, {{"0103", 0.50}, {"0102", 0.20}, {"1201", 0.12}, {"0601", 0.15}, {"0702", 0.03}}), ""};
    const double q = w.town.ratio(p);
    if (q <= 1.0) {
        if (q < 0.35)
            return {choose(rng, {{"05H1", 0.45}, {"0701", 0.30}, {"08H1", 0.08}, {"0810", 0.07}, {"08H2", 0.05}, {"0809", 0.05}}), "202"};
        return {choose(rng, {{"0701", 0.62}, {"05H1", 0.14}, {"08H2", 0.04}, {"0810", 0.04}, {"1201", 0.05},
                             {"0601", 0.06}, {"0809", 0.03}, {"0508", 0.02}}),
                "202"};
    }
    if (w.station_cluster.contains(p))
        return {choose(rng, {{"0601", 0.62}, {"0508", 0.20}, {"1201", 0.08}, {"0702", 0.10}}), "203"};
    if (w.north_cluster.contains(p))
        return {choose(rng, {{"0601", 0.70}, {"0508", 0.05}, {"1201", 0.10}, {"0702", 0.15}}), "203"};
    if (w.quarry.contains(p)) return {choose(rng, {{"0602", 0.80}, {"1206", 0.20}}), "204"};
    if (w.lake.ratio(p) < 1.15) return {choose(rng, {{"1106", 0.5}, {"1104", 0.3}, {"0307", 0.2}}), ""};
    if (w.in_settlement(p))
        return {choose(rng, {{"0702", 0.80}, {"0601", 0.05}, {"1201", 0.04}, {"05H1", 0.03}, {"1104", 0.03},
                             {"1202", 0.03}, {"08H1", 0.01}, {"0810", 0.01}}),
                "203"};
    if (p.x < w.forest_edge(p.y) + 250 * w.forest_noise(p) + rng.uniform(-120, 120))
        return {choose(rng, {{"0301", 0.62}, {"0307", 0.24}, {"0305", 0.06}, {"0103", 0.04}, {"1104", 0.02}, {"0702", 0.02}}), ""};
    const double river = polyline_distance(w.river, p);
    if (river < 300)
        return {choose(rng, {{"0101", 0.47}, {"1104", 0.30}, {"1107", 0.07}, {"1106", 0.06}, {"1202", 0.05}, {"0307", 0.05}}), ""};
    const double r = rng.uniform();
    if (r < 0.02) return {"1104", ""};
    if (r < 0.04) return {"0201", ""};
    if (r < 0.055) return {"1202", ""};
    if (r < 0.07) return {"0307", ""};
    if (r < 0.075) return {"1201", ""};
    const double f = (p.y - kY0) / 2200.0 + 0.9 * w.farm_noise(p) + rng.uniform(-0.25, 0.25);
    if (f < -0.6) return {"0101", ""};
    if (f < 0.5) return {"0102", ""};
    return {"0103", ""};
}

// Cutting cells by villages and roads leaves slivers of a few square metres that no surveyor would
// map; each joins the neighbour of its village that shares most of its boundary (preferably a
// land patch, not a road).
constexpr double kMinPatchArea = 50.0;

void merge_slivers(const Geo& geo, std::vector<Patch>& patches) {
    std::vector<GeosGeometryPtr> originals;  // the index needs geometries that do not change
    std::vector<const GEOSGeometry*> geoms;
    for (const auto& p : patches) {
        originals.push_back(geo.clone(p.geom.get()));
        geoms.push_back(originals.back().get());
    }
    PolygonIndex index(geo, geoms);
    std::vector<bool> gone(patches.size(), false);
    for (std::size_t i = 0; i < patches.size(); ++i) {
        if (patches[i].area >= kMinPatchArea) continue;
        auto grown = geo.buffer(originals[i].get(), 0.05);
        // (land first, shared boundary) -> candidate; roads and rivers only when no land patch fits.
        std::vector<std::pair<std::pair<int, double>, std::size_t>> ranked;
        for (std::size_t j : index.candidates(grown.get())) {
            if (j == i || patches[j].village != patches[i].village || patches[j].area < kMinPatchArea) continue;
            auto shared = geo.intersection(grown.get(), originals[j].get());
            const double score = geo.area(shared.get());
            if (score > 0) ranked.push_back({{patches[j].overlay ? 1 : 0, -score}, j});
        }
        std::sort(ranked.begin(), ranked.end());
        for (const auto& r : ranked) {
            Patch& target = patches[r.second];
            auto merged = geo.unite(target.geom.get(), patches[i].geom.get());
            if (GEOSGeomTypeId_r(geo.h(), merged.get()) != GEOS_POLYGON) continue;  // touches at a corner only
            target.geom = std::move(merged);
            target.area = geo.area(target.geom.get());
            gone[i] = true;
            break;
        }
        if (!gone[i] && patches[i].area < 1.0) gone[i] = true;  // a numerical crumb: drop it
    }
    std::vector<Patch> kept;
    kept.reserve(patches.size());
    for (std::size_t i = 0; i < patches.size(); ++i)
        if (!gone[i]) kept.push_back(std::move(patches[i]));
    patches = std::move(kept);
}

// ------------------------------------------------------------------------------------------------
// The ledger

struct IndustrySpec {
    const char* name;
    bool wastewater, waste_gas, solid;
    bool food;
    std::vector<const char*> shops;  // names of small workshops
    const char* company;             // product word of a registered company
};

const std::vector<IndustrySpec>& industry_specs() {
    static const std::vector<IndustrySpec> specs = {
        {"砖瓦", false, true, true, false, {"砖瓦厂", "机砖厂", "砖厂"}, "新型建材"},
        {"家具制造", false, true, true, false, {"家具厂", "木器加工厂", "家具加工厂"}, "家具"},
        {"木材加工", false, true, true, false, {"木材加工厂", "板材厂", "木业加工点"}, "木业"},
        {"农家乐", true, true, true, false, {"农家乐", "山庄", "渔庄"}, "生态农业发展"},
        {"畜禽养殖", true, true, true, false, {"养猪场", "养鸡场", "养殖场", "养牛场"}, "生态养殖"},
        {"屠宰", true, false, true, false, {"屠宰点", "屠宰场"}, "肉类食品"},
        {"小酒坊", true, false, true, true, {"酒坊", "酿酒坊", "白酒作坊"}, "酒业"},
        {"食品加工", true, false, true, true, {"豆腐坊", "粉条加工坊", "糕点坊", "食品加工坊"}, "食品"},
        {"餐饮", true, true, false, false, {"饭店", "烧烤店", "土菜馆", "大排档"}, "餐饮管理"},
        {"洗染", true, true, true, false, {"干洗店", "染坊", "洗染店"}, "洗染服务"},
        {"加油站", false, true, true, false, {"加油站", "加油点"}, "石油经营"},
        {"燃煤锅炉", false, true, true, false, {"浴池", "开水房", "烘干房"}, "热力"},
        {"塑料加工", false, true, true, false, {"塑料加工厂", "废塑料加工点", "注塑厂"}, "塑料制品"},
        {"五金加工", true, true, true, false, {"五金加工厂", "机械加工厂", "五金厂"}, "五金制品"},
        {"石材加工", true, true, true, false, {"石材加工厂", "石料厂"}, "石材"},
        {"化工", true, true, true, false, {"化工厂", "涂料厂"}, "化工"},
        {"印刷", false, true, true, false, {"印刷厂", "纸箱包装厂"}, "印务"},
        {"汽车维修", true, true, true, false, {"汽修店", "汽车修理厂"}, "汽车维修服务"},
        {"废品回收", true, false, true, false, {"废品回收站", "废品收购点"}, "再生资源回收"},
    };
    return specs;
}

const IndustrySpec& industry_spec(const std::string& name) {
    for (const auto& s : industry_specs())
        if (name == s.name) return s;
    throw Error("demo data: internal error: unknown industry " + name);
}

const std::vector<std::string> kLedgerHeaders = {
    "序号", "企业名称", "统一社会信用代码", "法定代表人", "联系电话", "地址", "所属村(社区)", "行业", "电力户号",
    "营业执照", "发改立项", "用地手续", "规划许可", "环评", "安全生产许可", "排污许可", "食品生产许可",
    "废水", "废气", "固废", "固废台账", "经度", "纬度", "坐标来源", "备注"};

enum Col {
    c_no, c_name, c_credit, c_person, c_phone, c_address, c_village, c_industry, c_power, c_license, c_fagai,
    c_land, c_planning, c_eia, c_safety, c_discharge, c_food, c_ww, c_gas, c_solid, c_solid_ledger, c_lon,
    c_lat, c_source, c_notes, c_count
};

using Row = std::array<std::string, c_count>;

struct Enterprise {
    P p;
    int village = 0;
    Row row;
};

// What a point of the map is: land class and the zones it lies in.
struct Site {
    P p;
    long patch = -1;
    std::string code;
    int village = -1;
    bool jbnt = false, redline = false, park1 = false, park2 = false, town = false;
    int wp = 0;  // water protection zone: 1 = 一级, 2 = 二级
    double sensitive_distance = 1e9;
    double road_distance = 1e9;
};

struct Scenario {
    const char* key;
    int count;
    double formal;
    std::vector<Choice> industries;
    std::function<bool(const Site&)> accept;
    Env region;
};

const std::vector<const char*> kFirms = {
    "红星", "永顺", "鑫达", "宏发", "兴旺", "金利", "福源", "顺达", "恒通", "华盛", "振兴", "大成", "天宇", "德丰",
    "利民", "众鑫", "长青", "盛世", "广源", "富强", "金鹏", "瑞丰", "和顺", "旺达", "隆昌", "三友", "四季", "绿源",
    "鸿运", "新兴", "东升", "佳美", "正大", "金诚", "宏图", "聚丰", "恒达", "荣盛", "万福", "春晖", "联发", "益民"};
const std::vector<const char*> kSurnames = {"张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
                                            "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};
const std::vector<const char*> kGiven = {"建国", "国强", "伟", "军", "红梅", "秀英", "志刚", "海军", "明", "丽",
                                         "桂兰", "德华", "春生", "玉兰", "长江", "小平", "建华", "新民", "文斌", "淑珍",
                                         "勇", "俊", "金山", "桂芳", "永红", "爱国", "光明", "水生", "冬梅", "国庆"};
const std::vector<const char*> kStreets = {"建设路", "解放街", "新华路", "青岭大道", "滨河路", "人民路", "文化路", "学府路", "中山路"};
const std::vector<const char*> kParkStreets = {"工业大道", "纬一路", "纬二路", "经一路", "经二路"};
const std::vector<const char*> kNotes = {"已核查", "停产", "正在整改", "2024年8月排查新增", "租用村民房屋", "夜间生产",
                                         "群众举报", "已约谈负责人", "季节性生产", "复查", "联系不上负责人", "已下达整改通知"};

} // namespace

// ------------------------------------------------------------------------------------------------

std::vector<DemoSource> write_demo_sources(const fs::path& dir, Progress& progress, std::uint64_t seed) {
    ensure_gdal_initialised();
    auto check_cancel = [&] {
        if (progress.cancelled()) throw CancelledError();
    };
    {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec || !fs::is_directory(dir))
            throw Error("demo data: cannot create the directory " + dir.string() + ": " + ec.message());
    }
    ScopedGdalConfig fixed_date("OGR_CURRENT_DATE", kFixedDate);

    std::vector<DemoSource> sources = {
        {dir / "jurisdiction.geojson", "jurisdiction", "", "青岭街道行政区界"},
        {dir / "CJDCQ.gpkg", "village", "CJDCQ", "村级调查区"},
        {dir / "DLTB.shp", "landuse", "", "三调地类图斑"},
        {dir / "YJJBNTTB.shp", "farmland", "", "永久基本农田"},
        {dir / "STBHHX.gpkg", "eco_redline", "STBHHX", "生态保护红线"},
        {dir / "CZKFBJ.gpkg", "urban_boundary", "CZKFBJ", "城镇开发边界"},
        {dir / "water_protection.geojson", "water_protection", "", "饮用水水源保护区"},
        {dir / "industrial_park.gpkg", "industrial_park", "GYYQ", "工业园区"},
        {dir / "park_parcel.gpkg", "park_parcel", "TDGHDL", "园区规划地块"},
        {dir / "sensitive.gpkg", "sensitive", "MGD", "环境敏感点"},
        {dir / "ledger.xlsx", "ledger", "企业台账", "散乱污企业台账"},
    };
    // Everything is written into a staging folder and moved into place at the end, so that a
    // failure or a cancellation leaves the folder as it was.
    const fs::path staging = dir / ".qingling-demo-partial";
    const auto path_of = [&](const char* role) -> fs::path {
        for (const auto& s : sources)
            if (s.role == role) return staging / s.path.filename();
        throw Error("demo data: internal error: no role");
    };

    try {
        {
            std::error_code ec;
            fs::remove_all(staging, ec);
            fs::create_directories(staging, ec);
            if (ec) throw Error("demo data: cannot create the folder " + staging.string() + ": " + ec.message());
        }
        progress.report(0.0, "layout");
        GeosContext gc;
        Geo geo(gc);
        Crs crs;
        World w;
        {
            Rng rng(seed, s_layout);
            build_layout(w, rng);
        }

        // ---- 1. jurisdiction (EPSG:4490 lon/lat; the plane ring is the lon/lat one projected back)
        {
            Rng rng(seed, s_jurisdiction);
            for (const P& p : jurisdiction_ring(rng)) {
                LonLat ll = crs.to_lonlat(p);
                ll.lon = round_to(ll.lon, 1e-8);
                ll.lat = round_to(ll.lat, 1e-8);
                w.jurisdiction_lonlat.push_back(ll);
                w.jurisdiction.push_back(crs.to_plane(ll));
            }
        }
        auto jurisdiction = geo.polygon(w.jurisdiction);
        w.env = geo.envelope(jurisdiction.get());
        {
            const fs::path path = path_of("jurisdiction");
            std::vector<P> lonlat;
            for (const auto& ll : w.jurisdiction_lonlat) lonlat.push_back({ll.lon, ll.lat});
            auto g = geo.polygon(lonlat);
            LayerWriter out(path, "GeoJSON", "jurisdiction", wkbPolygon, &crs.geographic(),
                            {{"XZQDM", OFTString, 12}, {"XZQMC", OFTString, 50}}, {"COORDINATE_PRECISION=8"});
            auto f = out.feature();
            f->SetField("XZQDM", kTownCode);
            f->SetField("XZQMC", kTownName);
            out.write(*f, &geo, g.get());
            out.close();
        }
        check_cancel();

        // ---- 2. villages
        progress.report(0.03, "CJDCQ");
        {
            Rng rng(seed, s_villages);
            build_villages(w, geo, jurisdiction.get(), rng);
        }
        {
            Rng rng(seed, s_settlements);
            build_settlements(w, rng);
        }
        build_sensitive(w);
        {
            Rng rng(seed, s_roads);
            build_rural_roads(w, rng);
        }
        // ---- 3. linear and water features that cut the patches (priority order, disjoint)
        progress.report(0.06, "DLTB");
        struct Overlay {
            std::string code;
            GeosGeometryPtr geom;
            bool split;  // cut into pieces of a 600 m grid
        };
        std::vector<Overlay> overlays;
        GeosGeometryPtr occupied;  // union of the overlays so far
        auto add_overlay = [&](const char* code, GeosGeometryPtr g, bool split) {
            g = geo.intersection(g.get(), jurisdiction.get());
            if (occupied) g = geo.difference(g.get(), occupied.get());
            occupied = occupied ? geo.unite(occupied.get(), g.get()) : geo.clone(g.get());
            overlays.push_back({code, std::move(g), split});
        };
        auto buffered_lines = [&](const std::vector<std::vector<P>>& lines, double half_width) {
            std::vector<GeosGeometryPtr> parts;
            for (const auto& l : lines) parts.push_back(geo.buffer(geo.line(l).get(), half_width, true));
            return geo.union_all(std::move(parts));
        };
        auto town_poly = geo.polygon(w.town.ring());
        auto park1_poly = geo.polygon(w.park1.ring());
        auto park2_poly = geo.polygon(w.park2.ring());
        add_overlay("1102", geo.polygon(w.lake.ring()), false);
        add_overlay("1101", buffered_lines({w.river}, 45), true);
        add_overlay("1001", buffered_lines({w.railway}, 15), true);
        {
            std::vector<GeosGeometryPtr> parts;
            parts.push_back(geo.buffer(geo.line(w.highway).get(), 12, true));
            parts.push_back(geo.buffer(geo.line(w.county_road).get(), 10, true));
            add_overlay("1003", geo.union_all(std::move(parts)), true);
        }
        {
            std::vector<std::vector<P>> streets;
            const P t = w.town.c;
            for (int k = -5; k <= 4; ++k) {
                const double o = 160 + 320.0 * k;
                streets.push_back({{t.x + o, t.y - 1700}, {t.x + o, t.y + 1700}});
                streets.push_back({{t.x - 1700, t.y + o}, {t.x + 1700, t.y + o}});
            }
            auto town_streets = geo.intersection(buffered_lines(streets, 7).get(), town_poly.get());
            std::vector<std::vector<P>> park_roads;  // the built part of 青岭工业园
            const Park& pk = w.park1;
            for (double u = -pk.hu + 250; u < w.park1_split; u += 250) park_roads.push_back({pk.world(u, -pk.hv - 5), pk.world(u, pk.hv + 5)});
            for (double v = -pk.hv + 250; v < pk.hv - 1; v += 250) park_roads.push_back({pk.world(-pk.hu - 5, v), pk.world(w.park1_split, v)});
            auto park_streets = geo.intersection(buffered_lines(park_roads, 6).get(), park1_poly.get());
            add_overlay("1004", geo.unite(town_streets.get(), park_streets.get()), true);
        }
        {
            auto roads = buffered_lines(w.rural_roads, 3);
            roads = geo.difference(roads.get(), town_poly.get());
            roads = geo.difference(roads.get(), park1_poly.get());
            roads = geo.difference(roads.get(), park2_poly.get());
            add_overlay("1006", std::move(roads), true);
        }
        add_overlay("1107", buffered_lines(w.canals, 4), true);
        auto occupied_prepared = geo.prepare(occupied.get());
        check_cancel();

        // ---- 4. land-use patches: Voronoi of seeded points, classified, each cell given to a village,
        //         cut by the overlays
        std::vector<P> seeds;
        {
            Rng rng(seed, s_seeds);
            while (static_cast<int>(seeds.size()) < kLandusePoints) {
                const P p{rng.uniform(w.env.x0, w.env.x1), rng.uniform(w.env.y0, w.env.y1)};
                if (!in_ring(w.jurisdiction, p)) continue;
                if (rng.uniform() * 3.0 > seed_density(w, p)) continue;
                seeds.push_back(p);
            }
        }
        GeosGeometryPtr diagram;
        {
            std::vector<GeosGeometryPtr> pts;
            pts.reserve(seeds.size());
            for (const P& p : seeds) pts.push_back(geo.point(p));
            auto multi = geo.collection(std::move(pts), GEOS_MULTIPOINT);
            const Env e = w.env.expanded(500);
            auto frame = geo.rect(e.x0, e.y0, e.x1, e.y1);
            diagram = geo.own(GEOSVoronoiDiagram_r(geo.h(), multi.get(), frame.get(), 0.0, 0), "Voronoi diagram");
        }
        progress.report(0.12, "DLTB");
        // Each cell (clipped to the jurisdiction) belongs to one village; the villages are the unions
        // of their cells. Roads and water then cut the cells.
        std::vector<std::vector<Patch>> by_village(w.villages.size());
        {
            Rng rng(seed, s_classes);
            auto jurisdiction_prepared = geo.prepare(jurisdiction.get());
            std::vector<std::vector<GeosGeometryPtr>> village_cells(w.villages.size());
            const int n = GEOSGetNumGeometries_r(geo.h(), diagram.get());
            std::vector<GeosGeometryPtr> cell_parts, parts;
            for (int i = 0; i < n; ++i) {
                if (i % 1000 == 0) {
                    check_cancel();
                    progress.report(0.12 + 0.33 * i / n, "DLTB");
                }
                const GEOSGeometry* cell = GEOSGetGeometryN_r(geo.h(), diagram.get(), i);
                if (!geo.envelope(cell).intersects(w.env)) continue;
                cell_parts.clear();
                if (geo.contains(jurisdiction_prepared.get(), cell)) {
                    cell_parts.push_back(geo.clone(cell));
                } else if (geo.intersects(jurisdiction_prepared.get(), cell)) {
                    geo.polygons(geo.intersection(cell, jurisdiction.get()).get(), cell_parts);
                } else {
                    continue;
                }
                const Classified cls = classify(w, geo.centroid(cell), rng);
                for (auto& piece : cell_parts) {
                    const auto v = static_cast<std::size_t>(w.village_at(geo.centroid(piece.get())));
                    village_cells[v].push_back(geo.clone(piece.get()));
                    if (geo.intersects(occupied_prepared.get(), piece.get()))
                        piece = geo.difference(piece.get(), occupied.get());
                    parts.clear();
                    geo.polygons(piece.get(), parts);
                    for (auto& part : parts) {
                        const double a = geo.area(part.get());
                        by_village[v].push_back({std::move(part), cls.code, static_cast<int>(v), cls.czcsxm, a});
                    }
                }
            }
            progress.report(0.45, "CJDCQ");
            for (std::size_t v = 0; v < w.villages.size(); ++v) {
                check_cancel();
                Village& vil = w.villages[v];
                vil.geom = geo.union_all(std::move(village_cells[v]));
                vil.prepared = geo.prepare(vil.geom.get());
                vil.env = geo.envelope(vil.geom.get());
            }
        }
        diagram.reset();
        {
            const fs::path path = path_of("village");
            LayerWriter out(path, "GPKG", "CJDCQ", wkbMultiPolygon, &crs.gk(),
                            {{"BSM", OFTString, 18}, {"ZLDWDM", OFTString, 19}, {"ZLDWMC", OFTString, 60},
                             {"DCMJ", OFTReal, 19, 2}});
            int bsm = 0;
            for (const auto& v : w.villages) {
                auto f = out.feature();
                char buf[32];
                std::snprintf(buf, sizeof buf, "%s%012d", kCounty, ++bsm);
                f->SetField("BSM", buf);
                f->SetField("ZLDWDM", v.code.c_str());
                f->SetField("ZLDWMC", v.name.c_str());
                f->SetField("DCMJ", round_to(geo.area(v.geom.get()), 0.01));
                out.write(*f, &geo, v.geom.get());
            }
            out.close();
        }
        progress.report(0.50, "DLTB");
        for (const auto& ov : overlays) {
            check_cancel();
            for (std::size_t v = 0; v < w.villages.size(); ++v) {
                const Village& vil = w.villages[v];
                if (!geo.intersects(vil.prepared.get(), ov.geom.get())) continue;
                auto in_village = geo.intersection(ov.geom.get(), vil.geom.get());
                std::vector<GeosGeometryPtr> parts;
                if (ov.split) {
                    const Env e = geo.envelope(in_village.get());
                    const double step = 600, ox = kX0 - 6000, oy = kY0 - 6000;
                    for (double gx = ox + std::floor((e.x0 - ox) / step) * step; gx < e.x1; gx += step) {
                        for (double gy = oy + std::floor((e.y0 - oy) / step) * step; gy < e.y1; gy += step) {
                            auto cellr = geo.rect(gx, gy, gx + step, gy + step);
                            auto piece = geo.intersection(in_village.get(), cellr.get());
                            geo.polygons(piece.get(), parts);
                        }
                    }
                } else {
                    geo.polygons(in_village.get(), parts);
                }
                for (auto& part : parts) {
                    const double a = geo.area(part.get());
                    by_village[v].push_back({std::move(part), ov.code, static_cast<int>(v), "", a, true});
                }
            }
        }
        std::vector<Patch> patches;
        for (auto& list : by_village)
            for (auto& p : list) patches.push_back(std::move(p));
        by_village.clear();
        merge_slivers(geo, patches);

        progress.report(0.55, "DLTB");
        {
            const fs::path path = path_of("landuse");
            LayerWriter out(path, "ESRI Shapefile", "DLTB", wkbPolygon, &crs.gk(),
                            {{"BSM", OFTString, 18}, {"DLBM", OFTString, 5}, {"DLMC", OFTString, 60},
                             {"ZLDWDM", OFTString, 19}, {"ZLDWMC", OFTString, 60}, {"CZCSXM", OFTString, 4},
                             {"TBMJ", OFTReal, 19, 2}},
                            {"ENCODING=CP936"});
            long bsm = 0;
            for (const auto& p : patches) {
                if (bsm % 2000 == 0) {
                    check_cancel();
                    progress.report(0.55 + 0.15 * static_cast<double>(bsm) / static_cast<double>(patches.size()), "DLTB");
                }
                const Village& v = w.villages[static_cast<std::size_t>(p.village)];
                auto f = out.feature();
                char buf[32];
                std::snprintf(buf, sizeof buf, "%s%012ld", kCounty, ++bsm);
                f->SetField("BSM", buf);
                f->SetField("DLBM", p.code.c_str());
                f->SetField("DLMC", sandiao_name(p.code));
                f->SetField("ZLDWDM", v.code.c_str());
                f->SetField("ZLDWMC", v.name.c_str());
                if (*p.czcsxm) f->SetField("CZCSXM", p.czcsxm);
                f->SetField("TBMJ", round_to(p.area, 0.01));
                out.write(*f, &geo, p.geom.get());
            }
            out.close();
            // The trap: GBK text, no .cpg, code-page byte 0 -- what many exports look like.
            fs::path cpg = path, dbf = path;
            cpg.replace_extension(".cpg");
            dbf.replace_extension(".dbf");
            std::error_code ec;
            fs::remove(cpg, ec);
            set_dbf_ldid(dbf, 0);
        }
        check_cancel();

        std::vector<const GEOSGeometry*> patch_geoms;
        patch_geoms.reserve(patches.size());
        for (const auto& p : patches) patch_geoms.push_back(p.geom.get());
        PolygonIndex patch_index(geo, patch_geoms);
        auto code_at = [&](P p) -> std::string {
            const long i = patch_index.find(p);
            return i < 0 ? std::string() : patches[static_cast<std::size_t>(i)].code;
        };

        // ---- 5. zones: urban development boundary, eco red line, water protection
        progress.report(0.72, "CZKFBJ");
        GeosGeometryPtr urban;
        {
            std::vector<GeosGeometryPtr> parts;
            parts.push_back(geo.buffer(town_poly.get(), 150));
            parts.push_back(geo.buffer(park1_poly.get(), 80));
            parts.push_back(geo.buffer(park2_poly.get(), 60));
            urban = geo.intersection(geo.union_all(std::move(parts)).get(), jurisdiction.get());
            const fs::path path = path_of("urban_boundary");
            LayerWriter out(path, "GPKG", "CZKFBJ", wkbMultiPolygon, &crs.gk(),
                            {{"MC", OFTString, 50}, {"LX", OFTString, 20}, {"MJ", OFTReal, 19, 2}});
            std::vector<GeosGeometryPtr> polys;
            geo.polygons(urban.get(), polys);
            for (const auto& g : polys) {
                auto f = out.feature();
                f->SetField("MC", "青岭街道城镇开发边界");
                f->SetField("LX", "城镇集中建设区");
                f->SetField("MJ", round_to(geo.area(g.get()), 0.01));
                out.write(*f, &geo, g.get());
            }
            out.close();
        }
        GeosGeometryPtr redline;
        {
            std::vector<P> ring;
            for (double y = w.env.y0 - 200; y <= w.env.y1 + 200; y += 100) ring.push_back({w.forest_edge(y) - 450, y});
            ring.push_back({kX0 - 7000, w.env.y1 + 200});
            ring.push_back({kX0 - 7000, w.env.y0 - 200});
            auto forest = geo.intersection(geo.polygon(ring).get(), jurisdiction.get());
            auto wetland = geo.intersection(geo.buffer(geo.polygon(w.lake.ring()).get(), 120).get(), jurisdiction.get());
            redline = geo.unite(forest.get(), wetland.get());
            const fs::path path = path_of("eco_redline");
            LayerWriter out(path, "GPKG", "STBHHX", wkbMultiPolygon, &crs.gk(),
                            {{"MC", OFTString, 50}, {"LX", OFTString, 20}, {"MJ", OFTReal, 19, 2}});
            const std::pair<const GEOSGeometry*, std::pair<const char*, const char*>> items[] = {
                {forest.get(), {"青岭西山水源涵养生态保护红线", "水源涵养"}},
                {wetland.get(), {"东湖湿地生态保护红线", "生物多样性维护"}}};
            for (const auto& [g, names] : items) {
                auto f = out.feature();
                f->SetField("MC", names.first);
                f->SetField("LX", names.second);
                f->SetField("MJ", round_to(geo.area(g), 0.01));
                out.write(*f, &geo, g);
            }
            out.close();
        }
        GeosGeometryPtr wp1, wp2;
        {
            auto reach = [&](double from, double to) {
                std::vector<P> l;
                for (const P& p : w.river)
                    if (p.x >= w.intake.x + from && p.x <= w.intake.x + to) l.push_back(p);
                return geo.line(l);
            };
            wp1 = geo.buffer(reach(-1000, 100).get(), 100);
            wp2 = geo.difference(geo.buffer(reach(-3000, 300).get(), 450).get(), wp1.get());
            const fs::path path = path_of("water_protection");
            LayerWriter out(path, "GeoJSON", "water_protection", wkbPolygon, &crs.gk(),
                            {{"JB", OFTString, 10}, {"MC", OFTString, 50}, {"MJ", OFTReal, 19, 2}},
                            {"COORDINATE_PRECISION=3"});
            const std::pair<const GEOSGeometry*, std::pair<const char*, const char*>> items[] = {
                {wp1.get(), {"一级", "青岭水厂饮用水水源一级保护区"}},
                {wp2.get(), {"二级", "青岭水厂饮用水水源二级保护区"}}};
            for (const auto& [g, names] : items) {
                auto f = out.feature();
                f->SetField("JB", names.first);
                f->SetField("MC", names.second);
                f->SetField("MJ", round_to(geo.area(g), 0.01));
                out.write(*f, &geo, g);
            }
            out.close();
        }
        check_cancel();

        // ---- 6. permanent basic farmland: farmland patches in a few blobs, merged
        progress.report(0.76, "YJJBNTTB");
        GeosGeometryPtr jbnt;
        {
            Rng rng(seed, s_farmland);
            std::vector<Blob> blobs;
            for (int attempt = 0; attempt < 20000 && blobs.size() < 6; ++attempt) {
                const P p{rng.uniform(w.env.x0, w.env.x1), rng.uniform(w.env.y0, w.env.y1)};
                if (!in_ring(w.jurisdiction, p) || !is_farmland(code_at(p))) continue;
                if (w.town.ratio(p) < 1.6 || w.in_forest({p.x - 400, p.y})) continue;
                if (dist(p, w.park1.c) < 1500 || dist(p, w.park2.c) < 1300) continue;
                if (polyline_distance(w.river, p) < 350) continue;
                bool far = true;
                for (const auto& b : blobs) far = far && dist(p, b.c) > 1700;
                if (!far) continue;
                blobs.push_back(make_blob(rng, p, rng.uniform(550, 800), 0.25));
            }
            auto urban_prepared = geo.prepare(urban.get());
            std::vector<GeosGeometryPtr> all_parts;
            std::vector<std::string> part_codes;
            for (const auto& b : blobs) {
                std::vector<GeosGeometryPtr> members;
                std::map<std::string, double> by_code;
                for (const auto& p : patches) {
                    if (!is_farmland(p.code)) continue;
                    const Env e = geo.envelope(p.geom.get());
                    const P c{(e.x0 + e.x1) / 2, (e.y0 + e.y1) / 2};
                    if (dist(c, b.c) > b.r * 1.5 || !b.contains(c)) continue;
                    members.push_back(geo.clone(p.geom.get()));
                    by_code[p.code] += p.area;
                }
                if (members.empty()) continue;
                const auto dominant = std::max_element(by_code.begin(), by_code.end(),
                                                       [](const auto& a, const auto& b2) { return a.second < b2.second; });
                auto merged = geo.union_all(std::move(members), 0.01);
                if (geo.intersects(urban_prepared.get(), merged.get())) merged = geo.difference(merged.get(), urban.get());
                std::vector<GeosGeometryPtr> parts;
                geo.polygons(merged.get(), parts, 3000);
                for (auto& part : parts) {
                    all_parts.push_back(std::move(part));
                    part_codes.push_back(dominant->first);
                }
            }
            const fs::path path = path_of("farmland");
            LayerWriter out(path, "ESRI Shapefile", "YJJBNTTB", wkbPolygon, &crs.gk(),
                            {{"JBNTTBBH", OFTString, 10}, {"DLBM", OFTString, 5}, {"TBMJ", OFTReal, 19, 2}},
                            {"ENCODING=CP936"});
            std::vector<GeosGeometryPtr> for_union;
            for (std::size_t i = 0; i < all_parts.size(); ++i) {
                auto f = out.feature();
                char buf[32];
                std::snprintf(buf, sizeof buf, "%04zu", i + 1);
                f->SetField("JBNTTBBH", buf);
                f->SetField("DLBM", part_codes[i].c_str());
                f->SetField("TBMJ", round_to(geo.area(all_parts[i].get()), 0.01));
                out.write(*f, &geo, all_parts[i].get());
                for_union.push_back(geo.clone(all_parts[i].get()));
            }
            out.close();
            fs::path cpg = path;
            cpg.replace_extension(".cpg");
            write_text(cpg, "GBK");
            jbnt = for_union.empty() ? geo.rect(0, 0, 1, 1) : geo.union_all(std::move(for_union));
        }
        check_cancel();

        // ---- 7. industrial parks and their planning parcels
        progress.report(0.80, "GYYQ");
        {
            const fs::path path = path_of("industrial_park");
            LayerWriter out(path, "GPKG", "GYYQ", wkbMultiPolygon, &crs.gk(),
                            {{"MC", OFTString, 50}, {"准入行业", OFTString, 200}, {"最高污染类别", OFTInteger},
                             {"MJ", OFTReal, 19, 2}});
            const std::tuple<const GEOSGeometry*, const char*, const char*, int> items[] = {
                {park1_poly.get(), "青岭工业园", "五金加工,塑料加工,印刷,木材加工,食品加工,石材加工,汽车维修", 2},
                {park2_poly.get(), "石桥产业园", "家具制造,木材加工,五金加工,石材加工,废品回收,砖瓦", 3}};
            for (const auto& [g, name, allowed, level] : items) {
                auto f = out.feature();
                f->SetField("MC", name);
                f->SetField("准入行业", allowed);
                f->SetField("最高污染类别", level);
                f->SetField("MJ", round_to(geo.area(g), 0.01));
                out.write(*f, &geo, g);
            }
            out.close();
        }
        {
            Rng rng(seed, s_parks);
            const fs::path path = path_of("park_parcel");
            LayerWriter out(path, "GPKG", "TDGHDL", wkbMultiPolygon, &crs.gk(),
                            {{"DKBH", OFTString, 12}, {"YQMC", OFTString, 50}, {"GHDLBM", OFTString, 6},
                             {"GHDLMC", OFTString, 30}, {"ZYQK", OFTString, 10}, {"MJ", OFTReal, 19, 2}});
            static const std::map<std::string, const char*> yongdi = {
                {"100101", "一类工业用地"}, {"100102", "二类工业用地"}, {"100103", "三类工业用地"},
                {"110101", "一类物流仓储用地"}, {"110102", "二类物流仓储用地"}};
            struct ParkPlan {
                const Park* park;
                const char* name;
                const char* prefix;
                double du, dv;
                bool first;
            };
            const ParkPlan plans[] = {{&w.park1, "青岭工业园", "QL", 250, 250, true},
                                      {&w.park2, "石桥产业园", "SQ", 200, 175, false}};
            for (const auto& plan : plans) {
                const Park& pk = *plan.park;
                int no = 0;
                for (double u = -pk.hu; u < pk.hu - 1; u += plan.du) {
                    for (double v = -pk.hv; v < pk.hv - 1; v += plan.dv) {
                        // Blocks between planned roads (12 m), some split in two.
                        std::vector<std::pair<double, double>> spans = {{u, u + plan.du}};
                        if (rng.chance(0.4)) spans = {{u, u + plan.du / 2}, {u + plan.du / 2, u + plan.du}};
                        for (const auto& [u0, u1] : spans) {
                            const double i0 = u0 + (u0 <= -pk.hu + 1 ? 0 : 6), i1 = u1 - (u1 >= pk.hu - 1 ? 0 : 6);
                            const double j0 = v + (v <= -pk.hv + 1 ? 0 : 6), j1 = v + plan.dv - (v + plan.dv >= pk.hv - 1 ? 0 : 6);
                            auto g = geo.polygon({pk.world(i0, j0), pk.world(i1, j0), pk.world(i1, j1), pk.world(i0, j1)});
                            const double a = geo.area(g.get());
                            // Occupied when most of it is industrial or storage land now.
                            int built = 0, samples = 0;
                            for (int si = 0; si < 5; ++si)
                                for (int sj = 0; sj < 5; ++sj) {
                                    const P s = pk.world(i0 + (i1 - i0) * (si + 0.5) / 5, j0 + (j1 - j0) * (sj + 0.5) / 5);
                                    const std::string c = code_at(s);
                                    ++samples;
                                    if (c == "0601" || c == "0508" || c == "1004") ++built;
                                }
                            std::string code;
                            if (plan.first)
                                code = choose(rng, {{"100101", 0.35}, {"100102", 0.52}, {"110101", 0.13}});
                            else
                                code = choose(rng, {{"100101", 0.10}, {"100102", 0.35}, {"100103", 0.45}, {"110102", 0.10}});
                            auto f = out.feature();
                            char buf[16];
                            std::snprintf(buf, sizeof buf, "%s-%02d", plan.prefix, ++no);
                            f->SetField("DKBH", buf);
                            f->SetField("YQMC", plan.name);
                            f->SetField("GHDLBM", code.c_str());
                            f->SetField("GHDLMC", yongdi.at(code));
                            f->SetField("ZYQK", built * 2 > samples ? "已占用" : "空闲");
                            f->SetField("MJ", round_to(a, 0.01));
                            out.write(*f, &geo, g.get());
                        }
                    }
                }
            }
            out.close();
        }
        {
            progress.report(0.83, "MGD");
            const fs::path path = path_of("sensitive");
            LayerWriter out(path, "GPKG", "MGD", wkbPoint, &crs.gk(), {{"LX", OFTString, 10}, {"MC", OFTString, 50}});
            for (const auto& s : w.sensitive) {
                auto f = out.feature();
                f->SetField("LX", s.lx.c_str());
                f->SetField("MC", s.mc.c_str());
                auto g = geo.point(s.p);
                out.write(*f, &geo, g.get());
            }
            out.close();
        }
        check_cancel();

        // ---- 8. the village ledger
        progress.report(0.86, "台账");
        {
            auto jbnt_prepared = geo.prepare(jbnt.get());
            auto redline_prepared = geo.prepare(redline.get());
            auto wp1_prepared = geo.prepare(wp1.get());
            auto wp2_prepared = geo.prepare(wp2.get());
            auto site_at = [&](P p) {
                Site s;
                s.p = p;
                s.patch = patch_index.find(p);
                if (s.patch < 0) return s;
                const Patch& patch = patches[static_cast<std::size_t>(s.patch)];
                s.code = patch.code;
                s.village = patch.village;
                s.jbnt = geo.covers_point(jbnt_prepared.get(), p);
                s.redline = geo.covers_point(redline_prepared.get(), p);
                s.wp = geo.covers_point(wp1_prepared.get(), p) ? 1 : geo.covers_point(wp2_prepared.get(), p) ? 2 : 0;
                s.park1 = w.park1.contains(p);
                s.park2 = w.park2.contains(p);
                s.town = w.town.contains(p);
                for (const auto& sen : w.sensitive)
                    if (sen.lx != "居民区") s.sensitive_distance = std::min(s.sensitive_distance, dist(p, sen.p));
                s.road_distance = std::min(polyline_distance(w.highway, p), polyline_distance(w.county_road, p));
                return s;
            };
            auto env_of = [&](const GEOSGeometry* g) { return geo.envelope(g); };
            auto blob_env = [](const Blob& b) { return Env{b.c.x - b.r * 1.3, b.c.y - b.r * 1.3, b.c.x + b.r * 1.3, b.c.y + b.r * 1.3}; };
            const Env all = w.env;
            auto plain = [&](const Site& s) { return s.wp == 0 && !s.redline && !s.park1 && !s.park2; };
            std::vector<Scenario> scenarios = {
                {"jbnt", 15, 0.05, {{"畜禽养殖", 4}, {"砖瓦", 2}, {"废品回收", 2}, {"石材加工", 1}, {"塑料加工", 1}, {"木材加工", 1}},
                 [&](const Site& s) { return s.jbnt && is_farmland(s.code) && plain(s); }, env_of(jbnt.get())},
                {"redline", 6, 0.1, {{"木材加工", 2}, {"家具制造", 1}, {"农家乐", 2}, {"畜禽养殖", 1}},
                 [&](const Site& s) { return s.redline && is_buildable(s.code) && s.code != "0602"; }, env_of(redline.get())},
                {"quarry", 3, 0.3, {{"石材加工", 1}},
                 [&](const Site& s) { return s.code == "0602" || s.code == "1206"; }, blob_env(w.quarry)},
                {"wp1", 3, 0.1, {{"农家乐", 1}, {"畜禽养殖", 1}, {"餐饮", 1}},
                 [&](const Site& s) { return s.wp == 1 && is_buildable(s.code); }, env_of(wp1.get())},
                {"wp2", 10, 0.1,
                 {{"畜禽养殖", 3}, {"农家乐", 2}, {"洗染", 1}, {"食品加工", 1}, {"汽车维修", 1}, {"砖瓦", 1}, {"废品回收", 1}},
                 [&](const Site& s) { return s.wp == 2 && !s.redline && is_buildable(s.code); }, env_of(wp2.get())},
                {"farm", 50, 0.1,
                 {{"畜禽养殖", 5}, {"砖瓦", 3}, {"废品回收", 3}, {"石材加工", 2}, {"塑料加工", 2}, {"木材加工", 2},
                  {"五金加工", 1}, {"小酒坊", 1}, {"屠宰", 1}},
                 [&](const Site& s) { return is_farmland(s.code) && !s.jbnt && plain(s); }, all},
                {"home", 80, 0.15,
                 {{"食品加工", 5}, {"小酒坊", 3}, {"餐饮", 3}, {"汽车维修", 2}, {"五金加工", 3}, {"塑料加工", 2},
                  {"家具制造", 2}, {"木材加工", 2}, {"废品回收", 2}, {"洗染", 1}, {"印刷", 1}, {"燃煤锅炉", 1},
                  {"屠宰", 1}, {"畜禽养殖", 1}},
                 [&](const Site& s) { return s.code == "0702" && plain(s); }, all},
                {"industrial", 45, 0.5,
                 {{"五金加工", 4}, {"塑料加工", 3}, {"化工", 2}, {"家具制造", 2}, {"木材加工", 2}, {"印刷", 2},
                  {"石材加工", 1}, {"燃煤锅炉", 1}, {"洗染", 1}, {"食品加工", 1}},
                 [&](const Site& s) { return s.code == "0601" && plain(s); }, all},
                {"park1", 25, 0.85,
                 {{"五金加工", 4}, {"塑料加工", 3}, {"印刷", 2}, {"食品加工", 2}, {"木材加工", 2}, {"家具制造", 1}, {"化工", 1}},
                 [&](const Site& s) { return s.park1 && (s.code == "0601" || s.code == "0508"); }, env_of(park1_poly.get())},
                {"park2", 5, 0.3, {{"家具制造", 2}, {"木材加工", 1}, {"五金加工", 1}, {"砖瓦", 1}},
                 [&](const Site& s) { return s.park2 && is_buildable(s.code); }, env_of(park2_poly.get())},
                {"town", 30, 0.4, {{"餐饮", 6}, {"洗染", 2}, {"汽车维修", 2}, {"印刷", 1}, {"食品加工", 1}, {"燃煤锅炉", 1}},
                 [&](const Site& s) { return s.town && (s.code == "05H1" || s.code == "0701"); }, env_of(town_poly.get())},
                {"sensitive", 15, 0.3, {{"餐饮", 3}, {"汽车维修", 2}, {"印刷", 1}, {"家具制造", 1}, {"塑料加工", 1}, {"五金加工", 1}},
                 [&](const Site& s) {
                     return s.sensitive_distance >= 100 && s.sensitive_distance <= 300 && is_buildable(s.code) && !s.park1;
                 },
                 all},
                {"forest", 10, 0.15, {{"木材加工", 3}, {"家具制造", 2}, {"农家乐", 3}, {"畜禽养殖", 1}},
                 [&](const Site& s) { return is_forest(s.code) && !s.redline && s.wp == 0; }, all},
                {"gas", 2, 0.9, {{"加油站", 1}},
                 [&](const Site& s) { return s.road_distance < 60 && is_buildable(s.code) && !s.town && plain(s); }, all},
            };

            Rng places(seed, s_ledger_places);
            Rng rng(seed, s_ledger);
            std::vector<Enterprise> list;
            std::set<std::string> names;
            auto too_close = [&](P p) {
                for (const auto& e : list)
                    if (dist(e.p, p) < 12) return true;
                return false;
            };
            auto yes = [&](double p) { return std::string(rng.chance(p) ? "有" : "无"); };
            auto person = [&](const char* surname) {
                return std::string(surname ? surname : rng.pick(kSurnames)) + rng.pick(kGiven);
            };
            static constexpr const char* kEmissionLevels[] = {"有治理设施", "未经处理直排", "超标排放"};
            for (auto& sc : scenarios) {
                for (int k = 0; k < sc.count; ++k) {
                    check_cancel();
                    std::optional<Site> site;
                    if (std::string(sc.key) == "sensitive") {
                        std::vector<P> targets;
                        for (const auto& s : w.sensitive)
                            if (s.lx != "居民区") targets.push_back(s.p);
                        for (int a = 0; a < 20000 && !site; ++a) {
                            const P t = targets[static_cast<std::size_t>(k) % targets.size()];
                            const double ang = places.uniform(0, 2 * kPi), r = places.uniform(110, 290);
                            const P p{t.x + r * std::cos(ang), t.y + r * std::sin(ang)};
                            Site s = site_at(p);
                            if (s.patch >= 0 && sc.accept(s) && !too_close(p)) site = s;
                        }
                    } else {
                        for (int a = 0; a < 200000 && !site; ++a) {
                            const P p{places.uniform(sc.region.x0, sc.region.x1), places.uniform(sc.region.y0, sc.region.y1)};
                            if (!in_ring(w.jurisdiction, p)) continue;
                            Site s = site_at(p);
                            if (s.patch >= 0 && sc.accept(s) && !too_close(p)) site = s;
                        }
                    }
                    if (!site) throw Error(std::string("demo data: internal error: no place for a ledger row of kind ") + sc.key);

                    Enterprise e;
                    e.p = site->p;
                    e.village = site->village;
                    const Village& vil = w.villages[static_cast<std::size_t>(e.village)];
                    std::string industry = choose(rng, sc.industries);
                    const bool forced_food = std::string(sc.key) == "home" && k < 4;
                    if (forced_food) industry = k == 1 ? "小酒坊" : "食品加工";
                    // Class-3 industries in the class-2 park, for sure.
                    if (std::string(sc.key) == "park1" && k < 2) industry = k == 0 ? "家具制造" : "化工";
                    const IndustrySpec& spec = industry_spec(industry);
                    const bool formal = !forced_food && rng.chance(sc.formal);
                    Row& row = e.row;

                    // Name and legal person.
                    const char* surname = rng.pick(kSurnames);
                    for (int attempt = 0; attempt < 50; ++attempt) {
                        std::string name;
                        if (formal) {
                            name = std::string("青岭") + rng.pick(kFirms) + spec.company + "有限公司";
                        } else {
                            const std::string place = vil.community ? "青岭" : vil.name;
                            const double r = rng.uniform();
                            std::string brand = r < 0.6 ? std::string(rng.pick(kFirms))
                                                : r < 0.85 ? std::string(surname) + "记"
                                                           : std::string("老") + surname;
                            name = place + brand + rng.pick(spec.shops);
                        }
                        if (names.insert(name).second) {
                            row[c_name] = name;
                            break;
                        }
                    }
                    if (row[c_name].empty()) throw Error("demo data: internal error: no unique enterprise name");
                    row[c_person] = person(surname);
                    row[c_phone] = std::string("1") + rng.pick(std::vector<const char*>{"3", "5", "7", "8", "9"}) + rng.digits(9);
                    if (site->park1) {
                        row[c_address] = std::string("青岭工业园") + rng.pick(kParkStreets) + std::to_string(rng.between(1, 88)) + "号";
                    } else if (vil.community) {
                        row[c_address] = std::string(kTownName) + vil.name + rng.pick(kStreets) + std::to_string(rng.between(1, 200)) + "号";
                    } else {
                        row[c_address] = std::string(kTownName) + vil.name + std::to_string(rng.between(1, 12)) + "组";
                    }
                    row[c_village] = vil.name;
                    row[c_industry] = industry;
                    if (formal || rng.chance(0.8)) row[c_power] = "30" + rng.digits(8);

                    // Permits.
                    const bool on_industrial_land = site->code == "0601" || site->code == "0508";
                    row[c_license] = yes(formal ? 0.97 : 0.6);
                    row[c_fagai] = yes(formal ? 0.75 : 0.05);
                    row[c_land] = yes(formal ? (on_industrial_land ? 0.9 : 0.5) : (on_industrial_land ? 0.45 : 0.05));
                    row[c_planning] = yes(formal ? 0.75 : 0.05);
                    row[c_eia] = yes(formal ? 0.8 : 0.12);
                    row[c_safety] = yes(formal ? 0.75 : 0.15);
                    row[c_discharge] = yes(formal ? 0.7 : 0.08);
                    row[c_food] = spec.food ? yes(formal ? 0.85 : 0.3) : std::string("无");
                    if (forced_food) {  // food makers without the permits, for sure
                        row[c_license] = (k == 0 || k == 2) ? "无" : "有";
                        row[c_food] = k == 3 ? "有" : "无";
                        if (k == 0 || k == 3) row[c_eia] = "无";
                    }
                    if (row[c_license] == "有") row[c_credit] = credit_code(rng, formal);

                    // Discharges.
                    auto emission = [&](bool relevant) -> std::string {
                        if (!relevant) return "无";
                        const double r = rng.uniform();
                        const double treated = formal ? 0.8 : 0.35, untreated = formal ? 0.08 : 0.45;
                        return kEmissionLevels[r < treated ? 0 : r < treated + untreated ? 1 : 2];
                    };
                    row[c_ww] = emission(spec.wastewater);
                    row[c_gas] = emission(spec.waste_gas);
                    row[c_solid] = emission(spec.solid);
                    row[c_solid_ledger] = spec.solid ? yes(formal ? 0.75 : 0.2) : std::string("无");
                    if (rng.chance(0.25)) row[c_notes] = rng.pick(kNotes);
                    list.push_back(std::move(e));
                }
            }

            // Coordinates as the villages wrote them down.
            auto set_coordinates = [&](Enterprise& e, const char* source) {
                const LonLat wgs = crs.to_lonlat(e.p);
                LonLat shown = wgs;
                if (std::strcmp(source, "高德") == 0) shown = wgs84_to_gcj02(wgs);
                if (std::strcmp(source, "百度") == 0) shown = wgs84_to_bd09(wgs);
                e.row[c_lon] = fixed(shown.lon, 6);
                e.row[c_lat] = fixed(shown.lat, 6);
                e.row[c_source] = source;
            };
            for (auto& e : list) {
                const double r = rng.uniform();
                set_coordinates(e, r < 0.20 ? "高德" : r < 0.24 ? "百度" : "GPS");
            }

            // Order: grouped by village as the villages hand them in.
            std::vector<std::vector<Enterprise>> groups(w.villages.size());
            for (auto& e : list) groups[static_cast<std::size_t>(e.village)].push_back(std::move(e));
            list.clear();
            for (auto& g : groups) {
                rng.shuffle(g);
                for (auto& e : g) list.push_back(std::move(e));
            }

            // Deliberately bad rows, each of a different kind, in different places of the sheet.
            Rng traps(seed, s_ledger_traps);
            std::set<std::size_t> used;
            auto has_code = [](const Row& r) { return !r[c_credit].empty(); };
            auto has_letter = [](const Row& r) {
                return std::any_of(r[c_credit].begin(), r[c_credit].end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
            };
            auto any_row = [](const Row&) { return true; };
            auto pick_row = [&](const std::function<bool(const Row&)>& wanted) {
                for (int a = 0; a < 10000; ++a) {
                    const std::size_t i = traps.below(list.size());
                    if (used.count(i) || !wanted(list[i].row)) continue;
                    bool near = false;
                    for (std::size_t u : used) near = near || (u > i ? u - i : i - u) < 8;
                    if (near) continue;
                    used.insert(i);
                    return i;
                }
                throw Error("demo data: internal error: no row for a trap");
            };
            {  // wrong check character
                std::string& code = list[pick_row(has_code)].row[c_credit];
                const char* pos = std::strchr(kCreditCharset, code[17]);
                code[17] = kCreditCharset[(static_cast<std::size_t>(pos - kCreditCharset) + 1 + traps.below(29)) % 31];
            }
            {  // lower-case credit code (valid otherwise)
                std::string& code = list[pick_row(has_letter)].row[c_credit];
                for (char& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            }
            {  // no coordinates
                Row& row = list[pick_row(any_row)].row;
                row[c_lon].clear();
                row[c_lat].clear();
                row[c_source].clear();
            }
            {  // outside the jurisdiction, a few km north
                Enterprise& e = list[pick_row(any_row)];
                const P keep = e.p;
                e.p = {e.p.x + traps.uniform(-800, 800), w.env.y1 + traps.uniform(2500, 4000)};
                set_coordinates(e, "GPS");
                e.p = keep;
            }
            {  // longitude and latitude swapped
                Enterprise& e = list[pick_row(any_row)];
                set_coordinates(e, "GPS");
                std::swap(e.row[c_lon], e.row[c_lat]);
            }
            {  // Gauss-Krueger metres typed into the lon/lat columns
                Enterprise& e = list[pick_row(any_row)];
                e.row[c_lon] = fixed(e.p.x, 2);
                e.row[c_lat] = fixed(e.p.y, 2);
                e.row[c_source] = "GPS";
            }
            {  // empty enterprise name
                list[pick_row(any_row)].row[c_name].clear();
            }
            {  // the same enterprise reported twice (same credit code), a few metres apart
                const std::size_t i = pick_row(has_code);
                Enterprise copy = list[i];
                copy.p = {copy.p.x + traps.uniform(-10, 10), copy.p.y + traps.uniform(-10, 10)};
                set_coordinates(copy, "GPS");
                copy.row[c_notes] = traps.chance(0.5) ? "复查" : "";
                // Filed again later, at the end of the same village's rows.
                std::size_t at = i + 1;
                while (at < list.size() && list[at].village == copy.village) ++at;
                list.insert(list.begin() + static_cast<std::ptrdiff_t>(at), std::move(copy));
            }
            for (std::size_t i = 0; i < list.size(); ++i) list[i].row[c_no] = std::to_string(i + 1);

            progress.report(0.95, "台账");
            const fs::path path = path_of("ledger");
            std::vector<FieldDef> fields;
            for (const auto& h : kLedgerHeaders) fields.push_back({h.c_str(), OFTString});
            LayerWriter out(path, "XLSX", "企业台账", wkbNone, nullptr, fields);
            for (const auto& e : list) {
                auto f = out.feature();
                for (int c = 0; c < c_count; ++c)
                    if (!e.row[static_cast<std::size_t>(c)].empty()) f->SetField(c, e.row[static_cast<std::size_t>(c)].c_str());
                out.write(*f);
            }
            out.close();
        }
        check_cancel();
        for (const auto& s : sources) {
            remove_family(s.path);
            for (const auto& from : file_family(staging / s.path.filename())) {
                if (!fs::exists(from)) continue;
                std::error_code ec;
                fs::rename(from, dir / from.filename(), ec);
                if (ec) throw Error("demo data: cannot move " + from.string() + " to " + dir.string() + ": " + ec.message());
            }
        }
        std::error_code ec;
        fs::remove_all(staging, ec);
        progress.report(1.0, "done");
    } catch (...) {
        std::error_code ec;
        fs::remove_all(staging, ec);
        throw;
    }
    return sources;
}

} // namespace qingling
