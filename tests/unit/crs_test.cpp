// Axis order, EPSG identification and Gauss-Krüger zone inference.
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "test_support.hpp"

using namespace qingling;

// The reference pair from the toolchain notes: (114.305, 30.605) in EPSG:4490 is
// (529248.241, 3387221.856) in EPSG:4547. Without GIS axis order PROJ would read 114.305 as a latitude.
TEST(Crs, Cgcs2000ToGaussKrugerKeepsLonLatOrder) {
    auto ct = make_transform(make_srs(4490), make_srs(4547));
    double x = 114.305, y = 30.605;
    ASSERT_TRUE(transform_point(*ct, x, y));
    EXPECT_NEAR(x, 529248.241, 0.01);
    EXPECT_NEAR(y, 3387221.856, 0.01);
    auto back = make_transform(make_srs("EPSG:4547"), make_srs("4490"));
    ASSERT_TRUE(transform_point(*back, x, y));
    EXPECT_NEAR(x, 114.305, 1e-8);
    EXPECT_NEAR(y, 30.605, 1e-8);
}

TEST(Crs, UnknownDefinitionIsAnInputError) {
    EXPECT_THROW(make_srs("EPSG:999999"), InputError);
    EXPECT_THROW(make_srs("not a crs"), InputError);
}

TEST(Crs, LabelsAndEpsgCodes) {
    EXPECT_EQ(srs_label(make_srs(4547)), "EPSG:4547");
    EXPECT_EQ(srs_epsg(make_srs(4527)), std::optional<int>(4527));
}

TEST(Crs, ZonePrefixedEastingGivesZoneCrs) {
    EXPECT_EQ(cgcs2000_gk3_zone_epsg_from_easting(39619604.99), std::optional<int>(4527));  // zone 39
    EXPECT_EQ(cgcs2000_gk3_zone_epsg_from_easting(25500000.0), std::optional<int>(4513));   // zone 25
    EXPECT_EQ(cgcs2000_gk3_zone_epsg_from_easting(45400000.0), std::optional<int>(4533));   // zone 45
    EXPECT_FALSE(cgcs2000_gk3_zone_epsg_from_easting(529248.241));                         // no prefix
    EXPECT_FALSE(cgcs2000_gk3_zone_epsg_from_easting(39000100.0));                         // far outside a zone
    EXPECT_FALSE(cgcs2000_gk3_zone_epsg_from_easting(3387221.856));                        // a northing
}

TEST(Crs, CentralMeridianZoneForLongitude) {
    EXPECT_EQ(cgcs2000_gk3_cm_epsg_for_longitude(114.305), std::optional<int>(4547));  // CM 114E
    EXPECT_EQ(cgcs2000_gk3_cm_epsg_for_longitude(116.4), std::optional<int>(4548));    // CM 117E
    EXPECT_EQ(cgcs2000_gk3_cm_epsg_for_longitude(75.0), std::optional<int>(4534));
    EXPECT_EQ(cgcs2000_gk3_cm_epsg_for_longitude(135.0), std::optional<int>(4554));
    EXPECT_FALSE(cgcs2000_gk3_cm_epsg_for_longitude(9.5));
}

// The zone CRS and the CM-only CRS describe the same projection up to the false easting.
TEST(Crs, ZoneAndCentralMeridianCrsDifferByZoneTimesAMillion) {
    auto ct = make_transform(make_srs(4527), make_srs(4548));  // zone 39 = CM 117E
    double x = 39619604.99, y = 4355010.12;
    ASSERT_TRUE(transform_point(*ct, x, y));
    EXPECT_NEAR(x, 619604.99, 1e-3);
    EXPECT_NEAR(y, 4355010.12, 1e-3);
}
