// Decodes the geometries the project store hands out (WKB, or its stored form; 2D, project CRS)
// into flat vertex arrays the map renderer can upload as they are: polygon rings (closing vertex dropped, outer rings
// counter-clockwise and holes clockwise, so a non-zero winding fill gets holes right), open
// lines and points. No GL here.
#pragma once

#include "app/camera.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qingling::app {

struct VertexRange {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

struct FlatGeometry {
    std::vector<Vec2> vertices;          // every ring and line vertex
    std::vector<VertexRange> rings;      // polygon rings into `vertices`
    std::vector<VertexRange> lines;      // linestrings into `vertices`
    std::vector<Vec2> points;
};

// Appends the geometry to `out`; returns false (leaving `out` as it was) for malformed WKB.
// OGR parses the WKB; (Multi)Point, (Multi)LineString, (Multi)Polygon and GeometryCollection are
// flattened (Z/M ordinates dropped).
bool append_wkb(const unsigned char* wkb, std::size_t size, FlatGeometry& out);
// The same for a geometry from ProjectStore::for_each_stored_feature (read by the store's
// visit_stored_geometry, without WKB).
bool append_stored(const unsigned char* stored, std::size_t size, FlatGeometry& out);

// Twice the signed area of a ring (positive = counter-clockwise with y up).
double ring_signed_area2(const Vec2* v, std::size_t n);

} // namespace qingling::app
