#include "core/layer_import.hpp"

#include "core/bounded_queue.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/project_backup.hpp"
#include "core/gdal_handles.hpp"
#include "core/i18n.hpp"
#include "core/geos_handles.hpp"
#include "core/resources.hpp"
#include "core/text_encoding.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <cmath>
#include <cstdio>
#include <cpl_vsi.h>
#include <map>
#include <set>

namespace qingling {

namespace fs = std::filesystem;

bool role_is_polygonal(const std::string& role) {
    return is_known_role(role) && role != "sensitive";
}

std::string LayerImportReport::to_json() const {
    nlohmann::json j;
    j["source"] = source;
    j["driver"] = driver;
    j["source_layer"] = source_layer;
    j["layer"] = layer_name;
    j["role"] = role;
    j["features_read"] = features_read;
    j["imported"] = imported;
    j["repaired"] = repaired;
    j["rejected"] = nlohmann::json::array();
    for (const auto& r : rejected) j["rejected"].push_back({{"fid", r.fid}, {"reason", r.reason}});
    j["repairs"] = repairs;
    j["encoding"] = encoding;
    j["encoding_how"] = encoding_how;
    j["source_crs"] = source_crs;
    j["crs_how"] = crs_how;
    j["project_crs"] = project_crs;
    j["code_system"] = code_system;
    j["code_field"] = code_field;
    j["code_system_how"] = code_system_how;
    j["unknown_codes"] = nlohmann::json::array();
    for (const auto& [code, n] : unknown_codes) j["unknown_codes"].push_back({{"code", code}, {"features", n}});
    j["notes"] = notes;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// GDAL paths: zipped sources are read in place through /vsizip/.
std::string gdal_path(const fs::path& source) {
    const std::string s = source.string();
    if (s.size() > 4 && s.compare(s.size() - 4, 4, ".zip") == 0 && s.rfind("/vsi", 0) != 0) return "/vsizip/" + s;
    return s;
}

GdalDatasetPtr open_source(const fs::path& source, const std::vector<std::string>& open_options) {
    ensure_gdal_initialised();
    if (!fs::exists(source)) throw InputError("'" + source.string() + "' does not exist");
    std::vector<const char*> opts;
    for (const auto& o : open_options) opts.push_back(o.c_str());
    opts.push_back(nullptr);
    CPLErrorReset();
    GdalDatasetPtr ds(GDALDataset::Open(gdal_path(source).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                        opts.data(), nullptr));
    if (!ds) {
        std::string why = last_gdal_error("no GDAL driver recognises it");
        if (why.find("SHAPE_RESTORE_SHX") != std::string::npos)
            why = "its .shx index file is missing (a Shapefile needs its .shp, .shx and .dbf files side by side)";
        throw InputError("'" + source.string() + "' cannot be read as a vector data set: " + why);
    }
    return ds;
}

OGRLayer* choose_layer(GDALDataset& ds, const LayerImportOptions& o) {
    if (!o.source_layer.empty()) {
        OGRLayer* l = ds.GetLayerByName(o.source_layer.c_str());
        if (!l) throw InputError("'" + o.source.string() + "' has no layer '" + o.source_layer + "'");
        return l;
    }
    const int n = ds.GetLayerCount();
    if (n == 0) throw InputError("'" + o.source.string() + "' holds no layers");
    if (n == 1) return ds.GetLayer(0);
    std::string names;
    for (int i = 0; i < n && i < 40; ++i) names += std::string(i ? ", " : "") + ds.GetLayer(i)->GetName();
    if (n > 40) names += ", …";
    throw UsageError("'" + o.source.string() + "' has " + std::to_string(n) +
                     " layers; choose one with --layer (" + names + ")");
}

// Coordinate columns for table sources without a geometry (CSV/XLSX lists of points).
struct CoordinateColumns {
    int x = -1, y = -1;
};

std::string lower_ascii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

CoordinateColumns find_coordinate_columns(OGRFeatureDefn& defn) {
    static const char* const kX[] = {"经度", "longitude", "lon", "lng", "x", "x坐标", "横坐标"};
    static const char* const kY[] = {"纬度", "latitude", "lat", "y", "y坐标", "纵坐标"};
    CoordinateColumns c;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        const std::string name = lower_ascii(defn.GetFieldDefn(i)->GetNameRef());
        for (const char* k : kX)
            if (c.x < 0 && name == k) c.x = i;
        for (const char* k : kY)
            if (c.y < 0 && name == k) c.y = i;
    }
    return c;
}

std::optional<double> parse_number(const char* text) {
    if (!text || !*text) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    while (end && *end == ' ') ++end;
    if (end == text || (end && *end) || !std::isfinite(v)) return std::nullopt;
    return v;
}

GeometryKind kind_for(const std::string& role, OGRwkbGeometryType source_type) {
    if (role_is_polygonal(role)) return GeometryKind::multipolygon;
    switch (wkbFlatten(source_type)) {
    case wkbPoint: return GeometryKind::point;
    case wkbMultiPoint: return GeometryKind::multipoint;
    case wkbLineString:
    case wkbMultiLineString: return GeometryKind::multiline;
    case wkbPolygon:
    case wkbMultiPolygon: return GeometryKind::multipolygon;
    default: return GeometryKind::any;
    }
}

bool geometry_fits(GeometryKind kind, OGRwkbGeometryType t) {
    t = wkbFlatten(t);
    switch (kind) {
    case GeometryKind::point: return t == wkbPoint;
    case GeometryKind::multipoint: return t == wkbPoint || t == wkbMultiPoint;
    case GeometryKind::multiline: return t == wkbLineString || t == wkbMultiLineString;
    case GeometryKind::multipolygon: return t == wkbPolygon || t == wkbMultiPolygon;
    case GeometryKind::any: return true;
    }
    return false;
}

bool all_coordinates_finite(const OGRGeometry& g) {
    OGREnvelope e;
    g.getEnvelope(&e);
    return std::isfinite(e.MinX) && std::isfinite(e.MaxX) && std::isfinite(e.MinY) && std::isfinite(e.MaxY) &&
           std::fabs(e.MinX) < 1e9 && std::fabs(e.MaxX) < 1e9 && std::fabs(e.MinY) < 1e9 && std::fabs(e.MaxY) < 1e9;
}

// Keeps the parts of a GEOS geometry that fit a polygon layer (make-valid can return collections
// with stray lines or points).
GeosGeometryPtr polygonal_part(const GeosContext& ctx, GeosGeometryPtr g) {
    const int type = GEOSGeomTypeId_r(ctx.get(), g.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
    if (type != GEOS_GEOMETRYCOLLECTION) return geos_own(ctx, nullptr);
    std::vector<GEOSGeometry*> parts;
    const int n = GEOSGetNumGeometries_r(ctx.get(), g.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(ctx.get(), g.get(), i);
        const int t = GEOSGeomTypeId_r(ctx.get(), part);
        if (t == GEOS_POLYGON) parts.push_back(GEOSGeom_clone_r(ctx.get(), part));
        else if (t == GEOS_MULTIPOLYGON)
            for (int k = 0; k < GEOSGetNumGeometries_r(ctx.get(), part); ++k)
                parts.push_back(GEOSGeom_clone_r(ctx.get(), GEOSGetGeometryN_r(ctx.get(), part, k)));
    }
    if (parts.empty()) return geos_own(ctx, nullptr);
    return geos_own(ctx, GEOSGeom_createCollection_r(ctx.get(), GEOS_MULTIPOLYGON, parts.data(),
                                                     static_cast<unsigned>(parts.size())));
}

struct EncodingDecision {
    std::string encoding = "UTF-8";
    std::string how;
    bool recode_gbk_ourselves = false;  // non-shapefile sources GDAL hands over as raw bytes
};

std::vector<std::string> sample_strings(OGRLayer& layer, std::size_t max_features) {
    std::vector<std::string> out;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    layer.ResetReading();
    std::size_t n = 0;
    for (auto& f : layer) {
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (defn->GetFieldDefn(i)->GetType() == OFTString && f->IsFieldSetAndNotNull(i)) {
                const char* s = f->GetFieldAsString(i);
                if (!is_ascii(s)) out.emplace_back(s);
            }
        if (++n >= max_features) break;
    }
    layer.ResetReading();
    return out;
}

// The code page of a .cpg that GDAL left unused: "ANSI 936" or a bare "936" -> "CP936".
std::string cpg_code_page(GDALDataset& ds) {
    char** files = ds.GetFileList();
    std::string result;
    for (char** f = files; f && *f && result.empty(); ++f) {
        const std::string path = *f;
        if (path.size() < 4 || lower_ascii(path.substr(path.size() - 4)) != ".cpg") continue;
        GByte* bytes = nullptr;
        if (!VSIIngestFile(nullptr, path.c_str(), &bytes, nullptr, 1024)) continue;
        std::string text(reinterpret_cast<char*>(bytes));
        VSIFree(bytes);
        std::string digits;
        for (char c : text)
            if (c >= '0' && c <= '9') digits += c;
            else if (!digits.empty()) break;
        const std::string lowered = lower_ascii(text);
        if (!digits.empty() && digits.size() <= 5 && (lowered.rfind("ansi", 0) == 0 || lowered.find_first_not_of("0123456789 \r\n") == std::string::npos))
            result = "CP" + digits;
    }
    CSLDestroy(files);
    return result;
}

std::string crs_from_extent_message(const OGREnvelope& e) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%.3f, %.3f – %.3f, %.3f", e.MinX, e.MinY, e.MaxX, e.MaxY);
    return buf;
}

} // namespace

