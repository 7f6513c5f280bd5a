#!/usr/bin/env bash
# Conformity-check speed: qingling-cli check vs. GeoPandas sjoin and a SpatiaLite SQL join, on the
# same synthetic county (land-use tessellation, zone layers, enterprise points), same machine.
#
#   bench/check_bench.sh [POLYGONS] [ENTERPRISES]      default 500000 polygons, 50000 enterprises
#
# Environment:
#   BUILD      build directory holding src/cli/qingling-cli and bench/qingling-bench-gen (default:
#              ./build of the repository). The script builds nothing; build first (Release):
#                cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
#                cmake --build build-bench -j2 --target qingling-cli qingling-bench-gen
#   RUNS       timed runs of each qingling measurement and of SpatiaLite (default 3; median reported)
#   PEER_RUNS  timed runs of GeoPandas (default: RUNS; GeoPandas at 500k polygons takes minutes)
#   SEED       generator seed (default 20240501, as bench/import_bench.sh)
#   PYTHON     Python with Debian's python3-geopandas (default /usr/bin/python3)
#
# Data (bench/out/, git-ignored; generated once, reused; a function of POLYGONS, ENTERPRISES, SEED):
#   landuse_N.gpkg              DLTB, N patches (the file bench/import_bench.sh uses)
#   zones_N.gpkg                farmland, eco red line, water protection, 2 industrial parks, urban
#                               boundary, 200 sensitive points (qingling-bench-gen --zones)
#   enterprises_M_in_N.csv      M enterprises inside the N-patch county (名称, 经度, 纬度, 行业; EPSG:4490).
#                               The points depend on N (they are drawn inside the area the patches
#                               cover), hence N in the name.
# Setup (not timed): a campaign file (qingling-cli new; import landuse_N.gpkg --role landuse; each
# zone layer with its role; ledger import of the CSV), and a SpatiaLite copy for (d)
# (ogr2ogr -f SQLite -dsco SPATIALITE=YES of DLTB with its spatial index, plus the points projected
# to EPSG:4547 by ogr2ogr).
#
# Timed, RUNS times, alternating (each qingling run starts from a copy of the same campaign file,
# flushed to disk before the run; every input is read once beforehand so it is in the page cache):
#   (a) qingling-cli check P --rules bench/rules_landclass_only.toml --format json --out F
#       only the land_class rule: a point-in-polygon join of every enterprise to DLTB, comparable to
#       the peers. End to end: open, read the ledger, load DLTB, join, store the run, write JSON.
#   (b) qingling-cli check P --timings   all default rules (layers/rules.toml) over all zone layers,
#       verdicts stored in the campaign file, the table report written (to a file); the phases of
#       the last run are printed with the results.
#   (c) bench/peer_geopandas.py: GeoPandas read of the gpkg + CSV (to_crs 4490 → 4547) and
#       geopandas.sjoin(points, polygons, predicate="within"); prints read and join times itself.
#   (d) spatialite: the SQL join through the SpatialIndex virtual table with ST_Within (query alone).
# Correctness: the point → patch pairs of (a), (c) and (d) are compared (qingling's from the JSON:
# rules_landclass_only.toml makes every patch under a point a finding, with its fid; the generator
# makes fid = BSM). The script fails if the matched counts differ.
#
# Wall time and peak resident memory come from /usr/bin/time -f '%e %M' (Debian package `time`).
# No timed run starts while a compiler runs (pgrep cc1plus), and a run during which one started is
# repeated: the machine this was written on has 2 cores.
#
# Output: a table on stdout, also in bench/out/check_results.txt and check_results_N_M.txt.
set -euo pipefail

N="${1:-500000}"
M="${2:-50000}"
RUNS="${RUNS:-3}"
PEER_RUNS="${PEER_RUNS:-$RUNS}"
SEED="${SEED:-20240501}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
work="$out/check-run"
lc_rules="$here/rules_landclass_only.toml"

