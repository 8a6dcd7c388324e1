// One way to replace a file: write a temporary file beside it, then rename it into place.
// A crash, a full disk or an error half-way leaves the old file (or none), never a
// half-written one. Every file cardpoll writes for a teacher (exports, PDFs, profiles) goes
// through here. Standard library only.
#pragma once

#include <filesystem>
#include <functional>

namespace cardpoll {

// Checks that `path`'s folder exists, lets `fill` write the temporary file it is given, and
// renames that file to `path`. On any failure, including an exception from `fill`, the
// temporary file is removed and std::runtime_error names `path` (and the folder when it is
// the folder that is missing). `fill` reports its own failures by throwing.
void replace_file_atomically(const std::filesystem::path& path,
                             const std::function<void(const std::filesystem::path& tmp)>& fill);

}  // namespace cardpoll
