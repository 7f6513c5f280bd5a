// A small table (CSV in UTF-8 or GBK, XLSX, ODS) read through GDAL as text with its header row, for
// the campaign's batch inputs (electricity readings, inspections). The ledger has its own, richer
// reader (ledger_parse) with coordinates and geometry.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct SheetRow {
    long long row = 0;                 // as the user sees it: spreadsheet row, or CSV line
    std::vector<std::string> values;   // one per header, UTF-8, "" when empty
};

struct SheetTable {
    std::filesystem::path file;
    std::vector<std::string> headers;
    std::vector<SheetRow> rows;

    // The index of the first header equal to one of the names (spaces and case ignored), or nullopt.
    std::optional<std::size_t> column(const std::vector<std::string>& names) const;
};

// Throws InputError naming the file when it cannot be read.
SheetTable read_sheet_table(const std::filesystem::path& file);

} // namespace qingling
