#!/usr/bin/env python3
"""Cross-check of the conformity check's point-in-polygon and distance results.

Generates (fixed seed) a random tessellation of ~2,000 land-use patches in EPSG:4547, a farmland
zone layer, ~50 sensitive sites and ~3,000 enterprise points, many of them EXACTLY on shared edges
and vertices, runs `qingling-cli` on them and compares every enterprise's findings with an
independent computation in Shapely (and, as a referee, exact rational arithmetic in Python).
See README.md in this folder for the boundary rule and what is checked.

Exit codes: 0 all agree, 1 a disagreement or a failed step, 77 Shapely is not installed (skipped).
"""

import argparse
import csv
import json
import math
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import time
from fractions import Fraction

try:
    from shapely.geometry import Point, Polygon
    import shapely
except ImportError:
    print("shapely not installed: cross-check skipped")
    sys.exit(77)

SEED = 20240611
LIMIT = 150.0                 # proximity rule's default_distance, metres
E0, N0 = 480000.0, 3400000.0  # south-west corner of the grid (6-digit easting, 7-digit northing)
NX, NY = 40, 40               # grid cells
CELL = 100.0                  # cell size, metres
Q = 1024.0                    # vertex coordinates are multiples of 1/Q m, so every midpoint is exact

CODES = ["0101", "0102", "0103", "0201", "0202", "0301", "0305", "0307", "0404", "05H1", "0508",
         "0601", "0602", "0701", "0702", "1003", "1006", "1101", "1104", "1202"]
INDUSTRY = "五金加工"

started = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - started:6.1f}s] {msg}", flush=True)


def fail(msg):
    print("FAILED: " + msg, flush=True)
    sys.exit(1)


def exact(*values):
    return [Fraction(v) for v in values]


# ---------------------------------------------------------------------------------------------
# 1. Data

