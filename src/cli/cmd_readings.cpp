// qingling-cli readings import PROJECT FILE [--as-of DATE]
// qingling-cli readings thresholds PROJECT [--closed-max-kwh N] [--jump-ratio R] [--jump-min-kwh N]
// Monthly electricity per 电力户号, and the relapse (死灰复燃) suspects it reveals.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/campaign_dates.hpp"
#include "core/campaign_readings.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <cstdio>
#include <iostream>

namespace qingling::cli {
namespace {

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

void print_flags(std::ostream& out, const std::vector<RelapseFlag>& flags) {
    out << "疑似死灰复燃 " << flags.size() << " 家:\n";
    if (flags.empty()) return;
    TextTable t({"编号", "企业名称", "村", "电力户号", "分类", "月份(kWh)", "说明"});
    for (const auto& f : flags) {
        std::string months;
        for (const auto& [m, kwh] : f.months) months += (months.empty() ? "" : ", ") + m + " " + number(kwh);
        t.add({std::to_string(f.enterprise_id), f.name, f.village, f.account, category_label_zh(f.category), months,
               f.explanation});
    }
    t.print(out);
}

class ReadingsImportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "import", "import monthly readings (电力户号, 月份, 用电量; or one column per month) from CSV or XLSX and list "
                      "relapse suspects");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("FILE", file_, "CSV (UTF-8 or GBK) or XLSX from the power supply office")->required();
        app->add_option("--as-of", as_of_, "judge relapses with the readings up to this date (default: today)");
        return app;
    }

    int run() override {
        if (!as_of_.empty()) require_iso_date(as_of_, "--as-of");
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        ReadingsImportReport r;
        {
            TerminalProgress progress;
            r = import_power_readings(store, file_, progress);
        }
        std::cout << "导入用电数据: " << r.file << (r.wide ? " (每月一列)" : " (月份、用电量列)") << "\n";
        std::cout << "  行数 " << r.rows << ", 读数 " << r.readings << ", 新增或变更 " << r.stored << ", 跳过 "
                  << r.problems.size() << "\n";
        if (!r.problems.empty()) {
            TextTable t({"行", "列", "值", "问题"});
            for (const auto& p : r.problems) t.add({std::to_string(p.row), p.column, p.value, p.message});
            t.print(std::cout);
        }
        if (!r.unknown_accounts.empty()) {
            std::cout << "  台账中没有的电力户号 " << r.unknown_accounts.size() << " 个 (已保存):";
            for (const auto& a : r.unknown_accounts) std::cout << " " << a;
            std::cout << "\n";
        }
        const auto data = load_campaign(store);
        const std::string as_of = as_of_.empty() ? today_iso_date() : as_of_;
        const auto t = data.relapse_thresholds;
        std::cout << "\n判定 (截至 " << as_of << "): 关闭企业断电后月用电超过 " << number(t.closed_max_kwh)
                  << " kWh; 整改企业验收前月用电超过此前月均的 " << number(t.jump_ratio) << " 倍且多出 "
                  << number(t.jump_min_kwh) << " kWh 以上\n";
        print_flags(std::cout, detect_relapses(data, data.readings, t, as_of));
        return 0;
    }

private:
    std::string project_, file_, as_of_;
};

class ReadingsThresholdsCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("thresholds", "show or change when readings make an enterprise a relapse suspect");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--closed-max-kwh", closed_max_, "a closed enterprise may use at most this many kWh a month after 断电");
        app->add_option("--jump-ratio", ratio_, "a rectifying one is suspect above this multiple of its earlier monthly mean");
        app->add_option("--jump-min-kwh", jump_min_, "... and at least this many kWh above it");
        return app;
    }

    int run() override {
        const bool change = closed_max_ || ratio_ || jump_min_;
        auto store = ProjectStore::open(project_, change ? ProjectStore::Access::read_write : ProjectStore::Access::read_only);
        RelapseThresholds t = store.relapse_thresholds();
        if (change) {
            if (closed_max_) t.closed_max_kwh = *closed_max_;
            if (ratio_) t.jump_ratio = *ratio_;
            if (jump_min_) t.jump_min_kwh = *jump_min_;
            WriteTransaction tx(store);
            store.set_relapse_thresholds(tx, t);
            tx.commit();
        }
        std::cout << "关闭企业断电后月用电上限: " << number(t.closed_max_kwh) << " kWh\n";
        std::cout << "整改企业用电突增: 超过此前月均的 " << number(t.jump_ratio) << " 倍, 且多出 " << number(t.jump_min_kwh)
                  << " kWh 以上\n";
        return 0;
    }

private:
    std::string project_;
    std::optional<double> closed_max_, ratio_, jump_min_;
};

} // namespace

std::unique_ptr<Command> make_readings_import_command() { return std::make_unique<ReadingsImportCommand>(); }
std::unique_ptr<Command> make_readings_thresholds_command() { return std::make_unique<ReadingsThresholdsCommand>(); }

} // namespace qingling::cli
