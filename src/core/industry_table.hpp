// The industries of the campaign and the department responsible for each (plan section 五),
// loaded from layers/industries.tsv. The ledger parser uses it to fill 责任部门 from 行业.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace qingling {

struct Industry {
    std::string name;                  // canonical name, e.g. 砖瓦
    std::vector<std::string> aliases;  // matched as substrings of the ledger's 行业 text
    std::string department;            // e.g. 处国土所
    int pollution_class = 0;           // 1/2/3 = 一/二/三类工业
    std::string name_en;               // English name (optional column name_en), "" when absent
    // The name in the UI language (core/i18n): name_en in English when there is one, else name.
    const std::string& shown_name() const;
};

class IndustryTable {
public:
    // Reads the TSV (UTF-8; '#' lines and the header line skipped): industry, aliases, department,
    // pollution class and optionally name_en (files without it still load). Throws InputError
    // naming the file and line when it cannot be read or a line is malformed.
    static IndustryTable load(const std::filesystem::path& file);

    // The industry for a ledger's 行业 text: an exact name (after trimming) first, then the
    // longest alias (or name) contained in the text; ties go to the earlier table line.
    // nullptr when nothing matches or the text is blank.
    const Industry* match(std::string_view ledger_text) const;

    const std::vector<Industry>& industries() const { return industries_; }

    // A ledger's 行业 as the viewer shows it: in English the matched industry's English name (the
    // typed text when nothing matches or the table has no English); in Chinese the text as typed.
    std::string shown(std::string_view ledger_text) const;

private:
    std::vector<Industry> industries_;
};

} // namespace qingling
