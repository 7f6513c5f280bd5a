#include "core/bulletin_export.hpp"

#include "core/map_render.hpp"

#include <algorithm>
#include <map>

namespace qingling {

namespace {

int mark_index(Mark m) {
    for (size_t i = 0; i < std::size(kAllMarks); ++i)
        if (kAllMarks[i] == m) return static_cast<int>(i);
    return 4;
}

void add_to(BulletinVillageRow& row, const MapEnterprise& e) {
    ++row.total;
    ++row.by_mark[mark_index(e.mark.mark)];
    if (e.progress.status == "已确认") ++row.confirmed;
    else if (e.progress.status == "待确认") ++row.to_confirm;
    else if (e.progress.status == "需复核") ++row.review;
}

} // namespace

BulletinReport export_bulletin(const ProjectStore& store, const BulletinOptions& options, Progress& progress) {
    progress.report(0, "读取项目");
    const std::string date = options.date.empty() ? today_date() : options.date;
    const MapContent content = read_map_content(store, date);
    const std::string who = content.settings.jurisdiction.empty() ? content.settings.name : content.settings.jurisdiction;
    BulletinReport report;

    // 整治状态 as of the bulletin's date, and who is past a deadline.
    for (CampaignStatus st : kAllCampaignStatuses) report.by_status.emplace_back(campaign_status_label_zh(st), 0);
    for (const MapEnterprise& e : content.enterprises) {
        for (auto& [label, n] : report.by_status) n += label == e.progress.campaign_status;
        if (!e.progress.overdue) continue;
        BulletinOverdue o;
        o.id = e.record.id;
        o.name = e.record.name;
        o.village = e.record.village.empty() ? "—" : e.record.village;
        o.category = mark_label_zh(e.mark.mark);
        o.status = e.progress.campaign_status;
        o.step = e.progress.due_step;
        o.deadline = e.progress.due_date;
        o.days_overdue = -e.progress.days_left;
        report.overdue.push_back(o);
    }
    std::stable_sort(report.overdue.begin(), report.overdue.end(),
                     [](const BulletinOverdue& a, const BulletinOverdue& b) { return a.days_overdue > b.days_overdue; });

    std::map<std::string, BulletinVillageRow> by_village;
    BulletinVillageRow total;
    total.village = "合计";
    for (const MapEnterprise& e : content.enterprises) {
        const std::string v = e.record.village.empty() ? "（未填村）" : e.record.village;
        by_village[v].village = v;
        add_to(by_village[v], e);
        add_to(total, e);
    }
    for (auto& [name, row] : by_village) report.villages.push_back(row);
    report.villages.push_back(total);

    const CampaignCalendar& cal = content.settings.calendar;
    std::string summary = "截至" + content.data_date + "，" + who + "台账登记疑似“散乱污”企业 " +
                          std::to_string(total.total) + " 家，分布在 " + std::to_string(by_village.size()) + " 个村（社区）。";
    if (content.run) {
        summary += "经 " + content.run->at.substr(0, 10) + " 规划符合性检查及甄别确认：依法关闭 " +
                   std::to_string(total.by_mark[0]) + " 家，整改规范 " + std::to_string(total.by_mark[1]) +
                   " 家，限期搬迁 " + std::to_string(total.by_mark[2]) + " 家，无需分类 " +
                   std::to_string(total.by_mark[3]) + " 家" +
                   (total.by_mark[4] ? "，未检查 " + std::to_string(total.by_mark[4]) + " 家" : "") + "。已甄别确认 " +
                   std::to_string(total.confirmed) + " 家，待确认 " + std::to_string(total.to_confirm) + " 家" +
                   (total.review ? "，需复核 " + std::to_string(total.review) + " 家" : "") + "。";
    } else {
        summary += "尚未进行规划符合性检查，企业尚未分类。";
    }
    summary += "按工作方案，依法关闭企业须于 " + cal.close_end + " 前完成“两断三清”，整改规范企业须于 " + cal.rectify_end +
               " 前通过部门验收，限期搬迁企业须于 " + cal.relocate_plan_end + " 前制定搬迁方案。";
    report.summary = summary;

    PageCanvas canvas(options.out, page_size(options.page), options.dpi);
    const PageSize page = canvas.size();
    const double margin = mm(18);
    const double width = page.width - 2 * margin;
    const std::string title = options.title.empty() ? who + "“散乱污”企业整治工作通报" : options.title;
    double y = draw_title_block(canvas, title, "（数据截至 " + content.data_date + "）", mm(16)) + mm(8);
    TextStyle heading{12, true, rgb(0x1A1A1A), TextStyle::Align::left, 0};
    TextStyle body{10.5, false, rgb(0x202020), TextStyle::Align::left, 0};
    TextStyle note{8, false, rgb(0x505050), TextStyle::Align::left, 0};
    y = canvas.text(margin, y, "一、总体情况", heading).y1 + mm(2);
    y = canvas.text(margin + mm(7), y, summary, body, width - mm(7)).y1 + mm(6);

    y = canvas.text(margin, y, "二、分村（社区）统计", heading).y1 + mm(2);
    const std::pair<const char*, double> spec[] = {{"村（社区）", 0.18}, {"企业数", 0.09}, {"依法关闭", 0.09},
                                                   {"整改规范", 0.09},   {"限期搬迁", 0.09}, {"无需分类", 0.09},
                                                   {"未检查", 0.08},     {"已确认", 0.09},   {"待确认", 0.09},
                                                   {"需复核", 0.11}};
    std::vector<TableColumn> columns;
    for (const auto& [h, f] : spec) columns.push_back({h, width * f, TextStyle::Align::centre});
    columns[0].align = TextStyle::Align::left;
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : report.villages) {
        rows.push_back({r.village, std::to_string(r.total)});
        for (long long n : r.by_mark) rows.back().push_back(std::to_string(n));
        rows.back().push_back(std::to_string(r.confirmed));
        rows.back().push_back(std::to_string(r.to_confirm));
        rows.back().push_back(std::to_string(r.review));
    }
    double bottom = y;
    size_t next = draw_table(canvas, {static_cast<float>(margin), static_cast<float>(y), static_cast<float>(margin + width),
                                      static_cast<float>(page.height - mm(25))},
                             columns, rows, 0, 8.5, &bottom);
    while (next < rows.size()) {
        canvas.next_page();
        const size_t before = next;
        next = draw_table(canvas, {static_cast<float>(margin), static_cast<float>(mm(20)), static_cast<float>(margin + width),
                                   static_cast<float>(page.height - mm(25))},
                          columns, rows, next, 8.5, &bottom);
        if (next == before) break;
    }
    y = bottom + mm(6);
    std::string progress_text = "截至" + date + "，按整治状态：";
    bool first_status = true;
    for (const auto& [label, n] : report.by_status) {
        if (n == 0) continue;
        progress_text += std::string(first_status ? "" : "，") + label + " " + std::to_string(n) + " 家";
        first_status = false;
    }
    if (first_status) progress_text += "无登记企业";
    progress_text += "。";
    progress_text += report.overdue.empty()
                         ? std::string("无逾期未完成的企业。")
                         : "逾期未完成 " + std::to_string(report.overdue.size()) + " 家，名单如下（按逾期天数排列）。";
    report.progress_text = progress_text;
    if (y + mm(30) > page.height - mm(25)) {
        canvas.next_page();
        y = mm(20);
    }
    y = canvas.text(margin, y, "三、整治进度", heading).y1 + mm(2);
    y = canvas.text(margin + mm(7), y, progress_text, body, width - mm(7)).y1 + mm(4);
    if (!report.overdue.empty()) {
        const std::pair<const char*, double> overdue_spec[] = {{"序号", 0.06},   {"企业名称", 0.28}, {"村（社区）", 0.13},
                                                               {"处置类别", 0.11}, {"整治状态", 0.10}, {"逾期事项", 0.11},
                                                               {"完成期限", 0.12}, {"逾期天数", 0.09}};
        std::vector<TableColumn> overdue_columns;
        for (const auto& [h, f] : overdue_spec) overdue_columns.push_back({h, width * f, TextStyle::Align::left});
        overdue_columns[0].align = TextStyle::Align::centre;
        overdue_columns.back().align = TextStyle::Align::right;
        std::vector<std::vector<std::string>> overdue_rows;
        for (size_t i = 0; i < report.overdue.size(); ++i) {
            const BulletinOverdue& o = report.overdue[i];
            overdue_rows.push_back({std::to_string(i + 1), o.name, o.village, o.category, o.status, o.step, o.deadline,
                                    std::to_string(o.days_overdue)});
        }
        if (y + mm(20) > page.height - mm(25)) {
            canvas.next_page();
            y = mm(20);
        }
        size_t next_row = draw_table(canvas, {static_cast<float>(margin), static_cast<float>(y), static_cast<float>(margin + width),
                                              static_cast<float>(page.height - mm(25))},
                                     overdue_columns, overdue_rows, 0, 8, &bottom);
        while (next_row < overdue_rows.size()) {
            canvas.next_page();
            const size_t before = next_row;
            next_row = draw_table(canvas, {static_cast<float>(margin), static_cast<float>(mm(20)), static_cast<float>(margin + width),
                                           static_cast<float>(page.height - mm(25))},
                                  overdue_columns, overdue_rows, next_row, 8, &bottom);
            if (next_row == before) break;
        }
        y = bottom + mm(4);
    }
    const std::string lists_text = "分类处置台账、断电清单及各部门任务清单见随附 Excel 清单（qingling-cli export list）。";
    y = canvas.text(margin + mm(7), y, lists_text, body, width - mm(7)).y1 + mm(6);
    if (y + mm(25) > page.height - mm(25)) {
        canvas.next_page();
        y = mm(20);
    }
    y = canvas.text(margin, y, "四、分布情况见附图。", heading).y1 + mm(10);
    const std::string unit = options.unit.empty() ? who + "纪委" : options.unit;
    TextStyle sign{10.5, false, rgb(0x202020), TextStyle::Align::right, 0};
    y = canvas.text(page.width - margin, y, unit, sign).y1 + mm(1);
    canvas.text(page.width - margin, y, date, sign);
    canvas.text(margin, page.height - mm(15), "本通报由清零 Qingling 根据项目文件 " + store.path().filename().string() + " 生成。",
                note, width);

    // The overview map on its own page.
    canvas.next_page();
    progress.report(0.3, "绘制附图");
    MapExportOptions map_options;
    map_options.preset = MapPreset::distribution;
    map_options.page = options.page;
    map_options.date = date;
    draw_whole_map_page(canvas, store, content, map_options, "附图：" + who + "“散乱污”企业分布图",
                        "按处置类别（甄别确认优先，其余为检查建议）", progress);
    report.pages = canvas.page_count();
    report.files = canvas.finish();
    progress.report(1, "完成");
    return report;
}

} // namespace qingling
