#include "core/resources.hpp"

#include <cstdlib>
#include <iterator>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#endif

#ifndef QINGLING_BUILD_LOCALE_DIR
#define QINGLING_BUILD_LOCALE_DIR "locale"
#endif
#ifndef QINGLING_SOURCE_LAYERS_DIR
#define QINGLING_SOURCE_LAYERS_DIR "layers"
#endif

namespace qingling {

namespace {

std::filesystem::path executable_path() {
    std::error_code ec;
#ifdef _WIN32
    wchar_t buffer[32768];
    const DWORD n = GetModuleFileNameW(nullptr, buffer, static_cast<DWORD>(std::size(buffer)));
    if (n == 0 || n >= std::size(buffer)) return {};
    return std::filesystem::path(std::wstring(buffer, n));
#else
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : p;
#endif
}

} // namespace

std::filesystem::path layers_dir() {
    if (const char* env = std::getenv("QINGLING_LAYERS_DIR"); env && *env) return std::filesystem::path(env);
    const auto exe = executable_path();
    if (!exe.empty()) {
        std::error_code ec;
        auto installed = exe.parent_path() / ".." / "share" / "qingling" / "layers";
        if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
    }
    return std::filesystem::path(QINGLING_SOURCE_LAYERS_DIR);
}

std::filesystem::path locale_dir() {
    if (const char* env = std::getenv("QINGLING_LOCALE_DIR"); env && *env) return std::filesystem::path(env);
    const auto exe = executable_path();
    if (!exe.empty()) {
        std::error_code ec;
        auto installed = exe.parent_path() / ".." / "share" / "locale";
        if (std::filesystem::exists(installed / "en" / "LC_MESSAGES" / "qingling.mo", ec)) return installed.lexically_normal();
    }
    return std::filesystem::path(QINGLING_BUILD_LOCALE_DIR);
}

} // namespace qingling
