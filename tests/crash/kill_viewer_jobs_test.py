#!/usr/bin/env python3
"""Crash safety of the viewer (issue 9): kill -9 the viewer at random moments while it imports a
land-use layer (导入图层), imports a ledger (导入台账) and runs the check (符合性检查), each on its
worker thread from a script, on a copy of the demo project. After every kill the file must pass
PRAGMA integrity_check, open with qingling-cli, and hold exactly the old or the new state (never a
mix: a layer without all its features, part of a ledger, a check run without all its verdicts).

    kill_viewer_jobs_test.py --cli PATH --viewer PATH --work DIR [--seed N] [--iterations N]

Half the kills land at a random moment of the whole run (start-up, reading, preview, backup,
writing, reloading, exit), half at a random moment after the write transaction began (the
project's ".writer" note appeared). Runs its own Xvfb so the viewer process itself is killed.
The seed is printed first; rerun with --seed to replay the same kill moments."""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import time

from kill_loop import fresh_copy, kill_at_random_moments, read_state, run_uninterrupted, start_run


def layer_features(db):
    tables = [r[0] for r in db.execute("SELECT table_name FROM layer_catalog ORDER BY id")]
    return sum(db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)


def state(path):
    """What the three jobs change, read with plain SQLite (no SpatiaLite)."""
    return read_state(path, {
        "layers": "SELECT count(*) FROM layer_catalog",
        "features": layer_features,
        "tables": "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        "enterprises": "SELECT count(*) FROM enterprise",
        "runs": "SELECT count(*) FROM check_run",
        "verdicts": "SELECT count(*) FROM verdict",
        "audit": "SELECT count(*) FROM audit_log"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--viewer", required=True)
    args, rng, work = start_run(ap, 10, "job")
    env = dict(os.environ, QINGLING_USER="crash-test", XDG_CONFIG_HOME=work)

    def run(argv, check=True):
        p = subprocess.run(argv, env=env, capture_output=True, text=True)
        if check and p.returncode != 0:
            sys.exit(f"setup failed: {' '.join(argv)}\n{p.stdout}\n{p.stderr}")
        return p

    started = time.monotonic()
    pristine = os.path.join(work, "pristine.qingling")
    run([args.cli, "demo", pristine])
    # A second land-use layer under another name (a shapefile's layer is named after its file), and
    # a second ledger: the demo's enterprises as new ones (other names, no codes or accounts).
    layer_file = os.path.join(work, "dltb_copy.shp")
    run([args.cli, "export", pristine, "三调地类图斑", layer_file])
    exported = os.path.join(work, "ledger_exported.csv")
    run([args.cli, "ledger", "export", pristine, exported])
    ledger_file = os.path.join(work, "ledger_more.csv")
    with open(exported, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    name_col = header.index("企业名称")
    blank = [i for i, h in enumerate(header) if "信用代码" in h or "户号" in h]
    with open(ledger_file, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows[1:]:
            row[name_col] += "二厂"
            for i in blank:
                row[i] = ""
            w.writerow(row)
    shutil.rmtree(pristine + ".backups", ignore_errors=True)
    print(f"setup {time.monotonic() - started:.1f} s: {len(rows) - 1} enterprises in the second ledger", flush=True)

    jobs = {"import-layer": f"import-layer {layer_file} landuse\n",
            "import-ledger": f"import-ledger {ledger_file}\n",
            "check": "check\n"}
    # What each job must change in an uninterrupted run.
    grows = {"import-layer": ("layers", "features", "tables"), "import-ledger": ("enterprises",),
             "check": ("runs", "verdicts")}

    # Xvfb picks a free display itself and tells its number when it is ready (-displayfd).
    ready_r, ready_w = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(ready_w), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(ready_w,))
    os.close(ready_w)
    with os.fdopen(ready_r) as ready:
        display = ready.readline().strip()
    if not display:
        sys.exit("Xvfb did not start")
    env["DISPLAY"] = ":" + display
    project = os.path.join(work, "work.qingling")

    def opens(path):
        # Qingling itself opens it (SpatiaLite, migrations, the dead viewer's writer note).
        info = run([args.cli, "info", path], check=False)
        return None if info.returncode == 0 else f"qingling-cli info fails after the kill: {info.stderr.strip()}"

    failures = kills = mid_transaction = 0
    try:
        for name, text in jobs.items():
            script = os.path.join(work, name + ".script")
            with open(script, "w", encoding="utf-8") as f:
                f.write(text)
            argv = [args.viewer, project, "--size", "1280x800", "--script", script]
            # One uninterrupted run: its duration bounds the kill moments, its result is "new".
            fresh_copy(pristine, project)
            before = state(project)
            returncode, stderr, duration, window = run_uninterrupted(argv, env, project)
            if returncode != 0:
                sys.exit(f"{name}: the uninterrupted viewer run failed ({returncode}): {stderr}")
            after = state(project)
            unchanged = [k for k in grows[name] if after[k] <= before[k]]
            if after["integrity"] != ["ok"] or unchanged:
                sys.exit(f"{name}: an uninterrupted run did not do its work ({unchanged} unchanged): "
                         f"before {before}, after {after}\n{stderr}")
            r = kill_at_random_moments(name, argv, env, pristine=pristine, project=project, state=state,
                                       before=before, after=after, duration=duration, window=window,
                                       iterations=args.iterations, rng=rng, open_check=opens, wait_factor=3)
            failures += r.failures
            kills += r.kills
            mid_transaction += r.mid_transaction
            print(f"{name}: {args.iterations} viewer runs ({duration:.2f} s uninterrupted, write transaction "
                  f"{window:.3f} s), {r.kills} killed ({r.mid_transaction} inside the write transaction); old state "
                  f"{r.outcomes['old']}, new state {r.outcomes['new']}", flush=True)
    finally:
        xvfb.terminate()
        xvfb.wait()
    print(f"viewer killed {kills} times with SIGKILL ({mid_transaction} inside its write transaction) in "
          f"{time.monotonic() - started:.1f} s; {failures} failures (seed {args.seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
