#!/usr/bin/env python3
"""Crash safety (issue 9): kill -9 qingling-cli at random moments during an import, a check run and a
grid assignment on a copy of the demo project; after every kill the file must open, pass
PRAGMA integrity_check, and hold exactly the old or the new state (never a mix).

    kill_test.py --cli PATH --work DIR [--seed N] [--iterations N]

The seed is printed first; rerun with --seed to replay the same kill moments."""
import argparse
import os
import shutil
import subprocess
import sys
import time

from kill_loop import fresh_copy, kill_at_random_moments, read_state, run_uninterrupted, start_run

ENV = dict(os.environ, QINGLING_USER="crash-test")


def run(cli, *args, check=True):
    p = subprocess.run([cli, *args], env=ENV, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit(f"setup failed: {' '.join(args)}\n{p.stdout}\n{p.stderr}")
    return p


def state(path):
    """What the three operations change, read with plain SQLite (no SpatiaLite)."""
    return read_state(path, {
        "layers": "SELECT count(*) FROM layer_catalog",
        "landuse_tables": "SELECT count(*) FROM sqlite_master WHERE type='table' AND name LIKE 'landuse\\_%' ESCAPE '\\'",
        "runs": "SELECT count(*) FROM check_run",
        "verdicts": "SELECT count(*) FROM verdict",
        "assigned": "SELECT count(*) FROM enterprise_grid",
        "audit": "SELECT count(*) FROM audit_log"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    args, rng, work = start_run(ap, 16, "operation")
    pristine = os.path.join(work, "pristine.qingling")
    cli = args.cli
    started = time.monotonic()
    run(cli, "demo", pristine)
    run(cli, "export", pristine, "村级调查区", os.path.join(work, "villages.geojson"))
    run(cli, "export", pristine, "三调地类图斑", os.path.join(work, "dltb.gpkg"))
    run(cli, "import", pristine, os.path.join(work, "villages.geojson"), "--role", "grid", "--name", "网格")
    shutil.rmtree(pristine + ".backups", ignore_errors=True)
    print(f"setup {time.monotonic() - started:.1f} s", flush=True)

    project = os.path.join(work, "work.qingling")
    operations = {
        "import": ["import", project, os.path.join(work, "dltb.gpkg"), "--role", "landuse", "--name", "导入测试"],
        "check": ["check", project, "--format", "json", "--out", os.path.join(work, "check.json")],
        "grid assign": ["grid", "assign", project],
    }
    # What each operation changes: (key, how the new state follows from the old one).
    changes = {"import": ("layers", lambda old: old + 1), "check": ("runs", lambda old: old + 1),
               "grid assign": ("assigned", None)}

    failures = 0
    kills = 0
    mid_transaction = 0

    def opens(path):
        # The tool itself opens it (SpatiaLite, migrations, the writer's note of the dead process).
        p2 = run(cli, "info", path, check=False)
        return None if p2.returncode == 0 else f"qingling-cli info fails after the kill: {p2.stderr.strip()}"

    for name, argv in operations.items():
        # One uninterrupted run: its duration bounds the kill moments, its result is "new".
        fresh_copy(pristine, project)
        before = state(project)
        returncode, stderr, duration, window = run_uninterrupted([cli, *argv], ENV, project)
        if returncode != 0:
            sys.exit(f"{name}: the uninterrupted run failed: {stderr}")
        after = state(project)
        key, expect_after = changes[name]
        if expect_after and after[key] != expect_after(before[key]):
            sys.exit(f"{name}: an uninterrupted run gave {key} {before[key]} -> {after[key]}")
        if after[key] == before[key]:
            sys.exit(f"{name}: an uninterrupted run changed nothing ({key} {before[key]})")
        r = kill_at_random_moments(name, [cli, *argv], ENV, pristine=pristine, project=project, state=state,
                                   before=before, after=after, duration=duration, window=window,
                                   iterations=args.iterations, rng=rng, open_check=opens, wait_factor=5)
        failures += r.failures
        kills += r.kills
        mid_transaction += r.mid_transaction
        print(f"{name}: {args.iterations} runs ({duration:.2f} s uninterrupted, write transaction {window:.3f} s), killed at random moments; "
              f"old state {r.outcomes['old']}, new state {r.outcomes['new']}", flush=True)
    print(f"{kills} processes killed with SIGKILL ({mid_transaction} inside their write transaction) in "
          f"{time.monotonic() - started:.1f} s; {failures} failures (seed {args.seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