namespace {

// A source layer opened with its text encoding, geometry source and CRS decided: the part of an
// import that needs no project.
struct SourceLayer {
    GdalDatasetPtr ds;
    OGRLayer* layer = nullptr;
    std::string driver;
    EncodingDecision enc;
    bool has_geometry_field = true;
    CoordinateColumns coord_columns;  // when the layer has no geometry field
    OGRSpatialReference srs;
    std::string crs_how;

    // Attribute text and field names in UTF-8 (sources GDAL hands over as GBK bytes are recoded here).
    std::string text(const char* s) const {
        return enc.recode_gbk_ourselves && !is_valid_utf8(s) ? gbk_to_utf8(s) : std::string(s);
    }

    std::unique_ptr<OGRGeometry> point_from_columns(OGRFeature& f) const {
        auto x = parse_number(f.GetFieldAsString(coord_columns.x));
        auto y = parse_number(f.GetFieldAsString(coord_columns.y));
        if (!x || !y) return nullptr;
        return std::make_unique<OGRPoint>(*x, *y);
    }
    bool extent(OGREnvelope& e) const {
        if (has_geometry_field) return layer->GetExtent(&e, TRUE) == OGRERR_NONE;
        bool any = false;
        layer->ResetReading();
        for (auto& f : *layer)
            if (auto p = point_from_columns(*f)) {
                OGREnvelope pe;
                p->getEnvelope(&pe);
                e.Merge(pe);
                any = true;
            }
        layer->ResetReading();
        return any;
    }
};

SourceLayer open_source_layer(const LayerImportOptions& o) {
    SourceLayer src;
    const std::string user_encoding = normalise_encoding_name(o.encoding);

    // --- open, deciding the text encoding --------------------------------------------------------
    std::vector<std::string> open_options;
    const std::string csv_options[] = {"X_POSSIBLE_NAMES=经度,lon*,lng,x,X坐标", "Y_POSSIBLE_NAMES=纬度,lat*,y,Y坐标",
                                       "KEEP_GEOM_COLUMNS=YES", "AUTODETECT_TYPE=YES"};
    const bool is_csv = lower_ascii(o.source.extension().string()) == ".csv";
    if (is_csv) open_options.assign(std::begin(csv_options), std::end(csv_options));
    if (user_encoding != "auto") open_options.push_back("ENCODING=" + user_encoding);
    src.ds = open_source(o.source, open_options);
    src.driver = src.ds->GetDriver() ? src.ds->GetDriver()->GetDescription() : "";
    const bool is_shapefile = src.driver == "ESRI Shapefile";
    src.layer = choose_layer(*src.ds, o);
    auto reopen_with = [&](const std::string& encoding) {
        open_options.push_back("ENCODING=" + encoding);
        const std::string layer_name = src.layer->GetName();
        src.ds = open_source(o.source, open_options);
        src.layer = src.ds->GetLayerByName(layer_name.c_str());
    };

    EncodingDecision& enc = src.enc;
    if (user_encoding != "auto") {
        enc.encoding = user_encoding;
        enc.how = "--encoding";
        enc.recode_gbk_ourselves = !is_shapefile && (user_encoding == "CP936" || user_encoding == "GB18030");
    } else if (is_shapefile) {
        const char* declared = src.layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE");
        if (declared && *declared) {
            enc.encoding = declared;
            const char* from_cpg = src.layer->GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE");
            enc.how = from_cpg && *from_cpg ? N_(".cpg 文件") : N_("DBF 代码页");
        } else if (const std::string cpg = cpg_code_page(*src.ds); !cpg.empty()) {
            // A .cpg GDAL did not understand, such as "ANSI 936" written by some Chinese tools.
            reopen_with(cpg);
            enc = {cpg, N_(".cpg 文件"), false};
        } else {
            // No .cpg and code-page byte 0: GDAL hands over raw bytes. Look at them.
            const std::string detected = detect_text_encoding(sample_strings(*src.layer, 5000));
            if (detected == "CP936") {
                reopen_with("CP936");
                enc = {"CP936", N_("按字节检测 (无 .cpg, 代码页为 0)"), false};
            } else if (detected.empty()) {
                throw InputError("'" + o.source.string() + "': the text is neither UTF-8 nor GBK and the file does "
                                 "not say its encoding; give it with --encoding");
            } else {
                enc = {"UTF-8", N_("按字节检测"), false};
            }
        }
    } else {
        const std::string detected = detect_text_encoding(sample_strings(*src.layer, 5000));
        if (detected == "CP936") enc = {"CP936", N_("按字节检测"), true};
        else if (detected.empty())
            throw InputError("'" + o.source.string() + "': the text is neither UTF-8 nor GBK; give the encoding with --encoding");
        else enc = {"UTF-8", N_("格式规定或按字节检测"), false};
    }

    // --- geometry source: a geometry field, or coordinate columns ---------------------------------
    OGRFeatureDefn* defn = src.layer->GetLayerDefn();
    src.has_geometry_field = defn->GetGeomFieldCount() > 0;
    if (!src.has_geometry_field) {
        src.coord_columns = find_coordinate_columns(*defn);
        if (src.coord_columns.x < 0 || src.coord_columns.y < 0)
            throw InputError("'" + o.source.string() + "' layer '" + src.layer->GetName() +
                             "' has no geometry and no coordinate columns (经度/纬度, X/Y)");
    }

    // --- CRS ------------------------------------------------------------------------------------
    if (!o.crs.empty()) {
        src.srs = make_srs(o.crs);
        src.crs_how = "--crs";
    } else if (const OGRSpatialReference* declared = src.layer->GetSpatialRef()) {
        src.srs = with_gis_axis_order(*declared);
        src.crs_how = N_("数据声明");
    } else {
        OGREnvelope e;
        const bool have_extent = src.extent(e);
        if (have_extent) {
            if (auto zone = cgcs2000_gk3_zone_epsg_from_easting(e.MinX);
                zone && zone == cgcs2000_gk3_zone_epsg_from_easting(e.MaxX)) {
                src.srs = make_srs(*zone);
                src.crs_how = N_("由8位带号横坐标推断");
            } else if (!src.has_geometry_field && looks_like_china_lonlat(e.MinX, e.MinY, e.MaxX, e.MaxY)) {
                src.srs = make_srs(kEpsgWgs84);
                src.crs_how = N_("经纬度列, 按 WGS-84 处理");
            }
        }
        if (src.crs_how.empty()) {
            std::string hint;
            if (have_extent && looks_like_china_lonlat(e.MinX, e.MinY, e.MaxX, e.MaxY))
                hint = "; they look like longitude/latitude: try --crs EPSG:4490";
            throw InputError("'" + o.source.string() + "' declares no coordinate reference system and its coordinates (" +
                             (have_extent ? crs_from_extent_message(e) : std::string("none")) +
                             ") do not show one; give it with --crs EPSG:n" + hint);
        }
    }
    return src;
}

} // namespace

