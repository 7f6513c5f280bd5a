#include "app/text_wrap.hpp"

namespace qingling::app {

namespace {

// Decodes one UTF-8 code point at text[i]; returns its length (1 for invalid bytes).
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& cp) {
    const auto b = static_cast<unsigned char>(text[i]);
    auto cont = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) & 0x3Fu : 0u; };
    if (b < 0x80) {
        cp = b;
        return 1;
    }
    if ((b >> 5) == 0x6 && i + 1 < text.size()) {
        cp = (b & 0x1Fu) << 6 | cont(1);
        return 2;
    }
    if ((b >> 4) == 0xE && i + 2 < text.size()) {
        cp = (b & 0x0Fu) << 12 | cont(1) << 6 | cont(2);
        return 3;
    }
    if ((b >> 3) == 0x1E && i + 3 < text.size()) {
        cp = (b & 0x07u) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3);
        return 4;
    }
    cp = 0xFFFD;
    return 1;
}

bool is_wide(std::uint32_t cp) {  // CJK ideographs, punctuation, fullwidth forms
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || cp >= 0x20000;
}

bool is_closing(std::uint32_t cp) {
    switch (cp) {
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F: case 0xFF09:
    case 0x300B: case 0x300D: case 0x300F: case 0x201D: case 0x2019: case 0x3011: case 0x2026: case 0x00B7:
    case ',': case '.': case ';': case ':': case '!': case '?': case ')': case ']': case '%':
        return true;
    }
    return false;
}

bool is_opening(std::uint32_t cp) {
    switch (cp) {
    case 0xFF08: case 0x300A: case 0x300C: case 0x300E: case 0x201C: case 0x2018: case 0x3010: case '(': case '[':
        return true;
    }
    return false;
}

} // namespace

std::vector<std::string_view> wrap_text(std::string_view text, float first_width, float width,
                                        const std::function<float(std::uint32_t)>& advance) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;          // first byte of the current line
    std::size_t brk = std::string_view::npos;  // last break opportunity in the line
    float w = 0, w_at_brk = 0;
    float limit = first_width;
    std::uint32_t prev = 0;
    auto push = [&](std::size_t end) {
        std::size_t e = end;
        while (e > start && text[e - 1] == ' ') --e;  // the breaking spaces go
        lines.push_back(text.substr(start, e - start));
    };
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const std::size_t n = decode(text, i, cp);
        if (cp == '\n') {
            push(i);
            start = i + n;
            brk = std::string_view::npos;
            w = 0;
            limit = width;
            prev = 0;
            i += n;
            continue;
        }
        if (i > start) {
            const bool opportunity = (prev == ' ' && cp != ' ') ||
                                     (is_wide(cp) && !is_closing(cp) && !is_opening(prev)) ||
                                     (is_wide(prev) && !is_opening(prev) && !is_closing(cp) && cp != ' ');
            if (opportunity) {
                brk = i;
                w_at_brk = w;
            }
        }
        const float cw = advance(cp);
        if (w + cw > limit && i > start && cp != ' ') {
            if (brk != std::string_view::npos && brk > start) {
                push(brk);
                start = brk;
                w -= w_at_brk;
            } else {
                push(i);
                start = i;
                w = 0;
            }
            brk = std::string_view::npos;
            limit = width;
            // A line does not start with the spaces it broke at.
            while (start < i && text[start] == ' ') {
                w -= advance(' ');
                ++start;
            }
        }
        w += cw;
        prev = cp;
        i += n;
    }
    if (start < text.size() || lines.empty()) push(text.size());
    return lines;
}

} // namespace qingling::app
