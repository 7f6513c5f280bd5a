// Lists as files people open in Excel: one table (Chinese headers, rows of text or numbers) written
// as XLSX (libxlsxwriter: bold header, column widths, frozen header row, autofilter) or CSV (UTF-8
// with BOM, RFC 4180 quoting). Temporary file beside the output, renamed at the end, so a failure
// leaves no partial file. Shared by the check report and the meeting lists (core/list_export).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

// A temporary path beside `out` with the same extension (OUT.partial-1a2b3c4d.xlsx).
std::filesystem::path temp_beside(const std::filesystem::path& out);
// Renames temp to out; Error naming out when it fails.
void rename_into_place(const std::filesystem::path& temp, const std::filesystem::path& out);
// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);

struct ListColumn {
    std::string header;
    double width = 12;     // Excel character units
    bool number = false;   // written as a number when the cell parses as one
    bool wrap = false;     // long text wrapped in the cell
};

struct ListTable {
    std::string sheet;     // sheet name (XLSX)
    std::string title;     // XLSX document title (properties); the header stays the first row, for readers
    std::vector<ListColumn> columns;
    std::vector<std::vector<std::string>> rows;
};

// Writes by the extension of out: .xlsx or .csv (UsageError otherwise); Error when it cannot be
// written. The CSV has the header row and the rows only.
void write_list_table(const ListTable& table, const std::filesystem::path& out);

} // namespace qingling
