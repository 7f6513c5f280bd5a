#include "core/map_render.hpp"

#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/grid_areas.hpp"
#include "core/i18n.hpp"
#include "core/relocation.hpp"
#include "core/resources.hpp"
#include "core/rule_set.hpp"

#include <cairo.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <ctime>
#include <memory>
#include <regex>
#include <thread>
#include <atomic>

namespace qingling {

// ---------------------------------------------------------------------------------------------
// Boxes, presets, progress

void WorldBox::add(double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) return;
    if (!valid) {
        minx = maxx = x;
        miny = maxy = y;
        valid = true;
        return;
    }
    minx = std::min(minx, x);
    miny = std::min(miny, y);
    maxx = std::max(maxx, x);
    maxy = std::max(maxy, y);
}

void WorldBox::add(const WorldBox& b) {
    if (!b.valid) return;
    add(b.minx, b.miny);
    add(b.maxx, b.maxy);
}

bool WorldBox::intersects(const WorldBox& b) const {
    return valid && b.valid && minx <= b.maxx && b.minx <= maxx && miny <= b.maxy && b.miny <= maxy;
}

std::optional<MapPreset> parse_map_preset(const std::string& text) {
    for (MapPreset p : {MapPreset::distribution, MapPreset::progress, MapPreset::relocation, MapPreset::grid})
        if (text == map_preset_label_zh(p) || text == map_preset_code(p)) return p;
    return std::nullopt;
}

const char* map_preset_label_zh(MapPreset p) {
    switch (p) {
    case MapPreset::distribution: return N_("分布图");
    case MapPreset::progress: return N_("整治进度图");
    case MapPreset::relocation: return N_("搬迁选址图");
    case MapPreset::grid: return N_("网格图");
    }
    return "";
}

const char* map_preset_code(MapPreset p) {
    switch (p) {
    case MapPreset::distribution: return "distribution";
    case MapPreset::progress: return "progress";
    case MapPreset::relocation: return "relocation";
    case MapPreset::grid: return "grid";
    }
    return "";
}

CampaignProgress campaign_progress(const EnterpriseMark& mark, const CampaignCalendar& calendar) {
    CampaignProgress p;
    if (mark.confirmation) p.status = mark.review ? "需复核" : "已确认";
    else if (mark.verdict) p.status = mark.verdict->suggested ? "待确认" : "无需分类";
    else p.status = "未检查";
    std::optional<Category> c;
    if (mark.confirmation) c = mark.confirmation->category;
    else if (mark.verdict) c = mark.verdict->suggested;
    if (c) {
        switch (*c) {
        case Category::close: p.deadline = calendar.close_end; break;
        case Category::rectify: p.deadline = calendar.rectify_end; break;
        case Category::relocate: p.deadline = calendar.relocate_plan_end; break;
        }
    }
    // Whether the work is done is not recorded yet (campaign status): nothing is overdue here.
    p.overdue = false;
    return p;
}

CampaignProgress campaign_progress(const EnterpriseMark& mark, const CampaignData& campaign, long long id,
                                   const std::string& as_of) {
    CampaignProgress p = campaign_progress(mark, campaign.calendar);
    const EnterpriseProgress now = progress_as_of(campaign, id, as_of);
    p.campaign_status = campaign_status_label_zh(now.status);
    if (now.deadline) {
        p.due_step = deadline_step_label_zh(now.deadline->step);
        p.due_date = now.deadline->date;
        p.days_left = now.days_left;
    }
    p.overdue = now.overdue;
    return p;
}

std::vector<SymbolClass> preset_symbol_classes(MapPreset preset) {
    switch (preset) {
    case MapPreset::distribution:
    case MapPreset::grid: {
        std::vector<SymbolClass> out;
        for (Mark m : kAllMarks) out.push_back({mark_label_zh(m), mark_colour(m), 2.3});
        return out;
    }
    case MapPreset::progress: {
        // 整治状态 on the map's date (the viewer's status theme), overdue ones first and larger.
        std::vector<SymbolClass> out{{"已逾期", rgb(0xD62828), 2.8}};
        for (CampaignStatus s : kAllCampaignStatuses)
            out.push_back({campaign_status_label_zh(s), campaign_status_colour(s), 2.3});
        return out;
    }
    case MapPreset::relocation:
        return {{"限期搬迁（已预留用地）", rgb(0x1E5AE6), 2.8},
                {"限期搬迁（待选址）", rgb(0x79A6FF), 2.8},
                {"其他企业", rgb(0xB4B4B4), 1.5}};
    }
    return {};
}

int preset_symbol_class(MapPreset preset, const MapEnterprise& e) {
    switch (preset) {
    case MapPreset::distribution:
    case MapPreset::grid:
        for (size_t i = 0; i < std::size(kAllMarks); ++i)
            if (kAllMarks[i] == e.mark.mark) return static_cast<int>(i);
        return 4;
    case MapPreset::progress: {
        if (e.progress.overdue) return 0;
        for (size_t i = 0; i < std::size(kAllCampaignStatuses); ++i)
            if (e.progress.campaign_status == campaign_status_label_zh(kAllCampaignStatuses[i]))
                return static_cast<int>(i) + 1;
        return 1;  // not read with the campaign: 排查发现
    }
    case MapPreset::relocation:
        if (e.mark.mark == Mark::relocate) return e.reservation ? 0 : 1;
        return 2;
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Reading

namespace {

std::string today_iso() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// The CRS in the words of Chinese map sheets where it is a CGCS2000 Gauss-Krüger one.
std::string crs_note_for(int epsg) {
    try {
        const OGRSpatialReference srs = make_srs(epsg);
        const std::string name = srs.GetName() ? srs.GetName() : "";
        std::smatch m;
        if (std::regex_match(name, m, std::regex(R"(CGCS2000 / 3-degree Gauss-Kruger CM (\d+)E)")))
            return "2000国家大地坐标系（CGCS2000），高斯-克吕格投影，3度带，中央经线" + m[1].str() + "°E（EPSG:" +
                   std::to_string(epsg) + "）";
        if (std::regex_match(name, m, std::regex(R"(CGCS2000 / 3-degree Gauss-Kruger zone (\d+))")))
            return "2000国家大地坐标系（CGCS2000），高斯-克吕格投影，3度带第" + m[1].str() + "带（EPSG:" +
                   std::to_string(epsg) + "）";
        if (epsg == 4490) return "2000国家大地坐标系（CGCS2000）经纬度（EPSG:4490）";
        return name + "（EPSG:" + std::to_string(epsg) + "）";
    } catch (const Error&) {
        return "EPSG:" + std::to_string(epsg);
    }
}

void add_wkb_envelope(const unsigned char* wkb, size_t size, WorldBox& box) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size) != OGRERR_NONE || !g) return;
    std::unique_ptr<OGRGeometry> own(g);
    if (g->IsEmpty()) return;
    OGREnvelope e;
    g->getEnvelope(&e);
    box.add(e.MinX, e.MinY);
    box.add(e.MaxX, e.MaxY);
}

} // namespace

