// Questions the viewer asks about what it shows, answered from the MapModel's geometry (no GL):
// which feature a finding names, what lies under a map point (identify), distances to a feature,
// a feature's area and a point inside it for its label. Identify reads the attributes of the hits
// from the campaign file (read-only), the only query after loading.
#pragma once

#include "app/camera.hpp"
#include "app/map_model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qingling::app {

// A feature of the model: layer index into MapModel::layers, feature index into MapLayer::features.
struct FeatureRef {
    int layer = -1;
    int feature = -1;
    bool valid() const { return layer >= 0 && feature >= 0; }
    bool operator==(const FeatureRef&) const = default;
};

int layer_index(const MapModel& model, std::string_view name);          // -1 when absent
FeatureRef find_feature(const MapModel& model, int layer, long long fid);  // invalid when absent
FeatureRef find_feature(const MapModel& model, std::string_view layer_name, long long fid);
const MapFeature& feature_of(const MapModel& model, FeatureRef ref);

// Even-odd point in polygon over the feature's rings (false for lines and points).
bool feature_contains(const MapLayer& layer, const MapFeature& f, Vec2 p);
// Distance from p to the feature's geometry (0 inside a polygon); `nearest` receives the closest
// point of it (p itself inside a polygon). Infinity for an empty feature.
double distance_to_feature(const MapLayer& layer, const MapFeature& f, Vec2 p, Vec2* nearest = nullptr);
// Area of the polygon rings (holes subtracted), in square world units.
double feature_area(const MapLayer& layer, const MapFeature& f);
// A point inside the polygon for its label: the middle of the widest inside interval of the
// horizontal line through the centroid of the largest ring. The extent's centre for other geometry.
Vec2 label_point(const MapLayer& layer, const MapFeature& f);

// What the map highlights for the selected enterprise: the feature each finding names and, for a
// distance finding (unit "m"), the line from the enterprise to the nearest point of the site.
struct FindingHighlight {
    int finding = -1;          // index into the verdict's findings
    FeatureRef feature;
    bool has_line = false;
    Vec2 from, to;             // enterprise -> nearest point of the site
    double length = 0;         // world units
};
std::vector<FindingHighlight> finding_highlights(const MapModel& model, const EnterpriseItem& e);
// The extent a click on a finding zooms to: the feature, with the enterprise for distance findings.
Extent finding_extent(const MapModel& model, const EnterpriseItem& e, const FindingHighlight& h);

// Fits the camera to an extent with a margin, never closer than 0.25 m per pixel (tiny features);
// a single point is centred at the current resolution.
void zoom_camera_to(Camera& camera, const Extent& extent, double metres_per_unit, double margin_px = 48);

// The village (from the role `village` layers) containing p; "" when none.
std::string village_at(const MapModel& model, Vec2 p);
int village_index(const MapModel& model, std::string_view name);  // into MapModel::villages, -1 when absent

// Identify: the features under a map point: land-use patches first, then the other layers top
// first, the village and jurisdiction polygons last.
struct IdentifiedFeature {
    FeatureRef ref;
    std::string layer_name, role;
    long long fid = 0;
    std::vector<std::pair<std::string, std::string>> attributes;  // every attribute column
    // For land-class layers: code and name (the name attribute, else the code table's name), and
    // the code table's English name ("" when the table has none).
    std::string code, code_name, code_name_en;
    // The name in the UI language: the English one in English when there is one.
    const std::string& shown_code_name() const;
    std::optional<double> area;   // polygons: the area attribute (TBMJ ...) or computed
    bool area_from_attribute = false;
    std::string area_field;
    std::string village;          // the village containing the feature's label point
    double distance = 0;          // world units from the clicked point (0 inside)
};
struct IdentifyResult {
    Vec2 world;
    std::string village;          // the village containing the clicked point
    std::vector<IdentifiedFeature> features;
    std::string error;            // attributes could not be read
};
// Polygons containing `world`, lines and points within `tolerance` world units; only layers whose
// `visible` entry is non-zero (all when `visible` is shorter). Reads attributes from model.path.
IdentifyResult identify_at(const MapModel& model, Vec2 world, double tolerance, const std::vector<char>& visible);

} // namespace qingling::app
