#!/usr/bin/env python3
"""Crash safety of the viewer (issue 9): kill -9 the viewer at random moments while its grid editor
splits a grid and undoes the split again and again (each edit one transaction, with the enterprises
re-assigned). After every kill the file must pass PRAGMA integrity_check, hold 4 or 5 grids (before
or after a split, never a half-written one) and `qingling-cli grid validate` must find no gap and no
overlap: the grids still tile the jurisdiction.

    kill_viewer_test.py --cli PATH --viewer PATH --grid-data DIR --work DIR [--seed N] [--iterations N]

Runs its own Xvfb so the viewer process itself can be killed. The seed is printed first."""
import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from kill_loop import start_run


def run(argv, env, check=True):
    p = subprocess.run(argv, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit(f"setup failed: {' '.join(argv)}\n{p.stdout}\n{p.stderr}")
    return p


def grid_count(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check(5)")]
        table = db.execute("SELECT table_name FROM layer_catalog WHERE role = 'grid'").fetchone()[0]
        return integrity, db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        db.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--viewer", required=True)
    ap.add_argument("--grid-data", required=True)
    args, rng, work = start_run(ap, 12, "run")
    env = dict(os.environ, QINGLING_USER="crash-test", QINGLING_BACKUP_KEEP="0", XDG_CONFIG_HOME=work)

    pristine = os.path.join(work, "pristine.qingling")
    d = args.grid_data
    run([args.cli, "new", pristine, "--jurisdiction", "测试街道"], env)
    run([args.cli, "import", pristine, os.path.join(d, "jurisdiction.geojson"), "--role", "jurisdiction"], env)
    run([args.cli, "import", pristine, os.path.join(d, "villages.geojson"), "--role", "village"], env)
    run([args.cli, "import", pristine, os.path.join(d, "grids_clean.geojson"), "--role", "grid"], env)
    run([args.cli, "ledger", "import", pristine, os.path.join(d, "enterprises.csv")], env)
    script = os.path.join(work, "split_undo.script")
    with open(script, "w", encoding="utf-8") as f:
        for _ in range(40):
            f.write("grid split 甲二 530090,3386100 530210,3386100\ngrid undo\n")

    display = f":{90 + os.getpid() % 500}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env["DISPLAY"] = display
    time.sleep(1.0)
    project = os.path.join(work, "work.qingling")

    def fresh_copy():
        for suffix in ("", "-wal", "-shm", ".writer"):
            if os.path.exists(project + suffix):
                os.remove(project + suffix)
        shutil.copyfile(pristine, project)

    try:
        # One uninterrupted run bounds the kill moments and proves the script ends where it began.
        fresh_copy()
        t0 = time.monotonic()
        p = run([args.viewer, project, "--size", "1280x800", "--script", script], env, check=False)
        duration = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"the uninterrupted viewer run failed ({p.returncode}): {p.stderr}")
        integrity, n = grid_count(project)
        if integrity != ["ok"] or n != 4:
            sys.exit(f"after 40 splits and undos: integrity {integrity}, {n} grids (expected 4)")
        failures = kills = 0
        seen = set()
        for i in range(args.iterations):
            fresh_copy()
            delay = rng.uniform(0.3 * duration, duration)  # past start-up: while edits are stored
            v = subprocess.Popen([args.viewer, project, "--size", "1280x800", "--script", script], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            killed = v.poll() is None
            if killed:
                v.send_signal(signal.SIGKILL)
            v.wait()
            kills += killed
            integrity, n = grid_count(project)
            problem = None
            if integrity != ["ok"]:
                problem = f"integrity_check: {integrity}"
            elif n not in (4, 5):
                problem = f"{n} grids: a split half written"
            else:
                seen.add(n)
                check = run([args.cli, "grid", "validate", project, "--format", "json"], env, check=False)
                if check.returncode != 0:
                    problem = f"grid validate fails after the kill: {check.stderr.strip()}"
                else:
                    counts = json.loads(check.stdout)["counts"]
                    if counts["gap"] or counts["overlap"]:
                        problem = f"the grids no longer tile the jurisdiction: {counts}"
            if problem:
                failures += 1
                print(f"FAIL #{i} killed after {delay:.3f} s: {problem}", flush=True)
        print(f"viewer killed {kills} times with SIGKILL during split/undo edits ({duration:.1f} s uninterrupted); "
              f"grid counts seen {sorted(seen)}; {failures} failures (seed {args.seed})")
        return 1 if failures else 0
    finally:
        xvfb.terminate()
        xvfb.wait()


if __name__ == "__main__":
    sys.exit(main())
