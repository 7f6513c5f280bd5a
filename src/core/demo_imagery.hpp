// A simulated orthophoto of the demo subdistrict (模拟正射影像): the DLTB patches rasterised in
// colours like those of aerial imagery, with texture, as a GeoTIFF. It stands in for the real
// imagery a land office has, so the viewer's raster basemap has something to show. Invented (CC0).
#pragma once

#include "core/progress.hpp"

#include <filesystem>

namespace qingling {

// Writes `out` (GeoTIFF, JPEG-compressed, `metres_per_pixel` resolution) from the DLTB shapefile.
// Error naming the file when it cannot be written.
void write_demo_imagery(const std::filesystem::path& dltb, const std::filesystem::path& out, Progress& progress,
                        double metres_per_pixel = 5.0);

} // namespace qingling