class Data:
    def __init__(self, rng):
        self.rng = rng
        self.polys = []   # landuse patches in file order: dict(rings=[ring...], code=...)
        self.zones = []   # farmland zones in file order
        self.sites = []   # (x, y) in file order
        self.points = []  # (name, x, y, kind)

    # -- tessellation ------------------------------------------------------------------------
    def build_tessellation(self):
        rng = self.rng
        V = {}
        for i in range(NX + 1):
            for j in range(NY + 1):
                # Every 5th column line and every 7th row line stays straight: axis-parallel edges.
                jx = 0 if i % 5 == 0 else rng.randint(-25 * 1024, 25 * 1024) / Q
                jy = 0 if j % 7 == 0 else rng.randint(-25 * 1024, 25 * 1024) / Q
                V[i, j] = (E0 + CELL * i + jx, N0 + CELL * j + jy)
        self.V = V
        mid = lambda a, b: ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)  # exact: dyadic coordinates
        polys = []
        holed_cells = set(rng.sample([(i, j) for i in range(1, NX - 1) for j in range(1, NY - 1)], 12))
        self.hole_gaps = []  # rings of areas no patch covers (between a hole and its island, or empty holes)
        for i in range(NX):
            for j in range(NY):
                a, b, c, d = V[i, j], V[i + 1, j], V[i + 1, j + 1], V[i, j + 1]
                if (i, j) in holed_cells:
                    cx = (a[0] + b[0] + c[0] + d[0]) / 4
                    cy = (a[1] + b[1] + c[1] + d[1]) / 4
                    shrink = lambda p, f: (cx + (p[0] - cx) * f, cy + (p[1] - cy) * f)  # f = 1/2, 1/4: exact
                    hole = [shrink(p, 0.5) for p in (a, b, c, d)]
                    variant = (i * 7 + j) % 3
                    # the hole ring runs clockwise
                    polys.append({"rings": [[a, b, c, d, a], [hole[0], hole[3], hole[2], hole[1], hole[0]]]})
                    if variant == 0:    # an island filling the hole exactly: they share the whole ring
                        polys.append({"rings": [hole + [hole[0]]], "island": True})
                    elif variant == 1:  # a smaller island: a gap between hole ring and island
                        island = [shrink(p, 0.25) for p in (a, b, c, d)]
                        polys.append({"rings": [island + [island[0]]], "island": True})
                        self.hole_gaps.append((hole, island))
                    else:               # an empty hole
                        self.hole_gaps.append((hole, None))
                    continue
                r = rng.random()
                if r < 0.15:    # two triangles, split along a random diagonal
                    if rng.random() < 0.5:
                        polys += [{"rings": [[a, b, c, a]]}, {"rings": [[a, c, d, a]]}]
                    else:
                        polys += [{"rings": [[a, b, d, a]]}, {"rings": [[b, c, d, b]]}]
                elif r < 0.22:  # two quads split through the midpoints of bottom and top: T-junctions
                    mb, mt = mid(a, b), mid(d, c)
                    polys += [{"rings": [[a, mb, mt, d, a]]}, {"rings": [[mb, b, c, mt, mb]]}]
                else:
                    polys.append({"rings": [[a, b, c, d, a]]})
        rng.shuffle(polys)  # fid order is not spatial order
        for p in polys:
            p["code"] = rng.choice(CODES)
        self.polys = polys

    def cells_ring(self, i0, i1, j0, j1):
        V = self.V
        ring = [V[i, j0] for i in range(i0, i1 + 1)]
        ring += [V[i1, j] for j in range(j0 + 1, j1 + 1)]
        ring += [V[i, j1] for i in range(i1 - 1, i0 - 1, -1)]
        ring += [V[i0, j] for j in range(j1 - 1, j0 - 1, -1)]
        return ring

    def build_zones(self):
        cr = self.cells_ring
        hole = cr(23, 26, 23, 27)
        zones = [
            {"rings": [cr(2, 10, 2, 8)]},
            {"rings": [cr(10, 16, 2, 8)]},     # shares the line i=10 with the first
            {"rings": [cr(2, 10, 8, 12)]},     # shares j=8 with the first, vertex (10,8) with the second
            {"rings": [cr(20, 30, 20, 30), list(reversed(hole))]},
            {"rings": [hole]},                 # fills the fourth's hole: shares the hole ring
            {"rings": [cr(32, 38, 5, 15)]},
            {"rings": [cr(16, 19, 30, 36)]},
        ]
        self.rng.shuffle(zones)
        self.zones = zones

    def build_sites(self):
        rng = self.rng
        self.sites = []
        self.tie_centres = []
        for _ in range(34):
            self.sites.append((E0 + rng.randint(0, 4000 * 16) / 16, N0 + rng.randint(0, 4000 * 16) / 16))
        for _ in range(8):  # pairs symmetric about a centre: an enterprise there is equally near both
            cx, cy = E0 + rng.randint(200, 3800), N0 + rng.randint(200, 3800)
            a, b = rng.randint(10, 100), rng.randint(-100, 100)
            self.sites += [(cx + a, cy + b), (cx - a, cy - b)]
            self.tie_centres.append((cx, cy))
        rng.shuffle(self.sites)

    # -- enterprise points -------------------------------------------------------------------
    def build_points(self, geo):
        rng = self.rng
        pts = []

        def add(x, y, kind):
            pts.append((x, y, kind))

        def dyadic(lo, hi):
            return lo + rng.randint(0, int((hi - lo) * Q)) / Q

        def edge_point(ring_list):
            """A point exactly on a ring edge at t = k/8, verified exact."""
            while True:
                ring = rng.choice(ring_list)
                n = rng.randrange(len(ring) - 1)
                (ax, ay), (bx, by) = ring[n], ring[n + 1]
                t = rng.choice([0.5, 0.5, 0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875])
                x, y = ax + (bx - ax) * t, ay + (by - ay) * t
                fx, fy = exact(x, y)
                fa, fb = exact(ax, ay), exact(bx, by)
                ft = Fraction(t)
                if fx == fa[0] + (fb[0] - fa[0]) * ft and fy == fa[1] + (fb[1] - fa[1]) * ft:
                    return x, y

        all_rings = [r for p in self.polys for r in p["rings"]]
        # interior: random points strictly inside exactly one patch
        while sum(1 for p in pts if p[2] == "interior") < 1000:
            x, y = dyadic(E0 - 25, E0 + NX * CELL + 25), dyadic(N0 - 25, N0 + NY * CELL + 25)
            rel = geo.exact_patches(x, y)
            if len(rel) == 1 and rel[0][1] == "interior":
                add(x, y, "interior")
        # edge: exactly on a patch edge (shared edges, T-junction edges, hole rings, island rings)
        for _ in range(700):
            add(*edge_point(all_rings), "edge")
        # vertex: exactly on a patch vertex (most shared by 2 to 6 patches; T-junctions, hole/island corners)
        for _ in range(500):
            ring = rng.choice(all_rings)
            add(*ring[rng.randrange(len(ring) - 1)], "vertex")
        # near_edge: one ulp off an edge point, so exactly one side of the edge
        for _ in range(200):
            x, y = edge_point(all_rings)
            if rng.random() < 0.5:
                x = math.nextafter(x, math.inf if rng.random() < 0.5 else -math.inf)
            else:
                y = math.nextafter(y, math.inf if rng.random() < 0.5 else -math.inf)
            add(x, y, "near_edge")
        # outside: beyond the tessellation (vertices are jittered by at most 25 m)
        while sum(1 for p in pts if p[2] == "outside") < 200:
            x, y = dyadic(E0 - 600, E0 + NX * CELL + 600), dyadic(N0 - 600, N0 + NY * CELL + 600)
            if E0 - 30 < x < E0 + NX * CELL + 30 and N0 - 30 < y < N0 + NY * CELL + 30:
                continue
            add(x, y, "outside")
        # hole: in a hole not filled by an island
        while sum(1 for p in pts if p[2] == "hole") < 150:
            hole, island = rng.choice(self.hole_gaps)
            xs, ys = [p[0] for p in hole], [p[1] for p in hole]
            x, y = dyadic(min(xs), max(xs)), dyadic(min(ys), max(ys))
            if not geo.exact_patches(x, y) and geo.exact_in_ring(x, y, hole + [hole[0]]):
                add(x, y, "hole")
        # zone_boundary: on zone rings (edges and vertices, incl. the vertex three zones share)
        zone_rings = [r for z in self.zones for r in z["rings"]]
        for _ in range(80):
            add(*edge_point(zone_rings), "zone_boundary")
        for _ in range(20):
            ring = rng.choice(zone_rings)
            add(*ring[rng.randrange(len(ring) - 1)], "zone_boundary")
        add(*self.V[10, 8], "zone_boundary")
        add(*self.V[10, 2], "zone_boundary")
        # site_tie: equidistant from two sites
        for cx, cy in self.tie_centres:
            add(cx, cy, "site_tie")
        # site_limit: exactly 150 m from a site (axis-parallel and Pythagorean triples), or just beyond
        offsets = [(150, 0), (-150, 0), (0, 150), (0, -150), (90, 120), (-120, 90), (42, -144), (-144, -42)]
        for sx, sy in self.sites:
            for dx, dy in rng.sample(offsets, 3):
                add(sx + dx, sy + dy, "site_limit")
            add(sx + 150 + 1 / 128, sy, "site_limit")
            add(sx, sy - 150 - 1 / 128, "site_limit")
        # site_at: on a site
        for sx, sy in self.sites[:20]:
            add(sx, sy, "site_at")
        # site_random: random points near sites, the usual case
        while sum(1 for p in pts if p[2] == "site_random") < 25:
            sx, sy = rng.choice(self.sites)
            add(sx + rng.uniform(-200, 200), sy + rng.uniform(-200, 200), "site_random")
        order = list(range(len(pts)))
        rng.shuffle(order)
        self.points = [(f"企业{n + 1:05d}",) + pts[k] for n, k in enumerate(order)]


