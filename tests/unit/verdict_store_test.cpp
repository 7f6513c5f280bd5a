// Check runs, verdicts and confirmations in the campaign file; the JSON contract, CSV/XLSX lists,
// summary and run comparison of check_report; migration of a schema-1 file.
#include "core/check_report.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/project_store.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <spatialite.h>  // after sqlite3.h, which it needs

#include <fstream>
#include <set>
#include <sstream>

using namespace qingling;

namespace {

// Three enterprises in two villages; returns their ids.
std::vector<long long> add_enterprises(ProjectStore& store) {
    std::vector<long long> ids;
    WriteTransaction tx(store);
    const struct {
        const char *name, *credit_code, *village, *industry;
    } rows[] = {{"东湖村红星砖瓦厂", "91110000802100433B", "东湖村", "砖瓦"},
                {"东湖村利民家具厂", "", "东湖村", "家具制造"},
                {"西岭社区老王小酒坊", "", "西岭社区", "酿酒"}};
    for (const auto& r : rows) {
        LedgerRecord rec;
        rec.name = r.name;
        rec.credit_code = r.credit_code;
        rec.village = r.village;
        rec.industry = r.industry;
        ids.push_back(store.add_enterprise(tx, rec));
    }
    tx.commit();
    return ids;
}

Finding finding(const std::string& rule, Flag flag, const std::string& layer, long long fid, std::optional<double> measure,
                const std::string& unit, const std::string& explanation) {
    Finding f;
    f.rule = rule;
    f.flag = flag;
    f.hard = rule == "farmland";
    f.layer = layer;
    f.feature_id = fid;
    f.code = layer.empty() ? "permit_land" : "0103";
    f.code_name = layer.empty() ? "用地审批" : "旱地";
    f.measure = measure;
    f.unit = unit;
    f.explanation = explanation;
    return f;
}

// The first run: 砖瓦厂 in farmland (close), 家具厂 without permits (rectify), 小酒坊 clean.
CheckResult first_run(const std::vector<long long>& ids) {
    CheckResult r;
    r.rules_source = "/x/rules.toml";
    r.rules_hash = "aa11bb22cc33dd44ee55ff6600778899aa11bb22cc33dd44ee55ff6600778899";
    r.not_evaluated = {{"water_source", "项目中没有 water_protection 图层"}};
    Verdict a;
    a.enterprise_id = ids[0];
    a.located = true;
    a.san = true;
    a.luan = true;
    a.suggested = Category::close;
    a.deciding_rule = "farmland";
    a.findings = {finding("farmland", Flag::san, "永久基本农田", 17, 0.8125, "share", "位于永久基本农田内 (占地 81%)"),
                  finding("permits", Flag::luan, "", 0, std::nullopt, "", "缺少用地审批")};
    a.findings[0].explanation_en = "Inside permanent basic farmland (81% of the footprint)";
    Verdict b;
    b.enterprise_id = ids[1];
    b.located = true;
    b.luan = true;
    b.suggested = Category::rectify;
    b.deciding_rule = "permits";
    b.findings = {finding("permits", Flag::luan, "", 0, std::nullopt, "", "缺少环评, \"排污\"许可")};
    Verdict c;
    c.enterprise_id = ids[2];
    c.located = false;
    r.verdicts = {a, b, c};
    return r;
}

// The second run: 家具厂 now also near a school (污 → relocate), 砖瓦厂 unchanged.
CheckResult second_run(const std::vector<long long>& ids) {
    CheckResult r = first_run(ids);
    r.not_evaluated.clear();
    Verdict& b = r.verdicts[1];
    b.wu = true;
    b.suggested = Category::relocate;
    b.deciding_rule = "school_distance";
    b.findings.push_back(finding("school_distance", Flag::wu, "环境敏感点", 3, 142.5, "m", "距离学校 142.5 米"));
    return r;
}

void expect_same_verdict(const Verdict& got, const Verdict& want) {
    SCOPED_TRACE("enterprise " + std::to_string(want.enterprise_id));
    EXPECT_EQ(got.enterprise_id, want.enterprise_id);
    EXPECT_EQ(got.located, want.located);
    EXPECT_EQ(got.san, want.san);
    EXPECT_EQ(got.luan, want.luan);
    EXPECT_EQ(got.wu, want.wu);
    EXPECT_EQ(got.suggested, want.suggested);
    EXPECT_EQ(got.deciding_rule, want.deciding_rule);
    ASSERT_EQ(got.findings.size(), want.findings.size());
    for (std::size_t i = 0; i < want.findings.size(); ++i) {
        const auto &g = got.findings[i], &w = want.findings[i];
        EXPECT_EQ(g.rule, w.rule);
        EXPECT_EQ(g.flag, w.flag);
        EXPECT_EQ(g.hard, w.hard);
        EXPECT_EQ(g.layer, w.layer);
        EXPECT_EQ(g.feature_id, w.feature_id);
        EXPECT_EQ(g.code, w.code);
        EXPECT_EQ(g.code_name, w.code_name);
        EXPECT_EQ(g.measure, w.measure);  // exact: JSON keeps doubles
        EXPECT_EQ(g.unit, w.unit);
        EXPECT_EQ(g.explanation, w.explanation);
        EXPECT_EQ(g.explanation_en, w.explanation_en);
    }
}

long long count_audit(const ProjectStore& store, const std::string& action) {
    long long n = 0;
    for (const auto& e : store.audit_log()) n += e.action == action;
    return n;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST(VerdictStore, FreshFileIsAtVersion2) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    EXPECT_GE(ProjectStore::latest_schema_version(), 2);
    EXPECT_EQ(store.schema_version(), ProjectStore::latest_schema_version());
    EXPECT_TRUE(store.check_runs().empty());
    EXPECT_FALSE(store.latest_check_run());
    EXPECT_TRUE(store.confirmations().empty());
    EXPECT_THROW(store.verdicts(1), UsageError);
}

TEST(VerdictStore, Version1FileIsMigratedOnOpen) {
    test::TempDir dir;
    const auto path = dir / "old.qingling";
    ProjectSettings settings;
    settings.name = "旧项目";
    settings.jurisdiction = "青岭街道";
    ProjectStore::create_at_schema_version(path, settings, 1);

    // What schema 1 wrote: no check tables. Add an enterprise the way version 1 stored it
    // (SpatiaLite loaded: the enterprise table has geometry triggers).
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    void* spatialite = spatialite_alloc_connection();
    spatialite_init_ex(db, spatialite, 0);
    auto scalar = [&](const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    };
    EXPECT_EQ(scalar("PRAGMA user_version"), "1");
    EXPECT_EQ(scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('check_run','verdict','confirmation')"), "0");
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO enterprise(name, village, created_at, updated_at) "
                           "VALUES('旧台账企业', '东湖村', '2024-08-01T00:00:00Z', '2024-08-01T00:00:00Z')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
    spatialite_cleanup_ex(spatialite);

    {
        // A reader does not migrate, and sees no runs rather than an SQL error.
        const auto reader = ProjectStore::open(path, ProjectStore::Access::read_only);
        EXPECT_EQ(reader.schema_version(), 1);
        EXPECT_TRUE(reader.check_runs().empty());
        EXPECT_TRUE(reader.confirmations().empty());
    }

    auto store = ProjectStore::open(path, ProjectStore::Access::read_write);
    EXPECT_EQ(store.schema_version(), ProjectStore::latest_schema_version());
    EXPECT_EQ(store.settings().name, "旧项目");
    ASSERT_EQ(store.ledger_size(), 1);
    const long long id = store.ledger()[0].id;
    CheckResult r;
    r.rules_source = "rules.toml";
    r.rules_hash = "00";
    Verdict v;
    v.enterprise_id = id;
    v.san = true;
    v.suggested = Category::relocate;
    r.verdicts = {v};
    long long run = 0;
    {
        WriteTransaction tx(store);
        run = store.store_check_run(tx, r);
        store.confirm(tx, id, Category::relocate, "", run, Category::relocate);
        tx.commit();
    }
    const auto got = store.verdicts(run);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].name, "旧台账企业");
    EXPECT_EQ(got[0].village, "东湖村");
    EXPECT_EQ(store.confirmations().at(id).category, Category::relocate);
    // Opening again does nothing more.
    store = ProjectStore::open(path, ProjectStore::Access::read_write);
    EXPECT_EQ(store.schema_version(), ProjectStore::latest_schema_version());
    EXPECT_EQ(store.check_runs().size(), 1u);
}

