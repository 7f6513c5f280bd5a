// Shared by the viewer's worker-job tests (check, import, sites, export, open; one executable): the
// working folder with the checked demo project, a private copy of it, and waiting for a job.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace qingling::app::test {

// QINGLING_APP_WORK: where the app tests keep demo.qingling (the current folder otherwise).
inline std::filesystem::path work() {
    const char* dir = std::getenv("QINGLING_APP_WORK");
    return dir ? dir : ".";
}

// A fresh copy of the demo project for a test that writes to it.
inline std::filesystem::path demo_copy(const std::string& name) {
    const std::filesystem::path copy = work() / name;
    std::filesystem::remove(copy);
    std::filesystem::copy_file(work() / "demo.qingling", copy);
    return copy;
}

// The job's outcome, polled as the viewer does each frame; a failure after a minute.
template <class Job>
auto wait_for(Job& job, const std::string& what) -> typename decltype(job.take_outcome())::value_type {
    for (int i = 0; i < 6000; ++i) {
        if (auto outcome = job.take_outcome()) return *outcome;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << what << " did not finish within a minute";
    return {};
}

} // namespace qingling::app::test
