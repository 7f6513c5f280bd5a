#include "core/geos_handles.hpp"


namespace qingling {


GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(
        handle_, [](const char* message, void* userdata) { *static_cast<std::string*>(userdata) = message; },
        &last_error_);
    // Notices (e.g. "Self-intersection at ...") are what isValidReason returns; keep them quiet.
    GEOSContext_setNoticeMessageHandler_r(handle_, [](const char*, void*) {}, nullptr);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

} // namespace qingling
