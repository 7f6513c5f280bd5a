// qingling-bench-campaign PROJECT [--as-of DATE] [--runs N]
// County-scale campaign monitoring (issue 8): records a synthetic campaign in progress for every
// enterprise of PROJECT's ledger the first time (seeded; statuses, 两断三清, 验收, 搬迁 and
// inspections written straight through the project store in one transaction, not timed), then
// times what the office does every day: loading the campaign, the summary with its weekly path to
// zero (the dashboard recomputes it whenever the timeline slider moves), and one status change.
#include "core/campaign_summary.hpp"
#include "core/campaign_workflow.hpp"
#include "core/project_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace qingling;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string day(int d) {  // 2024-09-01 + d days, within Sep-Dec 2024
    static const int month_days[] = {30, 31, 30, 31};
    int m = 0;
    while (m < 3 && d >= month_days[m]) d -= month_days[m++];
    char buf[40];
    std::snprintf(buf, sizeof buf, "2024-%02d-%02d", 9 + m, std::min(d, month_days[m] - 1) + 1);
    return buf;
}

// Every enterprise somewhere on its way: the dates and evidence the workflow would have needed.
void record_campaign(ProjectStore& store) {
    std::mt19937 random(20241220);
    std::uniform_real_distribution<double> u(0, 1);
    const auto ledger = store.ledger();
    WriteTransaction tx(store);
    for (const auto& r : ledger) {
        const double reached = u(random);  // how far it got
        auto change = [&](CampaignStatus s, int d) {
            StatusChange c;
            c.enterprise_id = r.id;
            c.status = s;
            c.date = day(d);
            c.note = "bench";
            store.add_status_change(tx, c);
        };
        if (reached < 0.08) continue;  // 排查发现 only
        change(CampaignStatus::confirmed, 5 + static_cast<int>(u(random) * 20));
        if (reached < 0.18) continue;
        const double k = u(random);
        const Category category = k < 0.4 ? Category::close : k < 0.8 ? Category::rectify : Category::relocate;
        store.confirm(tx, r.id, category, "bench", 0, std::nullopt);
        change(CampaignStatus::classified, 28 + static_cast<int>(u(random) * 10));
        if (reached < 0.3) continue;
        change(CampaignStatus::in_progress, 40 + static_cast<int>(u(random) * 15));
        const int done_day = 60 + static_cast<int>(u(random) * 50);
        if (category == Category::close) {
            for (ClearanceItem item : kAllClearanceItems) {
                if (reached < 0.5 && item == ClearanceItem::materials) break;
                ClearanceRecord c;
                c.enterprise_id = r.id;
                c.item = item;
                c.date = day(done_day - 5);
                c.evidence_note = "bench";
                store.set_clearance(tx, c);
            }
        } else if (category == Category::rectify && reached >= 0.5) {
            Acceptance a;
            a.enterprise_id = r.id;
            a.department = "处国土所";
            a.date = day(done_day - 2);
            a.passed = true;
            store.add_acceptance(tx, a);
        } else if (category == Category::relocate) {
            RelocationProgress p;
            p.enterprise_id = r.id;
            p.step = RelocationStep::plan;
            p.date = day(done_day - 20);
            p.due_date = "2025-03-31";
            store.set_relocation_progress(tx, p);
            if (reached >= 0.5) {
                p.step = RelocationStep::moved;
                p.date = day(done_day - 1);
                store.set_relocation_progress(tx, p);
            }
        }
        if (reached < 0.5) continue;
        change(CampaignStatus::done, done_day);
        if (reached < 0.8) continue;
        change(CampaignStatus::revisit, done_day + 7);
        Inspection i;
        i.enterprise_id = r.id;
        i.date = day(done_day + 8);
        i.inspector = "督察";
        i.result = InspectionResult::normal;
        store.add_inspection(tx, i);
        if (reached < 0.9) continue;
        change(CampaignStatus::struck_off, done_day + 9);
    }
    tx.commit();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: qingling-bench-campaign PROJECT [--as-of DATE] [--runs N]\n");
        return 2;
    }
    std::string as_of = "2024-12-20";
    int runs = 3;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--as-of") as_of = argv[i + 1];
        if (std::string(argv[i]) == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    }
    try {
        auto store = ProjectStore::open(argv[1], ProjectStore::Access::read_write);
        if (store.status_history().empty()) {
            const auto t0 = std::chrono::steady_clock::now();
            record_campaign(store);
            std::printf("recorded a campaign for %lld enterprises in %.1f s (setup, not timed)\n", store.ledger_size(),
                        seconds_since(t0));
        }
        std::vector<double> load, summary, advance;
        CampaignSummary s;
        for (int run = 0; run < runs; ++run) {
            auto t0 = std::chrono::steady_clock::now();
            const CampaignData data = load_campaign(store);
            load.push_back(seconds_since(t0));
            t0 = std::chrono::steady_clock::now();
            CampaignSummaryOptions o;
            o.as_of = as_of;
            s = summarise_campaign(data, o);
            summary.push_back(seconds_since(t0));
            // One status change (整治中 → back is not allowed, so a note-only 甄别确认 of someone found).
            long long found = 0;
            for (const auto& p : s.enterprises)
                if (p.status == CampaignStatus::found) {
                    found = p.id;
                    break;
                }
            if (found != 0) {
                AdvanceOptions a;
                a.enterprise_id = found;
                a.to = CampaignStatus::confirmed;
                a.date = as_of;
                t0 = std::chrono::steady_clock::now();
                advance_status(store, a);
                advance.push_back(seconds_since(t0));
            }
        }
        auto median = [](std::vector<double> v) {
            if (v.empty()) return 0.0;
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::printf("enterprises %d, remaining %d, overdue %d, weeks on the path to zero %zu\n", s.total, s.remaining,
                    s.overdue, s.path_to_zero.size());
        std::printf("load_campaign      %.3f s (median of %d)\n", median(load), runs);
        std::printf("summarise_campaign %.3f s (as of %s, with the weekly path to zero)\n", median(summary),
                    as_of.c_str());
        std::printf("advance_status     %.3f s (one 甄别确认, checked and stored)\n", median(advance));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "qingling-bench-campaign: %s\n", e.what());
        return 1;
    }
    return 0;
}
