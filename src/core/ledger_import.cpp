#include "core/ledger_import.hpp"

#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/project_backup.hpp"
#include "core/geos_handles.hpp"
#include "core/i18n.hpp"
#include "core/industry_table.hpp"
#include "core/resources.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace qingling {

namespace {

// A polygon layer of the project ready for point-in-polygon tests.
struct PreparedArea {
    GeosGeometryPtr geometry;
    GeosPreparedPtr prepared;
    std::string name;
};

std::vector<PreparedArea> load_areas(const ProjectStore& store, const GeosContext& geos, const std::string& role,
                                     const std::vector<std::string>& name_fields) {
    std::vector<PreparedArea> out;
    GeosWkbReaderPtr reader(GEOSWKBReader_create_r(geos.get()), GeosWkbReaderDeleter{geos.get()});
    for (const auto& layer : store.layers_with_role(role)) {
        std::map<long long, std::string> names;
        for (const auto& f : store.layer_fields(layer))
            if (std::find(name_fields.begin(), name_fields.end(), f.name) != name_fields.end()) {
                for (auto& [fid, v] : store.column_values(layer, f.name)) names[fid] = v;
                break;
            }
        store.for_each_geometry(layer, [&](long long fid, const unsigned char* wkb, size_t size) {
            PreparedArea a;
            a.geometry = geos_own(geos, GEOSWKBReader_read_r(geos.get(), reader.get(), wkb, size));
            if (!a.geometry) return;
            a.prepared = GeosPreparedPtr(GEOSPrepare_r(geos.get(), a.geometry.get()), GeosPreparedDeleter{geos.get()});
            a.name = names[fid];
            out.push_back(std::move(a));
        });
    }
    return out;
}

const PreparedArea* area_containing(const std::vector<PreparedArea>& areas, const GeosContext& geos,
                                    const GEOSGeometry* point) {
    for (const auto& a : areas)
        if (GEOSPreparedIntersects_r(geos.get(), a.prepared.get(), point) == 1) return &a;
    return nullptr;
}

// The parse and the checks against the project, shared by the import and its preview.
struct CheckedLedger {
    LedgerParseResult parsed;
    LedgerImportReport report;
    std::vector<const LedgerRecord*> accepted;  // into parsed.records
};

void sort_problems(LedgerImportReport& report) {
    report.rejected = 0;
    for (const auto& p : report.problems)
        if (p.rejected) ++report.rejected;
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const LedgerProblem& a, const LedgerProblem& b) { return a.row < b.row; });
}

CheckedLedger check_ledger(const ProjectStore& store, const LedgerImportOptions& options, Progress& progress) {
    CheckedLedger checked;
    const ProjectSettings settings = store.settings();
    LedgerParseOptions parse_options;
    parse_options.sheet = options.sheet;
    parse_options.coords = options.coords;
    parse_options.encoding = options.encoding;
    parse_options.project_srs = make_srs(settings.epsg);
    const IndustryTable industries = IndustryTable::load(layers_dir() / "industries.tsv");
    checked.parsed = parse_ledger(options.file, parse_options, industries, progress);
    LedgerParseResult& parsed = checked.parsed;
    LedgerImportReport& report = checked.report;
    report.file = options.file.string();
    report.encoding = parsed.encoding;
    report.coordinate_columns = parsed.coordinate_columns;
    report.rows_read = parsed.rows_read;
    report.column_mapping = parsed.column_mapping;
    report.problems = std::move(parsed.problems);

    // Checks against what the project already holds.
    std::map<std::string, long long> stored_codes;
    for (const auto& r : store.ledger())
        if (!r.credit_code.empty()) stored_codes.emplace(r.credit_code, r.id);
    GeosContext geos;
    const auto jurisdiction = load_areas(store, geos, "jurisdiction", {"XZQMC", "MC", "NAME", "名称"});
    const auto villages = load_areas(store, geos, "village", {"ZLDWMC", "XZQMC", "CJMC", "MC", "NAME", "村名", "名称"});

    std::vector<const LedgerRecord*>& accepted = checked.accepted;
    for (auto& r : parsed.records) {
        if (!r.credit_code.empty()) {
            if (auto it = stored_codes.find(r.credit_code); it != stored_codes.end()) {
                report.problems.push_back({r.source_row, "统一社会信用代码", "duplicate", true,
                                           "信用代码 " + r.credit_code + " 已在项目台账中 (企业编号 " +
                                               std::to_string(it->second) + ")"});
                continue;
            }
        }
        if (r.x && r.y) {
            GeosGeometryPtr point = geos_own(geos, GEOSGeom_createPointFromXY_r(geos.get(), *r.x, *r.y));
            if (!jurisdiction.empty() && !area_containing(jurisdiction, geos, point.get()))
                report.problems.push_back({r.source_row, "", "outside_jurisdiction", false,
                                           "坐标 (" + r.original_x + ", " + r.original_y + ") 不在辖区范围内"});
            if (const PreparedArea* village = area_containing(villages, geos, point.get());
                village && !village->name.empty()) {
                if (r.village.empty()) {
                    r.village = village->name;
                } else if (r.village != village->name) {
                    report.problems.push_back({r.source_row, "所属村(社区)", "village_mismatch", false,
                                               "填报为 " + r.village + ", 坐标位于 " + village->name});
                }
            }
        }
        accepted.push_back(&r);
    }
    return checked;
}

} // namespace

LedgerPreview probe_ledger(const ProjectStore& store, const LedgerImportOptions& options, std::size_t max_rows,
                           Progress& progress) {
    CheckedLedger checked = check_ledger(store, options, progress);
    LedgerPreview preview;
    preview.report = std::move(checked.report);
    preview.report.imported = static_cast<long long>(checked.accepted.size());
    for (std::size_t i = 0; i < checked.accepted.size() && i < max_rows; ++i) preview.first_rows.push_back(*checked.accepted[i]);
    for (const LedgerRecord* r : checked.accepted)
        if (r->x) ++preview.report.with_point;
    sort_problems(preview.report);
    return preview;
}

LedgerImportReport import_ledger(ProjectStore& store, const LedgerImportOptions& options, Progress& progress) {
    CheckedLedger checked = check_ledger(store, options, progress);
    LedgerImportReport& report = checked.report;
    const std::vector<const LedgerRecord*>& accepted = checked.accepted;
    if (accepted.empty()) {
        std::string first;
        for (const auto& p : report.problems)
            if (p.rejected) { first = "; first: row " + std::to_string(p.row) + ": " + p.message; break; }
        throw InputError("'" + options.file.string() + "': no row could be imported (" +
                         std::to_string(report.rows_read) + " rows read" + first + ")");
    }

    backup_before_bulk_change(store, "ledger-import");
    WriteTransaction tx(store);
    for (std::size_t i = 0; i < accepted.size(); ++i) {
        if ((i & 0x3f) == 0) {
            if (progress.cancelled()) throw CancelledError();
            progress.report(double(i) / double(accepted.size()), N_("台账入库"));
        }
        store.add_enterprise(tx, *accepted[i]);
        if (accepted[i]->x) ++report.with_point;
    }
    store.audit(tx, "import ledger", "enterprise", 0, "file", "", report.file);
    tx.commit();
    report.imported = static_cast<long long>(accepted.size());
    sort_problems(report);
    progress.report(1.0, N_("台账入库"));
    return std::move(report);
}

} // namespace qingling
