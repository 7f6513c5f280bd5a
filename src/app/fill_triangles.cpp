#include "app/fill_triangles.hpp"

#include <GL/glu.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <memory>
#include <stdexcept>

namespace qingling::app {

TileRings tile_rings(const MapLayer& layer, const std::vector<std::uint32_t>& tile_features, Vec2 origin,
                     const std::vector<double>& snap_chain, const std::vector<float>* significance) {
    TileRings out;
    out.snap_chain = snap_chain;
    const bool simplified = significance && !snap_chain.empty();
    const FlatGeometry& g = layer.geometry;
    // By class, as the fill levels order them; features in tile order within a class.
    for (std::size_t c = 0; c < layer.classes.size(); ++c) {
        for (std::uint32_t fi : tile_features) {
            const MapFeature& f = layer.features[fi];
            if (static_cast<std::size_t>(f.style_class) != c) continue;
            for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r) {
                const VertexRange vr = g.rings[r];
                for (std::uint32_t i = 0; i < vr.count; ++i) {
                    const Vec2 v = g.vertices[vr.first + i];
                    out.vertices.push_back({static_cast<float>(v.x - origin.x), static_cast<float>(v.y - origin.y)});
                    if (simplified) out.significance.push_back((*significance)[vr.first + i]);
                }
                out.ring_ends.push_back(static_cast<std::uint32_t>(out.vertices.size()));
            }
        }
        out.class_ends.push_back(static_cast<std::uint32_t>(out.ring_ends.size()));
    }
    return out;
}

namespace {

struct GluTessDeleter {
    void operator()(GLUtesselator* t) const { gluDeleteTess(t); }
};
using GluTess = std::unique_ptr<GLUtesselator, GluTessDeleter>;

// What GLU's callbacks write into: the triangles' vertex indices, and the vertices it creates
// where edges cross.
struct TessOutput {
    TileTriangles* triangles = nullptr;
    std::uint16_t style_class = 0;
    bool failed = false;
};

// GLU passes vertex data as void*: the vertex's index, offset by one so index 0 is not null.
void* index_data(std::uint32_t i) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(i) + 1); }
std::uint32_t data_index(void* d) { return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(d) - 1); }

void APIENTRY on_vertex(void* vertex, void* polygon) {
    static_cast<TessOutput*>(polygon)->triangles->indices.push_back(data_index(vertex));
}
// Registering an edge-flag callback makes GLU emit independent triangles only (no fans or strips).
void APIENTRY on_edge_flag(GLboolean, void*) {}
void APIENTRY on_combine(GLdouble coords[3], void* [4], GLfloat [4], void** out, void* polygon) {
    auto* o = static_cast<TessOutput*>(polygon);
    const auto i = static_cast<std::uint32_t>(o->triangles->vertices.size());
    o->triangles->vertices.push_back({static_cast<float>(coords[0]), static_cast<float>(coords[1])});
    o->triangles->vertex_classes.push_back(o->style_class);
    *out = index_data(i);
}
void APIENTRY on_error(GLenum, void* polygon) { static_cast<TessOutput*>(polygon)->failed = true; }

using Callback = void(APIENTRY*)();

// An undirected edge by its end points' exact coordinates (the band's snapped floats).
using EdgeKey = std::pair<std::uint64_t, std::uint64_t>;
std::uint64_t point_bits(const Float2& p) {
    std::uint32_t x = 0, y = 0;
    std::memcpy(&x, &p.x, sizeof x);
    std::memcpy(&y, &p.y, sizeof y);
    return (static_cast<std::uint64_t>(x) << 32) | y;
}
EdgeKey edge_key(const Float2& a, const Float2& b) {
    const std::uint64_t ka = point_bits(a), kb = point_bits(b);
    return ka < kb ? EdgeKey{ka, kb} : EdgeKey{kb, ka};
}

} // namespace

