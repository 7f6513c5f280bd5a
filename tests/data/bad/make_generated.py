#!/usr/bin/env python3
"""Writes the generated files of this corpus (see README.md). Run from this folder; needs ogr2ogr
only for the truncated shapefile. The files are committed: this script documents how they were made."""
import os
import shutil
import subprocess
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
gen = os.path.join(here, "generated")
shutil.rmtree(gen, ignore_errors=True)
os.makedirs(gen)


def write(name, data, mode="w", encoding="utf-8"):
    with open(os.path.join(gen, name), mode, **({} if "b" in mode else {"encoding": encoding, "newline": ""})) as f:
        f.write(data)


def feature_collection(features, crs=None):
    import json
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc, ensure_ascii=False)


def polygon(ring, props=None):
    return {"type": "Feature", "properties": props or {"MC": "地块"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


# Layers ----------------------------------------------------------------------------------------
square = [[114.30, 30.60], [114.31, 30.60], [114.31, 30.61], [114.30, 30.61], [114.30, 30.60]]
write("empty-collection.geojson", feature_collection([], "urn:ogc:def:crs:OGC:1.3:CRS84"))
write("empty-file.geojson", "")
write("not-json.geojson", "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": \"Feature\", ")
write("huge-coordinates.geojson", feature_collection([
    polygon(square, {"MC": "正常地块"}),
    polygon([[1e300, 1e300], [2e300, 1e300], [2e300, 2e300], [1e300, 1e300]], {"MC": "巨大坐标"})],
    "urn:ogc:def:crs:OGC:1.3:CRS84"))
# GeoJSON has no NaN: a CSV with WKT geometry does.
write("nan-coordinates.csv", "WKT,MC\n\"POLYGON ((114.30 30.60,114.31 30.60,114.31 30.61,114.30 30.60))\",正常\n"
      "\"POLYGON ((nan nan,114.31 30.60,114.31 30.61,nan nan))\",非数\n")
write("self-intersecting.geojson", feature_collection([
    polygon([[114.30, 30.60], [114.31, 30.61], [114.31, 30.60], [114.30, 30.61], [114.30, 30.60]], {"MC": "蝴蝶结"})],
    "urn:ogc:def:crs:OGC:1.3:CRS84"))
# Says EPSG:4490 (degrees) but holds Gauss-Krüger metres of zone 38 (a frequent mix-up).
write("mislabelled-crs.geojson", feature_collection([
    polygon([[529248.2, 3387221.9], [529348.2, 3387221.9], [529348.2, 3387321.9], [529248.2, 3387321.9],
             [529248.2, 3387221.9]], {"MC": "米制坐标"})], "EPSG:4490"))
write("only-null-geometries.geojson", "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4490\"}},"
      "\"features\":[{\"type\":\"Feature\",\"properties\":{\"MC\":\"无图形\"},\"geometry\":null}]}")
# A valid shapefile cut in the middle of its .shp.
src = os.path.join(gen, "full")
subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", src,
                os.path.join(here, "..", "layers", "planning_yongdi.geojson")], check=True, capture_output=True)
base = [f for f in os.listdir(src) if f.endswith(".shp")][0][:-4]
for ext in ("shp", "shx", "dbf", "prj", "cpg"):
    p = os.path.join(src, base + "." + ext)
    if os.path.exists(p):
        data = open(p, "rb").read()
        if ext == "shp":
            data = data[: len(data) // 2 + 7]
        write("truncated." + ext, data, "wb")
shutil.rmtree(src)

# Ledgers ---------------------------------------------------------------------------------------
header = "企业名称,统一社会信用代码,所在村,行业,经度,纬度\n"
rows = ["甲砖厂,,东湖村,砖瓦,114.305,30.605\n", "乙家具厂,,西山村,家具,114.306,30.606\n"]
write("ledger-empty.csv", "")
write("ledger-header-only.csv", header)
write("ledger-no-name-column.csv", "经度,纬度,备注\n114.305,30.605,无名称列\n")
# Neither UTF-8 nor GBK: Shift-JIS bytes of Japanese text.
write("ledger-shift-jis.csv", ("企業名称,経度,緯度\n株式会社テスト,114.305,30.605\n").encode("shift_jis"), "wb")
# One row in UTF-8, the next in GBK: the file is neither.
write("ledger-mixed-encodings.csv", (header + rows[0]).encode("utf-8") + rows[1].encode("gbk"), "wb")
write("ledger-nan-coordinates.csv", header + "甲砖厂,,东湖村,砖瓦,nan,nan\n" + "乙家具厂,,西山村,家具,inf,-inf\n" + rows[0].replace("甲", "丙"))
write("ledger-huge-coordinates.csv", header + "甲砖厂,,东湖村,砖瓦,1e300,1e300\n" + rows[1])
write("ledger-binary.csv", bytes(range(256)) * 8, "wb")


# XLSX with a two-row header whose first row has merged cells (企业信息 over 名称/代码, 坐标 over 经度/纬度).
def xlsx(name, cells, merges):
    def col(i):
        return chr(ord("A") + i)
    sheet_rows = []
    for r, row in enumerate(cells, 1):
        cs = "".join(f'<c r="{col(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' if isinstance(v, str)
                     else f'<c r="{col(c)}{r}"><v>{v}</v></c>' for c, v in enumerate(row) if v is not None)
        sheet_rows.append(f'<row r="{r}">{cs}</row>')
    merge_xml = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(sheet_rows) + "</sheetData>" + merge_xml + "</worksheet>",
    }
    with zipfile.ZipFile(os.path.join(gen, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n in sorted(files):
            z.writestr(zipfile.ZipInfo(n, (2024, 1, 1, 0, 0, 0)), files[n])


xlsx("ledger-merged-header.xlsx",
     [["企业信息", None, "坐标", None], ["企业名称", "所在村", "经度", "纬度"],
      ["甲砖厂", "东湖村", 114.305, 30.605], ["乙家具厂", "西山村", 114.306, 30.606]],
     ["A1:B1", "C1:D1"])
write("ledger-not-xlsx.xlsx", b"PK\x03\x04 this is not really a zip", "wb")
