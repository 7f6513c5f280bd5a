#include "core/landuse_codes.hpp"

#include "core/errors.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace qingling {

const char* code_system_code(CodeSystem s) {
    switch (s) {
    case CodeSystem::sandiao: return "sandiao";
    case CodeSystem::yongdi: return "yongdi";
    case CodeSystem::unknown: break;
    }
    return "";
}

const char* code_system_label_zh(CodeSystem s) {
    switch (s) {
    case CodeSystem::sandiao: return "三调工作分类";
    case CodeSystem::yongdi: return "用地用海分类";
    case CodeSystem::unknown: break;
    }
    return "未知";
}

std::optional<CodeSystem> parse_code_system(const std::string& text) {
    if (text == "sandiao" || text == "三调" || text == "gbt21010") return CodeSystem::sandiao;
    if (text == "yongdi" || text == "用地用海") return CodeSystem::yongdi;
    if (text == "auto" || text.empty()) return CodeSystem::unknown;
    return std::nullopt;
}

LandUseCodeTable LandUseCodeTable::load(CodeSystem system, const std::filesystem::path& layers_dir) {
    return load_file(system, layers_dir / (std::string("landuse-") + code_system_code(system) + ".tsv"));
}

LandUseCodeTable LandUseCodeTable::load_file(CodeSystem system, const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read the code table '" + file.string() + "'");
    LandUseCodeTable table;
    table.system_ = system;
    std::string line;
    long long line_no = 0;
    bool header = true;
    while (std::getline(in, line)) {
        ++line_no;
        if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (header) {  // code<TAB>name<TAB>group[<TAB>name_en]
            header = false;
            continue;
        }
        std::vector<std::string> fields;
        std::istringstream split(line);
        for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
        const std::string where = file.string() + " line " + std::to_string(line_no);
        if (fields.size() < 2 || fields.size() > 4)
            throw InputError(where + ": expected code<TAB>name<TAB>group<TAB>name_en (name_en optional), found " +
                             std::to_string(fields.size()) + " column(s)");
        if (fields[0].empty() || fields[1].empty()) throw InputError(where + ": empty code or name");
        Entry& e = table.codes_[fields[0]];
        e.name = fields[1];
        if (fields.size() > 2) e.group = fields[2];
        if (fields.size() > 3) e.name_en = fields[3];
    }
    return table;
}

const LandUseCodeTable::Entry* LandUseCodeTable::find(const std::string& code) const {
    if (auto it = codes_.find(code); it != codes_.end()) return &it->second;
    // Six-digit 用地用海 codes not in the table inherit their four-digit parent's meaning.
    if (system_ == CodeSystem::yongdi && code.size() == 6)
        if (auto it = codes_.find(code.substr(0, 4)); it != codes_.end()) return &it->second;
    return nullptr;
}

std::optional<std::string> LandUseCodeTable::name(const std::string& code) const {
    if (const Entry* e = find(code)) return e->name;
    return std::nullopt;
}

std::optional<std::string> LandUseCodeTable::name_en(const std::string& code) const {
    if (const Entry* e = find(code); e && !e->name_en.empty()) return e->name_en;
    return std::nullopt;
}

std::optional<std::string> LandUseCodeTable::shown_name(const std::string& code) const {
    if (ui_language() == UiLanguage::en)
        if (auto en = name_en(code)) return en;
    return name(code);
}

std::optional<std::string> LandUseCodeTable::group(const std::string& code) const {
    if (const Entry* e = find(code); e && !e->group.empty()) return e->group;
    return std::nullopt;
}

CodeSystemGuess detect_code_system(const std::vector<std::string>& distinct_codes, const LandUseCodeTable& sandiao,
                                   const LandUseCodeTable& yongdi) {
    std::vector<std::string> only_sandiao, only_yongdi;
    for (const auto& code : distinct_codes) {
        const bool s = sandiao.name(code).has_value();
        const bool y = yongdi.name(code).has_value();
        if (s && !y) only_sandiao.push_back(code);
        if (y && !s) only_yongdi.push_back(code);
    }
    auto list = [](const std::vector<std::string>& v) {
        std::string out;
        for (std::size_t i = 0; i < v.size() && i < 5; ++i) out += (i ? ", " : "") + v[i];
        if (v.size() > 5) out += ", …";
        return out;
    };
    CodeSystemGuess guess;
    if (only_sandiao.size() > only_yongdi.size()) {
        guess.system = CodeSystem::sandiao;
        guess.evidence = list(only_sandiao) + " 仅见于三调分类";
    } else if (only_yongdi.size() > only_sandiao.size()) {
        guess.system = CodeSystem::yongdi;
        guess.evidence = list(only_yongdi) + " 仅见于用地用海分类";
    }
    return guess;
}

std::optional<std::string> find_code_field(const std::vector<std::string>& field_names) {
    static const char* const kCandidates[] = {"DLBM", "GHDLBM", "YDYHFLDM", "YDYHDM", "DLDM", "GHYT", "YDDM", "LANDUSE"};
    for (const char* candidate : kCandidates)
        for (const auto& f : field_names) {
            std::string upper = f;
            std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
            if (upper == candidate) return f;
        }
    return std::nullopt;
}

} // namespace qingling
