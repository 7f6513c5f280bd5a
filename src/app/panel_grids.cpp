// 网格编辑 and 网格检查: a window over the map's top left (key G, or a script's grid step) with the
// tools (绘制, 编辑节点, 分割, 合并, 删除), undo/redo, the validation list with zoom-to and the
// one-click fixes; the mouse over the map while a tool is chosen; drawn over the map: the grids'
// outlines, the points clicked with the rubber band to the cursor, the snap marker, the selected
// grid's vertices and the selected problem.
#include "app/panels.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace qingling::app {

namespace {

constexpr double kSnapPx = 10.0;       // snap tolerance in window pixels
constexpr float kPanelHeight = 236.0f;
constexpr ImU32 kGridLine = IM_COL32(230, 110, 0, 255);
constexpr ImU32 kRubber = IM_COL32(0, 90, 230, 255);
constexpr ImU32 kSnapMarker = IM_COL32(230, 0, 200, 255);
constexpr ImU32 kSelected = IM_COL32(0, 200, 230, 255);
constexpr ImU32 kProblem = IM_COL32(230, 0, 0, 255);

struct MapFrame {
    PixelRect rect;
    float fb_scale = 1;
    const Camera* camera = nullptr;
    ImVec2 to_window(MapPoint w) const {
        const Vec2 s = camera->world_to_screen({w.x, w.y});
        return ImVec2(rect.x0 + static_cast<float>(s.x) / fb_scale, rect.y0 + static_cast<float>(s.y) / fb_scale);
    }
    MapPoint to_world(ImVec2 p) const {
        const Vec2 w = camera->screen_to_world({(p.x - rect.x0) * fb_scale, (p.y - rect.y0) * fb_scale});
        return {w.x, w.y};
    }
    // Window pixels to map units.
    double tolerance(double px) const { return px * fb_scale * camera->resolution(); }
};

std::string area_text(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

void mouse(ViewerState& state, const MapFrame& f) {
    GridEditor& ed = state.grids.editor;
    ImGuiIO& io = ImGui::GetIO();
    const bool over_map = f.rect.contains(io.MousePos.x, io.MousePos.y) && !io.WantCaptureMouse;
    const double tol = f.tolerance(kSnapPx);
    if (over_map) ed.hover(f.to_world(io.MousePos), tol);
    if (over_map && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        if (ed.tool() == GridTool::vertex) ed.insert_vertex_at(f.to_world(io.MousePos), tol);
        else ed.finish();
        return;
    }
    if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Right)) ed.delete_vertex_at(f.to_world(io.MousePos), tol);
    if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ed.press(f.to_world(io.MousePos), tol);
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        const MapPoint w = f.to_world(io.MousePos);
        if (ed.dragging()) ed.release(w, tol);
        else if (over_map && ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).x * ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).x +
                                     ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).y * ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).y <
                                 9)
            ed.click(w, tol);
    }
    if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(GLFW_KEY_ENTER) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER)) ed.finish();
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) ed.cancel();
        if (ImGui::IsKeyPressed(GLFW_KEY_BACKSPACE)) ed.remove_last_point();
    }
}

