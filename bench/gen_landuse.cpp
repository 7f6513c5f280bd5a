// qingling-bench-gen: a reproducible synthetic county land-use layer (三调 DLTB) for the benchmarks.
//
//   qingling-bench-gen OUT.gpkg --polygons N [--seed S] [--enterprises M --enterprises-out OUT.csv]
//                      [--zones ZONES.gpkg] [--no-check]
//
// The layer is a gap-free tessellation in EPSG:4547 (CGCS2000 3° GK, CM 114°E) centred near
// x=529000, y=3387000. It is a jittered rectilinear grid whose column widths and row heights vary
// (0.55–1.45 of the mean), so patches range up to about 10,000 m² (mean ≈ 3,200 m², like a real
// county DLTB; enclaves are smaller). Every shared edge is subdivided once, with its own
// deterministic noise, and both neighbours use the very same vertices, so there are no gaps or
// overlaps. Edges carry 1–16 intermediate vertices (patches have 9–69 vertices, up to 86 with an
// enclave's hole; mean ≈ 32.5). About 1% of the cells get an enclave: the cell has a hole and the
// enclave is a feature of its own (岛图斑), as in real DLTB.
// Land classes are clustered in blocks of 6×6 cells (a dominant class plus random others).
//
// The whole output is a function of N and the seed: one std::mt19937_64 stream, drawn in a fixed
// order, mapped to doubles by our own (x >> 11) * 2^-53, and no trigonometry. Memory is O(columns),
// not O(N): the grid is produced row by row and features are written as they are made.
//
// Every polygon is checked with GEOS (GEOSisValid) unless --no-check; the tool fails if one is not.
//
// With --enterprises M, M points inside the covered area are written to a UTF-8 CSV
// (名称, 经度, 纬度, 行业), lon/lat in EPSG:4490, for the conformity benchmark.
//
// With --zones Z.gpkg, the zone layers the default conformity rules read are written to a second
// GeoPackage (EPSG:4547), over the same area:
//   YJJBNTTB  永久基本农田 (role farmland): copies of the 耕地 patches (0101/0102/0103) of about 45%
//             of the 6×6 class blocks, same geometry as in DLTB (not dissolved). JBNTTBBH, DLBM, TBMJ.
//   STBHHX    生态保护红线 (eco_redline): 2 large winding polygons (1,600–2,000 vertices). MC.
//   SYBHQ     饮用水水源保护区 (water_protection): 一级 zone, and the 二级 zone around it (with the
//             一级 zone as its hole). JB (一级/二级), MC.
//   GYYQ      工业园区 (industrial_park): 2 parks. MC, 准入行业, 最高污染类别.
//   CZKFBJ    城镇开发边界 (urban_boundary): the town and 3 market towns. MC.
//   MGD       环境敏感点 (sensitive): 200 points (schools, hospitals, ...). LX, MC.
// The zones draw from a random stream of their own (seeded from --seed), so DLTB and the
// enterprise CSV are byte for byte what they are without --zones. Zone polygons are star-shaped
// around their centre (strictly increasing angle), hence simple; all are checked with GEOS.
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <geos_c.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

// ---- randomness -------------------------------------------------------------------------------

class Rng {
public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}
    // [0, 1) with 53 random bits: the same on every platform (std::uniform_real_distribution is not).
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    double symmetric() { return 2.0 * uniform() - 1.0; }  // [-1, 1)
    // [0, n) by multiply-shift (Lemire), also platform independent.
    std::uint64_t below(std::uint64_t n) {
        return static_cast<std::uint64_t>((static_cast<unsigned __int128>(engine_()) * n) >> 64);
    }
    bool chance(double p) { return uniform() < p; }

private:
    std::mt19937_64 engine_;
};

// ---- land classes -----------------------------------------------------------------------------

struct LandClass {
    const char* code;
    const char* name;
    double weight;  // share of patches, in percent
};

// A plausible mix for a plains county in Hubei (patch counts, not areas).
constexpr std::array<LandClass, 20> kClasses{{
    {"0101", "水田", 21.0},
    {"0102", "水浇地", 3.0},
    {"0103", "旱地", 13.0},
    {"0201", "果园", 2.5},
    {"0301", "乔木林地", 11.0},
    {"0307", "其他林地", 5.0},
    {"0404", "其他草地", 3.0},
    {"0601", "工业用地", 2.5},
    {"0602", "采矿用地", 0.5},
    {"0701", "城镇住宅用地", 3.0},
    {"0702", "农村宅基地", 11.0},
    {"05H1", "商业服务业设施用地", 1.5},
    {"08H2", "科教文卫用地", 0.8},
    {"1003", "公路用地", 1.7},
    {"1004", "城镇村道路用地", 2.5},
    {"1006", "农村道路", 5.0},
    {"1101", "河流水面", 1.0},
    {"1104", "坑塘水面", 7.0},
    {"1107", "沟渠", 2.5},
    {"1202", "设施农用地", 2.5},
}};

// Enclaves (岛图斑) are mostly homesteads, ponds, facility land or small factories.
constexpr std::array<int, 5> kEnclaveClasses{10, 17, 19, 7, 6};  // 0702, 1104, 1202, 0601, 0404

