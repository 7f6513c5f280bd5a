#include "core/verdict.hpp"

#include "core/i18n.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace qingling {

const std::string& shown_explanation(const Finding& f) {
    return ui_language() == UiLanguage::en && !f.explanation_en.empty() ? f.explanation_en : f.explanation;
}

namespace {
double seconds_of(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
} // namespace

namespace {
// Valid UTF-8 per RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (n == 0 || i + n > text.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        const auto c1 = static_cast<unsigned char>(text[i + 1]);
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))
            return false;
        i += n;
    }
    return true;
}
} // namespace

void append_json_string(std::string& out, std::string_view text) {
    if (!is_utf8(text)) {
        out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    std::size_t plain = 0;  // start of the characters not yet appended, which need no escape
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out += '"';
}

PhaseClock::PhaseClock() : wall_start_(seconds_of(CLOCK_MONOTONIC)), cpu_start_(seconds_of(CLOCK_THREAD_CPUTIME_ID)) {}

void PhaseClock::lap(std::vector<PhaseTiming>& out, std::string phase) {
    const double wall = seconds_of(CLOCK_MONOTONIC), cpu = seconds_of(CLOCK_THREAD_CPUTIME_ID);
    out.push_back({std::move(phase), wall - wall_start_, cpu - cpu_start_});
    wall_start_ = wall;
    cpu_start_ = cpu;
}

const char* flag_label_zh(Flag f) {
    switch (f) {
    case Flag::san: return N_("散");
    case Flag::luan: return N_("乱");
    case Flag::wu: return N_("污");
    }
    return "";
}

std::optional<Flag> parse_flag(const std::string& text) {
    if (text == "散" || text == "san") return Flag::san;
    if (text == "乱" || text == "luan") return Flag::luan;
    if (text == "污" || text == "wu") return Flag::wu;
    return std::nullopt;
}

const char* category_label_zh(Category c) {
    switch (c) {
    case Category::close: return N_("依法关闭");
    case Category::rectify: return N_("整改规范");
    case Category::relocate: return N_("限期搬迁");
    }
    return "";
}

const char* category_code(Category c) {
    switch (c) {
    case Category::close: return "close";
    case Category::rectify: return "rectify";
    case Category::relocate: return "relocate";
    }
    return "";
}

std::optional<Category> parse_category(const std::string& text) {
    for (Category c : {Category::close, Category::rectify, Category::relocate})
        if (text == category_label_zh(c) || text == category_code(c)) return c;
    if (text == "关闭") return Category::close;
    if (text == "整改") return Category::rectify;
    if (text == "搬迁") return Category::relocate;
    return std::nullopt;
}

} // namespace qingling
