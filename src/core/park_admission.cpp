#include "core/park_admission.hpp"

#include <algorithm>
#include <cstring>

namespace qingling {

std::vector<std::string> parse_admitted_industries(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        while (!current.empty() && current.back() == ' ') current.pop_back();
        const std::size_t start = current.find_first_not_of(' ');
        if (start != std::string::npos) out.push_back(current.substr(start));
        current.clear();
    };
    static const char* const kSeparators[] = {",", ";", "、", "，", "；"};
    for (std::size_t i = 0; i < text.size();) {
        bool separated = false;
        for (const char* sep : kSeparators) {
            const std::size_t n = std::strlen(sep);
            if (text.compare(i, n, sep) == 0) {
                flush();
                i += n;
                separated = true;
                break;
            }
        }
        if (!separated) current += text[i++];
    }
    flush();
    if (out.size() == 1 && out[0] == "全部") out.clear();
    return out;
}

bool park_admits(const std::vector<std::string>& admitted, int max_class, const std::string& industry,
                 int pollution_class) {
    const bool named = admitted.empty() || std::find(admitted.begin(), admitted.end(), industry) != admitted.end();
    return named && pollution_class <= max_class;
}

} // namespace qingling
