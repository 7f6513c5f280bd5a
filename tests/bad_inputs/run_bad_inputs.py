#!/usr/bin/env python3
"""Bad-input corpus (issue 9): runs `qingling-cli import` / `ledger import` on every file listed in
tests/data/bad/manifest.tsv, each on a fresh copy of a small project, and checks what a user would:

- error:  exit code 2 or 3 (never a crash or an internal error), stderr names the file and says
          the reason (the manifest's text), and the project's tables are unchanged (a hash of every
          row of every table before and after);
- repair: exit code 0 and the report says what was repaired or rejected (the manifest's text).

    run_bad_inputs.py --cli PATH --corpus tests/data/bad --work DIR"""
import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys


def fingerprint(path):
    """Row count and SHA-256 of the rows of every ordinary table."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.text_factory = bytes  # compare bytes: text that is not UTF-8 must not stop the comparison
    try:
        out = {}
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
        tables = [t.decode() for t in tables]
        for t in tables:
            rows = sorted(repr(r) for r in db.execute(f'SELECT * FROM "{t}"'))
            out[t] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return out
    finally:
        db.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    env = dict(os.environ, QINGLING_USER="test", QINGLING_BACKUP_KEEP="0")
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    base = os.path.join(work, "base.qingling")
    p = subprocess.run([args.cli, "new", base, "--jurisdiction", "测试街道"], env=env, capture_output=True, text=True)
    if p.returncode:
        sys.exit(p.stderr)

    cases = []
    with open(os.path.join(args.corpus, "manifest.tsv"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 5:
                sys.exit(f"manifest.tsv line {n}: expected 5 tab-separated fields, got {len(parts)}")
            cases.append(parts)

    listed = {c[0] for c in cases}
    unlisted = []
    for root, _, files in os.walk(args.corpus):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), args.corpus)
            primary = rel.endswith((".shp", ".geojson", ".csv", ".xlsx", ".zip"))
            if primary and rel not in listed:
                unlisted.append(rel)
    failures = [f"{u}: in the corpus but not in manifest.tsv" for u in sorted(unlisted)]

    counts = {"error": 0, "repair": 0}
    for rel, command, extra, expect, text in cases:
        source = os.path.join(os.path.abspath(args.corpus), rel)
        project = os.path.join(work, "p.qingling")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(project + suffix):
                os.remove(project + suffix)
        shutil.copyfile(base, project)
        before = fingerprint(project)
        argv = [args.cli] + (["import", project, source] if command == "import" else ["ledger", "import", project, source])
        argv += extra.split() if extra != "-" else []
        p = subprocess.run(argv, env=env, capture_output=True, text=True, errors="replace")
        after = fingerprint(project)
        problem = None
        if p.returncode < 0:
            problem = f"killed by signal {-p.returncode}"
        elif expect == "error":
            if p.returncode not in (2, 3):
                problem = f"exit code {p.returncode}, expected 2 or 3"
            elif "internal error" in p.stderr:
                problem = "an internal error instead of a message"
            elif os.path.basename(rel) not in p.stderr:
                problem = "the message does not name the file"
            elif text not in p.stderr:
                problem = f"the message lacks '{text}'"
            elif before != after:
                changed = [t for t in before if before[t] != after.get(t)] + [t for t in after if t not in before]
                problem = f"the project changed on error: {changed}"
        elif expect == "repair":
            if p.returncode != 0:
                problem = f"exit code {p.returncode}, expected 0"
            elif text not in p.stdout:
                problem = f"the report lacks '{text}'"
        else:
            problem = f"unknown expectation '{expect}'"
        if problem:
            failures.append(f"{rel}: {problem}\n  stdout: {p.stdout.strip()[:400]}\n  stderr: {p.stderr.strip()[:400]}")
        else:
            counts[expect] += 1
    print(f"{len(cases)} bad inputs: {counts['error']} refused with a clear message and the project unchanged, "
          f"{counts['repair']} imported with a documented repair")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
