// RAII for GDAL/OGR handles, and the one place where GDAL is initialised.
#pragma once

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

namespace qingling {

struct GdalDatasetCloser {
    void operator()(GDALDataset* ds) const { if (ds) GDALClose(GDALDataset::ToHandle(ds)); }
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetCloser>;

struct CoordTransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OGRCoordinateTransformation::DestroyCT(ct); }
};
using CoordTransformPtr = std::unique_ptr<OGRCoordinateTransformation, CoordTransformDeleter>;

// Registers drivers once and routes GDAL's own error output away from stderr (callers turn
// failures into typed errors with CPLGetLastErrorMsg instead).
void ensure_gdal_initialised();

// Sets a GDAL configuration option for the lifetime of the object, restoring the old value.
class ScopedGdalConfig {
public:
    ScopedGdalConfig(const char* key, const char* value);
    ~ScopedGdalConfig();
    ScopedGdalConfig(const ScopedGdalConfig&) = delete;
    ScopedGdalConfig& operator=(const ScopedGdalConfig&) = delete;

private:
    std::string key_;
    std::string old_;
    bool had_old_;
};

// The last GDAL error message, or a fallback when GDAL said nothing.
std::string last_gdal_error(const std::string& fallback);

} // namespace qingling