class ClassPicker {
public:
    ClassPicker() {
        double sum = 0;
        for (const auto& c : kClasses) sum += c.weight;
        double acc = 0;
        for (std::size_t i = 0; i < kClasses.size(); ++i) {
            acc += kClasses[i].weight / sum;
            cumulative_[i] = acc;
        }
        cumulative_.back() = 1.0;
    }
    int pick(Rng& rng) const {
        const double u = rng.uniform();
        for (std::size_t i = 0; i < cumulative_.size(); ++i)
            if (u < cumulative_[i]) return static_cast<int>(i);
        return static_cast<int>(cumulative_.size() - 1);
    }

private:
    std::array<double, kClasses.size()> cumulative_{};
};

// ---- geometry ---------------------------------------------------------------------------------

struct Pt {
    double x, y;
};

// Intermediate vertices of one grid edge, from its lower-index node to its higher-index node.
using EdgeVertices = std::vector<Pt>;

// Subdivides the edge a→b with k vertices offset sideways by a smooth-enveloped random amount.
// The envelope 4t(1-t) keeps the vertices near the corners close to the chord, so edges meeting at
// a corner cannot cross (corner angles stay far above the ±12° cone the offsets allow).
// Edges on the county outline stay straight (their vertices lie on the chord).
void make_edge(Rng& rng, Pt a, Pt b, EdgeVertices& out, bool on_outline) {
    out.clear();
    const int k = rng.chance(0.35) ? 1 + static_cast<int>(rng.below(3))    // straight-ish field boundary
                                   : 3 + static_cast<int>(rng.below(14));  // winding boundary
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length = std::sqrt(dx * dx + dy * dy);
    const double nx = -dy / length, ny = dx / length;
    const double wiggle = rng.uniform(0.01, 0.05);  // drawn on the outline too: one stream layout
    const double amplitude = on_outline ? 0.0 : length * wiggle;
    for (int m = 0; m < k; ++m) {
        const double t = (m + 1 + 0.35 * rng.symmetric()) / (k + 1);
        const double off = amplitude * 4.0 * t * (1.0 - t) * rng.symmetric();
        out.push_back({a.x + t * dx + off * nx, a.y + t * dy + off * ny});
    }
}

double ring_area(const std::vector<double>& xy) {  // shoelace, closed ring of x,y pairs
    double s = 0;
    const std::size_t n = xy.size() / 2;
    for (std::size_t i = 0; i + 1 < n; ++i) s += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
    return 0.5 * s;
}

std::unique_ptr<OGRLinearRing> ogr_ring(const std::vector<double>& xy) {
    auto ring = std::make_unique<OGRLinearRing>();
    const int n = static_cast<int>(xy.size() / 2);
    ring->setNumPoints(n, FALSE);
    for (int i = 0; i < n; ++i) ring->setPoint(i, xy[2 * i], xy[2 * i + 1]);
    return ring;
}

// ---- GEOS validity ----------------------------------------------------------------------------

class ValidityChecker {
public:
    ValidityChecker() : ctx_(GEOS_init_r()) {
        GEOSContext_setErrorMessageHandler_r(ctx_, [](const char* m, void*) { std::fprintf(stderr, "GEOS: %s\n", m); },
                                      nullptr);
    }
    ~ValidityChecker() { GEOS_finish_r(ctx_); }
    ValidityChecker(const ValidityChecker&) = delete;
    ValidityChecker& operator=(const ValidityChecker&) = delete;

    // true when the polygon (shell plus optional hole) is valid; prints the reason otherwise.
    bool check(long long bsm, const std::vector<double>& shell, const std::vector<double>* hole) {
        GEOSGeometry* s = ring(shell);
        GEOSGeometry* h = hole ? ring(*hole) : nullptr;
        GEOSGeometry* poly = GEOSGeom_createPolygon_r(ctx_, s, h ? &h : nullptr, h ? 1 : 0);
        const char valid = GEOSisValid_r(ctx_, poly);
        if (valid != 1) {
            char* why = GEOSisValidReason_r(ctx_, poly);
            std::fprintf(stderr, "invalid polygon BSM %lld: %s\n", bsm, why ? why : "?");
            GEOSFree_r(ctx_, why);
        }
        GEOSGeom_destroy_r(ctx_, poly);
        return valid == 1;
    }

private:
    GEOSGeometry* ring(const std::vector<double>& xy) {
        GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx_, xy.data(), xy.size() / 2, 0, 0);
        return GEOSGeom_createLinearRing_r(ctx_, seq);
    }
    GEOSContextHandle_t ctx_;
};

// ---- command line -----------------------------------------------------------------------------

[[noreturn]] void usage(const char* why) {
    if (why) std::fprintf(stderr, "qingling-bench-gen: %s\n", why);
    std::fprintf(stderr,
                 "usage: qingling-bench-gen OUT.gpkg --polygons N [--seed S] "
                 "[--enterprises M --enterprises-out OUT.csv] [--zones ZONES.gpkg] [--no-check]\n");
    std::exit(2);
}

long long parse_count(const char* option, const char* text, long long min) {
    char* end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (!*text || *end || v < min) {
        std::fprintf(stderr, "qingling-bench-gen: %s needs a whole number >= %lld, not '%s'\n", option, min, text);
        std::exit(2);
    }
    return v;
}

