// Land-class code systems. The same code means different things in the two standards (1001 is
// railway land in 三调 but industrial land in 用地用海; 0601 the other way round), so every layer
// with land classes carries its code system and every lookup names it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

enum class CodeSystem { unknown, sandiao, yongdi };
const char* code_system_code(CodeSystem s);       // "sandiao", "yongdi", ""
const char* code_system_label_zh(CodeSystem s);   // "三调工作分类", "用地用海分类", "未知"
std::optional<CodeSystem> parse_code_system(const std::string& text);  // "sandiao"/"三调"/"yongdi"/"用地用海"

class LandUseCodeTable {
public:
    // Reads layers/landuse-<system>.tsv: code<TAB>name<TAB>group, and optionally <TAB>name_en (files
    // written before the English column still load; their classes then have no English name).
    // Throws InputError naming the file and line of a malformed row.
    static LandUseCodeTable load(CodeSystem system, const std::filesystem::path& layers_dir);
    static LandUseCodeTable load_file(CodeSystem system, const std::filesystem::path& file);
    CodeSystem system() const { return system_; }
    // The name of a code; six-digit 用地用海 codes not listed fall back to their parent (100102 -> 1001).
    std::optional<std::string> name(const std::string& code) const;
    // The English name (column name_en), with the same fallback; nullopt when the file has none.
    std::optional<std::string> name_en(const std::string& code) const;
    // The name in the UI language (core/i18n): English when the UI speaks English and the code has
    // an English name, else the Chinese name.
    std::optional<std::string> shown_name(const std::string& code) const;
    // The group column ("01"), with the same fallback; nullopt when the code is not listed.
    std::optional<std::string> group(const std::string& code) const;
    bool contains(const std::string& code) const { return codes_.count(code) != 0; }

private:
    struct Entry {
        std::string name, group, name_en;
    };
    const Entry* find(const std::string& code) const;
    CodeSystem system_ = CodeSystem::unknown;
    std::map<std::string, Entry> codes_;
};

struct CodeSystemGuess {
    CodeSystem system = CodeSystem::unknown;
    std::string evidence;  // e.g. "05H1, 1107A only exist in 三调"
};
// Decides from the distinct code values of a layer which system they are written in.
CodeSystemGuess detect_code_system(const std::vector<std::string>& distinct_codes, const LandUseCodeTable& sandiao,
                                   const LandUseCodeTable& yongdi);

// The attribute that holds the land-class code, from the usual field names (DLBM, GHDLBM, ...).
std::optional<std::string> find_code_field(const std::vector<std::string>& field_names);

} // namespace qingling
