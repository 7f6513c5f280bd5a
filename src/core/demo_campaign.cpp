#include "core/demo_campaign.hpp"

#include "core/campaign_dates.hpp"
#include "core/campaign_public_report.hpp"
#include "core/campaign_workflow.hpp"
#include "core/conformity.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/rule_set.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

namespace qingling {

namespace {

// A deterministic spread of 0..n-1 from an id, so dates and amounts vary without a generator.
long spread(long long id, long n) { return static_cast<long>((id * 2654435761LL) % 1000003) % n; }

std::string degrees_minutes_seconds(double deg) {
    const double d = std::floor(deg);
    const double m = std::floor((deg - d) * 60);
    const double s = ((deg - d) * 60 - m) * 60;
    char buf[64];
    std::snprintf(buf, sizeof buf, "(%.0f) (%.0f) (%.4f)", d, m, s);
    return buf;
}

// An inspector's phone photo: a small JPEG whose EXIF carries where and when it was taken.
void write_demo_photo(const std::filesystem::path& path, double lon, double lat, const std::string& when, int tint) {
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* jpeg = GetGDALDriverManager()->GetDriverByName("JPEG");
    if (!mem || !jpeg) throw Error("demo data: GDAL lacks the MEM or JPEG driver");
    GdalDatasetPtr src(mem->Create("", 64, 48, 3, GDT_Byte, nullptr));
    const double colours[3] = {120.0 + tint, 110.0, 90.0 - tint / 2.0};
    for (int b = 1; b <= 3; ++b) src->GetRasterBand(b)->Fill(colours[b - 1]);
    src->SetMetadataItem("EXIF_GPSLatitudeRef", "N");
    src->SetMetadataItem("EXIF_GPSLatitude", degrees_minutes_seconds(lat).c_str());
    src->SetMetadataItem("EXIF_GPSLongitudeRef", "E");
    src->SetMetadataItem("EXIF_GPSLongitude", degrees_minutes_seconds(lon).c_str());
    src->SetMetadataItem("EXIF_DateTimeOriginal", when.c_str());
    CPLErrorReset();
    GdalDatasetPtr out(jpeg->CreateCopy(path.string().c_str(), src.get(), FALSE, nullptr, nullptr, nullptr));
    if (!out) throw Error("demo data: cannot write " + path.string() + ": " + last_gdal_error("JPEG driver failed"));
    out.reset();
    std::filesystem::remove(path.string() + ".aux.xml");
}

// The power office's sheet: one row per 电力户号, one column per month.
void write_readings_xlsx(const std::filesystem::path& path, const std::vector<std::string>& months,
                         const std::map<std::string, std::vector<double>>& kwh_by_account) {
    GDALDriver* xlsx = GetGDALDriverManager()->GetDriverByName("XLSX");
    if (!xlsx) throw Error("demo data: GDAL lacks the XLSX driver");
    std::filesystem::remove(path);
    GdalDatasetPtr ds(xlsx->Create(path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw Error("demo data: cannot write " + path.string() + ": " + last_gdal_error("XLSX driver failed"));
    OGRLayer* layer = ds->CreateLayer("用电量", nullptr, wkbNone, nullptr);
    OGRFieldDefn account("户号", OFTString);
    layer->CreateField(&account);
    for (const auto& m : months) {
        const std::string header = m.substr(0, 4) + "年" + std::to_string(std::stoi(m.substr(5, 2))) + "月";
        OGRFieldDefn f(header.c_str(), OFTReal);
        layer->CreateField(&f);
    }
    for (const auto& [acc, values] : kwh_by_account) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        feature->SetField(0, acc.c_str());
        for (std::size_t i = 0; i < values.size(); ++i) feature->SetField(static_cast<int>(i) + 1, values[i]);
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw Error("demo data: cannot write " + path.string() + ": " + last_gdal_error("row not written"));
    }
}

struct Walker {
    ProjectStore& store;
    DemoCampaignReport& report;

    void advance(long long id, CampaignStatus to, const std::string& date, std::optional<Category> c = {},
                 const std::string& note = "") {
        AdvanceOptions o;
        o.enterprise_id = id;
        o.to = to;
        o.date = date;
        o.category = c;
        o.note = note;
        advance_status(store, o);
    }
    void clearance(long long id, ClearanceItem item, const std::string& date, const std::string& note) {
        ClearanceOptions o;
        o.enterprise_id = id;
        o.item = item;
        o.date = date;
        o.evidence_note = note;
        record_clearance(store, o);
    }
};

} // namespace

DemoCampaignReport build_demo_campaign(ProjectStore& store, const std::filesystem::path& sources_dir, Progress& progress) {
    ensure_gdal_initialised();
    DemoCampaignReport report;
    // 1. The check, stored like `qingling-cli check` does: the suggestions people confirm against.
    progress.report(0.0, "合规检查");
    const RuleSet rules = load_rule_set(default_rule_file());
    SilentProgress quiet;
    const CheckResult check = run_conformity_check(store, rules, quiet);
    {
        WriteTransaction tx(store);
        report.check_run_id = store.store_check_run(tx, check);
        tx.commit();
    }

    // 2. Every enterprise with a suggestion, in id order, takes one of four ways through 2024:
    //    0 done (closures to 回头看, every other one struck off), 1 started, 2 classified only,
    //    3 甄别确认 only. Those without a suggestion stay 排查发现.
    Walker w{store, report};
    std::map<long long, std::string> department;
    for (const auto& r : store.ledger()) department[r.id] = r.department.empty() ? "处环保办" : r.department;
    std::vector<long long> close_done, close_started, rectify_started;
    int index = 0;
    bool overruled = false;
    for (const auto& v : check.verdicts) {
        if (!v.suggested) continue;
        const long long id = v.enterprise_id;
        const int way = index++ % 4;
        // One joint confirmation overrules the engine: a workshop the check would relocate is closed
        // (one of the later ids, away from 49 and 58 that the viewer's screenshot tests look at).
        Category c = *v.suggested;
        std::string note = "村、处联合甄别";
        if (!overruled && way == 2 && c == Category::relocate && id >= 200) {
            overruled = true;
            c = Category::close;
            note = "联合甄别: 不具备入园条件, 改为依法关闭";
        }
        w.advance(id, CampaignStatus::confirmed, add_days("2024-09-02", spread(id, 20)), {}, note);
        ++report.confirmed;
        if (way == 3) continue;
        w.advance(id, CampaignStatus::classified, add_days("2024-09-23", spread(id, 7)), c, note);
        ++report.classified;
        if (way == 2) continue;
        w.advance(id, CampaignStatus::in_progress, add_days("2024-10-08", spread(id, 10)));
        const std::string start = add_days("2024-11-01", spread(id, 12));
        if (c == Category::close) {
            w.clearance(id, ClearanceItem::power, start, "供电所停电工单 QL" + std::to_string(2400 + id));
            w.clearance(id, ClearanceItem::water, add_days(start, 1), "停水通知");
            if (way == 1) {
                close_started.push_back(id);
                ++report.in_progress;
                continue;
            }
            w.clearance(id, ClearanceItem::plant, add_days(start, 8), "联合执法拆除");
            w.clearance(id, ClearanceItem::equipment, add_days(start, 9), "设备已拆除运走");
            w.clearance(id, ClearanceItem::materials, add_days(start, 10), "原料已清运");
            w.advance(id, CampaignStatus::done, add_days(start, 11));
            w.advance(id, CampaignStatus::revisit, add_days(start, 20));
            close_done.push_back(id);
            ++report.done;
        } else if (c == Category::rectify) {
            Acceptance a;
            a.enterprise_id = id;
            a.department = department.at(id);
            a.date = add_days(start, 14);
            a.passed = way == 0;
            a.note = way == 0 ? "环保设施已完善, 手续齐全" : "废气收集未到位, 限期再改";
            record_acceptance(store, a);
            if (way == 1) {
                rectify_started.push_back(id);
                ++report.in_progress;
                continue;
            }
            w.advance(id, CampaignStatus::done, add_days(start, 15));
            ++report.done;
        } else {
            RelocationProgress plan;
            plan.enterprise_id = id;
            plan.step = RelocationStep::plan;
            plan.date = add_days(start, 5);
            plan.due_date = "2025-06-30";
            plan.note = "搬入青岭工业园";
            if (way == 1) {
                ++report.in_progress;  // no plan yet: due 2024-12-31
                continue;
            }
            record_relocation(store, plan);
            if (spread(id, 2) == 0) {
                RelocationProgress moved = plan;
                moved.step = RelocationStep::moved;
                moved.date = add_days(start, 30);
                moved.due_date.clear();
                record_relocation(store, moved);
                w.advance(id, CampaignStatus::done, add_days(start, 31));
                ++report.done;
            } else {
                ++report.in_progress;
            }
        }
        if (progress.cancelled()) throw CancelledError();
        progress.report(0.1 + 0.6 * index / static_cast<double>(check.verdicts.size()), "整治进度");
    }
    if (close_done.size() < 2 || close_started.empty() || rectify_started.empty())
        throw Error("demo data: internal error: too few enterprises for the campaign");

    // 3. 回头看 with photos: the first closure is fine (struck off), the second looks revived.
    const long long fine = close_done[0], revived = close_done[1];
    const auto ledger = store.ledger();
    auto record_of = [&](long long id) -> const LedgerRecord& {
        for (const auto& r : ledger)
            if (r.id == id) return r;
        throw Error("demo data: internal error: no enterprise " + std::to_string(id));
    };
    const auto to_lonlat = make_transform(make_srs(store.settings().epsg), make_srs(kEpsgWgs84));
    const std::filesystem::path photos = sources_dir / "photos";
    std::filesystem::create_directories(photos);
    struct Shot {
        long long id;
        const char* file;
        const char* date;
        const char* exif_time;
        const char* inspector;
        const char* result;
        const char* note;
        double east_m;
    };
    const Shot shots[] = {
        {fine, "回头看-1.jpg", "2024-12-10", "2024:12:10 10:12:31", "周督察", "正常", "厂房已拆除，未见生产", 12},
        {revived, "回头看-2.jpg", "2024-12-12", "2024:12:12 21:40:05", "周督察", "疑似复产", "夜间有灯光和机器声，门口有新原料", -18},
    };
    std::ofstream sheet(sources_dir / "inspections.csv", std::ios::binary | std::ios::trunc);
    sheet << "企业编号,检查日期,检查人,检查结果,备注,照片\n";
    for (const auto& s : shots) {
        const LedgerRecord& r = record_of(s.id);
        if (!r.x || !r.y) throw Error("demo data: internal error: enterprise " + std::to_string(s.id) + " has no point");
        double x = *r.x + s.east_m, y = *r.y + 6;
        transform_point(*to_lonlat, x, y);
        write_demo_photo(photos / s.file, x, y, s.exif_time, static_cast<int>(s.east_m));
        sheet << s.id << "," << s.date << "," << s.inspector << "," << s.result << "," << s.note << ",photos/" << s.file << "\n";
    }
    sheet.close();
    report.inspections = add_inspections(store, read_inspection_sheet(sources_dir / "inspections.csv"), quiet);
    w.advance(fine, CampaignStatus::struck_off, "2024-12-11", {}, "回头看正常, 销号");
    ++report.struck_off;
    --report.done;

    // 4. A 信访 about the revived one, and a closure given more time by the county.
    PublicReportOptions petition;
    petition.kind = "信访";
    petition.date = "2024-12-09";
    petition.content = "群众反映该厂夜间又在生产, 噪声扰民";
    petition.enterprise_id = revived;
    add_public_report(store, petition);
    {
        WriteTransaction tx(store);
        DeadlineOverride d;
        d.enterprise_id = close_started[0];
        d.step = DeadlineStep::close;
        d.date = "2025-01-31";
        d.note = "县政府批准延期 (设备拆除需专业单位)";
        store.set_deadline_override(tx, d);
        tx.commit();
    }

    // 5. The power office's readings, June to December 2024, for every 电力户号.
    progress.report(0.8, "用电数据");
    const std::vector<std::string> months = {"2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"};
    const auto data = load_campaign(store);
    std::map<std::string, std::vector<double>> kwh;
    for (const auto& r : ledger) {
        if (r.power_account.empty()) continue;
        const double base = 300 + 100.0 * static_cast<double>(spread(r.id, 28));
        std::string cut_month = "9999-99";
        if (auto c = data.clearances.find(r.id); c != data.clearances.end())
            if (auto p = c->second.find(ClearanceItem::power); p != c->second.end()) cut_month = month_of(p->second.date);
        std::vector<double> values;
        for (std::size_t i = 0; i < months.size(); ++i) {
            double v = std::round(base * (0.92 + 0.02 * static_cast<double>(spread(r.id + static_cast<long long>(i), 8))));
            if (months[i] > cut_month) v = static_cast<double>(spread(r.id + static_cast<long long>(i), 15));  // a meter's standby
            if (months[i] == cut_month) v = std::round(v * 0.4);
            values.push_back(v);
        }
        if (r.id == revived) values.back() = 1480;                       // 死灰复燃
        if (r.id == rectify_started[0]) values.back() = std::round(values[4] * 3.1);  // 未验收先生产
        kwh[r.power_account] = std::move(values);
    }
    write_readings_xlsx(sources_dir / "readings.xlsx", months, kwh);
    report.readings = import_power_readings(store, sources_dir / "readings.xlsx", quiet);
    progress.report(1.0, "完成");
    return report;
}

} // namespace qingling
