#include "core/gdal_handles.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <mutex>

namespace qingling {

void ensure_gdal_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Errors are read back with CPLGetLastErrorMsg and reported with context by the caller.
        CPLSetErrorHandler(CPLQuietErrorHandler);
        // Spreadsheets from the villages always have a header row; without this GDAL takes an
        // all-text header row for data when every column is text.
        CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    });
}

ScopedGdalConfig::ScopedGdalConfig(const char* key, const char* value) : key_(key) {
    const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
    had_old_ = old != nullptr;
    if (had_old_) old_ = old;
    CPLSetThreadLocalConfigOption(key, value);
}

ScopedGdalConfig::~ScopedGdalConfig() {
    CPLSetThreadLocalConfigOption(key_.c_str(), had_old_ ? old_.c_str() : nullptr);
}

std::string last_gdal_error(const std::string& fallback) {
    const char* msg = CPLGetLastErrorMsg();
    if (msg && *msg) return msg;
    return fallback;
}

} // namespace qingling
