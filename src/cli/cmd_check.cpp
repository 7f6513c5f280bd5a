// qingling-cli check PROJECT [--rules FILE] [--format table|csv|json|xlsx] [--out F] [--only X]
// qingling-cli confirm PROJECT ENTERPRISE_ID CATEGORY [--note TEXT]
// qingling-cli check-diff PROJECT [--from RUN] [--to RUN]
// The conformity check (散乱污 and the suggested 三个一批 category), 甄别确认, and what changed
// between two runs.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/check_report.hpp"
#include "core/check_run.hpp"
#include "core/conformity.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"
#include "core/rule_set.hpp"

#include <filesystem>
#include <future>
#include <memory>
#include <fstream>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <ostream>
#include <sstream>
#include <unistd.h>

namespace qingling::cli {
namespace {

constexpr Flag kFlags[] = {Flag::san, Flag::luan, Flag::wu};
constexpr Category kCategories[] = {Category::close, Category::rectify, Category::relocate};

std::string village_text(const std::string& v) { return v.empty() ? "(未填)" : v; }
std::string hash_prefix(const std::string& h) { return h.substr(0, 12); }

// Writes text to out through a temporary file, so a failure leaves no partial file.
void write_text_file(const std::filesystem::path& out, const std::string& text) {
    const std::filesystem::path temp = out.string() + ".partial-" + std::to_string(::getpid());
    std::error_code ec;
    {
        std::ofstream file(temp, std::ios::binary);
        file << text;
        file.flush();
        if (!file) {
            std::filesystem::remove(temp, ec);
            throw Error("cannot write " + out.string());
        }
    }
    std::filesystem::rename(temp, out, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw Error("cannot write " + out.string() + ": " + ec.message());
    }
}

// The filter of --only: a flag or a suggested category.
struct OnlyFilter {
    std::optional<Flag> flag;
    std::optional<Category> category;
    bool keeps(const Verdict& v) const {
        if (flag) return (*flag == Flag::san && v.san) || (*flag == Flag::luan && v.luan) || (*flag == Flag::wu && v.wu);
        if (category) return v.suggested == category;
        return true;
    }
};

void print_summary(std::ostream& out, const CheckSummary& s) {
    out << "企业 " << s.total.enterprises << " 家, 有问题 " << s.total.flagged << " 家, 无坐标 " << s.not_located
        << " 家 (空间规则未检查); 已甄别确认 " << s.confirmed << " 家, 需复核 " << s.review << " 家\n\n";
    out << "按问题类型:\n";
    TextTable flags({"类型", "企业数"});
    for (Flag f : kFlags) flags.add({flag_label_zh(f), std::to_string(s.total.by_flag.at(f))});
    flags.print(out);
    out << "\n按建议分类:\n";
    TextTable categories({"建议分类", "企业数", "已确认为此类"});
    for (Category c : kCategories)
        categories.add({category_label_zh(c), std::to_string(s.total.by_category.at(c)),
                        std::to_string(s.confirmed_by_category.at(c))});
    categories.add({"无建议", std::to_string(s.total.no_category), ""});
    categories.print(out);
    out << "\n按村(社区):\n";
    TextTable villages({"村(社区)", "企业数", "有问题", "散", "乱", "污", "依法关闭", "整改规范", "限期搬迁"});
    for (const auto& [village, n] : s.by_village) {
        std::vector<std::string> row = {village_text(village), std::to_string(n.enterprises), std::to_string(n.flagged)};
        for (Flag f : kFlags) row.push_back(std::to_string(n.by_flag.at(f)));
        for (Category c : kCategories) row.push_back(std::to_string(n.by_category.at(c)));
        villages.add(std::move(row));
    }
    villages.print(out);
}

void print_verdict_table(std::ostream& out, const std::vector<Verdict>& verdicts,
                         const std::map<long long, Confirmation>& confirmations) {
    TextTable table({"编号", "企业名称", "村", "散", "乱", "污", "建议", "确认", "需复核", "主要问题"});
    for (const auto& v : verdicts) {
        auto c = confirmations.find(v.enterprise_id);
        const bool confirmed = c != confirmations.end();
        std::string problem;
        for (const auto& f : v.findings)
            if (!f.explanation.empty()) {
                problem = f.explanation;
                break;
            }
        table.add({std::to_string(v.enterprise_id), v.name, v.village, v.san ? "散" : "", v.luan ? "乱" : "",
                   v.wu ? "污" : "", v.suggested ? category_label_zh(*v.suggested) : "",
                   confirmed ? category_label_zh(c->second.category) : "",
                   confirmed && needs_review(v, c->second) ? "是" : "", problem});
    }
    table.print(out);
}

class CheckCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "check", "合规检查: decide 散/乱/污 for every enterprise and suggest 依法关闭/整改规范/限期搬迁; the run is kept");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--rules", rules_, "rule file (default: layers/rules.toml)");
        app->add_option("--format", format_, "table (default), csv, json or xlsx")
            ->check(CLI::IsMember({"table", "csv", "json", "xlsx"}));
        app->add_option("--out", out_, "output file (needed for csv and xlsx; json and table go to stdout without it)");
        app->add_option("--only", only_, "list only 散, 乱, 污, or one suggested category (依法关闭, 整改规范, 限期搬迁)");
        app->add_flag("--timings", timings_, "print the time of each phase to stderr");
        return app;
    }

    int run() override {
        OnlyFilter filter;
        if (!only_.empty()) {
            filter.flag = parse_flag(only_);
            if (!filter.flag) filter.category = parse_category(only_);
            if (!filter.flag && !filter.category)
                throw UsageError("--only must be 散, 乱, 污, 依法关闭, 整改规范 or 限期搬迁 (not '" + only_ + "')");
        }
        if ((format_ == "csv" || format_ == "xlsx") && out_.empty())
            throw UsageError("--format " + format_ + " needs --out FILE");

        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const RuleSet rules = load_rule_set(rules_.empty() ? default_rule_file() : std::filesystem::path(rules_));
        // Handed to kept_until_exit below; see there.
        auto result_owner = std::make_unique<CheckResult>();
        CheckResult& result = *result_owner;
        {
            TerminalProgress progress;
            ConformityOptions options;
            options.keep_geometry = true;  // left to the OS with the result, see kept_until_exit
            result = run_conformity_check(store, rules, progress, options);
        }
        const std::vector<Verdict>& all = result.verdicts;  // as stored; no need to read them back
        const auto confirmations = store.confirmations();     // a run does not change them
        std::vector<Verdict> filtered;
        if (!only_.empty())
            for (const auto& v : all)
                if (filter.keeps(v)) filtered.push_back(v);
        const std::vector<Verdict>& listed = only_.empty() ? all : filtered;

        // The report text is made on a second thread while this one stores the run; it is written
        // only once the run is stored. No time or user in it (they are stored with the run and
        // shown by check-diff), so the report of the same project and rules is the same every time.
        const bool json_to_stdout = format_ == "json" && out_.empty();
        auto report_body = std::async(std::launch::async, [&] {
            std::ostringstream report;
            if (json_to_stdout) return verdicts_to_json(listed, confirmations);
            report << "规则: " << rules.name << " (sha256 " << hash_prefix(result.rules_hash) << ", "
                   << result.rules_source << ")\n";
            if (!result.not_evaluated.empty()) {
                report << "未检查的规则 (不计为问题):\n";
                for (const auto& [rule, reason] : result.not_evaluated) report << "  " << rule << ": " << reason << "\n";
            }
            report << "\n";
            print_summary(report, summarise(all, confirmations));
            if (format_ == "table") {
                report << "\n企业清单";
                if (!only_.empty()) report << " (仅 " << only_ << ", " << listed.size() << " 家)";
                report << ":\n";
                print_verdict_table(report, listed, confirmations);
            }
            return report.str();
        });
        std::future<std::string> export_json;  // the JSON file, also made while storing
        if (format_ == "json" && !out_.empty())
            export_json = std::async(std::launch::async, [&] { return verdicts_to_json(listed, confirmations); });

        long long run_id = 0;
        try {
            run_id = store_check(store, result);
        } catch (...) {
            report_body.wait();
            if (export_json.valid()) export_json.wait();
            throw;
        }
        PhaseClock clock;  // the report's remaining time after the run is stored
        const std::string body = report_body.get();
        const std::string run_line = "检查运行 #" + std::to_string(run_id) + "\n";
        if (json_to_stdout) {
            std::cout << body;
        } else if (format_ == "table") {
            if (out_.empty()) {
                std::cout << run_line << body;
            } else {
                write_text_file(out_, run_line + body);
                std::cout << "检查运行 #" << run_id << ": 已写入 " << out_ << " (" << listed.size() << " 家企业)\n";
            }
        } else {
            if (format_ == "json") write_text_file(out_, export_json.get());
            else if (format_ == "csv") write_verdicts_csv(listed, confirmations, out_);
            else write_verdicts_xlsx(listed, confirmations, out_);
            std::cout << run_line << body << "\n已导出 " << listed.size() << " 家企业到 " << out_ << "\n";
        }
        clock.lap(result.timings, "输出报告 (与保存同时生成)");
        if (timings_) {
            std::fprintf(stderr, "    墙钟      CPU  阶段 (CPU: 该线程的 CPU 时间)\n");
            for (const auto& t : result.timings) std::fprintf(stderr, "%7.3f s %7.3f s  %s\n", t.wall, t.cpu, t.phase.c_str());
        }
        // Freeing the verdicts and the layers of a large check (tens of thousands of small strings,
        // hundreds of thousands of GEOS objects) takes longer than anything left to do: the process
        // ends right after this, so they are left to the operating system, reachable from a global
        // (LeakSanitizer does not count them as leaked).
        static auto* const kept_until_exit = new std::vector<std::unique_ptr<CheckResult>>;
        kept_until_exit->push_back(std::move(result_owner));
        return 0;
    }