int suggest_project_epsg(const LayerImportOptions& o) {
    const SourceLayer src = open_source_layer(o);
    // Data already in a CGCS2000 3-degree Gauss-Krüger CRS keep it.
    if (auto epsg = srs_epsg(src.srs); epsg && *epsg >= 4513 && *epsg <= 4554) return *epsg;
    OGREnvelope e;
    if (!src.extent(e)) throw InputError("'" + o.source.string() + "' holds no coordinates to choose a CRS from");
    double lon = (e.MinX + e.MaxX) / 2, lat = (e.MinY + e.MaxY) / 2;
    const OGRSpatialReference cgcs2000 = make_srs(kEpsgCgcs2000);
    if (!src.srs.IsSame(&cgcs2000)) {
        auto ct = make_transform(src.srs, cgcs2000);
        if (!transform_point(*ct, lon, lat))
            throw InputError("'" + o.source.string() + "': its centre cannot be expressed in longitude/latitude");
    }
    const auto epsg = cgcs2000_gk3_cm_epsg_for_longitude(lon);
    if (!epsg)
        throw InputError("'" + o.source.string() + "' lies outside China's Gauss-Krüger zones (centre longitude " +
                         std::to_string(lon) + "); give the CRS with --crs");
    return *epsg;
}

LayerPreview probe_layer(const LayerImportOptions& o, std::size_t max_rows) {
    SourceLayer src = open_source_layer(o);
    LayerPreview preview;
    preview.driver = src.driver;
    preview.source_layer = src.layer->GetName();
    preview.encoding = src.enc.encoding == "CP936" ? "GBK" : src.enc.encoding;  // as import_layer reports it
    preview.encoding_how = src.enc.how;
    preview.source_crs = srs_label(src.srs);
    preview.crs_how = src.crs_how;
    preview.geometry_type = src.has_geometry_field ? OGRGeometryTypeToName(src.layer->GetGeomType()) : "None";
    preview.feature_count = src.layer->GetFeatureCount(FALSE);
    OGRFeatureDefn* defn = src.layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) preview.fields.push_back(src.text(defn->GetFieldDefn(i)->GetNameRef()));
    src.layer->ResetReading();
    for (auto& f : *src.layer) {
        if (preview.rows.size() >= max_rows) break;
        std::vector<std::string>& row = preview.rows.emplace_back();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            row.push_back(f->IsFieldSetAndNotNull(i) ? src.text(f->GetFieldAsString(i)) : std::string());
    }
    return preview;
}

