// The lists the campaign's departments work from (issue 7), as XLSX (Chinese headers, column
// widths, frozen header) or CSV:
// - 分类处置台账 (the plan's step 二): every enterprise with its 散/乱/污 flags, suggested and
//   confirmed category, status, deadline, grid and responsible person, and the problems found;
// - 断电清单 for the power supply office (处供电所): the 依法关闭 enterprises with 电力户号, address,
//   grid and deadline (两断三清);
// - a department's task list (plan section 五): the enterprises whose industry that department
//   answers for (layers/industries.tsv); the land office (处国土所) also gets every enterprise that
//   does not conform to the land-use plan.
#pragma once

#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

enum class ListKind { ledger, power_cut, department };

struct ListExportOptions {
    std::filesystem::path out;  // .xlsx or .csv
    ListKind kind = ListKind::ledger;
    std::string department;     // for ListKind::department: 处国土所 or 国土所 ...
};

// "ledger", "power-cut", "department:NAME"; nullopt otherwise (department left in `department`).
std::optional<ListKind> parse_list_kind(const std::string& text, std::string& department);

struct ListExportReport {
    std::string title;                  // 分类处置台账 ...
    std::string department;             // the department as matched (处国土所)
    std::vector<std::string> headers;
    long long rows = 0;
};

// The departments of section 五 with an industry in layers/industries.tsv, plus 处国土所.
std::vector<std::string> list_departments();

// UsageError for an unknown department or extension; Error when the file cannot be written.
ListExportReport export_list(const ProjectStore& store, const ListExportOptions& options, Progress& progress);

} // namespace qingling
