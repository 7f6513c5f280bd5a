// qingling-cli inspect add PROJECT [ENTERPRISE_ID --date D --inspector P --result R [--note N] [--photo F.jpg ...]]
//                                  [--from SHEET.csv|.xlsx]
// Inspection records (routine and 回头看) with photos placed by their EXIF GPS position.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/campaign_inspection.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <cstdio>
#include <iostream>

namespace qingling::cli {
namespace {

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

class InspectAddCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "add", "record inspections (检查/回头看) with photos; one from the options or many from a CSV/XLSX sheet");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise (not with --from)");
        app->add_option("--date", date_, "YYYY-MM-DD");
        app->add_option("--inspector", inspector_, "who inspected");
        app->add_option("--result", result_, "正常, 疑似复产, 已复产 or 整改未到位");
        app->add_option("--note", note_, "what was seen");
        app->add_option("--photo", photos_, "JPEG photo(s); their EXIF GPS places them on the map");
        app->add_option("--from", from_, "a sheet with the columns 企业编号, 检查日期, 检查人, 检查结果, [备注], [照片]");
        return app;
    }

    int run() override {
        std::vector<InspectionEntry> entries;
        if (!from_.empty()) {
            if (enterprise_id_ != 0 || !date_.empty() || !inspector_.empty() || !result_.empty() || !photos_.empty())
                throw UsageError("--from reads everything from the sheet; give no ENTERPRISE_ID or other options with it");
            entries = read_inspection_sheet(from_);
        } else {
            if (enterprise_id_ == 0 || date_.empty() || inspector_.empty() || result_.empty())
                throw UsageError("give ENTERPRISE_ID, --date, --inspector and --result (or --from SHEET)");
            InspectionEntry e;
            e.enterprise_id = enterprise_id_;
            e.date = date_;
            e.inspector = inspector_;
            e.result = result_;
            e.note = note_;
            for (const auto& p : photos_) e.photos.emplace_back(p);
            entries.push_back(std::move(e));
        }
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        InspectionImportReport report;
        {
            TerminalProgress progress;
            report = add_inspections(store, entries, progress);
        }
        std::cout << "已记录检查 " << report.inspections.size() << " 次, 照片 " << report.photos.size() << " 张\n";
        TextTable t({"检查", "企业编号", "日期", "检查人", "结果", "备注"});
        for (const auto& i : report.inspections)
            t.add({std::to_string(i.id), std::to_string(i.enterprise_id), i.date, i.inspector,
                   inspection_result_label_zh(i.result), i.note});
        t.print(std::cout);
        if (!report.photos.empty()) {
            std::cout << "\n照片:\n";
            TextTable p({"照片", "检查", "文件", "拍摄时间", "经度", "纬度", "X", "Y", "距企业(米)"});
            for (const auto& ph : report.photos)
                p.add({std::to_string(ph.photo_id), std::to_string(ph.inspection_id), ph.file_name, ph.taken_at,
                       ph.lon ? fixed(*ph.lon, 6) : "(无GPS)", ph.lat ? fixed(*ph.lat, 6) : "",
                       ph.x ? fixed(*ph.x, 1) : "", ph.y ? fixed(*ph.y, 1) : "",
                       ph.distance_m ? fixed(*ph.distance_m, 0) : ""});
            p.print(std::cout);
        }
        return 0;
    }

private:
    std::string project_, date_, inspector_, result_, note_, from_;
    std::vector<std::string> photos_;
    long long enterprise_id_ = 0;
};

} // namespace

std::unique_ptr<Command> make_inspect_add_command() { return std::make_unique<InspectAddCommand>(); }

} // namespace qingling::cli
