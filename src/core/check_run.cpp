#include "core/check_run.hpp"

#include "core/conformity.hpp"
#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/project_backup.hpp"


namespace qingling {

long long store_check(ProjectStore& store, CheckResult& result) {
    PhaseClock clock;
    backup_before_bulk_change(store, "check");
    WriteTransaction tx(store);
    const long long run_id = store.store_check_run(tx, result);
    tx.commit();
    clock.lap(result.timings, N_("保存结果"));
    return run_id;
}

StoredCheck run_and_store_check(ProjectStore& store, const RuleSet& rules, Progress& progress) {
    StoredCheck out;
    out.result = run_conformity_check(store, rules, progress);
    if (progress.cancelled()) throw CancelledError();
    progress.report(1.0, N_("保存结果"));
    out.run_id = store_check(store, out.result);
    return out;
}

} // namespace qingling
