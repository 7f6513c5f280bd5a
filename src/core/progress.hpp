// Progress reporting and cancellation for long operations, shared by the CLI (terminal bar) and
// the viewer (progress bar with a cancel button).
#pragma once

#include <atomic>
#include <string_view>

namespace qingling {

class Progress {
public:
    virtual ~Progress() = default;
    // fraction in [0,1]; stage is a short English or Chinese label for the current step.
    virtual void report(double fraction, std::string_view stage) = 0;
    void cancel() { cancelled_ = true; }
    bool cancelled() const { return cancelled_; }

private:
    std::atomic<bool> cancelled_{false};
};

// Reports nowhere; used when the caller does not care.
class SilentProgress final : public Progress {
public:
    void report(double, std::string_view) override {}
};

// Maps a sub-range [from, to] of the overall work onto a parent progress; a cancel of the parent
// is seen at the next report.
class StageProgress final : public Progress {
public:
    StageProgress(Progress& parent, double from, double to) : parent_(parent), from_(from), to_(to) {}
    void report(double fraction, std::string_view stage) override {
        if (parent_.cancelled()) cancel();
        parent_.report(from_ + (to_ - from_) * fraction, stage);
    }

private:
    Progress& parent_;
    double from_, to_;
};

} // namespace qingling