MapContent read_map_content(const ProjectStore& store, const std::string& as_of) {
    ensure_gdal_initialised();
    MapContent c;
    c.settings = store.settings();
    c.as_of = as_of.empty() ? today_iso() : as_of;
    const CampaignData campaign = load_campaign(store);
    std::string warning;
    const RoleStyles styles = RoleStyles::load_or_builtin(layers_dir() / "styles.toml", warning);
    c.land_classes = LandClassStyler::load(layers_dir());

    std::vector<MapLayerToDraw> layers;
    for (const LayerInfo& info : store.layers()) layers.push_back({info, styles.style(info.role)});
    std::stable_sort(layers.begin(), layers.end(),
                     [](const auto& a, const auto& b) { return a.style.draw_order < b.style.draw_order; });
    // As in the viewer: a planning layer covers the same ground as the land-use layer; show one.
    const bool has_landuse =
        std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l.info.role == "landuse"; });
    std::string newest;
    for (auto& l : layers) {
        newest = std::max(newest, l.info.imported_at);
        if (l.info.role == "jurisdiction" || l.info.role == "village")
            store.for_each_geometry(l.info, [&](long long, const unsigned char* wkb, size_t size) {
                add_wkb_envelope(wkb, size, l.info.role == "jurisdiction" ? c.jurisdiction : c.everything);
            });
        if (!l.style.visible || (l.info.role == "planning" && has_landuse)) continue;
        c.layers.push_back(l);
    }
    c.everything.add(c.jurisdiction);

    const EnterpriseMarks marks = read_enterprise_marks(store);
    c.run = marks.run;
    if (c.run) newest = std::max(newest, c.run->at);

    // Grids, their people, and who answers for each enterprise.
    GeosContext geos;
    std::map<long long, std::string> person_name;
    std::map<long long, Person> people;
    for (const Person& p : store.people()) people[p.id] = p;
    for (const GridPersonLink& link : store.grid_people()) {
        auto it = people.find(link.person_id);
        if (it == people.end()) continue;
        std::string& text = c.grid_people[{link.grid_layer, link.grid_fid}];
        if (!text.empty()) text += "；";
        text += it->second.role + " " + it->second.name;
    }
    AreaSet grids(geos, store, "grid", kGridNameFields);
    const auto assignments = store.enterprise_grids();
    std::map<std::pair<std::string, long long>, SiteReservation> reservations_by_enterprise;
    std::map<long long, SiteReservation> reservation_of;
    for (const SiteReservation& r : store.site_reservations(true)) reservation_of[r.enterprise_id] = r;
    const auto confirmations = store.confirmations();
    for (const auto& [id, conf] : confirmations) newest = std::max(newest, conf.at);

    for (LedgerRecord& r : store.ledger()) {
        MapEnterprise e;
        e.mark = marks.of(r.id);
        e.progress = campaign_progress(e.mark, campaign, r.id, c.as_of);
        if (r.x && r.y) {
            e.located = true;
            e.x = *r.x;
            e.y = *r.y;
            c.everything.add(e.x, e.y);
        }
        if (auto it = assignments.find(r.id); it != assignments.end()) {
            if (auto i = grids.find(it->second.grid_layer, it->second.grid_fid)) e.grid = grids.ref(*i).label();
            else e.grid = it->second.grid_layer + "#" + std::to_string(it->second.grid_fid);
            if (it->second.responsible_person_id)
                if (auto p = people.find(*it->second.responsible_person_id); p != people.end())
                    e.responsible = p->second.name;
        }
        if (auto it = reservation_of.find(r.id); it != reservation_of.end()) e.reservation = it->second;
        e.record = std::move(r);
        c.enterprises.push_back(std::move(e));
    }
    if (!c.everything.valid)
        for (const auto& l : c.layers)
            store.for_each_geometry(l.info, [&](long long, const unsigned char* wkb, size_t size) {
                add_wkb_envelope(wkb, size, c.everything);
            });

    // Label points of villages (by name) and grids.
    {
        AreaSet villages(geos, store, "village", kVillageNameFields);
        std::vector<AreaLabel> v;
        for (size_t i = 0; i < villages.size(); ++i) {
            double x = 0, y = 0;
            if (villages.ref(i).name.empty() || !representative_point(geos, villages.working(i), x, y)) continue;
            v.push_back({"village", villages.ref(i).layer, villages.ref(i).fid, villages.ref(i).name, x, y});
        }
        std::stable_sort(v.begin(), v.end(), [](const AreaLabel& a, const AreaLabel& b) { return a.name < b.name; });
        c.areas = std::move(v);
        for (size_t i = 0; i < grids.size(); ++i) {
            double x = 0, y = 0;
            if (!representative_point(geos, grids.working(i), x, y)) continue;
            c.areas.push_back({"grid", grids.ref(i).layer, grids.ref(i).fid, grids.ref(i).label(), x, y});
        }
    }

    try {
        const OGRSpatialReference srs = make_srs(c.settings.epsg);
        if (srs.IsGeographic()) {
            const double lat = c.everything.valid ? (c.everything.miny + c.everything.maxy) / 2 : 0.0;
            c.metres_per_unit = 111320.0 * std::cos(lat * 3.14159265358979323846 / 180.0);
        } else {
            c.metres_per_unit = srs.GetLinearUnits();
        }
    } catch (const Error&) {
        // Unknown CRS: scale as if in metres.
    }
    c.crs_note = "坐标系：" + crs_note_for(c.settings.epsg);
    c.data_date = newest.size() >= 10 ? newest.substr(0, 10) : today_iso();
    return c;
}

void read_relocation_candidates(MapContent& content, const ProjectStore& store, Progress& progress) {
    content.candidate_sites.clear();
    RelocationReport report;
    try {
        const RuleSet rules = load_rule_set(default_rule_file());
        RelocationOptions options;
        options.max_candidates = 0;  // every parcel that passes the constraints
        report = find_relocation_sites(store, rules, options, progress);
    } catch (const CancelledError&) {
        throw;
    } catch (const Error&) {
        return;  // no rules or no parcels: the map shows the reservations only
    }
    std::set<std::pair<std::string, long long>> reserved;
    for (const MapEnterprise& e : content.enterprises)
        if (e.reservation) reserved.insert({e.reservation->site_layer, e.reservation->site_fid});
    for (const RelocationEntry& entry : report.entries)
        for (const SiteCandidate& c : entry.candidates)
            if (!reserved.count({c.site_layer, c.site_fid})) content.candidate_sites.insert({c.site_layer, c.site_fid});
}

// ---------------------------------------------------------------------------------------------
// Geometry

namespace {

void ring_path(cairo_t* cr, const OGRSimpleCurve& ring, const FrameTransform& t, double min_step, bool close) {
    const int n = ring.getNumPoints();
    if (n < 2) return;
    double lx = t.page_x(ring.getX(0)), ly = t.page_y(ring.getY(0));
    cairo_move_to(cr, lx, ly);
    for (int i = 1; i < n; ++i) {
        const double x = t.page_x(ring.getX(i)), y = t.page_y(ring.getY(i));
        if (i + 1 < n && std::abs(x - lx) < min_step && std::abs(y - ly) < min_step) continue;
        cairo_line_to(cr, x, y);
        lx = x;
        ly = y;
    }
    if (close) cairo_close_path(cr);
}

void geometry_path(cairo_t* cr, const OGRGeometry* g, const FrameTransform& t, double min_step,
                   std::vector<std::pair<double, double>>* points) {
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPoint: {
        const auto* p = g->toPoint();
        if (points && !p->IsEmpty()) points->emplace_back(t.page_x(p->getX()), t.page_y(p->getY()));
        break;
    }
    case wkbLineString: ring_path(cr, *g->toLineString(), t, min_step, false); break;
    case wkbPolygon: {
        const auto* poly = g->toPolygon();
        for (const OGRLinearRing* ring : *poly) ring_path(cr, *ring, t, min_step, true);
        break;
    }
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry* part : *g->toGeometryCollection()) geometry_path(cr, part, t, min_step, points);
        break;
    default: break;
    }
}

