// Campaign evidence (issue 8): photos placed by their EXIF GPS position (read through GDAL),
// inspections in batch, relapse (死灰复燃) flags from planted electricity readings in CSV and XLSX,
// public reports creating suspect records on the map.
#include "core/campaign_inspection.hpp"
#include "core/campaign_public_report.hpp"
#include "core/campaign_readings.hpp"
#include "core/campaign_workflow.hpp"
#include "core/china_offsets.hpp"
#include "core/errors.hpp"
#include "core/evidence_export.hpp"
#include "core/gdal_handles.hpp"
#include "core/project_store.hpp"
#include "test_support.hpp"

#include <fstream>
#include <map>

#include <ogrsf_frmts.h>

using namespace qingling;

namespace {

// A small JPEG with EXIF tags, written by GDAL's JPEG driver (it writes EXIF_* metadata items into
// the file's EXIF segment): the same way a phone's photo carries them.
void write_jpeg(const std::filesystem::path& path, const std::vector<std::pair<std::string, std::string>>& exif) {
    ensure_gdal_initialised();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GdalDatasetPtr src(mem->Create("", 16, 16, 3, GDT_Byte, nullptr));
    for (int b = 1; b <= 3; ++b) src->GetRasterBand(b)->Fill(60.0 * b);
    for (const auto& [k, v] : exif) src->SetMetadataItem(k.c_str(), v.c_str());
    GDALDriver* jpeg = GetGDALDriverManager()->GetDriverByName("JPEG");
    GdalDatasetPtr out(jpeg->CreateCopy(path.string().c_str(), src.get(), FALSE, nullptr, nullptr, nullptr));
    ASSERT_TRUE(out) << last_gdal_error("JPEG not written");
    out.reset();
    std::filesystem::remove(path.string() + ".aux.xml");  // the position must come from the JPEG itself
}

// 114.305 E, 30.605 N = 114° 18' 18", 30° 36' 18"; in EPSG:4547 (529248.241, 3387221.856), see
// the toolchain notes' check value.
const std::vector<std::pair<std::string, std::string>> kWuhanExif = {
    {"EXIF_GPSLatitudeRef", "N"},  {"EXIF_GPSLatitude", "(30) (36) (18)"},
    {"EXIF_GPSLongitudeRef", "E"}, {"EXIF_GPSLongitude", "(114) (18) (18)"},
    {"EXIF_DateTimeOriginal", "2024:12:15 10:30:00"}};

long long add(ProjectStore& store, const std::string& name, const std::string& account, std::optional<double> x = {},
              std::optional<double> y = {}) {
    WriteTransaction tx(store);
    LedgerRecord r;
    r.name = name;
    r.village = "东湖村";
    r.power_account = account;
    r.x = x;
    r.y = y;
    const long long id = store.add_enterprise(tx, r);
    tx.commit();
    return id;
}

void walk_to(ProjectStore& store, long long id, Category c) {
    for (auto [to, date] : {std::pair{CampaignStatus::confirmed, "2024-09-10"}, {CampaignStatus::classified, "2024-09-20"},
                            {CampaignStatus::in_progress, "2024-10-01"}}) {
        AdvanceOptions o;
        o.enterprise_id = id;
        o.to = to;
        o.date = date;
        if (to == CampaignStatus::classified) o.category = c;
        advance_status(store, o);
    }
}

} // namespace

TEST(CampaignPhotos, ExifPositionReadThroughGdalAndPlacedInProjectCrs) {
    test::TempDir dir;
    const auto jpg = dir / "现场.jpg";
    write_jpeg(jpg, kWuhanExif);
    const PhotoExif exif = read_photo_exif(jpg);
    ASSERT_TRUE(exif.lon && exif.lat);
    EXPECT_NEAR(*exif.lon, 114.305, 1e-9);
    EXPECT_NEAR(*exif.lat, 30.605, 1e-9);
    EXPECT_EQ(exif.taken_at, "2024-12-15T10:30:00");

    const auto south_west = dir / "sw.jpg";
    write_jpeg(south_west, {{"EXIF_GPSLatitudeRef", "S"}, {"EXIF_GPSLatitude", "(33) (52) (4.2)"},
                            {"EXIF_GPSLongitudeRef", "W"}, {"EXIF_GPSLongitude", "(70) (30) (0)"}});
    const PhotoExif sw = read_photo_exif(south_west);
    ASSERT_TRUE(sw.lat);
    EXPECT_NEAR(*sw.lat, -(33 + 52 / 60.0 + 4.2 / 3600), 1e-9);
    EXPECT_NEAR(*sw.lon, -70.5, 1e-9);

    const auto plain = dir / "plain.jpg";
    write_jpeg(plain, {});
    EXPECT_FALSE(read_photo_exif(plain).lon);
    const auto not_image = dir / "note.jpg";
    std::ofstream(not_image) << "not a photo";
    EXPECT_THROW(read_photo_exif(not_image), InputError);
}

