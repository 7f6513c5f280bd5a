// The UI font: WenQuanYi Micro Hei with glyphs for every character the viewer can show: the UI
// strings (collected from the sources at build time) and the project's text (names, villages,
// findings ...). ImGui 1.86 has a static atlas, so it is rebuilt when another project is loaded.
#pragma once

#include <string>

namespace qingling::app {

inline constexpr const char* kDefaultFontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

// (Re)builds ImGui's font atlas; false (with ImGui's built-in Latin font) when the font file is
// missing. $QINGLING_FONT overrides the path. Call between frames; the renderer backend must then
// recreate its font texture (see rebuild_font_texture).
bool build_fonts(const std::string& project_text, float size_px, std::string& message);
// Whether the current font has a glyph for every non-ASCII character of the text.
bool font_has_glyphs(const std::string& text);
// After build_fonts once the OpenGL backend is initialised.
void rebuild_font_texture();

} // namespace qingling::app
