#include "core/campaign_public_report.hpp"

#include "core/campaign_dates.hpp"
#include "core/china_offsets.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"

namespace qingling {

PublicReportResult add_public_report(ProjectStore& store, const PublicReportOptions& o) {
    PublicReport report;
    report.kind = o.kind;
    report.date = o.date.empty() ? today_iso_date() : o.date;
    report.reporter = o.reporter;
    report.contact = o.contact;
    report.content = o.content;
    require_iso_date(report.date, "the date of the report");
    if (o.content.empty()) throw UsageError("a report needs its content (--content: what was reported)");
    if (o.lon.has_value() != o.lat.has_value()) throw UsageError("give both longitude and latitude, or neither");

    PublicReportResult result;
    if (o.lon && o.lat) {
        LonLat p{*o.lon, *o.lat};
        switch (o.coords) {
        case CoordSource::wgs84:
        case CoordSource::cgcs2000: break;  // the same to well under a metre
        case CoordSource::gcj02: p = gcj02_to_wgs84(p); break;
        case CoordSource::bd09: p = bd09_to_wgs84(p); break;
        default: throw UsageError("a report's position is WGS-84, CGCS2000, GCJ-02 or BD-09 longitude/latitude");
        }
        if (!(p.lon >= -180 && p.lon <= 180 && p.lat >= -90 && p.lat <= 90))
            throw UsageError("longitude/latitude out of range");
        const auto ct = make_transform(make_srs(o.coords == CoordSource::cgcs2000 ? kEpsgCgcs2000 : kEpsgWgs84),
                                       make_srs(store.settings().epsg));
        double x = p.lon, y = p.lat;
        if (!transform_point(*ct, x, y)) throw UsageError("the report's position cannot be placed in the project's CRS");
        result.x = x;
        result.y = y;
        report.x = x;
        report.y = y;
    }

    WriteTransaction tx(store);
    if (o.enterprise_id != 0) {
        result.enterprise_id = o.enterprise_id;
        for (const auto& r : store.ledger())
            if (r.id == o.enterprise_id) result.enterprise_name = r.name;
        if (result.enterprise_name.empty())
            throw UsageError("the ledger has no enterprise with id " + std::to_string(o.enterprise_id));
    } else {
        LedgerRecord r;
        r.name = o.name.empty() ? o.kind + "线索 " + report.date : o.name;
        r.village = o.village;
        r.address = o.address;
        r.industry = o.industry;
        r.notes = "来源: " + o.kind + " " + report.date + ": " + o.content;
        if (result.x) {
            r.x = result.x;
            r.y = result.y;
            r.coord_source = o.coords;
            r.original_x = std::to_string(*o.lon);
            r.original_y = std::to_string(*o.lat);
        }
        result.enterprise_id = store.add_enterprise(tx, r);
        result.enterprise_name = r.name;
        result.created_enterprise = true;
        StatusChange found;
        found.enterprise_id = result.enterprise_id;
        found.status = CampaignStatus::found;
        found.date = report.date;
        found.note = o.kind + "线索, 待排查";
        store.add_status_change(tx, found);
    }
    report.enterprise_id = result.enterprise_id;
    result.report_id = store.add_public_report(tx, report);
    tx.commit();
    return result;
}

} // namespace qingling
