// The viewer's styles: the shared map styles of core/map_style (role styles from
// layers/styles.toml, land-class colours, enterprise marks) under their viewer names, plus the
// colours only the interactive map uses (background, selection, finding highlight).
#pragma once

#include "core/map_style.hpp"

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

} // namespace qingling::app