void overlay(ViewerState& state, const MapFrame& f) {
    const GridEditor& ed = state.grids.editor;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->PushClipRect(ImVec2(f.rect.x0, f.rect.y0), ImVec2(f.rect.x1, f.rect.y1), true);
    for (const auto& o : ed.outlines()) {
        const bool selected = ed.selected() && *ed.selected() == o.key;
        for (const auto& rings : o.polygons)
            for (const auto& ring : rings) {
                std::vector<ImVec2> pts;
                for (const auto& p : ring) pts.push_back(f.to_window(p));
                dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), selected ? kSelected : kGridLine, ImDrawFlags_Closed,
                                selected ? 3.0f : 2.0f);
                if (selected && ed.tool() == GridTool::vertex)
                    for (const auto& q : pts) dl->AddRectFilled(ImVec2(q.x - 3, q.y - 3), ImVec2(q.x + 3, q.y + 3), kSelected);
            }
    }
    // Move tool: the grid where it would land.
    if (const auto offset = ed.move_offset(); offset && ed.selected())
        for (const auto& o : ed.outlines()) {
            if (!(o.key == *ed.selected())) continue;
            for (const auto& rings : o.polygons)
                for (const auto& ring : rings) {
                    std::vector<ImVec2> pts;
                    for (const auto& p : ring) pts.push_back(f.to_window({p.x + offset->x, p.y + offset->y}));
                    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kRubber, ImDrawFlags_Closed, 2.0f);
                }
        }
    // The points so far and the rubber band to the (snapped) cursor.
    if (!ed.points().empty()) {
        std::vector<ImVec2> pts;
        for (const auto& p : ed.points()) pts.push_back(f.to_window(p));
        if (ed.cursor()) pts.push_back(f.to_window(ed.snap().point));
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kRubber, ImDrawFlags_None, 2.0f);
        if (ed.tool() == GridTool::draw && ed.cursor() && pts.size() >= 3)
            dl->AddLine(pts.back(), pts.front(), IM_COL32(0, 90, 230, 120), 1.0f);
        for (std::size_t i = 0; i + (ed.cursor() ? 1 : 0) < pts.size(); ++i)
            dl->AddCircleFilled(pts[i], 3.5f, kRubber);
    }
    // The snap marker: a square on a vertex, a diamond on an edge.
    if (ed.cursor() && ed.snap().kind != SnapResult::Kind::none) {
        const ImVec2 c = f.to_window(ed.snap().point);
        if (ed.snap().kind == SnapResult::Kind::vertex)
            dl->AddRect(ImVec2(c.x - 7, c.y - 7), ImVec2(c.x + 7, c.y + 7), kSnapMarker, 0, 0, 3.0f);
        else
            dl->AddQuad(ImVec2(c.x, c.y - 8), ImVec2(c.x + 8, c.y), ImVec2(c.x, c.y + 8), ImVec2(c.x - 8, c.y), kSnapMarker, 3.0f);
    }
    // The selected validation problem.
    if (const auto& v = ed.validation(); v && state.grids.problem >= 0 && state.grids.problem < static_cast<int>(v->problems.size())) {
        const GridProblem& p = v->problems[static_cast<std::size_t>(state.grids.problem)];
        for (const auto& g : p.grids)
            for (const auto& o : ed.outlines())
                if (o.key.layer == g.layer && o.key.fid == g.fid)
                    for (const auto& rings : o.polygons)
                        for (const auto& ring : rings) {
                            std::vector<ImVec2> pts;
                            for (const auto& q : ring) pts.push_back(f.to_window(q));
                            dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kProblem, ImDrawFlags_Closed, 3.0f);
                        }
        if (p.located) {
            const ImVec2 c = f.to_window({p.x, p.y});
            dl->AddCircle(c, 12, IM_COL32(255, 255, 255, 255), 24, 5.0f);
            dl->AddCircle(c, 12, kProblem, 24, 3.0f);
        }
    }
    dl->PopClipRect();
}

void zoom_to_problem(ViewerState& state, const GridProblem& p) {
    Extent e;
    for (const auto& g : p.grids)
        for (const auto& o : state.grids.editor.outlines())
            if (o.key.layer == g.layer && o.key.fid == g.fid)
                for (const auto& rings : o.polygons)
                    for (const auto& ring : rings)
                        for (const auto& q : ring) e.add(q.x, q.y);
    if (p.located) e.add(p.x, p.y);
    // Fitted into the part of the map below the panel, with a margin.
    state.zoom_to_beside_panel(e, kPanelHeight + 8, ViewerState::PanelEdge::top, 30);
}

// N grids for a village in strips, for the user to adjust.
void draft_section(ViewerState& state) {
    const auto& villages = state.model->villages;
    if (villages.empty()) {
        ImGui::TextDisabled("%s", _("项目没有村级调查区图层"));
        return;
    }
    GridPanelState& g = state.grids;
    g.draft_village = std::clamp(g.draft_village, 0, static_cast<int>(villages.size()) - 1);
    ImGui::SetNextItemWidth(120);
    if (ImGui::BeginCombo("##village", villages[static_cast<std::size_t>(g.draft_village)].name.c_str())) {
        for (std::size_t i = 0; i < villages.size(); ++i)
            if (ImGui::Selectable(villages[i].name.c_str(), g.draft_village == static_cast<int>(i))) g.draft_village = static_cast<int>(i);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    ImGui::InputInt(_("个"), &g.draft_count);
    g.draft_count = std::clamp(g.draft_count, 1, 100);
    ImGui::SameLine();
    ImGui::Checkbox(_("按企业数均衡"), &g.draft_balanced);
    ImGui::SameLine();
    if (ImGui::SmallButton(_("生成")))
        g.editor.draft(villages[static_cast<std::size_t>(g.draft_village)].name, g.draft_count, g.draft_balanced);
}

void check_section(ViewerState& state) {
    GridEditor& ed = state.grids.editor;
    if (ImGui::Button(_("检查"))) ed.validate();
    const auto& v = ed.validation();
    if (!v) return;
    ImGui::SameLine();
    ImGui::Text(_("%zu 个网格, 共 %zu 个问题"), v->grid_count, v->problems.size());
    ImGui::SameLine();
    if (ImGui::SmallButton(_("全部修复"))) ed.fix(std::nullopt);
    ImGui::TextUnformatted(_("一键修复:"));
    // The buttons flow onto the next line when the window is narrow.
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    for (GridFixKind k : kAllGridFixKinds) {
        const float w = ImGui::CalcTextSize(tr(grid_fix_label_zh(k))).x + 2 * ImGui::GetStyle().FramePadding.x;
        ImGui::SameLine();
        if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        if (ImGui::SmallButton(tr(grid_fix_label_zh(k)))) ed.fix(k);
    }
    ImGui::BeginChild("problems", ImVec2(0, std::max(60.0f, ImGui::GetContentRegionAvail().y)), true);
    for (std::size_t i = 0; i < v->problems.size(); ++i) {
        const GridProblem& p = v->problems[i];
        const std::string line = grid_problem_line(p) + "##p" + std::to_string(i);
        if (ImGui::Selectable(line.c_str(), state.grids.problem == static_cast<int>(i))) {
            state.grids.problem = static_cast<int>(i);
            zoom_to_problem(state, p);
        }
        if (ImGui::IsItemHovered() && !p.detail.empty()) ImGui::SetTooltip("%s", p.detail_phrase.shown().c_str());
    }
    ImGui::EndChild();
}

} // namespace