# ---------------------------------------------------------------------------------------------
# 2. Reference computations

class Bucket:
    """Uniform grid over bounding boxes, inclusive at every edge (a point on a box's edge is found)."""

    def __init__(self, boxes, size=CELL):
        self.size = size
        self.cells = {}
        self.boxes = boxes
        for k, (x0, y0, x1, y1) in enumerate(boxes):
            for i in range(math.floor(x0 / size), math.floor(x1 / size) + 1):
                for j in range(math.floor(y0 / size), math.floor(y1 / size) + 1):
                    self.cells.setdefault((i, j), []).append(k)

    def query(self, x, y):
        for k in self.cells.get((math.floor(x / self.size), math.floor(y / self.size)), ()):
            x0, y0, x1, y1 = self.boxes[k]
            if x0 <= x <= x1 and y0 <= y <= y1:
                yield k


def bbox(rings):
    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    return min(xs), min(ys), max(xs), max(ys)


def exact_relation(x, y, rings):
    """'boundary', 'interior' or 'exterior' of a polygon, in exact rational arithmetic."""
    px, py = Fraction(x), Fraction(y)
    inside = False
    for ring in rings:
        for n in range(len(ring) - 1):
            ax, ay = ring[n]
            bx, by = ring[n + 1]
            cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
            if cross == 0 and min(ax, bx) <= px <= max(ax, bx) and min(ay, by) <= py <= max(ay, by):
                return "boundary"
            if (ay > py) != (by > py) and px < ax + (py - ay) * (bx - ax) / (by - ay):
                inside = not inside
    return "interior" if inside else "exterior"