private:
    std::string project_, rules_, format_ = "table", out_, only_;
    bool timings_ = false;
};

class ConfirmCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "confirm", "甄别确认: record a person's category for an enterprise against the latest check's suggestion");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise (see check or ledger list)")->required();
        app->add_option("CATEGORY", category_, "依法关闭, 整改规范, 限期搬迁 (or close, rectify, relocate)")->required();
        app->add_option("--note", note_, "note of the joint confirmation (who agreed, document number, …)");
        return app;
    }

    int run() override {
        const auto category = parse_category(category_);
        if (!category)
            throw UsageError("CATEGORY must be 依法关闭, 整改规范, 限期搬迁 (or close, rectify, relocate), not '" +
                             category_ + "'");
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const auto run = store.latest_check_run();
        std::optional<Verdict> verdict;
        if (run)
            for (auto& v : store.verdicts(run->id))
                if (v.enterprise_id == enterprise_id_) verdict = std::move(v);
        const auto before = store.confirmations();
        {
            WriteTransaction tx(store);
            store.confirm(tx, enterprise_id_, *category, note_, run ? run->id : 0,
                          verdict ? verdict->suggested : std::nullopt);
            tx.commit();
        }
        const Confirmation c = store.confirmations().at(enterprise_id_);
        std::string name;
        for (const auto& r : store.ledger())
            if (r.id == enterprise_id_) name = r.name;

        std::cout << "已记录甄别确认: #" << enterprise_id_ << " " << name << " → " << category_label_zh(c.category)
                  << "\n";
        std::cout << "  确认人: " << c.user << ", 时间: " << c.at << "\n";
        if (!c.note.empty()) std::cout << "  备注: " << c.note << "\n";
        if (!run) {
            std::cout << "  依据: 尚未运行合规检查 (无建议分类)\n";
        } else if (!verdict) {
            std::cout << "  依据: 检查运行 #" << run->id << " 中没有该企业 (无建议分类)\n";
        } else {
            std::cout << "  依据: 检查运行 #" << run->id << ", 建议分类 "
                      << (verdict->suggested ? category_label_zh(*verdict->suggested) : "无");
            if (!verdict->deciding_rule.empty()) std::cout << " (规则 " << verdict->deciding_rule << ")";
            std::cout << "\n";
            if (verdict->suggested != c.category) std::cout << "  注意: 确认分类与建议分类不同\n";
        }
        if (auto old = before.find(enterprise_id_); old != before.end())
            std::cout << "  取代原确认: " << category_label_zh(old->second.category) << " (" << old->second.user << ", "
                      << old->second.at << ")\n";
        return 0;
    }