TEST(CampaignPhotos, InspectionWithPhotoStoresBytesAndPlacesItByExif) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "p.qingling", ProjectSettings{});
    // The enterprise 30 m east of where the photo was taken.
    const long long id = add(store, "东湖村红星砖瓦厂", "", 529248.241 + 30, 3387221.856);
    const auto jpg = dir / "回头看.jpg";
    write_jpeg(jpg, kWuhanExif);
    InspectionEntry e;
    e.enterprise_id = id;
    e.date = "2024-12-15";
    e.inspector = "李督察";
    e.result = "疑似复产";
    e.photos = {jpg};
    SilentProgress progress;
    const auto report = add_inspections(store, {e}, progress);
    ASSERT_EQ(report.photos.size(), 1u);
    const auto& placed = report.photos[0];
    ASSERT_TRUE(placed.x && placed.y);
    EXPECT_NEAR(*placed.x, 529248.241, 1.0);
    EXPECT_NEAR(*placed.y, 3387221.856, 1.0);
    ASSERT_TRUE(placed.distance_m);
    EXPECT_NEAR(*placed.distance_m, 30.0, 1.0);

    const auto photos = store.photos();
    ASSERT_EQ(photos.size(), 1u);
    EXPECT_EQ(photos[0].inspection_id, report.inspections[0].id);
    EXPECT_NEAR(*photos[0].x, 529248.241, 1.0);
    EXPECT_EQ(store.photo_data(photos[0].id).size(), std::filesystem::file_size(jpg));
    ASSERT_EQ(store.inspections().size(), 1u);
    EXPECT_EQ(store.inspections()[0].result, InspectionResult::suspected);

    // A bad row anywhere leaves nothing behind.
    InspectionEntry bad = e;
    bad.result = "还行";
    EXPECT_THROW(add_inspections(store, {e, bad}, progress), UsageError);
    EXPECT_EQ(store.inspections().size(), 1u);
    EXPECT_EQ(store.photos().size(), 1u);
}

TEST(CampaignPhotos, InspectionSheetNamesPhotosRelativeToIt) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "p.qingling", ProjectSettings{});
    const long long id = add(store, "甲厂", "");
    write_jpeg(dir / "a.jpg", kWuhanExif);
    {
        std::ofstream csv(dir / "inspections.csv");
        csv << "企业编号,检查日期,检查人,检查结果,备注,照片\n"
            << id << ",2024/12/15,李督察,正常,门已封,a.jpg\n"
            << id << ",2025-01-15,王网格员,已复产,夜间生产,\n";
    }
    const auto entries = read_inspection_sheet(dir / "inspections.csv");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].date, "2024-12-15");
    EXPECT_EQ(entries[0].source_row, 2);
    ASSERT_EQ(entries[0].photos.size(), 1u);
    EXPECT_EQ(entries[0].photos[0], dir / "a.jpg");
    SilentProgress progress;
    const auto report = add_inspections(store, entries, progress);
    EXPECT_EQ(report.inspections.size(), 2u);
    EXPECT_EQ(report.photos.size(), 1u);
    {
        // In GBK, as Excel on a Chinese Windows saves CSV.
        const std::string utf8 = "企业编号,检查日期,检查人,检查结果\n" + std::to_string(id) + ",2024-12-40,李督察,正常\n";
        char* gbk = CPLRecode(utf8.c_str(), CPL_ENC_UTF8, "CP936");
        std::ofstream(dir / "bad.csv", std::ios::binary) << gbk;
        CPLFree(gbk);
    }
    try {
        add_inspections(store, read_inspection_sheet(dir / "bad.csv"), progress);
        FAIL() << "a bad date was accepted";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("row 2"), std::string::npos) << e.what();
    }
}

namespace {
struct RelapseFixture {
    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "r.qingling", ProjectSettings{});
    long long revived = 0, quiet = 0, jumping = 0, accepted = 0;