TEST(VerdictStore, RunsAreKeptAndReadBackIdentical) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    const auto ids = add_enterprises(store);
    const CheckResult one = first_run(ids), two = second_run(ids);
    long long run1 = 0, run2 = 0;
    {
        WriteTransaction tx(store);
        run1 = store.store_check_run(tx, one);
        tx.commit();
    }
    {
        WriteTransaction tx(store);
        run2 = store.store_check_run(tx, two);
        tx.commit();
    }
    EXPECT_LT(run1, run2);

    const auto runs = store.check_runs();
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].id, run1);
    EXPECT_EQ(runs[0].rules_source, one.rules_source);
    EXPECT_EQ(runs[0].rules_hash, one.rules_hash);
    EXPECT_EQ(runs[0].enterprise_count, 3);
    EXPECT_EQ(runs[0].not_evaluated, one.not_evaluated);
    EXPECT_FALSE(runs[0].at.empty());
    EXPECT_FALSE(runs[0].user.empty());
    EXPECT_TRUE(runs[1].not_evaluated.empty());
    ASSERT_TRUE(store.latest_check_run());
    EXPECT_EQ(store.latest_check_run()->id, run2);

    const auto got1 = store.verdicts(run1), got2 = store.verdicts(run2);
    ASSERT_EQ(got1.size(), 3u);
    ASSERT_EQ(got2.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        expect_same_verdict(got1[i], one.verdicts[i]);
        expect_same_verdict(got2[i], two.verdicts[i]);
    }
    // Ledger fields come from the enterprise table.
    EXPECT_EQ(got1[0].name, "东湖村红星砖瓦厂");
    EXPECT_EQ(got1[0].credit_code, "91110000802100433B");
    EXPECT_EQ(got1[0].village, "东湖村");
    EXPECT_EQ(got1[0].industry, "砖瓦");
    EXPECT_EQ(got2[2].village, "西岭社区");
    EXPECT_THROW(store.verdicts(run2 + 1), UsageError);

    EXPECT_EQ(count_audit(store, "check run"), 2);
    EXPECT_EQ(store.audit_log().back().row_id, run2);

    // An uncommitted run leaves nothing.
    {
        WriteTransaction tx(store);
        store.store_check_run(tx, one);
    }
    EXPECT_EQ(store.check_runs().size(), 2u);
}