LayerImportReport import_layer(ProjectStore& store, const LayerImportOptions& o, Progress& progress) {
    if (!is_valid_role_name(o.role))
        throw UsageError("'" + o.role + "' is not a role; use one of jurisdiction, village, landuse, planning, "
                         "farmland, eco_redline, urban_boundary, water_protection, industrial_park, park_parcel, "
                         "sensitive, grid, or a lower-case word of your own");
    LayerImportReport report;
    report.source = o.source.string();
    report.role = o.role;
    SourceLayer src = open_source_layer(o);
    GDALDataset* ds = src.ds.get();
    OGRLayer* layer = src.layer;
    const EncodingDecision& enc = src.enc;
    report.driver = src.driver;
    // Land offices know CP936 as GBK.
    report.encoding = enc.encoding == "CP936" ? "GBK" : enc.encoding;
    report.encoding_how = enc.how;
    // A layer name from a GBK file name (Chinese Windows zips) or a damaged file: GBK if it decodes,
    // else the bytes that are not UTF-8 become '?'. The project keeps UTF-8 text only.
    auto utf8_name = [](std::string name) {
        if (is_valid_utf8(name)) return name;
        std::string recoded;
        if (decodes_as_gbk(name)) recoded = gbk_to_utf8(name);
        if (recoded.empty() || !is_valid_utf8(recoded)) {
            recoded.clear();
            for (unsigned char c : name) recoded += c < 0x80 ? static_cast<char>(c) : '?';
        }
        return recoded;
    };
    report.source_layer = utf8_name(layer->GetName());
    report.layer_name = o.name.empty() ? report.source_layer : utf8_name(o.name);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const bool has_geometry_field = src.has_geometry_field;

    const ProjectSettings settings = store.settings();
    const OGRSpatialReference project_srs = make_srs(settings.epsg);
    report.project_crs = "EPSG:" + std::to_string(settings.epsg);
    report.crs_how = src.crs_how;
    report.source_crs = srs_label(src.srs);
    CoordTransformPtr ct;
    if (!src.srs.IsSame(&project_srs)) ct = make_transform(src.srs, project_srs);

    // --- fields ---------------------------------------------------------------------------------
    std::vector<FieldDef> fields;
    std::vector<int> source_index;
    std::set<std::string> used{"fid", "source_fid", "geom"};
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        std::string name = src.text(fd->GetNameRef());
        std::string base = name;
        for (int k = 1; used.count(lower_ascii(name)); ++k) name = base + "_" + std::to_string(k);
        used.insert(lower_ascii(name));
        FieldType type = FieldType::text;
        if (fd->GetType() == OFTInteger || fd->GetType() == OFTInteger64) type = FieldType::integer;
        else if (fd->GetType() == OFTReal) type = FieldType::real;
        fields.push_back({name, type});
        source_index.push_back(i);
    }

    // Land-class code field and its distinct values (for the code-system decision).
    std::vector<std::string> field_names;
    for (const auto& f : fields) field_names.push_back(f.name);
    const bool has_land_classes = o.role == "landuse" || o.role == "planning" || o.role == "park_parcel" ||
                                  !o.code_field.empty() || o.code_system != CodeSystem::unknown;
    int code_field_pos = -1;
    if (has_land_classes) {
        std::optional<std::string> cf = o.code_field.empty() ? find_code_field(field_names) : o.code_field;
        if (cf) {
            auto it = std::find(field_names.begin(), field_names.end(), *cf);
            if (it == field_names.end())
                throw UsageError("'" + o.source.string() + "' has no field '" + *cf + "' for the land class code");
            code_field_pos = static_cast<int>(it - field_names.begin());
            report.code_field = *cf;
        } else if (o.role == "landuse" || o.role == "planning") {
            report.notes.push_back("未找到地类编码字段 (DLBM/GHDLBM…); 可用 --code-field 指定");
        }
    }
    std::map<std::string, long long> code_counts;

    // --- stream the features into the store, in one transaction -----------------------------------
    const OGRwkbGeometryType source_type = has_geometry_field ? layer->GetGeomType() : wkbPoint;
    const GeometryKind kind = kind_for(o.role, source_type);
    if (OGR_GT_HasZ(source_type) || OGR_GT_HasM(source_type)) report.notes.push_back("Z/M 坐标已舍弃 (只存平面坐标)");

    // Reading, reprojecting and validating run on a second thread while this one writes, so the
    // GEOS checks cost little on top of what a plain copy (ogr2ogr) needs.
    struct ReadyFeature {
        long long fid = 0;
        std::vector<FieldValue> values;
        std::vector<unsigned char> wkb;
    };
    using Batch = std::vector<ReadyFeature>;
    BoundedQueue<Batch> queue(16);
    std::exception_ptr reader_error;
    std::atomic<long long> features_read{0};
    const long long total = layer->GetFeatureCount(FALSE);

    auto read_and_check = [&] {
        GeosContext geos;
        GeosWkbWriterPtr wkb_writer(GEOSWKBWriter_create_r(geos.get()), GeosWkbWriterDeleter{geos.get()});
        GEOSWKBWriter_setOutputDimension_r(geos.get(), wkb_writer.get(), 2);
        auto reject = [&](long long fid, std::string reason) { report.rejected.push_back({fid, std::move(reason)}); };

        // The OSM driver builds multipolygons across its layers: reading one layer alone loses some
        // features, so read the whole data set in order and keep the chosen layer's.
        const bool whole_dataset_order = report.driver == "OSM";
        auto next_feature = [&]() -> OGRFeatureUniquePtr {
            if (!whole_dataset_order) return OGRFeatureUniquePtr(layer->GetNextFeature());
            while (true) {
                OGRLayer* from = nullptr;
                OGRFeatureUniquePtr f(ds->GetNextFeature(&from, nullptr, nullptr, nullptr));
                if (!f || from == layer) return f;
            }
        };
        if (whole_dataset_order) ds->ResetReading();
        else layer->ResetReading();
        CPLErrorReset();
        Batch batch;
        while (true) {
            OGRFeatureUniquePtr feature = next_feature();
            if (!feature) {
                if (CPLGetLastErrorType() >= CE_Failure)
                    throw InputError("'" + o.source.string() + "': reading stopped after feature " +
                                     std::to_string(features_read.load()) + ": " + CPLGetLastErrorMsg());
                break;
            }
            ++features_read;
            const long long fid = feature->GetFID();
            // GDAL may fail on one feature (a truncated .shp, unparsable WKT) and still hand over
            // what it got: a damaged file is refused as a whole rather than imported in part.
            if (CPLGetLastErrorType() >= CE_Failure)
                throw InputError("'" + o.source.string() + "': feature " + std::to_string(fid) + " (number " +
                                 std::to_string(features_read.load()) +
                                 ") cannot be read, the file may be damaged or truncated (GDAL: " + CPLGetLastErrorMsg() +
                                 "); nothing was imported");

            std::unique_ptr<OGRGeometry> owned;
            OGRGeometry* g = nullptr;
            if (has_geometry_field) {
                g = feature->GetGeometryRef();
            } else {
                owned = src.point_from_columns(*feature);
                g = owned.get();
            }
            if (!g) { reject(fid, has_geometry_field ? "无几何 (null geometry)" : "坐标列为空或不是数字"); continue; }
            if (g->IsEmpty()) { reject(fid, "空几何 (empty geometry)"); continue; }
            g->flattenTo2D();
            if (!all_coordinates_finite(*g)) { reject(fid, "坐标为 NaN 或超出范围"); continue; }
            if (src.srs.IsGeographic()) {
                // Metres under a degrees label (a Gauss-Krüger file tagged EPSG:4490) is a common mix-up.
                OGREnvelope e;
                g->getEnvelope(&e);
                if (e.MinX < -180 || e.MaxX > 180 || e.MinY < -90 || e.MaxY > 90) {
                    char where[96];
                    std::snprintf(where, sizeof where, "(%.1f, %.1f)", e.MinX, e.MinY);
                    reject(fid, std::string("坐标 ") + where + " 不是经纬度, 但文件声明的坐标系 " + report.source_crs +
                                    " 是经纬度: 坐标系标注有误? 用 --crs 指定");
                    continue;
                }
            }
            if (ct && g->transform(ct.get()) != OGRERR_NONE) { reject(fid, "坐标转换失败 (超出 " + report.source_crs + " 的适用范围)"); continue; }
            if (!all_coordinates_finite(*g)) { reject(fid, "坐标转换得到无效值"); continue; }
            const bool collection = wkbFlatten(g->getGeometryType()) == wkbGeometryCollection;
            // A GeometryCollection of polygons (web exports) goes through make-valid below.
            if (!(kind == GeometryKind::multipolygon && collection) && !geometry_fits(kind, g->getGeometryType())) {
                reject(fid, std::string("几何类型 ") + OGRGeometryTypeToName(g->getGeometryType()) + " 与图层类型不符");
                continue;
            }

            ReadyFeature ready;
            ready.fid = fid;
            // Validity: repair with GEOS make-valid, counting what was repaired.
            GeosGeometryPtr gg = geos_own(geos, g->exportToGEOS(geos.get()));
            if (!gg) { reject(fid, "几何无法读取: " + geos.last_error()); continue; }
            const char valid = GEOSisValid_r(geos.get(), gg.get());
            if (valid != 1 || collection) {
                std::string why = "geometry collection";
                if (valid != 1) {
                    char* reason = GEOSisValidReason_r(geos.get(), gg.get());
                    why = reason ? reason : "invalid";
                    GEOSFree_r(geos.get(), reason);
                }
                GeosGeometryPtr fixed = geos_own(geos, GEOSMakeValid_r(geos.get(), gg.get()));
                if (fixed && kind == GeometryKind::multipolygon) fixed = polygonal_part(geos, std::move(fixed));
                if (!fixed || GEOSisEmpty_r(geos.get(), fixed.get())) {
                    reject(fid, "无效几何且无法修复: " + why);
                    continue;
                }
                size_t size = 0;
                unsigned char* buf = GEOSWKBWriter_write_r(geos.get(), wkb_writer.get(), fixed.get(), &size);
                ready.wkb.assign(buf, buf + size);
                GEOSFree_r(geos.get(), buf);
                ++report.repaired;
                if (report.repairs.size() < 100) report.repairs.push_back("fid " + std::to_string(fid) + ": " + why);
            } else {
                ready.wkb.resize(g->WkbSize());
                g->exportToWkb(wkbNDR, ready.wkb.data(), wkbVariantIso);
            }

            ready.values.resize(fields.size());
            for (std::size_t k = 0; k < fields.size(); ++k) {
                const int i = source_index[k];
                FieldValue& v = ready.values[k];
                if (!feature->IsFieldSetAndNotNull(i)) continue;
                switch (fields[k].type) {
                case FieldType::integer: v.kind = FieldValue::Kind::integer; v.i = feature->GetFieldAsInteger64(i); break;
                case FieldType::real: v.kind = FieldValue::Kind::real; v.d = feature->GetFieldAsDouble(i); break;
                case FieldType::text: {
                    v.kind = FieldValue::Kind::text;
                    v.s = src.text(feature->GetFieldAsString(i));
                    break;
                }
                }
            }
            if (code_field_pos >= 0) {
                const FieldValue& cv = ready.values[code_field_pos];
                ++code_counts[cv.kind == FieldValue::Kind::text      ? cv.s
                              : cv.kind == FieldValue::Kind::integer ? std::to_string(cv.i)
                                                                      : std::string()];
            }
            batch.push_back(std::move(ready));
            if (batch.size() == 512) {
                if (!queue.push(std::move(batch))) return;  // the writer stopped
                batch = Batch();
            }
        }
        if (!batch.empty()) queue.push(std::move(batch));
    };

    backup_before_bulk_change(store, "import");
    WriteTransaction tx(store);
    if (o.replace && store.find_layer(report.layer_name)) store.drop_layer(tx, report.layer_name);
    LayerWriter writer = store.create_layer(tx, report.layer_name, o.role, fields, kind);
    std::thread reader([&] {
        try {
            read_and_check();
        } catch (...) {
            reader_error = std::current_exception();
        }
        queue.close();
    });
    // Until the reader has finished, this thread touches only the writer, the queue and `imported`.
    try {
        while (auto batch = queue.pop()) {
            for (const ReadyFeature& f : *batch) writer.add(f.fid, f.values, f.wkb.data(), f.wkb.size());
            report.imported += static_cast<long long>(batch->size());
            if (progress.cancelled()) throw CancelledError();
            const long long read = features_read.load();
            progress.report(total > 0 ? std::min(0.99, double(read) / double(total)) : 0.5, report.layer_name);
        }
    } catch (...) {
        queue.close();
        reader.join();
        throw;
    }
    reader.join();
    if (reader_error) std::rethrow_exception(reader_error);
    report.features_read = features_read.load();
    if (report.imported == 0)
        throw InputError("'" + o.source.string() + "' layer '" + report.source_layer + "': no feature could be imported" +
                         (report.rejected.empty() ? std::string(" (the layer is empty)")
                                                  : " (" + std::to_string(report.rejected.size()) +
                                                        " rejected, first: fid " + std::to_string(report.rejected[0].fid) +
                                                        ": " + report.rejected[0].reason + ")"));

    // --- land-class code system -------------------------------------------------------------------
    if (code_field_pos >= 0) {
        const fs::path dir = layers_dir();
        const auto sandiao = LandUseCodeTable::load(CodeSystem::sandiao, dir);
        const auto yongdi = LandUseCodeTable::load(CodeSystem::yongdi, dir);
        std::vector<std::string> distinct;
        for (const auto& [code, n] : code_counts) distinct.push_back(code);
        CodeSystem system = o.code_system;
        if (system != CodeSystem::unknown) {
            report.code_system_how = "--code-system";
        } else {
            const CodeSystemGuess guess = detect_code_system(distinct, sandiao, yongdi);
            system = guess.system;
            report.code_system_how = guess.evidence;
            if (system == CodeSystem::unknown) {
                // No code tells them apart: a 三调 DLTB is 三调, planning layers are 用地用海.
                system = o.role == "landuse" ? CodeSystem::sandiao : CodeSystem::yongdi;
                report.code_system_how = std::string("编码无法区分, 按图层角色 ") + o.role + " 取默认";
            }
        }
        report.code_system = code_system_code(system);
        const LandUseCodeTable& table = system == CodeSystem::sandiao ? sandiao : yongdi;
        for (const auto& [code, n] : code_counts)
            if (!table.name(code)) report.unknown_codes.emplace_back(code.empty() ? "(空)" : code, n);
    }

    LayerInfo info;
    info.name = report.layer_name;
    info.role = o.role;
    info.source_path = fs::absolute(o.source).lexically_normal().string();
    info.source_layer = report.source_layer;
    info.driver = report.driver;
    info.source_crs = report.source_crs;
    info.encoding = report.encoding;
    info.code_system = report.code_system;
    info.code_field = report.code_field;
    info.repaired_count = report.repaired;
    info.rejected_count = static_cast<long long>(report.rejected.size());
    info.report_json = report.to_json();
    info = writer.finish(info);
    report.table_name = info.table_name;
    store.audit(tx, "import layer", "layer_catalog", info.id, "name", "", info.name);
    if (progress.cancelled()) throw CancelledError();
    tx.commit();
    progress.report(1.0, report.layer_name);
    return report;
}

} // namespace qingling
