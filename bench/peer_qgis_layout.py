#!/usr/bin/python3
# The QGIS peer of bench/map_bench.sh: a comparable print layout exported by QGIS 3.22 (PyQGIS,
# Debian python3-qgis): A3 landscape, the land-use layer coloured by land-class group (first two
# characters of DLBM, categorized renderer), the zone layers as outlines, the enterprises as
# points, title, legend, scale bar, north arrow; exported as PNG at DPI and as PDF.
#
#   QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/peer_qgis_layout.py LANDUSE.gpkg ZONES.gpkg ENTERPRISES.csv OUT.png|OUT.pdf [DPI]
#
# Prints the seconds of the export alone (layout built and layers opened beforehand) on stdout.
import sys
import time

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsLayoutExporter,
                       QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemPicture,
                       QgsLayoutItemScaleBar, QgsLayoutPoint, QgsLayoutSize, QgsMarkerSymbol, QgsPrintLayout,
                       QgsProject, QgsRectangle, QgsRendererCategory, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QUrl, QUrlQuery
from qgis.PyQt.QtGui import QFont

landuse_path, zones_path, csv_path, out = sys.argv[1:5]
dpi = int(sys.argv[5]) if len(sys.argv) > 5 else 300

app = QgsApplication([], False)
app.initQgis()
project = QgsProject.instance()

landuse = QgsVectorLayer(f"{landuse_path}|layername=DLTB", "三调地类图斑", "ogr")
assert landuse.isValid(), landuse_path
groups = {"01": "#F5E35A", "02": "#C8DC6E", "03": "#5FA85A", "04": "#A8D88A", "05": "#EE8C9A", "06": "#96648C",
          "07": "#EB7850", "08": "#DCA0C8", "09": "#A08C6E", "10": "#A5A5A5", "11": "#6EAAE6", "12": "#D7CDB9",
          "00": "#7CC7BE"}
categories = []
for code, colour in groups.items():
    symbol = QgsFillSymbol.createSimple({"color": colour, "outline_color": "255,255,255,110", "outline_width": "0.09"})
    categories.append(QgsRendererCategory(code, symbol, code))
landuse.setRenderer(QgsCategorizedSymbolRenderer('left("DLBM", 2)', categories))
project.addMapLayer(landuse)
project.setCrs(landuse.crs())
drawn = [landuse]
for layer_name, colour in [("YJJBNTTB", "#A08000"), ("STBHHX", "#0B7A3E"), ("SYBHQ", "#0A50B4"), ("GYYQ", "#6A2C91"),
                           ("CZKFBJ", "#C0185A")]:
    zone = QgsVectorLayer(f"{zones_path}|layername={layer_name}", layer_name, "ogr")
    if zone.isValid():
        zone.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": colour,
                                                              "outline_width": "0.5"}))
        project.addMapLayer(zone)
        drawn.insert(0, zone)
url = QUrl.fromLocalFile(csv_path)
query = QUrlQuery()
for key, value in [("delimiter", ","), ("xField", "经度"), ("yField", "纬度"), ("crs", "EPSG:4490")]:
    query.addQueryItem(key, value)
url.setQuery(query)
points = QgsVectorLayer(url.toString(QUrl.FullyEncoded), "企业", "delimitedtext")
assert points.isValid(), csv_path
if points.isValid():
    points.renderer().setSymbol(QgsMarkerSymbol.createSimple({"color": "#E02020", "size": "1.6", "outline_color": "white"}))
    project.addMapLayer(points)
    drawn.insert(0, points)

layout = QgsPrintLayout(project)
layout.initializeDefaults()
layout.pageCollection().page(0).setPageSize("A3", 1)  # landscape
title = QgsLayoutItemLabel(layout)
title.setText("示例县“散乱污”企业分布图")
title.setFont(QFont("WenQuanYi Micro Hei", 26))
layout.addLayoutItem(title)
title.attemptMove(QgsLayoutPoint(15, 8, QgsUnitTypes.LayoutMillimeters))
title.attemptResize(QgsLayoutSize(390, 14, QgsUnitTypes.LayoutMillimeters))
map_item = QgsLayoutItemMap(layout)
layout.addLayoutItem(map_item)
map_item.attemptMove(QgsLayoutPoint(15, 28, QgsUnitTypes.LayoutMillimeters))
map_item.attemptResize(QgsLayoutSize(305, 255, QgsUnitTypes.LayoutMillimeters))
map_item.setCrs(landuse.crs())
map_item.setLayers(drawn)  # top first
map_item.setKeepLayerSet(True)
# The layer's extent widened to the item's shape, so that setExtent keeps the item's size.
e = landuse.extent()
aspect = 305 / 255
cx, cy, w, h = e.center().x(), e.center().y(), e.width(), e.height()
w, h = max(w, h * aspect), max(h, w / aspect)
map_item.setExtent(QgsRectangle(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
map_item.attemptResize(QgsLayoutSize(305, 255, QgsUnitTypes.LayoutMillimeters))
map_item.setFrameEnabled(True)
map_item.grid().setEnabled(True)
map_item.grid().setIntervalX(landuse.extent().width() / 5)
map_item.grid().setIntervalY(landuse.extent().height() / 5)
map_item.grid().setStyle(3)  # frame and annotations only
map_item.grid().setAnnotationEnabled(True)
legend = QgsLayoutItemLegend(layout)
legend.setLinkedMap(map_item)
layout.addLayoutItem(legend)
legend.attemptMove(QgsLayoutPoint(330, 28, QgsUnitTypes.LayoutMillimeters))
scale = QgsLayoutItemScaleBar(layout)
scale.setStyle("Single Box")
scale.setLinkedMap(map_item)
scale.applyDefaultSize()
layout.addLayoutItem(scale)
scale.attemptMove(QgsLayoutPoint(20, 265, QgsUnitTypes.LayoutMillimeters))
arrow = QgsLayoutItemPicture(layout)
arrow.setPicturePath(QgsApplication.defaultThemePath() + "/north_arrows/layout_default_north_arrow.svg")
layout.addLayoutItem(arrow)
arrow.attemptMove(QgsLayoutPoint(300, 30, QgsUnitTypes.LayoutMillimeters))
arrow.attemptResize(QgsLayoutSize(15, 20, QgsUnitTypes.LayoutMillimeters))

exporter = QgsLayoutExporter(layout)
start = time.perf_counter()
if out.endswith(".pdf"):
    settings = QgsLayoutExporter.PdfExportSettings()
    result = exporter.exportToPdf(out, settings)
else:
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = dpi
    result = exporter.exportToImage(out, settings)
elapsed = time.perf_counter() - start
assert result == QgsLayoutExporter.Success, result
print(f"{elapsed:.2f}")
app.exitQgis()