struct Options {
    std::string out;
    long long polygons = -1;
    std::uint64_t seed = 20240501;
    long long enterprises = 0;
    std::string enterprises_out;
    std::string zones_out;
    bool check = true;
};

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage((a + " needs a value").c_str());
            return argv[++i];
        };
        if (a == "--polygons") o.polygons = parse_count("--polygons", value(), 1);
        else if (a == "--seed") o.seed = static_cast<std::uint64_t>(parse_count("--seed", value(), 0));
        else if (a == "--enterprises") o.enterprises = parse_count("--enterprises", value(), 0);
        else if (a == "--enterprises-out") o.enterprises_out = value();
        else if (a == "--zones") o.zones_out = value();
        else if (a == "--no-check") o.check = false;
        else if (a == "-h" || a == "--help") usage(nullptr);
        else if (!a.empty() && a[0] == '-') usage(("unknown option " + a).c_str());
        else if (o.out.empty()) o.out = a;
        else usage("more than one output file given");
    }
    if (o.out.empty()) usage("no output file given");
    if (o.polygons < 1) usage("--polygons N is required");
    if (o.enterprises > 0 && o.enterprises_out.empty()) usage("--enterprises needs --enterprises-out OUT.csv");
    return o;
}

// ---- enterprises ------------------------------------------------------------------------------

// Industries as a ledger would write them; each contains a name or alias of layers/industries.tsv.
constexpr std::array<const char*, 19> kIndustries{
    "砖瓦制造", "家具制造", "木材加工", "农家乐", "畜禽养殖", "生猪屠宰", "白酒酿造", "食品加工", "餐饮",
    "印染", "加油站", "燃煤锅炉", "塑料制品", "五金加工", "石材加工", "化工涂料", "包装印刷", "汽修",
    "废品回收"};
constexpr std::array<const char*, 19> kProducts{
    "砖瓦厂", "家具厂", "木业加工厂", "农家乐", "养殖场", "屠宰场", "酒坊", "食品厂", "饭店", "印染厂",
    "加油站", "锅炉房", "塑料制品厂", "五金加工厂", "石材厂", "涂料厂", "印刷厂", "汽修厂", "废品回收站"};
constexpr std::array<const char*, 24> kPlaces{
    "青岭", "柳湾", "石桥", "杨家岗", "桃园", "新港", "双河", "王家湾", "李集", "大冶", "沙岗", "龙口",
    "黄泥塘", "胡家墩", "三店", "周铺", "凤凰", "马鞍", "涨渡", "潘塘", "辛冲", "徐古", "仓埠", "汪集"};
constexpr std::array<const char*, 40> kTradeChars{
    "宏", "鑫", "盛", "达", "兴", "隆", "华", "丰", "源", "泰", "恒", "顺", "祥", "瑞", "福", "利", "旺", "昌",
    "发", "富", "金", "诚", "信", "安", "永", "嘉", "和", "德", "康", "顺", "益", "通", "明", "光", "远", "佳",
    "荣", "成", "新", "强"};

struct Region {
    double x0, y0, x1, y1;
};

void write_enterprises(const Options& o, Rng& rng, const std::vector<Region>& regions) {
    OGRSpatialReference grid, geographic;
    grid.importFromEPSG(4547);
    geographic.importFromEPSG(4490);
    grid.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    geographic.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);  // x = longitude, y = latitude
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&grid, &geographic));
    if (!ct) usage("cannot transform EPSG:4547 to EPSG:4490 (PROJ database missing?)");

    std::vector<double> area_cum;
    double total = 0;
    for (const auto& r : regions) area_cum.push_back(total += (r.x1 - r.x0) * (r.y1 - r.y0));

    std::ofstream csv(o.enterprises_out, std::ios::binary);
    if (!csv) usage(("cannot write " + o.enterprises_out).c_str());
    csv << "名称,经度,纬度,行业\n";
    std::unordered_set<std::string> names;
    const long long batch = 4096;
    std::vector<double> xs, ys;
    std::vector<std::string> rows_name, rows_industry;
    for (long long done = 0; done < o.enterprises;) {
        const long long n = std::min(batch, o.enterprises - done);
        xs.clear();
        ys.clear();
        rows_name.clear();
        rows_industry.clear();
        for (long long i = 0; i < n; ++i) {
            const double a = rng.uniform() * total;
            const auto r = std::min<std::size_t>(
                std::upper_bound(area_cum.begin(), area_cum.end(), a) - area_cum.begin(), regions.size() - 1);
            xs.push_back(rng.uniform(regions[r].x0, regions[r].x1));
            ys.push_back(rng.uniform(regions[r].y0, regions[r].y1));
            const auto ind = rng.below(kIndustries.size());
            std::string name;
            do {
                name = std::string(kPlaces[rng.below(kPlaces.size())]) + kTradeChars[rng.below(kTradeChars.size())] +
                       kTradeChars[rng.below(kTradeChars.size())] + kProducts[ind];
                if (names.count(name)) name += "（" + std::to_string(1 + rng.below(9)) + "分厂）";
            } while (names.count(name));
            names.insert(name);
            rows_name.push_back(std::move(name));
            rows_industry.push_back(kIndustries[ind]);
        }
        if (!ct->Transform(static_cast<std::size_t>(n), xs.data(), ys.data()))
            usage("coordinate transformation to EPSG:4490 failed");
        char buf[64];
        for (long long i = 0; i < n; ++i) {
            std::snprintf(buf, sizeof buf, ",%.7f,%.7f,", xs[i], ys[i]);
            csv << rows_name[i] << buf << rows_industry[i] << '\n';
        }
        done += n;
    }
    if (!csv.flush()) usage(("error writing " + o.enterprises_out).c_str());
}

