// Reads and validates the rule file (TOML). The format is described at the top of layers/rules.toml
// and the semantics in rule_set.hpp; every problem becomes an InputError naming the file, the line when known,
// the rule (by id, or by its position when it has no id) and the key.

#include "core/rule_set.hpp"

#include "core/errors.hpp"
#include "core/industry_table.hpp"
#include "core/resources.hpp"

#include <toml++/toml.h>

#if __has_include(<cpl_sha256.h>)
#include <cpl_sha256.h>
#else
// Debian's libgdal-dev does not install cpl_sha256.h although libgdal exports the function
// (C linkage since GDAL 2.x); declare it as the GDAL header does.
#include <cpl_port.h>
#define CPL_SHA256_HASH_SIZE 32
extern "C" void CPL_DLL CPL_SHA256(const void* data, size_t len, GByte hash[CPL_SHA256_HASH_SIZE]);
#endif

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

namespace qingling {

namespace fs = std::filesystem;

const char* rule_type_code(RuleType t) {
    switch (t) {
    case RuleType::zone: return "zone";
    case RuleType::land_class: return "land_class";
    case RuleType::outside_all: return "outside_all";
    case RuleType::proximity: return "proximity";
    case RuleType::permits: return "permits";
    case RuleType::emission: return "emission";
    case RuleType::solid_waste_ledger: return "solid_waste_ledger";
    }
    return "";
}

bool Rule::applies_to(const std::string& industry) const {
    if (!industries.empty()) return std::find(industries.begin(), industries.end(), industry) != industries.end();
    return std::find(except_industries.begin(), except_industries.end(), industry) == except_industries.end();
}

const Rule* RuleSet::find(const std::string& id) const {
    for (const auto& r : rules)
        if (r.id == id) return &r;
    return nullptr;
}

fs::path default_rule_file() { return layers_dir() / "rules.toml"; }

namespace {

constexpr RuleType kAllTypes[] = {RuleType::zone,      RuleType::land_class, RuleType::outside_all,
                                  RuleType::proximity, RuleType::permits,    RuleType::emission,
                                  RuleType::solid_waste_ledger};

std::optional<RuleType> parse_rule_type(std::string_view text) {
    for (RuleType t : kAllTypes)
        if (text == rule_type_code(t)) return t;
    return std::nullopt;
}

bool is_spatial(RuleType t) {
    return t == RuleType::zone || t == RuleType::land_class || t == RuleType::outside_all || t == RuleType::proximity;
}

// The keys a rule of each type may hold; any other key is an error.
std::vector<std::string> keys_for(RuleType t) {
    std::vector<std::string> keys = {"id", "type", "flags", "hard", "explanation", "explanation_en", "industries", "except_industries"};
    if (is_spatial(t)) keys.insert(keys.end(), {"roles", "role", "name_field"});
    switch (t) {
    case RuleType::zone: keys.insert(keys.end(), {"min_share"}); break;
    case RuleType::land_class: keys.insert(keys.end(), {"min_share", "sandiao_allowed", "yongdi_allowed"}); break;
    case RuleType::outside_all: break;
    case RuleType::proximity: keys.insert(keys.end(), {"default_distance", "distance_by_industry"}); break;
    case RuleType::permits: keys.insert(keys.end(), {"required", "required_by_industry"}); break;
    case RuleType::emission: keys.insert(keys.end(), {"counted"}); break;
    case RuleType::solid_waste_ledger: break;
    }
    return keys;
}

std::vector<std::string> all_rule_keys() {
    std::set<std::string> all;
    for (RuleType t : kAllTypes)
        for (auto& k : keys_for(t)) all.insert(k);
    return {all.begin(), all.end()};
}

const std::vector<std::string> kMetaKeys = {"name", "version"};
const std::vector<std::string> kCategoryKeys = {"unfixable_emissions", "unfixable_min_class", "park_role",
                                                "park_name_field", "park_industries_field", "park_max_class_field"};
const std::vector<std::string> kTopKeys = {"meta", "rule", "category"};
const std::vector<std::string> kPlaceholders = {"layer", "zone", "code", "code_name", "share", "distance", "limit", "permit"};

// Used when a rule gives no explanation of its own.
const char* default_explanation(RuleType t) {
    switch (t) {
    case RuleType::zone: return "位于{layer}内（{zone}，{share}）";
    case RuleType::land_class: return "地类为 {code} {code_name}，不在允许的地类内";
    case RuleType::outside_all: return "不在{layer}范围内";
    case RuleType::proximity: return "距{zone} {distance} 米，小于 {limit} 米";
    case RuleType::permits: return "缺少{permit}";
    case RuleType::emission: return "{code_name}";
    case RuleType::solid_waste_ledger: return "产生固体废物但未建立固废台账";
    }
    return "";
}

// The English of the templates above, for a rule that gives neither explanation.
const char* default_explanation_en(RuleType t) {
    switch (t) {
    case RuleType::zone: return "Inside {layer} ({zone}, {share})";
    case RuleType::land_class: return "Land class {code} {code_name} is not an allowed class";
    case RuleType::outside_all: return "Outside {layer}";
    case RuleType::proximity: return "{distance} m from {zone}, less than {limit} m";
    case RuleType::permits: return "Missing {permit}";
    case RuleType::emission: return "{code_name}";
    case RuleType::solid_waste_ledger: return "Produces solid waste but keeps no solid-waste ledger";
    }
    return "";
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += sep;
        out += items[i];
    }
    return out;
}

// Levenshtein distance on bytes, for "did you mean" hints on ASCII key names.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_d = 3;  // suggest only close matches
    for (const auto& c : candidates) {
        const size_t d = edit_distance(word, c);
        if (d < best_d) best_d = d, best = c;
    }
    return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

bool is_rule_id(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool is_role_name(std::string_view s) {
    return !s.empty() && s.front() >= 'a' && s.front() <= 'z' && is_rule_id(s);
}

bool is_code_prefix(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
}

std::string type_name(const toml::node& n) {
    std::ostringstream os;
    os << n.type();
    return os.str();
}

std::string hex(const unsigned char* bytes, size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0xF];
    }
    return out;
}

