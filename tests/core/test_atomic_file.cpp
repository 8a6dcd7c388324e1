// replace_file_atomically: the old file survives any failure, and no temporary is left.
#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "core/atomic_file.h"
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

TEST(AtomicFile, ARenameThatFailsIsNamedAndCleansUp) {
  test_support::TempDir dir;
  const fs::path target = dir / "a-folder";
  fs::create_directories(target / "inside");  // a non-empty folder cannot be replaced by a file
  try {
    replace_file_atomically(target, [](const fs::path& tmp) { write(tmp, "x"); });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(target.string() + ": cannot write"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_directory(target / "inside"));
  EXPECT_EQ(files_in(dir.path), 1u);
}
