// The grids with their people and enterprise counts, for the meeting: a GeoPackage with the
// geometry (project CRS) or an XLSX sheet of attributes only, both written with GDAL.
#pragma once

#include "core/project_store.hpp"

#include <filesystem>

namespace qingling {

// Format from the extension (.gpkg or .xlsx); the file must not exist. Returns the grid count.
long long export_grids(const ProjectStore& store, const std::filesystem::path& out);

} // namespace qingling
