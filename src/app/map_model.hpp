// What the viewer shows, read once from the campaign file: every layer's geometry as flat vertex
// arrays with a style class per feature, and the enterprises with the latest check run's verdicts
// and the confirmations. No GL: the renderer uploads this, the panels list it, tests inspect it.
#pragma once

#include "app/camera.hpp"
#include "app/style.hpp"
#include "app/wkb_reader.hpp"
#include "core/campaign_workflow.hpp"
#include "core/ledger_record.hpp"
#include "core/project_store.hpp"
#include "core/verdict.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qingling::app {

// A legend entry of a layer: one colour for a group of its features.
struct StyleClass {
    std::string key;      // land-class group code ("01"), or "" for a single-class layer
    std::string label;    // "01 耕地", or the layer name
    Rgba fill;
    long long feature_count = 0;
    std::string group_name;  // land-class groups: the group's N_-marked Chinese name ("耕地")
    // The legend's text in the UI language: "01 Cultivated land" in English, the label otherwise.
    std::string shown_label() const;
};

struct MapFeature {
    long long fid = 0;
    VertexRange rings;    // into geometry.rings
    VertexRange lines;    // into geometry.lines
    VertexRange points;   // into geometry.points
    int style_class = 0;  // into MapLayer::classes
    Extent extent;
};

struct MapLayer {
    LayerInfo info;
    LayerStyle style;
    FlatGeometry geometry;
    std::vector<MapFeature> features;
    std::vector<StyleClass> classes;  // at least one
    Extent extent;
    long long unreadable = 0;         // features whose WKB could not be decoded
    std::uint64_t load_serial = 0;    // new for every read of a layer: the renderer keeps what it built for the same
    bool has_polygons() const { return !geometry.rings.empty(); }
    bool has_points() const { return !geometry.points.empty(); }
};

struct EnterpriseItem {
    LedgerRecord record;
    std::optional<Verdict> verdict;          // latest run
    std::optional<Confirmation> confirmation;
    bool review = false;                     // confirmed, but the suggestion changed since (需复核)
    Mark mark = Mark::unchecked;
    bool has_point = false;                  // drawn only with a point
    Vec2 position;
};

// A village polygon of the role `village` layers, named by its name attribute (ZLDWMC, CJMC ...).
struct VillageArea {
    std::string name;
    int layer = -1;        // into MapModel::layers
    int feature = -1;      // into MapLayer::features
    Extent extent;
    Vec2 label;            // a point inside it for its label
};

// The attribute naming a village polygon, from the usual field names; "" when none fits.
std::string village_name_field(const std::vector<std::string>& field_names);

// A ledger's 行业 in the UI language: in English the English name of its industry in
// layers/industries.tsv (read once; the text as typed when it matches none), else the text as typed.
std::string shown_industry(std::string_view ledger_text);

struct MapModel {
    std::filesystem::path path;
    ProjectSettings settings;
    std::vector<MapLayer> layers;            // in drawing order (bottom first)
    std::vector<EnterpriseItem> enterprises; // ledger order
    std::vector<VillageArea> villages;       // sorted by name
    std::optional<CheckRunInfo> run;         // the latest check run, if any
    CampaignData campaign;                   // statuses, deadlines, inspections, readings (issue 8)
    std::vector<BasemapInfo> basemaps;       // raster basemaps, drawn under every layer
    std::vector<std::filesystem::path> basemap_files;  // each one's file, resolved
    Extent extent;                           // everything
    Extent jurisdiction;                     // the jurisdiction layer(s), may be empty
    Vec2 origin;                             // GPU vertex buffers hold offsets from here
    bool geographic = false;                 // the project CRS is in degrees
    double metres_per_unit = 1.0;            // for the map scale (at the centre, for degrees)

    // The default view: the jurisdiction, else everything.
    Extent home_extent() const { return jurisdiction.empty() ? extent : jurisdiction; }
    const EnterpriseItem* find_enterprise(long long id) const;
    int enterprise_index(long long id) const;  // -1 when absent
    // Every string the panels may show from the project (for the font's glyph ranges).
    std::string all_text() const;
};

// Opens the project read-only, reads everything the viewer draws and closes it again.
// Throws the core's typed errors (ProjectError, ...).
MapModel load_map_model(const std::filesystem::path& project, const LandClassStyler& land_classes,
                        const RoleStyles& styles = RoleStyles::builtin());

// Reads the layers of one role again (after grid edits), adding new ones; the other layers stay.
void reload_layers_of_role(MapModel& model, const std::string& role, const LandClassStyler& land_classes,
                           const RoleStyles& styles = RoleStyles::builtin());

// The latest run's verdicts, confirmations and marks for enterprises (already in `model`).
void apply_verdicts(MapModel& model, const ProjectStore& store);

} // namespace qingling::app
