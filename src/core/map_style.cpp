#include "core/map_style.hpp"

#include "core/check_report.hpp"
#include "core/i18n.hpp"

#include <algorithm>

#include <toml++/toml.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace qingling {

Mark mark_for(const std::optional<Verdict>& verdict, const std::optional<Confirmation>& confirmation) {
    std::optional<Category> c;
    if (confirmation) c = confirmation->category;
    else if (verdict) c = verdict->suggested;
    if (c) {
        switch (*c) {
        case Category::close: return Mark::close;
        case Category::rectify: return Mark::rectify;
        case Category::relocate: return Mark::relocate;
        }
    }
    return verdict ? Mark::ok : Mark::unchecked;
}

EnterpriseMark EnterpriseMarks::of(long long enterprise_id) const {
    auto it = by_enterprise.find(enterprise_id);
    return it == by_enterprise.end() ? EnterpriseMark{} : it->second;
}

EnterpriseMarks read_enterprise_marks(const ProjectStore& store) {
    EnterpriseMarks out;
    out.run = store.latest_check_run();
    if (out.run)
        for (auto& v : store.verdicts(out.run->id)) {
            const long long id = v.enterprise_id;
            out.by_enterprise[id].verdict = std::move(v);
        }
    for (auto& [id, c] : store.confirmations()) out.by_enterprise[id].confirmation = c;
    for (auto& [id, e] : out.by_enterprise) {
        e.review = e.verdict && e.confirmation && needs_review(*e.verdict, *e.confirmation);
        e.mark = mark_for(e.verdict, e.confirmation);
    }
    return out;
}

Rgba campaign_status_colour(CampaignStatus s) {
    switch (s) {
    case CampaignStatus::found: return rgb(0x9E9E9E);
    case CampaignStatus::confirmed: return rgb(0x8DB4E2);
    case CampaignStatus::classified: return rgb(0x1E5AE6);
    case CampaignStatus::in_progress: return rgb(0xF08C00);
    case CampaignStatus::done: return rgb(0x43B05C);
    case CampaignStatus::revisit: return rgb(0x17A2B8);
    case CampaignStatus::struck_off: return rgb(0x1B5E20);
    }
    return rgb(0x9E9E9E);
}

Rgba mark_colour(Mark m) {
    switch (m) {
    case Mark::close: return rgb(0xE02020);      // red
    case Mark::rectify: return rgb(0xFFA000);    // orange
    case Mark::relocate: return rgb(0x1E5AE6);   // blue
    case Mark::ok: return rgb(0x10C040);         // green
    case Mark::unchecked: return rgb(0x9A9A9A);  // grey
    }
    return rgb(0x000000);
}

const char* mark_label_zh(Mark m) {
    switch (m) {
    case Mark::close: return N_("依法关闭");
    case Mark::rectify: return N_("整改规范");
    case Mark::relocate: return N_("限期搬迁");
    case Mark::ok: return N_("无需分类");
    case Mark::unchecked: return N_("未检查");
    }
    return "";
}

std::optional<Hatch> parse_hatch(std::string_view text) {
    if (text == "none") return Hatch::none;
    if (text == "diagonal") return Hatch::diagonal;
    if (text == "back_diagonal") return Hatch::back_diagonal;
    if (text == "cross") return Hatch::cross;
    return std::nullopt;
}

