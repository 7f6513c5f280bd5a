#include "core/landuse_codes.hpp"

#include "core/errors.hpp"

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
    const auto path = layers_dir / (std::string("landuse-") + code_system_code(system) + ".tsv");
    std::ifstream in(path);
    if (!in) throw Error("cannot read the code table '" + path.string() + "'");
    LandUseCodeTable table;
    table.system_ = system;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (header) { header = false; continue; }
        std::istringstream fields(line);
        std::string code, name;
        std::getline(fields, code, '\t');
        std::getline(fields, name, '\t');
        if (!code.empty()) table.codes_[code] = name;
    }
    return table;
}

std::optional<std::string> LandUseCodeTable::name(const std::string& code) const {
    if (auto it = codes_.find(code); it != codes_.end()) return it->second;
    // Six-digit 用地用海 codes not in the table inherit their four-digit parent's meaning.
    if (system_ == CodeSystem::yongdi && code.size() == 6)
        if (auto it = codes_.find(code.substr(0, 4)); it != codes_.end()) return it->second;
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
