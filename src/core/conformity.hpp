// The conformity check: for every enterprise of the ledger, decide from the project's layers and
// the ledger whether it is 散 (location does not conform to the plans), 乱 (permits missing) and
// 污 (discharge), with findings a land officer can show in a meeting, and suggest one of the
// 三个一批 categories. A person confirms (甄别确认); the engine only suggests.
#pragma once

#include "core/progress.hpp"
#include "core/project_store.hpp"
#include "core/rule_set.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qingling {

CheckResult run_conformity_check(const ProjectStore& store, const RuleSet& rules, Progress& progress);

} // namespace qingling
