#!/usr/bin/env bash
# Import speed: qingling-cli import vs. ogr2ogr into SpatiaLite, same GeoPackage, same machine.
#
#   bench/import_bench.sh [N]          N polygons, default 500000
#
# Environment:
#   BUILD  build directory holding src/cli/qingling-cli and bench/qingling-bench-gen
#          (default: ./build of the repository; a relative path is taken from the current folder).
#          The script builds nothing; build first, e.g.
#            cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
#            cmake --build build-bench -j2 --target qingling-cli qingling-bench-gen
#   RUNS   runs per tool (default 3; the median is reported)
#   SEED   generator seed (default 20240501)
#
# Requirement (issue): the import, spatial index included, takes no more than 1.5× what
#   ogr2ogr -f SQLite -dsco SPATIALITE=YES out.sqlite in.gpkg
# needs, with bounded memory. That ogr2ogr command builds the spatial index too: the SQLite
# driver's layer creation option SPATIAL_INDEX defaults to YES with SPATIALITE=YES, and the script
# checks it after every run (geometry_columns.spatial_index_enabled = 1 and idx_dltb_geom, the
# R-tree virtual table, holds N entries). For qingling it checks the layer's feature count in
# `qingling-cli info` and that its R-tree idx_<table>_geom holds N entries.
#
# Each run starts from a fresh output file; the runs of the two tools alternate so that drifts of
# the machine hit both alike. The source is read once beforehand so it is in the page cache for
# every run. Only the import is timed for qingling (`qingling-cli new` is not).
# Wall time and peak RSS come from /usr/bin/time -f '%e %M' (Debian package `time`).
#
# Output: a table on stdout, also written to bench/out/import_results.txt (and
# bench/out/import_results_N.txt). Generated data lives in bench/out/ (git-ignored).
set -euo pipefail

N="${1:-500000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-20240501}"
LIMIT=1.5

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
work="$out/import-run"

[[ "$N" =~ ^[0-9]+$ && "$N" -gt 0 ]] || { echo "usage: $0 [N]   (N = number of polygons, default 500000)" >&2; exit 2; }
for exe in "$cli" "$gen"; do
    [[ -x "$exe" ]] || { echo "missing $exe; build it first (see the top of $0), or set BUILD" >&2; exit 2; }
