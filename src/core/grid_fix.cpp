#include "core/grid_fix.hpp"
#include "core/i18n.hpp"

#include "core/errors.hpp"
#include "core/grid_assign.hpp"

#include <algorithm>
#include <cstdio>

namespace qingling {

const char* grid_fix_code(GridFixKind kind) {
    switch (kind) {
    case GridFixKind::snap: return "snap";
    case GridFixKind::invalid: return "invalid";
    case GridFixKind::multipart: return "multipart";
    case GridFixKind::crosses_village: return "crosses_village";
    case GridFixKind::overlap: return "overlap";
    case GridFixKind::gap: return "gap";
    }
    return "";
}

const char* grid_fix_label_zh(GridFixKind kind) {
    switch (kind) {
    case GridFixKind::snap: return N_("吸附边界");
    case GridFixKind::invalid: return N_("修复几何");
    case GridFixKind::multipart: return N_("保留最大部分");
    case GridFixKind::crosses_village: return N_("裁剪到本村");
    case GridFixKind::overlap: return N_("消除重叠");
    case GridFixKind::gap: return N_("空隙并入相邻网格");
    }
    return "";
}

std::optional<GridFixKind> grid_fix_kind(const std::string& code) {
    for (GridFixKind k : kAllGridFixKinds)
        if (code == grid_fix_code(k)) return k;
    return std::nullopt;
}

namespace {

std::string area_text(double a) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", a);
    return buf;
}

class Fixer {
public:
    Fixer(ProjectStore& store, const WriteTransaction& tx, const GridFixOptions& options, GridFixReport& report)
        : store_(store), tx_(tx), options_(options), report_(report) {}

    void run(GridFixKind kind) {
        switch (kind) {
        case GridFixKind::snap: snap(); break;
        case GridFixKind::invalid: invalid(); break;
        case GridFixKind::multipart: multipart(); break;
        case GridFixKind::crosses_village: crossings(); break;
        case GridFixKind::overlap: overlaps(); break;
        case GridFixKind::gap: gaps(); break;
        }
    }

private:
    double area(const GeosContext& geos, const GEOSGeometry* g) const {
        double a = 0;
        if (g) GEOSArea_r(geos.get(), g, &a);
        return a;
    }

    // Stores a new geometry for grid i of `grids` as one edit.
    void store(GridEditBuilder& builder, const AreaSet& grids, std::size_t i, const GEOSGeometry* g, GridFixKind kind,
               double moved_m2, std::string detail, std::vector<GridRef> also = {}) {
        GridFixAction action;
        action.kind = kind;
        action.grids.push_back(grids.ref(i));
        for (auto& r : also) action.grids.push_back(std::move(r));
        action.area_m2 = moved_m2;
        action.detail = std::move(detail);
        action.edit = builder.set_geometry({grids.ref(i).layer, grids.ref(i).fid}, g, grid_fix_label_zh(kind));
        if (action.edit.changes.empty()) return;
        store_grid_edit(store_, tx_, action.edit);
        report_.actions.push_back(std::move(action));
    }

