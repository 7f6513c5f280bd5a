// qingling-cli sites PROJECT [--enterprise ID] [--allocate] [--reserve] [--release ID] [--format table|csv|json]
// 搬迁选址 (issue 6): candidate park parcels for every 限期搬迁 enterprise, ranked with reasons; an
// allocation without double-booking; reservations stored in the campaign file; park capacity.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"
#include "core/relocation.hpp"
#include "core/rule_set.hpp"

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

namespace qingling::cli {
namespace {

std::string num(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

void print_report(std::ostream& out, const RelocationReport& report, bool allocate) {
    out << "限期搬迁企业 " << report.entries.size() << " 家";
    if (report.run_id) out << "（依据检查运行 #" << report.run_id << " 和甄别确认）";
    out << "\n";
    for (const auto& n : report.notes) out << "注意: " << n << "\n";
    for (const auto& e : report.entries) {
        out << "\n[" << e.enterprise_id << "] " << e.name << "  行业 " << e.industry << "（" << e.pollution_class
            << " 类），需用地 " << num("%.0f", e.need_m2) << " m²，" << e.basis << "\n";
        if (e.allocated)
            out << "  " << (e.reserved ? "已预留" : "分配") << ": " << e.allocated->label << " (" << e.allocated->site_id
                << ", " << e.allocated->park << ")\n";
        if (!e.reason.empty()) out << "  " << e.reason << "\n";
        if (e.candidates.empty()) continue;
        TextTable t({"名次", "地块", "园区", "类别", "可用面积 m²", "距离 m", "得分", "理由"});
        for (std::size_t i = 0; i < e.candidates.size(); ++i) {
            const auto& c = e.candidates[i];
            std::string reasons;
            for (const auto& r : c.reasons) reasons += (reasons.empty() ? "" : "；") + r;
            t.add({std::to_string(i + 1), c.label, c.park, std::to_string(c.site_class), num("%.0f", c.area_m2),
                   c.distance_m >= 0 ? num("%.0f", c.distance_m) : "-", num("%.1f", c.score), reasons});
        }
        t.print(out);
        if (e.candidate_count > static_cast<int>(e.candidates.size()))
            out << "  （共 " << e.candidate_count << " 块候选，列出前 " << e.candidates.size() << " 块）\n";
    }
    out << "\n园区用地 (工业用地 1001xx" << (allocate ? "，含本次分配" : "") << "):\n";
    TextTable parks({"园区", "地块数", "工业用地 m²", "已占用 m²", "已预留 m²", "本次分配 m²", "剩余 m²", "剩余地块"});
    for (const auto& p : report.parks)
        parks.add({p.park, std::to_string(p.parcels), num("%.0f", p.industrial_m2), num("%.0f", p.occupied_m2),
                   num("%.0f", p.reserved_m2), num("%.0f", p.allocated_m2), num("%.0f", p.remaining_m2),
                   std::to_string(p.free_parcels)});
    parks.print(out);
    if (allocate) {
        int placed = 0, without = 0;
        for (const auto& e : report.entries) (e.allocated ? placed : without)++;
        out << "\n分配: " << placed << " 家有用地, " << without << " 家无用地\n";
    }
}

class SitesCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "sites", "搬迁选址: candidate park parcels for every 限期搬迁 enterprise, ranked with reasons; --allocate assigns them all at once");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--enterprise", enterprise_, "only this enterprise (ledger id)");
        app->add_flag("--allocate", allocate_, "allocate sites to all relocating enterprises at once (no double booking)");
        app->add_flag("--reserve", reserve_, "store the allocation as reservations (implies --allocate)");
        app->add_option("--release", release_, "release the reserved site of this enterprise (ledger id)");
        app->add_option("--format", format_, "table (default), csv (one row per candidate, Chinese headers) or json")
            ->check(CLI::IsMember({"table", "csv", "json"}));
        app->add_option("--rules", rules_, "rule file (default: layers/rules.toml)");
        app->add_option("--need", need_, "area needed in m² when the ledger gives none (default 2000)");
        app->add_option("--min-radius", min_radius_, "least radius of the largest inscribed circle, m (default 15)");
        app->add_option("--candidates", max_candidates_, "candidates listed per enterprise (default 10, 0 = all)")
            ->check(CLI::NonNegativeNumber);
        return app;
    }

    int run() override {
        if (release_) {
            auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
            WriteTransaction tx(store);
            store.release_site(tx, *release_);
            tx.commit();
            std::cout << "已释放企业 " << *release_ << " 的预留用地\n";
            return 0;
        }
        if (reserve_) allocate_ = true;
        const RuleSet rules = load_rule_set(rules_.empty() ? default_rule_file() : std::filesystem::path(rules_));
        RelocationOptions o;
        o.enterprise_id = enterprise_;
        o.allocate = allocate_;
        if (need_) o.default_need_m2 = *need_;
        if (min_radius_) o.min_inscribed_radius_m = *min_radius_;
        o.max_candidates = max_candidates_;
        if (enterprise_ && allocate_)
            throw UsageError("--allocate assigns all relocating enterprises at once; leave out --enterprise");
        auto store = ProjectStore::open(project_, reserve_ ? ProjectStore::Access::read_write : ProjectStore::Access::read_only);
        RelocationReport report;
        {
            TerminalProgress progress;
            report = find_relocation_sites(store, rules, o, progress);
        }
        int stored = 0;
        if (reserve_) {
            WriteTransaction tx(store);
            for (auto& e : report.entries)
                if (e.allocated && !e.reserved) {
                    store.reserve_site(tx, e.allocated->site_layer, e.allocated->site_fid, e.enterprise_id,
                                       "sites --allocate 得分 " + num("%.1f", e.allocated->score));
                    e.reserved = true;
                    ++stored;
                }
            tx.commit();
        }
        if (format_ == "json") {
            std::cout << relocation_to_json(report);
            return 0;
        }
        if (format_ == "csv") {
            std::cout << relocation_to_csv(report);
            return 0;
        }
        print_report(std::cout, report, allocate_);
        if (reserve_) std::cout << "已保存预留 " << stored << " 处\n";
        return 0;
    }

private:
    std::string project_, format_ = "table", rules_;
    std::optional<long long> enterprise_, release_;
    std::optional<double> need_, min_radius_;
    bool allocate_ = false, reserve_ = false;
    int max_candidates_ = 10;
};

} // namespace

std::unique_ptr<Command> make_sites_command() { return std::make_unique<SitesCommand>(); }

} // namespace qingling::cli
