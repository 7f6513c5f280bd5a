#!/usr/bin/env bash
# Relocation-site speed (搬迁选址): qingling-cli sites --allocate for M enterprises to relocate
# against P park parcels, i.e. candidate search, ranking and the min-cost assignment of all of them.
#
#   bench/sites_bench.sh [PARCELS] [ENTERPRISES]      default 10000 parcels, 1000 enterprises
#
# Environment:
#   BUILD   build directory holding src/cli/qingling-cli (default: ./build of the repository). The
#           script builds nothing; build first (Release):
#             cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
#             cmake --build build-bench -j2 --target qingling-cli
#   RUNS    timed runs of `sites` (default 3; median reported)
#   SEED    generator seed (default 20240501)
#   KEEP    1: keep bench/out/sites-run/ (the campaign file, for profiling) instead of removing it
#   CONSTRAINTS  1: also 10 永久基本农田 rectangles (80-300 m) and 15 sensitive points in and around
#           each park, and `sites` reads bench/rules_sites_constraints.toml (the same rules plus the
#           default farmland zone rule and the sensitive-site setbacks by industry, 50-500 m), so the
#           subtractions are measured too
#
# Data (bench/out/sites-run/, regenerated every time; a function of PARCELS, ENTERPRISES, SEED; made
# by a Python script below, standard library only, GeoJSON in EPSG:4547 written as text):
#   parks.geojson     4 industrial parks (MC, 准入行业 = 全部 or a comma list of industries of
#                     layers/industries.tsv, 最高污染类别 = 3 or 2), squares of side 55 m × sqrt(P/4)
#   parcels.geojson   P park parcels (园区规划地块) tiling the parks: a jittered grid, cells 31–79 m
#                     wide and high (mean 55 m, area mean ≈ 3,000 m²); DKBH, YQMC, GHDLBM 100101/
#                     100102/100103 (30/40/30%), GHDLMC, ZYQK 空闲 (85%) or 已占用 (15%), MJ
#   landuse.geojson   16 land-use patches (DLBM, DLMC) of 5 km covering the 20 × 20 km county
#   ledger.csv        M enterprises (企业名称, X坐标, Y坐标, 行业; EPSG:4547 plain GK) at random
#                     points of the county outside every park, industries cycling through
#                     layers/industries.tsv
# Setup (not timed): qingling-cli new; import the three layers (roles industrial_park, park_parcel,
# landuse); ledger import; qingling-cli check P --rules bench/rules_sites_relocate.toml (one
# land_class rule that allows no code, so every enterprise is 散, and a [category] policy under
# which the parks admit it: every enterprise is suggested 限期搬迁). The check is timed once, for
# information only.
#
# Timed, RUNS times: qingling-cli sites P --allocate --format json --rules bench/rules_sites_relocate.toml
# (stdout to a file; `sites` is read-only, so every run sees the same campaign file).
# Wall time, CPU time (user + sys) and peak resident memory from /usr/bin/time -f '%e %U %S %M'.
# Before each run the script waits while a compiler runs (other builds share the machine), at most
# MAX_WAIT seconds (default 300); runs that had to start anyway are marked. On a busy machine the
# CPU time is the steadier figure.
# Checked: the JSON has M enterprises, each allocated a site (or the count without is reported), and
# no site is allocated twice; the script fails otherwise.
#
# Output: a table on stdout, also in bench/out/sites_results.txt.
set -euo pipefail

P="${1:-10000}"
M="${2:-1000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-20240501}"
PYTHON=/usr/bin/python3

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
work="$out/sites-run"
rules="$here/rules_sites_relocate.toml"
sites_rules="$rules"
[[ "${CONSTRAINTS:-0}" == 1 ]] && sites_rules="$here/rules_sites_constraints.toml"

