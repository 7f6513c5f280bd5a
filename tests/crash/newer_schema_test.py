#!/usr/bin/env python3
"""A campaign file from a newer Qingling (issue 9): every command refuses it with a clear message and
exit 4, and leaves the file byte for byte as it was (no migration, no backup, no writer's note).

    newer_schema_test.py --cli PATH --work DIR --data DIR"""
import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    project = os.path.join(args.work, "newer.qingling")
    subprocess.run([args.cli, "new", project], check=True, capture_output=True)
    db = sqlite3.connect(project)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    before = digest(project)
    failures = 0
    for argv in (["info", project], ["check", project],
                 ["import", project, os.path.join(args.data, "grid", "villages.geojson"), "--role", "village"],
                 ["backup", project], ["status", project]):
        p = subprocess.run([args.cli, *argv], capture_output=True, text=True)
        ok = p.returncode == 4 and "newer Qingling (schema 99" in p.stderr and "update Qingling" in p.stderr
        if not ok:
            failures += 1
            print(f"FAIL {' '.join(argv[:1])}: exit {p.returncode}, stderr {p.stderr.strip()!r}")
    if digest(project) != before:
        failures += 1
        print("FAIL the file changed")
    left = sorted(f for f in os.listdir(args.work) if f != "newer.qingling")
    if left:
        failures += 1
        print(f"FAIL files left beside it: {left}")
    print(f"newer schema refused by 5 commands, file unchanged: {failures == 0}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
