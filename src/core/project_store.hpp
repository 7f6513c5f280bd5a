// The project store: one campaign = one SpatiaLite file holding layers, ledger, settings and the
// audit log. All SQL of the project lives behind this interface (project_store*.cpp), so a
// PostGIS backend for a county can implement the same operations later.
#pragma once

#include "core/campaign_records.hpp"
#include "core/i18n.hpp"
#include "core/ledger_record.hpp"
#include "core/verdict.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

// Deadlines of the campaign (ISO dates). Defaults are the work plan's 2024 dates.
struct CampaignCalendar {
    std::string survey_end = "2024-08-31";          // 全面排查
    std::string classify_end = "2024-09-30";        // 精准分类
    std::string close_end = "2024-11-30";           // 依法关闭: 两断三清
    std::string rectify_end = "2024-12-31";         // 整改规范: 验收
    std::string relocate_plan_end = "2024-12-31";   // 限期搬迁: 搬迁方案
};

// A raster basemap (影像底图): an orthophoto or any GDAL raster, referenced by path rather than
// copied in, since imagery is gigabytes and replaced every year. `path` is relative to the campaign
// file's folder when the raster lies inside it (the two then move together), else absolute.
struct BasemapInfo {
    std::string name;
    std::string path;
    std::string crs;          // the raster's CRS as the user knows it, e.g. "EPSG:4547"
    double minx = 0, miny = 0, maxx = 0, maxy = 0;  // extent in the project CRS
    int width = 0, height = 0, bands = 0;
    int overviews = 0;        // reduced-resolution levels available to the viewer
    std::string added_at;     // ISO time (UTC)
};

struct ProjectSettings {
    std::string name = "散乱污企业整治";
    int epsg = 4547;                // working CRS; every stored geometry is in it
    std::string jurisdiction;       // e.g. 青岭街道
    CampaignCalendar calendar;
};

// The roles a layer can play; free roles are allowed too (any other lower-case word).
inline constexpr const char* kKnownRoles[] = {
    "jurisdiction", "village", "landuse", "planning", "farmland", "eco_redline", "urban_boundary",
    "water_protection", "industrial_park", "park_parcel", "sensitive", "grid"};
bool is_known_role(const std::string& role);
bool is_valid_role_name(const std::string& role);   // known, or [a-z][a-z0-9_]*
const char* role_label_zh(const std::string& role);  // 行政区, 村级调查区, 三调地类图斑, ...

enum class FieldType { integer, real, text };
struct FieldDef {
    std::string name;
    FieldType type = FieldType::text;
};

struct FieldValue {
    enum class Kind { null, integer, real, text } kind = Kind::null;
    long long i = 0;
    double d = 0;
    std::string s;
};

// The geometry a layer table stores (always 2D, in the project CRS).
enum class GeometryKind { point, multipoint, multiline, multipolygon, any };
const char* geometry_kind_sql(GeometryKind kind);  // "POINT", "MULTIPOLYGON", "GEOMETRY", ...

struct LayerInfo {
    long long id = 0;
    std::string name;           // display name, unique in the project
    std::string role;
    std::string table_name;
    std::string geometry_type;  // as declared to SpatiaLite
    std::string source_path;
    std::string source_layer;
    std::string driver;
    std::string source_crs;
    std::string encoding;
    std::string code_system;    // "sandiao", "yongdi" or empty for layers without land classes
    std::string code_field;     // the attribute holding the land-class code, e.g. DLBM
    std::string imported_at;    // ISO time, UTC
    long long feature_count = 0;
    long long repaired_count = 0;
    long long rejected_count = 0;
    std::string report_json;    // the full import report
};

struct AuditEntry {
    long long id = 0;
    std::string at, user, action, table_name;
    long long row_id = 0;
    std::string field, old_value, new_value;
};

