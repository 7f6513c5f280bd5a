// Exporting a project layer to a file any GIS reads (GeoPackage, Shapefile, GeoJSON, KML, CSV,
// DXF, FileGDB) with GDAL's VectorTranslate. Written beside the target and renamed at the end.
#pragma once

#include "core/project_store.hpp"

#include <filesystem>
#include <string>

namespace qingling {

struct LayerExportOptions {
    std::string layer;                 // layer name in the project
    std::filesystem::path out;         // format from the extension
    std::string encoding = "UTF-8";    // Shapefile only: UTF-8 or GBK
    std::string crs;                   // target CRS, default the project's (KML: always EPSG:4326)
};

// Returns the number of features written.
long long export_layer(const ProjectStore& store, const LayerExportOptions& options);

// GDAL driver for an output extension, or empty.
std::string vector_driver_for(const std::filesystem::path& out);

} // namespace qingling
