#include "app/map_model.hpp"

#include "core/basemap.hpp"

#include "app/map_query.hpp"

#include "core/bounded_queue.hpp"
#include "core/check_report.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/industry_table.hpp"
#include "core/resources.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <thread>
#include <unordered_map>

namespace qingling::app {

std::string StyleClass::shown_label() const {
    if (key.empty() || group_name.empty()) return label;
    return key + " " + tr(group_name);
}

const EnterpriseItem* MapModel::find_enterprise(long long id) const {
    const int i = enterprise_index(id);
    return i < 0 ? nullptr : &enterprises[static_cast<size_t>(i)];
}

int MapModel::enterprise_index(long long id) const {
    for (size_t i = 0; i < enterprises.size(); ++i)
        if (enterprises[i].record.id == id) return static_cast<int>(i);
    return -1;
}

std::string MapModel::all_text() const {
    std::string t;
    auto add = [&t](const std::string& s) {
        t += s;
        t += '\n';
    };
    add(settings.name);
    for (const auto& v : villages) add(v.name);
    add(settings.jurisdiction);
    for (const auto& l : layers) {
        add(l.info.name);
        add(role_label_zh(l.info.role));
        add(l.info.source_path);
        for (const auto& c : l.classes) add(c.label);
    }
    for (const auto& e : enterprises) {
        const auto& r = e.record;
        for (const std::string* s : {&r.name, &r.credit_code, &r.legal_person, &r.phone, &r.address, &r.village,
                                     &r.industry, &r.department, &r.power_account, &r.original_x, &r.original_y,
                                     &r.notes})
            add(*s);
        for (const auto& [k, v] : r.extra) {
            add(k);
            add(v);
        }
        if (e.verdict)
            for (const auto& f : e.verdict->findings) {
                add(f.explanation);
                add(f.explanation_en);
                add(f.code_name);
                add(f.layer);
                add(f.rule);
            }
        if (e.confirmation) {
            add(e.confirmation->user);
            add(e.confirmation->note);
        }
    }
    if (run) {
        add(run->user);
        add(run->rules_source);
        for (const auto& [rule, reason] : run->not_evaluated) {
            add(rule);
            add(reason);
        }
    }
    return t;
}

std::string shown_industry(std::string_view ledger_text) {
    static const std::optional<IndustryTable> table = []() -> std::optional<IndustryTable> {
        try {
            return IndustryTable::load(layers_dir() / "industries.tsv");
        } catch (const std::exception&) {
            return std::nullopt;  // the ledger's own words then, as in Chinese
        }
    }();
    return table ? table->shown(ledger_text) : std::string(ledger_text);
}

std::string village_name_field(const std::vector<std::string>& field_names) {
    // 坐落单位名称 (三调 village survey areas), 村级名称, 行政区名称, then generic names.
    for (const char* wanted : {"ZLDWMC", "CJMC", "CMC", "XZQMC", "QSDWMC", "村名", "村名称", "名称", "NAME", "MC"})
        for (const std::string& f : field_names) {
            std::string u = f;
            for (char& c : u)
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            if (u == wanted) return f;
        }
    return "";
}

namespace {

void read_villages(const ProjectStore& store, MapModel& model) {
    for (size_t li = 0; li < model.layers.size(); ++li) {
        const MapLayer& layer = model.layers[li];
        if (layer.info.role != "village" || !layer.has_polygons()) continue;
        std::vector<std::string> names;
        for (const FieldDef& d : store.layer_fields(layer.info)) names.push_back(d.name);
        const std::string field = village_name_field(names);
        if (field.empty()) continue;
        std::map<long long, std::string> name_of;
        for (auto& [fid, value] : store.column_values(layer.info, field)) name_of[fid] = value;
        for (size_t i = 0; i < layer.features.size(); ++i) {
            const MapFeature& f = layer.features[i];
            auto it = name_of.find(f.fid);
            if (it == name_of.end() || it->second.empty() || f.rings.count == 0) continue;
            model.villages.push_back({it->second, static_cast<int>(li), static_cast<int>(i), f.extent, label_point(layer, f)});
        }
    }
    std::stable_sort(model.villages.begin(), model.villages.end(),
                     [](const VillageArea& a, const VillageArea& b) { return a.name < b.name; });
}

// Features read from the store, waiting to be decoded.
struct RawFeatures {
    std::vector<long long> fids;
    std::vector<unsigned char> stored;  // all geometries as the store keeps them, one after the other
    std::vector<std::size_t> ends;      // where each geometry ends in `stored`
    std::vector<std::string> codes;   // the land-class code of each (classified layers)
};
constexpr std::size_t kRawBatch = 4096;

void read_layer(const ProjectStore& store, MapLayer& layer, const LandClassStyler& land_classes) {
    static std::atomic<std::uint64_t> last_serial{0};
    layer.load_serial = ++last_serial;
    const bool classify = layer.style.fill_by_land_class && !layer.info.code_field.empty() &&
                          !layer.info.code_system.empty();
    std::map<std::string, int> class_of_group;             // group code -> index into classes
    std::unordered_map<std::string, int> class_of_code;    // land-class code -> index into classes
    if (!classify) {
        StyleClass only;
        only.label = layer.info.name;
        only.fill = layer.style.fill_colour;
        layer.classes.push_back(only);
    }
    auto decode = [&](long long fid, const unsigned char* stored, size_t size, const std::string& code) {
        FlatGeometry& g = layer.geometry;
        MapFeature f;
        f.fid = fid;
        const auto r0 = static_cast<std::uint32_t>(g.rings.size());
        const auto l0 = static_cast<std::uint32_t>(g.lines.size());
        const auto p0 = static_cast<std::uint32_t>(g.points.size());
        const size_t v0 = g.vertices.size();
        if (!append_stored(stored, size, g)) {
            ++layer.unreadable;
            return;
        }
        f.rings = {r0, static_cast<std::uint32_t>(g.rings.size()) - r0};
        f.lines = {l0, static_cast<std::uint32_t>(g.lines.size()) - l0};
        f.points = {p0, static_cast<std::uint32_t>(g.points.size()) - p0};
        for (size_t i = v0; i < g.vertices.size(); ++i) f.extent.add(g.vertices[i].x, g.vertices[i].y);
        for (size_t i = p0; i < g.points.size(); ++i) f.extent.add(g.points[i].x, g.points[i].y);
        if (classify) {
            auto known = class_of_code.find(code);
            if (known == class_of_code.end()) {
                const LandClassGroup group = land_classes.group_of(layer.info.code_system, code);
                auto [it, added] = class_of_group.emplace(group.code, static_cast<int>(layer.classes.size()));
                if (added) layer.classes.push_back({group.code, group.code + " " + group.name, group.colour, 0, group.name});
                known = class_of_code.emplace(code, it->second).first;
            }
            f.style_class = known->second;
        }
        layer.classes[static_cast<size_t>(f.style_class)].feature_count++;
        layer.extent.add(f.extent);
        layer.features.push_back(f);
    };

    // SQLite steps through the rows on this thread while a second one decodes the stored
    // geometries (two cores: opening a 500,000-patch DLTB takes about as long as the slower of the
    // two; SpatiaLite's AsBinary on the SQLite thread and OGR's WKB parser made both 0.2 s slower).
    BoundedQueue<RawFeatures> queue(4);
    std::exception_ptr decode_error;
    std::thread decoder([&] {
        try {
            while (std::optional<RawFeatures> batch = queue.pop()) {
                std::size_t begin = 0;
                for (std::size_t i = 0; i < batch->fids.size(); ++i) {
                    decode(batch->fids[i], batch->stored.data() + begin, batch->ends[i] - begin,
                           classify ? batch->codes[i] : std::string());
                    begin = batch->ends[i];
                }
            }
        } catch (...) {
            decode_error = std::current_exception();
            queue.close();
        }
    });
    std::vector<std::string> fields;
    if (classify) fields.push_back(layer.info.code_field);
    RawFeatures batch;
    try {
        store.for_each_stored_feature(layer.info, fields,
                                      [&](long long fid, const unsigned char* stored, size_t size, const std::vector<std::string>& values) {
            batch.fids.push_back(fid);
            batch.stored.insert(batch.stored.end(), stored, stored + size);
            batch.ends.push_back(batch.stored.size());
            if (classify) batch.codes.push_back(values.empty() ? std::string() : values[0]);
            if (batch.fids.size() == kRawBatch) {
                queue.push(std::move(batch));
                batch = RawFeatures{};
            }
        });
        if (!batch.fids.empty()) queue.push(std::move(batch));
    } catch (...) {
        queue.close();
        decoder.join();
        throw;
    }
    queue.close();
    decoder.join();
    if (decode_error) std::rethrow_exception(decode_error);
    if (classify) {
        // Legend and drawing in code order; renumber the features' classes.
        std::vector<int> order(layer.classes.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return layer.classes[a].key < layer.classes[b].key; });
        std::vector<int> new_index(order.size());
        std::vector<StyleClass> sorted;
        for (size_t i = 0; i < order.size(); ++i) {
            new_index[static_cast<size_t>(order[i])] = static_cast<int>(i);
            sorted.push_back(layer.classes[static_cast<size_t>(order[i])]);
        }
        layer.classes = std::move(sorted);
        for (auto& f : layer.features) f.style_class = new_index[static_cast<size_t>(f.style_class)];
        if (layer.classes.empty()) layer.classes.push_back({"", layer.info.name, layer.style.fill_colour, 0, ""});
    }
}

} // namespace

