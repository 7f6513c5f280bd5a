// Triangles for the fill of one tile of a layer at one zoom band, so a zoomed-in frame can draw
// each pixel once instead of stencil fans plus a cover quad per style class (issue 4's frame-time
// target). GLU's tessellator (Debian libglu1-mesa) does the work: every ring of a class in the
// tile is one contour, with the non-zero winding rule, which is exactly what stencil-then-cover
// fills (outer rings counter-clockwise, holes clockwise; overlaps of one class fill once).
// No GL context is needed, so tiles are triangulated on a worker thread.
#pragma once

#include "app/fill_lod.hpp"

#include <cstdint>
#include <vector>

namespace qingling::app {

// The rings of one tile at one band, by class: what the worker thread triangulates. Built on the
// caller's thread from the model (cheap: a tile has about kFeaturesPerTile features), so the
// worker never reads the model.
struct TileRings {
    std::vector<Float2> vertices;           // relative to the model's origin, not yet snapped
    std::vector<std::uint32_t> ring_ends;   // one past each ring's last vertex
    std::vector<std::uint32_t> class_ends;  // one past each class's last ring (one per class)
    std::vector<float> significance;        // of each vertex (arc_significance); empty: none
    std::vector<double> snap_chain;         // the grids of the band's chain (empty: exact)
};

// `significance`: the layer's arc significances (by index into geometry.vertices) when its bands
// were simplified with them, else null.
TileRings tile_rings(const MapLayer& layer, const std::vector<std::uint32_t>& tile_features, Vec2 origin,
                     const std::vector<double>& snap_chain, const std::vector<float>* significance = nullptr);

struct TileTriangles {
    std::vector<Float2> vertices;
    std::vector<std::uint16_t> vertex_classes;  // the style class of each vertex (for its colour)
    std::vector<std::uint32_t> indices;  // GL_TRIANGLES into `vertices`
    std::vector<IndexRange> classes;     // indices of each class
    // Per triangle: bit k set when the edge facing its corner k lies on an edge of one of the tile's
    // rings, so the fill can draw the hairlines itself. By coordinates: GLU may report any of the
    // coincident vertices of neighbouring rings. Edges GLU split where rings cross are not marked.
    std::vector<std::uint8_t> ring_edges;
};

// Takes the rings through the band's chain as the band was built (band_step: the same vertices, so
// neighbouring tiles and the stencil path stay gap-free) and triangulates each class's rings with
// the non-zero winding rule; marks the triangle edges that lie on rings (ring_edges).
TileTriangles triangulate_tile(const TileRings& rings);

} // namespace qingling::app
