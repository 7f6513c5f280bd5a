// qingling-cli advance PROJECT ENTERPRISE_ID STATUS [--date D] [--note N] [--category C]
// qingling-cli clearance PROJECT ENTERPRISE_ID ITEM [--date D] [--evidence FILE] [--note N]
// qingling-cli accept PROJECT ENTERPRISE_ID --department D [--date D] [--failed] [--note N]
// qingling-cli relocation PROJECT ENTERPRISE_ID plan|moved [--date D] [--due D] [--note N]
// qingling-cli deadline PROJECT ENTERPRISE_ID STEP DATE|--clear [--note N]
// The campaign workflow: status changes checked against the plan, and the evidence each step needs.
#include "cli/command.hpp"
#include "core/campaign_dates.hpp"
#include "core/campaign_workflow.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"

#include <iostream>

namespace qingling::cli {
namespace {

std::string statuses_text() {
    std::string out;
    for (auto s : kAllCampaignStatuses) out += (out.empty() ? "" : ", ") + std::string(campaign_status_label_zh(s));
    return out;
}

void optional_date(const std::string& date, const char* option) {
    if (!date.empty()) require_iso_date(date, option);
}

class AdvanceCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "advance", "整治状态: move an enterprise to its next step (排查发现 → 甄别确认 → 已分类 → 整治中 → 整治完成 → "
                       "回头看 → 已销号); the plan's conditions are checked");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise")->required();
        app->add_option("STATUS", status_, "the new status: " + statuses_text())->required();
        app->add_option("--date", date_, "when it happened, YYYY-MM-DD (default: today)");
        app->add_option("--note", note_, "note (document number, who agreed, reason)");
        app->add_option("--category", category_, "for 已分类: 依法关闭, 整改规范 or 限期搬迁 (recorded as 甄别确认)");
        return app;
    }

    int run() override {
        const auto status = parse_campaign_status(status_);
        if (!status) throw UsageError("STATUS must be one of " + statuses_text() + ", not '" + status_ + "'");
        optional_date(date_, "--date");
        AdvanceOptions o;
        o.enterprise_id = enterprise_id_;
        o.to = *status;
        o.date = date_;
        o.note = note_;
        if (!category_.empty()) {
            o.category = parse_category(category_);
            if (!o.category)
                throw UsageError("--category must be 依法关闭, 整改规范 or 限期搬迁, not '" + category_ + "'");
        }
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const AdvanceReport r = advance_status(store, o);
        std::cout << "#" << r.enterprise_id << " " << r.name << ": " << campaign_status_label_zh(r.from) << " → "
                  << campaign_status_label_zh(r.to) << " (" << r.date << ")\n";
        if (r.category) std::cout << "  分类: " << category_label_zh(*r.category) << (r.confirmation_recorded ? " (已记录甄别确认)" : "") << "\n";
        if (!o.note.empty()) std::cout << "  备注: " << o.note << "\n";
        const auto next = allowed_next_statuses(r.to);
        std::string next_text;
        for (auto s : next) next_text += (next_text.empty() ? "" : ", ") + std::string(campaign_status_label_zh(s));
        std::cout << "  下一步: " << (next_text.empty() ? "(无, 已销号)" : next_text) << "\n";
        return 0;
    }

private:
    std::string project_, status_, date_, note_, category_;
    long long enterprise_id_ = 0;
};

class ClearanceCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "clearance", "两断三清: record one item (断水, 断电, 清厂房, 清设备, 清原料) of an enterprise to be closed, with evidence");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise")->required();
        app->add_option("ITEM", item_, "断水, 断电, 清厂房, 清设备 or 清原料")->required();
        app->add_option("--date", date_, "when it was done, YYYY-MM-DD (default: today)");
        app->add_option("--evidence", evidence_, "a file to keep as evidence in the campaign file (photo, scan, PDF)");
        app->add_option("--note", note_, "evidence note (执法文书编号, 供电所工单号 …)");
        return app;
    }

    int run() override {
        const auto item = parse_clearance_item(item_);
        if (!item) throw UsageError("ITEM must be 断水, 断电, 清厂房, 清设备 or 清原料, not '" + item_ + "'");
        optional_date(date_, "--date");
        ClearanceOptions o;
        o.enterprise_id = enterprise_id_;
        o.item = *item;
        o.date = date_;
        o.evidence_note = note_;
        o.evidence_file = evidence_;
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        const ClearanceRecord r = record_clearance(store, o);
        const auto data = load_campaign(store, enterprise_id_);
        const EnterpriseProgress p = progress_as_of(data, enterprise_id_, "9999-12-31");
        std::cout << "#" << enterprise_id_ << " " << p.name << ": " << clearance_item_label_zh(r.item) << " " << r.date;
        if (!r.evidence_file.empty()) std::cout << ", 证据 " << r.evidence_file << " (" << r.evidence_data.size() << " 字节)";
        std::cout << "\n  两断三清: 已完成 " << 5 - p.clearance_missing.size() << "/5";
        if (!p.clearance_missing.empty()) {
            std::cout << ", 缺";
            for (auto i : p.clearance_missing) std::cout << " " << clearance_item_label_zh(i);
        }
        std::cout << "\n";
        return 0;
    }

