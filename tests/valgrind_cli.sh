#!/usr/bin/env bash
# The CLI tests with every qingling-cli run under valgrind memcheck (issue 9): an invalid read or
# write, a use of uninitialised memory or a bad free makes valgrind print to stderr and exit 99, so
# the test fails (the tests require the exit code they expect and a clean stderr). Leaks are left
# to LeakSanitizer (tests/sanitize.sh): GDAL and PROJ keep process-wide caches.
# Usage: bash tests/valgrind_cli.sh [BUILD_DIR] [ctest -R regex]   (needs the Debian package valgrind)
# The demo chain under valgrind takes long; the default regex leaves it out.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build-valgrind}"
regex="${2:-^cli\.(help|new|import|real|ledger|missing|grid|campaign|backup)}"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQINGLING_BUILD_VIEWER=OFF \
  "-DQINGLING_CLI_WRAPPER=valgrind;-q;--error-exitcode=99;--track-origins=no"
cmake --build "$dir" -j2 --target qingling-cli
status=0
ctest --test-dir "$dir" -R "$regex" --output-on-failure -j2 || status=$?
exit $status
