#include "core/check_report.hpp"

#include "core/list_table.hpp"

#include "core/errors.hpp"

#include <nlohmann/json.hpp>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <set>

namespace qingling {

namespace {

const Confirmation* find_confirmation(const std::map<long long, Confirmation>& confirmations, long long id) {
    auto it = confirmations.find(id);
    return it == confirmations.end() ? nullptr : &it->second;
}

std::string yes_no(bool v) { return v ? "是" : "否"; }

std::string joined_explanations(const Verdict& v) {
    std::string out;
    for (const auto& f : v.findings) {
        if (f.explanation.empty()) continue;
        if (!out.empty()) out += "；";
        out += f.explanation;
    }
    return out;
}

// One row of the CSV/XLSX list, in check_report_headers() order (编号 as text here).
std::vector<std::string> report_row(const Verdict& v, const Confirmation* c) {
    return {std::to_string(v.enterprise_id),
            v.name,
            v.credit_code,
            v.village,
            v.industry,
            yes_no(v.san),
            yes_no(v.luan),
            yes_no(v.wu),
            v.suggested ? category_label_zh(*v.suggested) : "",
            v.deciding_rule,
            c ? category_label_zh(c->category) : "",
            c ? c->user : "",
            c && needs_review(v, *c) ? "是" : "",
            joined_explanations(v)};
}

} // namespace

bool needs_review(const Verdict& v, const Confirmation& c) { return v.suggested != c.suggested_when_confirmed; }

bool needs_review(const Verdict& v, const std::map<long long, Confirmation>& confirmations) {
    const Confirmation* c = find_confirmation(confirmations, v.enterprise_id);
    return c && needs_review(v, *c);
}

// ---- JSON ---------------------------------------------------------------------------------------

std::string verdicts_to_json(const std::vector<Verdict>& verdicts,
                             const std::map<long long, Confirmation>& confirmations) {
    // Written directly, as nlohmann's dump(2) of the ordered objects wrote it (the contract's
    // tests and scripts compare the text): building 50,000 ordered_json objects took longer than
    // the check. Numbers other than integers are formatted by nlohmann.
    std::string out;
    out.reserve(verdicts.size() * 700 + 8);
    auto key = [&](const char* indent, const char* name) {
        out += indent;
        out += '"';
        out += name;
        out += "\": ";
    };
    auto text = [&](const char* indent, const char* name, std::string_view value, bool last = false) {
        key(indent, name);
        append_json_string(out, value);
        out += last ? "\n" : ",\n";
    };
    auto literal = [&](const char* indent, const char* name, const std::string& value) {
        key(indent, name);
        out += value;
        out += ",\n";
    };
    auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
    if (verdicts.empty()) return "[]\n";
    out += "[\n";
    for (const auto& v : verdicts) {
        const Confirmation* c = find_confirmation(confirmations, v.enterprise_id);
        out += &v == &verdicts.front() ? "  {\n" : ",\n  {\n";
        literal("    ", "id", std::to_string(v.enterprise_id));
        text("    ", "name", v.name);
        text("    ", "credit_code", v.credit_code);
        text("    ", "village", v.village);
        literal("    ", "san", boolean(v.san));
        literal("    ", "luan", boolean(v.luan));
        literal("    ", "wu", boolean(v.wu));
        if (v.suggested) text("    ", "suggested", category_label_zh(*v.suggested));
        else literal("    ", "suggested", "null");
        if (c) {
            key("    ", "confirmed");
            out += "{\n";
            text("      ", "category", category_label_zh(c->category));
            text("      ", "user", c->user);
            text("      ", "at", c->at);
            text("      ", "note", c->note, true);
            out += "    },\n";
        } else {
            literal("    ", "confirmed", "null");
        }
        literal("    ", "review", boolean(c != nullptr && needs_review(v, *c)));
        key("    ", "findings");
        if (v.findings.empty()) {
            out += "[]\n";
        } else {
            out += "[\n";
            for (const auto& f : v.findings) {
                out += &f == &v.findings.front() ? "      {\n" : ",\n      {\n";
                text("        ", "rule", f.rule);
                text("        ", "flag", flag_label_zh(f.flag));
                text("        ", "layer", f.layer);
                literal("        ", "feature_id", std::to_string(f.feature_id));
                text("        ", "code", f.code);
                text("        ", "code_name", f.code_name);
                literal("        ", "measure", f.measure ? nlohmann::json(*f.measure).dump() : std::string("null"));
                text("        ", "unit", f.unit);
                text("        ", "explanation", f.explanation, true);
                out += "      }";
            }
            out += "\n    ]\n";
        }
        out += "  }";
    }
    out += "\n]\n";
    return out;
}

// ---- CSV and XLSX -------------------------------------------------------------------------------

std::vector<std::string> check_report_headers() {
    return {"编号", "企业名称", "统一社会信用代码", "所属村(社区)", "行业",   "散",     "乱",
            "污",   "建议分类", "决定规则",         "确认分类",     "确认人", "需复核", "问题说明"};
}

void write_verdicts_csv(const std::vector<Verdict>& verdicts, const std::map<long long, Confirmation>& confirmations,
                        const std::filesystem::path& out) {
    const auto temp = temp_beside(out);
    std::error_code ec;
    try {
        {
            std::ofstream file(temp, std::ios::binary);
            if (!file) throw Error("cannot write " + out.string() + ": cannot create the file");
            auto line = [&](const std::vector<std::string>& cells) {
                for (std::size_t i = 0; i < cells.size(); ++i) file << (i ? "," : "") << csv_field(cells[i]);
                file << "\r\n";
            };
            file << "\xEF\xBB\xBF";
            line(check_report_headers());
            for (const auto& v : verdicts) line(report_row(v, find_confirmation(confirmations, v.enterprise_id)));
            file.flush();
            if (!file) throw Error("cannot write " + out.string() + ": writing failed (disk full?)");
        }
        rename_into_place(temp, out);
    } catch (...) {
        std::filesystem::remove(temp, ec);
        throw;
    }
}

void write_verdicts_xlsx(const std::vector<Verdict>& verdicts, const std::map<long long, Confirmation>& confirmations,
                         const std::filesystem::path& out) {
    const auto temp = temp_beside(out);
    std::error_code ec;
    try {
        lxw_workbook* wb = workbook_new(temp.c_str());
        if (!wb) throw Error("cannot write " + out.string() + ": cannot create the workbook");
        lxw_format* bold = workbook_add_format(wb);
        format_set_bold(bold);
        lxw_format* wrap = workbook_add_format(wb);
        format_set_text_wrap(wrap);
        format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

        auto text = [](lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& s, lxw_format* f) {
            if (!s.empty()) worksheet_write_string(ws, row, col, s.c_str(), f);
        };

        // Sheet 1: one row per enterprise.
        lxw_worksheet* list = workbook_add_worksheet(wb, "检查结果");
        const auto headers = check_report_headers();
        for (std::size_t c = 0; c < headers.size(); ++c)
            text(list, 0, static_cast<lxw_col_t>(c), headers[c], bold);
        lxw_row_t row = 1;
        for (const auto& v : verdicts) {
            const auto cells = report_row(v, find_confirmation(confirmations, v.enterprise_id));
            worksheet_write_number(list, row, 0, static_cast<double>(v.enterprise_id), nullptr);
            for (std::size_t c = 1; c < cells.size(); ++c)
                text(list, row, static_cast<lxw_col_t>(c), cells[c], c + 1 == cells.size() ? wrap : nullptr);
            ++row;
        }
        const double widths[] = {6, 30, 22, 14, 12, 4, 4, 4, 10, 16, 10, 10, 7, 80};
        for (std::size_t c = 0; c < std::size(widths); ++c)
            worksheet_set_column(list, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
        worksheet_freeze_panes(list, 1, 2);
        worksheet_autofilter(list, 0, 0, row - 1, static_cast<lxw_col_t>(headers.size() - 1));

        // Sheet 2: one row per finding, with the layer feature and the measure.
        lxw_worksheet* detail = workbook_add_worksheet(wb, "问题明细");
        const char* detail_headers[] = {"编号", "企业名称", "规则", "类型", "图层", "要素编号",
                                        "编码", "编码名称", "量值", "单位", "说明"};
        for (std::size_t c = 0; c < std::size(detail_headers); ++c)
            text(detail, 0, static_cast<lxw_col_t>(c), detail_headers[c], bold);
        row = 1;
        for (const auto& v : verdicts)
            for (const auto& f : v.findings) {
                worksheet_write_number(detail, row, 0, static_cast<double>(v.enterprise_id), nullptr);
                text(detail, row, 1, v.name, nullptr);
                text(detail, row, 2, f.rule, nullptr);
                text(detail, row, 3, flag_label_zh(f.flag), nullptr);
                text(detail, row, 4, f.layer, nullptr);
                if (!f.layer.empty()) worksheet_write_number(detail, row, 5, static_cast<double>(f.feature_id), nullptr);
                text(detail, row, 6, f.code, nullptr);
                text(detail, row, 7, f.code_name, nullptr);
                if (f.measure) worksheet_write_number(detail, row, 8, *f.measure, nullptr);
                text(detail, row, 9, f.unit == "share" ? "占比" : f.unit == "m" ? "米" : "", nullptr);
                text(detail, row, 10, f.explanation, nullptr);
                ++row;
            }
        const double detail_widths[] = {6, 30, 16, 5, 18, 9, 10, 16, 10, 6, 80};
        for (std::size_t c = 0; c < std::size(detail_widths); ++c)
            worksheet_set_column(detail, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), detail_widths[c], nullptr);
        worksheet_freeze_panes(detail, 1, 2);

        const lxw_error err = workbook_close(wb);  // writes the file and frees wb
        if (err != LXW_NO_ERROR) throw Error("cannot write " + out.string() + ": " + lxw_strerror(err));
        rename_into_place(temp, out);
    } catch (...) {
        std::filesystem::remove(temp, ec);
        throw;
    }
}

// ---- summary ------------------------------------------------------------------------------------

namespace {
CheckCounts empty_counts() {
    CheckCounts c;
    for (Flag f : {Flag::san, Flag::luan, Flag::wu}) c.by_flag[f] = 0;
    for (Category k : {Category::close, Category::rectify, Category::relocate}) c.by_category[k] = 0;
    return c;
}

void count(CheckCounts& c, const Verdict& v) {
    ++c.enterprises;
    if (v.san || v.luan || v.wu) ++c.flagged;
    if (v.san) ++c.by_flag[Flag::san];
    if (v.luan) ++c.by_flag[Flag::luan];
    if (v.wu) ++c.by_flag[Flag::wu];
    if (v.suggested) ++c.by_category[*v.suggested];
    else ++c.no_category;
}
} // namespace

CheckSummary summarise(const std::vector<Verdict>& verdicts, const std::map<long long, Confirmation>& confirmations) {
    CheckSummary s;
    s.total = empty_counts();
    for (Category k : {Category::close, Category::rectify, Category::relocate}) s.confirmed_by_category[k] = 0;
    for (const auto& v : verdicts) {
        count(s.total, v);
        auto [it, inserted] = s.by_village.try_emplace(v.village, CheckCounts{});
        if (inserted) it->second = empty_counts();
        count(it->second, v);
        if (!v.located) ++s.not_located;
        if (const Confirmation* c = find_confirmation(confirmations, v.enterprise_id)) {
            ++s.confirmed;
            ++s.confirmed_by_category[c->category];
            if (needs_review(v, *c)) ++s.review;
        }
    }
    return s;
}

// ---- comparison of two runs ---------------------------------------------------------------------

VerdictState verdict_state(const Verdict& v) { return {v.san, v.luan, v.wu, v.suggested}; }

std::string describe_verdict_state(const VerdictState& s) {
    std::string flags;
    if (s.san) flags += "散";
    if (s.luan) flags += "乱";
    if (s.wu) flags += "污";
    if (flags.empty() && !s.suggested) return "无问题";
    if (flags.empty()) flags = "无问题";
    return flags + " → " + (s.suggested ? category_label_zh(*s.suggested) : "无建议");
}

RunComparison compare_runs(const std::vector<Verdict>& before, const std::vector<Verdict>& after) {
    std::map<long long, const Verdict*> old_by_id, new_by_id;
    for (const auto& v : before) old_by_id[v.enterprise_id] = &v;
    for (const auto& v : after) new_by_id[v.enterprise_id] = &v;
    std::set<long long> ids;
    for (const auto& [id, v] : old_by_id) ids.insert(id);
    for (const auto& [id, v] : new_by_id) ids.insert(id);

    auto rules = [](const Verdict* v) {
        std::set<std::string> out;
        if (v)
            for (const auto& f : v->findings) out.insert(f.rule);
        return out;
    };

    RunComparison result;
    for (long long id : ids) {
        const Verdict* a = old_by_id.count(id) ? old_by_id[id] : nullptr;
        const Verdict* b = new_by_id.count(id) ? new_by_id[id] : nullptr;
        VerdictChange change;
        change.enterprise_id = id;
        const Verdict* named = b ? b : a;
        change.name = named->name;
        change.village = named->village;
        if (a) change.before = verdict_state(*a);
        if (b) change.after = verdict_state(*b);
        if (change.before == change.after) {
            ++result.unchanged;
            continue;
        }
        const auto ra = rules(a), rb = rules(b);
        for (const auto& r : rb)
            if (!ra.count(r)) change.rules_added.push_back(r);
        for (const auto& r : ra)
            if (!rb.count(r)) change.rules_removed.push_back(r);
        result.changed.push_back(std::move(change));
    }
    return result;
}

} // namespace qingling
