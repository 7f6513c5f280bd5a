// libFuzzer target: the rule-file parser and validator (TOML through toml++).
#include "core/errors.hpp"
#include "core/rule_set.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace qingling;
    const auto file = fuzz::input_file(data, size, ".toml");
    try {
        (void)load_rule_set(file);
    } catch (const Error&) {
    }
    return 0;
}