    RelapseFixture() {
        revived = add(store, "甲砖厂", "3301000001");
        quiet = add(store, "乙砖厂", "3301000002");
        jumping = add(store, "丙家具厂", "3301000003");
        accepted = add(store, "丁家具厂", "3301000004");
        walk_to(store, revived, Category::close);
        walk_to(store, quiet, Category::close);
        walk_to(store, jumping, Category::rectify);
        walk_to(store, accepted, Category::rectify);
        for (auto [id, date] : {std::pair{revived, "2024-11-10"}, {quiet, "2024-11-05"}}) {
            ClearanceOptions o;
            o.enterprise_id = id;
            o.item = ClearanceItem::power;
            o.date = date;
            record_clearance(store, o);
        }
        Acceptance a;
        a.enterprise_id = accepted;
        a.department = "处林业站";
        a.date = "2024-11-20";
        a.passed = true;
        record_acceptance(store, a);
    }
};
} // namespace

TEST(CampaignRelapse, PlantedRelapsesFromLongCsvAreFlaggedWithNumbers) {
    RelapseFixture f;
    {
        std::ofstream csv(f.dir / "readings.csv");
        csv << "电力户号,月份,用电量(kWh)\n"
            // closed, 断电 2024-11-10: November still counts as the cut month; January revives.
            << "3301000001,2024-10,3000\n3301000001,2024-11,1500\n3301000001,2024-12,20\n3301000001,2025-01,800\n"
            // closed and quiet.
            << "3301000002,2024-10,2500\n3301000002,2024-12,0\n3301000002,2025-01,30\n"
            // rectifying, not accepted: 900 after 400/100/120 (mean 206.7).
            << "3301000003,2024-09,400\n3301000003,2024-10,100\n3301000003,2024-11,120\n3301000003,2024-12,900\n"
            // accepted in November: back to normal production is no relapse.
            << "3301000004,2024-10,100\n3301000004,2024-11,100\n3301000004,2024-12,2000\n"
            << "9999999999,2024-12,50\n"
            << "3301000001,十二月,5\n";
    }
    SilentProgress progress;
    const auto report = import_power_readings(f.store, f.dir / "readings.csv", progress);
    EXPECT_FALSE(report.wide);
    EXPECT_EQ(report.readings, 15);
    EXPECT_EQ(report.stored, 15);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0].row, 17);  // line 17: header + 15 readings before it
    ASSERT_EQ(report.unknown_accounts.size(), 1u);
    EXPECT_EQ(report.unknown_accounts[0], "9999999999");

    const auto data = load_campaign(f.store);
    const auto readings = f.store.power_readings();
    auto flags = detect_relapses(data, readings, f.store.relapse_thresholds(), "2025-01-31");
    ASSERT_EQ(flags.size(), 2u);
    EXPECT_EQ(flags[0].enterprise_id, f.revived);
    EXPECT_EQ(flags[0].reason, "closed_consumption");
    ASSERT_EQ(flags[0].months.size(), 1u);
    EXPECT_EQ(flags[0].months[0].first, "2025-01");
    EXPECT_DOUBLE_EQ(flags[0].max_kwh, 800);
    EXPECT_NE(flags[0].explanation.find("800 kWh"), std::string::npos) << flags[0].explanation;
    EXPECT_EQ(flags[1].enterprise_id, f.jumping);
    EXPECT_EQ(flags[1].reason, "rectify_jump");
    EXPECT_EQ(flags[1].months[0].first, "2024-12");
    EXPECT_NEAR(flags[1].baseline_kwh, 620.0 / 3, 1e-9);

    // As of December, January's reading is not known yet.
    flags = detect_relapses(data, readings, f.store.relapse_thresholds(), "2024-12-31");
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].enterprise_id, f.jumping);
    // Thresholds are settings: a looser limit for closures clears the revived one.
    RelapseThresholds loose = f.store.relapse_thresholds();
    loose.closed_max_kwh = 1000;
    {
        WriteTransaction tx(f.store);
        f.store.set_relapse_thresholds(tx, loose);
        tx.commit();
    }
    flags = detect_relapses(data, readings, f.store.relapse_thresholds(), "2025-01-31");
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].enterprise_id, f.jumping);
    // Importing the same file again changes nothing.
    EXPECT_EQ(import_power_readings(f.store, f.dir / "readings.csv", progress).stored, 0);
}

