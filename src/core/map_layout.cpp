#include "core/map_layout.hpp"

#include "core/errors.hpp"
#include "core/geos_handles.hpp"
#include "core/grid_areas.hpp"
#include "core/resources.hpp"

#include <cairo.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace qingling {

std::optional<AtlasBy> parse_atlas_by(const std::string& text) {
    if (text == "village" || text == "村") return AtlasBy::village;
    if (text == "grid" || text == "网格") return AtlasBy::grid;
    return std::nullopt;
}

std::string today_date() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string default_unit(const ProjectSettings& settings) {
    return (settings.jurisdiction.empty() ? settings.name : settings.jurisdiction) + "国土所";
}

double draw_title_block(PageCanvas& canvas, const std::string& title, const std::string& subtitle, double top) {
    const PageSize page = canvas.size();
    const bool a3 = std::max(page.width, page.height) > mm(400);
    const double width = page.width - mm(30);
    TextStyle t{a3 ? 26.0 : 19.0, true, rgb(0x1A1A1A), TextStyle::Align::centre, 0};
    TextStyle s{a3 ? 12.5 : 10.0, false, rgb(0x404040), TextStyle::Align::centre, 0};
    double y = canvas.text(mm(15), top, title, t, width).y1;
    if (!subtitle.empty()) y = canvas.text(mm(15), y + 2, subtitle, s, width).y1;
    return y;
}

double draw_notes_block(PageCanvas& canvas, const MapContent& content, const std::string& unit, const std::string& date,
                        const PixelRect& box) {
    TextStyle s{6.5, false, rgb(0x303030), TextStyle::Align::left, 0};
    const std::string text = content.crs_note + "\n数据日期：" + content.data_date + "\n制图单位：" + unit +
                             "\n制图日期：" + date;
    const PixelRect m = canvas.measure(text, s, box.width());
    canvas.text(box.x0, box.y1 - m.height(), text, s, box.width());
    return m.height();
}

