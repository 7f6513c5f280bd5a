// qingling-cli status PROJECT [--as-of DATE] [--format table|json] [--due-soon-days N]
// 整治进度: where the campaign stands on a date, the same summary the dashboard shows.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/campaign_dates.hpp"
#include "core/campaign_summary.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

std::string missing_items(const EnterpriseProgress& p) {
    std::string out;
    for (auto item : p.clearance_missing) out += (out.empty() ? "" : "、") + std::string(clearance_item_label_zh(item));
    return out.empty() ? "" : "缺 " + out;
}

std::string deadline_text(const EnterpriseProgress& p) {
    if (!p.deadline) return "";
    return std::string(deadline_step_label_zh(p.deadline->step)) + " " + p.deadline->date +
           (p.deadline->overridden ? " (单独设定)" : "");
}

void print_groups(std::ostream& out, const std::string& title, const std::map<std::string, CampaignGroupCounts>& groups) {
    TextTable t({title, "合计", "未完成", "逾期", "即将到期", "整治完成", "回头看", "已销号"});
    for (const auto& [name, g] : groups)
        t.add({name, std::to_string(g.total), std::to_string(g.remaining), std::to_string(g.overdue),
               std::to_string(g.due_soon), std::to_string(g.by_status.at(CampaignStatus::done)),
               std::to_string(g.by_status.at(CampaignStatus::revisit)),
               std::to_string(g.by_status.at(CampaignStatus::struck_off))});
    t.print(out);
}

void print_list(std::ostream& out, const std::vector<EnterpriseProgress>& list, bool overdue) {
    TextTable t({"编号", "企业名称", "村", "分类", "状态", "时间节点", overdue ? "逾期天数" : "剩余天数", "说明"});
    for (const auto& p : list)
        t.add({std::to_string(p.id), p.name, p.village, category_group_label(p.category), campaign_status_label_zh(p.status),
               deadline_text(p), std::to_string(overdue ? -p.days_left : p.days_left), missing_items(p)});
    t.print(out);
}

class StatusCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "status", "整治进度: counts by category and status, village and department, the weekly path to zero, "
                      "overdue and due-soon lists and relapse suspects, as of a date");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--as-of", as_of_, "the date to look at, YYYY-MM-DD (default: today)");
        app->add_option("--format", format_, "table (default) or json");
        app->add_option("--due-soon-days", due_soon_days_, "a deadline this many days ahead counts as due soon (default 14)")
            ->check(CLI::NonNegativeNumber);
        return app;
    }

    int run() override {
        if (format_ != "table" && format_ != "json")
            throw UsageError("--format must be table or json, not '" + format_ + "'");
        if (!as_of_.empty()) require_iso_date(as_of_, "--as-of");
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        CampaignSummaryOptions o;
        o.as_of = as_of_;
        o.due_soon_days = due_soon_days_;
        const CampaignSummary s = summarise_campaign(load_campaign(store), o);
        if (format_ == "json") {
            std::cout << campaign_summary_to_json(s);
            return 0;
        }
        auto& out = std::cout;
        const auto& c = s.calendar;
        out << "整治进度 (截至 " << s.as_of << ")\n";
        out << "时间节点: 全面排查 " << c.survey_end << ", 精准分类 " << c.classify_end << ", 两断三清 " << c.close_end
            << ", 整改验收 " << c.rectify_end << ", 搬迁方案 " << c.relocate_plan_end << "\n";
        out << "企业 " << s.total << " 家: 未完成 " << s.remaining << " 家, 整治完成 " << s.done << " 家 (含回头看), 已销号 "
            << s.struck_off << " 家; 逾期 " << s.overdue << " 家, " << o.due_soon_days << " 天内到期 " << s.due_soon
            << " 家; 疑似死灰复燃 " << s.relapses.size() << " 家\n\n";

        out << "按分类和状态:\n";
        std::vector<std::string> headers = {"分类", "合计"};
        for (auto st : kAllCampaignStatuses) headers.emplace_back(campaign_status_label_zh(st));
        headers.emplace_back("逾期");
        TextTable by_category(headers);
        for (const char* cat : {"依法关闭", "整改规范", "限期搬迁", "未分类"}) {
            const auto& g = s.by_category.at(cat);
            std::vector<std::string> row = {cat, std::to_string(g.total)};
            for (auto st : kAllCampaignStatuses) row.push_back(std::to_string(g.by_status.at(st)));
            row.push_back(std::to_string(g.overdue));
            by_category.add(std::move(row));
        }
        by_category.print(out);
        out << "\n按村(社区):\n";
        print_groups(out, "村(社区)", s.by_village);
        out << "\n按责任部门:\n";
        print_groups(out, "责任部门", s.by_department);

        out << "\n清零进度 (每周剩余未完成企业, 与时间节点要求对照):\n";
        TextTable weeks({"截至", "剩余", "按时间节点应剩余"});
        for (const auto& w : s.path_to_zero)
            weeks.add({w.week_end, std::to_string(w.remaining), std::to_string(w.required_remaining)});
        weeks.print(out);

        out << "\n逾期 (" << s.overdue_list.size() << " 家):\n";
        if (!s.overdue_list.empty()) print_list(out, s.overdue_list, true);
        out << "\n即将到期 (" << s.due_soon_list.size() << " 家):\n";
        if (!s.due_soon_list.empty()) print_list(out, s.due_soon_list, false);
        out << "\n疑似死灰复燃 (用电数据, " << s.relapses.size() << " 家):\n";
        if (!s.relapses.empty()) {
            TextTable t({"编号", "企业名称", "村", "电力户号", "分类", "说明"});
            for (const auto& f : s.relapses)
                t.add({std::to_string(f.enterprise_id), f.name, f.village, f.account, category_label_zh(f.category),
                       f.explanation});
            t.print(out);
        }
        return 0;
    }

private:
    std::string project_, as_of_, format_ = "table";
    int due_soon_days_ = 14;
};

} // namespace

std::unique_ptr<Command> make_status_command() { return std::make_unique<StatusCommand>(); }

} // namespace qingling::cli