TileTriangles triangulate_tile(const TileRings& rings) {
    TileTriangles out;
    GluTess tess(gluNewTess());
    if (!tess) throw std::bad_alloc();
    gluTessProperty(tess.get(), GLU_TESS_WINDING_RULE, GLU_TESS_WINDING_NONZERO);
    // All rings lie in the plane z = 0, seen from +z: counter-clockwise winds +1. Saying so spares
    // GLU from computing a normal, and fixes the sign of the winding.
    gluTessNormal(tess.get(), 0, 0, 1);
    gluTessCallback(tess.get(), GLU_TESS_VERTEX_DATA, reinterpret_cast<Callback>(&on_vertex));
    gluTessCallback(tess.get(), GLU_TESS_EDGE_FLAG_DATA, reinterpret_cast<Callback>(&on_edge_flag));
    gluTessCallback(tess.get(), GLU_TESS_COMBINE_DATA, reinterpret_cast<Callback>(&on_combine));
    gluTessCallback(tess.get(), GLU_TESS_ERROR_DATA, reinterpret_cast<Callback>(&on_error));

    // Each ring through the band's chain step by step, as the band was built (fill_lod's band_step).
    const bool simplified = !rings.significance.empty();
    auto through_chain = [&](BandRing& ring) {
        if (!band_step(ring, 0.0, false)) return false;
        for (double grid : rings.snap_chain)
            if (!band_step(ring, grid, simplified)) return false;
        return true;
    };
    // GLU keeps pointers to the coordinates until the polygon ends.
    std::deque<std::array<GLdouble, 3>> coords;  // a deque never moves its elements
    BandRing band_ring;
    const std::vector<Float2>& ring = band_ring.points;
    TessOutput output{&out};
    std::vector<EdgeKey> ring_edges;
    std::uint32_t r = 0, v = 0;
    for (std::uint32_t class_end : rings.class_ends) {
        output.style_class = static_cast<std::uint16_t>(out.classes.size());
        IndexRange& range = out.classes.emplace_back();
        range.first = static_cast<std::uint32_t>(out.indices.size());
        coords.clear();
        bool begun = false;
        for (; r < class_end; ++r) {
            band_ring.clear();
            for (; v < rings.ring_ends[r]; ++v) {
                band_ring.points.push_back(rings.vertices[v]);
                band_ring.significance.push_back(simplified ? rings.significance[v] : 0.0f);
            }
            if (!through_chain(band_ring)) continue;  // collapsed at this band: covers nothing
            if (!begun) {
                gluTessBeginPolygon(tess.get(), &output);
                begun = true;
            }
            for (std::size_t i = 0; i < ring.size(); ++i)
                ring_edges.push_back(edge_key(ring[i], ring[(i + 1) % ring.size()]));
            gluTessBeginContour(tess.get());
            for (const Float2& p : ring) {
                const auto i = static_cast<std::uint32_t>(out.vertices.size());
                out.vertices.push_back(p);
                out.vertex_classes.push_back(output.style_class);
                coords.push_back({p.x, p.y, 0.0});
                gluTessVertex(tess.get(), coords.back().data(), index_data(i));
            }
            gluTessEndContour(tess.get());
        }
        if (begun) gluTessEndPolygon(tess.get());
        // GLU drops a class whose contours it cannot handle (e.g. coordinates out of its range):
        // the caller then keeps drawing that tile by stencil.
        if (output.failed) throw std::runtime_error("GLU could not triangulate a tile");
        range.count = static_cast<std::uint32_t>(out.indices.size()) - range.first;
    }

    std::sort(ring_edges.begin(), ring_edges.end());
    out.ring_edges.assign(out.indices.size() / 3, 0);
    for (std::size_t t = 0; t < out.ring_edges.size(); ++t) {
        const std::uint32_t* corner = &out.indices[3 * t];
        for (int k = 0; k < 3; ++k) {
            const EdgeKey e = edge_key(out.vertices[corner[(k + 1) % 3]], out.vertices[corner[(k + 2) % 3]]);
            if (std::binary_search(ring_edges.begin(), ring_edges.end(), e)) out.ring_edges[t] |= static_cast<std::uint8_t>(1u << k);
        }
    }
    return out;
}

} // namespace qingling::app
