# Shared set-up of the benchmark scripts (sourced): where the repository, the build and the
# generated data are. BUILD overrides the build folder (default ./build of the repository).
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
if [[ -n "${BUILD:-}" ]]; then build="$(cd "$BUILD" 2>/dev/null && pwd)" || { echo "BUILD=$BUILD is not a folder" >&2; exit 2; }
else build="$repo/build"; fi
cli="$build/src/cli/qingling-cli"
gen="$build/bench/qingling-bench-gen"
out="$here/out"
# The peers make no backup: measure the operations without Qingling's automatic one (a copy of the
# whole file before a bulk change; its cost is in bench/README.md). QINGLING_BACKUP_KEEP=5 measures it.
export QINGLING_BACKUP_KEEP="${QINGLING_BACKUP_KEEP:-0}"

# county_data N M: makes (once; a function of N, M and $SEED) and names the synthetic county the
# check, map and viewer benchmarks share: $landuse (DLTB, N patches), $zones (farmland, eco red line,
# water protection, parks, urban boundary, sensitive points) and $csv (M enterprises inside it).
county_data() {
    local n="$1" m="$2"
    mkdir -p "$out"
    landuse="$out/landuse_$n.gpkg"
    zones="$out/zones_$n.gpkg"
    csv="$out/enterprises_${m}_in_$n.csv"
    [[ -s "$landuse" && -s "$zones" && -s "$csv" ]] && return 0
    echo "generating landuse_$n.gpkg, zones_$n.gpkg, $(basename "$csv") (seed $SEED) ..."
    local part="$out/landuse_$n.part.gpkg" log="$out/gen_county_$n.log"
    "$gen" "$part" --polygons "$n" --seed "$SEED" --enterprises "$m" --enterprises-out "$out/enterprises.part.csv" \
        --zones "$out/zones_$n.part.gpkg" 2> "$log" || { cat "$log" >&2; exit 1; }
    cat "$log"
    # The output is a function of n and the seed: an existing landuse_n.gpkg is the same layer.
    if [[ -s "$landuse" ]]; then rm -f "$part"; else mv "$part" "$landuse"; fi
    mv "$out/zones_$n.part.gpkg" "$zones"
    mv "$out/enterprises.part.csv" "$csv"
}