std::optional<Permit> resolve_permit(std::string_view text) {
    for (Permit p : kAllPermits) {
        const std::string_view code = permit_code(p);
        if (text == permit_label_zh(p) || text == code || text == code.substr(std::string_view("permit_").size()))
            return p;
    }
    return std::nullopt;
}

std::string permit_choices() {
    std::vector<std::string> names;
    for (Permit p : kAllPermits) names.emplace_back(permit_label_zh(p));
    return join(names, "、");
}

// The validating reader; one per file.
class Reader {
public:
    explicit Reader(fs::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const toml::node* node, const std::string& message) const {
        std::string where = file_.string();
        if (node && node->source().begin.line > 0) where += " line " + std::to_string(node->source().begin.line);
        throw InputError(where + ": " + context_ + message);
    }

    void set_context(std::string context) { context_ = std::move(context); }

    // Every key of `table` must be in `allowed`; `others` are keys valid elsewhere (for a
    // clearer message, e.g. a proximity key in a zone rule).
    void check_keys(const toml::table& table, const std::vector<std::string>& allowed, const std::string& what,
                    const std::vector<std::string>& others = {}) const {
        for (const auto& [key, node] : table) {
            const std::string k(key.str());
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
            if (std::find(others.begin(), others.end(), k) != others.end())
                fail(&node, "key '" + k + "' does not apply to " + what);
            fail(&node, "unknown key '" + k + "' in " + what + suggestion(k, allowed) + "; allowed keys: " + join(allowed));
        }
    }

    std::string string_value(const toml::node& node, const std::string& key) const {
        if (!node.is_string()) fail(&node, "'" + key + "' must be a string, not " + type_name(node));
        return std::string(*node.value<std::string_view>());
    }

    std::string nonempty_string(const toml::node& node, const std::string& key) const {
        auto s = string_value(node, key);
        if (s.find_first_not_of(" \t") == std::string::npos) fail(&node, "'" + key + "' must not be empty");
        return s;
    }

