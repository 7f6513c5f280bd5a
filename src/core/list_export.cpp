#include "core/list_export.hpp"

#include "core/errors.hpp"
#include "core/industry_table.hpp"
#include "core/list_table.hpp"
#include "core/map_render.hpp"
#include "core/resources.hpp"

#include <algorithm>
#include <set>

namespace qingling {

std::optional<ListKind> parse_list_kind(const std::string& text, std::string& department) {
    if (text == "ledger" || text == "分类处置台账") return ListKind::ledger;
    if (text == "power-cut" || text == "断电清单") return ListKind::power_cut;
    const std::string prefix = "department:";
    if (text.rfind(prefix, 0) == 0 && text.size() > prefix.size()) {
        department = text.substr(prefix.size());
        return ListKind::department;
    }
    return std::nullopt;
}

std::vector<std::string> list_departments() {
    std::set<std::string> names{"处国土所"};
    const IndustryTable table = IndustryTable::load(layers_dir() / "industries.tsv");
    for (const Industry& i : table.industries())
        if (!i.department.empty()) names.insert(i.department);
    return {names.begin(), names.end()};
}

namespace {

std::string flag_text(bool on) { return on ? "是" : ""; }

std::string category_of(const std::optional<Category>& c) { return c ? category_label_zh(*c) : ""; }

std::string problems(const MapEnterprise& e) {
    std::string out;
    if (!e.mark.verdict) return out;
    for (const Finding& f : e.mark.verdict->findings) {
        if (!out.empty()) out += "；";
        out += f.explanation;
    }
    return out;
}

// 电力户号: the ledger's column, else an unknown column kept from the source that names it.
std::string power_account(const LedgerRecord& r) {
    if (!r.power_account.empty()) return r.power_account;
    for (const auto& [header, value] : r.extra)
        if (header.find("户号") != std::string::npos || header.find("电力") != std::string::npos ||
            header.find("电表") != std::string::npos)
            return value;
    return "";
}

// Land-use plan non-conformity (the land office's own ledger, plan section 五 (四)): a 散 finding
// about a land class.
bool land_plan_finding(const MapEnterprise& e, std::string& why) {
    if (!e.mark.verdict) return false;
    for (const Finding& f : e.mark.verdict->findings)
        if (f.flag == Flag::san && !f.code.empty()) {
            why = "不符合土地利用规划：" + f.explanation;
            return true;
        }
    return false;
}

std::string with_prefix(const std::string& department) {
    return department.rfind("处", 0) == 0 ? department : "处" + department;
}

} // namespace

ListExportReport export_list(const ProjectStore& store, const ListExportOptions& options, Progress& progress) {
    progress.report(0, "读取项目");
    const MapContent content = read_map_content(store);
    const std::string who = content.settings.jurisdiction.empty() ? content.settings.name : content.settings.jurisdiction;
    std::vector<const MapEnterprise*> order;
    for (const MapEnterprise& e : content.enterprises) order.push_back(&e);
    // By village, then ledger order: each village reads its own block.
    std::stable_sort(order.begin(), order.end(),
                     [](const MapEnterprise* a, const MapEnterprise* b) { return a->record.village < b->record.village; });

    ListTable table;
    ListExportReport report;
    switch (options.kind) {
    case ListKind::ledger: {
        report.title = "分类处置台账";
        table.sheet = "分类处置台账";
        table.columns = {{"序号", 6, true},         {"企业名称", 30},     {"统一社会信用代码", 21}, {"法定代表人", 10},
                         {"联系电话", 13},          {"地址", 28, false, true}, {"所属村(社区)", 12}, {"网格", 12},
                         {"行业", 10},              {"责任部门", 10},     {"散", 4},                {"乱", 4},
                         {"污", 4},                 {"建议类别", 10},     {"确认类别", 10},         {"确认人", 8},
                         {"确认时间", 11},          {"整治状态", 10},     {"完成期限", 11},         {"责任人", 8},
                         {"主要问题", 60, false, true}};
        long long n = 0;
        for (const MapEnterprise* e : order) {
            const auto& r = e->record;
            const auto& v = e->mark.verdict;
            const auto& c = e->mark.confirmation;
            table.rows.push_back({std::to_string(++n), r.name, r.credit_code, r.legal_person, r.phone, r.address, r.village,
                                  e->grid, r.industry, r.department, flag_text(v && v->san), flag_text(v && v->luan),
                                  flag_text(v && v->wu), v ? category_of(v->suggested) : "",
                                  c ? category_label_zh(c->category) : "", c ? c->user : "",
                                  c ? c->at.substr(0, 10) : "", e->progress.status, e->progress.deadline, e->responsible,
                                  problems(*e)});
        }
        break;
    }
    case ListKind::power_cut: {
        report.title = "断电清单";
        table.sheet = "断电清单";
        // For the power supply office, outside the campaign: it cuts by 电力户号 and address, and
        // reaches the site through the grid's 责任人; the owner's name and phone stay with the
        // subdistrict (docs/data-protection.md).
        table.columns = {{"序号", 6, true},   {"企业名称", 30},   {"电力户号", 16},   {"地址", 30, false, true},
                         {"所属村(社区)", 12}, {"网格", 12},       {"责任人", 8},
                         {"处置类别", 12},     {"断电期限", 11},   {"依据", 50, false, true}};
        long long n = 0;
        for (const MapEnterprise* e : order) {
            if (e->mark.mark != Mark::close) continue;
            const auto& r = e->record;
            const std::string basis = e->mark.confirmation ? "甄别确认：依法关闭" : "检查建议：依法关闭（待甄别确认）";
            table.rows.push_back({std::to_string(++n), r.name, power_account(r), r.address, r.village, e->grid,
                                  e->responsible, mark_label_zh(e->mark.mark),
                                  content.settings.calendar.close_end, basis + (problems(*e).empty() ? "" : "；" + problems(*e))});
        }
        break;
    }
    case ListKind::department: {
        const std::vector<std::string> known = list_departments();
        const std::string wanted = with_prefix(options.department);
        if (std::find(known.begin(), known.end(), wanted) == known.end()) {
            std::string list;
            for (const auto& d : known) list += (list.empty() ? "" : ", ") + d;
            throw UsageError("--kind department:" + options.department + ": unknown department (one of " + list + ")");
        }
        report.department = wanted;
        report.title = wanted + "任务清单";
        table.sheet = wanted + "任务清单";
        table.columns = {{"序号", 6, true},    {"企业名称", 30},  {"行业", 10},      {"所属村(社区)", 12},
                         {"网格", 12},         {"地址", 28, false, true}, {"法定代表人", 10}, {"联系电话", 13},
                         {"处置类别", 12},     {"整治状态", 10},  {"完成期限", 11},  {"责任人", 8},
                         {"列入原因", 30, false, true}, {"主要问题", 50, false, true}};
        long long n = 0;
        for (const MapEnterprise* e : order) {
            const auto& r = e->record;
            std::string why;
            if (r.department == wanted) why = "行业：" + r.industry + "（" + wanted + "负责）";
            else if (wanted == "处国土所" && !land_plan_finding(*e, why)) continue;
            else if (wanted != "处国土所") continue;
            table.rows.push_back({std::to_string(++n), r.name, r.industry, r.village, e->grid, r.address, r.legal_person,
                                  r.phone, mark_label_zh(e->mark.mark), e->progress.status, e->progress.deadline,
                                  e->responsible, why, problems(*e)});
        }
        break;
    }
    }
    table.title = who + "“散乱污”企业" + report.title;
    for (const auto& c : table.columns) report.headers.push_back(c.header);
    report.rows = static_cast<long long>(table.rows.size());
    progress.report(0.8, "写出清单");
    write_list_table(table, options.out);
    progress.report(1, "完成");
    return report;
}

} // namespace qingling
