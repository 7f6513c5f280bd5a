// libFuzzer target: the ledger parser (headers, encodings, coordinates, values) on CSV bytes.
// Qingling's typed errors are the expected way to refuse an input; anything else is a finding.
#include "core/errors.hpp"
#include "core/industry_table.hpp"
#include "core/ledger_parse.hpp"
#include "core/progress.hpp"
#include "core/resources.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace qingling;
    static const IndustryTable industries = IndustryTable::load(layers_dir() / "industries.tsv");
    // The first byte picks the container: CSV (most ledgers) or XLSX (a zip GDAL unpacks).
    const bool xlsx = size > 0 && data[0] == 'P';
    const auto file = fuzz::input_file(data, size, xlsx ? ".xlsx" : ".csv");
    SilentProgress progress;
    try {
        LedgerParseOptions options;
        (void)parse_ledger(file, options, industries, progress);
    } catch (const Error&) {
    }
    return 0;
}
