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
    // Reads layers/landuse-<system>.tsv.
    static LandUseCodeTable load(CodeSystem system, const std::filesystem::path& layers_dir);
    CodeSystem system() const { return system_; }
    // The name of a code; six-digit 用地用海 codes not listed fall back to their parent (100102 -> 1001).
    std::optional<std::string> name(const std::string& code) const;
    bool contains(const std::string& code) const { return codes_.count(code) != 0; }

private:
    CodeSystem system_ = CodeSystem::unknown;
    std::map<std::string, std::string> codes_;
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
