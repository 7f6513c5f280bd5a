// Reading an enterprise ledger (台账): the Excel sheets and CSV files the villages keep, or any GDAL
// point layer. Chinese (and a few English) column headers are recognised and mapped to the fields of
// LedgerRecord; coordinates in WGS-84, CGCS2000, GCJ-02 (高德), BD-09 (百度) or Gauss-Krüger are
// brought into the project CRS. Nothing is dropped silently: every row that is rejected or kept with
// a defect gets a LedgerProblem naming its source row.
#pragma once

#include "core/gdal_handles.hpp"
#include "core/industry_table.hpp"
#include "core/ledger_record.hpp"
#include "core/progress.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qingling {

// What the caller says about the ledger's coordinates (--coords). A row's own 坐标来源 value wins.
enum class CoordHint { automatic, wgs84, cgcs2000, gcj02, bd09, gauss_kruger };
// "auto", "wgs84", "cgcs2000", "gcj02", "bd09", "gk" (also "gauss_kruger"); nullopt when unknown.
std::optional<CoordHint> parse_coord_hint(std::string_view text);
const char* coord_hint_code(CoordHint hint);

struct LedgerProblem {
    long long row = 0;      // 1-based source line/row (the header is row 1)
    std::string column;     // the source header concerned ("" when the whole row)
    // "no_name", "missing_coordinates", "bad_coordinates", "swapped_coordinates", "bad_credit_code",
    // "duplicate", "unknown_industry", "unrecognised_value", "coordinate_source_mismatch"
    std::string kind;
    bool rejected = false;  // true: the row is not in records
    std::string message;    // Chinese, naming the offending value
};

struct LedgerParseOptions {
    std::string sheet;                    // layer/sheet name; empty = the first
    CoordHint coords = CoordHint::automatic;
    std::string encoding = "auto";        // CSV/shapefile text: "auto", "utf-8", "gbk" (= cp936), "gb18030"
    OGRSpatialReference project_srs;      // empty = EPSG:4547
};

struct LedgerParseResult {
    std::vector<LedgerRecord> records;
    std::vector<LedgerProblem> problems;
    // Every source column in order: header -> field code ("name", "credit_code", "permit_eia", "lon",
    // ..., "extra" for columns kept in LedgerRecord::extra, "seq" for a 序号 column, which is dropped).
    std::vector<std::pair<std::string, std::string>> column_mapping;
    std::string encoding;             // "UTF-8" or "GBK" (or the encoding given)
    long long rows_read = 0;          // non-empty data rows, rejected ones included
    std::string coordinate_columns;   // e.g. "经度/纬度", "X坐标/Y坐标", "几何"; "" when none
};

// Throws InputError naming the file when it cannot be opened, holds no rows or has no recognisable
// name column (the message lists the headers found); UsageError for an unknown encoding name;
// CancelledError when progress is cancelled.
LedgerParseResult parse_ledger(const std::filesystem::path& file, const LedgerParseOptions& options,
                               const IndustryTable& industries, Progress& progress);

// One coordinate value as typed into a ledger: a decimal number (full-width digits accepted) or
// degrees-minutes-seconds such as 114°18'30.5", 114度18分30.5秒, 30°33.2' or E114°18'30", with an
// optional hemisphere letter or 东经/北纬 (W/S/西经/南纬 negate). nullopt when it is neither.
std::optional<double> parse_coordinate_number(std::string_view text);

} // namespace qingling