done
command -v ogr2ogr >/dev/null || { echo "ogr2ogr missing (apt-get install gdal-bin)" >&2; exit 2; }
command -v ogrinfo >/dev/null || { echo "ogrinfo missing (apt-get install gdal-bin)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }

mkdir -p "$out"
src="$out/landuse_$N.gpkg"
if [[ ! -s "$src" ]]; then
    echo "generating $src (seed $SEED) ..."
    gen_log="$out/gen_$N.log"
    part="$out/landuse_$N.part.gpkg"
    /usr/bin/time -f '%e %M' -o "$out/gen_$N.time" "$gen" "$part" --polygons "$N" --seed "$SEED" 2> "$gen_log" \
        || { cat "$gen_log" >&2; exit 1; }
    mv "$part" "$src"
    cat "$gen_log"
    read -r gs gk < "$out/gen_$N.time"
    echo "generator: ${gs} s, peak $((gk / 1024)) MB"
fi
cat "$src" > /dev/null  # into the page cache: every run reads it from memory

# The scalar result of one SQL query on an SQLite file, through ogrinfo (no sqlite3 needed).
sql_value() {
    ogrinfo -q -ro "$1" -sql "$2" 2>/dev/null | sed -n 's/^ *[^ ].* = //p' | head -1
}

rm -rf "$work"
mkdir -p "$work"
ogr_times=() ogr_kb=() ql_times=() ql_kb=()
for ((run = 1; run <= RUNS; ++run)); do
    # (a) ogr2ogr into a SpatiaLite database
    rm -f "$work/ogr.sqlite"
    /usr/bin/time -f '%e %M' -o "$work/time" ogr2ogr -f SQLite -dsco SPATIALITE=YES "$work/ogr.sqlite" "$src" \
        2> "$work/ogr2ogr.log" || { cat "$work/ogr2ogr.log" >&2; exit 1; }
    read -r s kb < "$work/time"
    ogr_times+=("$s") ogr_kb+=("$kb")
    enabled="$(sql_value "$work/ogr.sqlite" "SELECT spatial_index_enabled FROM geometry_columns WHERE f_table_name = 'dltb'")"
    indexed="$(sql_value "$work/ogr.sqlite" "SELECT count(*) FROM idx_dltb_geom")"
    rows="$(sql_value "$work/ogr.sqlite" "SELECT count(*) FROM dltb")"
    if [[ "$enabled" != 1 || "$indexed" != "$N" || "$rows" != "$N" ]]; then
        echo "ogr2ogr output wrong: $rows rows, spatial_index_enabled=$enabled, $indexed R-tree entries (want $N)" >&2
        exit 1
    fi
    echo "run $run ogr2ogr:  ${s} s, peak $((kb / 1024)) MB ($rows rows, R-tree $indexed entries)"
    rm -f "$work/ogr.sqlite"

    # (b) qingling-cli new + import (only the import is timed)
    rm -f "$work"/p.qingling*
    "$cli" new "$work/p.qingling" > /dev/null
    /usr/bin/time -f '%e %M' -o "$work/time" "$cli" import "$work/p.qingling" "$src" --role landuse \
        > "$work/import.log" 2>&1 || { cat "$work/import.log" >&2; exit 1; }
    read -r s kb < "$work/time"
    ql_times+=("$s") ql_kb+=("$kb")
    # 图层 角色 要素 修复 ...: the feature count of layer DLTB
    count="$("$cli" info "$work/p.qingling" | awk '$1 == "DLTB" { print $3 }')"
    table="$(sql_value "$work/p.qingling" "SELECT table_name FROM layer_catalog WHERE name = 'DLTB'")"
    indexed="$(sql_value "$work/p.qingling" "SELECT count(*) FROM \"idx_${table}_geom\"")"
    if [[ "$count" != "$N" || "$indexed" != "$N" ]]; then
        echo "qingling project wrong: layer DLTB has '$count' features, R-tree '$indexed' entries (want $N)" >&2
        cat "$work/import.log" >&2
        exit 1
    fi
    echo "run $run qingling: ${s} s, peak $((kb / 1024)) MB ($count features, R-tree $indexed entries)"
    rm -f "$work"/p.qingling*
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
ogr_s="$(median "${ogr_times[@]}")" ql_s="$(median "${ql_times[@]}")"
ogr_mb=$(( $(max "${ogr_kb[@]}") / 1024 )) ql_mb=$(( $(max "${ql_kb[@]}") / 1024 ))
ratio="$(awk -v a="$ql_s" -v b="$ogr_s" 'BEGIN { printf "%.2f", a / b }')"
verdict="$(awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { print (r <= l) ? "within the " l "x limit" : "OVER the " l "x limit" }')"

cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
{
    echo "Import of $N land-use polygons ($(basename "$src"), $(( $(stat -c %s "$src") / 1048576 )) MB), median of $RUNS runs"
    echo "machine: $(nproc) cores, $cpu; $(ogr2ogr --version | cut -d, -f1)"
    echo
    printf '%-40s %10s %12s\n' "tool" "seconds" "peak MB"
    printf '%-40s %10s %12s\n' "ogr2ogr -f SQLite -dsco SPATIALITE=YES" "$ogr_s" "$ogr_mb"
    printf '%-40s %10s %12s\n' "qingling-cli import --role landuse" "$ql_s" "$ql_mb"
    echo
    echo "ratio qingling/ogr2ogr: $ratio ($verdict)"
    echo "runs (s): ogr2ogr ${ogr_times[*]}; qingling ${ql_times[*]}"
    echo "both outputs checked: $N features and $N R-tree entries"
} | tee "$out/import_results.txt"
cp "$out/import_results.txt" "$out/import_results_$N.txt"
rm -rf "$work"
