// Which enterprises a park admits: its 准入行业 list (names of layers/industries.tsv, separated by
// , ; 、 ， or ；; empty or 全部 = any industry) and its 最高污染类别 (1/2/3). Shared by the
// conformity check (限期搬迁 needs a park that admits the enterprise) and the site finder.
#pragma once

#include <string>
#include <vector>

namespace qingling {

// The admitted industries of a park; empty means every industry.
std::vector<std::string> parse_admitted_industries(const std::string& field_text);

bool park_admits(const std::vector<std::string>& admitted, int max_class, const std::string& industry,
                 int pollution_class);

} // namespace qingling
