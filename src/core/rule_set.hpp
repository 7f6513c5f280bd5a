// The rule set of the conformity check, read from an editable TOML file (layers/rules.toml by
// default). Thresholds, code sets, permits per industry and the category policy are data here,
// not code; the engine (conformity.cpp) only knows the rule types.
#pragma once

#include "core/ledger_record.hpp"
#include "core/verdict.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

enum class RuleType {
    zone,                // inside a zone layer (永久基本农田, 生态保护红线, 水源保护区)
    land_class,          // land class of the patch under the enterprise not in the allowed set
    outside_all,         // outside every feature of the given layers (园区, 城镇开发边界)
    proximity,           // within a distance of a sensitive site, distance by industry
    permits,             // permits missing, required set by industry
    emission,            // discharge untreated or above the standard
    solid_waste_ledger,  // solid waste produced but no 固废台账
};
const char* rule_type_code(RuleType t);

struct Rule {
    std::string id;
    RuleType type = RuleType::zone;
    std::vector<Flag> flags;         // the flags a finding sets
    bool hard = false;               // a hard finding decides 依法关闭
    std::string explanation;         // template: {layer} {zone} {code} {code_name} {share} {distance} {limit} {permit}
    std::string explanation_en;      // the same in English (same placeholders) for the viewer; "" when not given
    // Which enterprises the rule applies to, by industry (names of layers/industries.tsv): only
    // these, or all but these; both empty = every enterprise.
    std::vector<std::string> industries, except_industries;
    bool applies_to(const std::string& industry) const;
    // zone, land_class, outside_all, proximity
    std::vector<std::string> roles;  // layer roles the rule reads
    std::string name_field;          // attribute naming a zone or site in explanations (e.g. MC, JB, LX)
    double min_share = 0.0;          // footprints: least overlap share that counts (zone, land_class)
    // land_class: allowed codes; an entry matches a code equal to it or starting with it
    std::vector<std::string> sandiao_allowed, yongdi_allowed;
    // proximity
    double default_distance = 0;     // metres
    std::map<std::string, double> distance_by_industry;
    // permits
    std::vector<Permit> required;                                  // for every enterprise
    std::map<std::string, std::vector<Permit>> required_by_industry;
    // emission
    std::vector<Emission> counted;   // e.g. untreated, excess
};

struct CategoryPolicy {
    // 依法关闭 also when a discharge is in `unfixable_emissions` and the industry's pollution
    // class (layers/industries.tsv) is at least `unfixable_min_class`.
    std::vector<Emission> unfixable_emissions;
    int unfixable_min_class = 3;
    // 限期搬迁 needs a park (layer role below) whose industry list names the industry (or is empty
    // or 全部) and whose highest pollution class is at least the industry's.
    std::string park_role = "industrial_park";
    std::string park_name_field = "MC";
    std::string park_industries_field = "准入行业";
    std::string park_max_class_field = "最高污染类别";
};

struct RuleSet {
    std::filesystem::path source;
    std::string name;
    std::string sha256;              // of the file's bytes: stored with every check run
    std::vector<Rule> rules;
    CategoryPolicy category;

    const Rule* find(const std::string& id) const;
};

// Reads and validates a rule file; InputError names the file, the rule and the problem.
RuleSet load_rule_set(const std::filesystem::path& file);
// layers/rules.toml
std::filesystem::path default_rule_file();

} // namespace qingling
