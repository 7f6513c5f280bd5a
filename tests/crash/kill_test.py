#!/usr/bin/env python3
"""Crash safety (issue 9): kill -9 qingling-cli at random moments during an import, a check run and a
grid assignment on a copy of the demo project; after every kill the file must open, pass
PRAGMA integrity_check, and hold exactly the old or the new state (never a mix).

    kill_test.py --cli PATH --work DIR [--seed N] [--iterations N] [--budget SECONDS]

The seed is printed first; rerun with --seed to replay the same kill moments."""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

ENV = dict(os.environ, QINGLING_USER="crash-test")


def run(cli, *args, check=True):
    p = subprocess.run([cli, *args], env=ENV, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit(f"setup failed: {' '.join(args)}\n{p.stdout}\n{p.stderr}")
    return p


def scalar(db, sql):
    return db.execute(sql).fetchone()[0]


def state(path):
    """What the three operations change, read with plain SQLite (no SpatiaLite)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check(5)")]
        layers = scalar(db, "SELECT count(*) FROM layer_catalog")
        tables = scalar(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name LIKE 'landuse\\_%' ESCAPE '\\'")
        runs = scalar(db, "SELECT count(*) FROM check_run")
        verdicts = scalar(db, "SELECT count(*) FROM verdict")
        assigned = scalar(db, "SELECT count(*) FROM enterprise_grid")
        audit = scalar(db, "SELECT count(*) FROM audit_log")
        return {"integrity": integrity, "layers": layers, "landuse_tables": tables, "runs": runs,
                "verdicts": verdicts, "assigned": assigned, "audit": audit}
    finally:
        db.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--iterations", type=int, default=16, help="kills per operation")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(f"seed {seed} (replay: --seed {seed})", flush=True)
    rng = random.Random(seed)

    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
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

    def fresh_copy():
        for suffix in ("", "-wal", "-shm", ".writer"):
            if os.path.exists(project + suffix):
                os.remove(project + suffix)
        shutil.rmtree(project + ".backups", ignore_errors=True)
        shutil.copyfile(pristine, project)

    failures = 0
    kills = 0
    mid_transaction = 0
    for name, argv in operations.items():
        # One uninterrupted run: its duration bounds the kill moments, its result is "new".
        fresh_copy()
        before = state(project)
        # Watch the writer's note to learn how long the write transaction stays open.
        t0 = time.monotonic()
        p = subprocess.Popen([cli, *argv], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = []
        while p.poll() is None:
            if os.path.exists(project + ".writer"):
                seen.append(time.monotonic())
            time.sleep(0.0005)
        duration = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"{name}: the uninterrupted run failed: {p.stderr.read().decode(errors='replace')}")
        window = max(seen[-1] - seen[0], 0.002) if seen else 0.002
        after = state(project)
        key, expect_after = changes[name]
        if expect_after and after[key] != expect_after(before[key]):
            sys.exit(f"{name}: an uninterrupted run gave {key} {before[key]} -> {after[key]}")
        if after[key] == before[key]:
            sys.exit(f"{name}: an uninterrupted run changed nothing ({key} {before[key]})")
        outcomes = {"old": 0, "new": 0}
        for i in range(args.iterations):
            fresh_copy()
            # Even runs: a random moment of the whole run (start-up, reading, backup, writing, exit).
            # Odd runs: a random moment after the write transaction began (the writer's note appeared).
            in_transaction_aim = i % 2 == 1
            delay = rng.uniform(0.0, duration * 1.1) if not in_transaction_aim else rng.uniform(0.0, window)
            p = subprocess.Popen([cli, *argv], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t_start = time.monotonic()
            if in_transaction_aim:
                while not os.path.exists(project + ".writer") and p.poll() is None and time.monotonic() - t_start < 5 * duration:
                    time.sleep(0.0005)
            time.sleep(delay)
            killed = p.poll() is None
            if killed:
                p.send_signal(signal.SIGKILL)
            p.wait()
            kills += killed
            # The note is removed at commit or rollback: left behind, the kill hit the open transaction.
            mid_transaction += killed and os.path.exists(project + ".writer")
            got = state(project)
            problem = None
            if got["integrity"] != ["ok"]:
                problem = f"integrity_check: {got['integrity']}"
            elif got == {**got, **{k: before[k] for k in before if k != "integrity"}}:
                outcomes["old"] += 1
            elif all(got[k] == after[k] for k in after if k != "integrity"):
                outcomes["new"] += 1
            else:
                problem = f"a mix of old and new: before {before}, after {after}, got {got}"
            if problem is None:
                # The tool itself opens it (SpatiaLite, migrations, the writer's note of the dead process).
                p2 = run(cli, "info", project, check=False)
                if p2.returncode != 0:
                    problem = f"qingling-cli info fails after the kill: {p2.stderr.strip()}"
            if problem:
                failures += 1
                print(f"FAIL {name} #{i} killed after {delay:.3f} s: {problem}", flush=True)
        print(f"{name}: {args.iterations} runs ({duration:.2f} s uninterrupted, write transaction {window:.3f} s), killed at random moments; "
              f"old state {outcomes['old']}, new state {outcomes['new']}", flush=True)
    print(f"{kills} processes killed with SIGKILL ({mid_transaction} inside their write transaction) in "
          f"{time.monotonic() - started:.1f} s; {failures} failures (seed {seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
