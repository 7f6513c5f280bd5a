#include "core/ledger_export.hpp"

#include "core/errors.hpp"
#include "core/gdal_handles.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

namespace qingling {

namespace {

const char* kSheetName = "台账";

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string yes_no(const std::optional<bool>& v) {
    if (!v) return "";
    return *v ? "有" : "无";
}

std::string emission_text(Emission e) { return e == Emission::unknown ? "" : emission_label_zh(e); }

// Written so that the ledger parser reads it back as the same source.
std::string coord_source_text(CoordSource s) {
    switch (s) {
    case CoordSource::none: return "";
    case CoordSource::wgs84: return "WGS84";
    case CoordSource::cgcs2000: return "CGCS2000";
    case CoordSource::gcj02: return "高德GCJ02";
    case CoordSource::bd09: return "百度BD09";
    case CoordSource::gauss_kruger: return "高斯-克吕格";
    }
    return "";
}

// Millimetres for projected coordinates, about a millimetre for degrees.
std::string coordinate_text(const std::optional<double>& v, bool degrees) {
    if (!v) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, degrees ? "%.9f" : "%.3f", *v);
    return buf;
}

std::string random_suffix() {
    std::random_device rd;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    return buf;
}

} // namespace

std::vector<std::string> ledger_export_headers() {
    std::vector<std::string> h = {"序号",         "企业名称", "统一社会信用代码", "法定代表人", "联系电话", "地址",
                                  "所属村(社区)", "行业",     "责任部门",         "电力户号"};
    for (Permit p : kAllPermits) h.emplace_back(permit_label_zh(p));
    for (const char* s : {"废水", "废气", "固废", "固废台账", "X", "Y", "原始经度/X", "原始纬度/Y", "坐标来源", "备注"})
        h.emplace_back(s);
    return h;
}

void export_ledger(const std::vector<LedgerRecord>& records, const std::filesystem::path& out) {
    const std::string ext = lower_ascii(out.extension().string());
    const char* driver_name = ext == ".xlsx" ? "XLSX" : ext == ".csv" ? "CSV" : nullptr;
    if (!driver_name)
        throw UsageError("cannot export the ledger to " + out.string() + ": unknown format '" + ext +
                         "' (use .xlsx or .csv)");
    ensure_gdal_initialised();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (!driver) throw Error(std::string("GDAL has no ") + driver_name + " driver");

    // Columns: the canonical ones, then every extra column once, renamed if it clashes.
    std::vector<std::string> headers = ledger_export_headers();
    const std::size_t fixed = headers.size();
    std::set<std::string> taken(headers.begin(), headers.end());
    std::vector<std::pair<std::string, std::string>> extra_columns;  // source header -> column name
    for (const auto& r : records)
        for (const auto& extra : r.extra) {
            const std::string& h = extra.first;  // a plain reference: clang 14 cannot capture a structured binding
            if (std::any_of(extra_columns.begin(), extra_columns.end(), [&h](const auto& e) { return e.first == h; }))
                continue;
            std::string name = h.empty() ? std::string("未命名列") : h;
            for (int n = 2; taken.count(name); ++n) name = h + "(" + std::to_string(n) + ")";
            taken.insert(name);
            extra_columns.emplace_back(h, name);
            headers.push_back(name);
        }

    // Degrees or metres: a project in a geographic CRS has all |x| <= 180 and |y| <= 90.
    bool degrees = true;
    for (const auto& r : records)
        if (r.x && r.y && (std::abs(*r.x) > 180 || std::abs(*r.y) > 90)) degrees = false;

    const std::filesystem::path temp =
        out.parent_path() / (out.stem().string() + ".partial-" + random_suffix() + out.extension().string());
    std::error_code ec;
    try {
        CPLErrorReset();
        GdalDatasetPtr ds(driver->Create(temp.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw Error("cannot create " + out.string() + ": " + last_gdal_error("GDAL could not create it"));
        CPLStringList layer_options;
        if (ext == ".csv") layer_options.AddString("WRITE_BOM=YES");
        OGRLayer* layer = ds->CreateLayer(kSheetName, nullptr, wkbNone, layer_options.List());
        if (!layer) throw Error("cannot write " + out.string() + ": " + last_gdal_error("GDAL could not create the sheet"));
        for (const auto& h : headers) {
            OGRFieldDefn field(h.c_str(), OFTString);
            if (layer->CreateField(&field) != OGRERR_NONE)
                throw Error("cannot write the column " + h + " to " + out.string() + ": " +
                            last_gdal_error("GDAL refused the column"));
        }
        long long seq = 0;
        for (const auto& r : records) {
            std::vector<std::string> v = {std::to_string(++seq), r.name, r.credit_code, r.legal_person, r.phone,
                                          r.address, r.village, r.industry, r.department, r.power_account};
            for (Permit p : kAllPermits) {
                auto it = r.permits.find(p);
                v.push_back(it == r.permits.end() ? std::string() : yes_no(it->second));
            }
            v.push_back(emission_text(r.wastewater));
            v.push_back(emission_text(r.waste_gas));
            v.push_back(emission_text(r.solid_waste));
            v.push_back(yes_no(r.solid_waste_ledger));
            v.push_back(coordinate_text(r.x, degrees));
            v.push_back(coordinate_text(r.y, degrees));
            v.push_back(r.original_x);
            v.push_back(r.original_y);
            v.push_back(coord_source_text(r.coord_source));
            v.push_back(r.notes);
            v.resize(headers.size());
            for (std::size_t i = 0; i < extra_columns.size(); ++i)
                for (const auto& [h, value] : r.extra)
                    if (h == extra_columns[i].first) {
                        v[fixed + i] = value;
                        break;
                    }
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            for (std::size_t i = 0; i < v.size(); ++i)
                if (!v[i].empty()) f->SetField(static_cast<int>(i), v[i].c_str());
            if (layer->CreateFeature(f.get()) != OGRERR_NONE)
                throw Error("cannot write row " + std::to_string(seq) + " to " + out.string() + ": " +
                            last_gdal_error("GDAL refused the row"));
        }
        CPLErrorReset();
        ds.reset();  // the XLSX driver writes the file here
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal)
            throw Error("cannot write " + out.string() + ": " + last_gdal_error("GDAL failed to finish the file"));
        if (!std::filesystem::is_regular_file(temp, ec))
            throw Error("cannot write " + out.string() + ": GDAL wrote no file");
        std::filesystem::rename(temp, out, ec);
        if (ec) throw Error("cannot write " + out.string() + ": " + ec.message());
    } catch (...) {
        std::filesystem::remove(temp, ec);
        throw;
    }
}

} // namespace qingling
