#include "app/style.hpp"

#include <fstream>
#include <sstream>

namespace qingling::app {

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
    case Mark::close: return "依法关闭";
    case Mark::rectify: return "整改规范";
    case Mark::relocate: return "限期搬迁";
    case Mark::ok: return "无需分类";
    case Mark::unchecked: return "未检查";
    }
    return "";
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
    } else if (role == "eco_redline") {  // 生态保护红线
        s.outline = rgb(0x0B7A3E);
        s.outline_px = 2.2f;
        s.draw_order = 41;
    } else if (role == "water_protection") {  // 饮用水水源保护区
        s.outline = rgb(0x0A50B4);
        s.outline_px = 2.2f;
        s.draw_order = 42;
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

namespace {

struct GroupDef {
    const char* code;
    const char* name;
    Rgba colour;
};

// 三调工作分类, first level (GB/T 21010-2017 with the 三调 changes; 00 = 湿地 as 三调 lists it).
const GroupDef kSandiaoGroups[] = {
    {"00", "湿地", rgb(0x7CC7BE)},          {"01", "耕地", rgb(0xF5E35A)},
    {"02", "园地", rgb(0xC8DC6E)},          {"03", "林地", rgb(0x5FA85A)},
    {"04", "草地", rgb(0xA8D88A)},          {"05", "商业服务业用地", rgb(0xEE8C9A)},
    {"06", "工矿用地", rgb(0x96648C)},      {"07", "住宅用地", rgb(0xEB7850)},
    {"08", "公共管理与公共服务用地", rgb(0xDCA0C8)}, {"09", "特殊用地", rgb(0xA08C6E)},
    {"10", "交通运输用地", rgb(0xA5A5A5)},  {"11", "水域及水利设施用地", rgb(0x6EAAE6)},
    {"12", "其他土地", rgb(0xD7CDB9)},
};

// 国土空间调查、规划、用途管制用地用海分类, first level.
const GroupDef kYongdiGroups[] = {
    {"01", "耕地", rgb(0xF5E35A)},          {"02", "园地", rgb(0xC8DC6E)},
    {"03", "林地", rgb(0x5FA85A)},          {"04", "草地", rgb(0xA8D88A)},
    {"05", "湿地", rgb(0x7CC7BE)},          {"06", "农业设施建设用地", rgb(0xC8C88C)},
    {"07", "居住用地", rgb(0xEB7850)},      {"08", "公共管理与公共服务用地", rgb(0xDCA0C8)},
    {"09", "商业服务业用地", rgb(0xEE8C9A)}, {"10", "工矿用地", rgb(0x96648C)},
    {"11", "仓储用地", rgb(0xB482C8)},      {"12", "交通运输用地", rgb(0xA5A5A5)},
    {"13", "公用设施用地", rgb(0x7890B4)},  {"14", "绿地与开敞空间用地", rgb(0x78C878)},
    {"15", "特殊用地", rgb(0xA08C6E)},      {"16", "留白用地", rgb(0xEEEEEE)},
    {"17", "陆地水域", rgb(0x6EAAE6)},      {"23", "其他土地", rgb(0xD7CDB9)},
};

const LandClassGroup kUnknownGroup{kUnknownGroupCode, "未知地类", rgb(0xFFFFFF)};

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
    for (const char* system : {"sandiao", "yongdi"}) {
        std::ifstream in(layers_dir / (std::string("landuse-") + system + ".tsv"));
        std::string line;
        auto& table = s.code_to_group_[system];
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::istringstream fields(line);
            std::string code, name, group;
            if (!std::getline(fields, code, '\t') || !std::getline(fields, name, '\t') || !std::getline(fields, group, '\t'))
                continue;
            if (code == "code") continue;  // header
            table[code] = group;
        }
    }
    return s;
}

LandClassGroup LandClassStyler::group_of(const std::string& code_system, const std::string& code) const {
    const auto groups = system_groups(code_system);
    std::string group;
    if (auto sys = code_to_group_.find(code_system); sys != code_to_group_.end()) {
        // Exact code, then its parents (六位 用地用海 codes inherit: 100102 -> 1001 -> 10).
        for (std::string c = code; !c.empty() && group.empty(); c.resize(c.size() >= 2 ? c.size() - 2 : 0))
            if (auto it = sys->second.find(c); it != sys->second.end()) group = it->second;
    }
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

} // namespace qingling::app
