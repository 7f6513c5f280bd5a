// Running the conformity check and keeping it: the check, then the run and its verdicts stored in
// one transaction. What `qingling-cli check` and the viewer's check button both do.
#pragma once

#include "core/progress.hpp"
#include "core/project_store.hpp"
#include "core/rule_set.hpp"

namespace qingling {

struct StoredCheck {
    long long run_id = 0;
    CheckResult result;  // with the time the storing took among its timings
};

// Stores a computed check as a new run in one transaction, adding the time it took to its
// timings ("保存结果"); returns the run id. Needs the store opened for writing.
long long store_check(ProjectStore& store, CheckResult& result);

// The check, then store_check. Throws CancelledError when `progress` is cancelled before the run is
// stored: the project is then unchanged.
StoredCheck run_and_store_check(ProjectStore& store, const RuleSet& rules, Progress& progress);

} // namespace qingling
