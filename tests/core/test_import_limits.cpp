// Issue 16, part 3: an import names the file whatever it is: a device that never ends
// (/dev/zero used to be read until memory ran out: std::bad_alloc with no file name), a FIFO,
// a file far larger than any roster or question bank.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "test_db_util.h"

using namespace cardpoll;

namespace {
std::string error_of_import(const std::filesystem::path& p) {
  try {
    import_roster_file(p);
  } catch (const ImportError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ImportLimits, ADeviceIsRefusedNamingIt) {
  EXPECT_NE(error_of_import("/dev/zero").find("/dev/zero"), std::string::npos);
}

TEST(ImportLimits, AFifoIsRefusedWithoutBlocking) {
  testing_store::TempDir t;
  const auto fifo = t / "roster.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of_import(fifo).find("not a regular file"), std::string::npos);
}

TEST(ImportLimits, AHugeFileIsRefusedNamingItsSize) {
  testing_store::TempDir t;
  const auto big = t / "questions.csv";
  {
    std::ofstream out(big, std::ios::binary);
    out.seekp((kMaxImportBytes) + 10);
    out.put('\n');
  }
  try {
    import_questions_file(big);
    FAIL() << "accepted";
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find(big.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
  }
}
