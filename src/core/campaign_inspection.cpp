#include "core/campaign_inspection.hpp"

#include "core/campaign_dates.hpp"
#include "core/campaign_workflow.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/sheet_table.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

namespace qingling {

namespace {
// GDAL writes an EXIF rational triple as "(30) (36) (18.5)": degrees, minutes, seconds.
std::optional<double> degrees_from_gdal_triple(const char* text) {
    if (!text) return std::nullopt;
    static const std::regex number(R"(\(\s*([-+0-9.eE]+)\s*\))");
    std::vector<double> parts;
    const std::string s(text);
    for (std::sregex_iterator it(s.begin(), s.end(), number), end; it != end; ++it)
        parts.push_back(std::atof((*it)[1].str().c_str()));
    if (parts.empty() || parts.size() > 3) return std::nullopt;
    double deg = 0, scale = 1;
    for (double p : parts) {
        deg += p / scale;
        scale *= 60;
    }
    return deg;
}
} // namespace

PhotoExif read_photo_exif(const std::filesystem::path& image) {
    ensure_gdal_initialised();
    CPLErrorReset();
    GdalDatasetPtr ds(GDALDataset::Open(image.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds) throw InputError("cannot open photo " + image.string() + ": " + last_gdal_error("not an image GDAL can read"));
    PhotoExif out;
    const char* lat = ds->GetMetadataItem("EXIF_GPSLatitude");
    const char* lon = ds->GetMetadataItem("EXIF_GPSLongitude");
    auto la = degrees_from_gdal_triple(lat), lo = degrees_from_gdal_triple(lon);
    if (la && lo) {
        const char* lat_ref = ds->GetMetadataItem("EXIF_GPSLatitudeRef");
        const char* lon_ref = ds->GetMetadataItem("EXIF_GPSLongitudeRef");
        if (lat_ref && (*lat_ref == 'S' || *lat_ref == 's')) *la = -*la;
        if (lon_ref && (*lon_ref == 'W' || *lon_ref == 'w')) *lo = -*lo;
        if (std::fabs(*la) <= 90 && std::fabs(*lo) <= 180 && !(*la == 0 && *lo == 0)) {
            out.lat = la;
            out.lon = lo;
        }
    }
    const char* when = ds->GetMetadataItem("EXIF_DateTimeOriginal");
    if (!when) when = ds->GetMetadataItem("EXIF_DateTime");
    if (when) {
        static const std::regex exif_time(R"((\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2}).*)");
        std::cmatch m;
        if (std::regex_match(when, m, exif_time))
            out.taken_at = m[1].str() + "-" + m[2].str() + "-" + m[3].str() + "T" + m[4].str() + ":" + m[5].str() + ":" + m[6].str();
    }
    return out;
}

Photo load_photo(const ProjectStore& store, const std::filesystem::path& file, long long enterprise_id) {
    Photo p;
    p.enterprise_id = enterprise_id;
    p.file_name = file.filename().string();
    p.data = read_whole_file(file.string());
    const PhotoExif exif = read_photo_exif(file);
    p.taken_at = exif.taken_at;
    p.lon = exif.lon;
    p.lat = exif.lat;
    if (exif.lon && exif.lat) {
        const auto ct = make_transform(make_srs(kEpsgWgs84), make_srs(store.settings().epsg));
        double x = *exif.lon, y = *exif.lat;
        if (!transform_point(*ct, x, y))
            throw InputError("photo " + file.string() + ": its GPS position cannot be placed in the project's CRS");
        p.x = x;
        p.y = y;
    }
    return p;
}

InspectionImportReport add_inspections(ProjectStore& store, const std::vector<InspectionEntry>& entries, Progress& progress) {
    std::map<long long, const LedgerRecord*> ledger_by_id;
    const auto ledger = store.ledger();
    for (const auto& r : ledger) ledger_by_id[r.id] = &r;
    auto where = [](const InspectionEntry& e) {
        return e.source_row > 0 ? "row " + std::to_string(e.source_row) + ": " : std::string();
    };
    // Everything is checked and every photo read before anything is written.
    std::vector<Inspection> inspections;
    std::vector<std::vector<Photo>> photos;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        if (!ledger_by_id.count(e.enterprise_id))
            throw UsageError(where(e) + "the ledger has no enterprise with id " + std::to_string(e.enterprise_id));
        if (!is_iso_date(e.date)) throw UsageError(where(e) + "the date must be YYYY-MM-DD, not '" + e.date + "'");
        if (e.inspector.empty()) throw UsageError(where(e) + "the inspector (检查人) is missing");
        const auto result = parse_inspection_result(e.result);
        if (!result)
            throw UsageError(where(e) + "the result must be 正常, 疑似复产, 已复产 or 整改未到位, not '" + e.result + "'");
        Inspection ins;
        ins.enterprise_id = e.enterprise_id;
        ins.date = e.date;
        ins.inspector = e.inspector;
        ins.result = *result;
        ins.note = e.note;
        inspections.push_back(ins);
        std::vector<Photo> these;
        for (const auto& file : e.photos) {
            try {
                these.push_back(load_photo(store, file, e.enterprise_id));
            } catch (const InputError& err) {
                throw InputError(where(e) + err.what());
            }
        }
        photos.push_back(std::move(these));
        if (progress.cancelled()) throw CancelledError();
        progress.report(0.5 * static_cast<double>(i + 1) / static_cast<double>(entries.size()), "读取照片");
    }
    InspectionImportReport report;
    WriteTransaction tx(store);
    for (std::size_t i = 0; i < inspections.size(); ++i) {
        inspections[i].id = store.add_inspection(tx, inspections[i]);
        for (auto& p : photos[i]) {
            p.inspection_id = inspections[i].id;
            PlacedPhoto placed;
            placed.photo_id = store.add_photo(tx, p);
            placed.inspection_id = p.inspection_id;
            placed.enterprise_id = p.enterprise_id;
            placed.file_name = p.file_name;
            placed.taken_at = p.taken_at;
            placed.lon = p.lon;
            placed.lat = p.lat;
            placed.x = p.x;
            placed.y = p.y;
            const LedgerRecord* e = ledger_by_id.at(p.enterprise_id);
            if (p.x && p.y && e->x && e->y) placed.distance_m = std::hypot(*p.x - *e->x, *p.y - *e->y);
            report.photos.push_back(std::move(placed));
        }
        if (progress.cancelled()) throw CancelledError();
        progress.report(0.5 + 0.5 * static_cast<double>(i + 1) / static_cast<double>(inspections.size()), "保存检查记录");
    }
    tx.commit();
    report.inspections = std::move(inspections);
    return report;
}

std::vector<InspectionEntry> read_inspection_sheet(const std::filesystem::path& file) {
    const SheetTable t = read_sheet_table(file);
    const auto id = t.column({"企业编号", "编号", "id", "enterprise_id"});
    const auto date = t.column({"检查日期", "日期", "date"});
    const auto inspector = t.column({"检查人", "检查人员", "inspector"});
    const auto result = t.column({"检查结果", "结果", "result"});
    const auto note = t.column({"备注", "说明", "note"});
    const auto photo = t.column({"照片", "photo", "photos"});
    std::string missing;
    if (!id) missing += " 企业编号";
    if (!date) missing += " 检查日期";
    if (!inspector) missing += " 检查人";
    if (!result) missing += " 检查结果";
    if (!missing.empty()) throw InputError(file.string() + " lacks the column(s)" + missing);
    std::vector<InspectionEntry> out;
    for (const auto& r : t.rows) {
        InspectionEntry e;
        e.source_row = r.row;
        char* end = nullptr;
        const std::string& id_text = r.values[*id];
        e.enterprise_id = std::strtoll(id_text.c_str(), &end, 10);
        if (id_text.empty() || (end && *end != '\0' && std::string(end) != ".0"))
            throw InputError(file.string() + " row " + std::to_string(r.row) + ": 企业编号 '" + id_text + "' is not a number");
        e.date = r.values[*date];
        // Spreadsheets give dates as 2024/12/15.
        for (char& c : e.date)
            if (c == '/') c = '-';
        if (e.date.size() > 10) e.date = e.date.substr(0, 10);
        e.inspector = r.values[*inspector];
        e.result = r.values[*result];
        if (note) e.note = r.values[*note];
        if (photo) {
            std::string list = r.values[*photo];
            std::string item;
            auto flush = [&] {
                while (!item.empty() && item.front() == ' ') item.erase(0, 1);
                while (!item.empty() && item.back() == ' ') item.pop_back();
                if (!item.empty()) {
                    std::filesystem::path p(item);
                    e.photos.push_back(p.is_absolute() ? p : file.parent_path() / p);
                }
                item.clear();
            };
            for (char c : list) {
                if (c == ';' || c == ',') flush();
                else item += c;
            }
            flush();
        }
        out.push_back(std::move(e));
    }
    if (out.empty()) throw InputError(file.string() + " holds no inspection rows");
    return out;
}

} // namespace qingling
