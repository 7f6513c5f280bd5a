#include "app/grid_editor.hpp"
#include "core/i18n.hpp"

#include "core/errors.hpp"
#include "core/grid_areas.hpp"

#include <cmath>
#include <cstdio>

namespace qingling::app {

const char* grid_tool_label_zh(GridTool tool) {
    switch (tool) {
    case GridTool::none: return N_("浏览");
    case GridTool::draw: return N_("绘制");
    case GridTool::vertex: return N_("编辑节点");
    case GridTool::split: return N_("分割");
    case GridTool::merge: return N_("合并");
    case GridTool::remove: return N_("删除");
    case GridTool::move: return N_("移动");
    }
    return "";
}

namespace {
double dist2(MapPoint a, MapPoint b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

bool ring_contains(const Ring& r, MapPoint p) {
    bool inside = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        if ((r[i].y > p.y) != (r[j].y > p.y) &&
            p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
            inside = !inside;
    return inside;
}

bool polygons_contain(const Polygons& polygons, MapPoint p) {
    for (const auto& rings : polygons) {
        if (rings.empty() || !ring_contains(rings[0], p)) continue;
        bool in_hole = false;
        for (std::size_t h = 1; h < rings.size(); ++h) in_hole |= ring_contains(rings[h], p);
        if (!in_hole) return true;
    }
    return false;
}
} // namespace

void GridEditor::open(const std::filesystem::path& project) {
    path_ = project;
    history_ = GridEditHistory{};
    tool_ = GridTool::none;
    points_.clear();
    selected_.reset();
    validation_.reset();
    message_.clear();
    failed_ = false;
    try {
        reload_outlines();
    } catch (const std::exception& ex) {
        // The map opens anyway; the editor says why it cannot edit.
        outlines_.clear();
        snapper_.reset();
        ++message_serial_;
        message_ = std::string(_("读取网格失败: ")) + ex.what();
        failed_ = true;
    }
}

void GridEditor::refresh(bool validate_now) {
    reload_ = true;
    try {
        reload_outlines();
    } catch (const std::exception& ex) {
        outlines_.clear();
        snapper_.reset();
        ++message_serial_;
        message_ = std::string(_("读取网格失败: ")) + ex.what();
        failed_ = true;
        return;
    }
    if (validate_now || validation_) validate();
}

void GridEditor::reload_outlines() {
    outlines_.clear();
    snapper_.reset();
    if (path_.empty()) return;
    const ProjectStore store = ProjectStore::open(path_, ProjectStore::Access::read_only);
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    for (std::size_t i = 0; i < grids.size(); ++i)
        outlines_.push_back({{grids.ref(i).layer, grids.ref(i).fid}, grids.ref(i).label(),
                             polygons_from_geos(geos, grids.stored(i))});
    snapper_.emplace(store);
}

void GridEditor::set_tool(GridTool tool) {
    cancel();
    tool_ = tool;
    selected_.reset();
}

std::optional<SnapResult> GridEditor::snapped(MapPoint world, double tolerance) const {
    if (!snapper_) return std::nullopt;
    // While editing a vertex, the grid's own vertices (and the one moving) do not attract it.
    return snapper_->snap(world, tolerance, dragging_ ? selected_ : std::nullopt);
}

void GridEditor::hover(MapPoint world, double tolerance) {
    cursor_ = world;
    snap_ = SnapResult{};
    snap_.point = world;
    if (tool_ == GridTool::draw || tool_ == GridTool::split || dragging_)
        if (auto s = snapped(world, tolerance)) snap_ = *s;
}

void GridEditor::click(MapPoint world, double tolerance) {
    hover(world, tolerance);
    switch (tool_) {
    case GridTool::draw:
    case GridTool::split:
        // A second click on the last point is the double click that closes.
        if (!points_.empty() && dist2(points_.back(), snap_.point) <= tolerance * tolerance / 4) {
            finish();
            return;
        }
        points_.push_back(snap_.point);
        break;
    case GridTool::merge: {
        const auto g = grid_at(world);
        if (!g) break;
        if (!selected_) {
            selected_ = g;
            ++message_serial_;
            message_ = _("合并: 已选 ") + grid_label(*g) + _(", 再点相邻网格");
            failed_ = false;
        } else if (!(*selected_ == *g)) {
            const GridKey a = *selected_;
            selected_.reset();
            edit([&](GridEditBuilder& b) { return b.merge_grids(a, *g); });
        }
        break;
    }
    case GridTool::remove:
        if (const auto g = grid_at(world)) {
            const GridKey key = *g;
            edit([&](GridEditBuilder& b) { return b.delete_grid(key); });
        }
        break;
    case GridTool::vertex:
        if (!dragging_) selected_ = grid_at(world);
        break;
    case GridTool::move:  // a grid is moved by a press, drag and release, not by clicks
    case GridTool::none: break;
    }
}

std::optional<MapPoint> GridEditor::move_offset() const {
    if (!moving_ || !cursor_) return std::nullopt;
    return MapPoint{cursor_->x - move_from_.x, cursor_->y - move_from_.y};
}

void GridEditor::press(MapPoint world, double tolerance) {
    if (tool_ == GridTool::move) {
        // The grid under the pointer follows it until the button is released.
        if (const auto g = grid_at(world)) {
            selected_ = g;
            moving_ = true;
            move_from_ = world;
            cursor_ = world;
        }
        return;
    }
    if (tool_ != GridTool::vertex) return;
    // The nearest vertex of the selected grid (else of any grid) within the tolerance.
    double best = tolerance * tolerance;
    bool found = false;
    for (const auto& o : outlines_) {
        if (selected_ && !(o.key == *selected_)) continue;
        for (std::size_t p = 0; p < o.polygons.size(); ++p)
            for (std::size_t r = 0; r < o.polygons[p].size(); ++r)
                for (std::size_t i = 0; i < o.polygons[p][r].size(); ++i) {
                    const double d = dist2(o.polygons[p][r][i], world);
                    if (d <= best) {
                        best = d;
                        drag_vertex_ = {p, r, i};
                        selected_ = o.key;
                        found = true;
                    }
                }
    }
    dragging_ = found;
}

void GridEditor::release(MapPoint world, double tolerance) {
    if (moving_) {
        moving_ = false;
        const double dx = world.x - move_from_.x, dy = world.y - move_from_.y;
        if (dx == 0 && dy == 0) return;
        const GridKey key = *selected_;
        edit([&](GridEditBuilder& b) { return b.move_grid(key, dx, dy); });
        return;
    }
    if (!dragging_) return;
    hover(world, tolerance);
    const MapPoint to = snap_.point;
    dragging_ = false;
    const GridKey key = *selected_;
    const VertexRef v = drag_vertex_;
    edit([&](GridEditBuilder& b) { return b.move_vertex(key, v, to); });
}

void GridEditor::insert_vertex_at(MapPoint world, double tolerance) {
    if (tool_ != GridTool::vertex || !selected_) return;
    double best = tolerance * tolerance;
    std::optional<VertexRef> edge;
    MapPoint at;
    for (const auto& o : outlines_) {
        if (!(o.key == *selected_)) continue;
        for (std::size_t p = 0; p < o.polygons.size(); ++p)
            for (std::size_t r = 0; r < o.polygons[p].size(); ++r) {
                const Ring& ring = o.polygons[p][r];
                for (std::size_t i = 0; i < ring.size(); ++i) {
                    const MapPoint a = ring[i], b = ring[(i + 1) % ring.size()];
                    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
                    if (len2 == 0) continue;
                    const double t = ((world.x - a.x) * dx + (world.y - a.y) * dy) / len2;
                    if (t <= 0 || t >= 1) continue;
                    const MapPoint q{a.x + t * dx, a.y + t * dy};
                    if (dist2(q, world) <= best) best = dist2(q, world), edge = VertexRef{p, r, i}, at = q;
                }
            }
    }
    if (!edge) return;
    const GridKey key = *selected_;
    const VertexRef v = *edge;
    edit([&](GridEditBuilder& b) { return b.insert_vertex(key, v, at); });
}

void GridEditor::delete_vertex_at(MapPoint world, double tolerance) {
    if (tool_ != GridTool::vertex) return;
    press(world, tolerance);  // finds the vertex (and selects its grid)
    if (!dragging_) return;
    dragging_ = false;
    const GridKey key = *selected_;
    const VertexRef v = drag_vertex_;
    edit([&](GridEditBuilder& b) { return b.delete_vertex(key, v); });
}

void GridEditor::finish() {
    if (tool_ == GridTool::draw && points_.size() >= 3) {
        const std::vector<MapPoint> ring = points_;
        points_.clear();
        const std::string name = "新网格" + std::to_string(++drawn_);
        edit([&](GridEditBuilder& b) { return b.add_polygon(ring, name); });
    } else if (tool_ == GridTool::split && points_.size() >= 2) {
        const std::vector<MapPoint> line = points_;
        points_.clear();
        // The grid the line's middle crosses: the grid holding the midpoint of its first segment
        // inside a grid.
        std::optional<GridKey> target;
        for (std::size_t i = 0; i + 1 < line.size() && !target; ++i)
            target = grid_at({(line[i].x + line[i + 1].x) / 2, (line[i].y + line[i + 1].y) / 2});
        if (!target) {
            ++message_serial_;
            message_ = _("分割线没有穿过网格");
            failed_ = true;
            return;
        }
        const GridKey key = *target;
        edit([&](GridEditBuilder& b) { return b.split_grid(key, line); });
    }
}

void GridEditor::cancel() {
    points_.clear();
    dragging_ = false;
    moving_ = false;
    if (tool_ == GridTool::merge) selected_.reset();
}

void GridEditor::remove_last_point() {
    if (!points_.empty()) points_.pop_back();
}

template <class Build>
bool GridEditor::edit(Build build) {
    if (path_.empty()) return false;
    try {
        ProjectStore store = ProjectStore::open(path_, ProjectStore::Access::read_write);
        GridEdit e;
        {
            GridEditBuilder builder(store);
            e = build(builder);
        }
        const GridEditReport r = history_.apply(store, std::move(e));
        ++message_serial_;
        // The edit's name comes from core (marked N_ there).
        message_ = tr(r.label) + _(": 已保存, 企业重新分配 ") + std::to_string(r.assignments_changed) + _(" 家");
        failed_ = false;
    } catch (const std::exception& ex) {
        ++message_serial_;
        message_ = std::string(_("未能保存: ")) + ex.what();
        failed_ = true;
        return false;
    }
    refresh(false);
    return true;
}

bool GridEditor::draw_polygon(const std::vector<MapPoint>& points, double snap_tolerance, const std::string& name) {
    std::vector<MapPoint> ring;
    for (const MapPoint& p : points) {
        const auto s = snap_tolerance > 0 ? snapped(p, snap_tolerance) : std::nullopt;
        ring.push_back(s ? s->point : p);
    }
    const std::string n = name.empty() ? "新网格" + std::to_string(++drawn_) : name;
    return edit([&](GridEditBuilder& b) { return b.add_polygon(ring, n); });
}

bool GridEditor::split(const std::string& grid, const std::vector<MapPoint>& line) {
    return edit([&](GridEditBuilder& b) {
        return b.split_grid(find_grid(ProjectStore::open(path_, ProjectStore::Access::read_only), grid), line);
    });
}

bool GridEditor::merge(const std::string& a, const std::string& b_name) {
    return edit([&](GridEditBuilder& b) {
        const ProjectStore store = ProjectStore::open(path_, ProjectStore::Access::read_only);
        return b.merge_grids(find_grid(store, a), find_grid(store, b_name));
    });
}

bool GridEditor::remove(const std::string& grid) {
    return edit([&](GridEditBuilder& b) {
        return b.delete_grid(find_grid(ProjectStore::open(path_, ProjectStore::Access::read_only), grid));
    });
}

bool GridEditor::move(const std::string& grid, double dx, double dy) {
    return edit([&](GridEditBuilder& b) {
        return b.move_grid(find_grid(ProjectStore::open(path_, ProjectStore::Access::read_only), grid), dx, dy);
    });
}

bool GridEditor::draft(const std::string& village, int count, bool balanced) {
    return edit([&](GridEditBuilder& b) { return b.draft_for_village(village, count, balanced); });
}

bool GridEditor::undo() { return step_history(false); }

bool GridEditor::redo() { return step_history(true); }

bool GridEditor::step_history(bool redo) {
    if (path_.empty() || !(redo ? history_.can_redo() : history_.can_undo())) return false;
    // The edit's own name (core's report puts a Chinese 撤销/重做 before it), taken before it moves.
    const std::string edit_name = redo ? history_.redo_label() : history_.undo_label();
    try {
        ProjectStore store = ProjectStore::open(path_, ProjectStore::Access::read_write);
        if (redo) history_.redo(store);
        else history_.undo(store);
        ++message_serial_;
        char buffer[256];
        std::snprintf(buffer, sizeof buffer, redo ? _("重做%s: 已保存") : _("撤销%s: 已保存"), tr(edit_name.c_str()));
        message_ = buffer;
        failed_ = false;
    } catch (const std::exception& ex) {
        ++message_serial_;
        message_ = std::string(redo ? _("重做失败: ") : _("撤销失败: ")) + ex.what();
        failed_ = true;
        return false;
    }
    refresh(false);
    return true;
}

void GridEditor::validate() {
    if (path_.empty()) return;
    try {
        const ProjectStore store = ProjectStore::open(path_, ProjectStore::Access::read_only);
        validation_ = validate_grids(store);
    } catch (const std::exception& ex) {
        ++message_serial_;
        message_ = std::string(_("网格检查失败: ")) + ex.what();
        failed_ = true;
    }
}

bool GridEditor::fix(std::optional<GridFixKind> kind) {
    if (path_.empty()) return false;
    try {
        ProjectStore store = ProjectStore::open(path_, ProjectStore::Access::read_write);
        GridFixOptions o;
        if (kind) o.kinds = {*kind};
        SilentProgress progress;
        const auto r = fix_grids(store, o, progress);
        ++message_serial_;
        message_ = _("一键修复: ") + std::to_string(r.actions.size()) + _(" 处修复");
        if (!r.not_fixed.empty()) message_ += ", " + std::to_string(r.not_fixed.size()) + _(" 处需人工处理");
        failed_ = false;
        // The fixes ran in one transaction: undone together, as one edit.
        GridEdit all;
        all.label = N_("一键修复");  // shown through tr() by undo/redo
        for (const auto& a : r.actions)
            for (const auto& c : a.edit.changes) all.changes.push_back(c);
        if (!all.changes.empty()) history_.record(std::move(all));
    } catch (const std::exception& ex) {
        ++message_serial_;
        message_ = std::string(_("修复失败: ")) + ex.what();
        failed_ = true;
        return false;
    }
    refresh(true);
    return true;
}

bool GridEditor::take_reload() {
    const bool r = reload_;
    reload_ = false;
    return r;
}

std::optional<GridKey> GridEditor::grid_at(MapPoint world) const {
    // The last drawn first, as it lies on top.
    for (auto it = outlines_.rbegin(); it != outlines_.rend(); ++it)
        if (polygons_contain(it->polygons, world)) return it->key;
    return std::nullopt;
}

std::string GridEditor::grid_label(const GridKey& key) const {
    for (const auto& o : outlines_)
        if (o.key == key) return o.name;
    return key.layer + "#" + std::to_string(key.fid);
}

} // namespace qingling::app
