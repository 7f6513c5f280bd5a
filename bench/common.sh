# Shared set-up of the benchmark scripts (sourced): where the repository, the build and the
# generated data are. BUILD overrides the build folder (default ./build of the repository).
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
if [[ -n "${BUILD:-}" ]]; then build="$(cd "$BUILD" 2>/dev/null && pwd)" || { echo "BUILD=$BUILD is not a folder" >&2; exit 2; }
else build="$repo/build"; fi
cli="$build/src/cli/qingling-cli"
gen="$build/bench/qingling-bench-gen"
out="$here/out"