usage() { echo "usage: $0 [PARCELS] [ENTERPRISES]   (default 10000 1000)" >&2; exit 2; }
[[ "$P" =~ ^[0-9]+$ && "$P" -ge 4 && "$M" =~ ^[0-9]+$ && "$M" -gt 0 ]] || usage
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be >= 1" >&2; exit 2; }
[[ -x "$cli" ]] || { echo "missing $cli; build it first (see the top of $0), or set BUILD" >&2; exit 2; }
"$cli" sites --help > /dev/null 2>&1 || { echo "$cli has no 'sites' command: rebuild it" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[[ -x "$PYTHON" ]] || { echo "$PYTHON missing" >&2; exit 2; }

# ---- data -------------------------------------------------------------------------------------
rm -rf "$work"
mkdir -p "$work"
echo "generating $P parcels in 4 parks and $M enterprises (seed $SEED) ..."
"$PYTHON" - "$work" "$P" "$M" "$SEED" "$repo/layers/industries.tsv" << 'EOF'
import json, math, random, sys
work, P, M, seed, tsv = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = random.Random(seed)
industries = [l.split("\t")[0] for l in open(tsv, encoding="utf-8")
              if l.strip() and not l.startswith("#") and not l.startswith("industry\t")]
cx, cy = 529000.0, 3387000.0          # county centre (EPSG:4547), as qingling-bench-gen
half = 10000.0                         # the county is 20 × 20 km
crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}

def ring(x0, y0, x1, y1):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]