std::string grid_problem_line(const GridProblem& p) {
    std::string grids;
    for (const auto& g : p.grids) grids += (grids.empty() ? "" : "、") + g.label();
    std::string line = std::string(tr(grid_problem_label_zh(p.kind))) + " " + grids;
    if (!p.enterprise_name.empty()) line += " " + p.enterprise_name;
    if (p.area_m2 > 0) line += " " + area_text(p.area_m2) + " m²";
    return line;
}

void draw_grid_panel(ViewerState& state, float fb_scale) {
    if (!state.model) return;
    GridEditor& ed = state.grids.editor;
    ImGuiIO& io = ImGui::GetIO();
    if (state.input_enabled && !io.WantCaptureKeyboard && ImGui::IsKeyPressed(GLFW_KEY_G)) state.grids.open = !state.grids.open;
    if (!state.grids.open) return;
    MapFrame f{state.layout.map, fb_scale, &state.camera};

    // A fixed box at the map's top left, short enough to leave a wide map's jurisdiction visible
    // (the home view centres it vertically) and clear of the north arrow.
    const float width = std::min(470.0f, std::max(200.0f, state.layout.map.width() - 70));
    ImGui::SetNextWindowPos(ImVec2(state.layout.map.x0 + 8, state.layout.map.y0 + 8), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(width, kPanelHeight), ImGuiCond_Always);
    // The title translates; the ID after ### stays, so the window keeps its place and state.
    const std::string title = std::string(_("网格编辑")) + "###grid_editor";
    if (ImGui::Begin(title.c_str(), &state.grids.open, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        for (GridTool t : {GridTool::none, GridTool::draw, GridTool::vertex, GridTool::move, GridTool::split, GridTool::merge,
                           GridTool::remove}) {
            // The tools flow onto the next line when their names are long (English) or the window narrow.
            const char* label = tr(grid_tool_label_zh(t));
            const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
            if (t != GridTool::none) {
                ImGui::SameLine();
                if (ImGui::GetCursorScreenPos().x + w > ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
            }
            if (ImGui::RadioButton(label, ed.tool() == t)) ed.set_tool(t);
        }
        if (!ed.can_undo()) ImGui::BeginDisabled();
        if (ImGui::Button(_("撤销"))) ed.undo();
        if (!ed.can_undo()) ImGui::EndDisabled();
        ImGui::SameLine();
        if (!ed.can_redo()) ImGui::BeginDisabled();
        if (ImGui::Button(_("重做"))) ed.redo();
        if (!ed.can_redo()) ImGui::EndDisabled();
        const char* hint = nullptr;
        switch (ed.tool()) {
        case GridTool::draw: hint = _("单击加点, 双击或回车闭合, Esc 取消"); break;
        case GridTool::vertex: hint = _("单击选网格, 拖动节点, 双击边插入, 右键删除"); break;
        case GridTool::split: hint = _("画穿过网格的线, 双击或回车分割"); break;
        case GridTool::merge: hint = _("依次单击两个相邻网格"); break;
        case GridTool::remove: hint = _("单击要删除的网格"); break;
        case GridTool::move: hint = _("拖动网格到新位置 (松开即保存)"); break;
        case GridTool::none: break;
        }
        if (hint) {
            ImGui::SameLine();
            ImGui::TextDisabled("%s", hint);
        }
        if (!ed.message().empty()) {
            if (ed.last_failed()) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(200, 0, 0, 255));
            text_wrapped_cjk(ed.message().c_str());
            if (ed.last_failed()) ImGui::PopStyleColor();
        }
        if (ImGui::CollapsingHeader(_("网格草案"))) draft_section(state);
        if (ImGui::CollapsingHeader(_("网格检查"), ImGuiTreeNodeFlags_DefaultOpen)) check_section(state);
    }
    ImGui::End();
    if (state.input_enabled && ed.tool() != GridTool::none) {
        if (!io.WantCaptureKeyboard && io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z)) ed.undo();
        if (!io.WantCaptureKeyboard && io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Y)) ed.redo();
        mouse(state, f);
    }
    overlay(state, f);
}

