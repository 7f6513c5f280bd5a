#include "core/sheet_table.hpp"

#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/text_encoding.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>

namespace qingling {

namespace {
std::string simplified(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Removes a /vsimem/ file when done.
struct VsiMemFile {
    std::string path;
    ~VsiMemFile() {
        if (!path.empty()) VSIUnlink(path.c_str());
    }
};
} // namespace

std::optional<std::size_t> SheetTable::column(const std::vector<std::string>& names) const {
    for (const auto& n : names)
        for (std::size_t i = 0; i < headers.size(); ++i)
            if (simplified(headers[i]) == simplified(n)) return i;
    return std::nullopt;
}

SheetTable read_sheet_table(const std::filesystem::path& file) {
    ensure_gdal_initialised();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw InputError(file.string() + " does not exist or is not a file");
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool is_csv = ext == ".csv" || ext == ".txt";

    SheetTable table;
    table.file = file;
    std::string open_path = file.string();
    VsiMemFile converted;
    if (is_csv) {
        std::ifstream in(file, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // GDAL's CSV driver reads UTF-8 (with or without BOM); GBK is converted into memory first.
        if (!is_valid_utf8(bytes)) {
            if (!decodes_as_gbk(bytes)) throw InputError(file.string() + " is neither UTF-8 nor GBK text");
            bytes = gbk_to_utf8(bytes);
            converted.path = "/vsimem/qingling-sheet-" + std::to_string(reinterpret_cast<std::uintptr_t>(&table)) + ".csv";
            VSILFILE* w = VSIFOpenL(converted.path.c_str(), "wb");
            if (!w) throw InputError("cannot buffer " + file.string());
            VSIFWriteL(bytes.data(), 1, bytes.size(), w);
            VSIFCloseL(w);
            open_path = converted.path;
        }
    }
    ScopedGdalConfig xlsx_headers("OGR_XLSX_HEADERS", "FORCE");
    ScopedGdalConfig ods_headers("OGR_ODS_HEADERS", "FORCE");
    CPLStringList open_options;
    const char* csv_only[] = {"CSV", nullptr};
    if (is_csv) {
        open_options.AddString("AUTODETECT_TYPE=NO");
        open_options.AddString("HEADERS=YES");
    }
    CPLErrorReset();
    GdalDatasetPtr ds(GDALDataset::Open(open_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                        is_csv ? csv_only : nullptr, open_options.List(), nullptr));
    if (!ds) throw InputError("cannot open " + file.string() + ": " + last_gdal_error("not a CSV or spreadsheet GDAL can read"));
    if (ds->GetLayerCount() == 0) throw InputError(file.string() + " holds no sheet");
    OGRLayer* layer = ds->GetLayer(0);
    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    const bool sheet_rows = driver == "XLSX" || driver == "ODS";
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int n = defn->GetFieldCount();
    for (int i = 0; i < n; ++i) table.headers.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    long long index = 0;
    layer->ResetReading();
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()), ++index) {
        SheetRow r;
        r.row = sheet_rows && f->GetFID() > 0 ? f->GetFID() : index + 2;
        bool any = false;
        for (int i = 0; i < n; ++i) {
            r.values.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
            any = any || !r.values.back().empty();
        }
        if (any) table.rows.push_back(std::move(r));
    }
    return table;
}

} // namespace qingling