// The findings are written without nlohmann objects (compact, defaults left out): whatever the text
// holds, it reads back the same, and doubles keep every bit.
TEST(VerdictStore, FindingsWithAwkwardTextAndNumbersReadBackIdentical) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    const auto ids = add_enterprises(store);
    CheckResult r;
    r.rules_source = "rules.toml";
    r.rules_hash = "00";
    Verdict v;
    v.enterprise_id = ids[0];
    v.located = true;
    v.san = v.wu = true;
    v.suggested = Category::close;
    v.deciding_rule = "规则 \"甲\"";
    const std::string controls = std::string("引号\" 反斜杠\\ 换行\n 回车\r 制表\t 响铃\x07 NUL") + '\0' + "末\x1f";
    v.findings = {finding("farmland", Flag::san, "图层\\\"名\"", 1LL << 40, 0.1, "share", controls),
                  finding("sensitive_distance", Flag::wu, "MGD", -3, 1e-300, "m", "距 1/3 米"),
                  finding("share_max", Flag::san, "DLTB", 5, 2.0 / 3.0, "share", "占 67%"),
                  finding("big", Flag::wu, "DLTB", 6, 123456789.125, "m", ""),
                  finding("nothing", Flag::luan, "", 0, std::nullopt, "", "")};
    v.findings.back().code.clear();
    v.findings.back().code_name.clear();
    v.findings[0].explanation_en = controls + " English";
    Verdict other;
    other.enterprise_id = ids[1];
    r.verdicts = {v, other};
    long long run = 0;
    {
        WriteTransaction tx(store);
        run = store.store_check_run(tx, r);
        tx.commit();
    }
    const auto got = store.verdicts(run);
    ASSERT_EQ(got.size(), 2u);
    expect_same_verdict(got[0], v);
    expect_same_verdict(got[1], other);

    // Bytes that are not UTF-8 cannot go into JSON: each bad sequence is stored as one U+FFFD (a
    // lone 0xFF; a 3-byte sequence cut after 2 bytes; each byte of an encoded surrogate, which is
    // already wrong at its second byte), and the rest stays.
    Verdict broken = other;
    broken.findings = {finding("x", Flag::san, "L", 1, std::nullopt, "", "甲\xff乙\xe4\xb8丙\xed\xa0\x80丁")};
    r.verdicts = {broken};
    {
        WriteTransaction tx(store);
        run = store.store_check_run(tx, r);
        tx.commit();
    }
    const auto got_broken = store.verdicts(run);
    ASSERT_EQ(got_broken.size(), 1u);
    ASSERT_EQ(got_broken[0].findings.size(), 1u);
    EXPECT_EQ(got_broken[0].findings[0].explanation, "甲\uFFFD乙\uFFFD丙\uFFFD\uFFFD\uFFFD丁");
}

