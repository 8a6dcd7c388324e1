// replace_file_atomically: the old file survives any failure, and no temporary is left.
#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>
#include <stdexcept>
#include <string>

#include "core/store/atomic_file.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
namespace fs = std::filesystem;
using test_support::read_text;

namespace {

void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

size_t files_in(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST(AtomicFile, ReplacesTheOldContent) {
  test_support::TempDir dir;
  const fs::path target = dir / "out.csv";
  write(target, "old");
  replace_file_atomically(target, [](const fs::path& tmp) { write(tmp, "new"); });
  EXPECT_EQ(read_text(target), "new");
  EXPECT_EQ(files_in(dir.path), 1u);
}

TEST(AtomicFile, AFailureKeepsTheOldFileAndLeavesNoTemporary) {
  test_support::TempDir dir;
  const fs::path target = dir / "out.csv";
  write(target, "old");
  EXPECT_THROW(replace_file_atomically(target,
                                       [](const fs::path& tmp) {
                                         write(tmp, "half");
                                         throw std::runtime_error("disk full");
                                       }),
               std::runtime_error);
  EXPECT_EQ(read_text(target), "old");
  EXPECT_EQ(files_in(dir.path), 1u);
}

TEST(AtomicFile, AMissingFolderIsNamedAndNothingIsWritten) {
  test_support::TempDir dir;
  const fs::path target = dir / "no-such-folder" / "out.csv";
  bool filled = false;
  try {
    replace_file_atomically(target, [&](const fs::path&) { filled = true; });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "no-such-folder").string() + " does not exist"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(filled);
  EXPECT_EQ(files_in(dir.path), 0u);
}

TEST(AtomicFile, AFolderTargetIsRefusedAndLeftAlone) {
  test_support::TempDir dir;
  const fs::path target = dir / "a-folder";
  fs::create_directories(target / "inside");  // a non-empty folder cannot be replaced by a file
  try {
    replace_file_atomically(target, [](const fs::path& tmp) { write(tmp, "x"); });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(target.string() + " is a folder"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_directory(target / "inside"));
  EXPECT_EQ(files_in(dir.path), 1u);
}

// ---- issue 16, part 4: files written safely ---------------------------------------------

namespace {
mode_t mode_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}
}  // namespace

TEST(AtomicFile, NewFilesAreReadableByTheOwnerOnly) {
  test_support::TempDir dir;
  const fs::path target = dir / "export.csv";
  const mode_t old_mask = ::umask(022);  // the usual umask: files would be 0644
  replace_file_atomically(target, [](const fs::path& tmp) { write(tmp, "names"); });
  ::umask(old_mask);
  EXPECT_EQ(mode_of(target), 0600u);
}

TEST(AtomicFile, ASymlinkPlantedAtTheOldTemporaryNameIsNotFollowed) {
  test_support::TempDir dir;
  const fs::path victim = dir / "someone-elses-file";
  write(victim, "precious");
  const fs::path target = dir / "out.csv";
  // The temporary used to be "<target>.tmp-<pid>": predictable, so another user could plant
  // a link there and have cardpoll overwrite the file it points to.
  fs::path planted = target;
  planted += ".tmp-" + std::to_string(::getpid());
  fs::create_symlink(victim, planted);
  replace_file_atomically(target, [](const fs::path& tmp) {
    // A writer that opens by name (as std::ofstream does) must get a fresh file of its own.
    struct stat st {};
    ASSERT_EQ(::lstat(tmp.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    write(tmp, "export");
  });
  EXPECT_EQ(read_text(victim), "precious");
  EXPECT_EQ(read_text(target), "export");
}

TEST(AtomicFile, AFifoTargetIsRefusedAndLeftInPlace) {
  test_support::TempDir dir;
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    replace_file_atomically(fifo, [](const fs::path& tmp) { write(tmp, "x"); });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fifo.string()), std::string::npos) << e.what();
  }
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(files_in(dir.path), 1u);
}

TEST(AtomicFile, ADeviceTargetIsRefusedAndLeftInPlace) {
  // /dev/null is only inspected: the refusal comes before anything is created.
  bool filled = false;
  EXPECT_THROW(replace_file_atomically("/dev/null", [&](const fs::path&) { filled = true; }),
               std::runtime_error);
  EXPECT_FALSE(filled);
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(AtomicFile, ASymlinkTargetIsRefusedByTheDocumentedRule) {
  test_support::TempDir dir;
  const fs::path real = dir / "real.csv";
  write(real, "old");
  const fs::path link = dir / "link.csv";
  fs::create_symlink(real, link);
  try {
    replace_file_atomically(link, [](const fs::path& tmp) { write(tmp, "new"); });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read_text(real), "old");
}

TEST(AtomicFile, OutputPathsAreCheckedBeforeAnythingIsWritten) {
  test_support::TempDir dir;
  EXPECT_EQ(output_path_problem(dir / "fine.png"), "");
  EXPECT_NE(output_path_problem(dir / "missing" / "x.png").find("does not exist"), std::string::npos);
  EXPECT_NE(output_path_problem("/dev/null").find("not a regular file"), std::string::npos);
  EXPECT_NE(output_path_problem(dir.path).find("is a folder"), std::string::npos);
  EXPECT_EQ(output_folder_problem(dir / "new-folder", true), "");
  EXPECT_TRUE(fs::is_directory(dir / "new-folder"));
  write(dir / "a-file", "x");
  EXPECT_NE(output_folder_problem(dir / "a-file", true), "");
}