    void snap() {
        GridEditBuilder builder(store_);
        const GeosContext& geos = builder.geos();
        const auto h = geos.get();
        std::vector<GEOSGeometry*> lines;
        for (const char* role : {"village", "jurisdiction"}) {
            const AreaSet areas(geos, store_, role, kVillageNameFields);
            for (std::size_t i = 0; i < areas.size(); ++i) lines.push_back(GEOSBoundary_r(h, areas.working(i)));
        }
        if (lines.empty()) return;
        GeosGeometryPtr boundaries = geos_own(
            geos, GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, lines.data(), static_cast<unsigned>(lines.size())));
        std::vector<GridKey> to_snap;
        {
            const AreaSet grids(geos, store_, "grid", kGridNameFields);
            for (std::size_t i = 0; i < grids.size(); ++i) to_snap.push_back({grids.ref(i).layer, grids.ref(i).fid});
        }
        for (const GridKey& key : to_snap) {
            GridEditBuilder fresh(store_);
            const AreaSet grids(fresh.geos(), store_, "grid", kGridNameFields);
            const auto i = grids.find(key.layer, key.fid);
            if (!i) continue;
            GeosGeometryPtr snapped = geos_own(geos, GEOSSnap_r(h, grids.working(*i), boundaries.get(), options_.snap_tolerance_m));
            if (!snapped || GEOSEqualsExact_r(h, snapped.get(), grids.working(*i), 0) == 1) continue;
            if (GEOSisValid_r(h, snapped.get()) != 1) {
                report_.not_fixed.push_back(grids.ref(*i).label() + ": 吸附到边界后几何无效, 未处理");
                continue;
            }
            GeosGeometryPtr diff = geos_own(geos, GEOSSymDifference_r(h, snapped.get(), grids.working(*i)));
            // Vertices GEOS only added on the grid's own edges change nothing on the ground.
            if (area(geos, diff.get()) <= 1e-6) continue;
            store(fresh, grids, *i, snapped.get(), GridFixKind::snap, area(geos, diff.get()),
                  "节点吸附到村界/辖区界 (容差 " + area_text(options_.snap_tolerance_m) + " m)");
        }
    }

    void invalid() {
        GridEditBuilder probe(store_);
        const AreaSet all(probe.geos(), store_, "grid", kGridNameFields);
        std::vector<GridKey> keys;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (GEOSisValid_r(probe.geos().get(), all.stored(i)) != 1) keys.push_back({all.ref(i).layer, all.ref(i).fid});
        for (const GridKey& key : keys) {
            GridEditBuilder builder(store_);
            const AreaSet grids(builder.geos(), store_, "grid", kGridNameFields);
            const auto i = grids.find(key.layer, key.fid);
            if (!i) continue;
            store(builder, grids, *i, grids.working(*i), GridFixKind::invalid, grids.area(*i), "保存修复后的几何 (make-valid)");
        }
    }

    void multipart() {
        GridEditBuilder probe(store_);
        const AreaSet all(probe.geos(), store_, "grid", kGridNameFields);
        std::vector<GridKey> keys;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (polygon_parts(probe.geos(), all.working(i)).size() > 1) keys.push_back({all.ref(i).layer, all.ref(i).fid});
        for (const GridKey& key : keys) {
            GridEditBuilder builder(store_);
            const GeosContext& geos = builder.geos();
            const AreaSet grids(geos, store_, "grid", kGridNameFields);
            const auto i = grids.find(key.layer, key.fid);
            if (!i) continue;
            auto parts = polygon_parts(geos, grids.working(*i));
            std::stable_sort(parts.begin(), parts.end(),
                             [&](const GeosGeometryPtr& a, const GeosGeometryPtr& b) { return area(geos, a.get()) > area(geos, b.get()); });
            double rest = 0;
            for (std::size_t k = 1; k < parts.size(); ++k) rest += area(geos, parts[k].get());
            store(builder, grids, *i, parts[0].get(), GridFixKind::multipart, rest,
                  "保留最大部分, 去掉其余 " + std::to_string(parts.size() - 1) + " 个部分 (" + area_text(rest) + " m²)");
        }
    }