// Runs stored before findings had an English explanation: their JSON lacks the member and reads
// back with none, so the viewer shows their Chinese (no schema change was needed for it).
TEST(VerdictStore, FindingsStoredWithoutEnglishReadBackWithoutIt) {
    test::TempDir dir;
    const auto path = dir / "a.qingling";
    long long run = 0;
    {
        auto store = ProjectStore::create(path, {});
        const auto ids = add_enterprises(store);
        WriteTransaction tx(store);
        run = store.store_check_run(tx, first_run(ids));
        tx.commit();
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // What the writer stored before explanation_en existed, for the first enterprise's findings.
    const std::string before =
        R"j([{"rule":"farmland","flag":"san","hard":true,"layer":"永久基本农田","feature_id":17,"code":"0103",)j"
        R"j("code_name":"旱地","measure":0.8125,"unit":"share","explanation":"位于永久基本农田内 (占地 81%)"}])j";
    const std::string sql = "UPDATE verdict SET findings = '" + before + "' WHERE run_id = " + std::to_string(run) +
                            " AND enterprise_id = (SELECT min(enterprise_id) FROM verdict)";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);

    const auto store = ProjectStore::open(path, ProjectStore::Access::read_only);
    const auto got = store.verdicts(run);
    ASSERT_EQ(got.size(), 3u);
    ASSERT_EQ(got[0].findings.size(), 1u);
    EXPECT_EQ(got[0].findings[0].explanation, "位于永久基本农田内 (占地 81%)");
    EXPECT_EQ(got[0].findings[0].explanation_en, "");
    EXPECT_EQ(shown_explanation(got[0].findings[0]), "位于永久基本农田内 (占地 81%)");
    EXPECT_EQ(got[0].findings[0].measure, 0.8125);
}

