#!/usr/bin/python3
"""Where `qingling-cli check` spends its time, by phase, from a perf profile with call stacks.

    perf record -o check.data -F 499 --call-graph dwarf,32768 qingling-cli check P [...]
    perf script -i check.data -F comm,tid,time,event,period,ip,sym --no-inline > check.script
    /usr/bin/python3 bench/profile_phases.py check.script

Every sample goes to the first phase below one of whose patterns matches a frame of its stack, so
the phases do not overlap and add up to the process's CPU time (off-CPU time, e.g. waiting for the
disk, is not sampled). The patterns name functions of src/core/conformity.cpp, project_store.cpp,
check_report.cpp, cmd_check.cpp and of GEOS 3.11 / SQLite / glibc; a renamed function falls
through to a coarser phase (the last ones), so check "other" stays small.
"""
import re
import sys
from collections import defaultdict

PHASES = [
    ("heap: malloc_consolidate (glibc, after the layers are freed)", r"malloc_consolidate"),
    ("free the GEOS layers (Engine destructor)", r"~MultiPolygon|~PreparedPolygon|~SpatialLayer|Engine::~Engine|GEOSPreparedGeom_destroy"),
    ("load: GEOS WKB parse (GEOSWKBReader_read_r)", r"GEOSWKBReader_read_r"),
    ("load: fid/index bookkeeping in the callback", r"_Function_handler<void \(long long, unsigned char const\*"),
    ("load: SQLite read + AsBinary (for_each_geometry)", r"ProjectStore::for_each_geometry"),
    ("STRtree insert (envelopes)", r"GEOSSTRtree_insert_r"),
    ("STRtree build (sort, on first query)", r"TemplateSTRtreeImpl<void\*, geos::index::strtree::EnvelopeTraits>::build"),
    ("prepare (GEOSPrepare + point-in-area index, first use)",
     r"GEOSPrepare_r|IndexedPointInAreaLocator::buildIndex|IntervalIndexedGeometry::init|IntervalIndexedGeometry::IntervalIndexedGeometry"),
    ("point-in-polygon test (GEOSPreparedIntersects_r)", r"GEOSPreparedIntersects_r"),
    ("STRtree query", r"GEOSSTRtree_query_r"),
    ("query envelope/buffer of the point", r"GEOSEnvelope_r|GEOSBuffer_r|GEOSGeom_destroy_r"),
    ("distance (proximity rule)", r"GEOSDistance_r"),
    ("footprint overlay (intersection, area)", r"GEOSIntersection_r|GEOSArea_r"),
    ("layer attributes (codes, names, parks)", r"ProjectStore::column_values|ProjectStore::layer_fields|load_parks"),
    ("layer set-up, other (vectors, maps)", r"SpatialLayer::SpatialLayer|Engine::Engine"),
    ("ledger read", r"ProjectStore::ledger"),
    ("rules per enterprise, other (candidates sort, findings, text)", r"Engine::judge|Engine::land_class|Engine::zone|SpatialLayer::candidates"),
    ("check loop, other", r"run_conformity_check"),
    ("store the run + verdicts (INSERT)", r"ProjectStore::store_check_run"),
    ("read the verdicts back", r"ProjectStore::verdicts"),
    ("JSON (verdicts_to_json)", r"verdicts_to_json"),
    ("report text (summary, table)", r"print_summary|print_verdict_table|summarise|TextTable"),
    ("write the output file", r"write_text_file|write_verdicts"),
    ("transaction begin/commit", r"WriteTransaction|Impl::begin|Impl::commit"),
    ("open project, load rules", r"load_rule_set|ProjectStore::open"),
    ("check command, other", r"CheckCommand::run"),
    ("process start and exit (loader, library init, exit)", r"."),
]
COMPILED = [(name, re.compile(p)) for name, p in PHASES]
HEADER = re.compile(r"^\S.*?\s(\d+)\s+cpu-clock")


def samples(path):
    period, frames = None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                if period is not None:
                    yield period, frames
                period, frames = None, []
                continue
            m = HEADER.match(line)
            if m and not line.startswith((" ", "\t")):
                period, frames = int(m.group(1)), []
            else:
                frames.append(line.strip().split(" ", 1)[-1])
    if period is not None:
        yield period, frames


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    total = 0
    by_phase = defaultdict(int)
    for period, frames in samples(sys.argv[1]):
        total += period
        for name, rx in COMPILED:
            if any(rx.search(fr) for fr in frames):
                by_phase[name] += period
                break
    if total == 0:
        print("no cpu-clock samples found", file=sys.stderr)
        return 1
    print(f"{'phase':<66} {'s':>7} {'share':>6}")
    for name, _ in PHASES:
        ns = by_phase.get(name, 0)
        if ns:
            print(f"{name:<66} {ns / 1e9:7.2f} {100 * ns / total:5.1f}%")
    print(f"{'total CPU (sampled)':<66} {total / 1e9:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