    double number_value(const toml::node& node, const std::string& key) const {
        if (!node.is_number()) fail(&node, "'" + key + "' must be a number, not " + type_name(node));
        const double v = *node.value<double>();
        if (!std::isfinite(v)) fail(&node, "'" + key + "' must be a finite number");
        return v;
    }

    // An array of strings, or (when `single_ok`) one string standing for a one-element array.
    std::vector<std::pair<std::string, const toml::node*>> strings(const toml::node& node, const std::string& key,
                                                                  bool single_ok = false) const {
        std::vector<std::pair<std::string, const toml::node*>> out;
        if (single_ok && node.is_string()) {
            out.emplace_back(string_value(node, key), &node);
            return out;
        }
        const auto* arr = node.as_array();
        if (!arr) fail(&node, "'" + key + "' must be an array of strings, not " + type_name(node));
        for (const auto& item : *arr) {
            if (!item.is_string()) fail(&item, "'" + key + "' must hold only strings, found " + type_name(item));
            out.emplace_back(std::string(*item.value<std::string_view>()), &item);
        }
        return out;
    }

    std::vector<Permit> permits(const toml::node& node, const std::string& key) const {
        std::vector<Permit> out;
        for (const auto& [text, item] : strings(node, key)) {
            auto p = resolve_permit(text);
            if (!p) fail(item, "unknown permit '" + text + "' in '" + key + "'; permits are " + permit_choices() +
                                   " (or their codes such as permit_eia)");
            if (std::find(out.begin(), out.end(), *p) != out.end())
                fail(item, "permit '" + text + "' is listed twice in '" + key + "'");
            out.push_back(*p);
        }
        return out;
    }

    std::vector<Emission> emissions(const toml::node& node, const std::string& key) const {
        std::vector<Emission> out;
        for (const auto& [text, item] : strings(node, key)) {
            std::optional<Emission> e;
            for (Emission c : {Emission::unknown, Emission::none, Emission::treated, Emission::untreated, Emission::excess})
                if (text == emission_code(c) || text == emission_label_zh(c)) e = c;
            if (!e) fail(item, "unknown discharge state '" + text + "' in '" + key +
                                   "'; use untreated (未经处理直排) or excess (超标排放)");
            if (*e != Emission::untreated && *e != Emission::excess)
                fail(item, "'" + text + "' in '" + key +
                               "' is not a discharge violation; use untreated (未经处理直排) or excess (超标排放)");
            if (std::find(out.begin(), out.end(), *e) != out.end())
                fail(item, "'" + text + "' is listed twice in '" + key + "'");
            out.push_back(*e);
        }
        return out;
    }

    // Table keys must be industries of layers/industries.tsv (canonical names).
    void check_industry(const std::string& name, const toml::node* node, const std::string& key) {
        const IndustryTable& table = industries();
        for (const auto& ind : table.industries())
            if (ind.name == name) return;
        std::string hint;
        if (const Industry* m = table.match(name)) hint = " (did you mean '" + m->name + "'?)";
        fail(node, "'" + name + "' in '" + key + "' is not an industry of " + industries_file().string() + hint);
    }

    Rule rule(const toml::node& node, size_t index, std::set<std::string>& ids);
    CategoryPolicy category(const toml::node& node);
    void meta(const toml::node& node, RuleSet& set);

private:
    fs::path industries_file() const { return layers_dir() / "industries.tsv"; }
    const IndustryTable& industries() {
        if (!industries_) {
            try {
                industries_ = IndustryTable::load(industries_file());
            } catch (const InputError& e) {
                throw InputError(file_.string() + ": " + context_ + "cannot check industry names: " + e.what());
            }
        }
        return *industries_;
    }

    fs::path file_;
    std::string context_;
    std::optional<IndustryTable> industries_;
};

void check_explanation(const Reader& r, const toml::node& node, const std::string& text, const std::string& key) {
    if (text.find('\n') != std::string::npos || text.find('\r') != std::string::npos)
        r.fail(&node, "'" + key + "' must be one line");
    for (size_t p = text.find('{'); p != std::string::npos; p = text.find('{', p + 1)) {
        const size_t e = text.find('}', p);
        if (e == std::string::npos) r.fail(&node, "'" + key + "' has a '{' without '}'");
        const std::string name = text.substr(p + 1, e - p - 1);
        if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) == kPlaceholders.end()) {
            std::vector<std::string> braced;
            for (const auto& ph : kPlaceholders) braced.push_back("{" + ph + "}");
            r.fail(&node, "unknown placeholder '{" + name + "}' in '" + key + "'" + suggestion(name, kPlaceholders) +
                              "; placeholders are " + join(braced, " "));
        }
    }
}

