// Importing any vector source GDAL reads into a campaign file as a layer with a role: encoding
// and CRS detection, reprojection into the project CRS, GEOS repair of invalid geometries, land
// class code-system detection, and a report. All in one transaction: on a fatal error the
// project is unchanged.
#pragma once

#include "core/landuse_codes.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace qingling {

struct LayerImportOptions {
    std::filesystem::path source;
    std::string role;
    std::string source_layer;       // GDAL layer name; empty = the only layer
    std::string name;               // display name in the project; empty = the source layer's name
    std::string encoding = "auto";  // auto, GBK, UTF-8, ...
    std::string crs;                // override of the source CRS, e.g. EPSG:4527
    CodeSystem code_system = CodeSystem::unknown;  // unknown = detect
    std::string code_field;         // attribute with the land class; empty = detect (DLBM, GHDLBM, ...)
    bool replace = false;           // replace a layer of the same name
};

struct RejectedFeature {
    long long fid = 0;
    std::string reason;
};

struct LayerImportReport {
    std::string source;
    std::string driver;
    std::string source_layer;
    std::string layer_name;         // name in the project
    std::string role;
    std::string table_name;
    long long features_read = 0;
    long long imported = 0;
    long long repaired = 0;
    std::vector<RejectedFeature> rejected;
    std::vector<std::string> repairs;   // "fid 12: Self-intersection" (first 100)
    std::string encoding;           // what the text was decoded from
    std::string encoding_how;       // ".cpg", "DBF 代码页", "字节检测", "--encoding", "格式规定"
    std::string source_crs;
    std::string crs_how;            // "声明", "--crs", "由8位带号坐标推断"
    std::string project_crs;
    std::string code_system;        // sandiao / yongdi / empty
    std::string code_field;
    std::string code_system_how;
    std::vector<std::pair<std::string, long long>> unknown_codes;   // code -> features
    std::vector<std::string> notes;  // e.g. "Z/M dropped"

    std::string to_json() const;
};

LayerImportReport import_layer(ProjectStore& store, const LayerImportOptions& options, Progress& progress);

// The source as import_layer would read it, without a project (the viewer's import dialog shows it
// before importing): the same encoding and CRS decisions and the first rows' decoded text.
struct LayerPreview {
    std::string driver;
    std::string source_layer;
    std::string encoding;           // as LayerImportReport: "GBK", "UTF-8", ...
    std::string encoding_how;
    std::string source_crs;
    std::string crs_how;
    std::string geometry_type;      // "Polygon", "Point", ... ("None" for coordinate columns)
    long long feature_count = -1;   // -1 when the driver cannot tell without reading everything
    std::vector<std::string> fields;
    std::vector<std::vector<std::string>> rows;  // attribute text of the first features, decoded
};
// Throws the errors import_layer would throw before reading (no encoding, no CRS, no such layer).
LayerPreview probe_layer(const LayerImportOptions& options, std::size_t max_rows);

// The working CRS for a new project chosen from a source: its own CGCS2000 3-degree GK CRS, or the
// 3-degree GK zone (central meridian only, EPSG:4534..4554) around the data's centre.
int suggest_project_epsg(const LayerImportOptions& source);

// Geometry-bearing roles store polygons; "sensitive" and free roles keep what the source has.
bool role_is_polygonal(const std::string& role);

} // namespace qingling
