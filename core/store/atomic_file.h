// One way to replace a file: write a temporary file beside it, then rename it into place.
// A crash, a full disk or an error half-way leaves the old file (or none), never a
// half-written one. Every file cardpoll writes for a teacher (exports, PDFs, profiles,
// snapshots) goes through here. Standard library (+ POSIX) only.
//
// Safety rules (docs/reliability.md, "Files"):
//   - the temporary is created with O_CREAT|O_EXCL (mkostemp) under a random name in the
//     target's folder, mode 0600: a file or symbolic link planted there is never followed;
//   - every file written is 0600 (it may hold students' names or answers);
//   - a target that is not a regular file (a device such as /dev/full, a FIFO, a socket) or
//     a folder is REFUSED, never replaced;
//   - a target that is a symbolic link is REFUSED (one rule, no exceptions): cardpoll never
//     writes through a link, so a link planted at an export's name cannot redirect it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace cardpoll {

// Checks `path` with output_path_problem(), lets `fill` write the temporary file it is
// given, and renames that file to `path`. On any failure, including an exception from
// `fill`, the temporary file is removed and std::runtime_error names `path` (and the folder
// when it is the folder that is missing). `fill` reports its own failures by throwing.
void replace_file_atomically(const std::filesystem::path& path,
                             const std::function<void(const std::filesystem::path& tmp)>& fill);

// "" when replace_file_atomically(path) can write there; else why not, naming the path: the
// folder is missing or not writable, the target is a folder, a link, a device or a FIFO.
// For checking every output path before a lesson starts.
std::string output_path_problem(const std::filesystem::path& path);

// "" when `dir` is (or, with `create`, now is) a folder cardpoll can write in; else why not.
std::string output_folder_problem(const std::filesystem::path& dir, bool create);

}  // namespace cardpoll
