"""The kill-and-compare loop of the crash tests (issue 9), shared by kill_test.py (qingling-cli) and
kill_viewer_jobs_test.py (the viewer's worker jobs), and the start of every crash test (start_run): run a command once uninterrupted to learn how long
it takes and how long its write transaction stays open, then kill -9 it at random moments on fresh
copies of the project and check that every copy passes PRAGMA integrity_check, opens with
qingling-cli, and holds exactly the old or the new state (never a mix)."""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time


def start_run(parser, iterations, what):
    """Adds --work, --seed and --iterations (default `iterations` kills per `what`) to the crash
    test's own arguments, parses them, prints the seed for a replay and empties the work folder.
    Returns (args, rng, work); args.seed is the seed used."""
    parser.add_argument("--work", required=True)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--iterations", type=int, default=iterations, help=f"kills per {what}")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(f"seed {seed} (replay: --seed {seed})", flush=True)
    args.seed = seed
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return args, random.Random(seed), work


def read_state(path, counts):
    """The project's PRAGMA integrity_check and one number for each entry of `counts` (name: SQL that
    gives one value, or a function of the read-only connection), read with plain SQLite."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        state = {"integrity": [r[0] for r in db.execute("PRAGMA integrity_check(5)")]}
        for name, query in counts.items():
            state[name] = query(db) if callable(query) else db.execute(query).fetchone()[0]
        return state
    finally:
        db.close()


def fresh_copy(pristine, project):
    """The project as it was before the operation, without a WAL, writer note or backups."""
    for suffix in ("", "-wal", "-shm", ".writer"):
        if os.path.exists(project + suffix):
            os.remove(project + suffix)
    shutil.rmtree(project + ".backups", ignore_errors=True)
    shutil.copyfile(pristine, project)


def run_uninterrupted(argv, env, project):
    """Runs argv to its end, watching the project's writer note (present while the write transaction
    is open). Returns (returncode, stderr text, duration in s, write transaction window in s)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = []
    while p.poll() is None:
        if os.path.exists(project + ".writer"):
            seen.append(time.monotonic())
        time.sleep(0.0005)
    duration = time.monotonic() - t0
    stderr = p.stderr.read().decode(errors="replace")
    window = max(seen[-1] - seen[0], 0.002) if seen else 0.002
    return p.returncode, stderr, duration, window


class KillResult:
    def __init__(self):
        self.outcomes = {"old": 0, "new": 0}
        self.kills = 0
        self.mid_transaction = 0  # kills that hit the open write transaction
        self.failures = 0


def kill_at_random_moments(name, argv, env, *, pristine, project, state, before, after, duration, window,
                           iterations, rng, open_check, wait_factor):
    """Kills argv `iterations` times on fresh copies of `pristine`. Even runs: at a random moment of
    the whole run (start-up, reading, backup, writing, exit); odd runs: at a random moment after the
    write transaction began (the writer's note appeared; waited for at most wait_factor × duration).
    `state(project)` reads what the operation changes (with "integrity"); `before`/`after` are the
    states of the untouched and the uninterrupted run. `open_check(project)` returns None when
    Qingling itself opens the file, else the problem. Prints each failure."""
    result = KillResult()
    for i in range(iterations):
        fresh_copy(pristine, project)
        in_transaction_aim = i % 2 == 1
        delay = rng.uniform(0.0, window) if in_transaction_aim else rng.uniform(0.0, duration * 1.1)
        p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t_start = time.monotonic()
        if in_transaction_aim:
            while (not os.path.exists(project + ".writer") and p.poll() is None
                   and time.monotonic() - t_start < wait_factor * duration):
                time.sleep(0.0005)
        time.sleep(delay)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        p.wait()
        result.kills += killed
        # The note is removed at commit or rollback: left behind, the kill hit the open transaction.
        result.mid_transaction += killed and os.path.exists(project + ".writer")
        got = state(project)
        problem = None
        if got["integrity"] != ["ok"]:
            problem = f"integrity_check: {got['integrity']}"
        elif all(got[k] == before[k] for k in before if k != "integrity"):
            result.outcomes["old"] += 1
        elif all(got[k] == after[k] for k in after if k != "integrity"):
            result.outcomes["new"] += 1
        else:
            problem = f"a mix of old and new: before {before}, after {after}, got {got}"
        if problem is None:
            problem = open_check(project)
        if problem:
            result.failures += 1
            print(f"FAIL {name} #{i} killed after {delay:.3f} s: {problem}", flush=True)
    return result