Rule Reader::rule(const toml::node& node, size_t index, std::set<std::string>& ids) {
    set_context("rule #" + std::to_string(index + 1) + ": ");
    const auto* t = node.as_table();
    if (!t) fail(&node, "each [[rule]] must be a table");
    const toml::table& table = *t;
    Rule rule;

    const toml::node* id_node = table.get("id");
    if (!id_node) fail(&node, "missing 'id'");
    rule.id = string_value(*id_node, "id");
    if (!is_rule_id(rule.id)) fail(id_node, "id '" + rule.id + "' must be lower-case letters, digits and _");
    set_context("rule '" + rule.id + "': ");
    if (!ids.insert(rule.id).second) fail(id_node, "duplicate rule id '" + rule.id + "'");

    const toml::node* type_node = table.get("type");
    if (!type_node) fail(&node, "missing 'type'");
    const std::string type_text = string_value(*type_node, "type");
    std::vector<std::string> type_codes;
    for (RuleType rt : kAllTypes) type_codes.emplace_back(rule_type_code(rt));
    const auto type = parse_rule_type(type_text);
    if (!type) fail(type_node, "unknown type '" + type_text + "'" + suggestion(type_text, type_codes) + "; types are " + join(type_codes));
    rule.type = *type;

    check_keys(table, keys_for(rule.type), std::string("a ") + rule_type_code(rule.type) + " rule", all_rule_keys());

    // flags
    const toml::node* flags_node = table.get("flags");
    if (!flags_node) fail(&node, "missing 'flags' (an array of 散, 乱, 污)");
    for (const auto& [text, item] : strings(*flags_node, "flags")) {
        auto f = parse_flag(text);
        if (!f) fail(item, "unknown flag '" + text + "'; flags are 散, 乱, 污");
        if (std::find(rule.flags.begin(), rule.flags.end(), *f) != rule.flags.end())
            fail(item, "flag '" + text + "' is listed twice");
        rule.flags.push_back(*f);
    }
    if (rule.flags.empty()) fail(flags_node, "'flags' is empty; give at least one of 散, 乱, 污");

    if (const auto* n = table.get("hard")) {
        if (!n->is_boolean()) fail(n, "'hard' must be true or false, not " + type_name(*n));
        rule.hard = *n->value<bool>();
    }

    const auto* explanation = table.get("explanation");
    if (explanation) {
        rule.explanation = nonempty_string(*explanation, "explanation");
        check_explanation(*this, *explanation, rule.explanation, "explanation");
    } else {
        rule.explanation = default_explanation(rule.type);
    }
    // The English is optional; the type's default English only goes with the default Chinese (a
    // rule's own Chinese without English is shown in Chinese rather than beside an unrelated text).
    if (const auto* n = table.get("explanation_en")) {
        rule.explanation_en = nonempty_string(*n, "explanation_en");
        check_explanation(*this, *n, rule.explanation_en, "explanation_en");
    } else if (!explanation) {
        rule.explanation_en = default_explanation_en(rule.type);
    }

    // which enterprises the rule applies to, by industry
    for (const char* key : {"industries", "except_industries"}) {
        const auto* n = table.get(key);
        if (!n) continue;
        auto& list = std::string(key) == "industries" ? rule.industries : rule.except_industries;
        for (const auto& [text, item] : strings(*n, key, true)) {
            check_industry(text, item, key);
            list.push_back(text);
        }
    }
    if (!rule.industries.empty() && !rule.except_industries.empty())
        fail(table.get("except_industries"), "give either 'industries' or 'except_industries', not both");

    // spatial keys
    if (is_spatial(rule.type)) {
        const auto* roles = table.get("roles");
        const auto* role = table.get("role");
        if (roles && role) fail(role, "give either 'roles' or 'role', not both");
        if (!roles && !role) fail(&node, std::string("missing 'roles' (the layer roles a ") + rule_type_code(rule.type) + " rule reads)");
        const auto* rn = roles ? roles : role;
        const std::string key = roles ? "roles" : "role";
        for (const auto& [text, item] : strings(*rn, key, true)) {
            if (!is_role_name(text)) fail(item, "role '" + text + "' must be a lower-case word ([a-z][a-z0-9_]*)");
            if (std::find(rule.roles.begin(), rule.roles.end(), text) != rule.roles.end())
                fail(item, "role '" + text + "' is listed twice");
            rule.roles.push_back(text);
        }
        if (rule.roles.empty()) fail(rn, "'" + key + "' is empty");
        if (const auto* n = table.get("name_field")) rule.name_field = nonempty_string(*n, "name_field");
    }
    if (const auto* n = table.get("min_share")) {
        rule.min_share = number_value(*n, "min_share");
        if (rule.min_share < 0 || rule.min_share > 1)
            fail(n, "'min_share' must be between 0 and 1 (a share of the footprint), not " + std::to_string(rule.min_share));
    }

    switch (rule.type) {
    case RuleType::zone:
    case RuleType::outside_all:
    case RuleType::solid_waste_ledger: break;
    case RuleType::land_class: {
        for (const char* key : {"sandiao_allowed", "yongdi_allowed"}) {
            const auto* n = table.get(key);
            if (!n) continue;
            auto& target = std::string_view(key) == "sandiao_allowed" ? rule.sandiao_allowed : rule.yongdi_allowed;
            for (const auto& [text, item] : strings(*n, key)) {
                if (!is_code_prefix(text)) fail(item, "'" + text + "' in '" + key + "' is not a land-class code (letters and digits)");
                if (std::find(target.begin(), target.end(), text) != target.end())
                    fail(item, "code '" + text + "' is listed twice in '" + key + "'");
                target.push_back(text);
            }
        }
        if (rule.sandiao_allowed.empty() && rule.yongdi_allowed.empty())
            fail(&node, "a land_class rule needs 'sandiao_allowed' or 'yongdi_allowed' (allowed code prefixes)");
        break;
    }
    case RuleType::proximity: {
        const auto* n = table.get("default_distance");
        if (!n) fail(&node, "missing 'default_distance' (metres, > 0)");
        rule.default_distance = number_value(*n, "default_distance");
        if (rule.default_distance <= 0) fail(n, "'default_distance' must be more than 0 metres");
        if (const auto* d = table.get("distance_by_industry")) {
            const auto* dt = d->as_table();
            if (!dt) fail(d, "'distance_by_industry' must be a table industry = metres, not " + type_name(*d));
            for (const auto& [key, value] : *dt) {
                const std::string industry(key.str());
                check_industry(industry, &value, "distance_by_industry");
                const double m = number_value(value, "distance_by_industry." + industry);
                if (m < 0) fail(&value, "distance for '" + industry + "' must not be negative");
                rule.distance_by_industry[industry] = m;
            }
        }
        break;
    }
    case RuleType::permits: {
        if (const auto* n = table.get("required")) rule.required = permits(*n, "required");
        if (const auto* d = table.get("required_by_industry")) {
            const auto* dt = d->as_table();
            if (!dt) fail(d, "'required_by_industry' must be a table industry = [permits], not " + type_name(*d));
            for (const auto& [key, value] : *dt) {
                const std::string industry(key.str());
                check_industry(industry, &value, "required_by_industry");
                auto list = permits(value, "required_by_industry." + industry);
                if (list.empty()) fail(&value, "the permit list for '" + industry + "' is empty");
                rule.required_by_industry[industry] = std::move(list);
            }
        }
        if (rule.required.empty() && rule.required_by_industry.empty())
            fail(&node, "a permits rule needs 'required' or 'required_by_industry'");
        break;
    }
    case RuleType::emission: {
        const auto* n = table.get("counted");
        if (!n) fail(&node, "missing 'counted' (untreated and/or excess)");
        rule.counted = emissions(*n, "counted");
        if (rule.counted.empty()) fail(n, "'counted' is empty");
        break;
    }
    }
    set_context("");
    return rule;
}

