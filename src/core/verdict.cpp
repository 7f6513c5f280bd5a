#include "core/verdict.hpp"

#include <ctime>

namespace qingling {

namespace {
double seconds_of(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
} // namespace

PhaseClock::PhaseClock() : wall_start_(seconds_of(CLOCK_MONOTONIC)), cpu_start_(seconds_of(CLOCK_THREAD_CPUTIME_ID)) {}

void PhaseClock::lap(std::vector<PhaseTiming>& out, std::string phase) {
    const double wall = seconds_of(CLOCK_MONOTONIC), cpu = seconds_of(CLOCK_THREAD_CPUTIME_ID);
    out.push_back({std::move(phase), wall - wall_start_, cpu - cpu_start_});
    wall_start_ = wall;
    cpu_start_ = cpu;
}

const char* flag_label_zh(Flag f) {
    switch (f) {
    case Flag::san: return "散";
    case Flag::luan: return "乱";
    case Flag::wu: return "污";
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
    case Category::close: return "依法关闭";
    case Category::rectify: return "整改规范";
    case Category::relocate: return "限期搬迁";
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
