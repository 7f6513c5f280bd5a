// Shared helpers for the unit tests: a temporary folder per test and the test data locations.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

namespace qingling::test {

// A fresh folder removed at the end of the test.
class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("qingling-") + (info ? info->test_suite_name() + std::string("-") + info->name() : "test");
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// ../shared/testdata (files made by others); tests that need it skip when it is absent.
inline std::filesystem::path shared_testdata() { return QINGLING_SHARED_TESTDATA; }
inline std::filesystem::path test_data() { return QINGLING_TEST_DATA; }

#define QINGLING_REQUIRE_SHARED(relative)                                                        \
    do {                                                                                         \
        if (!std::filesystem::exists(::qingling::test::shared_testdata() / (relative)))          \
            GTEST_SKIP() << "shared test data missing: " << (relative);                          \
    } while (0)

} // namespace qingling::test
