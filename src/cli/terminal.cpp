#include "cli/terminal.hpp"

#include "core/landuse_codes.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace qingling::cli {

TerminalProgress::TerminalProgress() : enabled_(::isatty(STDERR_FILENO) == 1) {}

TerminalProgress::~TerminalProgress() {
    if (enabled_ && last_percent_ >= 0) std::fputs("\r\033[K", stderr);
}

void TerminalProgress::report(double fraction, std::string_view stage) {
    if (!enabled_) return;
    const int percent = static_cast<int>(fraction * 100.0 + 0.5);
    if (percent == last_percent_ && stage == last_stage_) return;
    last_percent_ = percent;
    last_stage_ = stage;
    const int filled = percent * 30 / 100;
    std::fprintf(stderr, "\r\033[K%.*s [%s%s] %3d%%", static_cast<int>(stage.size()), stage.data(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(30 - filled), '.').c_str(), percent);
    std::fflush(stderr);
}

std::size_t display_width(const std::string& s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        char32_t cp = c;
        int len = 1;
        if (c >= 0xF0) { len = 4; cp = c & 0x07; }
        else if (c >= 0xE0) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xC0) { len = 2; cp = c & 0x1F; }
        for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        i += len;
        // East Asian wide ranges: Hangul Jamo, CJK symbols to Yi, Hangul, compatibility ideographs,
        // full-width forms, supplementary ideographs.
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

void TextTable::print(std::ostream& out) const {
    std::vector<std::size_t> widths(headers_.size());
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    };
    measure(headers_);
    for (const auto& r : rows_) measure(r);
    auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < row.size() ? row[i] : "";
            text += cell;
            if (i + 1 < widths.size()) text += std::string(widths[i] - display_width(cell) + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(headers_);
    std::vector<std::string> rule;
    for (auto w : widths) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& r : rows_) line(r);
}

void print_layer_import_report(std::ostream& out, const LayerImportReport& r) {
    out << "导入图层 \"" << r.layer_name << "\" (" << role_label_zh(r.role) << ", 角色 " << r.role << ", 表 "
        << r.table_name << ")\n";
    out << "  来源: " << r.source << " (" << r.driver << ", 图层 " << r.source_layer << ")\n";
    out << "  编码: " << r.encoding << " (" << r.encoding_how << ")\n";
    out << "  坐标系: " << r.source_crs << " (" << r.crs_how << ") -> 项目 " << r.project_crs << "\n";
    if (!r.code_system.empty()) {
        const auto system = parse_code_system(r.code_system).value_or(CodeSystem::unknown);
        out << "  地类编码: 字段 " << r.code_field << ", " << code_system_label_zh(system) << " (" << r.code_system_how
            << ")\n";
    }
    out << "  要素: 读取 " << r.features_read << ", 导入 " << r.imported << ", 修复 " << r.repaired << ", 拒绝 "
        << r.rejected.size() << "\n";
    for (const auto& repair : r.repairs) out << "    修复 " << repair << "\n";
    for (const auto& rej : r.rejected) out << "    拒绝 fid " << rej.fid << ": " << rej.reason << "\n";
    if (!r.unknown_codes.empty()) {
        out << "  未知地类编码:";
        for (const auto& [code, n] : r.unknown_codes) out << " " << code << " (" << n << " 个图斑)";
        out << "\n";
    }
    for (const auto& note : r.notes) out << "  注意: " << note << "\n";
}

void print_ledger_import_report(std::ostream& out, const LedgerImportReport& r) {
    out << "导入企业台账: " << r.file << "\n";
    out << "  编码: " << r.encoding << "; 坐标列: " << (r.coordinate_columns.empty() ? "无" : r.coordinate_columns)
        << "\n";
    out << "  行数: 读取 " << r.rows_read << ", 导入 " << r.imported << " (有坐标 " << r.with_point << "), 拒绝 "
        << r.rejected << ", 问题 " << r.problems.size() << "\n";
    std::string unknown;
    for (const auto& [header, field] : r.column_mapping)
        if (field == "extra") unknown += (unknown.empty() ? "" : ", ") + header;
    if (!unknown.empty()) out << "  保留为附加属性的列: " << unknown << "\n";
    if (!r.problems.empty()) {
        TextTable table({"行", "列", "问题", "处理", "说明"});
        for (const auto& p : r.problems)
            table.add({std::to_string(p.row), p.column, p.kind, p.rejected ? "未导入" : "已导入", p.message});
        table.print(out);
    }
}

} // namespace qingling::cli