class Geometry:
    def __init__(self, data):
        self.data = data
        self.poly_exact = [[[tuple(exact(*p)) for p in r] for r in p["rings"]] for p in data.polys]
        self.zone_exact = [[[tuple(exact(*p)) for p in r] for r in z["rings"]] for z in data.zones]
        self.poly_index = Bucket([bbox(p["rings"]) for p in data.polys])
        self.zone_index = Bucket([bbox(z["rings"]) for z in data.zones])
        self.poly_shp = [Polygon(p["rings"][0], p["rings"][1:]) for p in data.polys]
        self.zone_shp = [Polygon(z["rings"][0], z["rings"][1:]) for z in data.zones]
        self.site_shp = [Point(s) for s in data.sites]

    def exact_patches(self, x, y):
        """[(file index, 'interior'|'boundary')] of the patches a point meets."""
        out = []
        for k in self.poly_index.query(x, y):
            rel = exact_relation(x, y, self.poly_exact[k])
            if rel != "exterior":
                out.append((k, rel))
        return out

    def exact_in_ring(self, x, y, ring):
        return exact_relation(x, y, [[tuple(exact(*p)) for p in ring]]) == "interior"

    # Each returns a file index (0-based; the project fid is looked up later) or None.
    def shapely_first(self, index, shapes, fid_of, x, y):
        pt = Point(x, y)
        hits = [k for k in index.query(x, y) if shapes[k].intersects(pt)]
        return min(hits, key=lambda k: fid_of[k]) if hits else None

    def exact_first(self, index, rings, fid_of, x, y):
        hits = [k for k in index.query(x, y) if exact_relation(x, y, rings[k]) != "exterior"]
        return min(hits, key=lambda k: fid_of[k]) if hits else None

    def shapely_nearest(self, fid_of, x, y):
        """The engine's rule with Shapely's (GEOS) distance: nearest site with d <= LIMIT, ties -> lower fid."""
        pt = Point(x, y)
        best, best_d = None, LIMIT
        for k in sorted(range(len(self.site_shp)), key=lambda k: fid_of[k]):
            sx, sy = self.data.sites[k]
            if abs(sx - x) > LIMIT + 1 or abs(sy - y) > LIMIT + 1:
                continue
            d = self.site_shp[k].distance(pt)
            if d <= best_d and (best is None or d < best_d):
                best, best_d = k, d
        return (best, best_d) if best is not None else (None, None)

    def exact_nearest(self, fid_of, x, y):
        """Exact squared distances: nearest within LIMIT, ties -> lower fid."""
        px, py = Fraction(x), Fraction(y)
        limit2 = Fraction(LIMIT) ** 2
        best = None
        for k, (sx, sy) in enumerate(self.data.sites):
            d2 = (Fraction(sx) - px) ** 2 + (Fraction(sy) - py) ** 2
            if d2 <= limit2 and (best is None or (d2, fid_of[k]) < best[0]):
                best = ((d2, fid_of[k]), k)
        return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# 3. Files

def crs_member():
    return {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}


def write_geojson(path, features):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "crs": crs_member(), "features": features}, f, ensure_ascii=False)


def polygon_feature(rings, props):
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in r] for r in rings]}}