CategoryPolicy Reader::category(const toml::node& node) {
    set_context("[category]: ");
    CategoryPolicy policy;
    const auto* t = node.as_table();
    if (!t) fail(&node, "must be a table");
    check_keys(*t, kCategoryKeys, "[category]");
    if (const auto* n = t->get("unfixable_emissions")) policy.unfixable_emissions = emissions(*n, "unfixable_emissions");
    if (const auto* n = t->get("unfixable_min_class")) {
        if (!n->is_integer()) fail(n, "'unfixable_min_class' must be an integer 1, 2 or 3, not " + type_name(*n));
        const auto v = *n->value<int64_t>();
        if (v < 1 || v > 3) fail(n, "'unfixable_min_class' must be 1, 2 or 3 (一/二/三类工业), not " + std::to_string(v));
        policy.unfixable_min_class = static_cast<int>(v);
    }
    if (const auto* n = t->get("park_role")) {
        policy.park_role = string_value(*n, "park_role");
        if (!is_role_name(policy.park_role)) fail(n, "'park_role' must be a lower-case word ([a-z][a-z0-9_]*)");
    }
    if (const auto* n = t->get("park_name_field")) policy.park_name_field = nonempty_string(*n, "park_name_field");
    if (const auto* n = t->get("park_industries_field")) policy.park_industries_field = nonempty_string(*n, "park_industries_field");
    if (const auto* n = t->get("park_max_class_field")) policy.park_max_class_field = nonempty_string(*n, "park_max_class_field");
    set_context("");
    return policy;
}