namespace {

struct Area {
    std::string name;
    std::vector<unsigned char> wkb;
    WorldBox box;
    std::vector<size_t> enterprises;  // indices into content.enterprises
};

std::vector<Area> atlas_areas(const ProjectStore& store, const MapContent& content, AtlasBy by) {
    GeosContext geos;
    const bool grid = by == AtlasBy::grid;
    AreaSet set(geos, store, grid ? "grid" : "village", grid ? kGridNameFields : kVillageNameFields);
    if (set.empty())
        throw UsageError(std::string("no ") + (grid ? "grid layer (role grid, 网格)" : "village layer (role village, 村级调查区)") +
                         " with polygons in " + store.path().string() + ": import one for --atlas " +
                         (grid ? "grid" : "village"));
    std::vector<Area> areas(set.size());
    GEOSContextHandle_t h = geos.get();
    GeosWkbWriterPtr writer(GEOSWKBWriter_create_r(h), GeosWkbWriterDeleter{h});
    for (size_t i = 0; i < set.size(); ++i) {
        Area& a = areas[i];
        a.name = set.ref(i).label();
        size_t size = 0;
        std::unique_ptr<unsigned char, GeosBufferDeleter> buf(GEOSWKBWriter_write_r(h, writer.get(), set.stored(i), &size),
                                                              GeosBufferDeleter{h});
        if (buf) a.wkb.assign(buf.get(), buf.get() + size);
        double v[4];
        if (GEOSGeom_getXMin_r(h, set.stored(i), &v[0]) && GEOSGeom_getYMin_r(h, set.stored(i), &v[1]) &&
            GEOSGeom_getXMax_r(h, set.stored(i), &v[2]) && GEOSGeom_getYMax_r(h, set.stored(i), &v[3])) {
            a.box.add(v[0], v[1]);
            a.box.add(v[2], v[3]);
        }
    }
    const auto assignments = store.enterprise_grids();
    for (size_t ei = 0; ei < content.enterprises.size(); ++ei) {
        const MapEnterprise& e = content.enterprises[ei];
        std::optional<size_t> area;
        if (grid)
            if (auto it = assignments.find(e.record.id); it != assignments.end())
                area = set.find(it->second.grid_layer, it->second.grid_fid);
        if (!area && e.located) {
            GeosGeometryPtr pt(GEOSGeom_createPointFromXY_r(h, e.x, e.y), GeosGeometryDeleter{h});
            const auto hits = set.intersecting(pt.get());
            if (!hits.empty()) area = hits.front();
        }
        if (!area && !grid && !e.record.village.empty()) {
            const auto named = set.find_by_name(e.record.village);
            if (!named.empty()) area = named.front();
        }
        if (area) areas[*area].enterprises.push_back(ei);
    }
    if (!grid)
        std::stable_sort(areas.begin(), areas.end(), [](const Area& a, const Area& b) { return a.name < b.name; });
    return areas;
}

std::string category_text(const MapEnterprise& e) {
    std::string t = mark_label_zh(e.mark.mark);
    if (e.mark.review) t += "（需复核）";
    return t;
}

std::vector<std::vector<std::string>> atlas_rows(const MapContent& content, const std::vector<size_t>& enterprises) {
    std::vector<std::vector<std::string>> rows;
    long long n = 0;
    for (size_t i : enterprises) {
        const MapEnterprise& e = content.enterprises[i];
        rows.push_back({std::to_string(++n), e.record.name, e.record.industry, category_text(e), e.progress.status,
                        e.progress.deadline, e.grid.empty() ? "—" : e.grid, e.responsible.empty() ? "—" : e.responsible});
    }
    return rows;
}

std::vector<TableColumn> atlas_columns(double width) {
    const std::pair<const char*, double> spec[] = {{"序号", 0.05},     {"企业名称", 0.27}, {"行业", 0.11},
                                                   {"处置类别", 0.11}, {"整治状态", 0.09}, {"完成期限", 0.10},
                                                   {"网格", 0.13},     {"责任人", 0.14}};
    std::vector<TableColumn> cols;
    for (const auto& [h, f] : spec) cols.push_back({h, width * f, TextStyle::Align::left});
    cols[0].align = TextStyle::Align::centre;
    return cols;
}

struct PageGeometry {
    PixelRect frame;     // the map frame
    PixelRect side;      // legend, inset, notes
    PixelRect table;     // atlas: below the map
};

PageGeometry page_geometry(PageSize page, double body_top, bool atlas) {
    const double margin = mm(10);
    const bool a3 = std::max(page.width, page.height) > mm(400);
    const double ticks = mm(5);
    const double body_bottom = page.height - margin;
    PageGeometry g;
    if (!page.landscape() && !atlas) {
        // Portrait map: the frame over the whole width, legend, inset and notes in a band below.
        const double band = mm(a3 ? 82 : 64);
        g.frame = {static_cast<float>(margin + ticks), static_cast<float>(body_top + ticks),
                   static_cast<float>(page.width - margin - ticks), static_cast<float>(body_bottom - band - mm(4) - ticks)};
        g.side = {static_cast<float>(margin), static_cast<float>(body_bottom - band), static_cast<float>(page.width - margin),
                  static_cast<float>(body_bottom)};
        return g;
    }
    const double side_w = page.landscape() ? mm(a3 ? 82 : 64) : mm(a3 ? 72 : 54);
    const double map_bottom = atlas ? body_top + (body_bottom - body_top) * (page.landscape() ? 0.60 : 0.64) : body_bottom;
    g.frame = {static_cast<float>(margin + ticks), static_cast<float>(body_top + ticks),
               static_cast<float>(page.width - margin - side_w - mm(4) - ticks), static_cast<float>(map_bottom - ticks)};
    g.side = {static_cast<float>(page.width - margin - side_w), static_cast<float>(body_top),
              static_cast<float>(page.width - margin), static_cast<float>(map_bottom)};
    g.table = {static_cast<float>(margin), static_cast<float>(map_bottom + mm(4)), static_cast<float>(page.width - margin),
               static_cast<float>(body_bottom)};
    return g;
}

// One map page: frame, furniture, side panel. Returns what went where.
MapPageInfo draw_map_page(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                          const MapExportOptions& options, const std::string& title, const std::string& subtitle,
                          const WorldBox& extent, const std::vector<size_t>* enterprises,
                          const std::vector<unsigned char>& focus, bool atlas, Progress& progress,
                          double margin = -1) {
    cairo_t* cr = canvas.cr();
    const PageSize page = canvas.size();
    const double body_top = draw_title_block(canvas, title, subtitle, mm(9)) + mm(3);
    const PageGeometry g = page_geometry(page, body_top, atlas);

    MapPageInfo info;
    info.title = title;
    info.transform = fit_frame(g.frame, extent, content.metres_per_unit, margin >= 0 ? margin : atlas ? 0.06 : 0.03);
    const FrameTransform& t = info.transform;

    // Furniture inside the frame: north arrow top-right, scale bar bottom-left, each on white.
    const double arrow_h = mm(12);
    const PixelRect arrow_box{static_cast<float>(t.frame.x1 - mm(13)), static_cast<float>(t.frame.y0 + mm(2)),
                              static_cast<float>(t.frame.x1 - mm(2)), static_cast<float>(t.frame.y0 + mm(3) + arrow_h)};
    const double bar_max = std::min(mm(45), t.frame.width() * 0.35);
    const PixelRect bar_box{static_cast<float>(t.frame.x0 + mm(2)), static_cast<float>(t.frame.y1 - mm(14)),
                            static_cast<float>(t.frame.x0 + mm(6) + bar_max + mm(10)), static_cast<float>(t.frame.y1 - mm(2))};

    FrameOptions fo;
    fo.preset = options.preset;
    fo.enterprises = enterprises;
    fo.focus_wkb = focus;
    fo.obstacles = {arrow_box, bar_box};
    fo.symbol_scale = std::max(page.width, page.height) > mm(400) ? 1.25 : 1.0;
    const FrameResult drawn = draw_map_frame(canvas, store, content, t, fo, progress);
    for (const auto& s : drawn.symbols) info.symbols.push_back(s);

    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, arrow_box.x0, arrow_box.y0, arrow_box.width(), arrow_box.height());
    cairo_fill(cr);
    draw_north_arrow(canvas, (arrow_box.x0 + arrow_box.x1) / 2, arrow_box.y0 + mm(0.8), arrow_h - mm(0.5));
    // The scale bar on a white box as wide as it turned out.
    cairo_push_group(cr);
    const PixelRect bar = draw_scale_bar(canvas, t, content.metres_per_unit, bar_box.x0 + mm(3), bar_box.y1 - mm(2.5), bar_max);
    cairo_pattern_t* bar_pattern = cairo_pop_group(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, bar.x0 - mm(1.5), bar.y0 - mm(1), bar.width() + mm(3), bar.height() + mm(2));
    cairo_fill(cr);
    cairo_set_source(cr, bar_pattern);
    cairo_paint(cr);
    cairo_pattern_destroy(bar_pattern);