def write(name, feats):
    with open(f"{work}/{name}.geojson", "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "name": name, "crs": crs, "features": feats}, f, ensure_ascii=False)

# 4 parks of n × n parcels (the last park takes the remainder as extra rows).
per = P // 4
n = max(1, int(math.isqrt(per)))
cell = 55.0
side = n * cell
others = [i for i in industries]
parks = [("青岭第一工业园", "全部", 3),
         ("青岭第二工业园", ",".join(others[0::2]), 3),
         ("青岭第三工业园", ",".join(others[1::2]), 2),
         ("青岭第四工业园", ",".join(others), 3)]
origins = [(cx - 5000 - side / 2, cy - 5000 - side / 2), (cx + 5000 - side / 2, cy - 5000 - side / 2),
           (cx - 5000 - side / 2, cy + 5000 - side / 2), (cx + 5000 - side / 2, cy + 5000 - side / 2)]
codes = [("100101", "一类工业用地"), ("100102", "二类工业用地"), ("100103", "三类工业用地")]
park_feats, parcel_feats, boxes = [], [], []
k = 0
for i, ((name, admitted, cls), (ox, oy)) in enumerate(zip(parks, origins)):
    count = per if i < 3 else P - 3 * per
    rows = -(-count // n)
    # jittered grid lines, shared by neighbours: no gaps, no overlaps
    xs = [ox] + [ox + c * cell + rng.uniform(-12, 12) for c in range(1, n)] + [ox + n * cell]
    ys = [oy] + [oy + r * cell + rng.uniform(-12, 12) for r in range(1, rows)] + [oy + rows * cell]
    x1, y1 = xs[-1], ys[-1]
    boxes.append((ox - 1, oy - 1, x1 + 1, y1 + 1))
    park_feats.append({"type": "Feature", "properties": {"MC": name, "准入行业": admitted, "最高污染类别": cls},
                       "geometry": {"type": "Polygon", "coordinates": ring(ox - 1, oy - 1, x1 + 1, y1 + 1)}})
    made = 0
    for r in range(rows):
        for c in range(n):
            if made == count:
                break
            u = rng.random()
            code, label = codes[0] if u < 0.3 else codes[1] if u < 0.7 else codes[2]
            status = "已占用" if rng.random() < 0.15 else "空闲"
            a, b, e, f = xs[c], ys[r], xs[c + 1], ys[r + 1]
            k += 1
            made += 1
            parcel_feats.append({"type": "Feature", "properties": {
                "DKBH": f"DK{i + 1}-{k:05d}", "YQMC": name, "GHDLBM": code, "GHDLMC": label, "ZYQK": status,
                "MJ": round((e - a) * (f - b), 1)},
                "geometry": {"type": "Polygon", "coordinates": ring(round(a, 2), round(b, 2), round(e, 2), round(f, 2))}})
write("parks", park_feats)
write("parcels", parcel_feats)

landuse_codes = [("0601", "工业用地"), ("0702", "农村宅基地"), ("0101", "水田"), ("0103", "旱地"),
                 ("0301", "乔木林地"), ("0602", "采矿用地"), ("0201", "果园"), ("1006", "农村道路")]
lu = []
step = 2 * half / 4
for r in range(4):
    for c in range(4):
        code, label = landuse_codes[(r * 4 + c) % len(landuse_codes)]
        x0, y0 = cx - half + c * step, cy - half + r * step
        lu.append({"type": "Feature", "properties": {"BSM": r * 4 + c + 1, "DLBM": code, "DLMC": label},
                   "geometry": {"type": "Polygon", "coordinates": ring(x0, y0, x0 + step, y0 + step)}})
write("landuse", lu)

# Constraints (imported only with CONSTRAINTS=1): farmland rectangles inside the parks, sensitive
# points in and within 300 m of them. Their own random stream, so the rest stays the same.
crng = random.Random(seed + 1)
farm, sens = [], []
for (x0, y0, x1, y1) in boxes:
    for _ in range(10):
        x, y = crng.uniform(x0, x1), crng.uniform(y0, y1)
        w, h = crng.uniform(80, 300), crng.uniform(80, 300)
        farm.append({"type": "Feature", "properties": {"JBNTTBBH": f"NT{len(farm) + 1}"},
                     "geometry": {"type": "Polygon", "coordinates": ring(x, y, x + w, y + h)}})
    for _ in range(15):
        x, y = crng.uniform(x0 - 300, x1 + 300), crng.uniform(y0 - 300, y1 + 300)
        sens.append({"type": "Feature", "properties": {"MC": f"敏感点{len(sens) + 1}"},
                     "geometry": {"type": "Point", "coordinates": [x, y]}})
write("farmland", farm)
write("sensitive", sens)

with open(f"{work}/ledger.csv", "w", encoding="utf-8") as f:
    f.write("企业名称,X坐标,Y坐标,行业\n")
    made = 0
    while made < M:
        x = rng.uniform(cx - half + 50, cx + half - 50)
        y = rng.uniform(cy - half + 50, cy + half - 50)
        if any(b[0] - 100 <= x <= b[2] + 100 and b[1] - 100 <= y <= b[3] + 100 for b in boxes):
            continue
        made += 1
        f.write(f"基准企业{made:05d},{x:.2f},{y:.2f},{industries[(made - 1) % len(industries)]}\n")
free = sum(1 for p in parcel_feats if p["properties"]["ZYQK"] == "空闲")
print(f"parcels {len(parcel_feats)} ({free} 空闲), parks {len(park_feats)}, side {side:.0f} m, enterprises {M}")
EOF

echo "setting up (not timed): campaign file, layers, ledger ..."
proj="$work/p.qingling"
"$cli" new "$proj" > /dev/null
{
    "$cli" import "$proj" "$work/parks.geojson" --role industrial_park --name GYYQ
    "$cli" import "$proj" "$work/parcels.geojson" --role park_parcel --name YQDK
    "$cli" import "$proj" "$work/landuse.geojson" --role landuse --name DLTB
    if [[ "${CONSTRAINTS:-0}" == 1 ]]; then
        "$cli" import "$proj" "$work/farmland.geojson" --role farmland --name JBNT
        "$cli" import "$proj" "$work/sensitive.geojson" --role sensitive --name MGD
    fi
    "$cli" ledger import "$proj" "$work/ledger.csv" --coords gk
} > "$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
count="$("$cli" info "$proj" | awk '$1 == "YQDK" { print $3 }')"
[[ "$count" == "$P" ]] || { echo "campaign file wrong: YQDK has '$count' features, want $P" >&2; cat "$work/setup.log" >&2; exit 1; }

/usr/bin/time -f '%e %M' -o "$work/time" "$cli" check "$proj" --rules "$rules" > "$work/check.out" 2> "$work/check.err" \
    || { cat "$work/check.err" >&2; exit 1; }
read -r check_s check_kb < "$work/time"
summary="$(grep -m1 '^企业 ' "$work/check.out" || true)"
echo "check (setup, 1 run): ${check_s} s, peak $((check_kb / 1024)) MB; $summary"

# ---- timing -----------------------------------------------------------------------------------
busy=""
wait_quiet() {
    local said=0 waited=0
    busy=""
    while pgrep -x cc1plus > /dev/null || pgrep -x cc1 > /dev/null; do
        if ((waited >= ${MAX_WAIT:-300})); then
            busy=" (a compiler was running)"
            return
        fi
        ((said)) || echo "  (a compiler is running; waiting before timing)"
        said=1
        sleep 10
        waited=$((waited + 10))
    done
}
cat "$proj" > /dev/null  # into the page cache
s_s=() s_cpu=() s_kb=() notes=()
for ((run = 1; run <= RUNS; ++run)); do
    wait_quiet
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$cli" sites "$proj" --allocate --format json --rules "$sites_rules" \
        > "$work/sites.json" 2> "$work/sites.err" || { echo "sites failed:" >&2; cat "$work/sites.err" >&2; exit 1; }
    read -r s user sys kb < "$work/time"
    cpu_s=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    s_s+=("$s") s_cpu+=("$cpu_s") s_kb+=("$kb") notes+=("$s/$cpu_s$busy")
    echo "run $run sites --allocate: ${s} s wall, ${cpu_s} s user+sys, peak $((kb / 1024)) MB$busy"
done

# ---- correctness ------------------------------------------------------------------------------
read -r n_entries n_alloc n_sites n_dup n_cand < <("$PYTHON" - "$work/sites.json" << 'EOF'
import collections, json, sys
entries = json.load(open(sys.argv[1], encoding="utf-8"))
sites = collections.Counter(e["allocated"]["site_id"] for e in entries if e["allocated"])
dup = sum(1 for c in sites.values() if c > 1)
cand = sum(1 for e in entries if e["candidates"])
print(len(entries), sum(sites.values()), len(sites), dup, cand)
EOF
)
free_parcels="$(awk -F'"ZYQK": "' '{ n += gsub(/"ZYQK": "空闲"/, "") } END { print n }' "$work/parcels.geojson")"

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
S=$(median "${s_s[@]}") S_CPU=$(median "${s_cpu[@]}") S_MB=$(( $(max "${s_kb[@]}") / 1024 ))
cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
# A new file, never written in place: bench/out/ may hold hard links shared with other checkouts.
rm -f "$out/sites_results.txt"
{
    echo "Relocation sites: $M enterprises to relocate against $P park parcels ($free_parcels 空闲) in 4 parks"
    [[ "${CONSTRAINTS:-0}" == 1 ]] && echo "with 40 永久基本农田 rectangles and 60 sensitive points (rules: $(basename "$sites_rules"))"
    echo "machine: $(nproc) cores, $cpu"
    echo "median of $RUNS runs; wall time, user+sys CPU time and peak RSS from /usr/bin/time"
    echo
    printf '%-52s %9s %9s %8s\n' "command" "wall s" "cpu s" "peak MB"
    printf '%-52s %9s %9s %8s\n' "qingling-cli sites --allocate --format json" "$S" "$S_CPU" "$S_MB"
    printf '%-52s %9s %9s %8s\n' "qingling-cli check (setup, 1 run, not the measure)" "$check_s" "" "$((check_kb / 1024))"
    echo
    echo "check: $summary"
    echo "sites JSON: $n_entries enterprises, $n_cand with candidates, $n_alloc allocated to $n_sites distinct sites," \
         "sites allocated twice: $n_dup"
    echo "runs (wall/cpu s): ${notes[*]}"
} | tee "$out/sites_results.txt"

[[ "$n_entries" == "$M" ]] || { echo "sites JSON lists $n_entries enterprises, want $M" >&2; exit 1; }
[[ "$n_dup" == 0 && "$n_alloc" == "$n_sites" ]] || { echo "a site is allocated twice: see $work/sites.json" >&2; exit 1; }
[[ "${KEEP:-0}" == 1 ]] || rm -rf "$work"
