// The ledger table's filters (app/ledger_filter): each one alone and combined, on a hand-made ledger.
#include "app/ledger_filter.hpp"

#include <gtest/gtest.h>

namespace qingling::app {
namespace {

EnterpriseItem item(long long id, const char* name, const char* village, const char* industry, Mark mark, bool san,
                    bool luan, bool wu, bool checked = true) {
    EnterpriseItem e;
    e.record.id = id;
    e.record.name = name;
    e.record.credit_code = "91410100MA" + std::to_string(id);
    e.record.village = village;
    e.record.industry = industry;
    e.mark = mark;
    if (checked) {
        Verdict v;
        v.enterprise_id = id;
        v.san = san;
        v.luan = luan;
        v.wu = wu;
        e.verdict = v;
    }
    return e;
}

MapModel ledger() {
    MapModel m;
    m.enterprises = {item(1, "青岭德丰糕点坊", "青岭社区", "食品加工", Mark::relocate, true, true, true),
                     item(2, "青岭利民洗染", "青岭社区", "洗染", Mark::rectify, false, false, true),
                     item(3, "石桥老杨砖瓦", "石桥村", "砖瓦", Mark::close, true, false, false),
                     item(4, "石桥宏图餐饮", "石桥村", "餐饮", Mark::ok, false, false, false),
                     item(5, "桃园新厂", "桃园村", "砖瓦", Mark::unchecked, false, false, false, false)};
    return m;
}

std::vector<long long> ids(const MapModel& m, const LedgerFilter& f) {
    std::vector<long long> out;
    for (int i : filtered_rows(m, f)) out.push_back(m.enterprises[static_cast<size_t>(i)].record.id);
    return out;
}

TEST(LedgerFilter, NoFilterKeepsEveryRowInLedgerOrder) {
    const MapModel m = ledger();
    EXPECT_FALSE(LedgerFilter{}.active());
    EXPECT_EQ(ids(m, {}), (std::vector<long long>{1, 2, 3, 4, 5}));
}

TEST(LedgerFilter, EachFilterAlone) {
    const MapModel m = ledger();
    LedgerFilter f;
    f.text = "石桥";
    EXPECT_EQ(ids(m, f), (std::vector<long long>{3, 4}));
    f = {};
    f.text = "MA2";  // part of a credit code
    EXPECT_EQ(ids(m, f), (std::vector<long long>{2}));
    f = {};
    f.village = "青岭社区";
    EXPECT_EQ(ids(m, f), (std::vector<long long>{1, 2}));
    f = {};
    f.industry = "砖瓦";
    EXPECT_TRUE(f.active());
    EXPECT_EQ(ids(m, f), (std::vector<long long>{3, 5}));
    f = {};
    f.mark = static_cast<int>(Mark::close);
    EXPECT_EQ(ids(m, f), (std::vector<long long>{3}));
    f = {};
    f.flag = FlagFilter::san;
    EXPECT_EQ(ids(m, f), (std::vector<long long>{1, 3}));
    f.flag = FlagFilter::luan;
    EXPECT_EQ(ids(m, f), (std::vector<long long>{1}));
    f.flag = FlagFilter::wu;
    EXPECT_EQ(ids(m, f), (std::vector<long long>{1, 2}));
    f.flag = FlagFilter::none;
    EXPECT_EQ(ids(m, f), (std::vector<long long>{4})) << "an unchecked enterprise has no verdict, so not 无问题";
}

TEST(LedgerFilter, FiltersCombine) {
    const MapModel m = ledger();
    LedgerFilter f;
    f.industry = "砖瓦";
    f.flag = FlagFilter::san;
    EXPECT_EQ(ids(m, f), (std::vector<long long>{3}));
    f.village = "桃园村";
    EXPECT_TRUE(ids(m, f).empty());
}

TEST(LedgerFilter, Labels) {
    EXPECT_STREQ(flag_filter_label_zh(FlagFilter::any), "全部问题");
    EXPECT_STREQ(flag_filter_label_zh(FlagFilter::wu), "污");
    EXPECT_STREQ(flag_filter_label_zh(FlagFilter::none), "无问题");
}

} // namespace
} // namespace qingling::app
