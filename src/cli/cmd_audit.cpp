// qingling-cli audit PROJECT [--format csv|xlsx|json] [--out FILE]: the audit log for the discipline
// inspection office. Read-only: the log itself refuses every change (triggers in the file).
#include "cli/command.hpp"
#include "core/audit_export.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <fstream>
#include <iostream>

namespace qingling::cli {
namespace {

namespace fs = std::filesystem;

class AuditCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("audit", "审计日志: export every change (who, when, old and new value) for 纪检");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--format", format_, "csv, xlsx or json (default: from --out's extension, else csv)");
        app->add_option("--out", out_, "file to write; without it CSV or JSON goes to standard output");
        return app;
    }

    int run() override {
        std::string format = format_;
        if (format.empty()) format = out_.empty() ? "csv" : out_.extension().string().substr(out_.has_extension() ? 1 : 0);
        if (format != "csv" && format != "xlsx" && format != "json")
            throw UsageError("--format must be csv, xlsx or json, not '" + format + "'");
        if (format == "xlsx" && out_.empty()) throw UsageError("--format xlsx needs --out FILE.xlsx");
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const auto count = store.audit_log().size();
        if (format == "json") {
            const std::string text = audit_json(store);
            if (out_.empty()) {
                std::cout << text;
                return 0;
            }
            const fs::path temp = temp_beside(out_);
            {
                std::ofstream out(temp, std::ios::binary | std::ios::trunc);
                if (!(out << text)) throw Error("cannot write '" + out_.string() + "'");
            }
            rename_into_place(temp, out_);
        } else if (out_.empty()) {
            const ListTable t = audit_table(store);
            for (std::size_t i = 0; i < t.columns.size(); ++i) std::cout << (i ? "," : "") << csv_field(t.columns[i].header);
            std::cout << "\n";
            for (const auto& row : t.rows) {
                for (std::size_t i = 0; i < row.size(); ++i) std::cout << (i ? "," : "") << csv_field(row[i]);
                std::cout << "\n";
            }
            return 0;
        } else {
            fs::path out = out_;
            if (out.extension() != "." + format) throw UsageError("--out must end in ." + format + " for --format " + format);
            write_list_table(audit_table(store), out);
        }
        std::cout << "已导出审计日志 " << count << " 条到 " << out_.string() << "\n";
        return 0;
    }

private:
    fs::path project_, out_;
    std::string format_;
};

} // namespace

std::unique_ptr<Command> make_audit_command() { return std::make_unique<AuditCommand>(); }

} // namespace qingling::cli
