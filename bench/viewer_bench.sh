#!/usr/bin/env bash
# Viewer speed (issue 4): opening a campaign with a big DLTB and drawing it, side by side with QGIS
# rendering the same layer to an image of the same size, on the same machine, at three views.
#
#   bench/viewer_bench.sh [POLYGONS]      default 500000 (the file bench/import_bench.sh makes)
#
# Environment:
#   BUILD   build directory with src/app/qingling, src/cli/qingling-cli, bench/qingling-bench-gen and
#           bench/qingling-bench-ogr-read (Release, viewer on; the script builds nothing):
#             cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
#             cmake --build build-bench -j2 --target qingling qingling-cli qingling-bench-gen qingling-bench-ogr-read
#   RUNS    opening runs (median reported) and, times 5, frames per view (default 3)
#   SEED    generator seed (default 20240501)
# Needs: xvfb-run (the viewer draws with Mesa llvmpipe under Xvfb) and, for the peer, Debian's
# python3-qgis (apt-get install python3-qgis qgis-providers; not in third_party's list: only this
# benchmark uses it). Without it the QGIS columns say "not installed".
#
# Data: bench/out/landuse_N.gpkg (common.sh county_data: generated once, shared with check_bench.sh)
# imported once into bench/out/viewer_N.qingling (qingling-cli new + import --role landuse).
#
# Measured:
#   OGR read      qingling-bench-ogr-read: every feature of the campaign file's DLTB with its WKB
#                 (the reference of the target "opens in under 2x the plain OGR read").
#   open          the viewer's `timings` step: reading the project (SQLite on one thread, WKB
#                 decoding on the other) + the first view's band and its GPU buffers, until the
#                 map can be drawn; then "all bands ready": the level-of-detail bands, built on a
#                 worker while the window is live, uploaded.
#   frame         the viewer's `frames` step: the map alone drawn RUNS*5 times, each waiting for
#                 the GPU (glFinish); median. Views: the whole layer, 10 km and 2 km wide, centred.
#                 Three kinds: a new view (the layers drawn whole, as after a zoom), the same view
#                 (the layers' image of the last frame copied) and a pan of 10 px a frame (the
#                 image shifted, the strip that came into view drawn); see app/map_image_plan.hpp.
#   QGIS          bench/peer_qgis_render.py: QgsMapRendererParallelJob into an image of the viewer
#                 map's size at the same three views, same fill colours, outlines only where the
#                 viewer draws them; median of RUNS renders.
# Output: a table on stdout, also in bench/out/viewer_results_N.txt.
set -euo pipefail

N="${1:-500000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-20240501}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
viewer="$build/src/app/qingling"
reader="$build/bench/qingling-bench-ogr-read"
for tool in "$viewer" "$cli" "$gen" "$reader"; do
  [[ -x "$tool" ]] || { echo "missing $tool; build it first (see the top of $0), or set BUILD" >&2; exit 2; }
done
command -v xvfb-run > /dev/null || { echo "xvfb-run missing (apt-get install xvfb xauth)" >&2; exit 2; }
county_data "$N" 50000
gpkg="$landuse"
project="$out/viewer_$N.qingling"
if [[ ! -f "$project" ]]; then
  "$cli" new "$project" --name "viewer bench $N" > /dev/null
  "$cli" import "$project" "$gpkg" --role landuse --name DLTB > /dev/null
fi
table=$(/usr/bin/python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT table_name FROM layer_catalog WHERE name = 'DLTB'\").fetchone()[0])" "$project")
read -r minx miny maxx maxy < <(ogrinfo -so "$project" "$table" |
  sed -n 's/^Extent: (\([0-9.]*\), \([0-9.]*\)) - (\([0-9.]*\), \([0-9.]*\))/\1 \2 \3 \4/p')
cx=$(python3 -c "print(($minx + $maxx) / 2)")
cy=$(python3 -c "print(($miny + $maxy) / 2)")
full=$(python3 -c "print(round(max($maxx - $minx, $maxy - $miny) * 1.05))")
frames=$((RUNS * 5))

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "OGR read ($RUNS runs) ..." >&2
ogr=$(for _ in $(seq "$RUNS"); do "$reader" "$project" "$table" | cut -d' ' -f1; done | median)

script="$out/viewer_bench.script"
{
  echo timings
  for w in "$full" 10000 2000; do echo "center $cx,$cy"; echo "width $w"; echo "frames $frames"; done
} > "$script"
echo "viewer ($RUNS runs) ..." >&2
runs_out="$out/viewer_runs_$N.txt"
: > "$runs_out"
for _ in $(seq "$RUNS"); do
  xvfb-run -a -s "-screen 0 1920x1080x24" "$viewer" "$project" --size 1920x1080 --script "$script" >> "$runs_out"