TEST(CampaignRelapse, WideXlsxWrittenByGdalIsRead) {
    RelapseFixture f;
    ensure_gdal_initialised();
    const auto path = f.dir / "用电.xlsx";
    {
        GDALDriver* xlsx = GetGDALDriverManager()->GetDriverByName("XLSX");
        GdalDatasetPtr ds(xlsx->Create(path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_TRUE(ds);
        OGRLayer* layer = ds->CreateLayer("用电量", nullptr, wkbNone, nullptr);
        for (const char* name : {"户号", "2024年11月", "2024年12月", "2025年1月"}) {
            OGRFieldDefn field(name, OFTString);
            layer->CreateField(&field);
        }
        const char* rows[][4] = {{"3301000001", "1500", "20", "800"}, {"3301000002", "100", "0", ""}};
        for (const auto& row : rows) {
            OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            for (int i = 0; i < 4; ++i)
                if (*row[i]) feature->SetField(i, row[i]);
            ASSERT_EQ(layer->CreateFeature(feature.get()), OGRERR_NONE);
        }
    }
    SilentProgress progress;
    const auto report = import_power_readings(f.store, path, progress);
    EXPECT_TRUE(report.wide);
    EXPECT_EQ(report.readings, 5);
    EXPECT_TRUE(report.problems.empty());
    const auto flags = detect_relapses(load_campaign(f.store), f.store.power_readings(), f.store.relapse_thresholds(),
                                       "2025-02-01");
    ASSERT_EQ(flags.size(), 1u);
    EXPECT_EQ(flags[0].enterprise_id, f.revived);
}

TEST(CampaignPublicReport, CreatesSuspectAtTheReportedPlace) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "p.qingling", ProjectSettings{});
    PublicReportOptions o;
    o.kind = "举报";
    o.date = "2024-10-08";
    o.content = "夜间有刺鼻气味, 疑似小作坊喷漆";
    o.village = "东湖村";
    // A position from Amap (GCJ-02) of the check point 114.305 E, 30.605 N.
    const LonLat gcj = wgs84_to_gcj02({114.305, 30.605});
    o.lon = gcj.lon;
    o.lat = gcj.lat;
    o.coords = CoordSource::gcj02;
    const auto r = add_public_report(store, o);
    EXPECT_TRUE(r.created_enterprise);
    ASSERT_TRUE(r.x && r.y);
    EXPECT_NEAR(*r.x, 529248.241, 1.0);
    EXPECT_NEAR(*r.y, 3387221.856, 1.0);
    const auto ledger = store.ledger();
    ASSERT_EQ(ledger.size(), 1u);
    EXPECT_EQ(ledger[0].name, "举报线索 2024-10-08");
    EXPECT_NEAR(*ledger[0].x, 529248.241, 1.0);
    const auto history = store.status_history();
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].status, CampaignStatus::found);
    EXPECT_EQ(history[0].date, "2024-10-08");
    // Before the report the suspect is not part of the campaign.
    EXPECT_FALSE(progress_as_of(load_campaign(store), r.enterprise_id, "2024-10-01").in_campaign);
    // A second report about the same place points at the record.
    PublicReportOptions again;
    again.kind = "信访";
    again.date = "2024-10-20";
    again.content = "仍在生产";
    again.enterprise_id = r.enterprise_id;
    const auto r2 = add_public_report(store, again);
    EXPECT_FALSE(r2.created_enterprise);
    EXPECT_EQ(store.public_reports().size(), 2u);
    EXPECT_EQ(store.ledger().size(), 1u);
    again.kind = "来电";
    EXPECT_THROW(add_public_report(store, again), UsageError);
}