OGRGeometry* parse_wkb(const unsigned char* wkb, size_t size) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size) != OGRERR_NONE) return nullptr;
    return g;
}

} // namespace

bool wkb_to_path(cairo_t* cr, const unsigned char* wkb, size_t size, const FrameTransform& t, double min_step,
                 std::vector<std::pair<double, double>>* points) {
    std::unique_ptr<OGRGeometry> g(parse_wkb(wkb, size));
    if (!g) return false;
    geometry_path(cr, g.get(), t, min_step, points);
    return true;
}

namespace {

// Two significant digits ending in 0 or 5 (1:55,000, 1:120,000), at or above v: a round scale
// that still fills the frame.
double round_up_nice(double v) {
    if (!(v > 0)) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)) - 1);
    return std::ceil(v / p / 5 - 1e-9) * 5 * p;
}

// 1, 2, 5 × 10^k at or below v.
double round_down_nice(double v) {
    if (!(v > 0)) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= v * (1 + 1e-9)) return m * p;
    return p;
}

constexpr double kMetresPerPoint = 0.0254 / 72.0;

} // namespace

FrameTransform fit_frame(const PixelRect& frame, const WorldBox& content, double metres_per_unit, double margin) {
    FrameTransform t;
    t.frame = frame;
    WorldBox c = content;
    if (!c.valid) c.add(0, 0);
    double w = std::max(c.width(), 1e-9), h = std::max(c.height(), 1e-9);
    if (c.width() < 1e-9 && c.height() < 1e-9) w = h = 500 / metres_per_unit;  // one point: 500 m around it
    w *= 1 + 2 * margin;
    h *= 1 + 2 * margin;
    const double s = std::min(frame.width() / w, frame.height() / h);
    const double denominator = round_up_nice(metres_per_unit / (s * kMetresPerPoint));
    t.scale_denominator = static_cast<long long>(std::llround(denominator));
    t.scale = metres_per_unit / (denominator * kMetresPerPoint);
    const double cx = (c.minx + c.maxx) / 2, cy = (c.miny + c.maxy) / 2;
    const double hw = frame.width() / t.scale / 2, hh = frame.height() / t.scale / 2;
    t.world = {cx - hw, cy - hh, cx + hw, cy + hh, true};
    return t;
}

// ---------------------------------------------------------------------------------------------
// The frame

