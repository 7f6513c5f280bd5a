// How maps draw things, shared by the viewer and the printed maps: a style per layer role
// (layers/styles.toml, with the built-in styles below as the fallback), land-class group colours
// per code system, and the enterprise symbol colours by category. Pure data and lookups, no GL.
#pragma once

#include "core/campaign_records.hpp"
#include "core/landuse_codes.hpp"

#include "core/project_store.hpp"
#include "core/verdict.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qingling {

struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Rgba&) const = default;
};
// 0xRRGGBB with an optional alpha
constexpr Rgba rgb(std::uint32_t hex, std::uint8_t alpha = 255) {
    return {static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8), static_cast<std::uint8_t>(hex),
            alpha};
}

// What the map shows for an enterprise: the confirmed category (甄别确认) when there is one, else
// the latest run's suggestion; "ok" when the run found nothing to classify, "unchecked" without a
// run or verdict.
enum class Mark { close, rectify, relocate, ok, unchecked };
inline constexpr Mark kAllMarks[] = {Mark::close, Mark::rectify, Mark::relocate, Mark::ok, Mark::unchecked};
Mark mark_for(const std::optional<Verdict>& verdict, const std::optional<Confirmation>& confirmation);
Rgba mark_colour(Mark m);
// Campaign status colours, screen and paper: grey before the decision, blues once classified,
// orange while the work goes on, greens once done.
Rgba campaign_status_colour(CampaignStatus s);
const char* mark_label_zh(Mark m);   // 依法关闭, 整改规范, 限期搬迁, 无需分类, 未检查

// What the maps show for every enterprise: the latest run's verdict, the confirmation, whether the
// confirmation needs review (需复核) and the resulting mark. Read once through the store.
struct EnterpriseMark {
    std::optional<Verdict> verdict;          // latest run
    std::optional<Confirmation> confirmation;
    bool review = false;                     // confirmed, but the suggestion changed since
    Mark mark = Mark::unchecked;
};
struct EnterpriseMarks {
    std::optional<CheckRunInfo> run;         // the latest check run, if any
    std::map<long long, EnterpriseMark> by_enterprise;
    EnterpriseMark of(long long enterprise_id) const;  // unchecked when absent
};
EnterpriseMarks read_enterprise_marks(const ProjectStore& store);

enum class PointShape { circle = 0, square = 1, ring = 2 };
// Line patterns for zones (三区三线): stripes on screen or paper, the gaps left see-through, so
// the land classes underneath stay readable. "diagonal" rises to the right.
enum class Hatch { none = 0, diagonal = 1, back_diagonal = 2, cross = 3 };
std::optional<Hatch> parse_hatch(std::string_view text);

struct LayerStyle {
    bool fill = false;
    Rgba fill_colour;              // when not classified by land class
    bool fill_by_land_class = false;
    Rgba outline = rgb(0x555555);
    float outline_px = 1.0f;       // 0 = no outline
    Rgba point_colour = rgb(0x777777);
    PointShape point_shape = PointShape::circle;
    float point_px = 8.0f;         // symbol diameter
    int draw_order = 50;           // lower draws first (further down)
    bool visible = true;
    Hatch hatch = Hatch::none;     // a hatched zone: replaces the solid fill
    Rgba hatch_colour = rgb(0x555555);
    float hatch_spacing_px = 8.0f; // from one stripe to the next, across them
    float hatch_width_px = 1.0f;   // of a stripe
    bool filled() const { return fill || hatch != Hatch::none; }
};
// The built-in style of a role; unknown (user-named) roles get a neutral outline.
LayerStyle role_style(const std::string& role);
// The roles role_style knows.
const std::vector<std::string>& builtin_style_roles();

// "#RRGGBB" or "#RRGGBBAA"; nullopt otherwise.
std::optional<Rgba> parse_colour(std::string_view text);
std::string colour_text(Rgba c);  // "#RRGGBB", or "#RRGGBBAA" when not opaque

// The role styles the map uses: layers/styles.toml over the built-in ones. The file has one table
// per role ([role.landuse] ...) and [default] for roles it does not name; each key it gives
// (fill, fill_colour, fill_by_land_class, outline, outline_px, point_colour, point_shape, point_px,
// draw_order, visible, hatch, hatch_colour, hatch_spacing_px, hatch_width_px) replaces the built-in
// value, the others stay.
class RoleStyles {
public:
    static RoleStyles builtin();
    // Throws std::runtime_error naming the file and line: TOML syntax, unknown keys, wrong types,
    // colours that are not #RRGGBB[AA], unknown point shapes.
    static RoleStyles parse(std::string_view text, const std::string& source_name);
    static RoleStyles load(const std::filesystem::path& file);  // also throws when it cannot be read
    // The file's styles, or the built-in ones with `warning` saying why.
    static RoleStyles load_or_builtin(const std::filesystem::path& file, std::string& warning);

    LayerStyle style(const std::string& role) const;
    const std::string& source() const { return source_; }  // the file, or "built-in"

private:
    std::map<std::string, LayerStyle> roles_;
    std::optional<LayerStyle> default_;
    std::string source_ = "built-in";
};

// Land-class groups (first level of a code system) and their colours.
struct LandClassGroup {
    std::string code;   // "01"
    std::string name;   // "耕地" (N_-marked: the viewer shows tr(name); printed maps keep the Chinese)
    Rgba colour;
};

class LandClassStyler {
public:
    // Reads layers/landuse-<system>.tsv through LandUseCodeTable (its group column); missing files
    // are tolerated (then the group is the code's first two characters), a malformed row is an
    // InputError naming file and line.
    static LandClassStyler load(const std::filesystem::path& layers_dir);
    // The group of a code in a code system ("sandiao" or "yongdi"); an "unknown" group for codes
    // that are neither listed nor start with a known group.
    LandClassGroup group_of(const std::string& code_system, const std::string& code) const;
    // Groups of a code system in code order.
    std::vector<LandClassGroup> groups(const std::string& code_system) const;

private:
    std::map<std::string, LandUseCodeTable> tables_;  // by system ("sandiao", "yongdi")
};

inline constexpr const char* kUnknownGroupCode = "??";

} // namespace qingling
