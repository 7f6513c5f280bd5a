#include "app/view_dump.hpp"

#include "app/import_job.hpp"
#include "app/labels.hpp"
#include "app/map_query.hpp"
#include "app/sites_job.hpp"
#include "app/style.hpp"

#include <nlohmann/json.hpp>

namespace qingling::app {

namespace {
nlohmann::json colour_json(Rgba c) { return nlohmann::json::array({c.r, c.g, c.b}); }
nlohmann::json rect_json(const PixelRect& r) { return nlohmann::json::array({r.x0, r.y0, r.x1, r.y1}); }
} // namespace

std::string view_dump_json(const MapModel& model, const Camera& camera, int image_width, int image_height,
                           const PixelRect& map_rect, const std::vector<LegendSwatch>& legend, int selected,
                           const ViewDumpExtras& extras) {
    using nlohmann::json;
    json j;
    j["image"] = json::array({image_width, image_height});
    j["map_rect"] = rect_json(map_rect);
    j["epsg"] = model.settings.epsg;
    j["camera"] = {{"center", json::array({camera.center().x, camera.center().y})},
                   {"resolution", camera.resolution()},
                   {"viewport", json::array({camera.width(), camera.height()})},
                   {"scale", camera.scale_denominator(model.metres_per_unit)}};
    const Extent home = model.home_extent();
    j["home_extent"] = home.empty() ? json(nullptr) : json::array({home.minx, home.miny, home.maxx, home.maxy});
    j["selected"] = selected >= 0 && selected < static_cast<int>(model.enterprises.size())
                        ? json(model.enterprises[static_cast<size_t>(selected)].record.id)
                        : json(nullptr);
    const EnterpriseSymbols* symbols = extras.symbols;
    if (symbols) {
        j["theme"] = symbol_theme_code(symbols->theme);
        j["as_of"] = symbols->as_of;
    }
    json enterprises = json::array();
    for (size_t i = 0; i < model.enterprises.size(); ++i) {
        const EnterpriseItem& e = model.enterprises[i];
        if (!e.has_point) continue;
        const Vec2 s = camera.world_to_screen(e.position);
        // The colour it is drawn in, and the class of the theme (null: not on the map at the date).
        const int c = symbols ? symbols->class_of_enterprise(i) : static_cast<int>(e.mark);
        const SymbolClass* k = symbols && c >= 0 ? &symbols->classes[static_cast<size_t>(c)] : nullptr;
        enterprises.push_back({{"id", e.record.id},
                               {"name", e.record.name},
                               {"mark", mark_label_zh(e.mark)},
                               {"flags", e.verdict ? std::string(e.verdict->san ? "散" : "") + (e.verdict->luan ? "乱" : "") +
                                                         (e.verdict->wu ? "污" : "")
                                                   : std::string()},
                               {"colour", colour_json(k ? k->colour : mark_colour(e.mark))},
                               {"class", k ? json(k->label) : symbols ? json(nullptr) : json(mark_label_zh(e.mark))},
                               {"world", json::array({e.position.x, e.position.y})},
                               {"screen", json::array({map_rect.x0 + s.x, map_rect.y0 + s.y})}});
    }
    j["enterprises"] = std::move(enterprises);
    json swatches = json::array();
    for (const LegendSwatch& s : legend)
        swatches.push_back({{"label", s.label},
                            {"colour", colour_json(s.colour)},
                            {"rect", rect_json(s.rect)},
                            {"label_rect", s.label_rect.width() > 0 ? rect_json(s.label_rect) : json(nullptr)}});
    j["legend"] = std::move(swatches);
    j["layers_panel"] = rect_json(extras.layers_panel);

    json labels = json::array();
    if (extras.labels)
        for (const PlacedLabel& l : *extras.labels) {
            const char* kind = l.kind == LabelKind::village ? "village" : l.kind == LabelKind::distance ? "distance" : "enterprise";
            labels.push_back({{"text", l.text}, {"kind", kind}, {"id", l.id}, {"rect", rect_json(l.rect)}});
        }
    j["labels"] = std::move(labels);

    json highlights = json::array();
    const EnterpriseItem* sel = selected >= 0 && selected < static_cast<int>(model.enterprises.size())
                                    ? &model.enterprises[static_cast<size_t>(selected)]
                                    : nullptr;
    if (extras.highlights && sel && sel->verdict)
        for (const FindingHighlight& h : *extras.highlights) {
            const Finding& f = sel->verdict->findings.at(static_cast<size_t>(h.finding));
            json item = {{"finding", h.finding}, {"rule", f.rule}, {"layer", f.layer}, {"fid", f.feature_id}};
            if (h.has_line) {
                const Vec2 a = camera.world_to_screen(h.from), b = camera.world_to_screen(h.to);
                item["line"] = {{"from", json::array({h.from.x, h.from.y})},
                                {"to", json::array({h.to.x, h.to.y})},
                                {"from_screen", json::array({map_rect.x0 + a.x, map_rect.y0 + a.y})},
                                {"to_screen", json::array({map_rect.x0 + b.x, map_rect.y0 + b.y})},
                                {"length", h.length}};
            }
            highlights.push_back(std::move(item));
        }
    j["highlights"] = std::move(highlights);
    // The selected enterprise's findings and industry as the inspector shows them (UI language).
    json shown_findings = json::array();
    if (sel && sel->verdict)
        for (const Finding& f : sel->verdict->findings)
            shown_findings.push_back({{"rule", f.rule}, {"explanation", shown_explanation(f)}});
    j["selected_findings"] = std::move(shown_findings);
    j["selected_industry"] = sel ? json(shown_industry(sel->record.industry)) : json(nullptr);

    if (extras.ledger_rows) j["ledger_rows"] = *extras.ledger_rows;
    if (extras.draw)
        j["draw"] = {{"tiles", extras.draw->tiles},
                     {"tiles_triangulated", extras.draw->tiles_triangulated},
                     {"tiles_pending", extras.draw->tiles_pending},
                     {"image", extras.draw->image},
                     {"layers_with_later_bands", extras.draw->layers_with_later_bands}};
    if (extras.dashboard) {
        const CampaignSummary& d = *extras.dashboard;
        std::vector<long long> overdue;
        for (const auto& p : d.overdue_list) overdue.push_back(p.id);
        json relapse_explanations = json::array();  // as the tab shows them, in the UI language
        for (const RelapseFlag& f : d.relapses) relapse_explanations.push_back(f.explanation_phrase.shown());
        j["dashboard"] = {{"as_of", d.as_of},
                          {"total", d.total},
                          {"done", d.done},
                          {"remaining", d.remaining},
                          {"overdue", d.overdue},
                          {"overdue_ids", overdue},
                          {"relapses", d.relapses.size()},
                          {"relapse_explanations", std::move(relapse_explanations)}};
    }
    if (extras.identified) {
        const IdentifyResult& r = *extras.identified;
        json features = json::array();
        for (const IdentifiedFeature& f : r.features) {
            json attributes = json::object();
            for (const auto& [k, v] : f.attributes) attributes[k] = v;
            features.push_back({{"layer", f.layer_name},
                                {"role", f.role},
                                {"fid", f.fid},
                                {"code", f.code},
                                {"code_name", f.code_name},
                                {"code_name_shown", f.shown_code_name()},
                                {"area", f.area ? json(*f.area) : json(nullptr)},
                                {"area_from_attribute", f.area_from_attribute},
                                {"village", f.village},
                                {"attributes", std::move(attributes)}});
        }
        j["identify"] = {{"world", json::array({r.world.x, r.world.y})},
                         {"village", r.village},
                         {"error", r.error},
                         {"features", std::move(features)}};
    } else {
        j["identify"] = nullptr;
    }
    json layers = json::array();
    for (const MapLayer& layer : model.layers)
        layers.push_back({{"name", layer.info.name}, {"role", layer.info.role}, {"features", layer.features.size()}});
    j["layers"] = std::move(layers);
    j["language"] = extras.language;
    j["panel_titles"] = extras.panel_titles;
    j["error_dialog"] = extras.error_dialog;
    j["grid_message"] = extras.grid_message;
    json grid_problems = json::array();
    for (const auto& [text, detail] : extras.grid_problems) grid_problems.push_back({{"text", text}, {"detail", detail}});
    j["grid_problems"] = std::move(grid_problems);
    if (extras.import_preview && !extras.import_preview->file.empty()) {
        const ImportPreview& p = *extras.import_preview;
        json preview = {{"file", p.file}, {"error", p.error}};
        if (p.layer) {
            preview["encoding"] = p.layer->encoding;
            preview["encoding_how"] = p.layer->encoding_how;
            preview["crs"] = p.layer->source_crs;
            preview["crs_how"] = p.layer->crs_how;
            preview["fields"] = p.layer->fields;
            preview["rows"] = p.layer->rows;
        }
        if (p.ledger) {
            const LedgerImportReport& r = p.ledger->report;
            json problems = json::array();
            for (const LedgerProblem& problem : r.problems)
                problems.push_back({{"row", problem.row}, {"column", problem.column}, {"message", problem.message}});
            json rows = json::array();
            for (const LedgerRecord& record : p.ledger->first_rows)
                rows.push_back({{"row", record.source_row}, {"name", record.name}, {"village", record.village}});
            preview["encoding"] = r.encoding;
            preview["ledger"] = {{"rows_read", r.rows_read}, {"importable", r.imported}, {"rejected", r.rejected},
                                 {"rows", std::move(rows)}, {"problems", std::move(problems)}};
        }
        j["import_preview"] = std::move(preview);
    } else {
        j["import_preview"] = nullptr;
    }
    if (extras.sites && extras.sites->result) {
        const SitesPanelState& s = *extras.sites;
        const SitesOutcome& r = *s.result;
        auto screen = [&](Vec2 w) {
            const Vec2 p = camera.world_to_screen(w);
            return json::array({map_rect.x0 + p.x, map_rect.y0 + p.y});
        };
        auto rings = [&](const OverlayShape& shape) {
            json out = json::array();
            for (const auto& ring : shape.rings) {
                json pts = json::array();
                for (const Vec2& v : ring) pts.push_back(screen(v));
                out.push_back(std::move(pts));
            }
            return out;
        };
        json candidates = json::array();
        for (std::size_t i = 0; i < r.entry.candidates.size(); ++i) {
            const SiteCandidate& c = r.entry.candidates[i];
            const bool reserved = s.reservation && s.reservation->site_layer == c.site_layer && s.reservation->site_fid == c.site_fid;
            candidates.push_back({{"rank", i + 1},
                                  {"site_id", c.site_id},
                                  {"label", c.label},
                                  {"park", c.park},
                                  {"score", c.score},
                                  {"area_m2", c.area_m2},
                                  {"distance_m", c.distance_m >= 0 ? json(c.distance_m) : json(nullptr)},
                                  {"reserved", reserved},
                                  {"world", json::array({c.x, c.y})},
                                  {"screen", screen({c.x, c.y})},
                                  {"piece_rings", i < r.pieces.size() ? rings(r.pieces[i]) : json::array()}});
        }
        json eliminated = json::array();
        for (std::size_t i = 0; i < r.entry.eliminated.size(); ++i) {
            const EliminatedArea& a = r.entry.eliminated[i];
            const Rgba c = eliminated_fill(a.kind);
            eliminated.push_back({{"kind", a.kind},
                                  {"label", a.label},
                                  {"features", a.features},
                                  {"fill", json::array({c.r, c.g, c.b, c.a})},
                                  {"rings", i < r.eliminated.size() ? rings(r.eliminated[i]) : json::array()}});
        }
        json parks = json::array();
        for (const ParkCapacity& p : r.parks)
            parks.push_back({{"park", p.park}, {"industrial_m2", p.industrial_m2}, {"occupied_m2", p.occupied_m2},
                             {"reserved_m2", p.reserved_m2}, {"remaining_m2", p.remaining_m2}, {"parcels", p.parcels},
                             {"free_parcels", p.free_parcels}});
        const bool located = r.site_is_point || !r.site.empty();
        j["sites"] = {{"enterprise_id", r.enterprise_id},
                      {"name", r.entry.name},
                      {"candidate_count", r.entry.candidate_count},
                      {"reason", r.entry.reason},
                      {"setback_m", r.entry.setback_m},
                      {"site_screen", located ? screen(r.site_point) : json(nullptr)},
                      {"show_eliminated", s.show_eliminated},
                      {"legend_rect", s.show_eliminated ? rect_json(s.legend_px) : json(nullptr)},
                      {"selected", s.selected >= 0 ? json(s.selected + 1) : json(nullptr)},
                      {"reservation", s.reservation ? json{{"site_id", s.reservation->site_layer + "#" +
                                                                         std::to_string(s.reservation->site_fid)},
                                                           {"user", s.reservation->user},
                                                           {"at", s.reservation->at}}
                                                    : json(nullptr)},
                      {"candidates", std::move(candidates)},
                      {"eliminated", std::move(eliminated)},
                      {"parks", std::move(parks)}};
    }
    return j.dump(2) + "\n";
}

} // namespace qingling::app
