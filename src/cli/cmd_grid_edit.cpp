// qingling-cli grid fix|draw|split|merge|delete|draft|reassign|person remove: editing the grids
// headless, each edit one stored transaction with the re-assignment of the enterprises.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/grid_edit.hpp"
#include "core/grid_fix.hpp"

#include <cstdio>
#include <iostream>
#include <set>

namespace qingling::cli {
namespace {

std::string area_text(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// "名称 (图层#fid)" for the grids an edit touched; deleted ones by their key.
void print_edit(const ProjectStore& store, const GridEditReport& r, const GridEdit& edit) {
    GeosContext geos;
    const AreaSet grids(geos, store, "grid", kGridNameFields);
    std::cout << r.label << ": 已保存\n";
    TextTable t({"网格", "图层#编号", "变化", "面积(m²)"});
    for (const auto& c : edit.changes) {
        const std::string key = c.layer + "#" + std::to_string(c.fid);
        const auto i = grids.find(c.layer, c.fid);
        const char* what = !c.before ? "新建" : !c.after ? "删除" : "修改";
        t.add({i ? grids.ref(*i).label() : "", key, what, i ? area_text(grids.area(*i)) : ""});
    }
    t.print(std::cout);
    std::cout << "企业重新分配 " << r.assignments_changed << " 家, 不在任何网格内 " << r.unassigned << " 家\n";
}

// Every edit command: build the edit from the project, store it with the assignment, print it.
class GridEditCommand : public Command {
protected:
    virtual GridEdit build(GridEditBuilder& builder, const ProjectStore& store) = 0;
    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        GridEdit edit;
        {
            GridEditBuilder builder(store);
            edit = build(builder, store);
        }
        GridEditHistory history;
        const auto report = history.apply(store, edit);
        print_edit(store, report, edit_with_fids(store, edit, report));
        return 0;
    }
    // The report lists the stored keys in the edit's order; new grids got their fids then.
    static GridEdit edit_with_fids(const ProjectStore&, GridEdit edit, const GridEditReport& report) {
        for (std::size_t i = 0; i < edit.changes.size() && i < report.grids.size(); ++i) edit.changes[i].fid = report.grids[i].fid;
        return edit;
    }
    std::string project_;
};

class GridFixCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "fix", "一键修复: snap grids to village boundaries, repair invalid grids, keep the largest part, clip "
                   "grids to their village, remove overlaps, give gaps to the neighbour with the longest shared edge");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--kind", kinds_, "only these: snap, invalid, multipart, crosses_village, overlap, gap (repeatable)");
        app->add_option("--tolerance", options_.tolerance_m2, "area tolerance in m² (default 1, as grid validate)");
        app->add_option("--snap", options_.snap_tolerance_m, "snap tolerance in m (default 0.5)");
        app->add_option("--max-gap", options_.max_gap_m2, "largest gap in m² given to a neighbour (default 10000)");
        app->add_flag("--dry-run", options_.dry_run, "show what would change, store nothing");
        return app;
    }

    int run() override {
        for (const auto& k : kinds_) {
            const auto kind = grid_fix_kind(k);
            if (!kind) throw UsageError("--kind must be snap, invalid, multipart, crosses_village, overlap or gap, not '" + k + "'");
            options_.kinds.push_back(*kind);
        }
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        TerminalProgress progress;
        const auto r = fix_grids(store, options_, progress);
        std::cout << (r.dry_run ? "网格修复 (试运行, 未保存)" : "网格修复") << ": " << r.actions.size() << " 处修复";
        if (!r.dry_run) std::cout << ", 企业重新分配 " << r.assignments_changed << " 家";
        std::cout << "\n";
        if (!r.actions.empty()) {
            std::cout << "\n";
            TextTable t({"序号", "修复", "代码", "网格", "面积(m²)", "说明"});
            int n = 0;
            for (const auto& a : r.actions) {
                std::string grids;
                for (const auto& g : a.grids) grids += (grids.empty() ? "" : "、") + g.label();
                t.add({std::to_string(++n), grid_fix_label_zh(a.kind), grid_fix_code(a.kind), grids, area_text(a.area_m2), a.detail});
            }
            t.print(std::cout);
        }
        if (!r.not_fixed.empty()) {
            std::cout << "\n未能自动修复:\n";
            for (const auto& s : r.not_fixed) std::cout << "  " << s << "\n";
        }
        return 0;
    }

private:
    std::string project_;
    std::vector<std::string> kinds_;
    GridFixOptions options_;
};

class GridDrawCommand final : public GridEditCommand {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("draw", "绘制网格: add a grid from a WKT polygon, vertices snapped to "
                                                  "villages, the jurisdiction and other grids");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--wkt", wkt_, "POLYGON((x y, ...)) in the project CRS")->required();
        app->add_option("--name", name_, "the grid's name (WGMC)")->required();
        app->add_option("--snap", snap_, "snap tolerance in map units (default 0: no snapping)");
        app->add_option("--layer", layer_, "grid layer (default: the first)");
        return app;
    }

private:
    GridEdit build(GridEditBuilder& builder, const ProjectStore& store) override {
        Ring ring = points_from_wkt(wkt_);
        if (snap_ > 0) {
            const GridSnapper snapper(store);
            for (auto& p : ring) p = snapper.snap(p, snap_).point;
        }
        return builder.add_polygon(ring, name_, layer_);
    }
    std::string wkt_, name_, layer_;
    double snap_ = 0;
};

