// The viewer's conformity check on a worker thread (issue 4): started from the check button or the
// script's `check` step, with its progress for the progress bar and a cancel that leaves the
// project as it was. No GL here.
#pragma once

#include "core/progress.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace qingling::app {

// The progress a worker thread reports and the UI thread reads (progress bar, stage text, cancel).
class JobProgress final : public Progress {
public:
    void report(double fraction, std::string_view stage) override;
    double fraction() const { return fraction_; }
    std::string stage() const;

private:
    std::atomic<double> fraction_{0};
    mutable std::mutex mutex_;
    std::string stage_;
};

struct CheckOutcome {
    bool ok = false;
    bool cancelled = false;
    long long run_id = 0;
    std::string error;   // for the error dialog
    std::string summary; // e.g. "检查运行 #3: 298 家企业"
};

class CheckJob {
public:
    CheckJob() = default;
    CheckJob(const CheckJob&) = delete;
    CheckJob& operator=(const CheckJob&) = delete;
    ~CheckJob();  // cancels and waits

    // Opens the project for writing on a worker thread, runs the rules of `rules` (empty: the
    // default rule file) and stores the run. `cancel_first` cancels before it starts (tests).
    void start(const std::filesystem::path& project, const std::filesystem::path& rules = {}, bool cancel_first = false);
    bool running() const { return running_; }
    double fraction() const { return progress_->fraction(); }
    std::string stage() const { return progress_->stage(); }
    void cancel() { progress_->cancel(); }
    // The outcome once the worker has finished, once; nullopt while running or when taken.
    std::optional<CheckOutcome> take_outcome();

private:
    // A Progress cannot be un-cancelled: every run gets a fresh one (replaced only between runs).
    std::unique_ptr<JobProgress> progress_ = std::make_unique<JobProgress>();
    std::thread worker_;
    std::atomic<bool> running_{false};
    std::mutex mutex_;
    std::optional<CheckOutcome> outcome_;
};

} // namespace qingling::app