// One run of the conformity check as stored in the campaign file. Every run is kept, so runs can
// be compared ("what changed since last week").
struct CheckRunInfo {
    long long id = 0;
    std::string at, user;         // ISO time (UTC) and who ran it
    std::string rules_source;     // the rule file
    std::string rules_hash;       // SHA-256 of its bytes
    long long enterprise_count = 0;
    std::vector<std::pair<std::string, std::string>> not_evaluated;  // rule id, reason
};

// 网格管理 (schema 3). Grids themselves are the features of the layers of role `grid`; a grid is
// named by its layer's name and its feature id.
inline constexpr const char* kGridPersonRoles[] = {N_("网格长"), N_("网格员"), N_("督察员")};  // stored in Chinese
bool is_grid_person_role(const std::string& role);

struct Person {
    long long id = 0;
    std::string name;
    std::string role;            // 网格长, 网格员 or 督察员
    std::string phone, village, department;
};

struct GridPersonLink {
    std::string grid_layer;      // layer name
    long long grid_fid = 0;
    long long person_id = 0;
};

// Which grid an enterprise belongs to and who answers for it (责任到人).
struct EnterpriseGridAssignment {
    long long enterprise_id = 0;
    std::string grid_layer;
    long long grid_fid = 0;
    std::optional<long long> responsible_person_id;
    std::string assigned_by = "location";   // "location" or "hand"
    std::string at;                         // ISO time (UTC), set by the store
};

// One feature of a layer as stored: its attributes in layer_fields() order and its geometry.
struct FeatureRecord {
    long long fid = 0;
    std::optional<long long> source_fid;   // none for features drawn in Qingling
    std::vector<FieldValue> values;        // layer_fields() order
    std::vector<unsigned char> wkb;        // project CRS
};

// 搬迁选址 (schema 4): a park parcel (layer name + feature id) promised to a relocating enterprise.
// At most one active reservation per site and per enterprise; released ones are kept.
struct SiteReservation {
    long long id = 0;
    std::string site_layer;
    long long site_fid = 0;
    long long enterprise_id = 0;
    std::string user, at, note;             // who reserved it and when (ISO time, UTC)
    std::string released_at, released_by;   // empty while active
};

class ProjectStore;

// A write transaction: commits explicitly, rolls back when destroyed uncommitted, so any error
// thrown mid-operation leaves the project as it was.
class WriteTransaction {
public:
    explicit WriteTransaction(ProjectStore& store);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

private:
    ProjectStore& store_;
    bool done_ = false;
};

