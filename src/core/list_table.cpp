#include "core/list_table.hpp"

#include "core/errors.hpp"

#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

namespace qingling {

namespace {

std::string random_suffix() {
    std::random_device rd;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    return buf;
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool parse_number(const std::string& s, double& v) {
    if (s.empty()) return false;
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}

void write_csv(const ListTable& table, const std::filesystem::path& temp, const std::filesystem::path& out) {
    std::ofstream file(temp, std::ios::binary);
    if (!file) throw Error("cannot write " + out.string() + ": cannot create the file");
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) file << (i ? "," : "") << csv_field(cells[i]);
        file << "\r\n";
    };
    file << "\xEF\xBB\xBF";
    std::vector<std::string> headers;
    for (const auto& c : table.columns) headers.push_back(c.header);
    line(headers);
    for (const auto& r : table.rows) line(r);
    file.flush();
    if (!file) throw Error("cannot write " + out.string() + ": writing failed (disk full?)");
}

void write_xlsx(const ListTable& table, const std::filesystem::path& temp, const std::filesystem::path& out) {
    lxw_workbook* wb = workbook_new(temp.c_str());
    if (!wb) throw Error("cannot write " + out.string() + ": cannot create the workbook");
    lxw_format* head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE4EE);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format* cell = workbook_add_format(wb);
    format_set_border(cell, LXW_BORDER_THIN);
    format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* wrap = workbook_add_format(wb);
    format_set_border(wrap, LXW_BORDER_THIN);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

    lxw_worksheet* ws = workbook_add_worksheet(wb, table.sheet.empty() ? nullptr : table.sheet.c_str());
    if (!ws) {
        workbook_close(wb);
        throw Error("cannot write " + out.string() + ": bad sheet name '" + table.sheet + "'");
    }
    const auto ncols = static_cast<lxw_col_t>(table.columns.size());
    lxw_row_t row = 0;
    if (!table.title.empty()) {
        lxw_doc_properties properties{};
        properties.title = const_cast<char*>(table.title.c_str());  // copied by libxlsxwriter
        workbook_set_properties(wb, &properties);
    }
    const lxw_row_t header_row = row;
    for (lxw_col_t c = 0; c < ncols; ++c) {
        worksheet_write_string(ws, row, c, table.columns[c].header.c_str(), head);
        worksheet_set_column(ws, c, c, table.columns[c].width, nullptr);
    }
    ++row;
    for (const auto& r : table.rows) {
        for (lxw_col_t c = 0; c < ncols; ++c) {
            const std::string& v = c < r.size() ? r[c] : std::string();
            lxw_format* f = table.columns[c].wrap ? wrap : cell;
            double number = 0;
            if (table.columns[c].number && parse_number(v, number)) worksheet_write_number(ws, row, c, number, f);
            else if (v.empty()) worksheet_write_blank(ws, row, c, f);
            else worksheet_write_string(ws, row, c, v.c_str(), f);
        }
        ++row;
    }
    worksheet_freeze_panes(ws, header_row + 1, 0);
    if (ncols > 0) worksheet_autofilter(ws, header_row, 0, row - 1, ncols - 1);
    worksheet_set_landscape(ws);
    worksheet_repeat_rows(ws, header_row, header_row);
    const lxw_error err = workbook_close(wb);  // writes the file and frees wb
    if (err != LXW_NO_ERROR) throw Error("cannot write " + out.string() + ": " + lxw_strerror(err));
}

} // namespace

std::filesystem::path temp_beside(const std::filesystem::path& out) {
    return out.parent_path() / (out.stem().string() + ".partial-" + random_suffix() + out.extension().string());
}

void rename_into_place(const std::filesystem::path& temp, const std::filesystem::path& out) {
    std::error_code ec;
    std::filesystem::rename(temp, out, ec);
    if (ec) throw Error("cannot write " + out.string() + ": " + ec.message());
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void write_list_table(const ListTable& table, const std::filesystem::path& out) {
    const std::string ext = lower_ascii(out.extension().string());
    if (ext != ".xlsx" && ext != ".csv")
        throw UsageError("cannot write " + out.string() + ": unknown format '" + ext + "' (use .xlsx or .csv)");
    const auto temp = temp_beside(out);
    std::error_code ec;
    try {
        if (ext == ".csv") write_csv(table, temp, out);
        else write_xlsx(table, temp, out);
        rename_into_place(temp, out);
    } catch (...) {
        std::filesystem::remove(temp, ec);
        throw;
    }
}

} // namespace qingling