// ---- zone layers (--zones) --------------------------------------------------------------------

// A star-shaped closed ring around c, counter-clockwise: n vertices at strictly increasing angles
// (points of the unit square's perimeter, normalised; no trigonometry), at `radius` times a smooth
// random factor in [0.6, 1.4] (a slow and a fast mean-reverting walk, bent to close). Star-shaped
// with increasing angles means simple: a valid shell.
std::vector<double> blob(Rng& rng, Pt c, double radius, int n) {
    std::vector<double> slow(static_cast<std::size_t>(n + 1)), fast(static_cast<std::size_t>(n + 1));
    for (int m = 1; m <= n; ++m) {
        slow[m] = 0.995 * slow[m - 1] + 0.02 * rng.symmetric();
        fast[m] = 0.8 * fast[m - 1] + 0.03 * rng.symmetric();
    }
    std::vector<double> xy;
    xy.reserve(static_cast<std::size_t>(2 * n + 2));
    for (int m = 0; m < n; ++m) {
        const double t = static_cast<double>(m) / n;
        const double f = std::clamp(1.0 + (slow[m] - t * slow[n]) + (fast[m] - t * fast[n]), 0.6, 1.4);
        const double s = 8.0 * (m + 0.5 + 0.3 * rng.symmetric()) / n;  // in (0, 8): 0..8 around the square
        double px, py;
        if (s < 2) px = 1, py = s - 1;
        else if (s < 4) px = 3 - s, py = 1;
        else if (s < 6) px = -1, py = 5 - s;
        else px = s - 7, py = -1;
        const double r = radius * f / std::sqrt(px * px + py * py);
        xy.push_back(c.x + r * px);
        xy.push_back(c.y + r * py);
    }
    xy.push_back(xy[0]);
    xy.push_back(xy[1]);
    return xy;
}

std::vector<double> reversed_ring(const std::vector<double>& ring) {
    std::vector<double> out(ring.size());
    for (std::size_t p = 0; p < ring.size() / 2; ++p) {
        out[2 * p] = ring[ring.size() - 2 - 2 * p];
        out[2 * p + 1] = ring[ring.size() - 1 - 2 * p];
    }
    return out;
}