bool grid_tool_takes_clicks(const ViewerState& state) {
    return state.grids.open && state.grids.editor.tool() != GridTool::none;
}

bool run_grid_step(ViewerState& state, const ScriptStep& step, float fb_scale, std::string& error) {
    GridEditor& ed = state.grids.editor;
    state.grids.open = true;
    const MapFrame f{state.layout.map, fb_scale, &state.camera};
    std::vector<MapPoint> points;
    for (std::size_t i = 0; i + 1 < step.coords.size(); i += 2) points.push_back({step.coords[i], step.coords[i + 1]});
    const double tol = f.tolerance(step.snap_px);
    const std::string& a = step.field;
    const int serial = ed.message_serial();
    bool ok = true;
    if (a == "draw") ok = ed.draw_polygon(points, tol);
    else if (a == "split") ok = ed.split(step.names.at(0), points);
    else if (a == "merge") ok = ed.merge(step.names.at(0), step.names.at(1));
    else if (a == "delete") ok = ed.remove(step.names.at(0));
    else if (a == "move") ok = ed.move(step.names.at(0), step.coords.at(0), step.coords.at(1));
    else if (a == "draft") ok = ed.draft(step.names.at(0), static_cast<int>(step.number), step.names.size() > 1);
    else if (a == "undo") ok = ed.undo();
    else if (a == "redo") ok = ed.redo();
    else if (a == "check") {
        ed.validate();
        if (const auto& v = ed.validation()) {
            std::cout << "网格检查: " << v->problems.size() << " 个问题";
            for (const auto& [kind, n] : v->counts()) std::cout << ", " << grid_problem_code(kind) << " " << n;
            std::cout << '\n' << std::flush;
        }
    }
    else if (a == "fix") {
        std::optional<GridFixKind> kind;
        if (!step.names.empty()) {
            kind = grid_fix_kind(step.names[0]);
            if (!kind) {
                error = "no grid fix named " + step.names[0];
                return false;
            }
        }
        ok = ed.fix(kind);
    } else if (a == "problem") {
        const auto& v = ed.validation();
        if (!v || step.number > static_cast<long long>(v->problems.size())) {
            error = "网格检查 has no problem " + std::to_string(step.number) + " (run 'grid check' first)";
            return false;
        }
        state.grids.problem = static_cast<int>(step.number - 1);
        zoom_to_problem(state, v->problems[static_cast<std::size_t>(state.grids.problem)]);
    } else if (a == "tool") {
        bool found = false;
        static const std::pair<const char*, GridTool> kNames[] = {
            {"none", GridTool::none},   {"draw", GridTool::draw},   {"vertex", GridTool::vertex},
            {"split", GridTool::split}, {"merge", GridTool::merge}, {"delete", GridTool::remove}, {"move", GridTool::move}};
        for (const auto& [en, t] : kNames)
            if (step.names[0] == en || step.names[0] == grid_tool_label_zh(t)) ed.set_tool(t), found = true;
        if (!found) {
            error = "no grid tool named " + step.names[0];
            return false;
        }
    } else if (a == "hover") ed.hover(points.at(0), f.tolerance(step.snap_px > 0 ? step.snap_px : kSnapPx));
    else if (a == "click") ed.click(points.at(0), f.tolerance(step.snap_px > 0 ? step.snap_px : kSnapPx));
    else if (a == "finish") ed.finish();
    const bool new_message = ed.message_serial() != serial;
    if (!ok || (new_message && ed.last_failed())) {
        error = new_message ? ed.message() : "grid " + a + " did nothing";
        return false;
    }
    if (new_message) std::cout << ed.message() << '\n' << std::flush;
    return true;
}

} // namespace qingling::app