    // Neat lines: the frame and a thin outer line beyond the tick labels.
    stroke_rect(cr, t.frame, rgb(0x202020), 0.9);
    draw_coordinate_ticks(canvas, t);
    const PixelRect outer{static_cast<float>(t.frame.x0 - mm(5)), static_cast<float>(t.frame.y0 - mm(5)),
                          static_cast<float>(t.frame.x1 + mm(5)), static_cast<float>(t.frame.y1 + mm(5))};
    stroke_rect(cr, outer, rgb(0x202020), 0.4);

    const std::string unit = options.unit.empty() ? default_unit(content.settings) : options.unit;
    const std::string date = options.date.empty() ? today_date() : options.date;
    TextStyle inset_title{7, true, rgb(0x303030), TextStyle::Align::left, 0};
    const PixelRect inset_label = canvas.measure("位置示意图", inset_title);
    const PixelRect side = g.side;
    if (side.width() > side.height()) {
        // A band below the map: legend on the left (two columns), inset and notes on the right.
        stroke_rect(cr, side, rgb(0x202020), 0.4);
        const PixelRect inner{side.x0 + static_cast<float>(mm(3)), side.y0 + static_cast<float>(mm(3)),
                              side.x1 - static_cast<float>(mm(3)), side.y1 - static_cast<float>(mm(3))};
        const float right_w = std::min(inner.width() * 0.34f, static_cast<float>(mm(62)));
        const PixelRect right{inner.x1 - right_w, inner.y0, inner.x1, inner.y1};
        const double notes_h = draw_notes_block(canvas, content, unit, date, right);
        const PixelRect inset{right.x0, static_cast<float>(right.y0 + inset_label.height() + 1), right.x1,
                              static_cast<float>(right.y1 - notes_h - mm(2))};
        canvas.text(right.x0, right.y0, "位置示意图", inset_title);
        if (inset.height() > mm(10)) draw_overview_inset(canvas, store, content, inset, t.world);
        const PixelRect legend_box{inner.x0, inner.y0, right.x0 - static_cast<float>(mm(5)), inner.y1};
        draw_legend(canvas, content, options.preset, drawn, legend_box, info.legend, true);
        return info;
    }
    // Side panel: notes at the bottom, the overview inset above them, the legend on top.
    stroke_rect(cr, {side.x0, static_cast<float>(outer.y0), side.x1, static_cast<float>(outer.y1)}, rgb(0x202020), 0.4);
    const PixelRect inner{side.x0 + static_cast<float>(mm(3)), static_cast<float>(outer.y0 + mm(3)),
                          side.x1 - static_cast<float>(mm(3)), static_cast<float>(outer.y1 - mm(3))};
    const double notes_h = draw_notes_block(canvas, content, unit, date, inner);
    const double inset_h = std::min(static_cast<double>(inner.width()) * 0.85, static_cast<double>(inner.height()) * 0.34);
    const double inset_bottom = inner.y1 - notes_h - mm(3);
    const PixelRect inset{inner.x0, static_cast<float>(inset_bottom - inset_h), inner.x1, static_cast<float>(inset_bottom)};
    canvas.text(inner.x0, inset.y0 - inset_label.height() - 1, "位置示意图", inset_title);
    draw_overview_inset(canvas, store, content, inset, t.world);
    const PixelRect legend_box{inner.x0, inner.y0, inner.x1, static_cast<float>(inset.y0 - inset_label.height() - mm(3))};
    draw_legend(canvas, content, options.preset, drawn, legend_box, info.legend);
    return info;
}

