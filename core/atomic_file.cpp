#include "core/atomic_file.h"

#include <unistd.h>

#include <stdexcept>
#include <string>
#include <system_error>

namespace cardpoll {

void replace_file_atomically(const std::filesystem::path& path,
                             const std::function<void(const std::filesystem::path& tmp)>& fill) {
  namespace fs = std::filesystem;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error(path.string() + ": folder " + dir.string() + " does not exist");
  // Beside the target (same file system, so the rename is atomic); the pid keeps two
  // cardpoll processes writing the same file from sharing a temporary.
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    fill(tmp);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot write (" + why + ")");
  }
}

}  // namespace cardpoll