void apply_verdicts(MapModel& model, const ProjectStore& store) {
    EnterpriseMarks marks = read_enterprise_marks(store);
    model.run = std::move(marks.run);
    for (auto& e : model.enterprises) {
        EnterpriseMark m = marks.of(e.record.id);
        e.verdict = std::move(m.verdict);
        e.confirmation = std::move(m.confirmation);
        e.review = m.review;
        e.mark = m.mark;
    }
}

void reload_layers_of_role(MapModel& model, const std::string& role, const LandClassStyler& land_classes,
                           const RoleStyles& styles) {
    const ProjectStore store = ProjectStore::open(model.path, ProjectStore::Access::read_only);
    bool added = false;
    for (const LayerInfo& info : store.layers_with_role(role)) {
        MapLayer fresh;
        fresh.info = info;
        fresh.style = styles.style(info.role);
        read_layer(store, fresh, land_classes);
        auto it = std::find_if(model.layers.begin(), model.layers.end(),
                               [&](const MapLayer& l) { return l.info.id == info.id; });
        if (it != model.layers.end()) {
            fresh.style = it->style;  // what the layers panel changed
            *it = std::move(fresh);
        } else {
            model.layers.push_back(std::move(fresh));
            added = true;
        }
    }
    if (added) {
        std::stable_sort(model.layers.begin(), model.layers.end(),
                         [](const MapLayer& a, const MapLayer& b) { return a.style.draw_order < b.style.draw_order; });
        model.villages.clear();
        read_villages(store, model);
    }
}

