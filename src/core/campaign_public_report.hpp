// 举报 / 信访 from the public (section 五 of the plan: report phone and mailbox; 综治办 handles
// petitions). A report about a place not yet in the ledger creates a suspect record (排查发现 on
// the report's date) to be surveyed, placed on the map when the reporter gave a position.
#pragma once

#include "core/campaign_records.hpp"
#include "core/ledger_record.hpp"
#include "core/project_store.hpp"

#include <optional>
#include <string>

namespace qingling {

struct PublicReportOptions {
    std::string kind = "举报";       // 举报 or 信访
    std::string date;                // ISO date; empty = today
    std::string reporter, contact, content;
    long long enterprise_id = 0;     // an enterprise already in the ledger, or 0 to create a suspect
    std::string name, village, address, industry;  // for a new suspect record
    std::optional<double> lon, lat;  // where
    CoordSource coords = CoordSource::wgs84;        // wgs84, cgcs2000, gcj02 (高德) or bd09 (百度)
};

struct PublicReportResult {
    long long report_id = 0;
    long long enterprise_id = 0;
    bool created_enterprise = false;
    std::string enterprise_name;
    std::optional<double> x, y;      // project CRS
};

// One transaction: the report, and the suspect record with its 排查发现 status when created.
PublicReportResult add_public_report(ProjectStore& store, const PublicReportOptions& options);

} // namespace qingling
