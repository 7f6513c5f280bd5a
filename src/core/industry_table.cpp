#include "core/industry_table.hpp"

#include "core/errors.hpp"
#include "core/i18n.hpp"

#include <charconv>
#include <fstream>

namespace qingling {

namespace {

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n";
    const auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split(std::string_view s, std::string_view sep) {
    std::vector<std::string> out;
    for (;;) {
        const auto p = s.find(sep);
        out.emplace_back(s.substr(0, p));
        if (p == std::string_view::npos) break;
        s.remove_prefix(p + sep.size());
    }
    return out;
}

// Aliases are separated by ASCII or full-width commas or 、.
std::vector<std::string> split_aliases(std::string_view s) {
    std::string text(s);
    for (const std::string sep : {"，", "、"}) {
        for (auto p = text.find(sep); p != std::string::npos; p = text.find(sep, p)) text.replace(p, sep.size(), ",");
    }
    std::vector<std::string> out;
    for (const auto& part : split(text, ",")) {
        auto t = trim(part);
        if (!t.empty()) out.emplace_back(t);
    }
    return out;
}

} // namespace

IndustryTable IndustryTable::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError("cannot open the industry table " + file.string());
    IndustryTable table;
    std::string line;
    long long line_no = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
        ++line_no;
        if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty() || trim(line).front() == '#') continue;
        auto cols = split(line, "\t");
        if (!header_seen) {
            header_seen = true;
            if (trim(cols[0]) == "industry") continue;  // the header line
        }
        const std::string where = file.string() + " line " + std::to_string(line_no);
        if (cols.size() < 4 || cols.size() > 5)
            throw InputError(where + ": expected 4 tab-separated columns and an optional English name, found " +
                             std::to_string(cols.size()));
        Industry ind;
        ind.name = std::string(trim(cols[0]));
        ind.aliases = split_aliases(cols[1]);
        ind.department = std::string(trim(cols[2]));
        const auto cls = trim(cols[3]);
        auto [ptr, ec] = std::from_chars(cls.data(), cls.data() + cls.size(), ind.pollution_class);
        if (ec != std::errc() || ptr != cls.data() + cls.size() || ind.pollution_class < 1 || ind.pollution_class > 3)
            throw InputError(where + ": pollution class '" + std::string(cls) + "' is not 1, 2 or 3");
        if (ind.name.empty()) throw InputError(where + ": empty industry name");
        if (cols.size() > 4) ind.name_en = std::string(trim(cols[4]));
        table.industries_.push_back(std::move(ind));
    }
    if (table.industries_.empty()) throw InputError("the industry table " + file.string() + " holds no industries");
    return table;
}

const std::string& Industry::shown_name() const {
    return ui_language() == UiLanguage::en && !name_en.empty() ? name_en : name;
}

std::string IndustryTable::shown(std::string_view ledger_text) const {
    if (ui_language() != UiLanguage::en) return std::string(ledger_text);
    const Industry* industry = match(ledger_text);
    return industry && !industry->name_en.empty() ? industry->name_en : std::string(ledger_text);
}

const Industry* IndustryTable::match(std::string_view ledger_text) const {
    const auto text = trim(ledger_text);
    if (text.empty()) return nullptr;
    for (const auto& ind : industries_)
        if (ind.name == text) return &ind;
    const Industry* best = nullptr;
    std::size_t best_len = 0;
    for (const auto& ind : industries_) {
        auto consider = [&](const std::string& key) {
            if (!key.empty() && key.size() > best_len && text.find(key) != std::string_view::npos) {
                best = &ind;
                best_len = key.size();
            }
        };
        consider(ind.name);
        for (const auto& a : ind.aliases) consider(a);
    }
    return best;
}

} // namespace qingling
