// A park's 准入行业 list as the parks' tables write it, and its highest pollution class.
#include "core/park_admission.hpp"

#include <gtest/gtest.h>

using namespace qingling;

TEST(ParkAdmission, ListsWithTheSeparatorsParksUse) {
    EXPECT_EQ(parse_admitted_industries("五金加工、塑料加工，食品加工; 印刷 ,石材加工"),
              (std::vector<std::string>{"五金加工", "塑料加工", "食品加工", "印刷", "石材加工"}));
    EXPECT_TRUE(parse_admitted_industries("全部").empty());
    EXPECT_TRUE(parse_admitted_industries("").empty());
}

TEST(ParkAdmission, IndustryAndClass) {
    const auto list = parse_admitted_industries("五金加工、塑料加工");
    EXPECT_TRUE(park_admits(list, 2, "五金加工", 2));
    EXPECT_FALSE(park_admits(list, 2, "五金加工", 3)) << "class 3 in a park for at most class 2";
    EXPECT_FALSE(park_admits(list, 3, "化工", 3)) << "not on the list";
    EXPECT_TRUE(park_admits({}, 3, "化工", 3)) << "an empty list admits every industry";
}