// The second GeoPackage of --zones: the layers the default rules (layers/rules.toml) read.
class ZoneWriter {
public:
    ZoneWriter(GDALDriver* driver, const std::string& path, ValidityChecker* checker) : checker_(checker) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        ds_.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds_) usage(("cannot create " + path + ": " + CPLGetLastErrorMsg()).c_str());
        srs_.importFromEPSG(4547);
        srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        farmland_ = layer("YJJBNTTB", "永久基本农田", wkbMultiPolygon, {{"JBNTTBBH", OFTString}, {"DLBM", OFTString}, {"TBMJ", OFTReal}});
        if (ds_->StartTransaction() != OGRERR_NONE) usage("cannot start a transaction in the zones file");
    }

    // A copy of a DLTB patch as a 永久基本农田 patch.
    void farmland(const std::vector<double>& shell, const std::vector<double>* hole, const char* dlbm) {
        double area = ring_area(shell);
        if (hole) area -= std::fabs(ring_area(*hole));
        char bh[32];
        std::snprintf(bh, sizeof bh, "420117%08lld", ++farmland_count_);
        polygon(farmland_, shell, hole, {{"JBNTTBBH", bh}, {"DLBM", dlbm}}, {{"TBMJ", std::round(area * 100.0) / 100.0}});
        if (farmland_count_ % 10000 == 0 &&
            (ds_->CommitTransaction() != OGRERR_NONE || ds_->StartTransaction() != OGRERR_NONE))
            usage("committing a transaction of the zones file failed");
    }

    // Everything else, over the covered extent [x0, x1] × [y0, y1]. Positions and radii are
    // fractions of the extent, so every N gets the same picture at its own scale.
    void rest(Rng& rng, double x0, double y0, double x1, double y1) {
        const double d = std::min(x1 - x0, y1 - y0);
        auto at = [&](double fx, double fy) { return Pt{x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)}; };
        auto checked = [&](const std::vector<double>& shell, const std::vector<double>* hole) {
            if (checker_ && !checker_->check(0, shell, hole)) usage("a zone polygon is invalid (a generator bug)");
        };

        OGRLayer* urban = layer("CZKFBJ", "城镇开发边界", wkbMultiPolygon, {{"MC", OFTString}});
        struct Town { const char* name; double fx, fy, r; int n; };
        const Town towns[] = {{"青岭街道中心城区", 0.52, 0.48, 0.17, 1500}, {"柳湾镇区", 0.22, 0.30, 0.05, 400},
                              {"双河镇区", 0.80, 0.62, 0.05, 400}, {"石桥镇区", 0.35, 0.80, 0.04, 300}};
        for (const Town& t : towns) {
            const auto shell = blob(rng, at(t.fx, t.fy), t.r * d, t.n);
            checked(shell, nullptr);
            polygon(urban, shell, nullptr, {{"MC", t.name}}, {});
        }

        OGRLayer* parks = layer("GYYQ", "工业园区", wkbMultiPolygon,
                                {{"MC", OFTString}, {"准入行业", OFTString}, {"最高污染类别", OFTInteger}});
        struct ParkDef { const char* name; const char* industries; int max_class; double fx, fy, r; int n; };
        const ParkDef park_defs[] = {
            {"青岭经济开发区", "全部", 3, 0.66, 0.40, 0.07, 500},
            {"柳湾食品工业园", "食品加工、小酒坊、家具制造、木材加工、印刷", 2, 0.25, 0.21, 0.035, 300}};
        for (const ParkDef& p : park_defs) {
            const auto shell = blob(rng, at(p.fx, p.fy), p.r * d, p.n);
            checked(shell, nullptr);
            OGRFeature f(parks->GetLayerDefn());
            f.SetField("MC", p.name);
            f.SetField("准入行业", p.industries);
            f.SetField("最高污染类别", p.max_class);
            f.SetGeometryDirectly(multipolygon(shell, nullptr).release());
            create(parks, f);
        }

        OGRLayer* eco = layer("STBHHX", "生态保护红线", wkbMultiPolygon, {{"MC", OFTString}});
        const Town reds[] = {{"青岭山水源涵养生态保护红线", 0.13, 0.74, 0.10, 2000},
                             {"梁子湖湿地生态保护红线", 0.88, 0.18, 0.08, 1600}};
        for (const Town& t : reds) {
            const auto shell = blob(rng, at(t.fx, t.fy), t.r * d, t.n);
            checked(shell, nullptr);
            polygon(eco, shell, nullptr, {{"MC", t.name}}, {});
        }

        OGRLayer* water = layer("SYBHQ", "饮用水水源保护区", wkbMultiPolygon, {{"JB", OFTString}, {"MC", OFTString}});
        const Pt reservoir = at(0.62, 0.85);
        const auto inner = blob(rng, reservoir, 0.018 * d, 200);  // at most 0.0252 d from the centre
        const auto outer = blob(rng, reservoir, 0.055 * d, 400);  // at least 0.033 d
        const auto hole = reversed_ring(inner);
        checked(inner, nullptr);
        checked(outer, &hole);
        polygon(water, inner, nullptr, {{"JB", "一级"}, {"MC", "青岭水库饮用水水源一级保护区"}}, {});
        polygon(water, outer, &hole, {{"JB", "二级"}, {"MC", "青岭水库饮用水水源二级保护区"}}, {});

        // 200 sensitive sites: 45% in the town centre's box, the rest anywhere.
        OGRLayer* sites = layer("MGD", "环境敏感点", wkbPoint, {{"LX", OFTString}, {"MC", OFTString}});
        struct Kind { const char* lx; const char* suffix; };
        constexpr Kind kinds[] = {{"学校", "小学"}, {"学校", "中学"}, {"医院", "卫生院"}, {"幼儿园", "幼儿园"},
                                  {"养老院", "敬老院"}, {"居民点", "居民点"}, {"居民点", "小区"}};
        const Pt centre = at(towns[0].fx, towns[0].fy);
        const double box = 0.8 * towns[0].r * d;
        for (int k = 0; k < 200; ++k) {
            Pt p;
            if (rng.chance(0.45)) p = {centre.x + box * rng.symmetric(), centre.y + box * rng.symmetric()};
            else p = {rng.uniform(x0, x1), rng.uniform(y0, y1)};
            const Kind& kind = kinds[rng.below(std::size(kinds))];
            const std::string name = std::string(kPlaces[rng.below(kPlaces.size())]) + kind.suffix + "（" + std::to_string(k + 1) + "）";
            OGRFeature f(sites->GetLayerDefn());
            f.SetField("LX", kind.lx);
            f.SetField("MC", name.c_str());
            f.SetGeometryDirectly(new OGRPoint(p.x, p.y));
            create(sites, f);
        }
    }

    long long farmland_count() const { return farmland_count_; }

    void close() {
        if (ds_->CommitTransaction() != OGRERR_NONE) usage("committing the zones file failed");
        ds_.reset();
    }

