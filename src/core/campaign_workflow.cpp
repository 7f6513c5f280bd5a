#include "core/campaign_workflow.hpp"

#include "core/campaign_dates.hpp"
#include "core/errors.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace qingling {

const LedgerRecord* CampaignData::enterprise(long long id) const {
    auto it = std::lower_bound(ledger.begin(), ledger.end(), id,
                               [](const LedgerRecord& r, long long v) { return r.id < v; });
    return it != ledger.end() && it->id == id ? &*it : nullptr;
}

CampaignData load_campaign(const ProjectStore& store, std::optional<long long> only_enterprise) {
    CampaignData d;
    d.calendar = store.settings().calendar;
    d.ledger = store.ledger(only_enterprise);
    std::sort(d.ledger.begin(), d.ledger.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    d.confirmations = store.confirmations(only_enterprise);
    for (auto& c : store.status_history(only_enterprise)) d.history[c.enterprise_id].push_back(std::move(c));
    for (auto& c : store.clearances(only_enterprise)) d.clearances[c.enterprise_id][c.item] = std::move(c);
    for (auto& a : store.acceptances(only_enterprise)) d.acceptances[a.enterprise_id].push_back(std::move(a));
    for (auto& p : store.relocation_progress(only_enterprise)) d.relocation[p.enterprise_id][p.step] = std::move(p);
    for (auto& i : store.inspections(only_enterprise)) d.inspections[i.enterprise_id].push_back(std::move(i));
    for (auto& o : store.deadline_overrides(only_enterprise)) d.deadline_overrides[o.enterprise_id][o.step] = o.date;
    if (!only_enterprise) d.readings = store.power_readings();
    d.relapse_thresholds = store.relapse_thresholds();
    return d;
}

bool EnterpriseProgress::remaining() const {
    return in_campaign && status != CampaignStatus::done && status != CampaignStatus::revisit &&
           status != CampaignStatus::struck_off;
}

namespace {

std::string calendar_date(const CampaignCalendar& c, DeadlineStep step) {
    switch (step) {
    case DeadlineStep::classify: return c.classify_end;
    case DeadlineStep::close: return c.close_end;
    case DeadlineStep::rectify: return c.rectify_end;
    case DeadlineStep::relocate_plan: return c.relocate_plan_end;
    case DeadlineStep::relocate_move: return "";  // the relocation plan says when
    }
    return "";
}

std::optional<Deadline> deadline_for(const CampaignData& data, long long id, DeadlineStep step) {
    if (auto e = data.deadline_overrides.find(id); e != data.deadline_overrides.end())
        if (auto s = e->second.find(step); s != e->second.end()) return Deadline{step, s->second, true};
    std::string date = calendar_date(data.calendar, step);
    if (step == DeadlineStep::relocate_move)
        if (auto r = data.relocation.find(id); r != data.relocation.end())
            if (auto p = r->second.find(RelocationStep::plan); p != r->second.end()) date = p->second.due_date;
    if (date.empty()) return std::nullopt;
    return Deadline{step, date, false};
}

// The status on a date: the latest recorded change by then; a 甄别确认 without a recorded
// classification counts as 已分类 from its day (the confirm command predates the workflow).
struct EffectiveStatus {
    bool in_campaign = true;
    CampaignStatus status = CampaignStatus::found;
    std::string date;
};

EffectiveStatus status_on(const CampaignData& data, long long id, const std::string& as_of) {
    EffectiveStatus s;
    if (auto h = data.history.find(id); h != data.history.end() && !h->second.empty()) {
        // Ledger enterprises were found in the survey; only those recorded as found later (a
        // report) join the campaign on that day.
        if (h->second.front().status == CampaignStatus::found && h->second.front().date > as_of) s.in_campaign = false;
        for (const auto& c : h->second)
            if (c.date <= as_of) {
                s.status = c.status;
                s.date = c.date;
            }
    }
    if (s.status == CampaignStatus::found || s.status == CampaignStatus::confirmed)
        if (auto c = data.confirmations.find(id); c != data.confirmations.end()) {
            const std::string day = date_part(c->second.at);
            if (day <= as_of && day >= s.date) {
                s.status = CampaignStatus::classified;
                s.date = day;
                s.in_campaign = true;
            }
        }
    return s;
}

std::string enterprise_label(const CampaignData& data, long long id) {
    const LedgerRecord* r = data.enterprise(id);
    return "#" + std::to_string(id) + (r ? " " + r->name : "");
}

std::string join_labels(const std::vector<CampaignStatus>& statuses) {
    std::string out;
    for (auto s : statuses) out += (out.empty() ? "" : "、") + std::string(campaign_status_label_zh(s));
    return out.empty() ? "(无)" : out;
}

} // namespace

std::optional<Deadline> completion_deadline(const CampaignData& data, long long id, std::optional<Category> category) {
    if (!category) return std::nullopt;
    switch (*category) {
    case Category::close: return deadline_for(data, id, DeadlineStep::close);
    case Category::rectify: return deadline_for(data, id, DeadlineStep::rectify);
    case Category::relocate: return deadline_for(data, id, DeadlineStep::relocate_move);
    }
    return std::nullopt;
}

std::optional<Category> category_of(const CampaignData& data, long long id) {
    if (auto c = data.confirmations.find(id); c != data.confirmations.end()) return c->second.category;
    return std::nullopt;
}

bool remaining_on(const CampaignData& data, long long id, const std::string& date) {
    const EffectiveStatus s = status_on(data, id, date);
    return s.in_campaign && s.status != CampaignStatus::done && s.status != CampaignStatus::revisit &&
           s.status != CampaignStatus::struck_off;
}

EnterpriseProgress progress_as_of(const CampaignData& data, long long id, const std::string& as_of, int due_soon_days) {
    EnterpriseProgress p;
    p.id = id;
    if (const LedgerRecord* r = data.enterprise(id)) {
        p.name = r->name;
        p.village = r->village;
        p.department = r->department;
        p.industry = r->industry;
        p.power_account = r->power_account;
    }
    const EffectiveStatus s = status_on(data, id, as_of);
    p.in_campaign = s.in_campaign;
    p.status = s.status;
    p.status_date = s.date;
    p.category = category_of(data, id);

    if (p.category == Category::close) {
        const auto c = data.clearances.find(id);
        for (ClearanceItem item : kAllClearanceItems) {
            bool done = false;
            if (c != data.clearances.end())
                if (auto it = c->second.find(item); it != c->second.end()) done = it->second.date <= as_of;
            if (!done) p.clearance_missing.push_back(item);
        }
    }
    if (auto a = data.acceptances.find(id); a != data.acceptances.end())
        for (const auto& acc : a->second)
            if (acc.passed && acc.date <= as_of && (!p.passed_acceptance || acc.date < p.passed_acceptance->date))
                p.passed_acceptance = acc;
    if (auto r = data.relocation.find(id); r != data.relocation.end()) {
        if (auto it = r->second.find(RelocationStep::plan); it != r->second.end()) p.relocation_planned = it->second.date <= as_of;
        if (auto it = r->second.find(RelocationStep::moved); it != r->second.end()) p.relocated = it->second.date <= as_of;
    }
    if (auto i = data.inspections.find(id); i != data.inspections.end())
        for (const auto& ins : i->second)
            if (ins.date <= as_of) p.last_inspection = ins;

    // The next calendar step to meet.
    if (p.in_campaign) {
        switch (p.status) {
        case CampaignStatus::found:
        case CampaignStatus::confirmed: p.deadline = deadline_for(data, id, DeadlineStep::classify); break;
        case CampaignStatus::classified:
        case CampaignStatus::in_progress:
            if (p.category == Category::close) p.deadline = deadline_for(data, id, DeadlineStep::close);
            else if (p.category == Category::rectify) p.deadline = deadline_for(data, id, DeadlineStep::rectify);
            else if (p.category == Category::relocate)
                p.deadline = deadline_for(data, id, p.relocation_planned ? DeadlineStep::relocate_move
                                                                         : DeadlineStep::relocate_plan);
            break;
        default: break;
        }
    }
    if (p.deadline) {
        p.days_left = days_between(as_of, p.deadline->date);
        p.overdue = p.days_left < 0;
        p.due_soon = !p.overdue && p.days_left <= due_soon_days;
    }
    return p;
}

std::vector<CampaignStatus> allowed_next_statuses(CampaignStatus from) {
    using S = CampaignStatus;
    switch (from) {
    case S::found: return {S::confirmed, S::struck_off};
    case S::confirmed: return {S::classified, S::struck_off};
    case S::classified: return {S::in_progress};
    case S::in_progress: return {S::done};
    case S::done: return {S::revisit};
    case S::revisit: return {S::struck_off, S::in_progress};
    case S::struck_off: return {};
    }
    return {};
}

void check_transition(const CampaignData& data, const AdvanceOptions& o) {
    const long long id = o.enterprise_id;
    if (!data.enterprise(id)) throw UsageError("the ledger has no enterprise with id " + std::to_string(id));
    require_iso_date(o.date, "the date");
    // The change must come after everything already recorded.
    const EffectiveStatus latest = status_on(data, id, "9999-12-31");
    const std::string who = enterprise_label(data, id);
    const std::string move = std::string(campaign_status_label_zh(latest.status)) + " → " +
                             campaign_status_label_zh(o.to);
    auto refuse = [&](const std::string& zh, const std::string& en) {
        throw TransitionError("企业 " + who + " 不能 " + move + ": " + zh + " (" + en + ")");
    };
    if (!latest.date.empty() && o.date < latest.date)
        refuse("日期 " + o.date + " 早于当前状态的日期 " + latest.date,
               "the date is before the date of the current status");
    const auto allowed = allowed_next_statuses(latest.status);
    if (std::find(allowed.begin(), allowed.end(), o.to) == allowed.end())
        refuse("按工作方案只能进入 " + join_labels(allowed),
               std::string("the plan allows only ") + (allowed.empty() ? "no further step" : "the listed next steps"));

    using S = CampaignStatus;
    const std::optional<Category> category = o.category ? o.category : category_of(data, id);
    const EnterpriseProgress p = progress_as_of(data, id, o.date);
    switch (o.to) {
    case S::struck_off:
        if (latest.status == S::found || latest.status == S::confirmed) {
            if (o.note.empty())
                refuse("甄别排除需在备注中说明理由 (--note)", "striking off an enterprise found not to be 散乱污 needs a note");
            break;
        }
        // After 回头看: the latest inspection since 整治完成 must be 正常.
        {
            std::string done_date;
            if (auto h = data.history.find(id); h != data.history.end())
                for (const auto& c : h->second)
                    if (c.status == S::done) done_date = c.date;
            if (!p.last_inspection || p.last_inspection->date < done_date)
                refuse("整治完成后尚无回头看检查记录", "no inspection since the enterprise was done");
            if (p.last_inspection->result != InspectionResult::normal)
                refuse(std::string("最近一次检查 (") + p.last_inspection->date + ") 结果为 " +
                           inspection_result_label_zh(p.last_inspection->result),
                       "the latest inspection is not 正常");
            if (category == Category::close && !p.clearance_missing.empty()) refuse("两断三清未完成", "两断三清 incomplete");
        }
        break;
    case S::classified:
        if (!category)
            refuse("尚未甄别确认分类, 请给出 --category 依法关闭/整改规范/限期搬迁",
                   "no category yet: give --category");
        break;
    case S::done: {
        if (!category) refuse("没有分类", "no category");
        if (*category == Category::close && !p.clearance_missing.empty()) {
            std::string missing;
            for (auto item : p.clearance_missing) missing += (missing.empty() ? "" : "、") + std::string(clearance_item_label_zh(item));
            refuse("两断三清未完成, 缺 " + missing + " (截至 " + o.date + ")",
                   std::to_string(p.clearance_missing.size()) + " of the five 两断三清 items missing");
        }
        if (*category == Category::rectify && !p.passed_acceptance)
            refuse("尚无通过的整改验收 (截至 " + o.date + ")", "no passed acceptance by the date");
        if (*category == Category::relocate && !(p.relocation_planned && p.relocated))
            refuse(p.relocation_planned ? "已有搬迁方案, 但尚未搬迁" : "尚无搬迁方案",
                   p.relocation_planned ? "the plan exists but the move is not recorded" : "no relocation plan yet");
        break;
    }
    case S::in_progress:
        if (latest.status == S::revisit && o.note.empty())
            refuse("回头看发现问题重新整治, 需在备注中说明 (--note)", "returning to 整治中 after 回头看 needs a note");
        break;
    default: break;
    }
}

AdvanceReport advance_status(ProjectStore& store, AdvanceOptions o) {
    if (o.date.empty()) o.date = today_iso_date();
    const CampaignData data = load_campaign(store, o.enterprise_id);
    if (o.category && o.to != CampaignStatus::classified)
        throw UsageError("a category is given only when classifying (已分类)");
    check_transition(data, o);
    AdvanceReport r;
    r.enterprise_id = o.enterprise_id;
    r.name = data.enterprise(o.enterprise_id)->name;
    r.from = status_on(data, o.enterprise_id, "9999-12-31").status;
    r.to = o.to;
    r.date = o.date;
    r.category = o.category ? o.category : category_of(data, o.enterprise_id);
    // A new or different category is a 甄别确认, made against the latest check's suggestion as
    // the confirm command does.
    const auto existing = category_of(data, o.enterprise_id);
    const bool confirm = o.category && existing != o.category;
    std::optional<Category> suggested;
    long long run_id = 0;
    if (confirm)
        if (const auto run = store.latest_check_run()) {
            run_id = run->id;
            for (const auto& v : store.verdicts(run->id))
                if (v.enterprise_id == o.enterprise_id) suggested = v.suggested;
        }
    WriteTransaction tx(store);
    if (confirm) {
        store.confirm(tx, o.enterprise_id, *o.category, o.note, run_id, suggested);
        r.confirmation_recorded = true;
    }
    StatusChange c;
    c.enterprise_id = o.enterprise_id;
    c.status = o.to;
    c.date = o.date;
    c.note = o.note;
    store.add_status_change(tx, c);
    tx.commit();
    return r;
}

std::vector<unsigned char> read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot read '" + path + "'");
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) throw InputError("'" + path + "' is empty");
    return bytes;
}

