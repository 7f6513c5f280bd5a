// What the enterprise symbols show (issues 4 and 8): their category (the 三个一批 mark), their
// campaign status, or where they stand against their deadline — each on a date chosen with the
// timeline slider, so the map shows the campaign as it stood then. No GL here.
#pragma once

#include "app/map_model.hpp"

#include <string>
#include <vector>

namespace qingling::app {

enum class SymbolTheme { category = 0, status = 1, deadline = 2 };
inline constexpr SymbolTheme kAllSymbolThemes[] = {SymbolTheme::category, SymbolTheme::status, SymbolTheme::deadline};
const char* symbol_theme_label_zh(SymbolTheme t);  // 按分类, 按整治状态, 按时间节点
const char* symbol_theme_code(SymbolTheme t);      // category, status, deadline
bool parse_symbol_theme(const std::string& text, SymbolTheme& out);  // code or label

struct SymbolClass {
    std::string label;
    Rgba colour;
    long long count = 0;  // enterprises of the class with a position (drawn)
};

struct EnterpriseSymbols {
    SymbolTheme theme = SymbolTheme::category;
    std::string as_of;                  // the date the status and deadline themes are for
    std::vector<SymbolClass> classes;   // in legend order (most urgent first)
    std::vector<int> draw_order;        // class indices, drawn first (bottom) to last (top)
    std::vector<int> class_of;          // per enterprise (model order); -1: not on the map at that date
    int class_of_enterprise(std::size_t i) const { return i < class_of.size() ? class_of[i] : -1; }
};

// The category theme's classes are the marks (class index = Mark) whatever the date; the status
// and deadline themes ask core/campaign_workflow where each enterprise stood on `as_of`
// (enterprises recorded only after it are left off the map).
EnterpriseSymbols enterprise_symbols(const MapModel& model, SymbolTheme theme, const std::string& as_of);

// The date the dashboard and the map open on: the latest thing recorded, if before today (a
// campaign looked at after the fact, as the demo's 2024, shows where it stood, not everything
// overdue); else today.
std::string default_campaign_date(const CampaignData& data);
// The timeline slider's range: from two months before the survey deadline (or the first record)
// to a month after the last deadline (or the last record).
struct DateRange {
    std::string first, last;
};
DateRange campaign_timeline(const CampaignData& data);

} // namespace qingling::app
