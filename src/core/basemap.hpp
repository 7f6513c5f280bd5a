// Raster basemaps (影像底图, issue 4): an orthophoto or any raster GDAL reads, under the vectors so a
// user sees the actual workshop. The campaign file keeps a reference (ProjectStore::basemaps);
// reading a view goes through GDAL's overviews (built when adding, if the file has none) and,
// when the raster's CRS is not the project's, a warped VRT.
#pragma once

#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct BasemapAddOptions {
    std::filesystem::path raster;
    std::string name;                 // default: the file's stem
    std::optional<int> epsg;          // the raster's CRS when the file does not say
    bool build_overviews = true;      // when the file has none (written as FILE.ovr beside it)
};

struct BasemapAddReport {
    BasemapInfo info;
    int overviews_built = 0;
    bool replaced = false;
    bool overlaps_jurisdiction = true;  // false: the raster lies outside every project layer
};

// Checks the raster (georeferenced, a CRS, an extent that transforms into the project CRS),
// builds overviews if asked and missing, and records it. InputError naming the file and the reason.
BasemapAddReport add_basemap(ProjectStore& store, const BasemapAddOptions& options, Progress& progress);

// Where a basemap's file is (its path resolved against the campaign file's folder).
std::filesystem::path basemap_file(const std::filesystem::path& project, const BasemapInfo& basemap);

// One view of a basemap: RGBA pixels, top row first, covering [minx, maxx] × [miny, maxy] of the
// project CRS; alpha 0 where the raster has no data.
struct BasemapImage {
    int width = 0, height = 0;
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    std::vector<std::uint8_t> rgba;
};

// Reads a view through the overviews. Single-band rasters are shown through their colour table,
// or as grey stretched to their minimum and maximum. InputError when the file cannot be read.
class BasemapReader {
public:
    // `crs`: BasemapInfo::crs, used when the file itself has none.
    BasemapReader(const std::filesystem::path& file, const std::string& crs, int project_epsg);
    ~BasemapReader();
    BasemapReader(const BasemapReader&) = delete;
    BasemapReader& operator=(const BasemapReader&) = delete;
    BasemapImage read(double minx, double miny, double maxx, double maxy, int width, int height);

private:
    struct Impl;
    Impl* impl_;
};

} // namespace qingling
