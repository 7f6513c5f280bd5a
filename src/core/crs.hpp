// Coordinate reference systems. This is the one place where axis order is decided: every
// OGRSpatialReference the project makes uses the GIS order (x = easting/longitude), so EPSG:4490
// and the CGCS2000 Gauss-Krüger CRSs (northing first in EPSG) never swap coordinates.
#pragma once

#include "core/gdal_handles.hpp"

#include <optional>
#include <string>

namespace qingling {

// "EPSG:4547", "4547", a WKT or a PROJ string. Throws InputError naming the text when unknown.
OGRSpatialReference make_srs(const std::string& definition);
OGRSpatialReference make_srs(int epsg);
// A copy of srs with the GIS axis order set (for SRSs that come from files).
OGRSpatialReference with_gis_axis_order(const OGRSpatialReference& srs);

// "EPSG:4547" when the SRS has an EPSG code (after identification), otherwise its name.
std::string srs_label(const OGRSpatialReference& srs);
std::optional<int> srs_epsg(const OGRSpatialReference& srs);

// Transform between two SRSs (both in GIS order). Throws InputError when PROJ cannot.
CoordTransformPtr make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to);

// Transforms one point in place; false when PROJ fails (e.g. outside the CRS's area).
bool transform_point(OGRCoordinateTransformation& ct, double& x, double& y);

// CGCS2000 3-degree Gauss-Krüger with zone-prefixed easting (EPSG:4513..4533, zones 25..45)
// inferred from an 8-digit easting such as 39619604.99 (zone 39), or nullopt.
std::optional<int> cgcs2000_gk3_zone_epsg_from_easting(double easting);
// CGCS2000 3-degree GK, central meridian only (EPSG:4534..4554, CM 75..135°E), for a longitude.
std::optional<int> cgcs2000_gk3_cm_epsg_for_longitude(double lon);
// Whether an extent looks like lon/lat degrees inside China's bounding box.
bool looks_like_china_lonlat(double minx, double miny, double maxx, double maxy);

inline constexpr int kEpsgCgcs2000 = 4490;
inline constexpr int kEpsgWgs84 = 4326;
inline constexpr int kDefaultProjectEpsg = 4547;  // CGCS2000 / 3-degree GK CM 114E

} // namespace qingling
