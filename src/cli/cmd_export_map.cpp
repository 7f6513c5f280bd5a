// qingling-cli export map PROJECT OUT.pdf|png [--preset 分布图|整治进度图|搬迁选址图|网格图]
//   [--page A4P|A4L|A3P|A3L] [--dpi N] [--atlas village|grid] [--title T] [--subtitle S] [--unit 制图单位]
//   [--date YYYY-MM-DD] [--extent MINX,MINY,MAXX,MAXY] [--layers NAME,NAME…]
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/campaign_dates.hpp"
#include "core/errors.hpp"
#include "core/map_layout.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class ExportMapCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("map", "专题图: print a map (PDF with embedded fonts, or PNG) for meetings");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT", out_, "output .pdf or .png (an atlas as PNG: OUT-01.png, OUT-02.png …)")->required();
        app->add_option("--preset", preset_, "分布图 (default), 整治进度图, 搬迁选址图 or 网格图");
        app->add_option("--page", page_, "A4P, A4L (default), A3P or A3L (P portrait, L landscape)");
        app->add_option("--dpi", options_.dpi, "PNG resolution (default 200)");
        app->add_option("--atlas", atlas_, "one page per village or per grid, each with a table of its enterprises");
        app->add_option("--title", options_.title, "title (default: <辖区>“散乱污”企业<preset>)");
        app->add_option("--subtitle", options_.subtitle, "subtitle");
        app->add_option("--unit", options_.unit, "制图单位 (default: <辖区>国土所)");
        app->add_option("--date", options_.date, "制图日期 (default: today)");
        app->add_option("--as-of", options_.as_of, "整治进度图: the campaign's status and overdue on this date, YYYY-MM-DD (default: today)");
        app->add_option("--extent", extent_,
                        "show at least this box MINX,MINY,MAXX,MAXY (project CRS) at the next round scale, as the "
                        "viewer's 导出当前视图 does (not with --atlas)");
        app->add_option("--layers", layers_, "draw only these layers, in this order from the bottom (names, comma-separated; default: as styled)")
            ->delimiter(',');
        return app;
    }

    int run() override {
        const auto preset = parse_map_preset(preset_);
        if (!preset) throw UsageError("--preset: unknown map '" + preset_ + "' (分布图, 整治进度图, 搬迁选址图, 网格图)");
        const auto page = parse_page_format(page_);
        if (!page) throw UsageError("--page: unknown page '" + page_ + "' (A4P, A4L, A3P, A3L)");
        if (!options_.as_of.empty() && !is_iso_date(options_.as_of))
            throw UsageError("--as-of: expected YYYY-MM-DD, not '" + options_.as_of + "'");
        options_.preset = *preset;
        options_.page = *page;
        if (!atlas_.empty()) {
            const auto by = parse_atlas_by(atlas_);
            if (!by) throw UsageError("--atlas: expected village or grid, not '" + atlas_ + "'");
            options_.atlas = *by;
        }
        if (!extent_.empty()) {
            const auto box = parse_world_box(extent_);
            if (!box) throw UsageError("--extent: expected MINX,MINY,MAXX,MAXY with MINX < MAXX and MINY < MAXY, not '" + extent_ + "'");
            options_.extent = *box;
        }
        if (!layers_.empty()) options_.layers = layers_;
        options_.out = out_;
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        TerminalProgress progress;
        const MapExportReport report = export_map(store, options_, progress);
        long long maps = 0;
        for (const auto& p : report.pages) maps += p.continuation ? 0 : 1;
        std::cout << "已导出" << map_preset_label_zh(*preset) << " " << report.pages.size() << " 页（地图 " << maps
                  << " 幅，" << page_format_code(*page) << "）到:\n";
        for (const auto& f : report.files) std::cout << "  " << f.string() << '\n';
        return 0;
    }

private:
    std::string project_, out_, preset_ = "分布图", page_ = "A4L", atlas_, extent_;
    std::vector<std::string> layers_;
    MapExportOptions options_;
};

} // namespace

std::unique_ptr<Command> make_export_map_command() { return std::make_unique<ExportMapCommand>(); }

} // namespace qingling::cli
