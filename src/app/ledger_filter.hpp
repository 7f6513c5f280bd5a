// What the ledger table shows (企业台账 filters): text in the name or credit code, village,
// industry, category (the map's mark) and a 散/乱/污 flag of the latest run. No GL here.
#pragma once

#include "app/map_model.hpp"

#include <string>
#include <vector>

namespace qingling::app {

enum class FlagFilter { any, san, luan, wu, none };  // none: checked and no flag

struct LedgerFilter {
    std::string text;      // substring of the name or the credit code; "" = all
    std::string village;   // "" = all
    std::string industry;  // "" = all
    int mark = -1;         // a Mark, -1 = all
    FlagFilter flag = FlagFilter::any;
    bool operator==(const LedgerFilter& o) const {
        return text == o.text && village == o.village && industry == o.industry && mark == o.mark && flag == o.flag;
    }
    bool active() const { return !text.empty() || !village.empty() || !industry.empty() || mark >= 0 || flag != FlagFilter::any; }
};

const char* flag_filter_label_zh(FlagFilter f);  // 全部问题, 散, 乱, 污, 无问题

bool matches(const EnterpriseItem& e, const LedgerFilter& f);
// Indices into model.enterprises of the rows the filter keeps, in ledger order.
std::vector<int> filtered_rows(const MapModel& model, const LedgerFilter& f);

} // namespace qingling::app
