// The audit log as the discipline inspection office (纪检) receives it: every change to the campaign
// file, who made it and when, with old and new values, as CSV, XLSX (core/list_table) or JSON.
#pragma once

#include "core/list_table.hpp"
#include "core/project_store.hpp"

#include <string>

namespace qingling {

// One row per entry, oldest first: 序号, 时间(UTC), 操作人, 操作, 数据表, 记录号, 字段, 原值, 新值.
ListTable audit_table(const ProjectStore& store);
// {"project": name, "jurisdiction": ..., "entries": n, "audit_log": [{id, at, user, action, table,
// row_id, field, old_value, new_value}, ...]}, pretty-printed, ending in a newline.
std::string audit_json(const ProjectStore& store);

} // namespace qingling
