#include "app/wkb_reader.hpp"

#include "core/project_store.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <memory>

namespace qingling::app {

namespace {

struct GeometryDeleter {
    void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};

// Appends a ring or line's vertices (without a polygon ring's closing vertex) as one range.
VertexRange append_points(const OGRSimpleCurve& curve, bool drop_closing, FlatGeometry& out) {
    VertexRange range{static_cast<std::uint32_t>(out.vertices.size()), 0};
    int n = curve.getNumPoints();
    if (drop_closing && n > 1 && curve.getX(0) == curve.getX(n - 1) && curve.getY(0) == curve.getY(n - 1)) --n;
    for (int i = 0; i < n; ++i) out.vertices.push_back({curve.getX(i), curve.getY(i)});
    range.count = static_cast<std::uint32_t>(n);
    return range;
}

// A ring appended by append_points or from coordinates: dropped when under 3 vertices, else
// turned so the outer ring runs counter-clockwise and holes clockwise (a non-zero winding fill
// then gets holes right).
void finish_ring(VertexRange range, bool outer, FlatGeometry& out) {
    if (range.count < 3) {
        out.vertices.resize(range.first);
        return;
    }
    const double a2 = ring_signed_area2(out.vertices.data() + range.first, range.count);
    if ((outer && a2 < 0) || (!outer && a2 > 0))
        std::reverse(out.vertices.begin() + range.first, out.vertices.begin() + range.first + range.count);
    out.rings.push_back(range);
}

// A run of coordinates (x and y first of every `stride` doubles), like append_points.
VertexRange append_coordinates(const double* coords, std::size_t n, std::size_t stride, bool drop_closing, FlatGeometry& out) {
    VertexRange range{static_cast<std::uint32_t>(out.vertices.size()), 0};
    if (drop_closing && n > 1 && coords[0] == coords[(n - 1) * stride] && coords[1] == coords[(n - 1) * stride + 1]) --n;
    for (std::size_t i = 0; i < n; ++i) out.vertices.push_back({coords[i * stride], coords[i * stride + 1]});
    range.count = static_cast<std::uint32_t>(n);
    return range;
}

struct FlatParts final : ProjectStore::GeometryParts {
    FlatGeometry& out;
    explicit FlatParts(FlatGeometry& o) : out(o) {}
    void point(double x, double y) override { out.points.push_back({x, y}); }
    void line(const double* coords, std::size_t count, std::size_t stride) override {
        if (count > 0) out.lines.push_back(append_coordinates(coords, count, stride, false, out));
    }
    void ring(const double* coords, std::size_t count, std::size_t stride, bool exterior) override {
        finish_ring(append_coordinates(coords, count, stride, true, out), exterior, out);
    }
};

void append_geometry(const OGRGeometry& g, FlatGeometry& out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint: {
        const auto& p = *g.toPoint();
        if (!p.IsEmpty()) out.points.push_back({p.getX(), p.getY()});
        break;
    }
    case wkbLineString:
        if (g.toLineString()->getNumPoints() > 0) out.lines.push_back(append_points(*g.toLineString(), false, out));
        break;
    case wkbPolygon: {
        const OGRPolygon& polygon = *g.toPolygon();
        bool outer = true;
        for (const OGRLinearRing* ring : polygon) {
            finish_ring(append_points(*ring, true, out), outer, out);
            outer = false;
        }
        break;
    }
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const OGRGeometry* part : *g.toGeometryCollection()) append_geometry(*part, out);
        break;
    default:
        break;
    }
}

} // namespace

double ring_signed_area2(const Vec2* v, std::size_t n) {
    if (n < 3) return 0;
    // Relative to the first vertex to keep precision with large projected coordinates.
    const Vec2 o = v[0];
    double s = 0;
    for (std::size_t i = 1; i + 1 < n; ++i)
        s += (v[i].x - o.x) * (v[i + 1].y - o.y) - (v[i + 1].x - o.x) * (v[i].y - o.y);
    return s;
}

bool append_wkb(const unsigned char* wkb, std::size_t size, FlatGeometry& out) {
    if (!wkb) return false;
    // OGR parses the WKB (either byte order, ISO and EWKB codes); we only flatten it for the GPU.
    OGRGeometry* parsed = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb, nullptr, &parsed, size) != OGRERR_NONE || !parsed) return false;
    std::unique_ptr<OGRGeometry, GeometryDeleter> g(parsed);
    append_geometry(*g, out);
    return true;
}

bool append_stored(const unsigned char* stored, std::size_t size, FlatGeometry& out) {
    if (!stored) return false;
    FlatParts parts(out);  // the store hands over parts only once the whole geometry has parsed
    return ProjectStore::visit_stored_geometry(stored, size, parts);
}

} // namespace qingling::app
