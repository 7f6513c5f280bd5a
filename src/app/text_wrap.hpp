// Line breaking for Chinese text. ImGui 1.86 wraps only at spaces, so a Chinese sentence (no
// spaces) overflows or breaks at an odd place; this breaks between any two CJK characters, at
// spaces in Latin text, never puts closing punctuation (，。） …) at the start of a line or opening
// punctuation (（《“ …) at the end of one, and breaks a word wider than the line anywhere. Pure.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace qingling::app {

// Lines of UTF-8 `text` (views into it, without the breaking spaces or newlines) so that each is
// at most first_width (the first line) or width (the others) wide; `advance` is a code point's width.
std::vector<std::string_view> wrap_text(std::string_view text, float first_width, float width,
                                        const std::function<float(std::uint32_t)>& advance);

} // namespace qingling::app
