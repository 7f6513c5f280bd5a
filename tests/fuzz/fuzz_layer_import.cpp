// libFuzzer target: the GDAL-facing layer import (encoding, CRS declared or inferred, flattening,
// reprojection, make-valid, code detection, storing) on GeoJSON or CSV bytes, into one project
// created per process; each accepted input replaces the same layer.
#include "core/errors.hpp"
#include "core/layer_import.hpp"
#include "core/progress.hpp"
#include "core/project_store.hpp"
#include "fuzz_input.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace qingling;
    static ProjectStore store = [] {
        setenv("QINGLING_BACKUP_KEEP", "0", 1);
        return ProjectStore::create(fuzz::work_folder() / "fuzz.qingling", ProjectSettings{});
    }();
    const bool csv = size > 0 && data[0] != '{';
    LayerImportOptions o;
    o.source = fuzz::input_file(data, size, csv ? ".csv" : ".geojson");
    o.role = "landuse";
    o.name = "fuzz";
    o.replace = true;
    SilentProgress progress;
    try {
        (void)import_layer(store, o, progress);
    } catch (const Error&) {
    }
    return 0;
}
