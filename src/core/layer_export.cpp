#include "core/layer_export.hpp"

#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/text_encoding.hpp"

#include <gdal_utils.h>

#include <algorithm>
#include <unistd.h>

namespace qingling {

namespace fs = std::filesystem;

std::string vector_driver_for(const fs::path& out) {
    std::string ext = out.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".geojson" || ext == ".json") return "GeoJSON";
    if (ext == ".kml") return "KML";
    if (ext == ".csv") return "CSV";
    if (ext == ".dxf") return "DXF";
    if (ext == ".gdb") return "OpenFileGDB";
    return "";
}

long long export_layer(const ProjectStore& store, const LayerExportOptions& o) {
    const auto layer = store.find_layer(o.layer);
    if (!layer) throw UsageError("the project has no layer named '" + o.layer + "'");
    const std::string driver = vector_driver_for(o.out);
    if (driver.empty())
        throw UsageError("cannot tell the format of '" + o.out.string() +
                         "'; use .gpkg, .shp, .geojson, .kml, .csv, .dxf or .gdb");
    if (fs::exists(o.out)) throw UsageError("'" + o.out.string() + "' already exists");

    ensure_gdal_initialised();
    const char* allowed[] = {"SQLite", nullptr};
    GdalDatasetPtr src(GDALDataset::Open(store.path().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, allowed, nullptr, nullptr));
    if (!src) throw ProjectError("GDAL cannot read project '" + store.path().string() + "': " + last_gdal_error(""));

    // Shapefiles are several files: write them in a temporary folder and move them together.
    const bool is_shapefile = driver == "ESRI Shapefile";
    const fs::path temp_dir = o.out.parent_path().empty()
                                  ? fs::path(".qingling-export-" + std::to_string(::getpid()))
                                  : o.out.parent_path() / (".qingling-export-" + std::to_string(::getpid()));
    // Drivers take the format from the name (a FileGDB must end in .gdb), so the temporary name
    // keeps the extension.
    const fs::path temp = is_shapefile ? temp_dir / o.out.filename()
                                       : o.out.parent_path() / (o.out.stem().string() + ".partial" + o.out.extension().string());
    if (is_shapefile) fs::create_directories(temp_dir);

    std::vector<std::string> args = {"-f", driver, "-nln", is_shapefile ? o.out.stem().string() : o.layer};
    if (driver == "KML") args.insert(args.end(), {"-t_srs", "EPSG:4326"});
    else if (!o.crs.empty()) args.insert(args.end(), {"-t_srs", o.crs});
    if (is_shapefile) args.insert(args.end(), {"-lco", "ENCODING=" + normalise_encoding_name(o.encoding)});
    if (driver == "CSV") args.insert(args.end(), {"-lco", "GEOMETRY=AS_WKT"});
    // The table itself, not an SQL result, so the geometry type is known (FileGDB needs it).
    args.push_back(layer->table_name);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    GDALDatasetH src_handle = GDALDataset::ToHandle(src.get());
    int usage_error = 0;
    CPLErrorReset();
    GDALDatasetH out = GDALVectorTranslate(temp.c_str(), nullptr, 1, &src_handle, opts, &usage_error);
    GDALVectorTranslateOptionsFree(opts);
    if (out) GDALClose(out);
    std::error_code ec;
    if (!out || CPLGetLastErrorType() >= CE_Failure) {
        const std::string why = last_gdal_error("GDAL could not write it");
        if (is_shapefile) fs::remove_all(temp_dir, ec);
        else fs::remove_all(temp, ec);
        throw InputError("cannot export layer '" + o.layer + "' to '" + o.out.string() + "': " + why);
    }
    if (is_shapefile) {
        for (const auto& entry : fs::directory_iterator(temp_dir))
            fs::rename(entry.path(), o.out.parent_path() / entry.path().filename());
        fs::remove_all(temp_dir, ec);
    } else {
        fs::rename(temp, o.out);
    }
    // Count what a reader of the new file sees, not what we meant to write.
    GdalDatasetPtr check(GDALDataset::Open(o.out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* written = check ? check->GetLayer(0) : nullptr;
    if (!written) throw InputError("'" + o.out.string() + "' was written but cannot be read back: " + last_gdal_error(""));
    return written->GetFeatureCount(TRUE);
}

} // namespace qingling
