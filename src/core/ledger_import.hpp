// Importing an enterprise ledger (台账) into the project: parse (ledger_parse), check against the
// project (duplicates already stored, points outside the jurisdiction, village from the village
// layer) and store the valid rows in one transaction. Problems are listed, never silently dropped.
#pragma once

#include "core/ledger_parse.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

struct LedgerImportOptions {
    std::filesystem::path file;
    std::string sheet;
    CoordHint coords = CoordHint::automatic;
    std::string encoding = "auto";
};

struct LedgerImportReport {
    std::string file;
    std::string encoding;
    std::string coordinate_columns;
    long long rows_read = 0;
    long long imported = 0;
    long long rejected = 0;
    long long with_point = 0;
    std::vector<std::pair<std::string, std::string>> column_mapping;
    std::vector<LedgerProblem> problems;   // sorted by row
};

// Throws InputError when nothing at all could be imported (the project is then unchanged).
LedgerImportReport import_ledger(ProjectStore& store, const LedgerImportOptions& options, Progress& progress);

// What import_ledger would do, without writing (the viewer's import dialog shows it first): the same
// parse and the same checks against the project. report.imported counts the rows it would store.
struct LedgerPreview {
    LedgerImportReport report;
    std::vector<LedgerRecord> first_rows;  // the first rows it would store, decoded
};
// Throws like import_ledger, except that a file with no importable row is previewed (imported 0).
LedgerPreview probe_ledger(const ProjectStore& store, const LedgerImportOptions& options, std::size_t max_rows,
                           Progress& progress);

} // namespace qingling
