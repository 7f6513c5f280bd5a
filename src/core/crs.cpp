#include "core/crs.hpp"

#include "core/errors.hpp"

#include <cmath>
#include <cpl_conv.h>

namespace qingling {

OGRSpatialReference make_srs(const std::string& definition) {
    ensure_gdal_initialised();
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    // A bare number means an EPSG code.
    std::string text = definition;
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) text = "EPSG:" + text;
    if (srs.SetFromUserInput(text.c_str(), OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS) != OGRERR_NONE)
        throw InputError("unknown coordinate reference system '" + definition + "'");
    return srs;
}

OGRSpatialReference make_srs(int epsg) { return make_srs("EPSG:" + std::to_string(epsg)); }

OGRSpatialReference with_gis_axis_order(const OGRSpatialReference& srs) {
    OGRSpatialReference copy(srs);
    copy.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return copy;
}

std::optional<int> srs_epsg(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth && code && std::string(auth) == "EPSG") return std::atoi(code);
    // .prj files carry no authority: ask PROJ for a match. ESRI .prj files list lon/lat axes
    // where EPSG has lat/lon, which PROJ rates 70, not 100.
    OGRSpatialReference copy(srs);
    if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
        auth = copy.GetAuthorityName(nullptr);
        code = copy.GetAuthorityCode(nullptr);
        if (auth && code && std::string(auth) == "EPSG") return std::atoi(code);
    }
    int confidence_count = 0;
    int* confidences = nullptr;
    OGRSpatialReferenceH* matches =
        OSRFindMatches(OGRSpatialReference::ToHandle(const_cast<OGRSpatialReference*>(&srs)), nullptr,
                       &confidence_count, &confidences);
    std::optional<int> result;
    for (int i = 0; i < confidence_count && !result; ++i) {
        auto* candidate = OGRSpatialReference::FromHandle(matches[i]);
        const char* a = candidate->GetAuthorityName(nullptr);
        const char* c = candidate->GetAuthorityCode(nullptr);
        if (confidences[i] >= 70 && a && c && std::string(a) == "EPSG") result = std::atoi(c);
    }
    OSRFreeSRSArray(matches);
    CPLFree(confidences);
    // PROJ ranks OGC:CRS84 above EPSG:4326 for lon/lat .prj files; both are the same datum.
    if (!result && srs.IsGeographic()) {
        const char* options[] = {"CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
        for (int epsg : {kEpsgWgs84, kEpsgCgcs2000}) {
            OGRSpatialReference candidate;
            if (candidate.importFromEPSG(epsg) == OGRERR_NONE && srs.IsSame(&candidate, options)) return epsg;
        }
    }
    return result;
}

std::string srs_label(const OGRSpatialReference& srs) {
    if (auto epsg = srs_epsg(srs)) return "EPSG:" + std::to_string(*epsg);
    const char* name = srs.GetName();
    return name ? name : "unnamed CRS";
}

CoordTransformPtr make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
    OGRSpatialReference a = with_gis_axis_order(from), b = with_gis_axis_order(to);
    CoordTransformPtr ct(OGRCreateCoordinateTransformation(&a, &b));
    if (!ct)
        throw InputError("cannot transform from " + srs_label(from) + " to " + srs_label(to) + ": " +
                         last_gdal_error("PROJ found no transformation"));
    return ct;
}

bool transform_point(OGRCoordinateTransformation& ct, double& x, double& y) {
    return ct.Transform(1, &x, &y) && std::isfinite(x) && std::isfinite(y);
}

std::optional<int> cgcs2000_gk3_zone_epsg_from_easting(double easting) {
    if (!(easting >= 25e6 && easting < 46e6)) return std::nullopt;
    const int zone = static_cast<int>(easting / 1e6);
    const double within = easting - zone * 1e6;
    // A 3-degree zone spans at most about ±170 km around the false easting of 500 km.
    if (within < 250000 || within > 750000) return std::nullopt;
    return 4513 + (zone - 25);
}

std::optional<int> cgcs2000_gk3_cm_epsg_for_longitude(double lon) {
    const int cm = static_cast<int>(std::lround(lon / 3.0)) * 3;
    if (cm < 75 || cm > 135) return std::nullopt;
    return 4534 + (cm - 75) / 3;
}

bool looks_like_china_lonlat(double minx, double miny, double maxx, double maxy) {
    return minx >= 72 && maxx <= 138 && miny >= 0 && maxy <= 56;
}

} // namespace qingling