LayerStyle role_style(const std::string& role) {
    LayerStyle s;
    // Land-class layers whose code system is unknown are filled in one neutral colour.
    if (role == "landuse") {
        s.fill = true;
        s.fill_by_land_class = true;
        s.fill_colour = rgb(0xE3DCC8);
        s.outline = rgb(0xFFFFFF, 110);
        s.outline_px = 0.6f;
        s.draw_order = 10;
    } else if (role == "planning") {
        s.fill = true;
        s.fill_by_land_class = true;
        s.fill_colour = rgb(0xE3DCC8);
        s.outline = rgb(0xFFFFFF, 110);
        s.outline_px = 0.6f;
        s.draw_order = 12;
    } else if (role == "park_parcel") {
        s.outline = rgb(0x8E5BB5);
        s.outline_px = 0.8f;
        s.draw_order = 20;
    } else if (role == "village") {
        s.outline = rgb(0x4A4A4A, 200);
        s.outline_px = 1.2f;
        s.draw_order = 30;
    } else if (role == "farmland") {  // 永久基本农田
        s.outline = rgb(0xA08000);
        s.outline_px = 1.6f;
        s.draw_order = 40;
        s.hatch = Hatch::diagonal;
        s.hatch_colour = rgb(0xA08000, 150);
    } else if (role == "eco_redline") {  // 生态保护红线
        s.outline = rgb(0x0B7A3E);
        s.outline_px = 2.2f;
        s.draw_order = 41;
        s.hatch = Hatch::back_diagonal;
        s.hatch_colour = rgb(0x0B7A3E, 150);
    } else if (role == "water_protection") {  // 饮用水水源保护区
        s.outline = rgb(0x0A50B4);
        s.outline_px = 2.2f;
        s.draw_order = 42;
        s.hatch = Hatch::cross;
        s.hatch_colour = rgb(0x0A50B4, 130);
        s.hatch_spacing_px = 10.0f;
    } else if (role == "urban_boundary") {  // 城镇开发边界
        s.outline = rgb(0xC0185A);
        s.outline_px = 2.0f;
        s.draw_order = 43;
    } else if (role == "industrial_park") {
        s.outline = rgb(0x6A2C91);
        s.outline_px = 2.4f;
        s.draw_order = 44;
    } else if (role == "grid") {
        s.outline = rgb(0x222222, 160);
        s.outline_px = 1.0f;
        s.draw_order = 50;
    } else if (role == "jurisdiction") {
        s.outline = rgb(0x202020);
        s.outline_px = 2.8f;
        s.draw_order = 60;
    } else if (role == "sensitive") {  // schools, clinics, residential areas
        s.outline = rgb(0xD6336C);
        s.outline_px = 1.5f;
        s.point_colour = rgb(0xD6336C);
        s.point_shape = PointShape::square;
        s.point_px = 10.0f;
        s.draw_order = 70;
    } else {
        s.outline = rgb(0x666666);
        s.outline_px = 1.0f;
        s.draw_order = 55;
    }
    return s;
}

const std::vector<std::string>& builtin_style_roles() {
    static const std::vector<std::string> roles{"landuse",        "planning",       "park_parcel", "village",
                                                "farmland",       "eco_redline",    "water_protection",
                                                "urban_boundary", "industrial_park", "grid",       "jurisdiction",
                                                "sensitive"};
    return roles;
}

std::optional<Rgba> parse_colour(std::string_view t) {
    if (t.size() != 7 && t.size() != 9) return std::nullopt;
    if (t[0] != '#') return std::nullopt;
    unsigned v[4] = {0, 0, 0, 255};
    for (size_t i = 0; i + 1 < t.size(); i += 2) {
        unsigned byte = 0;
        for (size_t k = 1; k <= 2; ++k) {
            const char c = t[i + k];
            unsigned d = 0;
            if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
            else return std::nullopt;
            byte = byte * 16 + d;
        }
        v[i / 2] = byte;
    }
    return Rgba{static_cast<std::uint8_t>(v[0]), static_cast<std::uint8_t>(v[1]), static_cast<std::uint8_t>(v[2]),
                static_cast<std::uint8_t>(v[3])};
}

std::string colour_text(Rgba c) {
    char buf[16];
    if (c.a == 255) std::snprintf(buf, sizeof buf, "#%02X%02X%02X", c.r, c.g, c.b);
    else std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", c.r, c.g, c.b, c.a);
    return buf;
}

