// The demo subdistrict's campaign in progress (issue 8): after the layers and the ledger are
// imported, the check runs and is stored, and the campaign is recorded the way the office would
// have done it through 2024 (甄别确认, 分类, 两断三清, 验收, 搬迁方案, 回头看, 销号), with two
// inspection photos, a 信访, a per-enterprise deadline and the power office's monthly readings
// (written as an XLSX and imported) in which a closed enterprise revives and a rectifying one
// jumps. Deterministic: enterprises are chosen by id and suggested category.
#pragma once

#include "core/campaign_inspection.hpp"
#include "core/campaign_readings.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <string>

namespace qingling {

struct DemoCampaignReport {
    long long check_run_id = 0;
    int confirmed = 0, classified = 0, in_progress = 0, done = 0, struck_off = 0;
    InspectionImportReport inspections;
    ReadingsImportReport readings;
    std::string as_of = "2024-12-20";  // the day the demo campaign has reached
};

// Writes photos/, inspections.csv and readings.xlsx into sources_dir and records the campaign.
DemoCampaignReport build_demo_campaign(ProjectStore& store, const std::filesystem::path& sources_dir, Progress& progress);

} // namespace qingling
