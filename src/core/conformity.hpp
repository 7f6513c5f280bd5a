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

struct ConformityOptions {
    // Threads to check on: 0 = one per core for large ledgers (4,000 enterprises and more), else
    // one. The ledger is split west to east; each thread reads, through its own connection, the
    // layer features near its own enterprises, so the verdicts do not depend on the split.
    unsigned threads = 0;
    // Layers with fewer features are read whole; larger ones only near the enterprises (through
    // the layer's R-tree). Either way the same features meet an enterprise: tests vary it.
    long long read_whole_below = 2000;
    // Hand the GEOS layers and subjects to CheckResult::kept_geometry instead of freeing them at the
    // end of the check (about 0.07 s per thread at 500,000 patches): for a caller that exits soon
    // after and need not free them at all (the CLI).
    bool keep_geometry = false;
};

// Reads the store on this thread and, with more threads, on connections of their own
// (ProjectStore::open_reader): call it outside a write transaction.
CheckResult run_conformity_check(const ProjectStore& store, const RuleSet& rules, Progress& progress,
                                 const ConformityOptions& options = {});

} // namespace qingling
