// 搬迁选址 (issue 6): for the selected 限期搬迁 enterprise, its candidate sites from core/relocation
// (searched on a worker thread, sites_job) in a window over the bottom of the map: the ranked list
// with score, usable area, distance, park and the reasons; reserve / release; park capacity. Drawn
// over the map: each candidate's usable piece, a line from the current site and the rank; on demand
// the areas each constraint eliminated, one colour each with a legend.
#include "app/panels.hpp"
#include "app/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace qingling::app {

namespace {

constexpr float kPanelHeight = 300.0f;
constexpr float kMarkerRadius = 10.0f;

ImU32 col(Rgba c) { return to_imgui(c); }
ImU32 opaque(Rgba c) { return IM_COL32(c.r, c.g, c.b, 255); }

std::string num(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

struct Frame {
    PixelRect rect;
    float fb_scale = 1;
    const Camera* camera = nullptr;
    ImVec2 to_window(Vec2 w) const {
        const Vec2 s = camera->world_to_screen(w);
        return ImVec2(rect.x0 + static_cast<float>(s.x) / fb_scale, rect.y0 + static_cast<float>(s.y) / fb_scale);
    }
};

// The triangles of a shape as one colour (no anti-aliasing: a flat, even tint).
void fill_shape(ImDrawList* dl, const OverlayShape& s, const Frame& f, ImU32 colour) {
    const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
    constexpr std::size_t kChunk = 30000;  // ImDrawIdx is 16-bit: fewer than 65536 vertices per reservation
    for (std::size_t start = 0; start < s.triangles.size(); start += kChunk) {
        const int n = static_cast<int>(std::min(kChunk, s.triangles.size() - start));
        dl->PrimReserve(n, n);
        for (int i = 0; i < n; ++i) {
            dl->PrimWriteIdx(static_cast<ImDrawIdx>(dl->_VtxCurrentIdx));
            dl->PrimWriteVtx(f.to_window(s.triangles[start + static_cast<std::size_t>(i)]), uv, colour);
        }
    }
}

void outline_shape(ImDrawList* dl, const OverlayShape& s, const Frame& f, ImU32 colour, float px) {
    for (const auto& ring : s.rings) {
        std::vector<ImVec2> pts;
        pts.reserve(ring.size());
        for (const Vec2& v : ring) pts.push_back(f.to_window(v));
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, ImDrawFlags_Closed, px);
    }
}

bool in_view(const OverlayShape& s, const Extent& view) {
    return !s.extent.empty() && s.extent.maxx >= view.minx && s.extent.minx <= view.maxx && s.extent.maxy >= view.miny &&
           s.extent.miny <= view.maxy;
}

// The legend's name of an eliminated kind (translated, short; the setback with its distance).
std::string eliminated_name(const EliminatedArea& a, double setback_m) {
    if (a.kind == "zone") return _("三区 (基本农田/生态红线/水源保护区)");
    if (a.kind == "setback") {
        char buf[128];
        std::snprintf(buf, sizeof buf, _("敏感点防护距离 %.0f 米"), setback_m);
        return buf;
    }
    if (a.kind == "footprint") return _("现有企业占地");
    if (a.kind == "occupied") return _("已占用地块");
    if (a.kind == "reserved") return _("已预留给其他企业");
    return a.label;
}

// Shows the extent in the part of the map above the panel, with a margin.
void fit_above_panel(ViewerState& state, Extent e) {
    state.zoom_to_beside_panel(e, kPanelHeight + 8, ViewerState::PanelEdge::bottom, 40);
}

Extent result_extent(const SitesOutcome& r) {
    Extent e;
    if (r.site_is_point || !r.site.empty()) e.add(r.site_point.x, r.site_point.y);
    e.add(r.site.extent);
    for (const OverlayShape& p : r.pieces) e.add(p.extent);
    if (r.allocated_piece) e.add(r.allocated_piece->extent);
    return e;
}

void choose_candidate(ViewerState& state, int index) {
    SitesPanelState& s = state.sites;
    if (!s.result || index < 0 || index >= static_cast<int>(s.result->pieces.size())) return;
    s.selected = index;
    Extent e = s.result->pieces[static_cast<std::size_t>(index)].extent;
    if (e.empty()) {
        const SiteCandidate& c = s.result->entry.candidates[static_cast<std::size_t>(index)];
        e.add(c.x, c.y);
    }
    fit_above_panel(state, e);
}

bool is_reserved(const SitesPanelState& s, const SiteCandidate& c) {
    return s.reservation && s.reservation->site_layer == c.site_layer && s.reservation->site_fid == c.site_fid;
}

void start_search(ViewerState& state, long long enterprise_id) {
    SitesPanelState& s = state.sites;
    if (s.enterprise_id != enterprise_id) {
        s.result.reset();
        s.reservation.reset();
        s.selected = -1;
        s.message.clear();
        s.fit_request = true;
    }
    s.enterprise_id = enterprise_id;
    s.open = true;
    s.request = true;
}

// Reserve the chosen candidate / release the reservation; the search runs again afterwards.
bool reserve(ViewerState& state, int index) {
    SitesPanelState& s = state.sites;
    if (!state.model || !s.result || index < 0 || index >= static_cast<int>(s.result->entry.candidates.size())) return false;
    const SiteCandidate& c = s.result->entry.candidates[static_cast<std::size_t>(index)];
    std::string error;
    s.message_failed = !reserve_site_for(state.model->path, s.enterprise_id, c, error);
    s.message = s.message_failed ? error : std::string(_("已预留 ")) + c.label;
    s.request = !s.message_failed;
    return !s.message_failed;
}

bool release(ViewerState& state) {
    SitesPanelState& s = state.sites;
    if (!state.model) return false;
    std::string error;
    s.message_failed = !release_site_of(state.model->path, s.enterprise_id, error);
    s.message = s.message_failed ? error : std::string(_("已释放预留"));
    s.request = !s.message_failed;
    return !s.message_failed;
}

void candidates_tab(ViewerState& state) {
    SitesPanelState& s = state.sites;
    const SitesOutcome& r = *s.result;
    const auto& list = r.entry.candidates;
    if (list.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(190, 0, 0, 255));
        std::string reason;
        for (const Phrase& part : r.entry.reason_phrases) reason += part.shown();  // in the UI language
        text_wrapped_cjk(reason.empty() ? _("没有候选用地") : reason.c_str());
        ImGui::PopStyleColor();
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    const float list_width = std::max(200.0f, avail * 0.58f);
    ImGui::BeginChild("candidates", ImVec2(list_width, 0), false);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("list", 6, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(_("名次"));
        ImGui::TableSetupColumn(_("地块"));
        ImGui::TableSetupColumn(_("园区"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(_("得分"));
        ImGui::TableSetupColumn(_("面积 m²"));
        ImGui::TableSetupColumn(_("距离 m"));
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < list.size(); ++i) {
            const SiteCandidate& c = list[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string rank = std::to_string(i + 1) + (is_reserved(s, c) ? std::string(" ") + _("预留") : "") + "##c" +
                                     std::to_string(i);
            if (ImGui::Selectable(rank.c_str(), s.selected == static_cast<int>(i), ImGuiSelectableFlags_SpanAllColumns))
                choose_candidate(state, static_cast<int>(i));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.label.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.park.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.1f", c.score);
            ImGui::TableNextColumn();
            ImGui::Text("%.0f", c.area_m2);
            ImGui::TableNextColumn();
            if (c.distance_m >= 0) ImGui::Text("%.0f", c.distance_m);
            else ImGui::TextDisabled("—");
        }
        ImGui::EndTable();
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("reasons", ImVec2(0, 0), true);
    const int shown = s.selected >= 0 && s.selected < static_cast<int>(list.size()) ? s.selected : 0;
    const SiteCandidate& c = list[static_cast<std::size_t>(shown)];
    ImGui::Text(_("第 %d 名 %s, 得分 %.1f"), shown + 1, c.label.c_str(), c.score);
    for (const Phrase& reason : c.reason_phrases) {
        ImGui::Bullet();
        text_wrapped_cjk(reason.shown().c_str());
    }
    ImGui::EndChild();
}

void capacity_tab(const SitesOutcome& r) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("parks", 6, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(_("园区"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(_("工业用地 m²"));
    ImGui::TableSetupColumn(_("已占用 m²"));
    ImGui::TableSetupColumn(_("已预留 m²"));
    ImGui::TableSetupColumn(_("剩余 m²"));
    ImGui::TableSetupColumn(_("空闲地块"));
    ImGui::TableHeadersRow();
    for (const ParkCapacity& p : r.parks) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.park.c_str());
        for (double v : {p.industrial_m2, p.occupied_m2, p.reserved_m2, p.remaining_m2}) {
            ImGui::TableNextColumn();
            ImGui::Text("%.0f", v);
        }
        ImGui::TableNextColumn();
        ImGui::Text("%d / %d", p.free_parcels, p.parcels);
    }
    ImGui::EndTable();
}

void panel(ViewerState& state) {
    SitesPanelState& s = state.sites;
    const PixelRect& m = state.layout.map;
    ImGui::SetNextWindowPos(ImVec2(m.x0 + 4, m.y1 - kPanelHeight - 4), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::max(200.0f, m.width() - 8), kPanelHeight), ImGuiCond_Always);
    const std::string title = std::string(_("搬迁选址")) + "###sites";
    if (ImGui::Begin(title.c_str(), &s.open, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        const EnterpriseItem* e = state.model->find_enterprise(s.enterprise_id);
        if (s.running) {
            ImGui::TextUnformatted(s.stage.empty() ? _("正在准备…") : tr(s.stage).c_str());
            ImGui::SameLine();
            ImGui::ProgressBar(static_cast<float>(s.fraction), ImVec2(160, 0));
        }
        if (!s.result) {
            if (!s.running) text_disabled_wrapped(_("选择一家限期搬迁企业, 再点检查器中的「搬迁选址」"));
        } else {
            const RelocationEntry& en = s.result->entry;
            text_wrapped_cjkf(_("%s · %s (%d 类) · 需用地 %.0f m² · 候选 %d 块"), e ? e->record.name.c_str() : en.name.c_str(),
                              shown_industry(en.industry).c_str(), en.pollution_class, en.need_m2, en.candidate_count);
            ImGui::Checkbox(_("显示排除区域"), &s.show_eliminated);
            ImGui::SameLine();
            const bool can_reserve = s.selected >= 0 && !s.reservation && !s.running;
            if (!can_reserve) ImGui::BeginDisabled();
            if (ImGui::Button(_("预留所选地块"))) reserve(state, s.selected);
            if (!can_reserve) ImGui::EndDisabled();
            ImGui::SameLine();
            const bool can_release = s.reservation.has_value() && !s.running;
            if (!can_release) ImGui::BeginDisabled();
            if (ImGui::Button(_("释放预留"))) release(state);
            if (!can_release) ImGui::EndDisabled();
            if (s.reservation) {
                // Named like the list names it (DKBH), else by layer and feature.
                std::string site = s.reservation->site_layer + "#" + std::to_string(s.reservation->site_fid);
                for (const SiteCandidate& c : en.candidates)
                    if (is_reserved(s, c)) site = c.label;
                if (en.allocated && en.reserved) site = en.allocated->label;
                ImGui::TextColored(to_imgui_vec(kSiteReservedOutline), _("已预留 %s (%s, %s)"), site.c_str(),
                                   s.reservation->user.c_str(), s.reservation->at.c_str());
            }
            if (!s.message.empty()) {
                if (s.message_failed) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(200, 0, 0, 255));
                text_wrapped_cjk(s.message.c_str());
                if (s.message_failed) ImGui::PopStyleColor();
            }
            if (ImGui::BeginTabBar("sites_tabs")) {
                if (ImGui::BeginTabItem(_("候选地块"))) {
                    candidates_tab(state);
                    ImGui::EndTabItem();
                }
                if (ImGui::BeginTabItem(_("园区容量"))) {
                    capacity_tab(*s.result);
                    ImGui::EndTabItem();
                }
                ImGui::EndTabBar();
            }
        }
    }
    ImGui::End();
}

// At the map's top left (the north arrow is top right); kinds absent near the enterprise greyed.
void legend(ViewerState& state, float fb_scale) {
    SitesPanelState& s = state.sites;
    const auto& areas = s.result->entry.eliminated;
    const PixelRect& m = state.layout.map;
    ImGui::SetNextWindowPos(ImVec2(m.x0 + 8, m.y0 + 8), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.88f);
    const std::string title = std::string(_("排除区域")) + "###sites_legend";
    if (ImGui::Begin(title.c_str(), nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize |
                                                 ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoInputs)) {
        auto swatch = [&](Rgba fill, Rgba line, const std::string& text, bool present) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float h = ImGui::GetTextLineHeight();
            ImDrawList* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(p, ImVec2(p.x + 20, p.y + h), IM_COL32(255, 255, 255, 255));
            dl->AddRectFilled(p, ImVec2(p.x + 20, p.y + h), col(fill));
            dl->AddRect(p, ImVec2(p.x + 20, p.y + h), opaque(line));
            ImGui::Dummy(ImVec2(20, h));
            ImGui::SameLine();
            if (present) ImGui::TextUnformatted(text.c_str());
            else ImGui::TextDisabled("%s %s", text.c_str(), _("(附近没有)"));
        };
        swatch(kSiteCandidateFill, kSiteCandidateOutline, _("候选地块 (可用部分)"), true);
        for (const EliminatedArea& a : areas)
            swatch(eliminated_fill(a.kind), eliminated_fill(a.kind), eliminated_name(a, s.result->entry.setback_m), !a.wkb.empty());
        const ImVec2 p = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
        s.legend_px = {p.x * fb_scale, p.y * fb_scale, (p.x + size.x) * fb_scale, (p.y + size.y) * fb_scale};
    }
    ImGui::End();
}

void overlay(const ViewerState& state, float fb_scale) {
    const SitesPanelState& s = state.sites;
    const SitesOutcome& r = *s.result;
    const Frame f{state.layout.map, fb_scale, &state.camera};
    const Extent view = state.camera.visible_extent();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const PixelRect& m = state.layout.map;
    dl->PushClipRect(ImVec2(m.x0, m.y0), ImVec2(m.x1, m.y1), true);
    if (s.show_eliminated)
        for (std::size_t i = 0; i < r.eliminated.size() && i < r.entry.eliminated.size(); ++i) {
            if (!in_view(r.eliminated[i], view)) continue;
            const Rgba c = eliminated_fill(r.entry.eliminated[i].kind);
            fill_shape(dl, r.eliminated[i], f, col(c));
            outline_shape(dl, r.eliminated[i], f, opaque(c), 1.0f);
        }
    const auto& list = r.entry.candidates;
    for (std::size_t i = 0; i < r.pieces.size(); ++i) {
        if (!in_view(r.pieces[i], view)) continue;
        fill_shape(dl, r.pieces[i], f, col(kSiteCandidateFill));
        outline_shape(dl, r.pieces[i], f, col(kSiteCandidateOutline), 1.5f);
    }
    if (r.allocated_piece) fill_shape(dl, *r.allocated_piece, f, col(kSiteCandidateFill));
    // The reserved site in a wide blue outline, the chosen one in a narrower amber one on top.
    for (std::size_t i = 0; i < r.pieces.size(); ++i)
        if (is_reserved(s, list[i])) outline_shape(dl, r.pieces[i], f, col(kSiteReservedOutline), 7.0f);
    if (r.allocated_piece) outline_shape(dl, *r.allocated_piece, f, col(kSiteReservedOutline), 7.0f);
    if (s.selected >= 0 && s.selected < static_cast<int>(r.pieces.size()))
        outline_shape(dl, r.pieces[static_cast<std::size_t>(s.selected)], f, col(kSiteMarkerChosen), 2.5f);
    // Lines from the current site, then the rank markers over them.
    const bool located = r.site_is_point || !r.site.empty();
    const ImVec2 from = f.to_window(r.site_point);
    if (located) {
        for (const SiteCandidate& c : list) {
            const ImVec2 to = f.to_window({c.x, c.y});
            dl->AddLine(from, to, IM_COL32(255, 255, 255, 220), kSiteLinePx + 3);
            dl->AddLine(from, to, col(kSiteLine), kSiteLinePx);
        }
        if (!r.site.empty()) outline_shape(dl, r.site, f, IM_COL32(20, 20, 20, 255), 2.0f);
        dl->AddCircle(from, 9, IM_COL32(255, 255, 255, 255), 24, 4.0f);
        dl->AddCircle(from, 9, IM_COL32(20, 20, 20, 255), 24, 2.0f);
    }
    for (std::size_t i = list.size(); i-- > 0;) {
        const SiteCandidate& c = list[i];
        const ImVec2 p = f.to_window({c.x, c.y});
        const Rgba fill = static_cast<int>(i) == s.selected ? kSiteMarkerChosen : kSiteMarker;
        dl->AddCircleFilled(p, kMarkerRadius + 1.5f, IM_COL32(255, 255, 255, 255), 24);
        dl->AddCircleFilled(p, kMarkerRadius, col(fill), 24);
        const std::string n = std::to_string(i + 1);
        const ImVec2 size = ImGui::CalcTextSize(n.c_str());
        dl->AddText(ImVec2(p.x - size.x / 2, p.y - size.y / 2), IM_COL32(255, 255, 255, 255), n.c_str());
    }
    dl->PopClipRect();
}

} // namespace

bool poll_sites_job(ViewerState& state, SitesJob& job) {
    SitesPanelState& s = state.sites;
    if (!state.model) return false;
    // With the panel open, choosing another 限期搬迁 enterprise shows its sites.
    if (s.open && !job.running() && !s.request) {
        const EnterpriseItem* e = state.selected_item();
        if (e && e->mark == Mark::relocate && e->record.id != s.enterprise_id) start_search(state, e->record.id);
    }
    if (s.request && !job.running()) {
        s.request = false;
        job.start(state.model->path, s.enterprise_id);
    }
    s.running = job.running();
    s.fraction = job.fraction();
    s.stage = job.stage();
    std::optional<SitesOutcome> outcome = job.take_outcome();
    if (!outcome) return false;
    s.running = false;
    if (!outcome->error.empty()) {
        state.error = outcome->error;
        s.message = outcome->error;
        s.message_failed = true;
    }
    if (outcome->ok && outcome->enterprise_id == s.enterprise_id) {
        std::string text;
        for (const SiteCandidate& c : outcome->entry.candidates) {
            text += c.label + c.park;
            for (const auto& reason : c.reasons) text += reason;
        }
        for (const ParkCapacity& p : outcome->parks) text += p.park;
        text += outcome->entry.reason + outcome->entry.industry + outcome->entry.name;
        state.font_request += text;
        s.result = std::move(*outcome);
        if (s.selected >= static_cast<int>(s.result->entry.candidates.size())) s.selected = -1;
        try {
            s.reservation = reservation_of(state.model->path, s.enterprise_id);
        } catch (const std::exception& e) {
            state.error = e.what();
        }
        if (s.fit_request) fit_above_panel(state, result_extent(*s.result));
        s.fit_request = false;
    }
    return true;
}

void draw_sites_panel(ViewerState& state, float fb_scale) {
    if (!state.model || !state.sites.open) return;
    panel(state);
    if (!state.sites.open) return;  // closed by its button this frame
    if (!state.sites.result) return;
    overlay(state, fb_scale);
    if (state.sites.show_eliminated) legend(state, fb_scale);
}

void open_sites_for(ViewerState& state, long long enterprise_id) { start_search(state, enterprise_id); }

int sites_enterprise_index(const MapModel& model, const std::string& id_or_name) {
    if (!id_or_name.empty() && id_or_name.size() < 15 &&
        std::all_of(id_or_name.begin(), id_or_name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        if (const int index = model.enterprise_index(std::stoll(id_or_name)); index >= 0) return index;
    for (std::size_t i = 0; i < model.enterprises.size(); ++i)
        if (model.enterprises[i].record.name == id_or_name) return static_cast<int>(i);
    return -1;
}

bool run_sites_step(ViewerState& state, SitesJob& job, const ScriptStep& step, std::string& error) {
    SitesPanelState& s = state.sites;
    const MapModel& model = *state.model;
    auto search_now = [&] {
        poll_sites_job(state, job);  // starts it
        job.wait();
        poll_sites_job(state, job);  // takes the outcome
        if (!s.result || s.result->enterprise_id != s.enterprise_id || s.message_failed) {
            error = s.message.empty() ? "the site search failed" : s.message;
            return false;
        }
        return true;
    };
    const std::string& a = step.field;
    if (a == "show") {
        const int index = sites_enterprise_index(model, step.text);
        if (index < 0) {
            error = "the ledger has no enterprise " + step.text;
            return false;
        }
        const long long id = model.enterprises[static_cast<std::size_t>(index)].record.id;
        state.select(index, false);
        s.message.clear();
        s.message_failed = false;
        start_search(state, id);
        s.fit_request = true;
        if (!search_now()) return false;
        const RelocationEntry& en = s.result->entry;
        std::cout << "搬迁选址: " << en.name << " 候选 " << en.candidate_count << " 块, 列出 " << en.candidates.size()
                  << " 块 (" << num("%.2f", s.result->seconds) << " s)" << (en.reason.empty() ? "" : ", " + en.reason) << '\n'
                  << std::flush;
        return true;
    }
    if (a == "close") {
        s.open = false;
        return true;
    }
    if (!s.result) {
        error = "'" + a + "' needs the sites of an enterprise first (step 'sites ID')";
        return false;
    }
    if (a == "eliminated") {
        s.show_eliminated = step.on;
        return true;
    }
    const int index = static_cast<int>(step.number) - 1;
    if ((a == "candidate" || a == "reserve") && index >= static_cast<int>(s.result->entry.candidates.size())) {
        error = "the enterprise has no candidate " + std::to_string(step.number) + " (it has " +
                std::to_string(s.result->entry.candidates.size()) + ")";
        return false;
    }
    if (a == "candidate") {
        choose_candidate(state, index);
        return true;
    }
    if (a == "reserve" || a == "release") {
        const bool ok = a == "reserve" ? reserve(state, index) : release(state);
        std::cout << s.message << '\n' << std::flush;
        if (!ok) {
            error = s.message;
            return false;
        }
        if (a == "reserve") s.selected = index;
        return search_now();
    }
    error = "unknown sites action " + a;
    return false;
}

} // namespace qingling::app
