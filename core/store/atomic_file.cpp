#include "core/store/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace cardpoll {

namespace fs = std::filesystem;

namespace {

fs::path folder_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// Creates a fresh temporary beside `path`: mkostemp opens it with O_CREAT|O_EXCL (so a
// planted file or symbolic link of that name makes it pick another name, never follow it),
// mode 0600, under a random name nobody can guess in advance.
fs::path create_temporary_beside(const fs::path& path) {
  std::string name = (folder_of(path) / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
  ::fchmod(fd, 0600);  // mkostemp already uses 0600; say so for any libc that does not
  ::close(fd);
  return name;
}

// fsync of the finished temporary, so the rename never publishes a file whose data is still
// only in the page cache (a power cut would leave an empty export).
void sync_file(const fs::path& tmp) {
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string output_path_problem(const fs::path& path) {
  const fs::path dir = folder_of(path);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return path.string() + ": folder " + dir.string() + " does not exist";
  if (::access(dir.c_str(), W_OK) != 0)
    return path.string() + ": cannot write in folder " + dir.string() + " (" + std::strerror(errno) + ")";
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return "";
    return path.string() + ": " + std::strerror(errno);
  }
  if (S_ISLNK(st.st_mode))
    return path.string() + " is a symbolic link: cardpoll does not write through links; "
                           "give the real file's path";
  if (S_ISDIR(st.st_mode)) return path.string() + " is a folder: give a file name";
  if (!S_ISREG(st.st_mode))
    return path.string() + " is not a regular file (a device, pipe or socket): give a file name";
  return "";
}

std::string output_folder_problem(const fs::path& dir, bool create) {
  std::error_code ec;
  if (create && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return dir.string() + ": cannot create the folder (" + ec.message() + ")";
  }
  if (!fs::is_directory(dir, ec)) return dir.string() + ": not a folder";
  if (::access(dir.c_str(), W_OK) != 0)
    return dir.string() + ": cannot write in this folder (" + std::strerror(errno) + ")";
  return "";
}

void replace_file_atomically(const fs::path& path, const std::function<void(const fs::path& tmp)>& fill) {
  if (std::string why = output_path_problem(path); !why.empty()) throw std::runtime_error(why);
  const fs::path tmp = create_temporary_beside(path);
  std::error_code ec;
  try {
    fill(tmp);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  sync_file(tmp);
  fs::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot write (" + why + ")");
  }
}

}  // namespace cardpoll
