// The evidence behind the campaign (issue 8) taken out of the campaign file for a meeting, an
// inspection or an archive: every stored photo and every 两断三清 evidence file, one folder per
// enterprise, with an index listing each file's SHA-256 (so a copy can be checked against the
// campaign file later) and a GeoPackage of the photos placed by their EXIF position.
#pragma once

#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct EvidenceExportOptions {
    std::filesystem::path out_dir;            // created; refused when it already exists
    std::optional<long long> enterprise_id;   // only this enterprise
    std::string village;                      // only enterprises of this village
};

struct EvidenceFile {
    long long enterprise_id = 0;
    std::string enterprise, village;
    std::string kind;            // 检查照片 or 两断三清
    std::string item;            // 回头看/检查 result, or 断水/断电/清厂房/清设备/清原料
    std::string date;            // inspection date, or the item's date
    std::string relative_path;   // inside out_dir, '/' separated
    long long bytes = 0;
    std::string sha256;          // lower-case hex of the bytes written
    std::optional<double> lon, lat;   // photos placed by EXIF
    std::optional<double> distance_m; // photo to the enterprise's point, when both are known
    std::string note;
};

struct EvidenceExportReport {
    std::filesystem::path out_dir;
    std::vector<EvidenceFile> files;
    int enterprises = 0;       // enterprises with at least one file
    int placed_photos = 0;     // photos in the GeoPackage
};

// Writes out_dir/<id>_<name>/照片/... and .../两断三清/..., out_dir/证据目录.xlsx (one row per file)
// and out_dir/照片位置.gpkg (when a photo has a position). Everything is written into a temporary
// folder beside out_dir and renamed at the end, so a failure or a cancel leaves nothing behind.
// UsageError when out_dir exists, the enterprise is unknown or nothing matches the filter.
EvidenceExportReport export_evidence(const ProjectStore& store, const EvidenceExportOptions& options,
                                     Progress& progress);

// Lower-case hexadecimal SHA-256 of bytes (OpenSSL).
std::string sha256_hex(const unsigned char* data, std::size_t size);

// A file or folder name made safe on Windows and Linux file systems: path separators, reserved
// characters and control characters become '_', surrounding dots and spaces are dropped, and it is
// cut to at most max_bytes of UTF-8 without splitting a character.
std::string safe_file_name(const std::string& name, std::size_t max_bytes = 120);

} // namespace qingling