class GridSplitCommand final : public GridEditCommand {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("split", "分割网格: cut a grid in two (or more) with a line; the largest "
                                                   "piece keeps the grid, the others are new grids 名称-2 …");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("GRID", grid_, "the grid's name, or LAYER#FID")->required();
        app->add_option("--line", wkt_, "LINESTRING(x y, ...) in the project CRS, crossing the grid")->required();
        return app;
    }

private:
    GridEdit build(GridEditBuilder& builder, const ProjectStore& store) override {
        return builder.split_grid(find_grid(store, grid_), points_from_wkt(wkt_));
    }
    std::string grid_, wkt_;
};

class GridMergeCommand final : public GridEditCommand {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("merge", "合并网格: A takes B's area and people, B is deleted; refused "
                                                   "unless they share an edge");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("A", a_, "the grid that stays (name or LAYER#FID)")->required();
        app->add_option("B", b_, "the grid merged into A")->required();
        return app;
    }

private:
    GridEdit build(GridEditBuilder& builder, const ProjectStore& store) override {
        return builder.merge_grids(find_grid(store, a_), find_grid(store, b_));
    }
    std::string a_, b_;
};

class GridDeleteCommand final : public GridEditCommand {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("delete", "删除网格: delete a grid (its people are unassigned from it)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("GRID", grid_, "the grid's name, or LAYER#FID")->required();
        return app;
    }

private:
    GridEdit build(GridEditBuilder& builder, const ProjectStore& store) override {
        return builder.delete_grid(find_grid(store, grid_));
    }
    std::string grid_;
};

class GridDraftCommand final : public GridEditCommand {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "draft", "网格草案: N grids for a village, strips of equal width (or --balanced: about equal numbers of "
                     "enterprises) across its longer side, clipped to the village, named 村名1 … 村名N");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--village", village_, "the village's name")->required();
        app->add_option("--count", count_, "number of grids (1–100)")->required();
        app->add_flag("--balanced", balanced_, "balance the enterprise counts instead of the widths");
        return app;
    }

private:
    GridEdit build(GridEditBuilder& builder, const ProjectStore&) override {
        return builder.draft_for_village(village_, count_, balanced_);
    }
    std::string village_;
    int count_ = 0;
    bool balanced_ = false;
};

class GridReassignCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("reassign", "手动分配: put an enterprise in a grid (and give it a "
                                                      "responsible person) by hand; grid assign keeps it unless --force");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_, "the enterprise's number")->required();
        app->add_option("--grid", grid_, "the grid's name, or LAYER#FID")->required();
        app->add_option("--person", person_, "the responsible person's number (grid person list)");
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const GridKey key = find_grid(store, grid_);
        EnterpriseGridAssignment a;
        a.enterprise_id = enterprise_;
        a.grid_layer = key.layer;
        a.grid_fid = key.fid;
        a.assigned_by = "hand";
        if (person_ > 0) a.responsible_person_id = person_;
        WriteTransaction tx(store);
        store.set_enterprise_grid(tx, a);
        tx.commit();
        std::string name = std::to_string(enterprise_);
        for (const auto& r : store.ledger())
            if (r.id == enterprise_) name = r.name;
        std::cout << "企业 " << name << " 已手动分配到网格 " << grid_;
        if (person_ > 0)
            for (const auto& p : store.people())
                if (p.id == person_) std::cout << ", 责任人 " << p.name;
        std::cout << "\n";
        return 0;
    }

private:
    std::string project_, grid_;
    long long enterprise_ = 0, person_ = 0;
};

class GridPersonRemoveCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("remove", "撤下人员: take a person off a grid; enterprises they answered "
                                                    "for in it get the grid's 网格员 when it has exactly one");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("GRID", grid_, "the grid's name, or LAYER#FID")->required();
        app->add_option("PERSON_ID", person_, "the person's number")->required();
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const GridKey key = find_grid(store, grid_);
        WriteTransaction tx(store);
        store.remove_grid_person(tx, key.layer, key.fid, person_);
        SilentProgress quiet;
        const auto r = assign_enterprises_to_grids(store, tx, {}, quiet);
        tx.commit();
        std::cout << "网格 " << grid_ << ": 已撤下人员 " << person_ << ", 企业重新分配 " << r.assigned.size() << " 家\n";
        return 0;
    }

private:
    std::string project_, grid_;
    long long person_ = 0;
};

} // namespace

std::unique_ptr<Command> make_grid_fix_command() { return std::make_unique<GridFixCommand>(); }
std::unique_ptr<Command> make_grid_draw_command() { return std::make_unique<GridDrawCommand>(); }
std::unique_ptr<Command> make_grid_split_command() { return std::make_unique<GridSplitCommand>(); }
std::unique_ptr<Command> make_grid_merge_command() { return std::make_unique<GridMergeCommand>(); }
std::unique_ptr<Command> make_grid_delete_command() { return std::make_unique<GridDeleteCommand>(); }
std::unique_ptr<Command> make_grid_draft_command() { return std::make_unique<GridDraftCommand>(); }
std::unique_ptr<Command> make_grid_reassign_command() { return std::make_unique<GridReassignCommand>(); }
std::unique_ptr<Command> make_grid_person_remove_command() { return std::make_unique<GridPersonRemoveCommand>(); }

} // namespace qingling::cli