TEST(VerdictStore, ConfirmationsSurviveNewRunsAndFlagReview) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    const auto ids = add_enterprises(store);
    long long run1 = 0;
    {
        WriteTransaction tx(store);
        run1 = store.store_check_run(tx, first_run(ids));
        store.confirm(tx, ids[0], Category::close, "联合甄别 2024-09-20", run1, Category::close);
        store.confirm(tx, ids[1], Category::rectify, "", run1, Category::rectify);
        tx.commit();
    }
    {
        const auto confirmations = store.confirmations();
        ASSERT_EQ(confirmations.size(), 2u);
        const Confirmation& c = confirmations.at(ids[0]);
        EXPECT_EQ(c.enterprise_id, ids[0]);
        EXPECT_EQ(c.category, Category::close);
        EXPECT_EQ(c.note, "联合甄别 2024-09-20");
        EXPECT_EQ(c.suggested_when_confirmed, Category::close);
        EXPECT_EQ(c.run_id, run1);
        EXPECT_FALSE(c.user.empty());
        EXPECT_FALSE(c.at.empty());
        for (const auto& v : store.verdicts(run1)) EXPECT_FALSE(needs_review(v, confirmations)) << v.enterprise_id;
    }

    // A new run changes 家具厂's suggestion: its confirmation stays, and it needs review.
    long long run2 = 0;
    {
        WriteTransaction tx(store);
        run2 = store.store_check_run(tx, second_run(ids));
        tx.commit();
    }
    auto confirmations = store.confirmations();
    ASSERT_EQ(confirmations.size(), 2u);
    EXPECT_EQ(confirmations.at(ids[1]).category, Category::rectify);
    EXPECT_EQ(confirmations.at(ids[1]).run_id, run1);
    const auto v2 = store.verdicts(run2);
    EXPECT_FALSE(needs_review(v2[0], confirmations));
    EXPECT_TRUE(needs_review(v2[1], confirmations));
    EXPECT_FALSE(needs_review(v2[2], confirmations));  // not confirmed
    const auto summary = summarise(v2, confirmations);
    EXPECT_EQ(summary.confirmed, 2);
    EXPECT_EQ(summary.review, 1);

    // Re-confirming against the new suggestion clears the review; the audit keeps old and new.
    const auto audit_before = store.audit_log().size();
    {
        WriteTransaction tx(store);
        store.confirm(tx, ids[1], Category::relocate, "入园搬迁", run2, Category::relocate);
        tx.commit();
    }
    confirmations = store.confirmations();
    EXPECT_FALSE(needs_review(v2[1], confirmations));
    EXPECT_EQ(confirmations.at(ids[1]).run_id, run2);
    const auto log = store.audit_log();
    ASSERT_EQ(log.size(), audit_before + 3);
    std::map<std::string, AuditEntry> by_field;
    for (std::size_t i = audit_before; i < log.size(); ++i) by_field[log[i].field] = log[i];
    EXPECT_EQ(by_field["category"].action, "confirm");
    EXPECT_EQ(by_field["category"].table_name, "confirmation");
    EXPECT_EQ(by_field["category"].row_id, ids[1]);
    EXPECT_EQ(by_field["category"].old_value, "整改规范");
    EXPECT_EQ(by_field["category"].new_value, "限期搬迁");
    EXPECT_EQ(by_field["note"].old_value, "");
    EXPECT_EQ(by_field["note"].new_value, "入园搬迁");
    EXPECT_EQ(by_field["suggested_when_confirmed"].old_value, "整改规范");
    EXPECT_EQ(by_field["suggested_when_confirmed"].new_value, "限期搬迁");
    // The first confirmations were logged too (old value empty).
    long long first_category_entries = 0;
    for (std::size_t i = 0; i < audit_before; ++i)
        if (log[i].action == "confirm" && log[i].field == "category" && log[i].old_value.empty()) ++first_category_entries;
    EXPECT_EQ(first_category_entries, 2);

    // Unknown enterprise; a confirmation without any run.
    {
        WriteTransaction tx(store);
        EXPECT_THROW(store.confirm(tx, 9999, Category::close, "", run2, std::nullopt), UsageError);
        store.confirm(tx, ids[2], Category::rectify, "", 0, std::nullopt);
        tx.commit();
    }
    confirmations = store.confirmations();
    EXPECT_EQ(confirmations.at(ids[2]).run_id, 0);
    EXPECT_FALSE(confirmations.at(ids[2]).suggested_when_confirmed);
    EXPECT_FALSE(needs_review(v2[2], confirmations));  // no suggestion then, none now
}