usage() { echo "usage: $0 [POLYGONS] [ENTERPRISES]   (default 500000 50000)" >&2; exit 2; }
[[ "$N" =~ ^[0-9]+$ && "$N" -gt 0 && "$M" =~ ^[0-9]+$ && "$M" -gt 0 ]] || usage
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$PEER_RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS and PEER_RUNS must be >= 1" >&2; exit 2; }
for exe in "$cli" "$gen"; do
    [[ -x "$exe" ]] || { echo "missing $exe; build it first (see the top of $0), or set BUILD" >&2; exit 2; }
done
"$cli" check --help > /dev/null 2>&1 || { echo "$cli has no 'check' command: rebuild it" >&2; exit 2; }
for tool in ogr2ogr ogrinfo spatialite; do
    command -v "$tool" > /dev/null || { echo "$tool missing (apt-get install gdal-bin spatialite-bin)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }
"$PYTHON" -c 'import geopandas' 2> /dev/null || { echo "$PYTHON cannot import geopandas (apt-get install python3-geopandas)" >&2; exit 2; }

# ---- data -------------------------------------------------------------------------------------
county_data "$N" "$M"

# Zone layers of zones_N.gpkg and the role each is imported with.
zone_layers=(YJJBNTTB:farmland STBHHX:eco_redline SYBHQ:water_protection GYYQ:industrial_park CZKFBJ:urban_boundary MGD:sensitive)

# The scalar result of one SQL query, through ogrinfo (SQLite dialect; works on .gpkg and .sqlite).
sql_value() {
    ogrinfo -q -ro -dialect SQLite "$1" -sql "$2" 2> /dev/null | sed -n 's/^ *[^ ].* = //p' | head -1
}

rm -rf "$work"
mkdir -p "$work"
echo "setting up (not timed): campaign file and SpatiaLite copy ..."
pristine="$work/pristine.qingling"
"$cli" new "$pristine" > /dev/null
"$cli" import "$pristine" "$landuse" --role landuse > "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
for spec in "${zone_layers[@]}"; do
    "$cli" import "$pristine" "$zones" --layer "${spec%%:*}" --role "${spec##*:}" >> "$work/setup.log" 2>&1 \
        || { cat "$work/setup.log" >&2; exit 1; }
done
"$cli" ledger import "$pristine" "$csv" --coords cgcs2000 >> "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
count="$("$cli" info "$pristine" | awk '$1 == "DLTB" { print $3 }')"
[[ "$count" == "$N" ]] || { echo "campaign file wrong: DLTB has '$count' features, want $N" >&2; cat "$work/setup.log" >&2; exit 1; }
rm -f "$pristine"-wal "$pristine"-shm

sl="$work/peer.sqlite"
sl_load_start=$(date +%s.%N)
ogr2ogr -f SQLite -dsco SPATIALITE=YES -preserve_fid -nln dltb "$sl" "$landuse" DLTB 2> "$work/ogr2ogr.log" \
    || { cat "$work/ogr2ogr.log" >&2; exit 1; }
ogr2ogr -update -f SQLite "$sl" "$csv" -nln pts -preserve_fid -lco SPATIAL_INDEX=NO \
    -oo X_POSSIBLE_NAMES=经度 -oo Y_POSSIBLE_NAMES=纬度 -oo KEEP_GEOM_COLUMNS=NO -s_srs EPSG:4490 -t_srs EPSG:4547 \
    2>> "$work/ogr2ogr.log" || { cat "$work/ogr2ogr.log" >&2; exit 1; }
sl_load_s=$(awk -v a="$sl_load_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
[[ "$(sql_value "$sl" "SELECT count(*) FROM idx_dltb_geom")" == "$N" ]] || { echo "SpatiaLite copy has no full R-tree" >&2; exit 1; }
[[ "$(sql_value "$sl" "SELECT count(*) FROM pts")" == "$M" ]] || { echo "SpatiaLite copy lacks points" >&2; exit 1; }
join_sql="$(cat << 'EOF'
SELECT pt.ogc_fid, p.bsm
FROM pts AS pt CROSS JOIN dltb AS p
WHERE p.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'dltb' AND search_frame = pt.GEOMETRY)
  AND ST_Within(pt.GEOMETRY, p.geom)
ORDER BY pt.ogc_fid, p.bsm;
EOF
)"

