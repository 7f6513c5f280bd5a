// qingling-cli info PROJECT: settings, calendar, layers and ledger size of a campaign.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/landuse_codes.hpp"
#include "core/project_store.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

class InfoCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("info", "项目概况: settings, calendar, layers and ledger of a campaign");
        app->add_option("PROJECT", project_, "campaign file")->required();
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const auto s = store.settings();
        std::cout << "项目: " << s.name << "\n";
        std::cout << "辖区: " << (s.jurisdiction.empty() ? "(未设置)" : s.jurisdiction) << "\n";
        std::cout << "坐标系: EPSG:" << s.epsg << "\n";
        std::cout << "时间节点: 全面排查 " << s.calendar.survey_end << ", 精准分类 " << s.calendar.classify_end
                  << ", 依法关闭 " << s.calendar.close_end << ", 整改验收 " << s.calendar.rectify_end
                  << ", 搬迁方案 " << s.calendar.relocate_plan_end << "\n";
        std::cout << "格式版本: " << store.schema_version() << "\n\n";
        TextTable table({"图层", "角色", "要素", "修复", "拒绝", "编码", "原坐标系", "地类编码"});
        for (const auto& l : store.layers()) {
            const auto system = parse_code_system(l.code_system).value_or(CodeSystem::unknown);
            table.add({l.name, std::string(role_label_zh(l.role)), std::to_string(l.feature_count),
                       std::to_string(l.repaired_count), std::to_string(l.rejected_count), l.encoding, l.source_crs,
                       l.code_system.empty() ? "" : l.code_field + " " + code_system_label_zh(system)});
        }
        table.print(std::cout);
        std::cout << "\n企业台账: " << store.ledger_size() << " 家\n";
        return 0;
    }

private:
    std::string project_;
};

} // namespace

std::unique_ptr<Command> make_info_command() { return std::make_unique<InfoCommand>(); }

} // namespace qingling::cli
