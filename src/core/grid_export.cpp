#include "core/grid_export.hpp"

#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/grid_areas.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace qingling {

namespace fs = std::filesystem;

long long export_grids(const ProjectStore& store, const fs::path& out) {
    std::string ext = out.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    const bool gpkg = ext == ".gpkg";
    if (!gpkg && ext != ".xlsx") throw UsageError("cannot tell the format of '" + out.string() + "'; use .gpkg or .xlsx");
    if (fs::exists(out)) throw UsageError("'" + out.string() + "' already exists");
    if (out.has_parent_path() && !fs::is_directory(out.parent_path()))
        throw UsageError("folder '" + out.parent_path().string() + "' does not exist");

    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    const AreaSet villages(geos, store, "village", kVillageNameFields);
    std::map<long long, Person> people;
    for (auto& p : store.people()) people.emplace(p.id, p);
    std::map<std::pair<std::string, long long>, std::map<std::string, std::vector<std::string>>> staff;
    for (const auto& link : store.grid_people()) {
        auto it = people.find(link.person_id);
        if (it == people.end()) continue;
        std::string who = it->second.name;
        if (!it->second.phone.empty()) who += " (" + it->second.phone + ")";
        staff[{link.grid_layer, link.grid_fid}][it->second.role].push_back(who);
    }
    std::map<std::pair<std::string, long long>, std::pair<long long, long long>> counts;  // enterprises, with person
    for (const auto& [id, a] : store.enterprise_grids()) {
        auto& c = counts[{a.grid_layer, a.grid_fid}];
        ++c.first;
        if (a.responsible_person_id) ++c.second;
    }

    ensure_gdal_initialised();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(gpkg ? "GPKG" : "XLSX");
    if (!driver) throw Error(std::string("GDAL has no ") + (gpkg ? "GPKG" : "XLSX") + " driver");
    const fs::path temp = out.parent_path() / (out.stem().string() + ".partial" + ext);
    std::error_code ec;
    fs::remove(temp, ec);
    long long written = 0;
    try {
        {
            GdalDatasetPtr ds(driver->Create(temp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            if (!ds) throw InputError("cannot write '" + out.string() + "': " + last_gdal_error("GDAL refused"));
            OGRSpatialReference srs = make_srs(store.settings().epsg);
            OGRLayer* layer = ds->CreateLayer("网格", gpkg ? &srs : nullptr, gpkg ? wkbMultiPolygon : wkbNone, nullptr);
            if (!layer) throw InputError("cannot create the grid layer in '" + out.string() + "': " + last_gdal_error(""));
            const std::vector<std::pair<const char*, OGRFieldType>> fields = {
                {"图层", OFTString},   {"要素号", OFTInteger64}, {"网格名称", OFTString},   {"所属村", OFTString},
                {"面积_平方米", OFTReal}, {"网格长", OFTString},  {"网格员", OFTString},     {"督察员", OFTString},
                {"企业数", OFTInteger64}, {"已落实责任人企业数", OFTInteger64}};
            for (const auto& [name, type] : fields) {
                OGRFieldDefn def(name, type);
                if (layer->CreateField(&def) != OGRERR_NONE)
                    throw InputError("cannot create field " + std::string(name) + ": " + last_gdal_error(""));
            }
            auto joined = [](const std::vector<std::string>& v) {
                std::string s;
                for (const auto& item : v) s += (s.empty() ? "" : "、") + item;
                return s;
            };
            for (std::size_t i = 0; i < grids.size(); ++i) {
                const GridRef& g = grids.ref(i);
                const std::pair<std::string, long long> key{g.layer, g.fid};
                // The village holding most of the grid.
                std::string village;
                double best = 0;
                for (std::size_t v : villages.candidates(grids.working(i))) {
                    GeosGeometryPtr cut = geos_own(geos, GEOSIntersection_r(geos.get(), grids.working(i), villages.working(v)));
                    double a = 0;
                    if (cut) GEOSArea_r(geos.get(), cut.get(), &a);
                    if (a > best) {
                        best = a;
                        village = villages.ref(v).label();
                    }
                }
                OGRFeature feature(layer->GetLayerDefn());
                feature.SetField("图层", g.layer.c_str());
                feature.SetField("要素号", static_cast<GIntBig>(g.fid));
                feature.SetField("网格名称", g.name.c_str());
                feature.SetField("所属村", village.c_str());
                feature.SetField("面积_平方米", grids.area(i));
                auto& roles = staff[key];
                feature.SetField("网格长", joined(roles["网格长"]).c_str());
                feature.SetField("网格员", joined(roles["网格员"]).c_str());
                feature.SetField("督察员", joined(roles["督察员"]).c_str());
                feature.SetField("企业数", static_cast<GIntBig>(counts[key].first));
                feature.SetField("已落实责任人企业数", static_cast<GIntBig>(counts[key].second));
                if (gpkg) {
                    std::size_t size = 0;
                    GeosWkbWriterPtr writer(GEOSWKBWriter_create_r(geos.get()), GeosWkbWriterDeleter{geos.get()});
                    std::unique_ptr<unsigned char, GeosBufferDeleter> wkb(
                        GEOSWKBWriter_write_r(geos.get(), writer.get(), grids.stored(i), &size), GeosBufferDeleter{geos.get()});
                    OGRGeometry* geometry = nullptr;
                    if (!wkb || OGRGeometryFactory::createFromWkb(wkb.get(), &srs, &geometry, size) != OGRERR_NONE)
                        throw Error("cannot convert grid " + g.label() + " for GDAL");
                    feature.SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(geometry));
                }
                if (layer->CreateFeature(&feature) != OGRERR_NONE)
                    throw InputError("cannot write grid " + g.label() + ": " + last_gdal_error(""));
                ++written;
            }
        }
        fs::rename(temp, out);
    } catch (...) {
        fs::remove(temp, ec);
        throw;
    }
    return written;
}

} // namespace qingling
