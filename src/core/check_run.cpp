#include "core/check_run.hpp"

#include "core/conformity.hpp"
#include "core/errors.hpp"

#include <chrono>

namespace qingling {

StoredCheck run_and_store_check(ProjectStore& store, const RuleSet& rules, Progress& progress) {
    StoredCheck out;
    out.result = run_conformity_check(store, rules, progress);
    if (progress.cancelled()) throw CancelledError();
    progress.report(1.0, "保存结果");
    const auto start = std::chrono::steady_clock::now();
    WriteTransaction tx(store);
    out.run_id = store.store_check_run(tx, out.result);
    tx.commit();
    out.result.timings.emplace_back("保存结果", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return out;
}

} // namespace qingling