private:
    struct FieldSpec { const char* name; OGRFieldType type; };
    OGRLayer* layer(const char* name, const char* identifier, OGRwkbGeometryType type, std::initializer_list<FieldSpec> fields) {
        const std::string id = std::string("IDENTIFIER=") + identifier;
        const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", id.c_str(), nullptr};
        OGRLayer* l = ds_->CreateLayer(name, &srs_, type, const_cast<char**>(options));
        if (!l) usage((std::string("cannot create layer ") + name + ": " + CPLGetLastErrorMsg()).c_str());
        for (const FieldSpec& f : fields) {
            OGRFieldDefn fd(f.name, f.type);
            if (l->CreateField(&fd) != OGRERR_NONE) usage("cannot create a field");
        }
        return l;
    }
    static std::unique_ptr<OGRMultiPolygon> multipolygon(const std::vector<double>& shell, const std::vector<double>* hole) {
        auto poly = std::make_unique<OGRPolygon>();
        poly->addRingDirectly(ogr_ring(shell).release());
        if (hole) poly->addRingDirectly(ogr_ring(*hole).release());
        auto multi = std::make_unique<OGRMultiPolygon>();
        multi->addGeometryDirectly(poly.release());
        return multi;
    }
    static void create(OGRLayer* l, OGRFeature& f) {
        if (l->CreateFeature(&f) != OGRERR_NONE)
            usage(("writing a zone feature failed: " + std::string(CPLGetLastErrorMsg())).c_str());
    }
    void polygon(OGRLayer* l, const std::vector<double>& shell, const std::vector<double>* hole,
                 std::initializer_list<std::pair<const char*, const char*>> texts,
                 std::initializer_list<std::pair<const char*, double>> reals) {
        OGRFeature f(l->GetLayerDefn());
        for (const auto& [k, v] : texts) f.SetField(k, v);
        for (const auto& [k, v] : reals) f.SetField(k, v);
        f.SetGeometryDirectly(multipolygon(shell, hole).release());
        create(l, f);
    }

    ValidityChecker* checker_;
    std::unique_ptr<GDALDataset> ds_;
    OGRSpatialReference srs_;
    OGRLayer* farmland_ = nullptr;
    long long farmland_count_ = 0;
};

} // namespace

