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
};

class IndustryTable {
public:
    // Reads the TSV (UTF-8; '#' lines and the header line skipped). Throws InputError naming the
    // file and line when it cannot be read or a line is malformed.
    static IndustryTable load(const std::filesystem::path& file);

    // The industry for a ledger's 行业 text: an exact name (after trimming) first, then the
    // longest alias (or name) contained in the text; ties go to the earlier table line.
    // nullptr when nothing matches or the text is blank.
    const Industry* match(std::string_view ledger_text) const;

    const std::vector<Industry>& industries() const { return industries_; }

private:
    std::vector<Industry> industries_;
};

} // namespace qingling
