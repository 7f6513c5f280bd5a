// The viewer's grid editing (网格编辑) without GL: the tool a person uses (draw, edit vertices,
// split, merge, delete), the points clicked so far with snapping, the grids' outlines for hit
// tests, the undo/redo history of the session and the validation (网格检查) with its one-click
// fixes. Edits go through core/grid_edit on a read-write connection of its own, opened for each
// edit and closed again (the map model stays read-only); after an edit the frame loop re-reads the
// grid layers (take_reload). Tolerances arrive in map units (the panel converts pixels).
#pragma once

#include "core/grid_edit.hpp"
#include "core/grid_fix.hpp"
#include "core/grid_validate.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qingling::app {

enum class GridTool { none, draw, vertex, split, merge, remove, move };
const char* grid_tool_label_zh(GridTool tool);  // 绘制, 编辑节点, 分割, 合并, 删除, 移动

struct GridOutline {
    GridKey key;
    std::string name;
    Polygons polygons;
};

class GridEditor {
public:
    // The project edited; clears the tool, the history and the outlines.
    void open(const std::filesystem::path& project);
    bool is_open() const { return !path_.empty(); }

    GridTool tool() const { return tool_; }
    void set_tool(GridTool tool);    // cancels what was in progress

    // Mouse: the pointer moved (snap marker, rubber band, vertex drag); a click (no drag);
    // press/release for dragging a vertex. World coordinates, tolerance in map units.
    void hover(MapPoint world, double tolerance);
    void click(MapPoint world, double tolerance);
    void press(MapPoint world, double tolerance);
    void release(MapPoint world, double tolerance);
    // Vertex tool: a vertex on the selected grid's nearest edge (double click), or the nearest
    // vertex removed (right click); neighbours sharing the edge or vertex change with it.
    void insert_vertex_at(MapPoint world, double tolerance);
    void delete_vertex_at(MapPoint world, double tolerance);
    // Enter or a double click: closes the polygon (draw) or ends the line (split).
    void finish();
    void cancel();                   // Esc: drops the points in progress
    void remove_last_point();        // Backspace while drawing

    // Script steps and buttons: the same edits with explicit coordinates.
    bool draw_polygon(const std::vector<MapPoint>& points, double snap_tolerance, const std::string& name = "");
    bool split(const std::string& grid, const std::vector<MapPoint>& line);
    bool merge(const std::string& a, const std::string& b);
    bool remove(const std::string& grid);
    bool move(const std::string& grid, double dx, double dy);  // the whole grid, by (dx, dy) map units
    bool draft(const std::string& village, int count, bool balanced);  // 网格草案 for a village
    bool undo();
    bool redo();
    bool can_undo() const { return history_.can_undo(); }
    bool can_redo() const { return history_.can_redo(); }
    const std::string& undo_label() const { return history_.undo_label(); }
    const std::string& redo_label() const { return history_.redo_label(); }

    // 网格检查 and its fixes (one kind, or all with none).
    void validate();
    const std::optional<GridValidation>& validation() const { return validation_; }
    bool fix(std::optional<GridFixKind> kind);

    // What the overlay draws.
    const std::vector<GridOutline>& outlines() const { return outlines_; }
    const std::vector<MapPoint>& points() const { return points_; }  // clicked so far (snapped)
    const std::optional<MapPoint>& cursor() const { return cursor_; }
    const SnapResult& snap() const { return snap_; }
    const std::optional<GridKey>& selected() const { return selected_; }   // merge: the first grid; vertex: the grid
    std::optional<VertexRef> dragged_vertex() const { return dragging_ ? std::optional<VertexRef>(drag_vertex_) : std::nullopt; }
    // Move tool: how far the selected grid is being dragged (nullopt when it is not).
    std::optional<MapPoint> move_offset() const;
    bool dragging() const { return dragging_ || moving_; }

    // The outcome of the last action, for the status line ("分割网格: 已保存 …" or the reason).
    const std::string& message() const { return message_; }
    int message_serial() const { return message_serial_; }   // changes with every new message
    bool last_failed() const { return failed_; }
    // True once after every stored edit: the map must re-read the grid layers.
    bool take_reload();

    // The grid whose interior holds the point (the last in layer/fid order: on top), if any.
    std::optional<GridKey> grid_at(MapPoint world) const;
    std::string grid_label(const GridKey& key) const;

private:
    // Undo (or redo) the session's last edit, stored in its own transaction.
    bool step_history(bool redo);
    template <class Build> bool edit(Build build);
    void reload_outlines();
    // After a stored edit: the map must re-read the grids; outlines, snapping, validation again.
    void refresh(bool validate_now);
    std::optional<SnapResult> snapped(MapPoint world, double tolerance) const;

    std::filesystem::path path_;
    GridTool tool_ = GridTool::none;
    GridEditHistory history_;
    std::vector<GridOutline> outlines_;
    std::optional<GridSnapper> snapper_;
    std::vector<MapPoint> points_;
    std::optional<MapPoint> cursor_;
    SnapResult snap_;
    std::optional<GridKey> selected_;
    bool dragging_ = false;
    VertexRef drag_vertex_;
    bool moving_ = false;     // move tool: the selected grid follows the pointer from move_from_
    MapPoint move_from_;
    std::optional<GridValidation> validation_;
    std::string message_;
    int message_serial_ = 0;
    bool failed_ = false;
    bool reload_ = false;
    int drawn_ = 0;   // grids drawn this session (for default names)
};

// The panel's state beside the editor (in ViewerState).
struct GridPanelState {
    GridEditor editor;
    bool open = false;            // the 网格编辑 window (key G, or a script's grid step)
    int problem = -1;             // the validation problem selected (highlighted on the map)
    int draft_village = 0;        // 网格草案: index into the model's villages, grid count, balance
    int draft_count = 3;
    bool draft_balanced = false;
};

} // namespace qingling::app