RULES = """# Cross-check rules (generated by tests/crosscheck/crosscheck.py): every land class is refused,
# so each enterprise inside a patch gets a land_class finding naming the patch.
[meta]
name = "交叉验证规则"
version = 1

[[rule]]
id = "land_class_any"
type = "land_class"
roles = ["landuse"]
flags = ["散"]
sandiao_allowed = ["ZZZZ"]
explanation = "地类为 {code} {code_name}（{layer}，{share}）"

[[rule]]
id = "farmland_zone"
type = "zone"
roles = ["farmland"]
name_field = "MC"
flags = ["散"]
hard = true
explanation = "位于永久基本农田内（{zone}，{share}）"

[[rule]]
id = "near_site"
type = "proximity"
roles = ["sensitive"]
name_field = "MC"
flags = ["污"]
default_distance = 150
explanation = "距{zone} {distance} 米，小于 {limit} 米"
"""


def write_ledger(path, points):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["企业名称", "X坐标", "Y坐标", "行业"])
        for name, x, y, _ in points:
            w.writerow([name, repr(x), repr(y), INDUSTRY])  # repr: shortest text that reads back exactly


def write_files(data, work):
    write_geojson(os.path.join(work, "dltb.geojson"),
                  [polygon_feature(p["rings"], {"XH": n + 1, "DLBM": p["code"]}) for n, p in enumerate(data.polys)])
    write_geojson(os.path.join(work, "zones.geojson"),
                  [polygon_feature(z["rings"], {"XH": n + 1, "MC": f"农田{n + 1}"}) for n, z in enumerate(data.zones)])
    write_geojson(os.path.join(work, "sites.geojson"),
                  [{"type": "Feature", "properties": {"XH": n + 1, "MC": f"学校{n + 1}"},
                    "geometry": {"type": "Point", "coordinates": list(s)}} for n, s in enumerate(data.sites)])
    write_ledger(os.path.join(work, "ledger.csv"), data.points)
    with open(os.path.join(work, "rules.toml"), "w", encoding="utf-8") as f:
        f.write(RULES)


# ---------------------------------------------------------------------------------------------
# 4. The CLI and the project file

def run_cli(cli, work, *args):
    t0 = time.monotonic()
    p = subprocess.run([cli, *args], cwd=work, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout)
        print(p.stderr)
        fail(f"qingling-cli {' '.join(args)} exited with {p.returncode}")
    log(f"qingling-cli {' '.join(args)}: {time.monotonic() - t0:.1f}s")
    return p.stdout


def parse_spatialite(blob):
    """Polygons [[ring [(x, y)...]...]...] or [(x, y)] of an uncompressed SpatiaLite geometry blob."""
    if blob[0] != 0x00 or blob[38] != 0x7C or blob[-1] != 0xFE:
        raise ValueError("not a SpatiaLite blob")
    e = "<" if blob[1] == 1 else ">"
    cls = struct.unpack_from(e + "i", blob, 39)[0]
    pos = 43

    def polygon(pos):
        rings = []
        (nr,) = struct.unpack_from(e + "i", blob, pos)
        pos += 4
        for _ in range(nr):
            (npts,) = struct.unpack_from(e + "i", blob, pos)
            pos += 4
            xy = struct.unpack_from(e + f"{2 * npts}d", blob, pos)
            pos += 16 * npts
            rings.append(list(zip(xy[0::2], xy[1::2])))
        return rings, pos

    if cls == 1:
        return [struct.unpack_from(e + "2d", blob, pos)]
    if cls == 3:
        return [polygon(pos)[0]]
    if cls == 6:
        (n,) = struct.unpack_from(e + "i", blob, pos)
        pos += 4
        out = []
        for _ in range(n):
            if blob[pos] != 0x69 or struct.unpack_from(e + "i", blob, pos + 1)[0] != 3:
                raise ValueError("unexpected multipolygon entity")
            rings, pos = polygon(pos + 5)
            out.append(rings)
        return out
    raise ValueError(f"geometry class {cls} (compressed?) is not read here")


