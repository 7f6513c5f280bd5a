// What the viewer remembers (app/viewer_settings): written and read back; a broken or foreign file
// gives the defaults for what it cannot say.
#include "app/viewer_settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace qingling::app {
namespace {

std::filesystem::path scratch(const char* name) {
    const auto dir = std::filesystem::temp_directory_path() / ("qingling-settings-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

TEST(ViewerSettings, WrittenAndReadBack) {
    const auto path = scratch("sub/dir/viewer.conf");  // folders made as needed
    ViewerSettings s;
    s.window_width = 1600;
    s.window_height = 900;
    s.last_project = "/data/青岭街道 2024.qingling";
    s.language = "en";
    ASSERT_TRUE(save_viewer_settings(path, s));
    const ViewerSettings got = load_viewer_settings(path);
    EXPECT_EQ(got.window_width, 1600);
    EXPECT_EQ(got.window_height, 900);
    EXPECT_EQ(got.last_project, "/data/青岭街道 2024.qingling");
    EXPECT_EQ(got.language, "en");
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".partial"));
}

TEST(ViewerSettings, MissingFileGivesTheDefaults) {
    const ViewerSettings got = load_viewer_settings(scratch("none.conf"));
    EXPECT_EQ(got.window_width, 1280);
    EXPECT_EQ(got.window_height, 800);
    EXPECT_TRUE(got.last_project.empty());
    EXPECT_EQ(got.language, "zh") << "Chinese first";
}

TEST(ViewerSettings, BadValuesAndUnknownKeysAreIgnored) {
    const auto path = scratch("bad.conf");
    std::ofstream(path) << "window_width = 12\nwindow_height = lots\ncolour_theme = dark\nlast_project = a.qingling\nlanguage = klingon\nno equals sign\n";
    const ViewerSettings got = load_viewer_settings(path);
    EXPECT_EQ(got.window_width, 1280) << "too small for the panels";
    EXPECT_EQ(got.window_height, 800);
    EXPECT_EQ(got.last_project, "a.qingling");
    EXPECT_EQ(got.language, "zh") << "an unknown language keeps the default";
}

TEST(ViewerSettings, PathFollowsXdgConfigHome) {
    const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
    const std::string saved_xdg = old_xdg ? old_xdg : "", saved_home = std::getenv("HOME") ? std::getenv("HOME") : "";
    ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    EXPECT_EQ(viewer_settings_path(), std::filesystem::path("/tmp/xdg-test/qingling/viewer.conf"));
    ::unsetenv("XDG_CONFIG_HOME");
    ::setenv("HOME", "/home/guotusuo", 1);
    EXPECT_EQ(viewer_settings_path(), std::filesystem::path("/home/guotusuo/.config/qingling/viewer.conf"));
    if (old_xdg) ::setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1);
    ::setenv("HOME", saved_home.c_str(), 1);
}

} // namespace
} // namespace qingling::app
