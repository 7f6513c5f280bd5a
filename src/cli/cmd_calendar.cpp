// qingling-cli calendar PROJECT [--survey-end D] [--classify-end D] [--close-end D] [--rectify-end D]
//                               [--relocate-plan-end D]
// The campaign's calendar (the plan's steps and dates): show it, or change it for this campaign.
#include "cli/command.hpp"
#include "core/campaign_dates.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class CalendarCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "calendar", "时间节点: show or change the campaign's deadlines (default: the work plan's 2024 dates)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--survey-end", survey_, "全面排查 done by, YYYY-MM-DD");
        app->add_option("--classify-end", classify_, "精准分类 (甄别确认, 分类处置台账) done by");
        app->add_option("--close-end", close_, "依法关闭: 两断三清 done by");
        app->add_option("--rectify-end", rectify_, "整改规范: 验收 done by");
        app->add_option("--relocate-plan-end", relocate_, "限期搬迁: 搬迁方案 made by");
        return app;
    }

    int run() override {
        const std::pair<std::string*, const char*> given[] = {{&survey_, "--survey-end"}, {&classify_, "--classify-end"},
                                                              {&close_, "--close-end"}, {&rectify_, "--rectify-end"},
                                                              {&relocate_, "--relocate-plan-end"}};
        bool change = false;
        for (const auto& [value, option] : given)
            if (!value->empty()) {
                require_iso_date(*value, option);
                change = true;
            }
        auto store = ProjectStore::open(project_, change ? ProjectStore::Access::read_write : ProjectStore::Access::read_only);
        ProjectSettings s = store.settings();
        if (change) {
            auto set = [](std::string& field, const std::string& value) {
                if (!value.empty()) field = value;
            };
            set(s.calendar.survey_end, survey_);
            set(s.calendar.classify_end, classify_);
            set(s.calendar.close_end, close_);
            set(s.calendar.rectify_end, rectify_);
            set(s.calendar.relocate_plan_end, relocate_);
            WriteTransaction tx(store);
            store.set_settings(tx, s);
            tx.commit();
        }
        const auto& c = s.calendar;
        std::cout << "全面排查 " << c.survey_end << "\n精准分类 " << c.classify_end << "\n两断三清 " << c.close_end
                  << "\n整改验收 " << c.rectify_end << "\n搬迁方案 " << c.relocate_plan_end << "\n";
        return 0;
    }

private:
    std::string project_, survey_, classify_, close_, rectify_, relocate_;
};

} // namespace

std::unique_ptr<Command> make_calendar_command() { return std::make_unique<CalendarCommand>(); }

} // namespace qingling::cli