def read_layer(db, name, expected, kind):
    """Project fid of each feature (by its XH) and a check that the stored coordinates are the written ones."""
    row = db.execute("SELECT table_name, feature_count, repaired_count, rejected_count, code_system, code_field "
                     "FROM layer_catalog WHERE name = ?", (name,)).fetchone()
    if not row:
        fail(f"layer {name} not in layer_catalog: {db.execute('SELECT name FROM layer_catalog').fetchall()}")
    table, count, repaired, rejected, code_system, code_field = row
    if count != len(expected) or repaired or rejected:
        fail(f"layer {name}: {count} features, {repaired} repaired, {rejected} rejected; wrote {len(expected)}")
    cols = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
    xh = next(c for c in cols if c.lower() == "xh")
    fid_of = [None] * len(expected)
    sequential = True
    altered = []
    for fid, source_fid, n, blob in db.execute(f'SELECT fid, source_fid, "{xh}", geom FROM "{table}" ORDER BY fid'):
        k = int(n) - 1
        fid_of[k] = fid
        sequential &= fid == k + 1
        try:
            stored = parse_spatialite(blob)
        except ValueError as e:
            altered.append(f"fid {fid}: {e}")
            continue
        if kind == "point":
            ok = stored == [tuple(expected[k])]
        else:
            ok = len(stored) == 1 and len(stored[0]) == len(expected[k]) and all(
                set(s) == set(map(tuple, w)) for s, w in zip(stored[0], expected[k]))
        if not ok:
            altered.append(f"fid {fid} (XH {k + 1}): stored {stored} != written {expected[k]}")
    if None in fid_of:
        fail(f"layer {name}: features missing from the project table")
    print(f"  layer {name}: {count} features, fid = file order: {'yes' if sequential else 'NO'}, "
          f"stored coordinates identical: {'yes' if not altered else 'NO'}"
          + (f", code system {code_system}, code field {code_field}" if code_field else ""))
    for a in altered[:5]:
        print("    " + a)
    return fid_of, altered, code_system


# ---------------------------------------------------------------------------------------------

def run_project(cli, work, data, project, ledger, points):
    """Builds a project, checks it; returns (fid maps, engine findings by enterprise name)."""
    run_cli(cli, work, "new", project)
    run_cli(cli, work, "import", project, "dltb.geojson", "--role", "landuse", "--name", "dltb",
            "--code-field", "DLBM", "--code-system", "sandiao")
    run_cli(cli, work, "import", project, "zones.geojson", "--role", "farmland", "--name", "zones")
    run_cli(cli, work, "import", project, "sites.geojson", "--role", "sensitive", "--name", "sites")
    out = run_cli(cli, work, "ledger", "import", project, ledger)
    with open(os.path.join(work, project + ".ledger-import.txt"), "w", encoding="utf-8") as f:
        f.write(out)
    result = project + ".json"
    run_cli(cli, work, "check", project, "--rules", "rules.toml", "--format", "json", "--out", result)

    # The project file: fids by XH, stored coordinates, the ledger's points.
    db = sqlite3.connect(os.path.join(work, project))
    print(f"project file {project}:")
    poly_fid, poly_alt, code_system = read_layer(db, "dltb", [p["rings"] for p in data.polys], "polygon")
    zone_fid, zone_alt, _ = read_layer(db, "zones", [z["rings"] for z in data.zones], "polygon")
    site_fid, site_alt, _ = read_layer(db, "sites", data.sites, "point")
    if code_system != "sandiao":
        fail(f"layer dltb has code system {code_system!r}, not sandiao")
    by_name = {name: (x, y) for name, x, y, _ in points}
    stored_pts = {}
    for name, blob in db.execute("SELECT name, geom FROM enterprise"):
        stored_pts[name] = parse_spatialite(blob)[0] if blob else None
    db.close()
    moved = [(n, by_name[n], stored_pts.get(n)) for n in by_name if stored_pts.get(n) != by_name[n]]
    print(f"  ledger: {len(stored_pts)} enterprises of {len(points)} written, "
          f"{len(points) - len(moved)} stored at exactly the written coordinates")
    for n, w, st in moved[:10]:
        print(f"    {n}: written {w!r}, stored {st!r}")
    if len(stored_pts) != len(points):
        fail(f"not every ledger row was imported (see {project}.ledger-import.txt)")
    if poly_alt or zone_alt or site_alt or moved:
        print("NOTE: the project stores coordinates that differ from the written ones (see above); "
              "disagreements may come from the import, not the check")

    with open(os.path.join(work, result), encoding="utf-8") as f:
        verdicts = json.load(f)
    engine = {}
    for v in verdicts:
        if v["name"] in engine:
            fail(f"enterprise {v['name']} appears twice in {result}")
        got = {}
        for fd in v["findings"]:
            if fd["rule"] in got:
                fail(f"{v['name']}: two findings of rule {fd['rule']}")
            got[fd["rule"]] = fd
        engine[v["name"]] = got
    if set(engine) != set(by_name):
        fail(f"{result} names {len(engine)} enterprises, the ledger {len(by_name)}")
    return (poly_fid, zone_fid, site_fid), engine