std::string default_title(const MapContent& c, MapPreset preset) {
    const std::string who = c.settings.jurisdiction.empty() ? c.settings.name : c.settings.jurisdiction;
    return who + "“散乱污”企业" + map_preset_label_zh(preset);
}

std::string default_subtitle(const MapContent& c) {
    if (!c.run) return "尚未进行规划符合性检查：企业按台账位置示出";
    return "依据 " + c.run->at.substr(0, 10) + " 规划符合性检查结果及甄别确认";
}

} // namespace

MapPageInfo draw_whole_map_page(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                                const MapExportOptions& options, const std::string& title, const std::string& subtitle,
                                Progress& progress) {
    MapPageInfo info =
        draw_map_page(canvas, store, content, options, title, subtitle, content.home(), nullptr, {}, false, progress);
    for (const auto& e : content.enterprises) info.enterprise_ids.push_back(e.record.id);
    return info;
}

std::optional<WorldBox> parse_world_box(const std::string& text) {
    double v[4];
    char tail = 0;
    if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4) return std::nullopt;
    for (double d : v)
        if (!std::isfinite(d)) return std::nullopt;
    if (!(v[0] < v[2] && v[1] < v[3])) return std::nullopt;
    WorldBox b;
    b.add(v[0], v[1]);
    b.add(v[2], v[3]);
    return b;
}

namespace {

// Only the named layers, in the order named (bottom first: the viewer's visible ones as it draws them).
void keep_layers(MapContent& content, const ProjectStore& store, const std::vector<std::string>& names) {
    std::string warning;
    const RoleStyles styles = RoleStyles::load_or_builtin(layers_dir() / "styles.toml", warning);
    const std::vector<LayerInfo> all = store.layers();
    for (const std::string& name : names)
        if (std::none_of(all.begin(), all.end(), [&](const LayerInfo& l) { return l.name == name; }))
            throw UsageError("no layer named '" + name + "' in " + store.path().string());
    content.layers.clear();
    for (const std::string& name : names)
        for (const LayerInfo& info : all)
            if (info.name == name &&
                std::none_of(content.layers.begin(), content.layers.end(), [&](const auto& l) { return l.info.name == name; }))
                content.layers.push_back({info, styles.style(info.role)});
}

MapContent content_for(const ProjectStore& store, const MapExportOptions& options, Progress& progress) {
    if (options.extent.valid && options.atlas != AtlasBy::none)
        throw UsageError("--extent shows one map: it cannot be combined with --atlas");
    MapContent content = read_map_content(store, options.as_of);
    if (options.layers) keep_layers(content, store, *options.layers);
    if (options.preset == MapPreset::relocation) {
        StageProgress sites(progress, 0.02, 0.1);
        read_relocation_candidates(content, store, sites);
    }
    return content;
}

// The single map page of `options`: the whole jurisdiction, or the extent asked for exactly.
MapPageInfo draw_single_map_page(PageCanvas& canvas, const ProjectStore& store, const MapContent& content,
                                 const MapExportOptions& options, const std::string& title, const std::string& subtitle,
                                 Progress& progress) {
    if (!options.extent.valid) return draw_whole_map_page(canvas, store, content, options, title, subtitle, progress);
    MapPageInfo info = draw_map_page(canvas, store, content, options, title, subtitle, options.extent, nullptr, {}, false,
                                     progress, 0.0);
    for (const auto& e : content.enterprises)
        if (e.located && info.transform.world.intersects(WorldBox{e.x, e.y, e.x, e.y, true}))
            info.enterprise_ids.push_back(e.record.id);
    return info;
}

} // namespace

