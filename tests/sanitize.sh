#!/usr/bin/env bash
# The whole test suite, the viewer and its Xvfb tests included, built with AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer (issue 9). Any report makes the test that triggered
# it fail. Leaks inside system libraries that keep allocations for the life of the process (Mesa's
# llvmpipe, fontconfig, X11 …) are suppressed by library name in tests/lsan.supp, each with why;
# none of our code is. Usage: bash tests/sanitize.sh [DIR]
# CI runs it as a job variant: .ci/run-sanitize (not part of .ci/run, it about doubles the time).
# The crash tests kill the CLI and the viewer at random: under ASan they only run slower, their
# checks are the same (a killed process reports nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build-asan}"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DQINGLING_BUILD_VIEWER=ON \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
cmake --build "$dir" -j2
# Mesa's GL driver is loaded by the viewer and unloaded (dlclose) when it closes its window: what it
# still holds through its own globals then looks leaked, from a module LeakSanitizer can no longer
# name (so no suppression can match it). Loaded for the whole process instead, it stays reachable,
# as in a normal run. Preloading it before the ASan runtime needs verify_asan_link_order=0; malloc
# still resolves to ASan's (the program's own libraries come before the preload's dependencies).
mesa_driver=""
for d in /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so /usr/lib/*/dri/swrast_dri.so; do
  [[ -f "$d" ]] && { mesa_driver="$d"; break; }
done
LD_PRELOAD="$mesa_driver" ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0 \
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir "$dir" --output-on-failure -j2 --timeout 1500
