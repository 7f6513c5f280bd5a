// qingling-cli grid validate|assign|person add|person list|staff|export: 网格管理 headless.
#include "cli/command.hpp"
#include "cli/terminal.hpp"
#include "core/errors.hpp"
#include "core/grid_assign.hpp"
#include "core/grid_export.hpp"
#include "core/grid_validate.hpp"

#include <cstdio>
#include <iostream>
#include <map>

namespace qingling::cli {
namespace {

std::string format_number(double v, const char* format = "%.1f") {
    char buf[48];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string grid_list(const std::vector<GridRef>& grids) {
    std::string out;
    for (const auto& g : grids) out += (out.empty() ? "" : "、") + g.label();
    return out;
}

class GridValidateCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "validate", "网格检查: gaps, overlaps, grids crossing villages, invalid/multi-part grids, enterprises "
                        "in no or several grids, grids missing 网格长/网格员/督察员 (exit 0 even with problems)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--format", format_, "table (default) or json");
        app->add_option("--tolerance", tolerance_, "area tolerance in m² for gaps, overlaps and crossings (default 1)");
        return app;
    }

    int run() override {
        if (format_ != "table" && format_ != "json") throw UsageError("--format must be table or json");
        if (!(tolerance_ >= 0)) throw UsageError("--tolerance must be a number of square metres >= 0");
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const GridValidation v = validate_grids(store, tolerance_);
        if (format_ == "json") {
            std::cout << grid_validation_to_json(v) << "\n";
            return 0;
        }
        const char* coverage = v.coverage == "jurisdiction" ? "辖区"
                               : v.coverage == "village"    ? "各村并集 (无辖区图层)"
                                                            : "无 (没有辖区或村图层, 不检查空隙)";
        std::cout << "网格检查: " << v.grid_count << " 个网格, " << v.enterprise_count << " 家企业, 覆盖范围 "
                  << coverage << ", 面积容差 " << format_number(v.tolerance_m2, "%g") << " m²\n\n";
        TextTable counts({"问题", "代码", "数量"});
        for (const auto& [kind, n] : v.counts())
            counts.add({grid_problem_label_zh(kind), grid_problem_code(kind), std::to_string(n)});
        counts.print(std::cout);
        std::cout << "\n共 " << v.problems.size() << " 个问题\n";
        if (v.problems.empty()) return 0;
        std::cout << "\n";
        TextTable list({"序号", "问题", "网格", "企业", "面积(m²)", "X", "Y", "说明"});
        int n = 0;
        for (const auto& p : v.problems) {
            const bool has_area = p.kind != GridProblemKind::enterprise_unassigned &&
                                  p.kind != GridProblemKind::enterprise_in_several && p.kind != GridProblemKind::no_people;
            list.add({std::to_string(++n), grid_problem_label_zh(p.kind), grid_list(p.grids),
                      p.enterprise_id ? p.enterprise_name + " (" + std::to_string(p.enterprise_id) + ")" : "",
                      has_area ? format_number(p.area_m2) : "", p.located ? format_number(p.x) : "",
                      p.located ? format_number(p.y) : "", p.detail});
        }
        list.print(std::cout);
        return 0;
    }

private:
    std::string project_, format_ = "table";
    double tolerance_ = 1.0;
};

class GridAssignCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "assign", "企业入网格: assign every located enterprise to the grid containing it and to the grid's "
                      "网格员 when it has exactly one; keeps hand assignments unless --force");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_flag("--force", options_.force, "also reassign enterprises assigned by hand");
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        TerminalProgress progress;
        const auto r = assign_enterprises_to_grids(store, options_, progress);
        std::cout << "企业 " << r.enterprises << " 家: 新分配或变更 " << r.assigned.size() << ", 未变 " << r.unchanged
                  << ", 保留手动分配 " << r.kept_by_hand.size() << ", 未能分配 " << r.unassigned.size()
                  << ", 待指定责任人 " << r.without_person.size() << "\n";
        auto print = [](const char* title, const std::vector<GridAssignEntry>& entries) {
            if (entries.empty()) return;
            std::cout << "\n" << title << ":\n";
            TextTable t({"编号", "企业名称", "网格", "责任人", "说明"});
            for (const auto& e : entries)
                t.add({std::to_string(e.enterprise_id), e.enterprise_name, e.grid ? e.grid->label() : "",
                       e.person_name, e.note});
            t.print(std::cout);
        };
        print("新分配或变更", r.assigned);
        print("保留手动分配", r.kept_by_hand);
        print("未能分配", r.unassigned);
        print("待指定责任人", r.without_person);
        return 0;
    }

private:
    std::string project_;
    GridAssignOptions options_;
};

class GridPersonAddCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("add", "添加人员: add a 网格长, 网格员 or 督察员");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("--name", person_.name, "name")->required();
        app->add_option("--role", person_.role, "网格长, 网格员 or 督察员")->required();
        app->add_option("--phone", person_.phone, "phone number");
        app->add_option("--village", person_.village, "village/community");
        app->add_option("--department", person_.department, "department (e.g. for a 督察员)");
        return app;
    }

    int run() override {
        if (!is_grid_person_role(person_.role))
            throw UsageError("--role must be 网格长, 网格员 or 督察员, not '" + person_.role + "'");
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        WriteTransaction tx(store);
        const long long id = store.add_person(tx, person_);
        tx.commit();
        std::cout << "已添加" << person_.role << " " << person_.name << ", 编号 " << id << "\n";
        return 0;
    }

private:
    std::string project_;
    Person person_;
};

class GridPersonListCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("list", "人员清单: the people and the grids they staff");
        app->add_option("PROJECT", project_, "campaign file")->required();
        return app;
    }

    int run() override {
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        GeosContext geos;
        const AreaSet grids(geos, store, "grid", kGridNameFields);
        std::map<long long, std::vector<GridRef>> staffed;
        for (const auto& link : store.grid_people()) {
            auto i = grids.find(link.grid_layer, link.grid_fid);
            staffed[link.person_id].push_back(i ? grids.ref(*i) : GridRef{link.grid_layer, link.grid_fid, ""});
        }
        TextTable t({"编号", "姓名", "角色", "电话", "村(社区)", "部门", "网格"});
        const auto people = store.people();
        for (const auto& p : people)
            t.add({std::to_string(p.id), p.name, p.role, p.phone, p.village, p.department, grid_list(staffed[p.id])});
        t.print(std::cout);
        std::cout << "\n共 " << people.size() << " 人\n";
        return 0;
    }

private:
    std::string project_;
};

class GridStaffCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("staff", "配备人员: assign a person to a grid (by the grid's name)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("GRID_NAME", grid_name_, "the grid's name (its WGMC/名称 value), or LAYER#FID")->required();
        app->add_option("PERSON_ID", person_id_, "the person's number (grid person list)")->required();
        return app;
    }

    int run() override {
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        GridRef grid;
        {
            GeosContext geos;
            const AreaSet grids(geos, store, "grid", kGridNameFields);
            auto matches = grids.find_by_name(grid_name_);
            if (matches.empty())
                if (const auto hash = grid_name_.rfind('#'); hash != std::string::npos)
                    if (auto i = grids.find(grid_name_.substr(0, hash), std::atoll(grid_name_.c_str() + hash + 1)))
                        matches.push_back(*i);
            if (matches.empty()) throw UsageError("the project has no grid named '" + grid_name_ + "'");
            if (matches.size() > 1) {
                std::string which;
                for (std::size_t i : matches)
                    which += " " + grids.ref(i).layer + "#" + std::to_string(grids.ref(i).fid);
                throw UsageError("several grids are named '" + grid_name_ + "'; give one as LAYER#FID:" + which);
            }
            grid = grids.ref(matches.front());
        }
        WriteTransaction tx(store);
        store.add_grid_person(tx, grid.layer, grid.fid, person_id_);
        tx.commit();
        std::string who = std::to_string(person_id_);
        for (const auto& p : store.people())
            if (p.id == person_id_) who = p.role + " " + p.name;
        std::cout << "网格 " << grid.label() << ": 已配备" << who << "\n";
        return 0;
    }

private:
    std::string project_, grid_name_;
    long long person_id_ = 0;
};

class GridExportCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "export", "导出网格: grids with their people and enterprise counts (.gpkg with geometry, .xlsx attributes)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("OUT", out_, "output file (.gpkg or .xlsx)")->required();
        return app;
    }

    int run() override {
        const auto store = ProjectStore::open(project_, ProjectStore::Access::read_only);
        const long long n = export_grids(store, out_);
        std::cout << "已导出 " << n << " 个网格到 " << out_ << "\n";
        return 0;
    }

private:
    std::string project_, out_;
};

} // namespace

std::unique_ptr<Command> make_grid_validate_command() { return std::make_unique<GridValidateCommand>(); }
std::unique_ptr<Command> make_grid_assign_command() { return std::make_unique<GridAssignCommand>(); }
std::unique_ptr<Command> make_grid_person_add_command() { return std::make_unique<GridPersonAddCommand>(); }
std::unique_ptr<Command> make_grid_person_list_command() { return std::make_unique<GridPersonListCommand>(); }
std::unique_ptr<Command> make_grid_staff_command() { return std::make_unique<GridStaffCommand>(); }
std::unique_ptr<Command> make_grid_export_command() { return std::make_unique<GridExportCommand>(); }

} // namespace qingling::cli