# Raw coordinate data: 16 bytes (x, y doubles) per stored vertex (closing vertices included) and point.
dltb_vertices="$(sql_value "$landuse" "SELECT sum(ST_NPoints(geom)) FROM DLTB")"
zone_vertices=0
zone_counts=""
for spec in "${zone_layers[@]}"; do
    layer="${spec%%:*}"
    v="$(sql_value "$zones" "SELECT sum(ST_NPoints(geom)) FROM $layer")"
    c="$(sql_value "$zones" "SELECT count(*) FROM $layer")"
    zone_vertices=$((zone_vertices + v))
    zone_counts+="${zone_counts:+, }$layer (${spec##*:}) $c/$v"
done
raw_lc_mb=$(awk -v v="$dltb_vertices" -v p="$M" 'BEGIN { printf "%.1f", (v + p) * 16 / 1048576 }')
raw_all_mb=$(awk -v v="$dltb_vertices" -v z="$zone_vertices" -v p="$M" 'BEGIN { printf "%.1f", (v + z + p) * 16 / 1048576 }')

cat "$landuse" "$zones" "$csv" "$sl" "$pristine" > /dev/null  # into the page cache

# ---- timing -----------------------------------------------------------------------------------
wait_quiet() {
    local said=0
    while pgrep -x cc1plus > /dev/null || pgrep -x cc1 > /dev/null; do
        ((said)) || echo "  (a compiler is running; waiting before timing)"
        said=1
        sleep 10
    done
}
# timed NAME CMD...: runs CMD under /usr/bin/time (stdout to $work/NAME.out, stderr to NAME.err),
# repeating it if a compiler ran meanwhile; sets $s and $kb.
timed() {
    local name="$1"
    shift
    for ((attempt = 1; ; ++attempt)); do
        wait_quiet
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err" \
            || { echo "$name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
        if pgrep -x cc1plus > /dev/null || pgrep -x cc1 > /dev/null; then
            echo "  (a compiler started during $name; repeating it)"
            ((attempt < 10)) || { echo "compilers keep running; giving up" >&2; exit 1; }
            continue
        fi
        read -r s kb < "$work/time"
        return
    done
}
# The copy is flushed to disk before the timed run: the check's commit fsyncs the campaign file,
# which would otherwise write back the whole fresh copy (hundreds of MB) inside the timed run.
fresh_project() { rm -f "$work"/p.qingling*; cp "$pristine" "$work/p.qingling"; sync "$work/p.qingling"; }

a_s=() a_kb=() b_s=() b_kb=() c_s=() c_kb=() c_read=() c_join=() d_s=() d_kb=()
for ((run = 1; run <= RUNS; ++run)); do
    fresh_project
    timed a "$cli" check "$work/p.qingling" --rules "$lc_rules" --format json --out "$work/a.json"
    a_s+=("$s") a_kb+=("$kb")
    echo "run $run (a) qingling land class only: ${s} s, peak $((kb / 1024)) MB"

    fresh_project
    timed b "$cli" check "$work/p.qingling" --timings
    b_s+=("$s") b_kb+=("$kb")
    echo "run $run (b) qingling full check:      ${s} s, peak $((kb / 1024)) MB"

    if ((run <= PEER_RUNS)); then
        timed c "$PYTHON" "$here/peer_geopandas.py" "$landuse" "$csv" --pairs "$work/c.pairs"
        c_s+=("$s") c_kb+=("$kb")
        c_read+=("$(awk '$1 == "read_s" { print $2 }' "$work/c.out")")
        c_join+=("$(awk '$1 == "join_s" { print $2 }' "$work/c.out")")
        echo "run $run (c) GeoPandas:                ${s} s process (read ${c_read[-1]} s, sjoin ${c_join[-1]} s), peak $((kb / 1024)) MB"
    fi

    timed d spatialite -silent "$sl" "$join_sql"
    d_s+=("$s") d_kb+=("$kb")
    echo "run $run (d) SpatiaLite SQL join:      ${s} s, peak $((kb / 1024)) MB"