namespace {

[[noreturn]] void style_error(const std::string& source, const toml::node* node, const std::string& message) {
    std::string where = source;
    if (node && node->source().begin.line > 0) where += " line " + std::to_string(node->source().begin.line);
    throw std::runtime_error(where + ": " + message);
}

// Applies the keys of one role table to `s`.
void apply_style(const std::string& source, const std::string& what, const toml::table& t, LayerStyle& s) {
    auto colour = [&](const toml::node& n, const std::string& key) {
        const auto* text = n.as_string();
        std::optional<Rgba> c = text ? parse_colour(text->get()) : std::nullopt;
        if (!c) style_error(source, &n, what + "." + key + ": expected a colour \"#RRGGBB\" or \"#RRGGBBAA\"");
        return *c;
    };
    auto boolean = [&](const toml::node& n, const std::string& key) {
        const auto* b = n.as_boolean();
        if (!b) style_error(source, &n, what + "." + key + ": expected true or false");
        return b->get();
    };
    auto number = [&](const toml::node& n, const std::string& key, double lo, double hi) {
        std::optional<double> v;
        if (const auto* i = n.as_integer()) v = static_cast<double>(i->get());
        if (const auto* f = n.as_floating_point()) v = f->get();
        if (!v || *v < lo || *v > hi)
            style_error(source, &n, what + "." + key + ": expected a number from " + std::to_string(static_cast<int>(lo)) +
                                        " to " + std::to_string(static_cast<int>(hi)));
        return *v;
    };
    for (const auto& [k, node] : t) {
        const std::string key(k.str());
        if (key == "fill") s.fill = boolean(node, key);
        else if (key == "fill_colour") s.fill_colour = colour(node, key);
        else if (key == "fill_by_land_class") s.fill_by_land_class = boolean(node, key);
        else if (key == "outline") s.outline = colour(node, key);
        else if (key == "outline_px") s.outline_px = static_cast<float>(number(node, key, 0, 50));
        else if (key == "point_colour") s.point_colour = colour(node, key);
        else if (key == "point_px") s.point_px = static_cast<float>(number(node, key, 1, 100));
        else if (key == "draw_order") s.draw_order = static_cast<int>(number(node, key, -1000, 1000));
        else if (key == "visible") s.visible = boolean(node, key);
        else if (key == "hatch_colour") s.hatch_colour = colour(node, key);
        else if (key == "hatch_spacing_px") s.hatch_spacing_px = static_cast<float>(number(node, key, 2, 100));
        else if (key == "hatch_width_px") s.hatch_width_px = static_cast<float>(number(node, key, 0.5, 20));
        else if (key == "hatch") {
            const auto* text = node.as_string();
            const std::optional<Hatch> h = parse_hatch(text ? text->get() : "");
            if (!h) style_error(source, &node, what + ".hatch: expected \"none\", \"diagonal\", \"back_diagonal\" or \"cross\"");
            s.hatch = *h;
        }
        else if (key == "point_shape") {
            const auto* text = node.as_string();
            const std::string v = text ? text->get() : "";
            if (v == "circle") s.point_shape = PointShape::circle;
            else if (v == "square") s.point_shape = PointShape::square;
            else if (v == "ring") s.point_shape = PointShape::ring;
            else style_error(source, &node, what + ".point_shape: expected \"circle\", \"square\" or \"ring\"");
        } else {
            style_error(source, &node, what + ": unknown key '" + key +
                                           "' (fill, fill_colour, fill_by_land_class, outline, outline_px, point_colour, "
                                           "point_shape, point_px, draw_order, visible, hatch, hatch_colour, hatch_spacing_px, "
                                           "hatch_width_px)");
        }
    }
}

} // namespace

RoleStyles RoleStyles::builtin() { return RoleStyles(); }

RoleStyles RoleStyles::parse(std::string_view text, const std::string& source_name) {
    toml::table doc;
    try {
        doc = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(source_name + " line " + std::to_string(e.source().begin.line) +
                                 ": TOML syntax error: " + std::string(e.description()));
    }
    RoleStyles out;
    out.source_ = source_name;
    for (const auto& [k, node] : doc) {
        const std::string key(k.str());
        const toml::table* t = node.as_table();
        if (key == "meta") continue;
        if (key == "default") {
            if (!t) style_error(source_name, &node, "[default] must be a table");
            LayerStyle s = role_style("");
            apply_style(source_name, "default", *t, s);
            out.default_ = s;
        } else if (key == "role") {
            if (!t) style_error(source_name, &node, "role must hold one table per role: [role.landuse]");
            for (const auto& [rk, rnode] : *t) {
                const std::string role(rk.str());
                const toml::table* rt = rnode.as_table();
                if (!rt) style_error(source_name, &rnode, "role." + role + " must be a table");
                LayerStyle s = role_style(role);
                apply_style(source_name, "role." + role, *rt, s);
                out.roles_[role] = s;
            }
        } else {
            style_error(source_name, &node, "unknown table '" + key + "' (meta, default, role.<name>)");
        }
    }
    return out;
}

RoleStyles RoleStyles::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return parse(bytes.str(), file.string());
}

RoleStyles RoleStyles::load_or_builtin(const std::filesystem::path& file, std::string& warning) {
    try {
        return load(file);
    } catch (const std::exception& e) {
        warning = std::string(e.what()) + "; using the built-in layer styles";
        return builtin();
    }
}

LayerStyle RoleStyles::style(const std::string& role) const {
    if (auto it = roles_.find(role); it != roles_.end()) return it->second;
    const auto& known = builtin_style_roles();
    if (std::find(known.begin(), known.end(), role) == known.end() && default_) return *default_;
    return role_style(role);
}

