// The invented demo subdistrict 青岭街道: writes a complete set of the source files a land office
// receives (boundaries, 三调 DLTB, 三区三线, water protection zones, industrial parks, sensitive
// points, the village enterprise ledger), with the traps real data sets carry. Used by
// `qingling-cli demo`, the tests and the benchmarks. Everything is invented (CC0); see data/README.md.
#pragma once

#include "core/progress.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

struct DemoSource {
    std::filesystem::path path;
    std::string role;   // jurisdiction, village, landuse, farmland, eco_redline, urban_boundary,
                        // water_protection, industrial_park, park_parcel, sensitive, ledger
    std::string layer;  // GDAL layer name, empty = the only layer
    std::string name;   // display name, Chinese
};

// Writes the invented demo subdistrict's source files into dir (created if needed) and returns them
// in import order. Deterministic: the same content for the same seed on every run (all random
// numbers come from std::mt19937_64 through distributions implemented here, not the library's).
// The files are written into dir/.qingling-demo-partial and moved into place at the end, replacing
// older demo files; on failure or cancellation dir is left as it was. Throws CancelledError when
// progress is cancelled, Error (naming the file and GDAL's message) when a file cannot be written.
std::vector<DemoSource> write_demo_sources(const std::filesystem::path& dir, Progress& progress,
                                           std::uint64_t seed = 20240901);

} // namespace qingling