TEST(CheckReport, JsonContract) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "a.qingling", {});
    const auto ids = add_enterprises(store);
    long long run = 0;
    {
        WriteTransaction tx(store);
        run = store.store_check_run(tx, first_run(ids));
        store.confirm(tx, ids[0], Category::close, "甄别", run, Category::rectify);  // seen a different suggestion
        tx.commit();
    }
    const auto text = verdicts_to_json(store.verdicts(run), store.confirmations());
    const auto j = nlohmann::json::parse(text);
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 3u);
    const std::set<std::string> keys = {"id",  "name",      "credit_code", "village", "san",    "luan",
                                        "wu",  "suggested", "confirmed",   "review",  "findings"};
    const std::set<std::string> finding_keys = {"rule", "flag",      "layer",   "feature_id", "code",
                                                "code_name", "measure", "unit", "explanation"};
    for (const auto& e : j) {
        std::set<std::string> got;
        for (const auto& [k, _] : e.items()) got.insert(k);
        EXPECT_EQ(got, keys);
        EXPECT_TRUE(e["id"].is_number_integer());
        EXPECT_TRUE(e["name"].is_string());
        EXPECT_TRUE(e["credit_code"].is_string());
        EXPECT_TRUE(e["village"].is_string());
        EXPECT_TRUE(e["san"].is_boolean());
        EXPECT_TRUE(e["luan"].is_boolean());
        EXPECT_TRUE(e["wu"].is_boolean());
        EXPECT_TRUE(e["suggested"].is_null() || e["suggested"].is_string());
        EXPECT_TRUE(e["confirmed"].is_null() || e["confirmed"].is_object());
        EXPECT_TRUE(e["review"].is_boolean());
        ASSERT_TRUE(e["findings"].is_array());
        for (const auto& f : e["findings"]) {
            std::set<std::string> fk;
            for (const auto& [k, _] : f.items()) fk.insert(k);
            EXPECT_EQ(fk, finding_keys);
            EXPECT_TRUE(f["feature_id"].is_number_integer());
            EXPECT_TRUE(f["measure"].is_null() || f["measure"].is_number());
            const auto flag = f["flag"].get<std::string>();
            EXPECT_TRUE(flag == "散" || flag == "乱" || flag == "污") << flag;
            const auto unit = f["unit"].get<std::string>();
            EXPECT_TRUE(unit == "share" || unit == "m" || unit.empty()) << unit;
            for (const char* k : {"rule", "layer", "code", "code_name", "explanation"}) EXPECT_TRUE(f[k].is_string());
        }
    }
    // Keys in contract order for people reading it.
    EXPECT_LT(text.find("\"id\""), text.find("\"name\""));
    EXPECT_LT(text.find("\"suggested\""), text.find("\"confirmed\""));

    const auto& a = j[0];
    EXPECT_EQ(a["id"].get<long long>(), ids[0]);
    EXPECT_EQ(a["name"], "东湖村红星砖瓦厂");
    EXPECT_EQ(a["credit_code"], "91110000802100433B");
    EXPECT_EQ(a["village"], "东湖村");
    EXPECT_EQ(a["san"], true);
    EXPECT_EQ(a["luan"], true);
    EXPECT_EQ(a["wu"], false);
    EXPECT_EQ(a["suggested"], "依法关闭");
    ASSERT_TRUE(a["confirmed"].is_object());
    std::set<std::string> ck;
    for (const auto& [k, _] : a["confirmed"].items()) ck.insert(k);
    EXPECT_EQ(ck, (std::set<std::string>{"category", "user", "at", "note"}));
    EXPECT_EQ(a["confirmed"]["category"], "依法关闭");
    EXPECT_EQ(a["confirmed"]["note"], "甄别");
    EXPECT_EQ(a["review"], true);  // confirmed when the suggestion was 整改规范
    ASSERT_EQ(a["findings"].size(), 2u);
    EXPECT_EQ(a["findings"][0]["rule"], "farmland");
    EXPECT_EQ(a["findings"][0]["flag"], "散");
    EXPECT_EQ(a["findings"][0]["layer"], "永久基本农田");
    EXPECT_EQ(a["findings"][0]["feature_id"], 17);
    EXPECT_EQ(a["findings"][0]["measure"].get<double>(), 0.8125);
    EXPECT_EQ(a["findings"][0]["unit"], "share");
    EXPECT_TRUE(a["findings"][1]["measure"].is_null());
    EXPECT_EQ(a["findings"][1]["unit"], "");
    EXPECT_TRUE(j[1]["confirmed"].is_null());
    EXPECT_EQ(j[1]["review"], false);
    EXPECT_TRUE(j[2]["suggested"].is_null());
    EXPECT_TRUE(j[2]["findings"].empty());
    EXPECT_EQ(nlohmann::json::parse(verdicts_to_json({}, {})), nlohmann::json::array());
}

