// The built-in demo: writes the invented subdistrict's source files (demo_sources) and imports
// them into a new campaign file through the same import operations a user runs.
#pragma once

#include "core/basemap.hpp"
#include "core/demo_campaign.hpp"
#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"

#include <filesystem>
#include <vector>

namespace qingling {

struct DemoBuildReport {
    std::filesystem::path sources_dir;
    std::vector<LayerImportReport> layers;
    LedgerImportReport ledger;
    DemoCampaignReport campaign;   // the check run and the campaign recorded through 2024
    BasemapAddReport basemap;      // the simulated orthophoto
};

// Fails if project exists. sources_dir receives the generated files (kept, so a user can open
// them in QGIS or re-import them by hand), including the campaign's photos and readings.
DemoBuildReport build_demo_project(const std::filesystem::path& project, const std::filesystem::path& sources_dir,
                                   Progress& progress);

} // namespace qingling
