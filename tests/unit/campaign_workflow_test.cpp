// Campaign monitoring (issue 8): schema 5 records, the workflow through every path, illegal
// transitions, deadlines (calendar and per enterprise) and overdue for given dates, the summary.
#include "core/campaign_dates.hpp"
#include "core/campaign_summary.hpp"
#include "core/campaign_workflow.hpp"
#include "core/errors.hpp"
#include "core/project_store.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace qingling;

namespace {

struct Fixture {
    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "c.qingling", ProjectSettings{});
    long long close_id = 0, rectify_id = 0, relocate_id = 0, clean_id = 0;

    Fixture() {
        WriteTransaction tx(store);
        auto add = [&](const char* name, const char* village, const char* department) {
            LedgerRecord r;
            r.name = name;
            r.village = village;
            r.department = department;
            return store.add_enterprise(tx, r);
        };
        close_id = add("东湖村红星砖瓦厂", "东湖村", "处国土所");
        rectify_id = add("东湖村利民家具厂", "东湖村", "处林业站");
        relocate_id = add("西山村宏达铸造厂", "西山村", "处环保办");
        clean_id = add("西山村老王小卖部", "西山村", "处城管队");
        tx.commit();
    }

    void advance(long long id, CampaignStatus to, const std::string& date, std::optional<Category> c = {},
                 const std::string& note = "") {
        AdvanceOptions o;
        o.enterprise_id = id;
        o.to = to;
        o.date = date;
        o.category = c;
        o.note = note;
        advance_status(store, o);
    }
    CampaignStatus status(long long id, const std::string& as_of = "2099-12-31") {
        return progress_as_of(load_campaign(store), id, as_of).status;
    }
    // The transition's error message, or "" when it was accepted.
    std::string refused(long long id, CampaignStatus to, const std::string& date, std::optional<Category> c = {},
                        const std::string& note = "") {
        try {
            advance(id, to, date, c, note);
        } catch (const TransitionError& e) {
            return e.what();
        }
        return "";
    }
    void classify(long long id, Category c) {
        advance(id, CampaignStatus::confirmed, "2024-09-10", {}, "联合甄别");
        advance(id, CampaignStatus::classified, "2024-09-20", c);
    }
    // The rectifying enterprise accepted (10-20) and done (10-21); the relocating one classified.
    void rectify_done_and_relocate_classified() {
        classify(rectify_id, Category::rectify);
        advance(rectify_id, CampaignStatus::in_progress, "2024-10-01");
        Acceptance a;
        a.enterprise_id = rectify_id;
        a.department = "处林业站";
        a.date = "2024-10-20";
        a.passed = true;
        record_acceptance(store, a);
        advance(rectify_id, CampaignStatus::done, "2024-10-21");
        classify(relocate_id, Category::relocate);
    }
};

} // namespace

TEST(CampaignDates, ParsesDatesAndMonths) {
    EXPECT_TRUE(is_iso_date("2024-02-29"));
    EXPECT_FALSE(is_iso_date("2023-02-29"));
    EXPECT_FALSE(is_iso_date("2024-13-01"));
    EXPECT_EQ(days_between("2024-11-30", "2024-12-31"), 31);
    EXPECT_EQ(add_days("2024-12-31", 1), "2025-01-01");
    EXPECT_EQ(parse_month("2024年10月").value_or(""), "2024-10");
    EXPECT_EQ(parse_month("202410").value_or(""), "2024-10");
    EXPECT_EQ(parse_month("2024/10/01").value_or(""), "2024-10");
    EXPECT_EQ(parse_month("2024-3").value_or(""), "2024-03");
    EXPECT_FALSE(parse_month("十月"));
    EXPECT_EQ(next_month("2024-12"), "2025-01");
}

