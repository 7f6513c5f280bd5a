// Shared by the libFuzzer targets: the input as a file with a given extension (the parsers read
// files through GDAL or toml++), in one temporary folder per process under the system temp folder
// ($TMPDIR, else /tmp), never in the source or build tree.
#pragma once

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <unistd.h>

namespace qingling::fuzz {

// "<temp>/qingling-fuzz-<pid>", removed when the process exits normally (libFuzzer ends
// -max_total_time and -runs with exit(), which runs this destructor after those of the targets'
// own statics, such as the layer import's project). A crash or Ctrl-C ends the process with _Exit:
// the folders of processes that are gone are removed when the next one starts.
class WorkFolder {
public:
    WorkFolder() {
        const std::filesystem::path temp = std::filesystem::temp_directory_path();
        remove_folders_of_ended_processes(temp);
        path_ = temp / (kPrefix + std::to_string(::getpid()));
        std::filesystem::create_directories(path_);
    }
    ~WorkFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    WorkFolder(const WorkFolder&) = delete;
    WorkFolder& operator=(const WorkFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    static constexpr const char* kPrefix = "qingling-fuzz-";

    static void remove_folders_of_ended_processes(const std::filesystem::path& temp) {
        std::error_code ec;
        const std::string prefix = kPrefix;
        for (const auto& entry : std::filesystem::directory_iterator(temp, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) continue;
            const std::string digits = name.substr(prefix.size());
            if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
            const pid_t pid = static_cast<pid_t>(std::stol(digits));
            if (::kill(pid, 0) == -1 && errno == ESRCH) std::filesystem::remove_all(entry.path(), ec);
        }
    }

    std::filesystem::path path_;
};

inline const std::filesystem::path& work_folder() {
    static const WorkFolder folder;
    return folder.path();
}

inline std::filesystem::path input_file(const uint8_t* data, size_t size, const std::string& extension) {
    const auto path = work_folder() / ("input" + extension);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

} // namespace qingling::fuzz
