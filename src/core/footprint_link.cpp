#include "core/footprint_link.hpp"

#include "core/errors.hpp"
#include "core/project_backup.hpp"
#include "core/geos_handles.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace qingling {

namespace {
std::string normalised(std::string text, FootprintMatch by) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    text.erase(0, text.find_first_not_of(" \t"));
    if (by == FootprintMatch::credit_code)
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}
} // namespace

FootprintLinkReport link_footprints(ProjectStore& store, const std::string& layer_name, const std::string& match_field,
                                    FootprintMatch by, Progress& progress) {
    const auto layer = store.find_layer(layer_name);
    if (!layer) throw UsageError("the project has no layer named '" + layer_name + "'");
    const auto fields = store.layer_fields(*layer);
    if (std::none_of(fields.begin(), fields.end(), [&](const FieldDef& f) { return f.name == match_field; }))
        throw UsageError("layer '" + layer_name + "' has no field '" + match_field + "'");

    std::map<std::string, long long> enterprise_of;
    std::map<std::string, int> seen;
    for (const auto& r : store.ledger()) {
        const std::string key = normalised(by == FootprintMatch::credit_code ? r.credit_code : r.name, by);
        if (key.empty()) continue;
        if (++seen[key] == 1) enterprise_of[key] = r.id;
    }

    FootprintLinkReport report;
    std::map<long long, std::string> keys;
    for (auto& [fid, value] : store.column_values(*layer, match_field)) keys[fid] = value;

    GeosContext geos;
    GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
    std::map<long long, std::vector<GeosGeometryPtr>> parts;
    store.for_each_geometry(*layer, [&](long long fid, const unsigned char* wkb, size_t size) {
        ++report.features;
        const std::string key = normalised(keys[fid], by);
        const std::string where = "fid " + std::to_string(fid) + ": ";
        if (key.empty()) { report.problems.push_back(where + match_field + " 为空"); return; }
        auto it = enterprise_of.find(key);
        if (it == enterprise_of.end()) { report.problems.push_back(where + "“" + key + "” 不在台账中"); return; }
        if (seen[key] > 1) { report.problems.push_back(where + "台账中有 " + std::to_string(seen[key]) + " 家企业为“" + key + "”，无法确定"); return; }
        GeosGeometryPtr g = geos_own(geos, GEOSWKBReader_read_r(geos.get(), reader.get(), wkb, size));
        const int type = g ? GEOSGeomTypeId_r(geos.get(), g.get()) : -1;
        if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) { report.problems.push_back(where + "不是面"); return; }
        parts[it->second].push_back(std::move(g));
    });

    GeosWkbWriterPtr writer(GEOSWKBWriter_create_r(geos.get()), GeosWkbWriterDeleter{geos.get()});
    backup_before_bulk_change(store, "footprints");
    WriteTransaction tx(store);
    std::size_t done = 0;
    for (auto& [enterprise, geometries] : parts) {
        if (progress.cancelled()) throw CancelledError();
        progress.report(double(done++) / double(parts.size()), "占地范围");
        // Several outlines of one enterprise (two sheds) become one footprint.
        std::vector<GEOSGeometry*> raw;
        for (auto& g : geometries) raw.push_back(g.release());
        GeosGeometryPtr collection = geos_own(geos, GEOSGeom_createCollection_r(geos.get(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                                                  static_cast<unsigned>(raw.size())));
        GeosGeometryPtr merged = geos_own(geos, GEOSUnaryUnion_r(geos.get(), collection.get()));
        size_t size = 0;
        unsigned char* wkb = GEOSWKBWriter_write_r(geos.get(), writer.get(), merged.get(), &size);
        store.set_footprint(tx, enterprise, wkb, size);
        GEOSFree_r(geos.get(), wkb);
        ++report.enterprises_linked;
    }
    tx.commit();
    progress.report(1.0, "占地范围");
    return report;
}

} // namespace qingling