TEST(CampaignWorkflow, FreshFileIsSchema5AndRecordsAreAudited) {
    Fixture f;
    EXPECT_EQ(f.store.schema_version(), 5);
    EXPECT_EQ(ProjectStore::latest_schema_version(), 5);
    f.classify(f.close_id, Category::close);
    const auto history = f.store.status_history();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].status, CampaignStatus::confirmed);
    EXPECT_EQ(history[1].status, CampaignStatus::classified);
    EXPECT_EQ(history[1].date, "2024-09-20");
    EXPECT_EQ(f.store.confirmations().at(f.close_id).category, Category::close);
    bool status_audited = false, confirm_audited = false;
    for (const auto& e : f.store.audit_log()) {
        if (e.action == "change status" && e.row_id == f.close_id && e.old_value == "甄别确认" &&
            e.new_value == "已分类 2024-09-20")
            status_audited = true;
        if (e.action == "confirm" && e.row_id == f.close_id && e.new_value == "依法关闭") confirm_audited = true;
    }
    EXPECT_TRUE(status_audited);
    EXPECT_TRUE(confirm_audited);
}

TEST(CampaignWorkflow, CloseNeedsAllFiveClearanceItemsThenRevisitThenStrikeOff) {
    Fixture f;
    f.classify(f.close_id, Category::close);
    f.advance(f.close_id, CampaignStatus::in_progress, "2024-10-01");
    const ClearanceItem four[] = {ClearanceItem::water, ClearanceItem::power, ClearanceItem::plant, ClearanceItem::equipment};
    for (auto item : four) {
        ClearanceOptions o;
        o.enterprise_id = f.close_id;
        o.item = item;
        o.date = "2024-11-10";
        o.evidence_note = "执法文书 2024-17";
        record_clearance(f.store, o);
    }
    const std::string msg = f.refused(f.close_id, CampaignStatus::done, "2024-11-20");
    EXPECT_NE(msg.find("清原料"), std::string::npos) << msg;
    EXPECT_NE(msg.find("两断三清"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("断电"), std::string::npos) << msg;  // only the missing item is named
    EXPECT_EQ(f.status(f.close_id), CampaignStatus::in_progress);

    ClearanceOptions last;
    last.enterprise_id = f.close_id;
    last.item = ClearanceItem::materials;
    last.date = "2024-11-25";
    const auto evidence = f.dir / "清原料.txt";
    { std::ofstream(evidence) << "原料已清运 3 车"; }
    last.evidence_file = evidence.string();
    record_clearance(f.store, last);
    EXPECT_EQ(f.store.clearance_evidence(f.close_id, ClearanceItem::materials).size(), std::string("原料已清运 3 车").size());
    // Items dated after the change do not count.
    EXPECT_NE(f.refused(f.close_id, CampaignStatus::done, "2024-11-24").find("清原料"), std::string::npos);
    EXPECT_EQ(f.refused(f.close_id, CampaignStatus::done, "2024-11-26"), "");

    // 销号 straight after 整治完成 is not in the plan; 回头看 first, with a 正常 inspection.
    EXPECT_NE(f.refused(f.close_id, CampaignStatus::struck_off, "2024-12-01").find("回头看"), std::string::npos);
    f.advance(f.close_id, CampaignStatus::revisit, "2024-12-01");
    EXPECT_NE(f.refused(f.close_id, CampaignStatus::struck_off, "2024-12-20").find("尚无回头看"), std::string::npos);
    {
        WriteTransaction tx(f.store);
        Inspection i;
        i.enterprise_id = f.close_id;
        i.date = "2024-12-15";
        i.inspector = "李督察";
        i.result = InspectionResult::suspected;
        f.store.add_inspection(tx, i);
        tx.commit();
    }
    EXPECT_NE(f.refused(f.close_id, CampaignStatus::struck_off, "2024-12-20").find("疑似复产"), std::string::npos);
    {
        WriteTransaction tx(f.store);
        Inspection i;
        i.enterprise_id = f.close_id;
        i.date = "2024-12-28";
        i.inspector = "李督察";
        i.result = InspectionResult::normal;
        f.store.add_inspection(tx, i);
        tx.commit();
    }
    EXPECT_EQ(f.refused(f.close_id, CampaignStatus::struck_off, "2024-12-30"), "");
    EXPECT_EQ(f.status(f.close_id), CampaignStatus::struck_off);
    EXPECT_EQ(f.status(f.close_id, "2024-11-30"), CampaignStatus::done);  // as of an earlier day
    EXPECT_NE(f.refused(f.close_id, CampaignStatus::in_progress, "2025-01-05").find("只能进入 (无)"), std::string::npos);
}

TEST(CampaignWorkflow, RectifyNeedsPassedAcceptance) {
    Fixture f;
    f.classify(f.rectify_id, Category::rectify);
    f.advance(f.rectify_id, CampaignStatus::in_progress, "2024-10-01");
    Acceptance failed;
    failed.enterprise_id = f.rectify_id;
    failed.department = "处环保办";
    failed.date = "2024-12-01";
    failed.passed = false;
    record_acceptance(f.store, failed);
    EXPECT_NE(f.refused(f.rectify_id, CampaignStatus::done, "2024-12-05").find("验收"), std::string::npos);
    Acceptance passed = failed;
    passed.date = "2024-12-20";
    passed.passed = true;
    record_acceptance(f.store, passed);
    EXPECT_EQ(f.refused(f.rectify_id, CampaignStatus::done, "2024-12-21"), "");
    // 两断三清 belongs to closures only.
    ClearanceOptions o;
    o.enterprise_id = f.rectify_id;
    o.item = ClearanceItem::power;
    o.date = "2024-12-01";
    EXPECT_THROW(record_clearance(f.store, o), TransitionError);
}

TEST(CampaignWorkflow, RelocateNeedsPlanThenMoveAndDeadlineFollowsThePlan) {
    Fixture f;
    f.classify(f.relocate_id, Category::relocate);
    f.advance(f.relocate_id, CampaignStatus::in_progress, "2024-10-01");
    RelocationProgress moved;
    moved.enterprise_id = f.relocate_id;
    moved.step = RelocationStep::moved;
    moved.date = "2025-03-01";
    EXPECT_THROW(record_relocation(f.store, moved), TransitionError);  // no plan yet
    auto data = load_campaign(f.store);
    auto p = progress_as_of(data, f.relocate_id, "2025-01-05");
    ASSERT_TRUE(p.deadline);
    EXPECT_EQ(p.deadline->step, DeadlineStep::relocate_plan);
    EXPECT_TRUE(p.overdue);
    EXPECT_EQ(p.days_left, -5);

    RelocationProgress plan;
    plan.enterprise_id = f.relocate_id;
    plan.step = RelocationStep::plan;
    plan.date = "2024-12-15";
    plan.due_date = "2025-06-30";
    record_relocation(f.store, plan);
    EXPECT_NE(f.refused(f.relocate_id, CampaignStatus::done, "2025-01-10").find("尚未搬迁"), std::string::npos);
    data = load_campaign(f.store);
    p = progress_as_of(data, f.relocate_id, "2025-06-20");
    ASSERT_TRUE(p.deadline);
    EXPECT_EQ(p.deadline->step, DeadlineStep::relocate_move);
    EXPECT_EQ(p.deadline->date, "2025-06-30");
    EXPECT_TRUE(p.due_soon);
    EXPECT_FALSE(p.overdue);
    record_relocation(f.store, moved);
    EXPECT_EQ(f.refused(f.relocate_id, CampaignStatus::done, "2025-03-02"), "");
}

TEST(CampaignWorkflow, IllegalTransitionsAreRefusedWithReasons) {
    Fixture f;
    // Skipping 甄别确认.
    std::string msg = f.refused(f.close_id, CampaignStatus::classified, "2024-09-01", Category::close);
    EXPECT_NE(msg.find("排查发现 → 已分类"), std::string::npos) << msg;
    EXPECT_NE(msg.find("甄别确认"), std::string::npos) << msg;
    // 销号 at 排查发现 (甄别排除) needs a reason.
    msg = f.refused(f.clean_id, CampaignStatus::struck_off, "2024-09-05");
    EXPECT_NE(msg.find("--note"), std::string::npos) << msg;
    EXPECT_EQ(f.refused(f.clean_id, CampaignStatus::struck_off, "2024-09-05", {}, "甄别后不属于散乱污"), "");
    // 已分类 without a category.
    f.advance(f.close_id, CampaignStatus::confirmed, "2024-09-10");
    msg = f.refused(f.close_id, CampaignStatus::classified, "2024-09-20");
    EXPECT_NE(msg.find("--category"), std::string::npos) << msg;
    // A date before the current status.
    msg = f.refused(f.close_id, CampaignStatus::classified, "2024-09-01", Category::close);
    EXPECT_NE(msg.find("早于"), std::string::npos) << msg;
    // Done straight from 已分类.
    f.advance(f.close_id, CampaignStatus::classified, "2024-09-20", Category::close);
    msg = f.refused(f.close_id, CampaignStatus::done, "2024-10-01");
    EXPECT_NE(msg.find("只能进入 整治中"), std::string::npos) << msg;
    // Nothing was written by the refused attempts.
    EXPECT_EQ(f.store.status_history().size(), 3u);
    EXPECT_THROW(f.advance(999, CampaignStatus::confirmed, "2024-09-10"), UsageError);
}

TEST(CampaignWorkflow, OverdueAndDueSoonForGivenDatesWithOverrides) {
    Fixture f;
    f.classify(f.close_id, Category::close);
    f.classify(f.rectify_id, Category::rectify);
    {
        WriteTransaction tx(f.store);
        DeadlineOverride d;
        d.enterprise_id = f.rectify_id;
        d.step = DeadlineStep::rectify;
        d.date = "2025-03-31";
        d.note = "县环保局批准延期";
        f.store.set_deadline_override(tx, d);
        tx.commit();
    }
    auto data = load_campaign(f.store);
    // Calendar: 依法关闭 by 2024-11-30.
    auto p = progress_as_of(data, f.close_id, "2024-11-20");
    ASSERT_TRUE(p.deadline);
    EXPECT_EQ(p.deadline->date, "2024-11-30");
    EXPECT_TRUE(p.due_soon);
    EXPECT_FALSE(p.overdue);
    p = progress_as_of(data, f.close_id, "2024-12-02");
    EXPECT_TRUE(p.overdue);
    EXPECT_EQ(p.days_left, -2);
    EXPECT_EQ(p.clearance_missing.size(), 5u);
    // The override moves the 整改 deadline past the calendar's.
    p = progress_as_of(data, f.rectify_id, "2025-01-10");
    ASSERT_TRUE(p.deadline);
    EXPECT_TRUE(p.deadline->overridden);
    EXPECT_FALSE(p.overdue);
    EXPECT_EQ(p.days_left, 80);
    // Unclassified enterprises are due at 精准分类 (2024-09-30).
    p = progress_as_of(data, f.clean_id, "2024-10-01");
    EXPECT_EQ(p.status, CampaignStatus::found);
    EXPECT_TRUE(p.overdue);
    // A campaign-wide calendar change applies to everyone without an override.
    ProjectSettings s = f.store.settings();
    s.calendar.close_end = "2024-12-15";
    {
        WriteTransaction tx(f.store);
        f.store.set_settings(tx, s);
        tx.commit();
    }
    data = load_campaign(f.store);
    EXPECT_FALSE(progress_as_of(data, f.close_id, "2024-12-02").overdue);
}

TEST(CampaignSummary, CountsByCategoryStatusVillageAndPathToZero) {
    Fixture f;
    f.classify(f.close_id, Category::close);
    f.rectify_done_and_relocate_classified();
    const auto data = load_campaign(f.store);

    CampaignSummaryOptions o;
    o.as_of = "2024-12-05";
    const auto s = summarise_campaign(data, o);
    EXPECT_EQ(s.total, 4);
    EXPECT_EQ(s.remaining, 3);
    EXPECT_EQ(s.done, 1);
    EXPECT_EQ(s.by_category.at("依法关闭").by_status.at(CampaignStatus::classified), 1);
    EXPECT_EQ(s.by_category.at("整改规范").by_status.at(CampaignStatus::done), 1);
    EXPECT_EQ(s.by_category.at("未分类").by_status.at(CampaignStatus::found), 1);
    EXPECT_EQ(s.by_village.at("东湖村").total, 2);
    EXPECT_EQ(s.by_village.at("东湖村").remaining, 1);
    EXPECT_EQ(s.by_department.at("处国土所").overdue, 1);
    // Overdue on 2024-12-05: the closure (11-30, 5 days) and the unclassified one (09-30, 66 days);
    // the relocation plan is due 12-31, so it is not overdue yet.
    ASSERT_EQ(s.overdue_list.size(), 2u);
    EXPECT_EQ(s.overdue_list[0].id, f.clean_id);
    EXPECT_EQ(s.overdue_list[0].days_left, -66);
    EXPECT_EQ(s.overdue_list[1].id, f.close_id);
    // Path to zero: on 2024-10-17 all four remained; by 2024-12-05 one is done. The deadlines
    // allowed the closure to remain until 11-30 only.
    ASSERT_FALSE(s.path_to_zero.empty());
    EXPECT_EQ(s.path_to_zero.back().week_end, "2024-12-05");
    EXPECT_EQ(s.path_to_zero.back().remaining, 3);
    EXPECT_EQ(s.path_to_zero.back().required_remaining, 2);  // the relocation (no move date) and the unclassified
    bool saw_four = false;
    for (const auto& w : s.path_to_zero)
        if (w.week_end == "2024-10-17") saw_four = w.remaining == 4;
    EXPECT_TRUE(saw_four);
    const auto json = nlohmann::json::parse(campaign_summary_to_json(s));
    EXPECT_EQ(json["overdue_list"][0]["id"], f.clean_id);
    EXPECT_EQ(json["by_category"]["整改规范"]["by_status"]["done"], 1);
}

// A single change reads only its enterprise's rows (county scale); what it sees must be what the
// whole campaign says about that enterprise, on every date. The weekly path to zero's shortcut must
// agree with the full progress too.
TEST(CampaignWorkflow, OneEnterprisesDataAgreesWithTheWholeCampaign) {
    Fixture f;
    f.classify(f.close_id, Category::close);
    f.advance(f.close_id, CampaignStatus::in_progress, "2024-10-01");
    ClearanceOptions power;
    power.enterprise_id = f.close_id;
    power.item = ClearanceItem::power;
    power.date = "2024-11-10";
    record_clearance(f.store, power);
    f.rectify_done_and_relocate_classified();
    const CampaignData all = load_campaign(f.store);
    int remaining_checked = 0;
    for (long long id : {f.close_id, f.rectify_id, f.relocate_id, f.clean_id}) {
        const CampaignData one = load_campaign(f.store, id);
        ASSERT_EQ(one.ledger.size(), 1u);
        EXPECT_EQ(one.ledger[0].id, id);
        for (const char* date : {"2024-09-01", "2024-09-15", "2024-10-05", "2024-10-25", "2024-11-15", "2024-12-31"}) {
            const EnterpriseProgress whole = progress_as_of(all, id, date), mine = progress_as_of(one, id, date);
            EXPECT_EQ(mine.status, whole.status) << id << " " << date;
            EXPECT_EQ(mine.category, whole.category) << id << " " << date;
            EXPECT_EQ(mine.clearance_missing, whole.clearance_missing) << id << " " << date;
            EXPECT_EQ(mine.overdue, whole.overdue) << id << " " << date;
            EXPECT_EQ(mine.name, whole.name);
            EXPECT_EQ(remaining_on(all, id, date), whole.remaining()) << id << " " << date;
            remaining_checked += whole.remaining() ? 1 : 0;
        }
    }
    EXPECT_GT(remaining_checked, 0);
    EXPECT_LT(remaining_checked, 24);  // the rectified one is done from 10-21
}

TEST(CampaignWorkflow, Version4FileMigratesTo5) {
    test::TempDir dir;
    const auto path = dir / "old.qingling";
    ProjectStore::create_at_schema_version(path, ProjectSettings{}, 4);
    {
        auto ro = ProjectStore::open(path, ProjectStore::Access::read_only);
        EXPECT_EQ(ro.schema_version(), 4);
        EXPECT_TRUE(ro.status_history().empty());
        EXPECT_TRUE(ro.photos().empty());
    }
    auto store = ProjectStore::open(path, ProjectStore::Access::read_write);
    EXPECT_EQ(store.schema_version(), 5);
    WriteTransaction tx(store);
    LedgerRecord r;
    r.name = "测试企业";
    r.x = 529248.241;
    r.y = 3387221.856;
    const long long id = store.add_enterprise(tx, r);
    Photo p;
    p.enterprise_id = id;
    p.file_name = "a.jpg";
    p.data = {1, 2, 3};
    p.x = 529250.0;
    p.y = 3387220.0;
    const long long photo = store.add_photo(tx, p);
    tx.commit();
    const auto photos = store.photos();
    ASSERT_EQ(photos.size(), 1u);
    EXPECT_EQ(photos[0].id, photo);
    EXPECT_NEAR(*photos[0].x, 529250.0, 1e-6);
    EXPECT_EQ(store.photo_data(photo).size(), 3u);
}

TEST(CampaignWorkflow, RevisitThatFindsProductionGoesBackToWorkWithANote) {
    Fixture f;
    f.classify(f.close_id, Category::close);
    f.advance(f.close_id, CampaignStatus::in_progress, "2024-10-01");
    for (auto item : kAllClearanceItems) {
        ClearanceOptions o;
        o.enterprise_id = f.close_id;
        o.item = item;
        o.date = "2024-11-10";
        record_clearance(f.store, o);
    }
    f.advance(f.close_id, CampaignStatus::done, "2024-11-11");
    f.advance(f.close_id, CampaignStatus::revisit, "2024-12-01");
    {
        WriteTransaction tx(f.store);
        Inspection i;
        i.enterprise_id = f.close_id;
        i.date = "2024-12-05";
        i.inspector = "周督察";
        i.result = InspectionResult::resumed;
        f.store.add_inspection(tx, i);
        tx.commit();
    }
    EXPECT_NE(f.refused(f.close_id, CampaignStatus::in_progress, "2024-12-06").find("--note"), std::string::npos);
    EXPECT_EQ(f.refused(f.close_id, CampaignStatus::in_progress, "2024-12-06", {}, "已复产, 重新断电"), "");
    const auto data = load_campaign(f.store);
    auto p = progress_as_of(data, f.close_id, "2024-12-10");
    EXPECT_EQ(p.status, CampaignStatus::in_progress);
    EXPECT_TRUE(p.overdue);  // 两断三清 was due 2024-11-30 and the enterprise is back at work
    EXPECT_EQ(progress_as_of(data, f.close_id, "2024-12-03").status, CampaignStatus::revisit);
    // The history keeps every step.
    int steps = 0;
    for (const auto& c : f.store.status_history()) steps += c.enterprise_id == f.close_id;
    EXPECT_EQ(steps, 6);
}