namespace {
void require_category(const CampaignData& data, long long id, Category wanted, const std::string& what) {
    if (!data.enterprise(id)) throw UsageError("the ledger has no enterprise with id " + std::to_string(id));
    const auto c = category_of(data, id);
    if (c != wanted)
        throw TransitionError("企业 " + enterprise_label(data, id) + " 不能记录" + what + ": 分类为 " +
                              (c ? category_label_zh(*c) : "未分类") + ", " + what + "只适用于" +
                              category_label_zh(wanted) + " (" + what + " applies to " + category_code(wanted) +
                              " enterprises only)");
}
} // namespace

ClearanceRecord record_clearance(ProjectStore& store, const ClearanceOptions& o) {
    const CampaignData data = load_campaign(store, o.enterprise_id);
    require_category(data, o.enterprise_id, Category::close, "两断三清");
    ClearanceRecord r;
    r.enterprise_id = o.enterprise_id;
    r.item = o.item;
    r.date = o.date.empty() ? today_iso_date() : o.date;
    r.evidence_note = o.evidence_note;
    if (!o.evidence_file.empty()) {
        r.evidence_data = read_whole_file(o.evidence_file);
        r.evidence_file = std::filesystem::path(o.evidence_file).filename().string();
    }
    WriteTransaction tx(store);
    store.set_clearance(tx, r);
    tx.commit();
    return r;
}

