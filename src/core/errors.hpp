// Typed errors of the core library. The CLI turns each kind into a message and its own exit code
// at the edge; the viewer shows the message. Messages name the file, row or feature and the reason.
#pragma once

#include <stdexcept>
#include <string>

namespace qingling {

enum class ExitCode : int {
    ok = 0,
    failure = 1,        // unexpected internal error
    usage = 2,          // bad command line
    input = 3,          // a source file cannot be read or holds nothing usable
    project = 4,        // project file missing, corrupt, or from a newer version
    project_in_use = 5, // another process is writing the project
    cancelled = 6,
    rejected = 7,       // the campaign workflow refused a change (e.g. 销号 before 两断三清)
};

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    virtual ExitCode exit_code() const { return ExitCode::failure; }
};

class UsageError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const override { return ExitCode::usage; }
};

// A source file (layer, ledger, rule set) is unreadable or unusable.
class InputError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const override { return ExitCode::input; }
};

class ProjectError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const override { return ExitCode::project; }
};

class ProjectInUseError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const override { return ExitCode::project_in_use; }
};

// The campaign workflow refuses a status change or record: the message says why, in Chinese and
// English, and what is allowed instead.
class TransitionError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const override { return ExitCode::rejected; }
};

class CancelledError : public Error {
public:
    CancelledError() : Error("cancelled by the user; nothing was changed") {}
    ExitCode exit_code() const override { return ExitCode::cancelled; }
};

} // namespace qingling
