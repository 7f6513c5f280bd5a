#!/usr/bin/python3
"""Peer for bench/check_bench.sh: GeoPandas point-in-polygon join of the enterprises to DLTB.

    /usr/bin/python3 bench/peer_geopandas.py LANDUSE.gpkg ENTERPRISES.csv [--pairs OUT.txt]

Reads the land-use layer (DLTB) of the GeoPackage and the enterprise CSV (名称, 经度, 纬度, 行业;
lon/lat in EPSG:4490), projects the points to the layer's CRS (EPSG:4547) with to_crs, and runs
geopandas.sjoin(points, polygons, predicate="within"): for every point, the patch it lies in.
Debian 12 packages: python3-geopandas (0.12, shapely 1.8, rtree as the spatial index).

Prints, one per line, `key value`:
  read_s   reading both files and projecting the points (the imports of the modules are not in it)
  join_s   sjoin alone (it builds the spatial index of the polygons, then tests the candidates)
  total_s  read_s + join_s
  points, matched   points read, points that lie in a patch
With --pairs, writes `point patch` lines (point = 1-based CSV data row, patch = BSM, which the
generator makes equal to the GeoPackage fid), sorted by point, for the count and pair comparison.
"""
import argparse
import sys
import time

import geopandas
import pandas


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("landuse")
    ap.add_argument("enterprises")
    ap.add_argument("--layer", default="DLTB")
    ap.add_argument("--pairs")
    a = ap.parse_args()

    t0 = time.perf_counter()
    polygons = geopandas.read_file(a.landuse, layer=a.layer)
    table = pandas.read_csv(a.enterprises, encoding="utf-8")
    points = geopandas.GeoDataFrame(
        {"point": range(1, len(table) + 1)},
        geometry=geopandas.points_from_xy(table["经度"], table["纬度"]),
        crs="EPSG:4490",
    ).to_crs(polygons.crs)
    t1 = time.perf_counter()
    joined = geopandas.sjoin(points, polygons[["BSM", "geometry"]], how="inner", predicate="within")
    t2 = time.perf_counter()

    print(f"read_s {t1 - t0:.3f}")
    print(f"join_s {t2 - t1:.3f}")
    print(f"total_s {t2 - t0:.3f}")
    print(f"points {len(points)}")
    print(f"matched {joined['point'].nunique()}")
    if a.pairs:
        pairs = joined[["point", "BSM"]].sort_values(["point", "BSM"])
        pairs.to_csv(a.pairs, sep=" ", header=False, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