    void crossings() {
        GridEditBuilder probe(store_);
        std::vector<GridKey> keys;
        {
            const AreaSet all(probe.geos(), store_, "grid", kGridNameFields);
            for (std::size_t i = 0; i < all.size(); ++i) keys.push_back({all.ref(i).layer, all.ref(i).fid});
        }
        for (const GridKey& key : keys) {
            GridEditBuilder builder(store_);
            const GeosContext& geos = builder.geos();
            const auto h = geos.get();
            const AreaSet grids(geos, store_, "grid", kGridNameFields);
            const AreaSet villages(geos, store_, "village", kVillageNameFields);
            const auto i = grids.find(key.layer, key.fid);
            if (!i || villages.empty()) continue;
            // The village holding most of the grid, and the area outside it.
            std::optional<std::size_t> main;
            double main_area = 0, total_in_villages = 0;
            for (std::size_t v : villages.candidates(grids.working(*i))) {
                GeosGeometryPtr cut = geos_own(geos, GEOSIntersection_r(h, grids.working(*i), villages.working(v)));
                const double a = area(geos, cut.get());
                total_in_villages += a;
                if (a > main_area) main_area = a, main = v;
            }
            if (!main || total_in_villages - main_area <= options_.tolerance_m2) continue;
            GeosGeometryPtr clipped = geos_own(geos, GEOSIntersection_r(h, grids.working(*i), villages.working(*main)));
            auto parts = polygon_parts(geos, clipped.get());
            std::vector<GEOSGeometry*> raw;
            for (auto& p : parts) raw.push_back(p.release());
            GeosGeometryPtr polygonal = geos_own(
                geos, GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, raw.data(), static_cast<unsigned>(raw.size())));
            store(builder, grids, *i, polygonal.get(), GridFixKind::crosses_village, total_in_villages - main_area,
                  "裁剪到 " + villages.ref(*main).label() + ", 去掉村外 " + area_text(total_in_villages - main_area) + " m²");
        }
    }

    void overlaps() {
        // One overlap at a time, recomputed after each change; bounded by the number of pairs seen.
        for (int round = 0; round < 10000; ++round) {
            GridEditBuilder builder(store_);
            const GeosContext& geos = builder.geos();
            const auto h = geos.get();
            const AreaSet grids(geos, store_, "grid", kGridNameFields);
            bool fixed = false;
            for (std::size_t i = 0; i < grids.size() && !fixed; ++i)
                for (std::size_t j : grids.candidates(grids.working(i))) {
                    if (j <= i) continue;
                    GeosGeometryPtr both = geos_own(geos, GEOSIntersection_r(h, grids.working(i), grids.working(j)));
                    const double a = area(geos, both.get());
                    if (a <= options_.tolerance_m2) continue;
                    GeosGeometryPtr rest = geos_own(geos, GEOSDifference_r(h, grids.working(j), grids.working(i)));
                    auto parts = polygon_parts(geos, rest.get());
                    std::vector<GEOSGeometry*> raw;
                    for (auto& p : parts) raw.push_back(p.release());
                    GeosGeometryPtr polygonal = geos_own(
                        geos, GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, raw.data(), static_cast<unsigned>(raw.size())));
                    if (GEOSisEmpty_r(h, polygonal.get())) {
                        report_.not_fixed.push_back(grids.ref(j).label() + ": 完全位于 " + grids.ref(i).label() + " 内, 请人工处理");
                        continue;
                    }
                    const std::size_t before = report_.actions.size();
                    store(builder, grids, j, polygonal.get(), GridFixKind::overlap, a,
                          "重叠部分 " + area_text(a) + " m² 归 " + grids.ref(i).label(), {grids.ref(i)});
                    fixed = report_.actions.size() > before;
                    if (fixed) break;
                }
            if (!fixed) return;
        }
    }

    void gaps() {
        std::vector<GeosGeometryPtr> found;
        GridEditBuilder probe(store_);
        const GeosContext& pg = probe.geos();
        {
            const AreaSet jurisdiction(pg, store_, "jurisdiction", kJurisdictionNameFields);
            const AreaSet villages(pg, store_, "village", kVillageNameFields);
            const AreaSet& cover = !jurisdiction.empty() ? jurisdiction : villages;
            if (cover.empty()) return;
            const AreaSet grids(pg, store_, "grid", kGridNameFields);
            GeosGeometryPtr whole = cover.union_all();
            GeosGeometryPtr covered = grids.union_all();
            GeosGeometryPtr rest = covered ? geos_own(pg, GEOSDifference_r(pg.get(), whole.get(), covered.get()))
                                           : geos_own(pg, GEOSGeom_clone_r(pg.get(), whole.get()));
            for (auto& part : polygon_parts(pg, rest.get()))
                if (area(pg, part.get()) > options_.tolerance_m2) found.push_back(std::move(part));
        }
        for (auto& gap : found) {
            GridEditBuilder builder(store_);
            const GeosContext& geos = builder.geos();
            const auto h = geos.get();
            const AreaSet grids(geos, store_, "grid", kGridNameFields);
            // The gap's geometry came from the probe's context; GEOS geometries do not belong to one.
            GeosGeometryPtr gap_boundary = geos_own(geos, GEOSBoundary_r(h, gap.get()));
            std::optional<std::size_t> best;
            double best_length = 0;
            for (std::size_t i : grids.candidates(gap.get())) {
                GeosGeometryPtr edge_boundary = geos_own(geos, GEOSBoundary_r(h, grids.working(i)));
                GeosGeometryPtr shared = geos_own(geos, GEOSIntersection_r(h, gap_boundary.get(), edge_boundary.get()));
                double length = 0;
                if (shared) GEOSLength_r(h, shared.get(), &length);
                if (length > best_length) best_length = length, best = i;
            }
            const double a = area(geos, gap.get());
            double x = 0, y = 0;
            representative_point(geos, gap.get(), x, y);
            const std::string where = "(" + area_text(x) + ", " + area_text(y) + ")";
            if (a > options_.max_gap_m2) {
                report_.not_fixed.push_back("空隙 " + area_text(a) + " m² " + where + ": 大于 " + area_text(options_.max_gap_m2) +
                                            " m², 不并入相邻网格, 请绘制网格");
                continue;
            }
            if (!best) {
                report_.not_fixed.push_back("空隙 " + area_text(a) + " m² " + where + ": 没有相邻网格, 请绘制网格");
                continue;
            }
            GeosGeometryPtr merged = geos_own(geos, GEOSUnion_r(h, grids.working(*best), gap.get()));
            if (!merged || polygon_parts(geos, merged.get()).empty() || GEOSisValid_r(h, merged.get()) != 1) {
                report_.not_fixed.push_back("空隙 " + area_text(a) + " m² " + where + ": 无法并入 " + grids.ref(*best).label());
                continue;
            }
            auto parts = polygon_parts(geos, merged.get());
            std::vector<GEOSGeometry*> raw;
            for (auto& p : parts) raw.push_back(p.release());
            GeosGeometryPtr polygonal = geos_own(
                geos, GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, raw.data(), static_cast<unsigned>(raw.size())));
            store(builder, grids, *best, polygonal.get(), GridFixKind::gap, a,
                  "空隙 " + area_text(a) + " m² " + where + " 并入共边最长 (" + area_text(best_length) + " m) 的 " +
                      grids.ref(*best).label());
        }
    }

    ProjectStore& store_;
    const WriteTransaction& tx_;
    const GridFixOptions& options_;
    GridFixReport& report_;
};

} // namespace