done

# ---- correctness: the same point → patch pairs ------------------------------------------------
"$PYTHON" - "$work/a.json" "$work/a.pairs" << 'EOF'
import json, sys
verdicts = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "w") as out:
    for v in verdicts:
        for f in v["findings"]:
            if f["rule"] == "land_class":
                out.write(f"{v['id']} {f['feature_id']}\n")
EOF
tr '|' ' ' < "$work/d.out" > "$work/d.pairs"
sort -k1,1n -k2,2n -o "$work/a.pairs" "$work/a.pairs"
matched() { cut -d' ' -f1 "$1" | sort -u | wc -l; }
a_matched=$(matched "$work/a.pairs") c_matched=$(matched "$work/c.pairs") d_matched=$(matched "$work/d.pairs")
same_c=$(cmp -s "$work/a.pairs" "$work/c.pairs" && echo identical || echo DIFFERENT)
same_d=$(cmp -s "$work/a.pairs" "$work/d.pairs" && echo identical || echo DIFFERENT)
summary_b="$(grep -m1 '^企业 ' "$work/b.out" || true)"
not_evaluated="$(sed -n '/^未检查的规则/,/^$/p' "$work/b.out" | sed '1d;/^$/d' | sed 's/^ */    /' || true)"

# ---- table ------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
A=$(median "${a_s[@]}") B=$(median "${b_s[@]}") C=$(median "${c_s[@]}") D=$(median "${d_s[@]}")
CR=$(median "${c_read[@]}") CJ=$(median "${c_join[@]}")
CT=$(awk -v r="$CR" -v j="$CJ" 'BEGIN { printf "%.2f", r + j }')
A_MB=$(( $(max "${a_kb[@]}") / 1024 )) B_MB=$(( $(max "${b_kb[@]}") / 1024 ))
C_MB=$(( $(max "${c_kb[@]}") / 1024 )) D_MB=$(( $(max "${d_kb[@]}") / 1024 ))
ratio() { awk -v x="$1" -v q="$2" 'BEGIN { if (q > 0) printf "%.1f", x / q; else print "-" }'; }
row() { printf '%-34s %-44s %9s %8s %9s %9s\n' "$@"; }

cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
{
    echo "Conformity check: $M enterprises against $N land-use polygons ($(basename "$landuse"), $(( $(stat -c %s "$landuse") / 1048576 )) MB)"
    echo "zone layers (role) features/vertices: $zone_counts"
    echo "machine: $(nproc) cores, $cpu; $(ogr2ogr --version | cut -d, -f1); GeoPandas $("$PYTHON" -c 'import geopandas, shapely; print(geopandas.__version__ + ", shapely " + shapely.__version__)')"
    echo "median of $RUNS runs (GeoPandas: $PEER_RUNS); wall time and peak RSS from /usr/bin/time"
    echo
    row "tool" "what" "median s" "peak MB" "÷ (a)" "÷ (b)"
    row "(a) qingling-cli check" "land_class only, end to end, JSON out" "$A" "$A_MB" "1.0" "$(ratio "$A" "$B")"
    row "(b) qingling-cli check" "all default rules + zones, verdicts stored" "$B" "$B_MB" "$(ratio "$B" "$A")" "1.0"
    row "(c) GeoPandas (python process)" "imports + read gpkg/csv + to_crs + sjoin" "$C" "$C_MB" "$(ratio "$C" "$A")" "$(ratio "$C" "$B")"
    row "    GeoPandas read + sjoin" "its own timers, no imports" "$CT" "" "$(ratio "$CT" "$A")" "$(ratio "$CT" "$B")"
    row "    GeoPandas sjoin alone" "index build + within tests" "$CJ" "" "$(ratio "$CJ" "$A")" "$(ratio "$CJ" "$B")"
    row "(d) spatialite SQL join" "SpatialIndex + ST_Within, query alone" "$D" "$D_MB" "$(ratio "$D" "$A")" "$(ratio "$D" "$B")"
    row "    (d) setup, not timed above" "ogr2ogr to SpatiaLite + points, 1 run" "$sl_load_s" "" "" ""
    echo
    echo "ratio columns: the tool's time divided by qingling's (a) or (b); above 1 means qingling is faster"
    echo "matched points (in a patch): qingling $a_matched, GeoPandas $c_matched, SpatiaLite $d_matched of $M;" \
         "point→patch pairs vs qingling: GeoPandas $same_c, SpatiaLite $same_d"
    echo "raw coordinate data (16 B per vertex/point): DLTB $dltb_vertices vertices + $M points = $raw_lc_mb MB" \
         "(peak (a) $(ratio "$A_MB" "$raw_lc_mb")×); with the zone layers ($zone_vertices vertices) $raw_all_mb MB (peak (b) $(ratio "$B_MB" "$raw_all_mb")×)"
    echo "(b) result: $summary_b"
    echo "(b) phases of the last run (check --timings: wall, CPU of the thread that ran it):"
    sed 's/^/    /' "$work/b.err"
    if [[ -n "$not_evaluated" ]]; then echo "(b) rules not evaluated:"; echo "$not_evaluated"; fi
    if [[ "$N" == 500000 && "$M" == 50000 ]]; then
        echo
        echo "Issue targets for the whole check (b), against the figures measured for the issue on this data:"
        target() { awk -v b="$B" -v ref="$2" -v need="$3" -v what="$1" 'BEGIN {
            x = ref / b; printf "  %-48s %6.2f s / %.2f s = %5.1fx  (need >= %sx: %s)\n", what, ref, b, x, need, (x >= need) ? "met" : "MISSED" }'; }
        target "GeoPandas read + sjoin, measured here (c)" "$CT" 50
        target "GeoPandas read + sjoin, issue's figure" 91 50
        target "QGIS 3.22, issue's figure" 12.6 10
        target "PostGIS 3.3 execution alone, issue's figure" 2.2 1
        awk -v a="$A" 'BEGIN { f = 1.5 + 0.08; printf "  land-class step (a) vs bare R-tree + crossing-number floor (1.5 s read + 0.08 s join = %.2f s): %.2fx (need <= 2x: %s)\n", f, a / f, (a / f <= 2) ? "met" : "MISSED" }'
        awk -v m="$B_MB" -v r="$raw_all_mb" 'BEGIN { printf "  memory of (b) vs raw coordinates: %d MB / %.1f MB = %.2fx (need <= 2x: %s)\n", m, r, m / r, (m / r <= 2) ? "met" : "MISSED" }'
    fi
    echo
    echo "runs (s): (a) ${a_s[*]}; (b) ${b_s[*]}; (c) ${c_s[*]} [sjoin ${c_join[*]}]; (d) ${d_s[*]}"
} | tee "$out/check_results.txt"
cp "$out/check_results.txt" "$out/check_results_${N}_$M.txt"

# shellcheck disable=SC2055  # fail if EITHER peer disagrees
if [[ "$a_matched" != "$c_matched" || "$a_matched" != "$d_matched" ]]; then
    echo "matched counts differ: see $work/{a,c,d}.pairs" >&2
    exit 1
fi
rm -rf "$work"
