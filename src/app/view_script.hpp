// The viewer's scripted mode (`qingling PROJECT --script FILE`): steps a user would take, one per
// line, run in order once the map has its size; used by the GUI tests, for making pictures and by
// the frame-time benchmark. The command-line shortcuts (--village, --select, --screenshot …) are
// turned into the same steps, so there is one way the viewer is driven without a mouse. No GL here.
//
//   # comment
//   home                      the default view (whole jurisdiction)
//   village 青岭村            zoom to a village (its name in the village layer)
//   select 17                 select the enterprise with this ledger id and centre on it
//   finding 2                 zoom to the selected enterprise's 2nd finding
//   zoom 4                    magnify around the centre by this factor
//   center 528400,3386900     centre on this point (project CRS)
//   pan 40,-25                move the map as a mouse drag of this many pixels does (right, down)
//   width 2000                show this many map units across the map
//   identify 528400,3386900   identify the features here, as a click on the map does
//   layer DLTB off            hide (on: show) a layer by its name
//   opacity DLTB 0.5          draw a layer's fill at this opacity (0..1)
//   screenshot out.png        write the window to a PNG (after the view has settled)
//   dump-view out.json        with the next screenshot: what the picture shows, as JSON
//   frames 20                 draw the map 20 times and print the frame times (median, max)
//   timings                   print how long opening the project took
//   check                     run the conformity check (default rules) as the button does, and wait
//   filter industry 砖瓦      filter the ledger table: text, village, industry, category (依法关闭 …,
//                             未检查) or flag (散, 乱, 污, 无问题); `filter clear` shows every row
//   dashboard 2024-12-20      show the 整治进度 tab as of this date
//   theme status              colour the enterprises by category, status or deadline (按分类 …)
//   date 2024-10-15           the timeline: the map and the dashboard as of this date
//   preview-layer PATH ROLE [ENCODING] [EPSG]   open 导入图层 on a file with its preview (no import);
//                             ENCODING auto, GBK, UTF-8 …; EPSG a number or auto
//   import-layer PATH ROLE [ENCODING] [EPSG]    the same, then import it as the dialog's button does,
//                             and wait (the map reloads; a failure shows the error dialog)
//   preview-ledger PATH [ENCODING]              open 导入台账 with its preview
//   import-ledger PATH [ENCODING]               the same, then import the ledger and wait
//   language en               switch the UI language (zh, en) as the status bar's choice does, at
//                             once: the next step's messages are in the new language
//   grid draw X,Y X,Y X,Y … [snap PX]   网格编辑: draw a grid through these points, each snapped
//                             within PX pixels to villages, the jurisdiction and other grids
//   grid split NAME X,Y X,Y … split a grid with a line;  grid merge A B;  grid delete NAME
//   grid move NAME DX,DY      move a whole grid by this offset (map units)
//   grid draft 甲村 3 [balanced]   网格草案: 3 grids for the village (strips; balanced by enterprises)
//   grid undo | grid redo     undo/redo the last grid edit of the session
//   grid check                show 网格检查 (validation);  grid fix [gap|overlap|…]: one-click fixes
//   grid problem 2            select 网格检查's 2nd problem: zoom to it and highlight it
//   grid tool 绘制|编辑节点|分割|合并|删除|浏览   choose the editing tool (opens the panel)
//   grid hover X,Y | grid click X,Y [snap PX] | grid finish   the mouse, as a person uses the tool
//   sites 36 | sites 某某厂    搬迁选址: select this 限期搬迁 enterprise (ledger id or name), show its
//                             candidate sites and wait for the search; `sites close` hides them
//   sites-eliminated on|off   show the areas each constraint eliminated (the panel's toggle)
//   site 2                    choose the 2nd candidate and zoom to it, as a click in the list does
//   reserve 2 | release       reserve the 2nd candidate for the enterprise / release its reservation
//   export-view OUT.pdf|png [PRESET] [PAGE] [DPI]   导出当前视图: the current view's extent and
//                             layers through core's map layout, as the dialog's button does, and wait;
//                             PRESET 分布图 … or distribution …, PAGE A4P|A4L|A3P|A3L, DPI for PNG
//                             (`preview`: the layout preview's, so the two can be compared)
//   layout-preview on|off [FILE]   open (close) the export dialog with its layout preview; with
//                             FILE, wait for the preview and write its texture's pixels to FILE (PNG)
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace qingling::app {

struct ScriptStep {
    enum class Kind { home, village, select, finding, zoom, center, pan, width, identify, layer, opacity, screenshot, dump_view, frames, timings, check, filter, dashboard,
                      theme, date, preview_layer, import_layer, preview_ledger, import_ledger, language, grid,
                      sites, export_view, layout_preview };
    Kind kind = Kind::home;
    std::string text;      // village / layer name, file, filter value, language
    std::string role;      // import-layer: the layer's role
    std::string encoding;  // import steps: "auto" unless given
    std::string epsg;      // import-layer: "" (auto) or the source CRS's EPSG code
    std::string field;     // filter: text, village, industry, category, flag, clear; grid: the action;
                           // sites: show, close, eliminated, candidate, reserve, release
    std::vector<double> coords;  // grid: x1, y1, x2, y2 … (project CRS)
    std::vector<std::string> names;  // grid: grid names (split, merge, delete), the tool, the fix kind
    double snap_px = 0;    // grid draw/click: snap tolerance in pixels (0: none)
    double x = 0, y = 0;   // center, identify; zoom factor / width / opacity in x
    long long number = 0;  // select id, finding number, frame count
    bool on = true;        // layer on/off
    int line = 0;          // in the script file (0: from the command line)

    // Steps that look at the rendered picture wait until the view has settled.
    bool needs_settled_view() const { return kind == Kind::screenshot || kind == Kind::frames; }
};

class ScriptError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses a script; throws ScriptError "FILE:LINE: reason" for the first bad line.
std::vector<ScriptStep> parse_view_script(std::istream& in, const std::string& file_name);

} // namespace qingling::app
