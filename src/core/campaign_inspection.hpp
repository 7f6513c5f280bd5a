// Inspections (routine and 回头看) with photos. A photo's place comes from its EXIF GPS tags, read
// through GDAL's JPEG driver (metadata EXIF_GPSLatitude, EXIF_GPSLongitude and their Ref items),
// and is stored with the photo's bytes in the campaign file, as a point in the project CRS.
#pragma once

#include "core/campaign_records.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct PhotoExif {
    std::optional<double> lon, lat;   // WGS-84 degrees (phones record WGS-84)
    std::string taken_at;             // EXIF DateTimeOriginal (or DateTime) as ISO "YYYY-MM-DDTHH:MM:SS"
};
// InputError naming the file when GDAL cannot open it as an image.
PhotoExif read_photo_exif(const std::filesystem::path& image);

// A photo ready to store: its bytes, EXIF position and that position in the project CRS.
Photo load_photo(const ProjectStore& store, const std::filesystem::path& file, long long enterprise_id);

struct InspectionEntry {
    long long source_row = 0;          // row of a batch sheet (0 for the command line)
    long long enterprise_id = 0;
    std::string date, inspector, result, note;   // result: 正常/疑似复产/已复产/整改未到位 or its code
    std::vector<std::filesystem::path> photos;
};

struct PlacedPhoto {
    long long photo_id = 0, inspection_id = 0, enterprise_id = 0;
    std::string file_name, taken_at;
    std::optional<double> lon, lat, x, y;
    std::optional<double> distance_m;  // from the enterprise's point, when both are known
};

struct InspectionImportReport {
    std::string source;                // sheet file, or empty
    std::vector<Inspection> inspections;
    std::vector<PlacedPhoto> photos;
};

// Validates every entry first (UsageError/InputError naming the row, the enterprise or the file),
// then stores all in one transaction.
InspectionImportReport add_inspections(ProjectStore& store, const std::vector<InspectionEntry>& entries, Progress& progress);

// Entries from a CSV/XLSX sheet with the columns 企业编号 (or 编号), 检查日期 (or 日期), 检查人,
// 检查结果 (or 结果), optional 备注 and 照片 (file names relative to the sheet, separated by ; or ,).
std::vector<InspectionEntry> read_inspection_sheet(const std::filesystem::path& file);

} // namespace qingling
