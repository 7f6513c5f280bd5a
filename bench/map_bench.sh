#!/usr/bin/env bash
# Printed-map speed: qingling-cli export map of a county-scale project (N land-use polygons, zone
# layers, M enterprises) at A3 landscape, 300 dpi PNG and vector PDF.
#
#   bench/map_bench.sh [POLYGONS] [ENTERPRISES]      default 500000 polygons, 5000 enterprises
#
# Environment: BUILD (build folder with src/cli/qingling-cli and bench/qingling-bench-gen; build
# them first, Release), RUNS (timed runs each, default 3, median reported), SEED (default 20240501).
# Data: the files bench/check_bench.sh generates (bench/out/landuse_N.gpkg, zones_N.gpkg, the
# enterprises CSV), made here when missing. Setup (not timed): a campaign file with every layer and
# the ledger, and one conformity check so the enterprises have categories.
#
# Peer: QGIS 3.22 exporting a comparable print layout (bench/peer_qgis_layout.py, PyQGIS from
# Debian's python3-qgis; skipped when it is missing): the same land-use layer coloured by land-class
# group, the zone outlines, the enterprises, title, legend, scale bar, north arrow, grid
# annotations. Its time is the layout export alone (layers opened and the layout built before the
# clock starts), so QGIS is not charged for starting up; qingling's is end to end.
set -euo pipefail

N="${1:-500000}"
M="${2:-5000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-20240501}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
work="$out/map-run"

[[ "$N" =~ ^[0-9]+$ && "$M" =~ ^[0-9]+$ && "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [POLYGONS] [ENTERPRISES]" >&2; exit 2; }
for exe in "$cli" "$gen"; do
    [[ -x "$exe" ]] || { echo "missing $exe; build it first, or set BUILD" >&2; exit 2; }
done
"$cli" export map --help > /dev/null 2>&1 || { echo "$cli has no 'export map' command: rebuild it" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }

county_data "$N" "$M"

project="$work/county.qingling"
if [[ ! -f "$work/ready" ]]; then
rm -rf "$work"
mkdir -p "$work"
echo "setting up (not timed): campaign file, ledger, one check ..."
"$cli" new "$project" --jurisdiction 示例县 > /dev/null
"$cli" import "$project" "$landuse" --role landuse > "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
for spec in YJJBNTTB:farmland STBHHX:eco_redline SYBHQ:water_protection GYYQ:industrial_park CZKFBJ:urban_boundary MGD:sensitive; do
    "$cli" import "$project" "$zones" --layer "${spec%%:*}" --role "${spec##*:}" >> "$work/setup.log" 2>&1 \
        || { cat "$work/setup.log" >&2; exit 1; }
done
"$cli" ledger import "$project" "$csv" --coords cgcs2000 >> "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
"$cli" check "$project" --out "$work/check.txt" >> "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
touch "$work/ready"  # a campaign file made by this setup is reused by the next run
fi
cat "$project" > /dev/null  # into the page cache

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure() {  # label, output file, args...
    local label="$1" file="$2"; shift 2
    local times=() mems=()
    for ((i = 0; i < RUNS; ++i)); do
        # Wait (at most a minute) for a quiet moment: other builds share the 2 cores.
        for ((w = 0; w < 12; ++w)); do pgrep -x cc1plus > /dev/null || break; sleep 5; done
        rm -f "$work/$file"
        /usr/bin/time -f '%e %M' -o "$work/time.txt" "$cli" export map "$project" "$work/$file" --page A3L "$@" > /dev/null
        read -r s kb < "$work/time.txt"
        times+=("$s"); mems+=("$kb")
    done
    printf '%-34s %8s s %8s MB   %s\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" \
        "$(( $(printf '%s\n' "${mems[@]}" | median) / 1024 ))" "$(du -h "$work/$file" | cut -f1)"
}

{
    echo "qingling-cli export map, A3 landscape, $N land-use polygons, $M enterprises (median of $RUNS)"
    measure "PNG 300 dpi (4961x3508)" county.png --dpi 300
    measure "PDF (vector, fonts embedded)" county.pdf
    measure "PNG 150 dpi" county150.png --dpi 150
    if /usr/bin/python3 -c 'import qgis.core' 2> /dev/null; then
        for kind in png pdf; do
            times=()
            for ((i = 0; i < RUNS; ++i)); do
                for ((w = 0; w < 12; ++w)); do pgrep -x cc1plus > /dev/null || break; sleep 5; done
                if t="$(QT_QPA_PLATFORM=offscreen /usr/bin/python3 "$here/peer_qgis_layout.py" "$landuse" "$zones" "$csv" \
                           "$work/qgis.$kind" 300 2> "$work/qgis.log" | tail -1)" && [[ -n "$t" ]]; then
                    times+=("$t")
                else
                    echo "QGIS layout $kind failed: $(grep -v '^$' "$work/qgis.log" | tail -1)"
                    continue 2
                fi
            done
            printf '%-34s %8s s (export alone)   %s\n' "QGIS 3.22 layout $([[ $kind == png ]] && echo "PNG 300 dpi" || echo PDF)" \
                "$(printf '%s\n' "${times[@]}" | median)" "$(du -h "$work/qgis.$kind" | cut -f1)"
        done
    else
        echo "QGIS peer skipped: /usr/bin/python3 cannot import qgis.core (apt-get install python3-qgis)"
    fi
} | tee "$out/map_results_${N}_${M}.txt"
