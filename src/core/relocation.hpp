// 搬迁选址 (issue 6): for every enterprise to relocate (限期搬迁, by confirmation or the latest
// check run's suggestion), the park parcels it could move to, ranked by a transparent score with
// reasons, and an allocation of all of them at once (min-cost assignment, LEMON NetworkSimplex)
// so that no parcel is promised twice.
//
// A candidate is a park parcel (role park_parcel; without any such layer, the 三调 0601 land of the
// role-landuse layers inside a park, of the park's 最高污染类别) that
//   - is planned industrial land 1001xx of a class at least the enterprise's pollution class
//     (100101 一类 = 1, 100102 二类 = 2, 100103 三类 = 3; class from layers/industries.tsv),
//   - is not occupied (ZYQK 已占用) and not reserved for another enterprise,
//   - lies in an industrial park that admits the industry and its class (准入行业, 最高污染类别:
//     the rule set's [category] policy, as the engine decides 限期搬迁), or outside every park
//     inside the 城镇开发边界 (role urban_boundary; no admission list there),
// minus the zones of the rule set's zone rules (永久基本农田, 生态保护红线, 水源保护区), minus the
// setback buffer of the proximity rule around sensitive sites (distance by industry) and minus the
// footprints of existing enterprises; the largest remaining piece must have the area the enterprise
// needs and a usable shape (radius of the largest inscribed circle).
#pragma once

#include "core/i18n.hpp"

#include "core/progress.hpp"
#include "core/project_store.hpp"
#include "core/rule_set.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qingling {

struct RelocationOptions {
    std::optional<long long> enterprise_id;  // only this enterprise (it must be one to relocate)
    double default_need_m2 = 2000;           // area needed when the ledger says nothing
    double footprint_factor = 1.2;           // need = current footprint area × factor (when larger)
    double min_inscribed_radius_m = 15;      // usable shape
    double max_distance_m = 10000;           // distance at which the distance score reaches 0
    // Score weights (sum 1): distance from the current site, area fit, class fit, park vacancy.
    double w_distance = 0.4, w_area = 0.3, w_class = 0.1, w_vacancy = 0.2;
    // Candidates listed (with reasons) per enterprise; 0 = all. The allocation sees more: each
    // enterprise's best n for n enterprises to allocate, which provably keeps it optimal.
    int max_candidates = 10;
    bool allocate = false;
    // Parcel attributes (the demo's and the usual 园区规划地块 fields).
    std::string parcel_id_field = "DKBH", parcel_status_field = "ZYQK", occupied_value = "已占用";
    // For a map (the viewer): each listed candidate's usable piece and, around each enterprise,
    // what each constraint removed (EliminatedArea). Off for the CLI: it costs unions and buffers.
    bool with_geometry = false;
};

struct SiteCandidate {
    std::string site_id;      // "LAYER#FID"
    std::string site_layer;
    long long site_fid = 0;
    std::string label;        // DKBH, or the site id
    std::string park;
    std::string code;         // 用地用海 code, e.g. 100102
    int site_class = 0;       // 1..3
    double area_m2 = 0;       // usable piece
    double parcel_area_m2 = 0;
    double inscribed_radius_m = 0;
    double distance_m = -1;   // from the current site (-1: enterprise not located)
    double score = 0;         // 0..100
    // The parts of the score (0..1 each, before weighting).
    double s_distance = 0, s_area = 0, s_class = 0, s_vacancy = 0;
    std::vector<std::string> reasons;  // Chinese, with the numbers
    std::vector<Phrase> reason_phrases;  // the same reasons, for the UI language (Phrase::shown)
    double x = 0, y = 0;      // a point inside the piece (for the line from the current site)
    std::vector<unsigned char> piece_wkb;  // the usable piece (options.with_geometry only)
};

// What one constraint took away near an enterprise (options.with_geometry): the union of its
// geometries within `region` of the entry, clipped to that box, as WKB in the project CRS.
struct EliminatedArea {
    std::string kind;    // zone (三区), setback (敏感点防护距离), footprint (现有企业占地),
                         // occupied (已占用地块), reserved (已预留给其他企业的地块)
    std::string label;   // Chinese, e.g. "敏感点防护距离 200 米"
    int features = 0;    // how many source features are in the union
    std::vector<unsigned char> wkb;  // empty when nothing of this kind lies in the region
};

struct RelocationEntry {
    long long enterprise_id = 0;
    std::string name, industry;
    int pollution_class = 0;
    std::string basis;                      // 甄别确认 or 检查建议 (run n)
    double need_m2 = 0;
    std::vector<SiteCandidate> candidates;  // best first, at most options.max_candidates
    int candidate_count = 0;                // all parcels passing every constraint
    std::optional<SiteCandidate> allocated;
    bool reserved = false;                  // allocated = a stored reservation
    std::string reason;                     // why no candidate / no allocation; empty otherwise
    std::vector<Phrase> reason_phrases;     // the same, in parts to put together (Phrase::shown each)
    // Parcels left after each constraint, in order (for the reason and for tests).
    std::vector<std::pair<std::string, int>> funnel;
    // options.with_geometry: the current site (footprint, else point; empty when not located), the
    // setback used, the box around the site and the listed candidates (grown by the setback, at
    // least 300 m) and what each constraint removed inside it, in the order of EliminatedArea's kinds.
    std::vector<unsigned char> site_wkb;
    double setback_m = 0;
    double region[4] = {0, 0, 0, 0};  // min x, min y, max x, max y
    std::vector<EliminatedArea> eliminated;
};

struct ParkCapacity {
    std::string park;
    double industrial_m2 = 0, occupied_m2 = 0, reserved_m2 = 0, allocated_m2 = 0, remaining_m2 = 0;
    int parcels = 0, free_parcels = 0;
};

struct RelocationReport {
    long long run_id = 0;                   // check run used (0: computed now, not stored)
    std::vector<RelocationEntry> entries;   // by enterprise id
    std::vector<ParkCapacity> parks;
    std::vector<std::string> notes;         // missing layers and the like
};

RelocationReport find_relocation_sites(const ProjectStore& store, const RuleSet& rules, const RelocationOptions& options,
                                       Progress& progress);

// The assignment itself, on plain numbers: scores[e] lists (site index, score) pairs. Returns the
// site index per enterprise or -1. Maximises the number of enterprises placed, then the total
// score; a site goes to at most one enterprise.
std::vector<int> assign_sites(const std::vector<std::vector<std::pair<int, double>>>& scores, int site_count);

// The JSON contract of `sites --format json`: an array with one object per relocating enterprise,
//   {"enterprise_id", "name", "industry", "class", "need_m2", "basis", "candidate_count",
//    "candidates": [{"site_id", "label", "park", "class", "code", "area_m2", "distance_m" (null when
//                    the enterprise has no location), "score", "reasons": [text]}],
//    "allocated": null | {the candidate's keys, "reserved": bool}, "reason": text | null}
// (the candidates listed: at most options.max_candidates). Pretty-printed, UTF-8 not escaped.
std::string relocation_to_json(const RelocationReport& report);

// `sites --format csv`: UTF-8 with BOM, Chinese headers, one row per listed candidate (one row with
// empty candidate cells for an enterprise without any), with the allocated site and the reason.
std::string relocation_to_csv(const RelocationReport& report);

} // namespace qingling