private:
    std::string project_, item_, date_, evidence_, note_;
    long long enterprise_id_ = 0;
};

class AcceptCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("accept", "整改验收: record a department's acceptance of a rectified enterprise");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise")->required();
        app->add_option("--department", department_, "the accepting department (处环保办, 处林业站 …)")->required();
        app->add_option("--date", date_, "YYYY-MM-DD (default: today)");
        app->add_flag("--failed", failed_, "the acceptance was not passed");
        app->add_option("--note", note_, "note");
        return app;
    }

    int run() override {
        optional_date(date_, "--date");
        Acceptance a;
        a.enterprise_id = enterprise_id_;
        a.department = department_;
        a.date = date_;
        a.passed = !failed_;
        a.note = note_;
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        a = record_acceptance(store, a);
        std::cout << "#" << enterprise_id_ << ": 整改验收 " << (a.passed ? "通过" : "未通过") << " (" << a.department << ", "
                  << a.date << ")\n";
        return 0;
    }

private:
    std::string project_, department_, date_, note_;
    long long enterprise_id_ = 0;
    bool failed_ = false;
};

class RelocationCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand("relocation", "限期搬迁: record the relocation plan (with its due date) or the move");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise")->required();
        app->add_option("STEP", step_, "plan (搬迁方案) or moved (已搬迁)")->required();
        app->add_option("--date", date_, "YYYY-MM-DD (default: today)");
        app->add_option("--due", due_, "plan: the date the move is due by");
        app->add_option("--note", note_, "note");
        return app;
    }

    int run() override {
        RelocationProgress p;
        if (step_ == "plan" || step_ == "搬迁方案") p.step = RelocationStep::plan;
        else if (step_ == "moved" || step_ == "已搬迁") p.step = RelocationStep::moved;
        else throw UsageError("STEP must be plan (搬迁方案) or moved (已搬迁), not '" + step_ + "'");
        optional_date(date_, "--date");
        optional_date(due_, "--due");
        if (!due_.empty() && p.step != RelocationStep::plan) throw UsageError("--due belongs to the plan");
        p.enterprise_id = enterprise_id_;
        p.date = date_;
        p.due_date = due_;
        p.note = note_;
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        p = record_relocation(store, p);
        std::cout << "#" << enterprise_id_ << ": " << relocation_step_label_zh(p.step) << " " << p.date;
        if (!p.due_date.empty()) std::cout << ", 限期 " << p.due_date << " 前搬迁";
        std::cout << "\n";
        return 0;
    }

private:
    std::string project_, step_, date_, due_, note_;
    long long enterprise_id_ = 0;
};

class DeadlineCommand final : public Command {
public:
    CLI::App* setup(CLI::App& parent) override {
        auto* app = parent.add_subcommand(
            "deadline", "单独时限: give one enterprise its own deadline for a step (精准分类, 两断三清, 整改验收, 搬迁方案, 完成搬迁)");
        app->add_option("PROJECT", project_, "campaign file")->required();
        app->add_option("ENTERPRISE_ID", enterprise_id_, "编号 of the enterprise")->required();
        app->add_option("STEP", step_, "精准分类, 两断三清, 整改验收, 搬迁方案 or 完成搬迁")->required();
        app->add_option("DATE", date_, "the enterprise's deadline, YYYY-MM-DD");
        app->add_flag("--clear", clear_, "remove the enterprise's own deadline (the calendar's applies again)");
        app->add_option("--note", note_, "why (批准延期的文件 …)");
        return app;
    }

    int run() override {
        const auto step = parse_deadline_step(step_);
        if (!step) throw UsageError("STEP must be 精准分类, 两断三清, 整改验收, 搬迁方案 or 完成搬迁, not '" + step_ + "'");
        if (clear_ == !date_.empty()) throw UsageError("give either DATE or --clear");
        auto store = ProjectStore::open(project_, ProjectStore::Access::read_write);
        WriteTransaction tx(store);
        if (clear_) {
            store.clear_deadline_override(tx, enterprise_id_, *step);
        } else {
            require_iso_date(date_, "DATE");
            DeadlineOverride d;
            d.enterprise_id = enterprise_id_;
            d.step = *step;
            d.date = date_;
            d.note = note_;
            store.set_deadline_override(tx, d);
        }
        tx.commit();
        std::cout << "#" << enterprise_id_ << ": " << deadline_step_label_zh(*step)
                  << (clear_ ? " 恢复按时间节点" : " 截止 " + date_) << "\n";
        return 0;
    }

private:
    std::string project_, step_, date_, note_;
    long long enterprise_id_ = 0;
    bool clear_ = false;
};

} // namespace

std::unique_ptr<Command> make_advance_command() { return std::make_unique<AdvanceCommand>(); }
std::unique_ptr<Command> make_clearance_command() { return std::make_unique<ClearanceCommand>(); }
std::unique_ptr<Command> make_accept_command() { return std::make_unique<AcceptCommand>(); }
std::unique_ptr<Command> make_relocation_command() { return std::make_unique<RelocationCommand>(); }
std::unique_ptr<Command> make_deadline_command() { return std::make_unique<DeadlineCommand>(); }

} // namespace qingling::cli
