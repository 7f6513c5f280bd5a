#include "core/audit_export.hpp"

#include <nlohmann/json.hpp>

namespace qingling {

ListTable audit_table(const ProjectStore& store) {
    ListTable t;
    t.sheet = "审计日志";
    t.title = store.settings().name + " 审计日志";
    t.columns = {{"序号", 8, true}, {"时间(UTC)", 21}, {"操作人", 12}, {"操作", 18},  {"数据表", 16},
                 {"记录号", 9, true}, {"字段", 16}, {"原值", 30, false, true}, {"新值", 30, false, true}};
    for (const auto& e : store.audit_log())
        t.rows.push_back({std::to_string(e.id), e.at, e.user, e.action, e.table_name, std::to_string(e.row_id), e.field,
                          e.old_value, e.new_value});
    return t;
}

std::string audit_json(const ProjectStore& store) {
    const auto settings = store.settings();
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const auto& e : store.audit_log())
        entries.push_back({{"id", e.id}, {"at", e.at}, {"user", e.user}, {"action", e.action}, {"table", e.table_name},
                           {"row_id", e.row_id}, {"field", e.field}, {"old_value", e.old_value},
                           {"new_value", e.new_value}});
    nlohmann::ordered_json doc = {{"project", settings.name}, {"jurisdiction", settings.jurisdiction},
                                  {"entries", entries.size()}, {"audit_log", std::move(entries)}};
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace qingling
