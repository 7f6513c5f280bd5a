// Terminal output shared by the commands: a progress line (only on a terminal, so scripted and
// tested runs keep stderr clean), aligned tables that count CJK characters as two columns, and
// the import reports.
#pragma once

#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"
#include "core/progress.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace qingling::cli {

class TerminalProgress final : public Progress {
public:
    TerminalProgress();
    ~TerminalProgress() override;
    void report(double fraction, std::string_view stage) override;

private:
    bool enabled_;
    int last_percent_ = -1;
    std::string last_stage_;
};

// Columns of display width: CJK ideographs and full-width forms take two cells.
std::size_t display_width(const std::string& utf8);

class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

void print_layer_import_report(std::ostream& out, const LayerImportReport& r);
void print_ledger_import_report(std::ostream& out, const LedgerImportReport& r);

} // namespace qingling::cli
