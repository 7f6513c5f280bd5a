#!/usr/bin/env bash
# County-scale campaign monitoring (issue 8): `qingling-cli status` and the pieces the dashboard
# repeats (load, summary with the weekly path to zero, one status change) on M enterprises.
#
#   bench/campaign_bench.sh [ENTERPRISES]      default 50000
#
# Environment: BUILD (build folder with src/cli/qingling-cli, bench/qingling-bench-gen and
# bench/qingling-bench-campaign; build them first, Release), RUNS (default 3, median), SEED.
# Data: the enterprise CSV of bench/check_bench.sh (500,000-patch county), made when missing.
# Setup (not timed): a campaign file with the ledger, then qingling-bench-campaign records a
# synthetic campaign in progress for every enterprise (seeded: 8% only found, 10% confirmed, the
# rest classified 40/40/20 into 关闭/整改/搬迁, of which some in progress, done, revisited, struck
# off, with the evidence each step needs) straight through the project store in one transaction.
set -euo pipefail

M="${1:-50000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-20240501}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench_campaign="$build/bench/qingling-bench-campaign"
work="$out/campaign-run"

[[ "$M" =~ ^[0-9]+$ && "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ENTERPRISES]" >&2; exit 2; }
for exe in "$cli" "$gen" "$bench_campaign"; do
    [[ -x "$exe" ]] || { echo "missing $exe; build it first, or set BUILD" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }

county_data 500000 "$M"
project="$work/campaign_$M.qingling"
if [[ ! -f "$work/ready_$M" ]]; then
    rm -rf "$work"
    mkdir -p "$work"
    echo "setting up (not timed): campaign file, ledger of $M, a synthetic campaign in progress ..."
    "$cli" new "$project" --jurisdiction 示例县 > /dev/null
    "$cli" ledger import "$project" "$csv" --coords cgcs2000 > "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
    "$bench_campaign" "$project" --runs 1 >> "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
    grep "recorded" "$work/setup.log"
    touch "$work/ready_$M"
fi
cat "$project" > /dev/null  # into the page cache

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
{
    echo "campaign monitoring, $M enterprises (median of $RUNS)"
    times=()
    for ((i = 0; i < RUNS; ++i)); do
        for ((w = 0; w < 12; ++w)); do pgrep -x cc1plus > /dev/null || break; sleep 5; done
        /usr/bin/time -f '%e' -o "$work/time.txt" "$cli" status "$project" --as-of 2024-12-20 > "$work/status.txt"
        times+=("$(cat "$work/time.txt")")
    done
    printf 'qingling-cli status, end to end     %6s s\n' "$(printf '%s\n' "${times[@]}" | median)"
    "$bench_campaign" "$project" --as-of 2024-12-20 --runs "$RUNS"
} | tee "$out/campaign_results_$M.txt"
