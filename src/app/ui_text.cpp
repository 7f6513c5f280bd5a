// Text helpers for the panels: wrapped Chinese text (see text_wrap.hpp).
#include "app/panels.hpp"
#include "app/text_wrap.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace qingling::app {

void text_wrapped_cjk(const char* text) {
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const float avail = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 2);
    const auto lines = wrap_text(text, avail, avail, [&](std::uint32_t cp) {
        return font->GetCharAdvance(static_cast<ImWchar>(cp <= 0xFFFF ? cp : 0xFFFD)) * scale;
    });
    ImGui::BeginGroup();
    for (std::string_view line : lines) ImGui::TextUnformatted(line.data(), line.data() + line.size());
    ImGui::EndGroup();
}

void text_disabled_wrapped(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    text_wrapped_cjk(text);
    ImGui::PopStyleColor();
}

void text_disabled_wrappedf(const char* format, ...) {
    char buffer[4096];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    text_disabled_wrapped(buffer);
}

void text_wrapped_cjkf(const char* format, ...) {
    char buffer[4096];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    text_wrapped_cjk(buffer);
}

} // namespace qingling::app