Acceptance record_acceptance(ProjectStore& store, Acceptance a) {
    const CampaignData data = load_campaign(store, a.enterprise_id);
    require_category(data, a.enterprise_id, Category::rectify, "整改验收");
    if (a.date.empty()) a.date = today_iso_date();
    WriteTransaction tx(store);
    a.id = store.add_acceptance(tx, a);
    tx.commit();
    return a;
}

RelocationProgress record_relocation(ProjectStore& store, RelocationProgress p) {
    const CampaignData data = load_campaign(store, p.enterprise_id);
    require_category(data, p.enterprise_id, Category::relocate, "搬迁进度");
    if (p.date.empty()) p.date = today_iso_date();
    if (p.step == RelocationStep::moved) {
        auto r = data.relocation.find(p.enterprise_id);
        if (r == data.relocation.end() || !r->second.count(RelocationStep::plan))
            throw TransitionError("企业 " + enterprise_label(data, p.enterprise_id) +
                                  " 尚无搬迁方案, 不能记录已搬迁 (record the relocation plan before the move)");
        if (p.date < r->second.at(RelocationStep::plan).date)
            throw TransitionError("企业 " + enterprise_label(data, p.enterprise_id) + " 的搬迁日期早于搬迁方案日期 (" +
                                  r->second.at(RelocationStep::plan).date + ") (the move predates the plan)");
    }
    WriteTransaction tx(store);
    store.set_relocation_progress(tx, p);
    tx.commit();
    return p;
}

} // namespace qingling
