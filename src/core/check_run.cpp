#include "core/check_run.hpp"

#include "core/conformity.hpp"
#include "core/errors.hpp"


namespace qingling {

StoredCheck run_and_store_check(ProjectStore& store, const RuleSet& rules, Progress& progress) {
    StoredCheck out;
    out.result = run_conformity_check(store, rules, progress);
    if (progress.cancelled()) throw CancelledError();
    progress.report(1.0, "保存结果");
    PhaseClock clock;
    WriteTransaction tx(store);
    out.run_id = store.store_check_run(tx, out.result);
    tx.commit();
    clock.lap(out.result.timings, "保存结果");
    return out;
}

} // namespace qingling
