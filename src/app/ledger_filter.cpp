#include "app/ledger_filter.hpp"

#include "core/i18n.hpp"

namespace qingling::app {

const char* flag_filter_label_zh(FlagFilter f) {
    switch (f) {
    case FlagFilter::any: return N_("全部问题");
    case FlagFilter::san: return N_("散");
    case FlagFilter::luan: return N_("乱");
    case FlagFilter::wu: return N_("污");
    case FlagFilter::none: return N_("无问题");
    }
    return "";
}

bool matches(const EnterpriseItem& e, const LedgerFilter& f) {
    if (!f.village.empty() && e.record.village != f.village) return false;
    if (!f.industry.empty() && e.record.industry != f.industry) return false;
    if (f.mark >= 0 && static_cast<int>(e.mark) != f.mark) return false;
    switch (f.flag) {
    case FlagFilter::any: break;
    case FlagFilter::san: if (!e.verdict || !e.verdict->san) return false; break;
    case FlagFilter::luan: if (!e.verdict || !e.verdict->luan) return false; break;
    case FlagFilter::wu: if (!e.verdict || !e.verdict->wu) return false; break;
    case FlagFilter::none:
        if (!e.verdict || e.verdict->san || e.verdict->luan || e.verdict->wu) return false;
        break;
    }
    if (!f.text.empty() && e.record.name.find(f.text) == std::string::npos &&
        e.record.credit_code.find(f.text) == std::string::npos)
        return false;
    return true;
}

std::vector<int> filtered_rows(const MapModel& model, const LedgerFilter& f) {
    std::vector<int> rows;
    for (size_t i = 0; i < model.enterprises.size(); ++i)
        if (matches(model.enterprises[i], f)) rows.push_back(static_cast<int>(i));
    return rows;
}

} // namespace qingling::app
