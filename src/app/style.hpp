// The viewer's styles: the shared map styles of core/map_style (role styles from
// layers/styles.toml, land-class colours, enterprise marks) under their viewer names, plus the
// colours only the interactive map uses (background, selection, finding highlight).
#pragma once

#include "core/map_style.hpp"

#include <string>

namespace qingling::app {

using qingling::builtin_style_roles;
using qingling::colour_text;
using qingling::kAllMarks;
using qingling::kUnknownGroupCode;
using qingling::LandClassGroup;
using qingling::LandClassStyler;
using qingling::LayerStyle;
using qingling::Mark;
using qingling::mark_colour;
using qingling::mark_for;
using qingling::mark_label_zh;
using qingling::parse_colour;
using qingling::PointShape;
using qingling::Rgba;
using qingling::rgb;
using qingling::role_style;
using qingling::RoleStyles;

inline constexpr Rgba kMapBackground = rgb(0xF4F3EF);
inline constexpr Rgba kSelectionColour = rgb(0x00E5FF);
// The features behind the selected enterprise's findings (and an identified feature): a thick
// cyan outline on a dark halo; distance findings: a magenta line from the enterprise to the site.
inline constexpr Rgba kHighlightColour = kSelectionColour;
inline constexpr Rgba kHighlightHalo = rgb(0x06303A);
inline constexpr float kHighlightPx = 4.0f;
inline constexpr float kHighlightHaloPx = 8.0f;
inline constexpr Rgba kDistanceLineColour = rgb(0xFF2BD6);
inline constexpr float kDistanceLinePx = 3.0f;

// 搬迁选址 (panel_sites): the usable piece of each candidate (translucent green, so the land class
// under it stays readable), its rank marker and the line from the enterprise's current site; the
// reserved site outlined blue, the chosen candidate amber; the eliminated areas, one colour each.
inline constexpr Rgba kSiteCandidateFill = rgb(0x10B040, 150);
inline constexpr Rgba kSiteCandidateOutline = rgb(0x0A6E2A);
inline constexpr Rgba kSiteMarker = rgb(0x0A6E2A);
inline constexpr Rgba kSiteMarkerChosen = rgb(0xE08A00);
inline constexpr Rgba kSiteLine = rgb(0x0A6E2A);
inline constexpr float kSiteLinePx = 3.0f;
inline constexpr Rgba kSiteReservedOutline = rgb(0x1F4FD8);
// By EliminatedArea::kind: zone, setback, footprint, occupied, reserved.
inline constexpr const char* kEliminatedKinds[] = {"zone", "setback", "footprint", "occupied", "reserved"};
inline constexpr Rgba kEliminatedFill[] = {rgb(0x8E44AD, 110), rgb(0xE0202A, 110), rgb(0x404040, 140), rgb(0xF08C00, 120),
                                           rgb(0x2060E0, 120)};
inline Rgba eliminated_fill(const std::string& kind) {
    for (int i = 0; i < 5; ++i)
        if (kind == kEliminatedKinds[i]) return kEliminatedFill[i];
    return rgb(0x808080, 110);
}

} // namespace qingling::app
