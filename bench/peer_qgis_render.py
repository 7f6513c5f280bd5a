#!/usr/bin/python3
"""QGIS peer of bench/viewer_bench.sh: renders a land-use layer to an image the size of the
viewer's map, at the same views, with the same look (fill by land-class group, the first two
characters of DLBM; outlines only when patches are at least 10 pixels across, as the viewer does),
and prints the median render time of each view.

    peer_qgis_render.py FILE LAYER WIDTH_PX HEIGHT_PX RUNS VIEW...    VIEW = centre_x,centre_y,width_m

Needs Debian's python3-qgis (QGIS 3.22); runs offscreen (QT_QPA_PLATFORM=offscreen).
"""
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsMapRendererSequentialJob,
                       QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle, QgsRendererCategory, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

# The viewer's 三调 land-class group colours (src/app/style.cpp).
COLOURS = {"00": "#7CC7BE", "01": "#F5E35A", "02": "#C8DC6E", "03": "#5FA85A", "04": "#A8D88A", "05": "#EE8C9A",
           "06": "#96648C", "07": "#EB7850", "08": "#DCA0C8", "09": "#A08C6E", "10": "#A5A5A5", "11": "#6EAAE6",
           "12": "#D7CDB9"}


def main():
    path, layer_name, width, height, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    views = [tuple(float(v) for v in arg.split(",")) for arg in sys.argv[6:]]
    app = QgsApplication([], False)
    app.initQgis()
    start = time.perf_counter()
    layer = QgsVectorLayer(f"{path}|layername={layer_name}", layer_name, "ogr")
    if not layer.isValid():
        sys.exit(f"QGIS cannot open {path} layer {layer_name}")
    opened = time.perf_counter() - start
    n = layer.featureCount()
    extent = layer.extent()
    typical = (extent.width() * extent.height() / max(n, 1)) ** 0.5
    print(f"qgis open {opened:.3f} s, {n} features")
    for cx, cy, w in views:
        outlined = typical / (w / width) >= 10
        categories = []
        for code, colour in COLOURS.items():
            props = {"color": colour, "outline_style": "solid" if outlined else "no",
                     "outline_color": "#5a5a5a", "outline_width": "0.1", "outline_width_unit": "Pixel"}
            categories.append(QgsRendererCategory(code, QgsFillSymbol.createSimple(props), code))
        layer.setRenderer(QgsCategorizedSymbolRenderer('left("DLBM", 2)', categories))
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setOutputSize(QSize(width, height))
        settings.setBackgroundColor(QColor("#f4f2ee"))
        h = w * height / width
        settings.setExtent(QgsRectangle(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        times = []
        for _ in range(runs):
            job = QgsMapRendererParallelJob(settings)
            t = time.perf_counter()
            job.start()
            job.waitForFinished()
            times.append(time.perf_counter() - t)
        print(f"qgis view {w:.0f} m: median {statistics.median(times) * 1000:.1f} ms (runs: "
              + ", ".join(f"{x * 1000:.0f}" for x in times) + ")", flush=True)
    # QGIS 3.22's exitQgis() crashes in this offscreen setup after the renders; nothing is left to save.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
