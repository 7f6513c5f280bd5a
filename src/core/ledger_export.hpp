// Writing the ledger (台账) back out as an Excel sheet or a CSV file, with the Chinese headers the
// ledger parser recognises, so an export can be re-imported without loss.
#pragma once

#include "core/ledger_record.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

// The canonical export headers in order (序号, 企业名称, ..., 备注); extra columns follow them.
std::vector<std::string> ledger_export_headers();

// Writes records to out: ".xlsx" (sheet 台账) or ".csv" (UTF-8 with BOM, so Excel shows Chinese).
// Columns: ledger_export_headers(), then the union of the records' extra columns in order of first
// appearance. X/Y are the point in the project CRS; 原始经度/X and 原始纬度/Y the values as imported.
// Writes a temporary file beside out and renames it at the end: a failure leaves no partial file.
// Throws UsageError for another extension, Error when the file cannot be written.
void export_ledger(const std::vector<LedgerRecord>& records, const std::filesystem::path& out);

} // namespace qingling
