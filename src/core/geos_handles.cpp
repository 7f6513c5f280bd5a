#include "core/geos_handles.hpp"

#include <algorithm>
#include <cstdint>


namespace qingling {


GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(
        handle_, [](const char* message, void* userdata) { *static_cast<std::string*>(userdata) = message; },
        &last_error_);
    // Notices (e.g. "Self-intersection at ...") are what isValidReason returns; keep them quiet.
    GEOSContext_setNoticeMessageHandler_r(handle_, [](const char*, void*) {}, nullptr);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void geos_strtree_insert_index(const GeosContext& ctx, GEOSSTRtree* tree, const GEOSGeometry* g, std::size_t index) {
    GEOSSTRtree_insert_r(ctx.get(), tree, const_cast<GEOSGeometry*>(g),
                         reinterpret_cast<void*>(static_cast<std::uintptr_t>(index)));
}

std::vector<std::size_t> geos_strtree_query_indices(const GeosContext& ctx, GEOSSTRtree* tree, const GEOSGeometry* g,
                                                    double margin) {
    std::vector<std::size_t> out;
    if (!tree || !g || GEOSisEmpty_r(ctx.get(), g)) return out;
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    GEOSGeom_getXMin_r(ctx.get(), g, &minx);
    GEOSGeom_getYMin_r(ctx.get(), g, &miny);
    GEOSGeom_getXMax_r(ctx.get(), g, &maxx);
    GEOSGeom_getYMax_r(ctx.get(), g, &maxy);
    GeosGeometryPtr envelope = geos_own(
        ctx, GEOSGeom_createRectangle_r(ctx.get(), minx - margin, miny - margin, maxx + margin, maxy + margin));
    GEOSSTRtree_query_r(
        ctx.get(), tree, envelope.get(),
        [](void* item, void* user) {
            static_cast<std::vector<std::size_t>*>(user)->push_back(
                static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)));
        },
        &out);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace qingling