namespace {

constexpr double kPxToPt = 0.5;  // style widths are viewer pixels; half a point each on paper

const Rgba kCandidateSiteFill = rgb(0xF59E0B, 110);  // 搬迁选址图: unreserved candidate parcels
const Rgba kCandidateSiteOutline = rgb(0xC2410C);

const Rgba kGridFills[] = {rgb(0x8DD3C7, 90), rgb(0xFFFFB3, 110), rgb(0xBEBADA, 90), rgb(0xFB8072, 70),
                           rgb(0x80B1D3, 90), rgb(0xFDB462, 90),  rgb(0xB3DE69, 90), rgb(0xFCCDE5, 110)};

void circle_symbol(cairo_t* cr, double x, double y, double r, Rgba fill) {
    cairo_new_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * 3.14159265358979323846);
    set_colour(cr, fill);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

void point_symbol(cairo_t* cr, double x, double y, const LayerStyle& style) {
    const double r = style.point_px * kPxToPt * 0.5;
    cairo_new_path(cr);
    if (style.point_shape == PointShape::square) cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
    else cairo_arc(cr, x, y, r, 0, 2 * 3.14159265358979323846);
    set_colour(cr, style.point_colour);
    if (style.point_shape == PointShape::ring) {
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

} // namespace

namespace {

// What drawing the layers of one band found; the bands' findings are merged afterwards.
struct LayerPass {
    long long features_drawn = 0;
    std::set<std::string> roles_drawn;
    std::map<std::string, LandClassGroup> land_groups;
    std::map<long long, std::pair<double, double>> reserved_centre;  // enterprise id -> page point
};

// Draws every layer's features meeting `near` (world box) on cr, in their styles. on_layer(i) runs
// after layer i; the thread drawing the first band reports progress through it.
void draw_layers(cairo_t* cr, const ProjectStore& store, const MapContent& content, const FrameTransform& t,
                 const FrameOptions& options, const std::map<std::pair<std::string, long long>, long long>& reserved,
                 const ProjectStore::Box& near_box, const Progress& progress, const std::atomic<bool>& stop,
                 LayerPass& pass, const std::function<void(size_t)>& on_layer) {
    auto stopping = [&] { return progress.cancelled() || stop.load(std::memory_order_relaxed); };
    const std::vector<ProjectStore::Box> near{near_box};
    const double min_step = 0.15;
    std::vector<std::pair<double, double>> points;
    long long seen = 0;
    for (size_t li = 0; li < content.layers.size(); ++li) {
        const MapLayerToDraw& layer = content.layers[li];
        const LayerStyle& style = layer.style;
        const bool classify = style.fill_by_land_class && !layer.info.code_field.empty() &&
                              !layer.info.code_system.empty();
        std::map<std::string, LandClassGroup> group_of_code;
        std::vector<std::string> fields;
        if (classify) fields.push_back(layer.info.code_field);
        const bool grid_fill = options.preset == MapPreset::grid && layer.info.role == "grid";
        const bool parcel_fill = options.preset == MapPreset::relocation && layer.info.role == "park_parcel";
        store.for_each_feature(layer.info, fields, &near, [&](long long fid, const unsigned char* wkb, size_t size,
                                                              const std::vector<std::string>& values) {
            if ((++seen & 4095) == 0 && stopping()) throw CancelledError();
            cairo_new_path(cr);
            points.clear();
            if (!wkb_to_path(cr, wkb, size, t, min_step, &points)) return;
            ++pass.features_drawn;
            pass.roles_drawn.insert(layer.info.role);
            std::optional<Rgba> fill;
            if (style.fill && style.hatch == Hatch::none) fill = style.fill_colour;
            if (classify) {
                const std::string code = values.empty() ? std::string() : values[0];
                auto it = group_of_code.find(code);
                if (it == group_of_code.end())
                    it = group_of_code.emplace(code, content.land_classes.group_of(layer.info.code_system, code)).first;
                fill = it->second.colour;
                // Relocation and grid maps: the land classes are background, the parks and grids the subject.
                if (options.preset == MapPreset::relocation || options.preset == MapPreset::grid) fill->a = 120;
                pass.land_groups.emplace(layer.info.code_system + ":" + it->second.code, it->second);
            }
            if (grid_fill) fill = kGridFills[static_cast<size_t>(fid) % std::size(kGridFills)];
            if (parcel_fill) {
                fill = rgb(0xE6DAF2);
                if (auto r = reserved.find({layer.info.name, fid}); r != reserved.end()) {
                    fill = rgb(0x1E5AE6, 120);
                    double x1, y1, x2, y2;
                    cairo_path_extents(cr, &x1, &y1, &x2, &y2);
                    pass.reserved_centre[r->second] = {(x1 + x2) / 2, (y1 + y2) / 2};
                }
            }
            if (fill) {
                set_colour(cr, *fill);
                cairo_fill_preserve(cr);
            }
            hatch_preserve(cr, style.hatch, style.hatch_colour, style.hatch_spacing_px * kPxToPt,
                           std::max(0.2, style.hatch_width_px * kPxToPt));
            if (style.outline_px > 0) {
                set_colour(cr, style.outline);
                cairo_set_line_width(cr, std::max(0.2, style.outline_px * kPxToPt));
                cairo_stroke(cr);
            } else {
                cairo_new_path(cr);
            }
            for (const auto& [x, y] : points) point_symbol(cr, x, y, style);
        });
        if (stopping()) throw CancelledError();
        on_layer(li);
    }
}

// The world box of the page rows [y0, y1] (points) of the frame, grown by `pad` points so strokes
// and point symbols reaching into the rows are drawn too.
ProjectStore::Box world_rows(const FrameTransform& t, double y0, double y1, double pad) {
    return {t.world.minx - pad / t.scale, t.world.maxy - (y1 - t.frame.y0 + pad) / t.scale, t.world.maxx + pad / t.scale,
            t.world.maxy - (y0 - t.frame.y0 - pad) / t.scale};
}

// Layers on a raster page: the frame's rows are cut into one band per core, each drawn by its own
// thread with its own read connection into its own Cairo surface over the same pixels (the bands do
// not share a pixel row, so no locking). A feature crossing two bands is drawn in both, each
// keeping its own rows, which gives the same pixels as one pass. Cairo's fast antialiasing (its
// 4x4 sampling rasteriser) is used for the many small fills and hairlines of a land-use layer; at
// print resolution it is not visibly different and about a third quicker.
// Returns false (nothing drawn) when the page is not a raster (PDF: vector paths, one pass).
bool draw_layers_in_bands(cairo_t* cr, const ProjectStore& store, const MapContent& content, const FrameTransform& t,
                          const FrameOptions& options,
                          const std::map<std::pair<std::string, long long>, long long>& reserved, Progress& progress,
                          LayerPass& pass) {
    cairo_surface_t* target = cairo_get_target(cr);
    if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE) return false;
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    if (m.xy != 0 || m.yx != 0 || m.yy <= 0) return false;  // only scale and translation
    const unsigned threads =
        options.threads > 0 ? options.threads : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    cairo_surface_flush(target);
    unsigned char* data = cairo_image_surface_get_data(target);
    const int stride = cairo_image_surface_get_stride(target), width = cairo_image_surface_get_width(target),
              height = cairo_image_surface_get_height(target);
    const cairo_format_t format = cairo_image_surface_get_format(target);
    const int first_row = std::clamp(static_cast<int>(std::floor(m.yy * t.frame.y0 + m.y0)), 0, height);
    const int last_row = std::clamp(static_cast<int>(std::ceil(m.yy * t.frame.y1 + m.y0)), 0, height);
    if (last_row <= first_row) return false;

    std::vector<ProjectStore> readers;
    for (unsigned i = 1; i < threads; ++i) readers.push_back(store.open_reader());
    std::vector<LayerPass> passes(threads);
    std::vector<std::exception_ptr> errors(threads);
    std::atomic<bool> stop{false};  // a band failed: the others stop too
    auto draw_band = [&](unsigned band, const std::function<void(size_t)>& on_layer) {
        try {
            const int r0 = first_row + (last_row - first_row) * static_cast<int>(band) / static_cast<int>(threads);
            const int r1 = first_row + (last_row - first_row) * static_cast<int>(band + 1) / static_cast<int>(threads);
            if (r1 <= r0) return;
            std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
                cairo_image_surface_create_for_data(data + static_cast<std::ptrdiff_t>(r0) * stride, format, width,
                                                    r1 - r0, stride),
                cairo_surface_destroy);
            std::unique_ptr<cairo_t, decltype(&cairo_destroy)> band_cr(cairo_create(surface.get()), cairo_destroy);
            cairo_matrix_t bm = m;
            bm.y0 -= r0;
            cairo_set_matrix(band_cr.get(), &bm);
            cairo_rectangle(band_cr.get(), t.frame.x0, t.frame.y0, t.frame.width(), t.frame.height());
            cairo_clip(band_cr.get());
            cairo_set_line_join(band_cr.get(), CAIRO_LINE_JOIN_ROUND);
            cairo_set_fill_rule(band_cr.get(), CAIRO_FILL_RULE_EVEN_ODD);
            cairo_set_antialias(band_cr.get(), CAIRO_ANTIALIAS_FAST);
            const ProjectStore& source = band == 0 ? store : readers[band - 1];
            draw_layers(band_cr.get(), source, content, t, options, reserved,
                        world_rows(t, (r0 - m.y0) / m.yy, (r1 - m.y0) / m.yy, 12), progress, stop, passes[band],
                        on_layer);
        } catch (const CancelledError&) {
            if (progress.cancelled()) errors[band] = std::current_exception();  // else stopped by another band
        } catch (...) {
            errors[band] = std::current_exception();
            stop = true;
        }
    };
    std::vector<std::thread> workers;
    for (unsigned band = 1; band < threads; ++band) workers.emplace_back(draw_band, band, [](size_t) {});
    draw_band(0, [&](size_t li) {
        progress.report(0.1 + 0.7 * static_cast<double>(li + 1) / static_cast<double>(content.layers.size()),
                        "绘制图层");
    });
    for (auto& w : workers) w.join();
    cairo_surface_mark_dirty(target);
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    for (auto& p : passes) {
        pass.features_drawn += p.features_drawn;
        pass.roles_drawn.insert(p.roles_drawn.begin(), p.roles_drawn.end());
        pass.land_groups.insert(p.land_groups.begin(), p.land_groups.end());
        pass.reserved_centre.insert(p.reserved_centre.begin(), p.reserved_centre.end());
    }
    return true;
}

} // namespace

