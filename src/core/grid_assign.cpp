#include "core/grid_assign.hpp"

#include "core/errors.hpp"
#include "core/project_backup.hpp"

#include <map>
#include <set>

namespace qingling {

GridAssignReport assign_enterprises_to_grids(ProjectStore& store, const GridAssignOptions& options, Progress& progress) {
    backup_before_bulk_change(store, "grid-assign");
    WriteTransaction tx(store);
    auto report = assign_enterprises_to_grids(store, tx, options, progress);
    tx.commit();
    return report;
}

GridAssignReport assign_enterprises_to_grids(ProjectStore& store, const WriteTransaction& tx,
                                             const GridAssignOptions& options, Progress& progress) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    std::map<long long, Person> people;
    for (auto& p : store.people()) people.emplace(p.id, p);
    // Who staffs each grid, and its 网格员.
    std::map<std::pair<std::string, long long>, std::set<long long>> staff, members;
    for (const auto& link : store.grid_people()) {
        staff[{link.grid_layer, link.grid_fid}].insert(link.person_id);
        if (auto it = people.find(link.person_id); it != people.end() && it->second.role == "网格员")
            members[{link.grid_layer, link.grid_fid}].insert(link.person_id);
    }
    const auto old = store.enterprise_grids();
    const auto ledger = store.ledger();

    GridAssignReport report;
    report.enterprises = ledger.size();
    auto person_name = [&](const std::optional<long long>& id) {
        if (!id) return std::string();
        auto it = people.find(*id);
        return it == people.end() ? std::string() : it->second.name;
    };
    auto entry = [&](const LedgerRecord& r, const EnterpriseGridAssignment* a, std::string note) {
        GridAssignEntry e;
        e.enterprise_id = r.id;
        e.enterprise_name = r.name;
        if (a) {
            if (auto i = grids.find(a->grid_layer, a->grid_fid)) e.grid = grids.ref(*i);
            else e.grid = GridRef{a->grid_layer, a->grid_fid, ""};
            e.person_id = a->responsible_person_id;
            e.person_name = person_name(a->responsible_person_id);
        }
        e.note = std::move(note);
        return e;
    };

    std::size_t done = 0;
    for (const auto& r : ledger) {
        if (progress.cancelled()) throw CancelledError();
        progress.report(ledger.empty() ? 1.0 : static_cast<double>(done++) / ledger.size(), "分配网格");
        const auto previous = old.find(r.id);
        const EnterpriseGridAssignment* before = previous == old.end() ? nullptr : &previous->second;
        if (before && before->assigned_by == "hand" && !options.force) {
            report.kept_by_hand.push_back(entry(r, before, "手动分配, 保留"));
            continue;
        }
        if (!r.x || !r.y) {
            if (before) store.clear_enterprise_grid(tx, r.id);
            report.unassigned.push_back(entry(r, nullptr, "无坐标"));
            continue;
        }
        GeosGeometryPtr point = geos_own(geos, GEOSGeom_createPointFromXY_r(geos.get(), *r.x, *r.y));
        const auto in = grids.intersecting(point.get());
        if (in.empty()) {
            if (before) store.clear_enterprise_grid(tx, r.id);
            report.unassigned.push_back(entry(r, nullptr, before ? "不在任何网格内 (原分配已撤销)" : "不在任何网格内"));
            continue;
        }
        const GridRef& grid = grids.ref(in.front());
        const std::pair<std::string, long long> key{grid.layer, grid.fid};
        EnterpriseGridAssignment a;
        a.enterprise_id = r.id;
        a.grid_layer = grid.layer;
        a.grid_fid = grid.fid;
        a.assigned_by = "location";
        // A person chosen earlier for this grid stays while they still work in it.
        const bool same_grid = before && before->grid_layer == grid.layer && before->grid_fid == grid.fid;
        if (same_grid && before->responsible_person_id && staff[key].count(*before->responsible_person_id))
            a.responsible_person_id = before->responsible_person_id;
        else if (members[key].size() == 1)
            a.responsible_person_id = *members[key].begin();
        const bool changed = !before || !same_grid || before->responsible_person_id != a.responsible_person_id ||
                             before->assigned_by != a.assigned_by;
        if (changed) {
            store.set_enterprise_grid(tx, a);
            report.assigned.push_back(entry(r, &a, before && before->assigned_by == "hand" ? "覆盖手动分配 (--force)" : ""));
        } else {
            ++report.unchanged;
        }
        if (!a.responsible_person_id)
            report.without_person.push_back(entry(
                r, &a, members[key].empty() ? "网格没有网格员" : "网格有 " + std::to_string(members[key].size()) + " 名网格员, 请指定"));
    }
    progress.report(1.0, "分配网格");
    return report;
}

} // namespace qingling