GridFixReport fix_grids(ProjectStore& store, const GridFixOptions& options, Progress& progress) {
    if (!(options.tolerance_m2 >= 0)) throw UsageError("the area tolerance must be 0 m² or more");
    if (!(options.snap_tolerance_m >= 0)) throw UsageError("the snap tolerance must be 0 m or more");
    if (!(options.max_gap_m2 >= 0)) throw UsageError("the largest gap to give away must be 0 m² or more");
    std::vector<GridFixKind> kinds;
    for (GridFixKind k : kAllGridFixKinds)
        if (options.kinds.empty() || std::count(options.kinds.begin(), options.kinds.end(), k)) kinds.push_back(k);
    GridFixReport report;
    report.dry_run = options.dry_run;
    WriteTransaction tx(store);
    Fixer fixer(store, tx, options, report);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        if (progress.cancelled()) throw CancelledError();
        progress.report(static_cast<double>(i) / kinds.size(), grid_fix_label_zh(kinds[i]));
        fixer.run(kinds[i]);
    }
    SilentProgress quiet;
    report.assignments_changed = assign_enterprises_to_grids(store, tx, {}, quiet).assigned.size();
    if (!options.dry_run) tx.commit();
    progress.report(1.0, "网格修复");
    return report;
}

} // namespace qingling
