// The viewer's labels: the greedy non-overlapping placement of core/map_labels (shared with the
// printed maps) under its viewer names, and when the viewer labels enterprises at all.
#pragma once

#include "app/camera.hpp"
#include "app/view_dump.hpp"
#include "core/map_labels.hpp"

namespace qingling::app {

using qingling::centred_box;
using qingling::LabelCandidate;
using qingling::LabelKind;
using qingling::overlaps;
using qingling::place_labels;
using qingling::PlacedLabel;
using qingling::positions_around_point;

// Enterprise names are labelled from this map resolution (metres per pixel) down.
inline constexpr double kEnterpriseLabelMaxMetresPerPixel = 6.0;

} // namespace qingling::app