def references(geo, data, fids):
    """Per enterprise: Shapely's and the exact answers, as project fids, and the patches it touches."""
    poly_fid, zone_fid, site_fid = fids
    fid = lambda fids, k: None if k is None else fids[k]
    ref = {}
    for name, x, y, kind in data.points:
        site, d = geo.shapely_nearest(site_fid, x, y)
        ref[name] = {
            "patch": fid(poly_fid, geo.shapely_first(geo.poly_index, geo.poly_shp, poly_fid, x, y)),
            "zone": fid(zone_fid, geo.shapely_first(geo.zone_index, geo.zone_shp, zone_fid, x, y)),
            "site": fid(site_fid, site), "distance": d,
            "exact_patch": fid(poly_fid, geo.exact_first(geo.poly_index, geo.poly_exact, poly_fid, x, y)),
            "exact_zone": fid(zone_fid, geo.exact_first(geo.zone_index, geo.zone_exact, zone_fid, x, y)),
            "exact_site": fid(site_fid, geo.exact_nearest(site_fid, x, y)),
            "touching": sorted((poly_fid[k], rel) for k, rel in geo.exact_patches(x, y)),
        }
    return ref


KINDS = ["interior", "edge", "vertex", "near_edge", "outside", "hole", "zone_boundary",
         "site_tie", "site_limit", "site_at", "site_random"]