done
open_read=$(sed -n 's/^打开项目: 读取 \([0-9.e-]*\) s, 上传显卡 .*/\1/p' "$runs_out" | median)
open_upload=$(sed -n 's/^打开项目: .*上传显卡 \([0-9.e-]*\) s.*/\1/p' "$runs_out" | median)
open_bands=$(sed -n 's/^打开项目: .*全部细节 \([0-9.e-]*\) s.*/\1/p' "$runs_out" | median)
map_px=$(sed -n 's/^绘制 [0-9]* 帧 (\([0-9]*x[0-9]*\) 像素.*/\1/p' "$runs_out" | head -1)
frame_ms() { sed -n "s/^绘制 [0-9]* 帧 ([0-9x]* 像素, 视野宽 $1 m): 中位 \([0-9.e-]*\) ms.*/\1/p" "$runs_out" | median; }
tris() { sed -n "s/^绘制 [0-9]* 帧 ([0-9x]* 像素, 视野宽 $1 m).*三角形 \([0-9]*\),.*/\1/p" "$runs_out" | head -1; }
cpu_ms() { sed -n "s/^绘制 [0-9]* 帧 ([0-9x]* 像素, 视野宽 $1 m).*CPU 中位 \([0-9.e-]*\) ms.*/\1/p" "$runs_out" | median; }
complete_ms() { sed -n "s/^绘制 [0-9]* 帧 ([0-9x]* 像素, 视野宽 $1 m).*首次完整 \([0-9.e-]*\) ms.*/\1/p" "$runs_out" | median; }
same_ms() { sed -n "s/^绘制 [0-9]* 帧 ([0-9x]* 像素, 视野宽 $1 m).*同一视图 \([0-9.e-]*\) ms.*/\1/p" "$runs_out" | median; }
pan_ms() { sed -n "s/^绘制 [0-9]* 帧 ([0-9x]* 像素, 视野宽 $1 m).*平移 10 像素 \([0-9.e-]*\) ms.*/\1/p" "$runs_out" | median; }

qgis_ms() { echo "not installed"; }
if /usr/bin/python3 -c "import qgis.core" 2> /dev/null; then
  echo "QGIS ($RUNS runs per view) ..." >&2
  qgis_out="$out/viewer_qgis_$N.txt"
  /usr/bin/python3 "$here/peer_qgis_render.py" "$project" "$table" "${map_px%x*}" "${map_px#*x}" "$RUNS" \
    "$cx,$cy,$full" "$cx,$cy,10000" "$cx,$cy,2000" > "$qgis_out" 2> "$out/viewer_qgis_$N.log"
  qgis_ms() { sed -n "s/^qgis view $1 m: median \([0-9.]*\) ms.*/\1/p" "$qgis_out"; }
fi

results="$out/viewer_results_$N.txt"
{
  echo "Viewer, $N-polygon DLTB, map ${map_px} px, Xvfb + llvmpipe, $(nproc) cores, $(date -u +%F)"
  printf '%-28s %12s\n' "OGR read (s)" "$ogr"
  printf '%-28s %12s  (read %s + first view band and GPU %s)\n' "viewer open (s)" \
    "$(python3 -c "print(round($open_read + $open_upload, 3))")" "$open_read" "$open_upload"
  printf '%-28s %12s  (every band built on the worker and uploaded, window live meanwhile)\n' "all bands ready (s)" "$open_bands"
  printf '%-28s %12s  (target < 2)\n' "open / OGR read" "$(python3 -c "print(round(($open_read + $open_upload) / $ogr, 2))")"
  printf '%-12s %10s %10s %10s %10s %10s %9s %9s %9s %11s %11s\n' "view" "new view" "CPU" "same view" "pan 10px" "QGIS" \
    "QGIS/new" "QGIS/same" "QGIS/pan" "triangles" "complete"
  for w in "$full" 10000 2000; do
    v=$(frame_ms "$w"); q=$(qgis_ms "$w"); sv=$(same_ms "$w"); pv=$(pan_ms "$w")
    ratio() { python3 -c "print(round(float('$q') / $1, 1))" 2> /dev/null || echo "-"; }
    printf '%-12s %10s %10s %10s %10s %10s %9s %9s %9s %11s %11s\n' "$w m" "$v" "$(cpu_ms "$w")" "$sv" "$pv" "$q" \
      "$(ratio "$v")" "$(ratio "$sv")" "$(ratio "$pv")" "$(tris "$w")" "$(complete_ms "$w")"
  done
  echo "(ms, medians; new view: the layers drawn whole, as after a zoom; same view: the image of the last"
  echo " frame copied, as while the mouse moves over panels; pan: a drag of 10 px a frame, the image shifted"
  echo " and the strip that came into view drawn; complete: a new view's first frame until every tile in it"
  echo " is triangulated)"
  echo "(target: every frame at least 5x faster than QGIS; load average during the run: $(cut -d' ' -f1-3 /proc/loadavg))"
} | tee "$results"