private:
    std::string project_, category_, note_;
    long long enterprise_id_ = 0;
};

class CheckDiffCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("check-diff", "检查对比: what changed between two check runs (default: the two latest)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--from", from_, "earlier run id (default: the run before --to)")->check(CLI::PositiveNumber);
        app->add_option("--to", to_, "later run id (default: the latest run)")->check(CLI::PositiveNumber);
        return app;
    }

    int run() override {
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const auto runs = store.check_runs();
        auto find = [&](long long id) -> const CheckRunInfo& {
            for (const auto& r : runs)
                if (r.id == id) return r;
            throw UsageError("the project has no check run " + std::to_string(id));
        };
        if (to_ == 0) {
            if (runs.empty()) throw UsageError("the project has no check runs yet; run 'qingling-cli check' first");
            to_ = runs.back().id;
        }
        const CheckRunInfo& to = find(to_);
        if (from_ == 0) {
            for (const auto& r : runs)
                if (r.id < to.id) from_ = r.id;
            if (from_ == 0) throw UsageError("no check run before run " + std::to_string(to.id) + " to compare with");
        }
        const CheckRunInfo& from = find(from_);

        const auto comparison = compare_runs(store.verdicts(from.id), store.verdicts(to.id));
        std::cout << "检查运行 #" << from.id << " (" << from.at << ") → #" << to.id << " (" << to.at << ")\n";
        if (from.rules_hash != to.rules_hash)
            std::cout << "规则已变更: sha256 " << hash_prefix(from.rules_hash) << " → " << hash_prefix(to.rules_hash)
                      << "\n";
        for (const auto& [rule, reason] : to.not_evaluated) {
            bool before = false;
            for (const auto& [r, _] : from.not_evaluated) before = before || r == rule;
            if (!before) std::cout << "新近未检查的规则: " << rule << ": " << reason << "\n";
        }
        for (const auto& [rule, reason] : from.not_evaluated) {
            bool now = false;
            for (const auto& [r, _] : to.not_evaluated) now = now || r == rule;
            if (!now) std::cout << "上次未检查, 本次已检查或已删除的规则: " << rule << "\n";
        }
        std::cout << "变化 " << comparison.changed.size() << " 家, 未变 " << comparison.unchanged << " 家\n";
        if (comparison.changed.empty()) return 0;
        std::cout << "\n";
        TextTable table({"编号", "企业名称", "村", "之前", "之后", "新增规则", "消除规则"});
        auto state = [](const std::optional<VerdictState>& s) {
            return s ? describe_verdict_state(*s) : std::string("(不在该次检查)");
        };
        auto join = [](const std::vector<std::string>& items) {
            std::string out;
            for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
            return out;
        };
        for (const auto& c : comparison.changed)
            table.add({std::to_string(c.enterprise_id), c.name, c.village, state(c.before), state(c.after),
                       join(c.rules_added), join(c.rules_removed)});
        table.print(std::cout);
        return 0;
    }

private:
    std::string project_;
    long long from_ = 0, to_ = 0;  // 0: default
};

} // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }
std::unique_ptr<Command> make_confirm_command() { return std::make_unique<ConfirmCommand>(); }
std::unique_ptr<Command> make_check_diff_command() { return std::make_unique<CheckDiffCommand>(); }

} // namespace qingling::cli