// verdicts_to_json writes its text directly; it must be what nlohmann's dump(2) of the contract's
// ordered objects gives (the format scripts were written against): awkward text, numbers, empty
// and confirmed verdicts, text that is not UTF-8.
TEST(CheckReport, JsonTextIsNlohmannsDump) {
    using Json = nlohmann::ordered_json;
    std::vector<Verdict> verdicts(3);
    verdicts[0].enterprise_id = 7;
    verdicts[0].name = "引号\" 反斜杠\\ 换行\n 退格\b 换页\f 回车\r 制表\t 响铃\x07 \x1f DEL\x7f 坏\xff字";
    verdicts[0].credit_code = "91110000802100433B";
    verdicts[0].village = "东湖村";
    verdicts[0].san = verdicts[0].wu = true;
    verdicts[0].suggested = Category::relocate;
    verdicts[0].findings = {finding("farmland", Flag::san, "永久基本农田", 17, 0.8125, "share", "占 81%"),
                            finding("near", Flag::wu, "MGD", 3, 1.0 / 3.0, "m", "距 \"学校\""),
                            finding("big", Flag::wu, "MGD", 4, 1e21, "m", ""),
                            finding("whole", Flag::wu, "MGD", 5, 100.0, "m", ""),
                            finding("tiny", Flag::wu, "MGD", 6, 1e-7, "m", ""),
                            finding("permits", Flag::luan, "", 0, std::nullopt, "", "缺少营业执照")};
    verdicts[1].enterprise_id = 8;
    verdicts[1].located = true;
    verdicts[1].suggested = Category::close;
    verdicts[2].enterprise_id = 9;
    std::map<long long, Confirmation> confirmations;
    confirmations[8] = {8, Category::close, "张\"三", "2024-09-01T08:00:00Z", "备注\n第二行", Category::rectify, 1};
    confirmations[9] = {9, Category::rectify, "李四", "2024-09-02T08:00:00Z", "", std::nullopt, 0};

    Json want = Json::array();
    for (const auto& v : verdicts) {
        Json j;
        j["id"] = v.enterprise_id;
        j["name"] = v.name;
        j["credit_code"] = v.credit_code;
        j["village"] = v.village;
        j["san"] = v.san;
        j["luan"] = v.luan;
        j["wu"] = v.wu;
        j["suggested"] = v.suggested ? Json(category_label_zh(*v.suggested)) : Json(nullptr);
        if (auto c = confirmations.find(v.enterprise_id); c != confirmations.end()) {
            Json confirmed;
            confirmed["category"] = category_label_zh(c->second.category);
            confirmed["user"] = c->second.user;
            confirmed["at"] = c->second.at;
            confirmed["note"] = c->second.note;
            j["confirmed"] = confirmed;
            j["review"] = needs_review(v, c->second);
        } else {
            j["confirmed"] = nullptr;
            j["review"] = false;
        }
        Json findings = Json::array();
        for (const auto& f : v.findings) {
            Json fj;
            fj["rule"] = f.rule;
            fj["flag"] = flag_label_zh(f.flag);
            fj["layer"] = f.layer;
            fj["feature_id"] = f.feature_id;
            fj["code"] = f.code;
            fj["code_name"] = f.code_name;
            fj["measure"] = f.measure ? Json(*f.measure) : Json(nullptr);
            fj["unit"] = f.unit;
            fj["explanation"] = f.explanation;
            findings.push_back(fj);
        }
        j["findings"] = findings;
        want.push_back(j);
    }
    EXPECT_EQ(verdicts_to_json(verdicts, confirmations),
              want.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    EXPECT_EQ(verdicts_to_json({}, confirmations), "[]\n");
}

TEST(CheckReport, CsvHasChineseHeadersAndJoinedExplanations) {
    test::TempDir dir;
    const std::vector<long long> ids = {1, 2, 3};
    auto verdicts = first_run(ids).verdicts;
    verdicts[0].name = "东湖村红星砖瓦厂";
    verdicts[0].village = "东湖村";
    std::map<long long, Confirmation> confirmations;
    Confirmation c;
    c.enterprise_id = 2;
    c.category = Category::rectify;
    c.user = "张三";
    c.suggested_when_confirmed = Category::close;
    confirmations[2] = c;

    const auto out = dir / "结果.csv";
    write_verdicts_csv(verdicts, confirmations, out);
    const std::string text = read_file(out);
    ASSERT_EQ(text.rfind("\xEF\xBB\xBF", 0), 0u) << "no BOM";
    std::istringstream in(text.substr(3));
    std::string header;
    std::getline(in, header);
    if (!header.empty() && header.back() == '\r') header.pop_back();
    EXPECT_EQ(header, "编号,企业名称,统一社会信用代码,所属村(社区),行业,散,乱,污,建议分类,决定规则,确认分类,确认人,需复核,问题说明");
    std::string line1, line2;
    std::getline(in, line1);
    std::getline(in, line2);
    EXPECT_NE(line1.find("1,东湖村红星砖瓦厂,,东湖村,,是,是,否,依法关闭,farmland,,,,位于永久基本农田内 (占地 81%)；缺少用地审批"),
              std::string::npos)
        << line1;
    // Quotes and commas are quoted; 需复核 because the suggestion changed since the confirmation.
    EXPECT_NE(line2.find(",整改规范,permits,整改规范,张三,是,\"缺少环评, \"\"排污\"\"许可\""), std::string::npos) << line2;
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "temporary files left behind";
}

TEST(CheckReport, XlsxReadsBackWithHeaders) {
    test::TempDir dir;
    const std::vector<long long> ids = {1, 2, 3};
    const auto verdicts = second_run(ids).verdicts;
    const auto out = dir / "结果.xlsx";
    write_verdicts_xlsx(verdicts, {}, out);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "temporary files left behind";
    ensure_gdal_initialised();
    ScopedGdalConfig headers("OGR_XLSX_HEADERS", "FORCE");
    GdalDatasetPtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    OGRLayer* list = ds->GetLayerByName("检查结果");
    ASSERT_NE(list, nullptr);
    std::vector<std::string> names;
    for (int i = 0; i < list->GetLayerDefn()->GetFieldCount(); ++i)
        names.emplace_back(list->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
    EXPECT_EQ(names, check_report_headers());
    EXPECT_EQ(list->GetFeatureCount(), 3);
    OGRLayer* detail = ds->GetLayerByName("问题明细");
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->GetFeatureCount(), 4);  // 2 + 2 + 0 findings
}

TEST(CheckReport, SummaryCounts) {
    const std::vector<long long> ids = {1, 2, 3};
    auto verdicts = second_run(ids).verdicts;
    verdicts[0].village = "东湖村";
    verdicts[1].village = "东湖村";
    const auto s = summarise(verdicts, {});
    EXPECT_EQ(s.total.enterprises, 3);
    EXPECT_EQ(s.total.flagged, 2);
    EXPECT_EQ(s.total.by_flag.at(Flag::san), 1);
    EXPECT_EQ(s.total.by_flag.at(Flag::luan), 2);
    EXPECT_EQ(s.total.by_flag.at(Flag::wu), 1);
    EXPECT_EQ(s.total.by_category.at(Category::close), 1);
    EXPECT_EQ(s.total.by_category.at(Category::rectify), 0);
    EXPECT_EQ(s.total.by_category.at(Category::relocate), 1);
    EXPECT_EQ(s.total.no_category, 1);
    EXPECT_EQ(s.not_located, 1);
    ASSERT_EQ(s.by_village.size(), 2u);
    EXPECT_EQ(s.by_village.at("东湖村").enterprises, 2);
    EXPECT_EQ(s.by_village.at("东湖村").by_flag.at(Flag::luan), 2);
    EXPECT_EQ(s.by_village.at("").enterprises, 1);
    EXPECT_EQ(s.by_village.at("").no_category, 1);
    EXPECT_EQ(s.confirmed, 0);
    EXPECT_EQ(s.review, 0);
}

TEST(CheckReport, CompareRuns) {
    const std::vector<long long> ids = {1, 2, 3};
    auto before = first_run(ids).verdicts;
    auto after = second_run(ids).verdicts;
    // Enterprise 3 left the ledger; enterprise 4 is new.
    after.pop_back();
    Verdict added;
    added.enterprise_id = 4;
    added.name = "新企业";
    added.wu = true;
    added.suggested = Category::rectify;
    added.findings = {finding("emission", Flag::wu, "", 0, std::nullopt, "", "废水直排")};
    after.push_back(added);

    const auto cmp = compare_runs(before, after);
    EXPECT_EQ(cmp.unchanged, 1);  // 砖瓦厂
    ASSERT_EQ(cmp.changed.size(), 3u);
    const auto& furniture = cmp.changed[0];
    EXPECT_EQ(furniture.enterprise_id, 2);
    ASSERT_TRUE(furniture.before && furniture.after);
    EXPECT_EQ(furniture.before->suggested, Category::rectify);
    EXPECT_EQ(furniture.after->suggested, Category::relocate);
    EXPECT_FALSE(furniture.before->wu);
    EXPECT_TRUE(furniture.after->wu);
    EXPECT_EQ(furniture.rules_added, std::vector<std::string>{"school_distance"});
    EXPECT_TRUE(furniture.rules_removed.empty());
    EXPECT_EQ(describe_verdict_state(*furniture.before), "乱 → 整改规范");
    EXPECT_EQ(describe_verdict_state(*furniture.after), "乱污 → 限期搬迁");
    EXPECT_EQ(cmp.changed[1].enterprise_id, 3);
    EXPECT_TRUE(cmp.changed[1].before);
    EXPECT_FALSE(cmp.changed[1].after);
    EXPECT_EQ(describe_verdict_state(*cmp.changed[1].before), "无问题");
    EXPECT_EQ(cmp.changed[2].enterprise_id, 4);
    EXPECT_FALSE(cmp.changed[2].before);
    EXPECT_EQ(cmp.changed[2].name, "新企业");
    EXPECT_EQ(cmp.changed[2].rules_added, std::vector<std::string>{"emission"});

    const auto same = compare_runs(before, before);
    EXPECT_TRUE(same.changed.empty());
    EXPECT_EQ(same.unchanged, 3);
}
