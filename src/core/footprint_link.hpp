// Enterprise footprints (占地范围): polygons of an imported layer (e.g. surveyed or digitised
// building outlines, role "footprint") linked to ledger enterprises by credit code or name. Several
// polygons of one enterprise are merged. The conformity check then weighs land classes and zones
// by area instead of testing the point.
#pragma once

#include "core/progress.hpp"
#include "core/project_store.hpp"

#include <string>
#include <vector>

namespace qingling {

enum class FootprintMatch { credit_code, name };

struct FootprintLinkReport {
    long long features = 0;
    long long enterprises_linked = 0;
    std::vector<std::string> problems;   // "fid 7: 信用代码 … 不在台账中"
};

FootprintLinkReport link_footprints(ProjectStore& store, const std::string& layer_name, const std::string& match_field,
                                    FootprintMatch by, Progress& progress);

} // namespace qingling
