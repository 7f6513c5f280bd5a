#!/usr/bin/env bash
# The viewer remembers the window size, the last project and the language (issue 4): run it on a
# project with a size and English, close it (SIGINT, as Ctrl-C or the desktop does), then run it
# with none of them: it must open the same project in a window of the same size, in English, and
# remember them again.
#   remember_test.sh QINGLING PROJECT WORKDIR
set -euo pipefail
qingling="$1"; project="$(realpath "$2")"; work="$3"
export XDG_CONFIG_HOME="$work/remember-config"
rm -rf "$XDG_CONFIG_HOME"
conf="$XDG_CONFIG_HOME/qingling/viewer.conf"

run_and_close() {  # args for the viewer; waits until it draws, then closes it
  xvfb-run -a -s "-screen 0 1400x900x24" "$qingling" "$@" &
  local runner=$! pid=""
  for _ in $(seq 100); do
    pid=$(pgrep -fx "$qingling${*:+ $*}" || true)
    [[ -n "$pid" ]] && break
    sleep 0.1
  done
  [[ -n "$pid" ]] || { echo "the viewer did not start"; exit 1; }
  sleep 3  # open the project and draw a few frames
  kill -INT "$pid"
  wait "$runner"
}

run_and_close "$project" --size 1100x700 --lang en
grep -qx "window_width = 1100" "$conf" && grep -qx "window_height = 700" "$conf" &&
  grep -qx "last_project = $project" "$conf" && grep -qx "language = en" "$conf" || { echo "first run not remembered:"; cat "$conf"; exit 1; }

run_and_close
grep -qx "window_width = 1100" "$conf" && grep -qx "window_height = 700" "$conf" &&
  grep -qx "last_project = $project" "$conf" && grep -qx "language = en" "$conf" || { echo "second run did not reopen the project:"; cat "$conf"; exit 1; }
echo "remembered: 1100x700, English, $project"