namespace {

struct GroupDef {
    const char* code;
    const char* name;
    Rgba colour;
};

// 三调工作分类, first level (GB/T 21010-2017 with the 三调 changes; 00 = 湿地 as 三调 lists it).
const GroupDef kSandiaoGroups[] = {
    {"00", N_("湿地"), rgb(0x7CC7BE)},          {"01", N_("耕地"), rgb(0xF5E35A)},
    {"02", N_("园地"), rgb(0xC8DC6E)},          {"03", N_("林地"), rgb(0x5FA85A)},
    {"04", N_("草地"), rgb(0xA8D88A)},          {"05", N_("商业服务业用地"), rgb(0xEE8C9A)},
    {"06", N_("工矿用地"), rgb(0x96648C)},      {"07", N_("住宅用地"), rgb(0xEB7850)},
    {"08", N_("公共管理与公共服务用地"), rgb(0xDCA0C8)}, {"09", N_("特殊用地"), rgb(0xA08C6E)},
    {"10", N_("交通运输用地"), rgb(0xA5A5A5)},  {"11", N_("水域及水利设施用地"), rgb(0x6EAAE6)},
    {"12", N_("其他土地"), rgb(0xD7CDB9)},
};

// 国土空间调查、规划、用途管制用地用海分类, first level.
const GroupDef kYongdiGroups[] = {
    {"01", N_("耕地"), rgb(0xF5E35A)},          {"02", N_("园地"), rgb(0xC8DC6E)},
    {"03", N_("林地"), rgb(0x5FA85A)},          {"04", N_("草地"), rgb(0xA8D88A)},
    {"05", N_("湿地"), rgb(0x7CC7BE)},          {"06", N_("农业设施建设用地"), rgb(0xC8C88C)},
    {"07", N_("居住用地"), rgb(0xEB7850)},      {"08", N_("公共管理与公共服务用地"), rgb(0xDCA0C8)},
    {"09", N_("商业服务业用地"), rgb(0xEE8C9A)}, {"10", N_("工矿用地"), rgb(0x96648C)},
    {"11", N_("仓储用地"), rgb(0xB482C8)},      {"12", N_("交通运输用地"), rgb(0xA5A5A5)},
    {"13", N_("公用设施用地"), rgb(0x7890B4)},  {"14", N_("绿地与开敞空间用地"), rgb(0x78C878)},
    {"15", N_("特殊用地"), rgb(0xA08C6E)},      {"16", N_("留白用地"), rgb(0xEEEEEE)},
    {"17", N_("陆地水域"), rgb(0x6EAAE6)},      {"23", N_("其他土地"), rgb(0xD7CDB9)},
};

const LandClassGroup kUnknownGroup{kUnknownGroupCode, N_("未知地类"), rgb(0xFFFFFF)};

template <size_t N>
std::vector<LandClassGroup> to_groups(const GroupDef (&defs)[N]) {
    std::vector<LandClassGroup> out;
    for (const auto& d : defs) out.push_back({d.code, d.name, d.colour});
    return out;
}

std::vector<LandClassGroup> system_groups(const std::string& system) {
    if (system == "sandiao") return to_groups(kSandiaoGroups);
    if (system == "yongdi") return to_groups(kYongdiGroups);
    return {};
}

} // namespace

LandClassStyler LandClassStyler::load(const std::filesystem::path& layers_dir) {
    LandClassStyler s;
    for (const CodeSystem system : {CodeSystem::sandiao, CodeSystem::yongdi}) {
        const std::filesystem::path file = layers_dir / (std::string("landuse-") + code_system_code(system) + ".tsv");
        if (std::filesystem::exists(file)) s.tables_.emplace(code_system_code(system), LandUseCodeTable::load_file(system, file));
    }
    return s;
}

LandClassGroup LandClassStyler::group_of(const std::string& code_system, const std::string& code) const {
    const auto groups = system_groups(code_system);
    std::string group;
    // The exact code, or its four-character parent (六位 用地用海 codes inherit: 100102 -> 1001).
    if (auto table = tables_.find(code_system); table != tables_.end()) group = table->second.group(code).value_or("");
    if (group.empty() && code.size() >= 2) group = code.substr(0, 2);
    for (const auto& g : groups)
        if (g.code == group) return g;
    return kUnknownGroup;
}

std::vector<LandClassGroup> LandClassStyler::groups(const std::string& code_system) const {
    auto g = system_groups(code_system);
    g.push_back(kUnknownGroup);
    return g;
}

} // namespace qingling