def compare(title, points, engine, ref):
    """Prints the summary table and the first disagreements; returns the number of disagreements."""
    kinds = {}
    disagreements = []
    for name, x, y, kind in points:
        st = kinds.setdefault(kind, {"n": 0, "in_patch": 0, "multi_patch": 0, "in_zone": 0, "near_site": 0, "ok": 0})
        r, e = ref[name], engine[name]
        st["n"] += 1
        st["in_patch"] += r["patch"] is not None
        st["multi_patch"] += len(r["touching"]) > 1
        st["in_zone"] += r["zone"] is not None
        st["near_site"] += r["site"] is not None
        got_patch = e["land_class_any"]["feature_id"] if "land_class_any" in e else None
        got_zone = e["farmland_zone"]["feature_id"] if "farmland_zone" in e else None
        got_site = e["near_site"]["feature_id"] if "near_site" in e else None
        got_d = e["near_site"]["measure"] if "near_site" in e else None
        problems = []
        if got_patch != r["patch"]:
            touching = ", ".join(f"fid {f} {rel}" for f, rel in r["touching"]) or "none"
            problems.append(f"patch: engine {got_patch}, shapely {r['patch']} (exact: {touching})")
        if got_zone != r["zone"]:
            problems.append(f"zone: engine {got_zone}, shapely {r['zone']}")
        if got_site != r["site"]:
            problems.append(f"site: engine {got_site} at {got_d!r} m, shapely {r['site']} at {r['distance']!r} m")
        elif got_site is not None and abs(got_d - r["distance"]) > 1e-6:
            problems.append(f"site {got_site}: engine distance {got_d!r} m, shapely {r['distance']!r} m")
        if problems:
            disagreements.append((name, x, y, kind, problems))
        else:
            st["ok"] += 1
    print()
    print(title)
    print(f"{'kind':<14}{'points':>7}{'in patch':>10}{'on ≥2':>7}{'in zone':>9}{'site≤150':>10}{'agree':>7}")
    n = ok = 0
    for kind in KINDS:
        st = kinds.get(kind)
        if not st:
            continue
        n += st["n"]
        ok += st["ok"]
        print(f"{kind:<14}{st['n']:>7}{st['in_patch']:>10}{st['multi_patch']:>7}{st['in_zone']:>9}"
              f"{st['near_site']:>10}{st['ok']:>7}")
    print(f"{'total':<14}{n:>7}{'':>43}{ok:>7}")
    if disagreements:
        print(f"{len(disagreements)} enterprises where the engine and Shapely disagree; the first 10:")
        for name, x, y, kind, problems in disagreements[:10]:
            print(f"  {name} {kind} at ({x!r}, {y!r}): " + "; ".join(problems))
    return len(disagreements)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path of qingling-cli")
    ap.add_argument("--work", required=True, help="work folder (emptied first)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    log(f"Shapely {shapely.__version__}, seed {args.seed}, work folder {work}")

    rng = random.Random(args.seed)
    data = Data(rng)
    data.build_tessellation()
    data.build_zones()
    data.build_sites()
    geo = Geometry(data)
    data.build_points(geo)
    write_files(data, work)
    log(f"generated {len(data.polys)} patches ({sum(len(p['rings']) > 1 for p in data.polys)} with a hole, "
        f"{sum(bool(p.get('island')) for p in data.polys)} islands), {len(data.zones)} zones, "
        f"{len(data.sites)} sites, {len(data.points)} enterprises")

    # Run 1: the whole ledger.
    fids, engine = run_project(cli, work, data, "P.qingling", "ledger.csv", data.points)
    log("computing the references")
    ref = references(geo, data, fids)
    log("references done")
    failures = compare("Run 1: all enterprises", data.points, engine, ref)

    # Runs 2 and 3: small ledgers. The engine reads a layer with more than 8 times as many features
    # as there are enterprises through SpatiaLite's R-tree (float envelopes, grown by the proximity
    # distance for sites) instead of whole (src/core/conformity.cpp): run 2 takes that path for the
    # patches, run 3 (6 enterprises, 50 sites) also for the sites.
    def pick(wanted, keep=lambda p: True):
        out = []
        for p in data.points:
            if wanted.get(p[3], 0) > 0 and keep(p):
                wanted[p[3]] -= 1
                out.append(p)
        return out

    small = pick({"edge": 70, "vertex": 50, "near_edge": 15, "zone_boundary": 15, "interior": 10, "hole": 10,
                  "site_limit": 10})
    site_at = {f: data.sites[k] for k, f in enumerate(fids[2])}
    axis_parallel = lambda p: ref[p[0]]["site"] is not None and (p[1] == site_at[ref[p[0]]["site"]][0] or
                                                                  p[2] == site_at[ref[p[0]]["site"]][1])
    # exactly at the limit, due north/south/east/west of the site: on the edge of the grown box
    tiny = pick({"site_limit": 5, "site_tie": 1},
                lambda p: p[3] == "site_tie" or (ref[p[0]]["distance"] == LIMIT and axis_parallel(p)))
    for n, (title, project, points) in enumerate([
            (f"Run 2: {len(small)} enterprises, {len(data.polys)} patches (patches read through the R-tree)",
             "P-small.qingling", small),
            (f"Run 3: {len(tiny)} enterprises at exactly {LIMIT:g} m or a tie, {len(data.sites)} sites "
             "(sites read through the R-tree too)", "P-tiny.qingling", tiny)]):
        ledger = f"ledger-{n + 2}.csv"
        write_ledger(os.path.join(work, ledger), points)
        fids_n, engine_n = run_project(cli, work, data, project, ledger, points)
        if fids_n != fids:
            fail(f"{project} numbers the features differently from P.qingling")
        failures += compare(title, points, engine_n, ref)

    referee = []
    for name, x, y, kind in data.points:
        r = ref[name]
        for what in ("patch", "zone", "site"):
            if r[what] != r["exact_" + what]:
                referee.append(f"{name} ({x!r}, {y!r}) {kind}: {what} shapely {r[what]}, exact {r['exact_' + what]}")
    print()
    print(f"Shapely vs exact rational arithmetic: {len(referee)} differences")
    for line in referee[:10]:
        print("  " + line)
    if failures:
        log("FAILED: the engine and Shapely disagree")
        return 1
    if referee:
        log("FAILED: Shapely and exact arithmetic differ (the engine agrees with Shapely)")
        return 1
    log("every enterprise agrees (land class patch, farmland zone, nearest site and distance)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