void Reader::meta(const toml::node& node, RuleSet& set) {
    set_context("[meta]: ");
    const auto* t = node.as_table();
    if (!t) fail(&node, "must be a table");
    check_keys(*t, kMetaKeys, "[meta]");
    const auto* v = t->get("version");
    if (!v) fail(&node, "missing 'version' (this program reads version 1)");
    if (!v->is_integer()) fail(v, "'version' must be an integer, not " + type_name(*v));
    if (*v->value<int64_t>() != 1)
        fail(v, "version " + std::to_string(*v->value<int64_t>()) + " is not supported; this program reads version 1");
    if (const auto* n = t->get("name")) set.name = nonempty_string(*n, "name");
    set_context("");
}

} // namespace

RuleSet load_rule_set(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) throw InputError("the rule file " + file.string() + " does not exist");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError("cannot open the rule file " + file.string());
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw InputError("cannot read the rule file " + file.string());

    RuleSet set;
    set.source = file;
    set.name = file.stem().string();
    unsigned char hash[CPL_SHA256_HASH_SIZE];
    CPL_SHA256(bytes.data(), bytes.size(), hash);
    set.sha256 = hex(hash, sizeof hash);

    // Parse the bytes just hashed (not the file again) so the hash always matches the rules.
    toml::table doc;
    try {
        doc = toml::parse(std::string_view(bytes), file.string());
    } catch (const toml::parse_error& e) {
        throw InputError(file.string() + " line " + std::to_string(e.source().begin.line) + ", column " +
                         std::to_string(e.source().begin.column) + ": TOML syntax error: " + std::string(e.description()));
    }

    Reader reader(file);
    reader.check_keys(doc, kTopKeys, "the rule file (top level)");

    const auto* meta = doc.get("meta");
    if (!meta) reader.fail(nullptr, "missing [meta] with version = 1");
    reader.meta(*meta, set);

    const auto* rules = doc.get("rule");
    if (!rules) reader.fail(nullptr, "holds no [[rule]] entries");
    const auto* arr = rules->as_array();
    if (!arr || !arr->is_array_of_tables()) reader.fail(rules, "'rule' must be written as [[rule]] tables");
    std::set<std::string> ids;
    for (size_t i = 0; i < arr->size(); ++i) set.rules.push_back(reader.rule(*arr->get(i), i, ids));
    if (set.rules.empty()) reader.fail(rules, "holds no [[rule]] entries");

    if (const auto* cat = doc.get("category")) set.category = reader.category(*cat);
    return set;
}

} // namespace qingling
