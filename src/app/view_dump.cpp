#include "app/view_dump.hpp"

#include <nlohmann/json.hpp>

namespace qingling::app {

namespace {
nlohmann::json colour_json(Rgba c) { return nlohmann::json::array({c.r, c.g, c.b}); }
nlohmann::json rect_json(const PixelRect& r) { return nlohmann::json::array({r.x0, r.y0, r.x1, r.y1}); }
} // namespace

std::string view_dump_json(const MapModel& model, const Camera& camera, int image_width, int image_height,
                           const PixelRect& map_rect, const std::vector<LegendSwatch>& legend, int selected) {
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
    json enterprises = json::array();
    for (const EnterpriseItem& e : model.enterprises) {
        if (!e.has_point) continue;
        const Vec2 s = camera.world_to_screen(e.position);
        enterprises.push_back({{"id", e.record.id},
                               {"name", e.record.name},
                               {"mark", mark_label_zh(e.mark)},
                               {"colour", colour_json(mark_colour(e.mark))},
                               {"world", json::array({e.position.x, e.position.y})},
                               {"screen", json::array({map_rect.x0 + s.x, map_rect.y0 + s.y})}});
    }
    j["enterprises"] = std::move(enterprises);
    json swatches = json::array();
    for (const LegendSwatch& s : legend)
        swatches.push_back({{"label", s.label}, {"colour", colour_json(s.colour)}, {"rect", rect_json(s.rect)}});
    j["legend"] = std::move(swatches);
    return j.dump(2) + "\n";
}

} // namespace qingling::app