// Streams the features of a new layer into its table; create with ProjectStore::create_layer.
class LayerWriter {
public:
    ~LayerWriter();
    LayerWriter(LayerWriter&&) noexcept;
    // wkb: 2D geometry in the project CRS, of the writer's kind (multi types are promoted here).
    void add(long long source_fid, const std::vector<FieldValue>& values, const unsigned char* wkb, size_t wkb_size);
    // Builds the spatial index and records the layer; returns the stored description.
    LayerInfo finish(LayerInfo info);

private:
    friend class ProjectStore;
    struct Impl;
    explicit LayerWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class ProjectStore {
public:
    enum class Access { read_only, read_write };

    // Creates a new campaign file; fails if the path exists. Nothing is left behind on failure.
    static ProjectStore create(const std::filesystem::path& path, const ProjectSettings& settings);
    // For migration tests: a new file at an older schema version (1..latest), as that version of
    // Qingling wrote it. Not opened: the next read_write open migrates it.
    static void create_at_schema_version(const std::filesystem::path& path, const ProjectSettings& settings,
                                         int version);
    // Opens (and, for read_write, migrates) an existing campaign file.
    static ProjectStore open(const std::filesystem::path& path, Access access);

    // Another read-only connection to the same file, for reading on a second thread (one
    // connection must not be used by two threads at once). ProjectError while this connection has
    // an open write transaction: the other connection would not see its changes.
    ProjectStore open_reader() const;

    ProjectStore(ProjectStore&&) noexcept;
    ProjectStore& operator=(ProjectStore&&) noexcept;
    ~ProjectStore();

    const std::filesystem::path& path() const;
    int schema_version() const;
    static int latest_schema_version();

    ProjectSettings settings() const;
    void set_settings(const WriteTransaction&, const ProjectSettings& settings);

    // Layers
    std::vector<LayerInfo> layers() const;
    std::optional<LayerInfo> find_layer(const std::string& name) const;
    std::vector<LayerInfo> layers_with_role(const std::string& role) const;
    LayerWriter create_layer(const WriteTransaction&, const std::string& name, const std::string& role,
                             const std::vector<FieldDef>& fields, GeometryKind kind);
    void drop_layer(const WriteTransaction&, const std::string& name);
    // Geometry of every feature of a layer as WKB (project CRS), with its row id.
    void for_each_geometry(const LayerInfo& layer,
                           const std::function<void(long long fid, const unsigned char* wkb, size_t size)>& fn) const;
    // Values of one attribute column of a layer, keyed by row id.
    std::vector<std::pair<long long, std::string>> column_values(const LayerInfo& layer, const std::string& field) const;
    std::vector<FieldDef> layer_fields(const LayerInfo& layer) const;

    struct Box {
        double minx, miny, maxx, maxy;
    };
    // The envelope of a layer's features (from its R-tree); nullopt for an empty layer.
    std::optional<Box> layer_extent(const LayerInfo& layer) const;
    // Geometry (WKB, project CRS) and the text of the named attributes of a layer's features, in fid
    // order. With `near`, only features whose envelope meets one of the boxes, found through the
    // layer's R-tree: a check of 5,000 enterprises then reads a few thousand of 500,000 patches.
    void for_each_feature(const LayerInfo& layer, const std::vector<std::string>& fields, const std::vector<Box>* near,
                          const std::function<void(long long fid, const unsigned char* wkb, size_t size,
                                                   const std::vector<std::string>& values)>& fn) const;
    // The same in the form the store keeps geometries (SpatiaLite blobs here), read with
    // visit_stored_geometry on any thread: a reader that decodes on other threads leaves the store's
    // thread only the rows to step through, and no WKB is made (the viewer's opening).
    void for_each_stored_feature(const LayerInfo& layer, const std::vector<std::string>& fields,
                                 const std::function<void(long long fid, const unsigned char* stored, size_t size,
                                                          const std::vector<std::string>& values)>& fn) const;
    // What visit_stored_geometry hands over, part by part: coordinates as runs of doubles, each
    // vertex `stride` doubles (2 to 4) starting with x and y.
    struct GeometryParts {
        virtual ~GeometryParts() = default;
        virtual void point(double x, double y) = 0;
        virtual void line(const double* coords, std::size_t count, std::size_t stride) = 0;
        // A polygon's exterior ring (`exterior`), then its holes; the closing vertex included.
        virtual void ring(const double* coords, std::size_t count, std::size_t stride, bool exterior) = 0;
    };
    // Reads a geometry from for_each_stored_feature; false if it cannot be read. Needs no
    // connection, so any thread may call it.
    static bool visit_stored_geometry(const unsigned char* stored, size_t size, GeometryParts& parts);

    // The enterprise ledger (台账)
    std::vector<LedgerRecord> ledger(std::optional<long long> enterprise_id = {}) const;
    long long add_enterprise(const WriteTransaction&, const LedgerRecord& record);
    long long ledger_size() const;
    // Footprints (占地范围): a multipolygon per enterprise, in the project CRS, as WKB.
    void set_footprint(const WriteTransaction&, long long enterprise_id, const unsigned char* wkb, size_t size);
    std::map<long long, std::vector<unsigned char>> enterprise_footprints() const;

    // Conformity check runs. A run and its verdicts are stored as computed and never changed.
    long long store_check_run(const WriteTransaction&, const CheckResult& result);  // returns the run id
    std::vector<CheckRunInfo> check_runs() const;  // oldest first
    std::optional<CheckRunInfo> latest_check_run() const;
    // The verdicts of a run by enterprise id; name, credit code, village and industry are the
    // ledger's current ones. UsageError for an unknown run.
    std::vector<Verdict> verdicts(long long run_id) const;

    // 甄别确认: a person's category for an enterprise, made against a run's suggestion (run_id 0 and
    // no suggestion when no check ran). Replaces an earlier confirmation; every change goes to the
    // audit log with the old and new values. UsageError if the enterprise does not exist.
    void confirm(const WriteTransaction&, long long enterprise_id, Category category, const std::string& note,
                 long long run_id, std::optional<Category> suggested);
    std::map<long long, Confirmation> confirmations(std::optional<long long> enterprise_id = {}) const;  // by enterprise id

    // 网格管理 (schema 3; on older files opened read-only these read as empty). Every change is in
    // the audit log with old and new values. UsageError for an unknown person, enterprise or grid,
    // or a role other than 网格长/网格员/督察员.
    long long add_person(const WriteTransaction&, const Person& person);  // returns the id
    std::vector<Person> people() const;                                  // by id
    // A grid is a feature of a layer of role `grid`. Assigning twice is a UsageError.
    void add_grid_person(const WriteTransaction&, const std::string& grid_layer, long long grid_fid, long long person_id);
    void remove_grid_person(const WriteTransaction&, const std::string& grid_layer, long long grid_fid,
                            long long person_id);
    std::vector<GridPersonLink> grid_people() const;  // by layer, fid, person id
    // Sets (replaces) an enterprise's grid and responsible person; `at` is set here.
    void set_enterprise_grid(const WriteTransaction&, const EnterpriseGridAssignment& assignment);
    void clear_enterprise_grid(const WriteTransaction&, long long enterprise_id);
    std::map<long long, EnterpriseGridAssignment> enterprise_grids() const;  // by enterprise id

    // Features edited one by one (grid editing). The geometry is WKB in the project CRS; a
    // multi-type column gets it cast to that type. Each change is audited with the geometry as
    // WKT (old and new) and every changed attribute; the layer's feature count follows.
    std::optional<FeatureRecord> feature(const LayerInfo& layer, long long fid) const;
    // fid 0: a new id, never one a deleted feature had; otherwise that id (restoring a deleted
    // feature). Returns the fid.
    long long insert_feature(const WriteTransaction&, const LayerInfo& layer, const FeatureRecord& record);
    void update_feature(const WriteTransaction&, const LayerInfo& layer, const FeatureRecord& record);
    void delete_feature(const WriteTransaction&, const LayerInfo& layer, long long fid);

    // 搬迁选址 (schema 4; older files opened read-only read as no reservations). UsageError for an
    // unknown enterprise, layer or feature, a site already reserved, or an enterprise that already
    // has one. Both changes go to the audit log.
    long long reserve_site(const WriteTransaction&, const std::string& site_layer, long long site_fid,
                           long long enterprise_id, const std::string& note = "");
    void release_site(const WriteTransaction&, long long enterprise_id);
    std::vector<SiteReservation> site_reservations(bool active_only = true) const;  // by id

    // ---- 整治进度 (schema 5, issue 8) -----------------------------------------------------------
    // Campaign monitoring records. On older files opened read-only the lists read as empty. Every
    // change goes to the audit log with old and new values; UsageError for an unknown enterprise,
    // a malformed date or a missing required field. The workflow rules (which change is allowed
    // when) live in campaign_workflow, not here.
    long long add_status_change(const WriteTransaction&, const StatusChange& change);  // returns the id
    std::vector<StatusChange> status_history(std::optional<long long> enterprise_id = {}) const;  // by enterprise, date, id
    // Sets (replaces) one 两断三清 item; evidence_data is stored when not empty, else kept as it was.
    void set_clearance(const WriteTransaction&, const ClearanceRecord& record);
    std::vector<ClearanceRecord> clearances(std::optional<long long> enterprise_id = {}) const;  // without the evidence bytes
    std::vector<unsigned char> clearance_evidence(long long enterprise_id, ClearanceItem item) const;
    long long add_acceptance(const WriteTransaction&, const Acceptance& acceptance);
    std::vector<Acceptance> acceptances(std::optional<long long> enterprise_id = {}) const;  // by id
    void set_relocation_progress(const WriteTransaction&, const RelocationProgress& progress);
    std::vector<RelocationProgress> relocation_progress(std::optional<long long> enterprise_id = {}) const;
    long long add_inspection(const WriteTransaction&, const Inspection& inspection);
    std::vector<Inspection> inspections(std::optional<long long> enterprise_id = {}) const;  // by enterprise, date, id
    // photo.data holds the bytes; x/y (project CRS) place it on the map when set.
    long long add_photo(const WriteTransaction&, const Photo& photo);
    std::vector<Photo> photos() const;               // without the bytes
    std::vector<unsigned char> photo_data(long long photo_id) const;
    long long add_public_report(const WriteTransaction&, const PublicReport& report);
    std::vector<PublicReport> public_reports() const;
    void set_deadline_override(const WriteTransaction&, const DeadlineOverride& d);
    void clear_deadline_override(const WriteTransaction&, long long enterprise_id, DeadlineStep step);
    std::vector<DeadlineOverride> deadline_overrides(std::optional<long long> enterprise_id = {}) const;
    // Inserts or replaces readings by (account, month); returns how many were new or changed.
    long long store_power_readings(const WriteTransaction&, const std::vector<PowerReading>& readings);
    std::vector<PowerReading> power_readings() const;  // by account, month
    // Raster basemaps (kept in the settings), in the order added. Adding a name again replaces it.
    std::vector<BasemapInfo> basemaps() const;
    void set_basemap(const WriteTransaction&, const BasemapInfo& basemap);
    void remove_basemap(const WriteTransaction&, const std::string& name);  // UsageError if unknown
    RelapseThresholds relapse_thresholds() const;      // defaults when never set
    void set_relapse_thresholds(const WriteTransaction&, const RelapseThresholds& t);
    // ---- end of 整治进度 --------------------------------------------------------------------------

    // ---- safety (issue 9) -------------------------------------------------------------------------
    // A consistent copy of the whole file at `target` (which must not exist), made with SQLite's
    // online backup API while other connections read; a single file (no -wal). Not inside a write
    // transaction of this connection. ProjectInUseError when a writer keeps the file locked.
    void backup_to(const std::filesystem::path& target) const;
    // Replaces the whole content with that of `source`, a campaign file checked beforehand (see
    // project_backup's restore_project), in one write transaction: a crash leaves the old content.
    // ProjectInUseError while another process writes.
    void replace_contents_from(const std::filesystem::path& source);
    // SQLite's PRAGMA integrity_check: "ok" or its first problems, one per line.
    std::string integrity_check() const;
    // SQLite's page size of the file in bytes (replace_contents_from needs equal sizes: a file in
    // WAL mode cannot change its page size).
    int page_size() const;
    // Whether this connection already made its backup before a bulk change (one per session).
    bool session_backup_done() const;
    void set_session_backup_done();

    // Audit log: who changed what, when, old and new value.
    void audit(const WriteTransaction&, const std::string& action, const std::string& table_name, long long row_id,
               const std::string& field, const std::string& old_value, const std::string& new_value);
    std::vector<AuditEntry> audit_log() const;

    struct Impl;  // the SpatiaLite backend

private:
    friend class WriteTransaction;
    explicit ProjectStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The name recorded in the audit log: $QINGLING_USER, else the login name.
std::string current_user_name();

// Who holds the write lock of a project, as its writer recorded it beside the file
// ("user@host pid N since T"); empty when nobody does or the recorded process is gone. Only a
// message for the one who waits: SQLite's own locking is the guard, and a crashed holder's stale
// note is ignored and overwritten.
std::string project_writer(const std::filesystem::path& project);

} // namespace qingling
