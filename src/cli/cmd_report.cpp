// qingling-cli report add PROJECT --kind 举报|信访 --content TEXT [--date D] [--enterprise ID]
//                        [--name N] [--village V] [--address A] [--industry I] [--lon X --lat Y]
//                        [--coords wgs84|gcj02|bd09|cgcs2000] [--reporter R] [--contact C]
// 举报/信访 from the public: each creates (or points at) a suspect record to be surveyed.
#include "cli/command.hpp"
#include "core/campaign_public_report.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <cstdio>
#include <iostream>

namespace qingling::cli {
namespace {

class ReportAddCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "add", "record a 举报 or 信访; without --enterprise it creates a suspect record (排查发现) to be surveyed");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--kind", kind_, "举报 (default) or 信访");
        app->add_option("--content", content_, "what was reported")->required();
        app->add_option("--date", date_, "when it was received, YYYY-MM-DD (default: today)");
        app->add_option("--enterprise", enterprise_id_, "编号 of an enterprise already in the ledger");
        app->add_option("--name", name_, "name of the suspect (default: 举报线索 DATE)");
        app->add_option("--village", village_, "所属村(社区)");
        app->add_option("--address", address_, "address as reported");
        app->add_option("--industry", industry_, "行业, when known");
        app->add_option("--lon", lon_, "longitude of the place");
        app->add_option("--lat", lat_, "latitude of the place");
        app->add_option("--coords", coords_, "wgs84 (default, GPS), gcj02 (高德), bd09 (百度) or cgcs2000");
        app->add_option("--reporter", reporter_, "who reported (may stay empty: anonymous)");
        app->add_option("--contact", contact_, "how to reach the reporter");
        return app;
    }

    int run() override {
        PublicReportOptions o;
        o.kind = kind_;
        o.content = content_;
        o.date = date_;
        o.enterprise_id = enterprise_id_;
        o.name = name_;
        o.village = village_;
        o.address = address_;
        o.industry = industry_;
        o.lon = lon_;
        o.lat = lat_;
        o.reporter = reporter_;
        o.contact = contact_;
        const auto coords = parse_coord_source(coords_);
        if (!coords || *coords == CoordSource::none || *coords == CoordSource::gauss_kruger)
            throw UsageError("--coords must be wgs84, gcj02, bd09 or cgcs2000, not '" + coords_ + "'");
        o.coords = *coords;
        if (enterprise_id_ != 0 && (!name_.empty() || !village_.empty() || !address_.empty() || !industry_.empty()))
            throw UsageError("--name, --village, --address and --industry describe a new suspect; not with --enterprise");
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const PublicReportResult r = add_public_report(store, o);
        std::cout << "已登记" << o.kind << " #" << r.report_id << "\n";
        if (r.created_enterprise)
            std::cout << "  新建疑似企业 #" << r.enterprise_id << " " << r.enterprise_name << " (排查发现, 待排查)\n";
        else
            std::cout << "  涉及企业 #" << r.enterprise_id << " " << r.enterprise_name << "\n";
        if (r.x && r.y) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "  位置: X %.1f, Y %.1f (项目坐标系)\n", *r.x, *r.y);
            std::cout << buf;
        } else {
            std::cout << "  位置: 未提供\n";
        }
        return 0;
    }

private:
    std::string project_, kind_ = "举报", content_, date_, name_, village_, address_, industry_, coords_ = "wgs84",
                          reporter_, contact_;
    long long enterprise_id_ = 0;
    std::optional<double> lon_, lat_;
};

} // namespace

std::unique_ptr<Command> make_report_add_command() { return std::make_unique<ReportAddCommand>(); }

} // namespace qingling::cli
