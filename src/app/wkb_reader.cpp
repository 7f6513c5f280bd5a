#include "app/wkb_reader.hpp"

#include <algorithm>
#include <cstring>

namespace qingling::app {

namespace {

class Reader {
public:
    Reader(const unsigned char* p, std::size_t n) : p_(p), end_(p + n) {}
    bool ok() const { return ok_; }

    std::uint8_t byte() {
        if (!need(1)) return 0;
        return *p_++;
    }
    std::uint32_t u32(bool little) {
        if (!need(4)) return 0;
        std::uint32_t v = little ? (std::uint32_t(p_[0]) | std::uint32_t(p_[1]) << 8 | std::uint32_t(p_[2]) << 16 |
                                    std::uint32_t(p_[3]) << 24)
                                 : (std::uint32_t(p_[3]) | std::uint32_t(p_[2]) << 8 | std::uint32_t(p_[1]) << 16 |
                                    std::uint32_t(p_[0]) << 24);
        p_ += 4;
        return v;
    }
    double f64(bool little) {
        if (!need(8)) return 0;
        unsigned char b[8];
        if (little)
            std::memcpy(b, p_, 8);
        else
            for (int i = 0; i < 8; ++i) b[i] = p_[7 - i];
        p_ += 8;
        double d;
        std::memcpy(&d, b, 8);  // the host is little-endian (x86-64, arm64)
        return d;
    }
    // Guards counts read from the data against the bytes left, so garbage cannot allocate gigabytes.
    bool can_hold(std::uint64_t count, std::size_t bytes_each) {
        if (count * bytes_each > static_cast<std::uint64_t>(end_ - p_)) ok_ = false;
        return ok_;
    }

private:
    bool need(std::size_t n) {
        if (!ok_ || static_cast<std::size_t>(end_ - p_) < n) {
            ok_ = false;
            return false;
        }
        return true;
    }
    const unsigned char* p_;
    const unsigned char* end_;
    bool ok_ = true;
};

struct Header {
    bool little = true;
    std::uint32_t type = 0;  // 1..7
    int dims = 2;
};

bool read_header(Reader& r, Header& h) {
    const std::uint8_t order = r.byte();
    if (!r.ok() || order > 1) return false;
    h.little = order == 1;
    std::uint32_t code = r.u32(h.little);
    if (!r.ok()) return false;
    bool has_z = false, has_m = false;
    // EWKB flags
    if (code & 0x80000000u) has_z = true;
    if (code & 0x40000000u) has_m = true;
    if (code & 0x20000000u) {  // SRID follows
        r.u32(h.little);
        if (!r.ok()) return false;
    }
    code &= 0x0FFFFFFFu;
    // ISO codes
    if (code >= 3000) {
        has_z = has_m = true;
        code -= 3000;
    } else if (code >= 2000) {
        has_m = true;
        code -= 2000;
    } else if (code >= 1000) {
        has_z = true;
        code -= 1000;
    }
    if (code < 1 || code > 7) return false;
    h.type = code;
    h.dims = 2 + (has_z ? 1 : 0) + (has_m ? 1 : 0);
    return true;
}

Vec2 read_point_coords(Reader& r, const Header& h) {
    Vec2 v{r.f64(h.little), r.f64(h.little)};
    for (int i = 2; i < h.dims; ++i) r.f64(h.little);
    return v;
}

// Reads a sequence of points into out.vertices; returns its range. Drops the closing vertex of rings.
VertexRange read_sequence(Reader& r, const Header& h, FlatGeometry& out, bool ring) {
    const std::uint32_t n = r.u32(h.little);
    VertexRange range{static_cast<std::uint32_t>(out.vertices.size()), 0};
    if (!r.ok() || !r.can_hold(n, static_cast<std::size_t>(8 * h.dims))) return range;
    out.vertices.reserve(out.vertices.size() + n);
    for (std::uint32_t i = 0; i < n; ++i) out.vertices.push_back(read_point_coords(r, h));
    std::uint32_t count = n;
    if (ring && count >= 2) {
        const Vec2& a = out.vertices[range.first];
        const Vec2& b = out.vertices.back();
        if (a.x == b.x && a.y == b.y) {
            out.vertices.pop_back();
            --count;
        }
    }
    range.count = count;
    return range;
}

bool read_geometry(Reader& r, FlatGeometry& out, int depth) {
    if (depth > 8) return false;
    Header h;
    if (!read_header(r, h)) return false;
    switch (h.type) {
    case 1: {  // Point
        Vec2 p = read_point_coords(r, h);
        if (!r.ok()) return false;
        if (p.x == p.x && p.y == p.y) out.points.push_back(p);  // NaN = empty point
        return true;
    }
    case 2: {  // LineString
        VertexRange range = read_sequence(r, h, out, false);
        if (!r.ok()) return false;
        if (range.count >= 2) out.lines.push_back(range);
        return true;
    }
    case 3: {  // Polygon
        const std::uint32_t nrings = r.u32(h.little);
        if (!r.ok() || !r.can_hold(nrings, 4)) return false;
        for (std::uint32_t i = 0; i < nrings; ++i) {
            VertexRange range = read_sequence(r, h, out, true);
            if (!r.ok()) return false;
            if (range.count < 3) {
                out.vertices.resize(range.first);
                continue;
            }
            // Outer ring counter-clockwise, holes clockwise.
            const double a2 = ring_signed_area2(out.vertices.data() + range.first, range.count);
            const bool outer = i == 0;
            if ((outer && a2 < 0) || (!outer && a2 > 0))
                std::reverse(out.vertices.begin() + range.first, out.vertices.begin() + range.first + range.count);
            out.rings.push_back(range);
        }
        return true;
    }
    case 4:
    case 5:
    case 6:
    case 7: {  // Multi* and GeometryCollection: sub-geometries with their own headers
        const std::uint32_t n = r.u32(h.little);
        if (!r.ok() || !r.can_hold(n, 5)) return false;
        for (std::uint32_t i = 0; i < n; ++i)
            if (!read_geometry(r, out, depth + 1)) return false;
        return true;
    }
    }
    return false;
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
    const std::size_t nv = out.vertices.size(), nr = out.rings.size(), nl = out.lines.size(), np = out.points.size();
    Reader r(wkb, size);
    if (wkb && read_geometry(r, out, 0) && r.ok()) return true;
    out.vertices.resize(nv);
    out.rings.resize(nr);
    out.lines.resize(nl);
    out.points.resize(np);
    return false;
}

} // namespace qingling::app
