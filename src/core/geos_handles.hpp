// RAII for the GEOS C API (reentrant _r functions): one context per thread, geometries that
// free themselves with the context that made them.
#pragma once

#include <geos_c.h>

#include <memory>
#include <string>
#include <vector>

namespace qingling {

class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t get() const { return handle_; }
    // The last error GEOS reported on this context (empty when none).
    const std::string& last_error() const { return last_error_; }
    void clear_error() { last_error_.clear(); }

private:
    GEOSContextHandle_t handle_;
    std::string last_error_;
};

struct GeosGeometryDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const { if (g) GEOSGeom_destroy_r(ctx, g); }
};
using GeosGeometryPtr = std::unique_ptr<GEOSGeometry, GeosGeometryDeleter>;

inline GeosGeometryPtr geos_own(const GeosContext& ctx, GEOSGeometry* g) {
    return GeosGeometryPtr(g, GeosGeometryDeleter{ctx.get()});
}

struct GeosPreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const { if (g) GEOSPreparedGeom_destroy_r(ctx, g); }
};
using GeosPreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, GeosPreparedDeleter>;

struct GeosWkbReaderDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSWKBReader* r) const { if (r) GEOSWKBReader_destroy_r(ctx, r); }
};
using GeosWkbReaderPtr = std::unique_ptr<GEOSWKBReader, GeosWkbReaderDeleter>;

struct GeosWkbWriterDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSWKBWriter* w) const { if (w) GEOSWKBWriter_destroy_r(ctx, w); }
};
using GeosWkbWriterPtr = std::unique_ptr<GEOSWKBWriter, GeosWkbWriterDeleter>;

struct GeosStrTreeDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSSTRtree* t) const { if (t) GEOSSTRtree_destroy_r(ctx, t); }
};
using GeosStrTreePtr = std::unique_ptr<GEOSSTRtree, GeosStrTreeDeleter>;

// STRtrees over a vector of geometries store each geometry's index as the item.
void geos_strtree_insert_index(const GeosContext& ctx, GEOSSTRtree* tree, const GEOSGeometry* g, std::size_t index);
// Indices whose envelope meets g's envelope grown by `margin`, ascending.
std::vector<std::size_t> geos_strtree_query_indices(const GeosContext& ctx, GEOSSTRtree* tree, const GEOSGeometry* g,
                                                    double margin = 0);

// Buffers GEOS allocates (WKB output, reasons) are released with GEOSFree_r.
struct GeosBufferDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(void* p) const { if (p) GEOSFree_r(ctx, p); }
};

} // namespace qingling