FrameResult draw_map_frame(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                           const FrameTransform& t, const FrameOptions& options, Progress& progress) {
    cairo_t* cr = canvas.cr();
    FrameResult result;
    const auto classes = preset_symbol_classes(options.preset);
    result.class_counts.assign(classes.size(), 0);

    cairo_save(cr);
    cairo_rectangle(cr, t.frame.x0, t.frame.y0, t.frame.width(), t.frame.height());
    cairo_clip(cr);
    fill_rect(cr, t.frame, rgb(0xFFFFFF));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);

    // Reserved parcels (搬迁选址图): filled, and their centres for the lines to the enterprises.
    std::map<std::pair<std::string, long long>, long long> reserved;  // (layer, fid) -> enterprise id
    if (options.preset == MapPreset::relocation)
        for (const auto& e : content.enterprises)
            if (e.reservation) reserved[{e.reservation->site_layer, e.reservation->site_fid}] = e.record.id;

    LayerPass pass;
    const std::atomic<bool> never{false};
    if (!draw_layers_in_bands(cr, store, content, t, options, reserved, progress, pass))
        draw_layers(cr, store, content, t, options, reserved, {t.world.minx, t.world.miny, t.world.maxx, t.world.maxy},
                    progress, never, pass, [&](size_t li) {
                        progress.report(0.1 + 0.7 * static_cast<double>(li + 1) /
                                                  static_cast<double>(content.layers.size()),
                                        "绘制图层");
                    });
    result.features_drawn = pass.features_drawn;
    result.roles_drawn = std::move(pass.roles_drawn);
    result.land_groups = std::move(pass.land_groups);
    const auto& reserved_centre = pass.reserved_centre;
    const double min_step = 0.15;
    const std::vector<ProjectStore::Box> near{{t.world.minx, t.world.miny, t.world.maxx, t.world.maxy}};

    // 搬迁选址图: the unreserved candidate parcels over the layers, orange and dashed.
    if (options.preset == MapPreset::relocation && !content.candidate_sites.empty()) {
        const double dash[] = {2.5, 1.5};
        for (const MapLayerToDraw& layer : content.layers) {
            if (std::none_of(content.candidate_sites.begin(), content.candidate_sites.end(),
                             [&](const auto& site) { return site.first == layer.info.name; }))
                continue;
            store.for_each_feature(layer.info, {}, &near, [&](long long fid, const unsigned char* wkb, size_t size,
                                                              const std::vector<std::string>&) {
                if (!content.candidate_sites.count({layer.info.name, fid})) return;
                cairo_new_path(cr);
                if (!wkb_to_path(cr, wkb, size, t, min_step)) return;
                ++result.candidate_sites_drawn;
                set_colour(cr, kCandidateSiteFill);
                cairo_fill_preserve(cr);
                cairo_set_dash(cr, dash, 2, 0);
                set_colour(cr, kCandidateSiteOutline);
                cairo_set_line_width(cr, 0.9);
                cairo_stroke(cr);
                cairo_set_dash(cr, nullptr, 0, 0);
            });
        }
    }

    // Atlas: veil what is outside the page's village or grid, and outline it.
    if (!options.focus_wkb.empty()) {
        cairo_new_path(cr);
        cairo_rectangle(cr, t.frame.x0, t.frame.y0, t.frame.width(), t.frame.height());
        wkb_to_path(cr, options.focus_wkb.data(), options.focus_wkb.size(), t, min_step);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.62);
        cairo_fill(cr);
        wkb_to_path(cr, options.focus_wkb.data(), options.focus_wkb.size(), t, min_step);
        set_colour(cr, rgb(0xB00020));
        cairo_set_line_width(cr, 1.6);
        cairo_stroke(cr);
    }

    // Enterprises: the least pressing class first, so the most pressing are on top.
    std::vector<size_t> shown;
    if (options.enterprises) shown = *options.enterprises;
    else
        for (size_t i = 0; i < content.enterprises.size(); ++i) shown.push_back(i);
    std::vector<std::pair<int, size_t>> order;  // class, enterprise index
    for (size_t i : shown) {
        const MapEnterprise& e = content.enterprises[i];
        if (!e.located) continue;
        const double x = t.page_x(e.x), y = t.page_y(e.y);
        if (!t.frame.contains(static_cast<float>(x), static_cast<float>(y))) continue;
        order.emplace_back(preset_symbol_class(options.preset, e), i);
    }
    result.not_drawn = static_cast<long long>(shown.size() - order.size());
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    // Relocation: a dashed line from each enterprise to its reserved parcel.
    for (const auto& [cls, i] : order) {
        const MapEnterprise& e = content.enterprises[i];
        auto c = reserved_centre.find(e.record.id);
        if (c == reserved_centre.end()) continue;
        const double dash[] = {3, 2};
        cairo_set_dash(cr, dash, 2, 0);
        set_colour(cr, rgb(0x1E5AE6));
        cairo_set_line_width(cr, 0.9);
        cairo_move_to(cr, t.page_x(e.x), t.page_y(e.y));
        cairo_line_to(cr, c->second.first, c->second.second);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    std::vector<PixelRect> obstacles = options.obstacles;
    for (const auto& [cls, i] : order) {
        const MapEnterprise& e = content.enterprises[i];
        const double x = t.page_x(e.x), y = t.page_y(e.y);
        const double r = classes[static_cast<size_t>(cls)].radius * options.symbol_scale;
        circle_symbol(cr, x, y, r, classes[static_cast<size_t>(cls)].colour);
        result.class_counts[static_cast<size_t>(cls)]++;
        result.symbols.push_back({e.record.id, {x, y}});
        obstacles.push_back({static_cast<float>(x - r), static_cast<float>(y - r), static_cast<float>(x + r),
                             static_cast<float>(y + r)});
    }
    cairo_restore(cr);

    if (!options.labels) return result;
    // Labels: grids and villages first (in the grid map the grids), then enterprises, most pressing first.
    TextStyle area_style{options.preset == MapPreset::grid ? 7.5 : 9.5, true, rgb(0x404040),
                         TextStyle::Align::left, 1.4};
    TextStyle grid_people_style{6, false, rgb(0x303030), TextStyle::Align::left, 1.2};
    TextStyle name_style{6, false, rgb(0x1A1A1A), TextStyle::Align::left, 1.1};
    std::vector<LabelCandidate> candidates;
    std::vector<std::string> texts;
    const std::string area_role = options.preset == MapPreset::grid ? "grid" : "village";
    for (size_t ai = 0; ai < content.areas.size(); ++ai) {
        const AreaLabel& a = content.areas[ai];
        if (a.role != area_role) continue;
        const double x = t.page_x(a.x), y = t.page_y(a.y);
        if (!t.frame.contains(static_cast<float>(x), static_cast<float>(y))) continue;
        std::string text = a.name;
        if (area_role == "grid")
            if (auto p = content.grid_people.find({a.layer, a.fid}); p != content.grid_people.end())
                text += "\n" + p->second;
        const PixelRect size = canvas.measure(text, area_role == "grid" ? area_style : area_style, 0);
        const float w = size.width(), h = size.height();
        const auto fx = static_cast<float>(x), fy = static_cast<float>(y);
        candidates.push_back({text, LabelKind::village, static_cast<long long>(ai),
                              {centred_box(fx, fy, w, h), centred_box(fx, fy - h, w, h), centred_box(fx, fy + h, w, h),
                               centred_box(fx - w / 2, fy, w, h), centred_box(fx + w / 2, fy, w, h),
                               centred_box(fx, fy - 2 * h, w, h), centred_box(fx, fy + 2 * h, w, h)},
                              false});
    }
    const size_t area_count = candidates.size();
    std::vector<std::pair<int, size_t>> label_order = order;
    std::stable_sort(label_order.begin(), label_order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [cls, i] : label_order) {
        if (options.preset == MapPreset::relocation && cls == 2) continue;  // only the relocating ones
        const MapEnterprise& e = content.enterprises[i];
        const PixelRect size = canvas.measure(e.record.name, name_style, 0);
        const double r = classes[static_cast<size_t>(cls)].radius * options.symbol_scale;
        candidates.push_back({e.record.name, LabelKind::enterprise, e.record.id,
                              positions_around_point(static_cast<float>(t.page_x(e.x)), static_cast<float>(t.page_y(e.y)),
                                                     static_cast<float>(r), size.width(), size.height()),
                              false});
    }
    PixelRect bounds = t.frame;
    bounds.x0 += 1;
    bounds.y0 += 1;
    bounds.x1 -= 1;
    bounds.y1 -= 1;
    // Area names first, beside the symbols if they can be; those that cannot may cover symbols
    // (a map without its village names is worse). Then the enterprises around everything placed.
    std::vector<LabelCandidate> areas(candidates.begin(), candidates.begin() + static_cast<long>(area_count));
    std::vector<LabelCandidate> names(candidates.begin() + static_cast<long>(area_count), candidates.end());
    result.labels = place_labels(areas, bounds, obstacles);
    std::vector<LabelCandidate> rest;
    for (const LabelCandidate& c : areas)
        if (std::none_of(result.labels.begin(), result.labels.end(),
                         [&](const PlacedLabel& p) { return p.kind == c.kind && p.id == c.id; })) {
            rest.push_back(c);
            rest.back().over_obstacles = true;
        }
    std::vector<PixelRect> taken;
    for (const PlacedLabel& p : result.labels) taken.push_back(p.rect);
    for (const PlacedLabel& p : place_labels(rest, bounds, taken)) result.labels.push_back(p);
    for (const PlacedLabel& p : result.labels) obstacles.push_back(p.rect);
    for (const PlacedLabel& p : place_labels(names, bounds, obstacles)) result.labels.push_back(p);
    for (const PlacedLabel& l : result.labels) {
        const bool area = l.kind == LabelKind::village;
        if (area && area_role == "grid") {
            // Grid name bold, its people below in the regular face, centred as measured.
            const auto nl = l.text.find('\n');
            const std::string name = l.text.substr(0, nl);
            TextStyle s = area_style;
            s.align = TextStyle::Align::centre;
            const PixelRect r = canvas.text((l.rect.x0 + l.rect.x1) / 2, l.rect.y0, name, s);
            if (nl != std::string::npos) {
                TextStyle p = grid_people_style;
                p.align = TextStyle::Align::centre;
                canvas.text((l.rect.x0 + l.rect.x1) / 2, r.y1, l.text.substr(nl + 1), p);
            }
            continue;
        }
        canvas.text(l.rect.x0, l.rect.y0, l.text, area ? area_style : name_style);
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// Furniture

PixelRect draw_scale_bar(PageCanvas& canvas, const FrameTransform& t, double metres_per_unit, double x, double y,
                         double max_width) {
    cairo_t* cr = canvas.cr();
    const double metres_per_pt = metres_per_unit / t.scale;
    const double total = round_down_nice(max_width * metres_per_pt);
    const double lead = total / std::pow(10.0, std::floor(std::log10(total)));
    const int segments = lead < 1.5 ? 5 : lead < 3 ? 4 : 5;
    const double width = total / metres_per_pt;
    const bool km = total >= 1000;
    auto value_text = [&](double metres) {
        char buf[32];
        const double v = km ? metres / 1000 : metres;
        if (std::abs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
        else std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    const double bar_h = 3.2;
    const double top = y - bar_h;
    TextStyle scale_text{7, false, rgb(0x202020), TextStyle::Align::left, 0};
    char ratio[64];
    std::string n = std::to_string(t.scale_denominator);
    for (int i = static_cast<int>(n.size()) - 3; i > 0; i -= 3) n.insert(static_cast<size_t>(i), ",");
    std::snprintf(ratio, sizeof ratio, "比例尺 1:%s", n.c_str());
    const PixelRect ratio_box = canvas.measure(ratio, scale_text);
    const double label_h = 7.5;
    const double ratio_top = top - label_h - ratio_box.height() - 1;
    canvas.text(x, ratio_top, ratio, scale_text);
    cairo_set_line_width(cr, 0.5);
    for (int i = 0; i < segments; ++i) {
        const double sx = x + width * i / segments;
        cairo_rectangle(cr, sx, top, width / segments, bar_h);
        if (i % 2 == 0) cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        else cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_stroke(cr);
    }
    TextStyle tick_text{6, false, rgb(0x202020), TextStyle::Align::centre, 0};
    const double label_top = top - label_h;
    double right = x + width;
    for (int i = 0; i <= segments; ++i) {
        if (segments == 5 && (i == 1 || i == 3)) continue;  // 0, 2/5, 4/5 and the end: room for the digits
        if (segments == 4 && (i == 1 || i == 3)) continue;
        const double v = total * i / segments;
        std::string text = value_text(v);
        if (i == segments) text += km ? " 千米" : " 米";
        TextStyle s = tick_text;
        double tx = x + width * i / segments;
        if (i == segments) {
            // The unit after the last number: anchor its number on the tick.
            const PixelRect num = canvas.measure(value_text(v), tick_text);
            s.align = TextStyle::Align::left;
            tx -= num.width() / 2;
            right = std::max(right, tx + canvas.measure(text, s).width());
        }
        canvas.text(tx, label_top, text, s);
    }
    return {static_cast<float>(x - 2), static_cast<float>(ratio_top - 1), static_cast<float>(std::max(right, x + ratio_box.width()) + 2),
            static_cast<float>(y + 1)};
}

PixelRect draw_north_arrow(PageCanvas& canvas, double cx, double top, double height) {
    cairo_t* cr = canvas.cr();
    TextStyle n{height * 0.32, true, rgb(0x202020), TextStyle::Align::centre, 0};
    const PixelRect label = canvas.text(cx, top, "N", n);
    const double tip = label.y1 + 0.5, base = top + height, w = height * 0.22;
    const double notch = base - height * 0.18;
    cairo_new_path(cr);
    cairo_move_to(cr, cx, tip);
    cairo_line_to(cr, cx - w, base);
    cairo_line_to(cr, cx, notch);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.12, 0.12, 0.12);
    cairo_fill(cr);
    cairo_move_to(cr, cx, tip);
    cairo_line_to(cr, cx + w, base);
    cairo_line_to(cr, cx, notch);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.12, 0.12, 0.12);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    return {static_cast<float>(cx - w - 1), static_cast<float>(top), static_cast<float>(cx + w + 1),
            static_cast<float>(base + 1)};
}

void draw_coordinate_ticks(PageCanvas& canvas, const FrameTransform& t) {
    cairo_t* cr = canvas.cr();
    const double tick = mm(1.3);
    TextStyle s{5.5, false, rgb(0x303030), TextStyle::Align::centre, 0};
    auto step_for = [&](double span) { return round_down_nice(span / 4.5); };
    auto label = [&](double v, double step) {
        char buf[32];
        if (step >= 1) std::snprintf(buf, sizeof buf, "%.0f", v);
        else std::snprintf(buf, sizeof buf, "%.*f", std::max(1, static_cast<int>(-std::floor(std::log10(step)))), v);
        return std::string(buf);
    };
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_set_line_width(cr, 0.5);
    const double sx = step_for(t.world.width());
    for (double x = std::ceil(t.world.minx / sx) * sx; x <= t.world.maxx; x += sx) {
        const double px = t.page_x(x);
        if (px < t.frame.x0 + 8 || px > t.frame.x1 - 8) continue;
        cairo_move_to(cr, px, t.frame.y0);
        cairo_line_to(cr, px, t.frame.y0 - tick);
        cairo_move_to(cr, px, t.frame.y1);
        cairo_line_to(cr, px, t.frame.y1 + tick);
        cairo_stroke(cr);
        const std::string text = label(x, sx);
        const PixelRect m = canvas.measure(text, s);
        canvas.text(px, t.frame.y0 - tick - m.height(), text, s);
        canvas.text(px, t.frame.y1 + tick, text, s);
    }
    const double sy = step_for(t.world.height());
    for (double y = std::ceil(t.world.miny / sy) * sy; y <= t.world.maxy; y += sy) {
        const double py = t.page_y(y);
        if (py < t.frame.y0 + 8 || py > t.frame.y1 - 8) continue;
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_move_to(cr, t.frame.x0, py);
        cairo_line_to(cr, t.frame.x0 - tick, py);
        cairo_move_to(cr, t.frame.x1, py);
        cairo_line_to(cr, t.frame.x1 + tick, py);
        cairo_stroke(cr);
        const std::string text = label(y, sy);
        const PixelRect m = canvas.measure(text, s);
        // Read from the right-hand side, as on topographic sheets: rotated a quarter turn.
        cairo_save(cr);
        cairo_translate(cr, t.frame.x0 - tick - m.height(), py);
        cairo_rotate(cr, -3.14159265358979323846 / 2);
        canvas.text(0, 0, text, s);
        cairo_restore(cr);
        cairo_save(cr);
        cairo_translate(cr, t.frame.x1 + tick, py);
        cairo_rotate(cr, -3.14159265358979323846 / 2);
        canvas.text(0, 0, text, s);
        cairo_restore(cr);
    }
}

void draw_overview_inset(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                         const PixelRect& box, const WorldBox& current) {
    cairo_t* cr = canvas.cr();
    fill_rect(cr, box, rgb(0xFFFFFF));
    WorldBox all = content.home();
    all.add(current);
    PixelRect inner{box.x0 + 3, box.y0 + 3, box.x1 - 3, box.y1 - 3};
    FrameTransform t;
    t.frame = inner;
    const double s = std::min(inner.width() / std::max(all.width(), 1e-9), inner.height() / std::max(all.height(), 1e-9));
    t.scale = s;
    const double cx = (all.minx + all.maxx) / 2, cy = (all.miny + all.maxy) / 2;
    t.world = {cx - inner.width() / s / 2, cy - inner.height() / s / 2, cx + inner.width() / s / 2,
               cy + inner.height() / s / 2, true};
    cairo_save(cr);
    cairo_rectangle(cr, box.x0, box.y0, box.width(), box.height());
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    bool outlines = false;
    for (const char* role : {"jurisdiction", "village"})
        for (const LayerInfo& l : store.layers_with_role(role))
            store.for_each_geometry(l, [&](long long, const unsigned char* wkb, size_t size) {
                outlines = true;
                cairo_new_path(cr);
                wkb_to_path(cr, wkb, size, t, 0.3);
                if (std::string(role) == "jurisdiction") {
                    set_colour(cr, rgb(0xECE8DE));
                    cairo_fill_preserve(cr);
                    set_colour(cr, rgb(0x404040));
                    cairo_set_line_width(cr, 0.8);
                } else {
                    set_colour(cr, rgb(0x808080));
                    cairo_set_line_width(cr, 0.3);
                }
                cairo_stroke(cr);
            });
    if (!outlines && content.everything.valid) {
        // No jurisdiction or village layer: the extent of the data stands for it.
        const WorldBox& e = content.everything;
        cairo_rectangle(cr, t.page_x(e.minx), t.page_y(e.maxy), (e.maxx - e.minx) * t.scale, (e.maxy - e.miny) * t.scale);
        set_colour(cr, rgb(0xECE8DE));
        cairo_fill_preserve(cr);
        set_colour(cr, rgb(0x404040));
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    }
    const double x0 = t.page_x(current.minx), x1 = t.page_x(current.maxx);
    const double y0 = t.page_y(current.maxy), y1 = t.page_y(current.miny);
    cairo_rectangle(cr, x0, y0, std::max(1.5, x1 - x0), std::max(1.5, y1 - y0));
    set_colour(cr, rgb(0xE02020));
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
    cairo_restore(cr);
    stroke_rect(cr, box, rgb(0x404040), 0.6);
}

double draw_legend(PageCanvas& canvas, const MapContent& content, MapPreset preset, const FrameResult& drawn,
                   const PixelRect& box, std::vector<std::string>& entries, bool wide) {
    cairo_t* cr = canvas.cr();
    double y = box.y0;
    double x = box.x0;
    double w = wide ? box.width() * 0.28 : box.width();
    TextStyle title{10.5, true, rgb(0x202020), TextStyle::Align::centre, 0};
    TextStyle head{7.5, true, rgb(0x303030), TextStyle::Align::left, 0};
    TextStyle item{7, false, rgb(0x202020), TextStyle::Align::left, 0};
    TextStyle small{6, false, rgb(0x202020), TextStyle::Align::left, 0};
    y = canvas.text(wide ? box.x0 + box.width() / 2 : x + w / 2, y, "图  例", title).y1 + 3;
    const double columns_top = y;
    auto fits = [&](double h) { return y + h <= box.y1; };

    const auto classes = preset_symbol_classes(preset);
    const std::string class_head = preset == MapPreset::progress ? "企业（整治状态，截至 " + content.as_of + "）"
                                   : preset == MapPreset::relocation ? "企业（限期搬迁）"
                                                                    : "企业（按处置类别）";
    y = canvas.text(x, y, class_head, head).y1 + 1.5;
    long long total = 0;
    for (size_t i = 0; i < classes.size(); ++i) {
        const std::string text = classes[i].label + "  " + std::to_string(drawn.class_counts[i]) + " 家";
        total += drawn.class_counts[i];
        const PixelRect m = canvas.measure(text, item, w - 14);
        if (!fits(m.height())) return y - box.y0;
        circle_symbol(cr, x + 5, y + m.height() / 2, classes[i].radius * 1.1, classes[i].colour);
        canvas.text(x + 12, y, text, item, w - 14);
        entries.push_back(text);
        y += m.height() + 1.2;
    }
    {
        const std::string text = "合计 " + std::to_string(total) + " 家";
        if (fits(10)) {
            y = canvas.text(x + 12, y, text, item).y1 + 1.2;
            entries.push_back(text);
        }
        if (drawn.not_drawn > 0 && fits(10)) {
            const std::string note = "另有 " + std::to_string(drawn.not_drawn) + " 家无坐标或在图幅外";
            y = canvas.text(x + 12, y, note, small, w - 14).y1 + 1.2;
            entries.push_back(note);
        }
    }
    y += 2.5;
    double used = y - box.y0;
    if (wide) {  // three columns: classes, layers, land classes
        x = box.x0 + box.width() * 0.30;
        w = box.width() * 0.28;
        y = columns_top;
    }

    // Layers drawn (not the land-class layers: their groups follow).
    std::set<std::string> roles_done;
    bool head_done = false;
    for (const MapLayerToDraw& l : content.layers) {
        const std::string& role = l.info.role;
        if (role == "landuse" || role == "planning" || !drawn.roles_drawn.count(role) || roles_done.count(role)) continue;
        roles_done.insert(role);
        std::string label = is_known_role(role) ? role_label_zh(role) : l.info.name;
        if (!head_done) {
            if (!fits(12)) break;
            y = canvas.text(x, y, "图层", head).y1 + 1.5;
            head_done = true;
        }
        const PixelRect m = canvas.measure(label, item, w - 14);
        if (!fits(m.height())) break;
        const double cy = y + m.height() / 2;
        if (role == "sensitive") {
            set_colour(cr, l.style.point_colour);
            cairo_rectangle(cr, x + 3, cy - 2, 4, 4);
            cairo_fill(cr);
        } else {
            cairo_rectangle(cr, x + 1, cy - 2.6, 8, 5.2);
            if (preset == MapPreset::grid && role == "grid") set_colour(cr, kGridFills[0]);
            else if (preset == MapPreset::relocation && role == "park_parcel") set_colour(cr, rgb(0xE6DAF2));
            else if (l.style.fill) set_colour(cr, l.style.fill_colour);
            else cairo_set_source_rgba(cr, 1, 1, 1, 0);
            cairo_fill_preserve(cr);
            hatch_preserve(cr, l.style.hatch, l.style.hatch_colour, 2.0, 0.5);
            set_colour(cr, l.style.outline);
            cairo_set_line_width(cr, std::max(0.4, l.style.outline_px * kPxToPt));
            cairo_stroke(cr);
        }
        canvas.text(x + 12, y, label, item, w - 14);
        entries.push_back(label);
        y += m.height() + 1.2;
    }
    if (preset == MapPreset::relocation && fits(10)) {
        const std::string label = "已预留搬迁用地";
        const double cy = y + 4;
        cairo_rectangle(cr, x + 1, cy - 2.6, 8, 5.2);
        set_colour(cr, rgb(0x1E5AE6, 120));
        cairo_fill(cr);
        y = canvas.text(x + 12, y, label, item).y1 + 1.2;
        entries.push_back(label);
    }
    if (preset == MapPreset::relocation && drawn.candidate_sites_drawn > 0 && fits(10)) {
        const std::string label = "候选搬迁地块（未预留）  " + std::to_string(drawn.candidate_sites_drawn) + " 块";
        const double cy = y + 4;
        cairo_rectangle(cr, x + 1, cy - 2.6, 8, 5.2);
        set_colour(cr, kCandidateSiteFill);
        cairo_fill_preserve(cr);
        const double dash[] = {2.5, 1.5};
        cairo_set_dash(cr, dash, 2, 0);
        set_colour(cr, kCandidateSiteOutline);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        y = canvas.text(x + 12, y, label, item, w - 14).y1 + 1.2;
        entries.push_back(label);
    }
    y += 2.5;
    used = std::max(used, y - box.y0);
    if (wide) {
        x = box.x0 + box.width() * 0.60;
        w = box.width() * 0.40;
        y = columns_top;
    }

    // Land-class groups present, two columns.
    std::map<std::string, std::vector<LandClassGroup>> by_system;
    for (const auto& [key, g] : drawn.land_groups) by_system[key.substr(0, key.find(':'))].push_back(g);
    for (auto& [system, groups] : by_system) {
        if (!fits(12)) return y - box.y0;
        const std::string h = system == "sandiao" ? "地类（三调）" : system == "yongdi" ? "用地（用地用海）" : "地类";
        y = canvas.text(x, y, h, head).y1 + 1.5;
        const double col_w = w / 2;
        for (size_t i = 0; i < groups.size(); i += 2) {
            double row_h = 0;
            for (size_t k = 0; k < 2 && i + k < groups.size(); ++k)
                row_h = std::max(row_h, static_cast<double>(canvas.measure(groups[i + k].name, small, col_w - 10).height()));
            if (!fits(row_h)) return y - box.y0;
            for (size_t k = 0; k < 2 && i + k < groups.size(); ++k) {
                const double cx = x + k * col_w;
                cairo_rectangle(cr, cx + 1, y + 1, 6, 4);
                set_colour(cr, groups[i + k].colour);
                cairo_fill_preserve(cr);
                cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
                cairo_set_line_width(cr, 0.3);
                cairo_stroke(cr);
                canvas.text(cx + 9, y, groups[i + k].name, small, col_w - 10);
                entries.push_back(groups[i + k].name);
            }
            y += row_h + 1;
        }
    }
    return std::max(used, y - box.y0);
}

size_t draw_table(PageCanvas& canvas, const PixelRect& box, const std::vector<TableColumn>& columns,
                  const std::vector<std::vector<std::string>>& rows, size_t first, double font_size, double* bottom) {
    cairo_t* cr = canvas.cr();
    TextStyle head{font_size, true, rgb(0x202020), TextStyle::Align::left, 0};
    TextStyle cell{font_size, false, rgb(0x202020), TextStyle::Align::left, 0};
    const double pad = 1.8;
    auto row_height = [&](const std::vector<std::string>& texts, const TextStyle& s) {
        double h = 0;
        for (size_t c = 0; c < columns.size(); ++c)
            h = std::max(h, static_cast<double>(
                                canvas.measure(c < texts.size() ? texts[c] : "", s, columns[c].width - 2 * pad).height()));
        return h + 2 * pad;
    };
    auto draw_row = [&](double y, const std::vector<std::string>& texts, const TextStyle& s, double h,
                        std::optional<Rgba> background) {
        double x = box.x0;
        if (background) fill_rect(cr, {box.x0, static_cast<float>(y), box.x0 + static_cast<float>(
                                           [&] { double w = 0; for (auto& c : columns) w += c.width; return w; }()),
                                       static_cast<float>(y + h)},
                                  *background);
        for (size_t c = 0; c < columns.size(); ++c) {
            TextStyle cs = s;
            cs.align = columns[c].align;
            canvas.text(x + pad, y + pad, c < texts.size() ? texts[c] : "", cs, columns[c].width - 2 * pad);
            cairo_rectangle(cr, x, y, columns[c].width, h);
            cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
            cairo_set_line_width(cr, 0.4);
            cairo_stroke(cr);
            x += columns[c].width;
        }
    };
    std::vector<std::string> headers;
    for (const auto& c : columns) headers.push_back(c.header);
    double y = box.y0;
    const double hh = row_height(headers, head);
    draw_row(y, headers, head, hh, rgb(0xE4E8EE));
    y += hh;
    size_t i = first;
    for (; i < rows.size(); ++i) {
        const double h = row_height(rows[i], cell);
        if (y + h > box.y1) break;
        draw_row(y, rows[i], cell, h, (i % 2) ? std::optional<Rgba>(rgb(0xF6F6F6)) : std::nullopt);
        y += h;
    }
    if (bottom) *bottom = y;
    return i;
}

} // namespace qingling
