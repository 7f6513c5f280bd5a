// The viewer's panels, one per file. Each draws itself into its rectangle of the fixed layout
// and acts on the shared ViewerState.
#pragma once

#include "app/view_script.hpp"
#include "app/viewer_state.hpp"
#include "core/i18n.hpp"

#include <imgui.h>

namespace qingling::app {

void draw_layers_panel(ViewerState& state);     // panel_layers.cpp: visibility and legend
void draw_ledger_panel(ViewerState& state);     // panel_ledger.cpp: the sortable ledger table
void draw_inspector_panel(ViewerState& state);  // panel_inspector.cpp: the selected enterprise
void draw_status_bar(ViewerState& state);       // status_bar.cpp: coordinates and scale
void draw_import_dialogs(ViewerState& state);   // panel_import.cpp: 导入图层 / 导入台账 with a preview
void draw_dashboard(ViewerState& state);        // panel_dashboard.cpp: 整治进度, a tab beside the inspector
// The date the dashboard first shows: the latest recorded change if before today, else today.
// map_view.cpp: mouse and keys over the map, scale bar and north arrow. fb_scale = framebuffer
// pixels per window pixel.
void update_map_view(ViewerState& state, float fb_scale);

// panel_grids.cpp: 网格编辑 and 网格检查 over the map (key G), its mouse handling and drawing.
void draw_grid_panel(ViewerState& state, float fb_scale);
// Whether a grid tool is chosen: a click on the map is then the tool's, not select/identify.
bool grid_tool_takes_clicks(const ViewerState& state);
// A 网格检查 problem as the panel lists it (kind, grids, enterprise, area); its tooltip is
// p.detail_phrase.shown().
std::string grid_problem_line(const GridProblem& p);
// A script's `grid …` step; false with the reason in `error` when it failed.
bool run_grid_step(ViewerState& state, const ScriptStep& step, float fb_scale, std::string& error);

// panel_sites.cpp: 搬迁选址 for the selected 限期搬迁 enterprise over the bottom of the map, with its
// candidates, eliminated areas and reservations drawn on the map. poll_sites_job starts the search
// asked for and takes its result (true when one arrived); run_sites_step runs a script's sites,
// sites-eliminated, site, reserve and release steps (the search waited for); false with `error`.
bool poll_sites_job(ViewerState& state, SitesJob& job);
void draw_sites_panel(ViewerState& state, float fb_scale);
void open_sites_for(ViewerState& state, long long enterprise_id);  // the inspector's 搬迁选址 button
bool run_sites_step(ViewerState& state, SitesJob& job, const ScriptStep& step, std::string& error);
// The enterprise a `sites` step names (ledger id, else name); -1 when none.
int sites_enterprise_index(const MapModel& model, const std::string& id_or_name);

// Wrapped text that breaks between Chinese characters (ImGui::TextWrapped breaks only at spaces).
// After SameLine the continuation lines align under the first one.
void text_wrapped_cjk(const char* text);
void text_wrapped_cjkf(const char* format, ...) IM_FMTARGS(1);
void text_disabled_wrapped(const char* text);  // the same in the disabled (grey) colour
void text_disabled_wrappedf(const char* format, ...) IM_FMTARGS(1);

// Fixed, undecorated-but-titled panel windows at their layout rectangle.
inline bool begin_panel(const char* title, const PixelRect& r, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(ImVec2(r.x0, r.y0), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.width(), r.height()), ImGuiCond_Always);
    return ImGui::Begin(title, nullptr,
                        ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                            ImGuiWindowFlags_NoSavedSettings | extra);
}

inline ImU32 to_imgui(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }
inline ImVec4 to_imgui_vec(Rgba c) { return ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f); }

} // namespace qingling::app