MapPreview render_map_preview(const ProjectStore& store, const MapExportOptions& options, Progress& progress) {
    progress.report(0, "读取项目");
    MapExportOptions single = options;
    single.atlas = AtlasBy::none;
    const MapContent content = content_for(store, single, progress);
    PageCanvas canvas(PageCanvas::InMemory{}, page_size(options.page), options.dpi);
    const std::string title = options.title.empty() ? default_title(content, options.preset) : options.title;
    const std::string subtitle = options.subtitle.empty() ? default_subtitle(content) : options.subtitle;
    MapPreview preview;
    preview.page = draw_single_map_page(canvas, store, content, single, title, subtitle, progress);
    canvas.finish();
    preview.image = canvas.image();
    progress.report(1, "完成");
    return preview;
}

MapExportReport export_map(const ProjectStore& store, const MapExportOptions& options, Progress& progress) {
    progress.report(0, "读取项目");
    const MapContent content = content_for(store, options, progress);
    MapExportReport report;
    report.page_size = page_size(options.page);
    report.dpi = options.dpi;
    PageCanvas canvas(options.out, report.page_size, options.dpi);
    const std::string title = options.title.empty() ? default_title(content, options.preset) : options.title;
    const std::string subtitle = options.subtitle.empty() ? default_subtitle(content) : options.subtitle;

    if (options.atlas == AtlasBy::none) {
        report.pages.push_back(draw_single_map_page(canvas, store, content, options, title, subtitle, progress));
    } else {
        const std::vector<Area> areas = atlas_areas(store, content, options.atlas);
        const char* kind = options.atlas == AtlasBy::grid ? "网格" : "村（社区）";
        bool first_page = true;
        for (size_t ai = 0; ai < areas.size(); ++ai) {
            const Area& a = areas[ai];
            if (progress.cancelled()) throw CancelledError();
            if (!first_page) canvas.next_page();
            first_page = false;
            const std::string page_title = a.name + "“散乱污”企业" + map_preset_label_zh(options.preset);
            const std::string page_subtitle = (content.settings.jurisdiction.empty() ? content.settings.name
                                                                                      : content.settings.jurisdiction) +
                                              " · " + kind + "图集 第 " + std::to_string(ai + 1) + "/" +
                                              std::to_string(areas.size()) + " 幅 · 本" +
                                              (options.atlas == AtlasBy::grid ? "网格" : "村") + "登记企业 " +
                                              std::to_string(a.enterprises.size()) + " 家";
            WorldBox extent = a.box;
            for (size_t i : a.enterprises)
                if (content.enterprises[i].located) extent.add(content.enterprises[i].x, content.enterprises[i].y);
            MapPageInfo info = draw_map_page(canvas, store, content, options, page_title, page_subtitle, extent,
                                             &a.enterprises, a.wkb, true, progress);
            info.area = a.name;
            for (size_t i : a.enterprises) info.enterprise_ids.push_back(content.enterprises[i].record.id);

            // The table of the page's enterprises, continued on further pages when long.
            const auto rows = atlas_rows(content, a.enterprises);
            const PageGeometry g = page_geometry(canvas.size(), 0, true);
            PixelRect table{g.table.x0, static_cast<float>(info.transform.frame.y1 + mm(9)), g.table.x1, g.table.y1};
            const auto columns = atlas_columns(table.width());
            report.pages.push_back(info);
            if (rows.empty()) {
                canvas.text(table.x0, table.y0, "本" + std::string(options.atlas == AtlasBy::grid ? "网格" : "村") +
                                                    "无登记企业。",
                            TextStyle{9, false, rgb(0x404040), TextStyle::Align::left, 0});
                continue;
            }
            size_t next = draw_table(canvas, table, columns, rows, 0);
            while (next < rows.size()) {
                canvas.next_page();
                const double top = draw_title_block(canvas, page_title + "（续表）", page_subtitle, mm(9)) + mm(5);
                PixelRect rest{table.x0, static_cast<float>(top), table.x1, static_cast<float>(canvas.size().height - mm(10))};
                const size_t before = next;
                next = draw_table(canvas, rest, columns, rows, next);
                MapPageInfo cont;
                cont.title = page_title + "（续表）";
                cont.area = a.name;
                cont.continuation = true;
                for (size_t r = before; r < next; ++r) cont.enterprise_ids.push_back(content.enterprises[a.enterprises[r]].record.id);
                report.pages.push_back(cont);
                if (next == before) break;  // a single row taller than a page: give up rather than loop
            }
            progress.report(static_cast<double>(ai + 1) / static_cast<double>(areas.size()), "图集");
        }
    }
    report.files = canvas.finish();
    progress.report(1, "完成");
    return report;
}

} // namespace qingling
