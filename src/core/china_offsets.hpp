// Conversion between WGS-84 and the Chinese web-map offset systems GCJ-02 (Amap/高德, Tencent,
// the Chinese Google tiles) and BD-09 (Baidu). These are deliberate, non-geodetic distortions of
// WGS-84 mandated for published maps; PROJ does not model them, so they live here.
//
// All coordinates are degrees, longitude first. The forward directions use the widely published
// formulas; the inverses iterate on the forward function, giving a round trip far below 1 m (the
// commonly copied one-step inverse is only good to about 4 m).
#pragma once

namespace qingling {

struct LonLat {
    double lon;
    double lat;
};

// The rough bounding box inside which the GCJ-02 offset is applied (lon 72.004..137.8347,
// lat 0.8293..55.8271, inclusive). Outside it GCJ-02 equals WGS-84. It is a box, not the border:
// parts of neighbouring countries are inside, which is what the map providers do as well.
bool inside_china_offset_area(LonLat p);

LonLat wgs84_to_gcj02(LonLat wgs);
LonLat gcj02_to_wgs84(LonLat gcj);

// BD-09 is a further offset of GCJ-02, applied everywhere (no bounding box).
LonLat gcj02_to_bd09(LonLat gcj);
LonLat bd09_to_gcj02(LonLat bd);

LonLat wgs84_to_bd09(LonLat wgs);
LonLat bd09_to_wgs84(LonLat bd);

} // namespace qingling