// Evidence export: every stored photo and 两断三清 file comes out byte for byte, in a folder per
// enterprise, listed with its SHA-256 in the index and placed in the GeoPackage.
TEST(EvidenceExport, Sha256MatchesTheStandardTestVector) {
    const std::string abc = "abc";  // FIPS 180-2, appendix B.1
    EXPECT_EQ(sha256_hex(reinterpret_cast<const unsigned char*>(abc.data()), abc.size()),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(EvidenceExport, SafeFileNamesKeepChineseAndDropWhatFileSystemsRefuse) {
    EXPECT_EQ(safe_file_name("红星/砖瓦厂:一期*"), "红星_砖瓦厂_一期_");
    EXPECT_EQ(safe_file_name(" ..隐藏. "), "隐藏");
    EXPECT_EQ(safe_file_name(""), "_");
    // Cut at 7 bytes: two characters of three bytes each, never half a character.
    EXPECT_EQ(safe_file_name("一二三", 7), "一二");
}

TEST(EvidenceExport, PhotosAndClearanceFilesComeOutWithIndexAndPositions) {
    test::TempDir dir;
    auto store = ProjectStore::create(dir / "p.qingling", ProjectSettings{});
    const long long brick = add(store, "东湖村红星/砖瓦厂", "3301000001", 529248.241 + 30, 3387221.856);
    const long long other = add(store, "西湖村作坊", "3301000002");
    walk_to(store, brick, Category::close);
    const auto jpg = dir / "回头看.jpg";
    write_jpeg(jpg, kWuhanExif);
    InspectionEntry e;
    e.enterprise_id = brick;
    e.date = "2024-12-15";
    e.inspector = "李督察";
    e.result = "疑似复产";
    e.photos = {jpg, jpg};  // the same name twice: both kept
    SilentProgress progress;
    add_inspections(store, {e}, progress);
    {
        std::ofstream scan(dir / "停电通知.pdf", std::ios::binary);
        scan << "%PDF-1.4 供电所停电工单 2024-11-10";
    }
    ClearanceOptions power;
    power.enterprise_id = brick;
    power.item = ClearanceItem::power;
    power.date = "2024-11-10";
    power.evidence_note = "供电所工单 0042";
    power.evidence_file = (dir / "停电通知.pdf").string();
    record_clearance(store, power);

    const auto out = dir / "证据";
    const EvidenceExportReport report = export_evidence(store, {out, std::nullopt, ""}, progress);
    ASSERT_EQ(report.files.size(), 3u);
    EXPECT_EQ(report.enterprises, 1);
    EXPECT_EQ(report.placed_photos, 2);

    const std::string folder = std::to_string(brick) + "_东湖村红星_砖瓦厂";
    const auto original = read_whole_file(jpg.string());
    for (const char* name : {"照片/回头看.jpg", "照片/回头看-2.jpg"}) {
        const auto copy = read_whole_file((out / folder / name).string());
        EXPECT_EQ(copy, original) << name;
    }
    const auto scan = read_whole_file((out / folder / "两断三清/断电_停电通知.pdf").string());
    EXPECT_EQ(scan, read_whole_file((dir / "停电通知.pdf").string()));

    // The index, read back through GDAL: one row per file with its own SHA-256.
    ensure_gdal_initialised();
    GdalDatasetPtr index(GDALDataset::Open((out / "证据目录.xlsx").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(index);
    OGRLayer* rows = index->GetLayer(0);
    ASSERT_EQ(rows->GetFeatureCount(), 3);
    std::map<std::string, std::string> sha_by_file;
    std::string power_note;
    for (auto& row : *rows) {
        const std::string file = row->GetFieldAsString("文件");
        sha_by_file[file] = row->GetFieldAsString("SHA-256");
        if (std::string(row->GetFieldAsString("事项")) == "断电") power_note = row->GetFieldAsString("说明");
    }
    EXPECT_EQ(sha_by_file[folder + "/照片/回头看.jpg"], sha256_hex(original.data(), original.size()));
    EXPECT_EQ(sha_by_file[folder + "/两断三清/断电_停电通知.pdf"], sha256_hex(scan.data(), scan.size()));
    EXPECT_EQ(power_note, "供电所工单 0042");

    // The photos' positions: where the EXIF says, 30 m from the enterprise.
    GdalDatasetPtr points(GDALDataset::Open((out / "照片位置.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(points);
    OGRLayer* photos = points->GetLayerByName("照片");
    ASSERT_TRUE(photos);
    ASSERT_EQ(photos->GetFeatureCount(), 2);
    for (auto& p : *photos) {
        const OGRPoint* pt = p->GetGeometryRef()->toPoint();
        EXPECT_NEAR(pt->getX(), 529248.241, 1.0);
        EXPECT_NEAR(pt->getY(), 3387221.856, 1.0);
        EXPECT_NEAR(p->GetFieldAsDouble("距企业_米"), 30.0, 1.0);
    }

    // Refusals leave nothing behind: an existing folder, an enterprise without evidence, a cancel.
    EXPECT_THROW(export_evidence(store, {out, std::nullopt, ""}, progress), UsageError);
    EXPECT_THROW(export_evidence(store, {dir / "none", other, ""}, progress), UsageError);
    EXPECT_THROW(export_evidence(store, {dir / "none", std::nullopt, "南湖村"}, progress), UsageError);
    SilentProgress cancelled;
    cancelled.cancel();
    EXPECT_THROW(export_evidence(store, {dir / "cancelled", std::nullopt, ""}, cancelled), CancelledError);
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        EXPECT_TRUE(entry.path().filename() != "none" && entry.path().filename() != "cancelled" &&
                    entry.path().filename().string().find(".partial-") == std::string::npos)
            << entry.path();
}
