#include "core/evidence_export.hpp"

#include "core/campaign_records.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/list_table.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <openssl/evp.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>

namespace qingling {
namespace fs = std::filesystem;

std::string sha256_hex(const unsigned char* data, std::size_t size) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr) != 1) throw Error("SHA-256 failed (OpenSSL)");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string safe_file_name(const std::string& name, std::size_t max_bytes) {
    std::string out;
    for (unsigned char c : name) {
        const bool reserved = c < 0x20 || c == 0x7f || std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) !=
                                                           std::string_view::npos;
        out += reserved ? '_' : static_cast<char>(c);
    }
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
    if (out.size() > max_bytes) {
        std::size_t cut = max_bytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
        out.resize(cut);
    }
    return out.empty() ? "_" : out;
}

namespace {

// A folder beside `out` that no one else uses, renamed into place at the end.
fs::path temp_folder_beside(const fs::path& out) {
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", random());
    return out.parent_path() / (out.filename().string() + ".partial-" + suffix);
}

void write_bytes(const fs::path& file, const std::vector<unsigned char>& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error("cannot write '" + file.string() + "'");
}

// A name not yet used in `taken` (a.jpg, a-2.jpg, a-3.jpg ...): two photos may share a file name.
std::string unique_name(const std::string& name, std::set<std::string>& taken) {
    if (taken.insert(name).second) return name;
    const fs::path p(name);
    for (int n = 2;; ++n) {
        std::string candidate = p.stem().string() + "-" + std::to_string(n) + p.extension().string();
        if (taken.insert(candidate).second) return candidate;
    }
}

ListTable index_table(const std::vector<EvidenceFile>& files) {
    ListTable t;
    t.sheet = "证据目录";
    t.title = "整治证据目录";
    t.columns = {{"序号", 6, true},      {"企业编号", 9, true},   {"企业名称", 26},       {"所属村", 12},
                 {"证据类别", 10},        {"事项", 12},            {"日期", 12},           {"文件", 44},
                 {"字节数", 10, true},    {"SHA-256", 66},         {"经度", 12, true},     {"纬度", 12, true},
                 {"距企业(米)", 11, true}, {"说明", 30, false, true}};
    auto number = [](std::optional<double> v, int decimals) {
        if (!v) return std::string();
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
        return std::string(buf);
    };
    long long n = 0;
    for (const auto& f : files)
        t.rows.push_back({std::to_string(++n), std::to_string(f.enterprise_id), f.enterprise, f.village, f.kind, f.item,
                          f.date, f.relative_path, std::to_string(f.bytes), f.sha256, number(f.lon, 6),
                          number(f.lat, 6), number(f.distance_m, 1), f.note});
    return t;
}

struct PlacedPoint {
    const EvidenceFile* file;
    double x, y;
};

void write_photo_points(const ProjectStore& store, const std::vector<PlacedPoint>& points, const fs::path& out) {
    ensure_gdal_initialised();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw Error("GDAL has no GPKG driver");
    GdalDatasetPtr ds(driver->Create(out.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw Error("cannot write '" + out.string() + "': " + last_gdal_error("GDAL refused"));
    OGRSpatialReference srs = make_srs(store.settings().epsg);
    OGRLayer* layer = ds->CreateLayer("照片", &srs, wkbPoint, nullptr);
    if (!layer) throw Error("cannot create the photo layer in '" + out.string() + "': " + last_gdal_error(""));
    const std::vector<std::pair<const char*, OGRFieldType>> fields = {
        {"企业编号", OFTInteger64}, {"企业名称", OFTString}, {"事项", OFTString},       {"日期", OFTString},
        {"文件", OFTString},       {"SHA256", OFTString},   {"距企业_米", OFTReal}};
    for (const auto& [name, type] : fields) {
        OGRFieldDefn def(name, type);
        if (layer->CreateField(&def) != OGRERR_NONE)
            throw Error("cannot create field " + std::string(name) + ": " + last_gdal_error(""));
    }
    if (layer->StartTransaction() != OGRERR_NONE) throw Error("cannot write '" + out.string() + "'");
    for (const auto& p : points) {
        OGRFeature feature(layer->GetLayerDefn());
        feature.SetField("企业编号", static_cast<GIntBig>(p.file->enterprise_id));
        feature.SetField("企业名称", p.file->enterprise.c_str());
        feature.SetField("事项", p.file->item.c_str());
        feature.SetField("日期", p.file->date.c_str());
        feature.SetField("文件", p.file->relative_path.c_str());
        feature.SetField("SHA256", p.file->sha256.c_str());
        if (p.file->distance_m) feature.SetField("距企业_米", *p.file->distance_m);
        feature.SetGeometryDirectly(new OGRPoint(p.x, p.y));
        if (layer->CreateFeature(&feature) != OGRERR_NONE)
            throw Error("cannot write photo " + p.file->relative_path + ": " + last_gdal_error(""));
    }
    if (layer->CommitTransaction() != OGRERR_NONE) throw Error("cannot write '" + out.string() + "'");
}

} // namespace

EvidenceExportReport export_evidence(const ProjectStore& store, const EvidenceExportOptions& options,
                                     Progress& progress) {
    const fs::path out = options.out_dir;
    if (out.empty()) throw UsageError("no output folder given");
    std::error_code ec;
    if (fs::exists(out, ec)) throw UsageError("'" + out.string() + "' already exists; give a new folder for the evidence");

    std::map<long long, LedgerRecord> ledger;
    for (auto& r : store.ledger()) ledger.emplace(r.id, std::move(r));
    if (options.enterprise_id && !ledger.count(*options.enterprise_id))
        throw UsageError("no enterprise with id " + std::to_string(*options.enterprise_id) + " in the ledger");
    auto wanted = [&](long long id) {
        if (options.enterprise_id && id != *options.enterprise_id) return false;
        auto it = ledger.find(id);
        if (it == ledger.end()) return false;
        return options.village.empty() || it->second.village == options.village;
    };

    std::map<long long, Inspection> inspections;
    for (auto& i : store.inspections()) inspections.emplace(i.id, std::move(i));
    std::vector<Photo> photos;
    for (auto& p : store.photos())
        if (wanted(p.enterprise_id)) photos.push_back(std::move(p));
    std::vector<ClearanceRecord> clearances;
    for (auto& c : store.clearances())
        if (wanted(c.enterprise_id) && !c.evidence_file.empty()) clearances.push_back(std::move(c));
    const std::size_t total = photos.size() + clearances.size();
    if (total == 0) {
        std::string what = options.enterprise_id ? "enterprise " + std::to_string(*options.enterprise_id)
                           : !options.village.empty() ? "village " + options.village
                                                      : "this campaign";
        throw UsageError("no photos or 两断三清 evidence stored for " + what);
    }

    const fs::path temp = temp_folder_beside(out);
    EvidenceExportReport report;
    report.out_dir = out;
    try {
        fs::create_directories(temp);
        std::map<long long, std::string> folders;             // enterprise id -> folder name
        std::map<std::string, std::set<std::string>> taken;   // sub-folder -> names used
        auto folder_of = [&](long long id) -> const std::string& {
            auto it = folders.find(id);
            if (it == folders.end())
                it = folders.emplace(id, std::to_string(id) + "_" + safe_file_name(ledger.at(id).name, 80)).first;
            return it->second;
        };
        auto store_file = [&](EvidenceFile f, const std::string& sub, const std::string& name,
                              const std::vector<unsigned char>& bytes) {
            const std::string dir = folder_of(f.enterprise_id) + "/" + sub;
            fs::create_directories(temp / fs::u8path(dir));
            const std::string file = unique_name(safe_file_name(name), taken[dir]);
            f.relative_path = dir + "/" + file;
            write_bytes(temp / fs::u8path(f.relative_path), bytes);
            f.bytes = static_cast<long long>(bytes.size());
            f.sha256 = sha256_hex(bytes.data(), bytes.size());
            const LedgerRecord& e = ledger.at(f.enterprise_id);
            f.enterprise = e.name;
            f.village = e.village;
            report.files.push_back(std::move(f));
            progress.report(static_cast<double>(report.files.size()) / static_cast<double>(total), "导出证据");
            if (progress.cancelled()) throw CancelledError();
        };

        std::vector<std::pair<std::size_t, std::pair<double, double>>> placed;  // file index, point
        for (const auto& p : photos) {
            EvidenceFile f;
            f.enterprise_id = p.enterprise_id;
            f.kind = "检查照片";
            auto ins = inspections.find(p.inspection_id);
            if (ins != inspections.end()) {
                f.item = inspection_result_label_zh(ins->second.result);
                f.date = ins->second.date;
                f.note = "检查人 " + ins->second.inspector + (ins->second.note.empty() ? "" : "; " + ins->second.note);
            }
            if (!p.taken_at.empty()) f.note += (f.note.empty() ? "" : "; ") + std::string("拍摄 ") + p.taken_at;
            f.lon = p.lon;
            f.lat = p.lat;
            const LedgerRecord& e = ledger.at(p.enterprise_id);
            if (p.x && p.y && e.x && e.y) f.distance_m = std::hypot(*p.x - *e.x, *p.y - *e.y);
            if (p.x && p.y) placed.push_back({report.files.size(), {*p.x, *p.y}});
            store_file(std::move(f), "照片", p.file_name, store.photo_data(p.id));
        }
        for (const auto& c : clearances) {
            EvidenceFile f;
            f.enterprise_id = c.enterprise_id;
            f.kind = "两断三清";
            f.item = clearance_item_label_zh(c.item);
            f.date = c.date;
            f.note = c.evidence_note;
            store_file(std::move(f), "两断三清", std::string(clearance_item_label_zh(c.item)) + "_" + c.evidence_file,
                       store.clearance_evidence(c.enterprise_id, c.item));
        }

        std::set<long long> with_files;
        for (const auto& f : report.files) with_files.insert(f.enterprise_id);
        report.enterprises = static_cast<int>(with_files.size());
        write_list_table(index_table(report.files), temp / fs::u8path("证据目录.xlsx"));
        if (!placed.empty()) {
            std::vector<PlacedPoint> points;
            for (const auto& [index, xy] : placed) points.push_back({&report.files[index], xy.first, xy.second});
            write_photo_points(store, points, temp / fs::u8path("照片位置.gpkg"));
            report.placed_photos = static_cast<int>(points.size());
        }
        fs::rename(temp, out);
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
    return report;
}

} // namespace qingling