int main(int argc, char** argv) {
    const Options o = parse_options(argc, argv);
    const auto started = std::chrono::steady_clock::now();
    Rng rng(o.seed);
    const ClassPicker picker;

    // ---- grid layout ------------------------------------------------------------------------------
    constexpr double kCellArea = 3250.0;  // m²; with 1% enclaves the mean patch is ≈ 3,220 m²
    constexpr double kEnclaveChance = 0.01;
    constexpr double kAspect = 1.25;      // the county is wider than tall
    constexpr double kCentreX = 529000.0, kCentreY = 3387000.0;
    const double cells_needed = static_cast<double>(o.polygons) / (1.0 + kEnclaveChance);
    const long long nx = std::max(1LL, std::llround(std::sqrt(cells_needed * kAspect)));
    const long long ny = static_cast<long long>(std::ceil(cells_needed / static_cast<double>(nx))) + 1;
    const double side = std::sqrt(kCellArea);
    auto factors = [&](long long n) {
        std::vector<double> f(static_cast<std::size_t>(n));
        double sum = 0;
        for (auto& v : f) sum += v = rng.uniform(0.55, 1.45);
        for (auto& v : f) v *= side * static_cast<double>(n) / sum;  // mean exactly `side`
        return f;
    };
    const std::vector<double> width = factors(nx), height = factors(ny);
    std::vector<double> col_x(static_cast<std::size_t>(nx + 1)), row_y(static_cast<std::size_t>(ny + 1));
    col_x[0] = std::floor(kCentreX - side * static_cast<double>(nx) / 2.0);
    row_y[0] = std::floor(kCentreY - side * static_cast<double>(ny) / 2.0);
    for (long long i = 0; i < nx; ++i) col_x[i + 1] = col_x[i] + width[i];
    for (long long j = 0; j < ny; ++j) row_y[j + 1] = row_y[j] + height[j];

    // Node (i, j) is the jittered grid corner; the outline of the county stays straight.
    auto node_row = [&](long long j, std::vector<Pt>& out) {
        out.resize(static_cast<std::size_t>(nx + 1));
        const double hmin = std::min(j > 0 ? height[j - 1] : height[j], j < ny ? height[j] : height[j - 1]);
        for (long long i = 0; i <= nx; ++i) {
            const double wmin = std::min(i > 0 ? width[i - 1] : width[i], i < nx ? width[i] : width[i - 1]);
            const double dx = (i == 0 || i == nx) ? 0.0 : 0.18 * wmin * rng.symmetric();
            const double dy = (j == 0 || j == ny) ? 0.0 : 0.18 * hmin * rng.symmetric();
            out[i] = {col_x[i] + dx, row_y[j] + dy};
        }
    };
    auto horizontal_edges = [&](long long j, const std::vector<Pt>& nodes, std::vector<EdgeVertices>& out) {
        out.resize(static_cast<std::size_t>(nx));
        for (long long i = 0; i < nx; ++i) make_edge(rng, nodes[i], nodes[i + 1], out[i], j == 0 || j == ny);
    };

    // ---- output layer -----------------------------------------------------------------------------
    GDALAllRegister();
    CPLSetConfigOption("OGR_SQLITE_SYNCHRONOUS", "OFF");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) usage("GDAL has no GPKG driver");
    std::error_code ec;
    std::filesystem::remove(o.out, ec);
    std::unique_ptr<GDALDataset> ds(driver->Create(o.out.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) usage(("cannot create " + o.out + ": " + CPLGetLastErrorMsg()).c_str());
    OGRSpatialReference srs;
    srs.importFromEPSG(4547);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char* layer_options[] = {"FID=fid", "GEOMETRY_NAME=geom", "IDENTIFIER=地类图斑", nullptr};
    OGRLayer* layer = ds->CreateLayer("DLTB", &srs, wkbMultiPolygon, const_cast<char**>(layer_options));
    if (!layer) usage(("cannot create layer DLTB: " + std::string(CPLGetLastErrorMsg())).c_str());
    auto add_field = [&](const char* name, OGRFieldType type, int width_chars, int precision) {
        OGRFieldDefn fd(name, type);
        fd.SetWidth(width_chars);
        fd.SetPrecision(precision);
        if (layer->CreateField(&fd) != OGRERR_NONE) usage("cannot create a field");
    };
    add_field("BSM", OFTInteger, 0, 0);
    add_field("DLBM", OFTString, 5, 0);
    add_field("DLMC", OFTString, 60, 0);
    add_field("ZLDWDM", OFTString, 19, 0);
    add_field("TBMJ", OFTReal, 0, 0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int f_bsm = defn->GetFieldIndex("BSM"), f_dlbm = defn->GetFieldIndex("DLBM"),
              f_dlmc = defn->GetFieldIndex("DLMC"), f_zl = defn->GetFieldIndex("ZLDWDM"),
              f_tbmj = defn->GetFieldIndex("TBMJ");

    std::unique_ptr<ValidityChecker> checker;
    if (o.check) checker = std::make_unique<ValidityChecker>();
    // The zones' own stream: DLTB and the enterprises are the same with or without --zones.
    Rng zone_rng(o.seed ^ 0x7A6F6E6573ULL);
    std::unique_ptr<ZoneWriter> zones;
    if (!o.zones_out.empty()) zones = std::make_unique<ZoneWriter>(driver, o.zones_out, checker.get());
    long long written = 0, vertices = 0, invalid = 0, enclaves = 0;
    double total_area = 0;
    constexpr long long kPerTransaction = 10000;
    if (ds->StartTransaction() != OGRERR_NONE) usage("cannot start a transaction");

    // 坐落单位代码: a township per 8 km square, a village per 1.6 km square inside it.
    auto zldwdm = [&](double x, double y) {
        const long long vx = static_cast<long long>((x - col_x[0]) / 1600.0);
        const long long vy = static_cast<long long>((y - row_y[0]) / 1600.0);
        const long long township = (vy / 5) * 8 + (vx / 5);
        const long long village = (vy % 5) * 5 + (vx % 5);
        char code[32];
        std::snprintf(code, sizeof code, "420117%03lld%03lld0000000", 100 + township % 900, 200 + village);
        return std::string(code);
    };

    auto emit = [&](int cls, const std::vector<double>& shell, const std::vector<double>* hole) {
        const long long bsm = written + 1;
        if (checker && !checker->check(bsm, shell, hole)) ++invalid;
        auto poly = std::make_unique<OGRPolygon>();
        poly->addRingDirectly(ogr_ring(shell).release());
        double area = ring_area(shell);
        if (hole) {
            poly->addRingDirectly(ogr_ring(*hole).release());
            area -= std::fabs(ring_area(*hole));
        }
        auto multi = std::make_unique<OGRMultiPolygon>();
        multi->addGeometryDirectly(poly.release());
        OGRFeature feature(defn);
        feature.SetField(f_bsm, static_cast<int>(bsm));
        feature.SetField(f_dlbm, kClasses[cls].code);
        feature.SetField(f_dlmc, kClasses[cls].name);
        feature.SetField(f_zl, zldwdm(shell[0], shell[1]).c_str());
        feature.SetField(f_tbmj, std::round(area * 100.0) / 100.0);
        feature.SetGeometryDirectly(multi.release());
        if (layer->CreateFeature(&feature) != OGRERR_NONE)
            usage(("writing a feature failed: " + std::string(CPLGetLastErrorMsg())).c_str());
        ++written;
        vertices += static_cast<long long>((shell.size() + (hole ? hole->size() : 0)) / 2);
        total_area += area;
        if (written % kPerTransaction == 0) {
            if (ds->CommitTransaction() != OGRERR_NONE || ds->StartTransaction() != OGRERR_NONE)
                usage("committing a transaction failed");
        }
    };

    // ---- the tessellation, row by row -------------------------------------------------------------
    std::vector<Pt> nodes_below, nodes_above;
    std::vector<EdgeVertices> edges_below, edges_above, edges_vertical(static_cast<std::size_t>(nx + 1));
    node_row(0, nodes_below);
    horizontal_edges(0, nodes_below, edges_below);
    constexpr long long kBlock = 6;
    std::vector<int> block_class(static_cast<std::size_t>((nx + kBlock - 1) / kBlock));
    std::vector<char> farmland_block(block_class.size());  // --zones: the block's 耕地 is 永久基本农田
    std::vector<double> shell, hole, island;
    for (long long j = 0; j < ny && written < o.polygons; ++j) {
        node_row(j + 1, nodes_above);
        horizontal_edges(j + 1, nodes_above, edges_above);
        for (long long i = 0; i <= nx; ++i) make_edge(rng, nodes_below[i], nodes_above[i], edges_vertical[i], i == 0 || i == nx);
        if (j % kBlock == 0)
            for (auto& c : block_class) c = picker.pick(rng);
        if (j % kBlock == 0)
            for (auto& f : farmland_block) f = zone_rng.chance(0.45);

        for (long long i = 0; i < nx && written < o.polygons; ++i) {
            // Counter-clockwise: bottom edge →, right edge ↑, top edge ←, left edge ↓.
            shell.clear();
            auto put = [&](Pt p) { shell.push_back(p.x); shell.push_back(p.y); };
            put(nodes_below[i]);
            for (const Pt& p : edges_below[i]) put(p);
            put(nodes_below[i + 1]);
            for (const Pt& p : edges_vertical[i + 1]) put(p);
            put(nodes_above[i + 1]);
            for (auto it = edges_above[i].rbegin(); it != edges_above[i].rend(); ++it) put(*it);
            put(nodes_above[i]);
            for (auto it = edges_vertical[i].rbegin(); it != edges_vertical[i].rend(); ++it) put(*it);
            put(nodes_below[i]);

            const int cls = rng.chance(0.55) ? block_class[i / kBlock] : picker.pick(rng);
            const bool with_enclave = rng.chance(kEnclaveChance) && written + 2 <= o.polygons;
            const bool farmland = zones && farmland_block[i / kBlock] && cls <= 2;  // 0101, 0102, 0103
            if (!with_enclave) {
                emit(cls, shell, nullptr);
                if (farmland) zones->farmland(shell, nullptr, kClasses[cls].code);
                continue;
            }
            // Enclave: a wobbly ring around the cell centre, well inside the jittered quad.
            const Pt c{(nodes_below[i].x + nodes_below[i + 1].x + nodes_above[i].x + nodes_above[i + 1].x) / 4,
                       (nodes_below[i].y + nodes_below[i + 1].y + nodes_above[i].y + nodes_above[i + 1].y) / 4};
            const double radius = 0.14 * std::min(width[i], height[j]);
            const int n = 8 + static_cast<int>(rng.below(13));
            island.clear();
            for (int m = 0; m < n; ++m) {
                // A point on the square's perimeter, normalised onto the unit circle (no trig).
                const double s = 8.0 * (m + 0.3 * rng.symmetric()) / n;  // 0..8 around the square
                double px, py;
                if (s < 2) px = 1, py = s - 1;
                else if (s < 4) px = 3 - s, py = 1;
                else if (s < 6) px = -1, py = 5 - s;
                else px = s - 7, py = -1;
                const double r = radius * rng.uniform(0.75, 1.0) / std::sqrt(px * px + py * py);
                island.push_back(c.x + r * px);
                island.push_back(c.y + r * py);
            }
            island.push_back(island[0]);
            island.push_back(island[1]);
            hole.assign(island.size(), 0.0);  // the same ring, clockwise
            for (std::size_t p = 0; p < island.size() / 2; ++p) {
                hole[2 * p] = island[island.size() - 2 - 2 * p];
                hole[2 * p + 1] = island[island.size() - 1 - 2 * p];
            }
            emit(cls, shell, &hole);
            if (farmland) zones->farmland(shell, &hole, kClasses[cls].code);
            emit(kEnclaveClasses[rng.below(kEnclaveClasses.size())], island, nullptr);
            ++enclaves;
        }
        std::swap(nodes_below, nodes_above);
        std::swap(edges_below, edges_above);
    }
    if (ds->CommitTransaction() != OGRERR_NONE) usage("committing the last transaction failed");
    ds.reset();  // builds the GeoPackage R-tree and closes the file
    const double seconds_layer =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // The area the layer covers completely (full rows), or the first row if there is none.
    const long long cells_written = written - enclaves;
    const long long full_rows = cells_written / nx;
    if (zones) {
        const auto t0 = std::chrono::steady_clock::now();
        zones->rest(zone_rng, col_x[0], row_y[0], col_x[nx], row_y[std::max(1LL, full_rows)]);
        const long long farmland = zones->farmland_count();
        zones->close();
        std::fprintf(stderr, "qingling-bench-gen: %s: %lld 永久基本农田 patches, 2 eco red lines, 2 water zones, "
                     "2 parks, 4 urban boundary parts, 200 sensitive points, %.1f s\n", o.zones_out.c_str(), farmland,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }

    if (o.check && invalid > 0) {
        std::fprintf(stderr, "qingling-bench-gen: %lld invalid polygons (a generator bug)\n", invalid);
        return 1;
    }
    std::fprintf(stderr,
                 "qingling-bench-gen: %s: %lld polygons (%lld enclaves) in a %lld x %lld grid, %lld vertices "
                 "(mean %.1f per polygon), mean area %.0f m², %s, %.1f s\n",
                 o.out.c_str(), written, enclaves, nx, ny, vertices, double(vertices) / double(written),
                 total_area / double(written), o.check ? "all valid (GEOS)" : "validity not checked", seconds_layer);

    if (o.enterprises > 0) {
        // Enterprises lie in the rows the layer covers completely, or in the partial last row's cells.
        const long long rest = cells_written % nx;
        std::vector<Region> regions;
        // Inner edges of the coverage are jittered by up to 0.18 of a cell and wiggled by up to 0.05
        // of an edge: a margin of 0.4 of the cell keeps the points inside.
        const double margin = 0.4;
        if (full_rows > 0)
            regions.push_back({col_x[0], row_y[0], col_x[nx], row_y[full_rows] - margin * height[full_rows - 1]});
        if (rest > 0)
            regions.push_back({col_x[0], row_y[full_rows], col_x[rest] - margin * width[rest - 1],
                               row_y[full_rows + 1] - margin * height[full_rows]});
        const auto t0 = std::chrono::steady_clock::now();
        write_enterprises(o, rng, regions);
        std::fprintf(stderr, "qingling-bench-gen: %s: %lld enterprises, %.1f s\n", o.enterprises_out.c_str(),
                     o.enterprises, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 0;
}
