// Where the program finds its bundled data files (industry table, land-use code tables).
#pragma once

#include <filesystem>

namespace qingling {

// The directory holding industries.tsv and the land-use code tables: the environment variable
// QINGLING_LAYERS_DIR when set and not empty, else <exe dir>/../share/qingling/layers when it
// exists (installed layout), else the source tree's layers/ directory (development builds).
std::filesystem::path layers_dir();

// The directory of the compiled translations, <dir>/<lang>/LC_MESSAGES/qingling.mo, found the same
// way: QINGLING_LOCALE_DIR, else <exe dir>/../share/locale when it holds qingling's catalogue, else
// the build tree's locale/ (development builds).
std::filesystem::path locale_dir();

} // namespace qingling
