// qingling-cli export bulletin PROJECT OUT.pdf [--page A4P|A4L|A3P|A3L] [--title T] [--unit 制发单位] [--date D]
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/bulletin_export.hpp"
#include "core/campaign_dates.hpp"
#include "core/errors.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ExportBulletinCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("bulletin", "通报: counts by category, village and 整治状态, the overdue list and an overview map (PDF)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT", out_, "output .pdf (or .png, one file per page)")->required();
        app->add_option("--page", page_, "A4P (default), A4L, A3P or A3L");
        app->add_option("--dpi", options_.dpi, "PNG resolution (default 200)");
        app->add_option("--title", options_.title, "title (default: <辖区>“散乱污”企业整治工作通报)");
        app->add_option("--unit", options_.unit, "issuing unit (default: <辖区>纪委)");
        app->add_option("--date", options_.date, "date of the bulletin and of the status and overdue list (default: today)");
        return app;
    }

    int run() override {
        const auto page = parse_page_format(page_);
        if (!page) throw UsageError("--page: unknown page '" + page_ + "' (A4P, A4L, A3P, A3L)");
        options_.page = *page;
        if (!options_.date.empty() && !is_iso_date(options_.date))
            throw UsageError("--date: expected YYYY-MM-DD, not '" + options_.date + "'");
        options_.out = out_;
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        TerminalProgress progress;
        const BulletinReport report = export_bulletin(store, options_, progress);
        std::cout << "已导出通报 " << report.pages << " 页（" << report.villages.back().total << " 家企业，"
                  << report.villages.size() - 1 << " 个村/社区，逾期未完成 " << report.overdue.size() << " 家）到:\n";
        for (const auto& f : report.files) std::cout << "  " << f.string() << '\n';
        return 0;
    }

private:
    std::string project_, out_, page_ = "A4P";
    BulletinOptions options_;
};

} // namespace

std::unique_ptr<Command> make_export_bulletin_command() { return std::make_unique<ExportBulletinCommand>(); }

} // namespace qingling::cli