MapModel load_map_model(const std::filesystem::path& project, const LandClassStyler& land_classes,
                        const RoleStyles& styles) {
    MapModel model;
    model.path = project;
    const ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_only);
    model.settings = store.settings();
    model.basemaps = store.basemaps();
    for (const BasemapInfo& b : model.basemaps) model.basemap_files.push_back(basemap_file(project, b));
    for (const LayerInfo& info : store.layers()) {
        MapLayer layer;
        layer.info = info;
        layer.style = styles.style(info.role);
        read_layer(store, layer, land_classes);
        model.extent.add(layer.extent);
        if (info.role == "jurisdiction") model.jurisdiction.add(layer.extent);
        model.layers.push_back(std::move(layer));
    }
    std::stable_sort(model.layers.begin(), model.layers.end(),
                     [](const MapLayer& a, const MapLayer& b) { return a.style.draw_order < b.style.draw_order; });
    // A planning layer covers the same ground as the land-use layer: show one by default.
    const bool has_landuse = std::any_of(model.layers.begin(), model.layers.end(),
                                         [](const MapLayer& l) { return l.info.role == "landuse"; });
    for (auto& l : model.layers)
        if (l.info.role == "planning" && has_landuse) l.style.visible = false;
    read_villages(store, model);

    for (LedgerRecord& r : store.ledger()) {
        EnterpriseItem e;
        e.has_point = r.x.has_value() && r.y.has_value();
        if (e.has_point) {
            e.position = {*r.x, *r.y};
            model.extent.add(e.position.x, e.position.y);
        }
        e.record = std::move(r);
        model.enterprises.push_back(std::move(e));
    }
    apply_verdicts(model, store);
    model.campaign = load_campaign(store);
    if (!model.extent.empty()) model.origin = model.extent.center();
    try {
        const OGRSpatialReference srs = make_srs(model.settings.epsg);
        model.geographic = srs.IsGeographic();
        if (model.geographic) {
            const double lat = model.extent.empty() ? 0.0 : model.extent.center().y;
            model.metres_per_unit = 111320.0 * std::cos(lat * 3.14159265358979323846 / 180.0);
        } else {
            model.metres_per_unit = srs.GetLinearUnits();
        }
    } catch (const Error&) {
        // Unknown CRS: scale as if in metres.
    }
    return model;
}

} // namespace qingling::app
