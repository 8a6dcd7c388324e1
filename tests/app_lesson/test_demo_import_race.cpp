// Issue 16: "two first runs at once race on the demo import". The race made deterministic:
// one first run (connection a) has stored the demo class and is storing the demo quiz (its
// transaction open, the write lock held); a second first run (connection b, on another
// thread) calls ensure_demo_data; only once b is waiting for the write lock (its busy handler
// says so) does a commit. b must then find the demo imported and import nothing. Without the
// one transaction around look-up and import, b has already looked for the quiz (and found
// nothing) when it waits, and stores it a second time once it may write.
// (tests/display/test_live_cli.cpp runs two real first runs at once, which only sometimes
// meet in that window.)
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "app/lesson.h"
#include "core/store/db.h"
#include "core/exchange/import_db.h"
#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "core/store/storage.h"

using namespace cardpoll;

namespace {

int busy_says_waiting(void* flag, int) {
  static_cast<std::atomic<bool>*>(flag)->store(true);
  sqlite3_sleep(1);
  return 1;  // keep waiting
}

}  // namespace

TEST(DemoImport, ASecondFirstRunWaitingForTheFirstOneImportsNothing) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cardpoll-demo-race-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "x.db";
  {
    Database a(file);
    Database b(file);
    std::atomic<bool> b_waits{false};
    sqlite3_busy_handler(b.handle(), busy_says_waiting, &b_waits);
    // The first run has stored the demo class and is storing the quiz (as ensure_demo_data
    // does, one after the other): its transaction holds the write lock.
    const fs::path demo = app::demo_dir();
    store_roster(a, import_roster_file(demo / "class.csv"), {app::kDemoClass, "classroom", false});
    Transaction first(a);
    store_questions(a, import_questions_file(demo / "questions.csv"), {app::kDemoSet, false});
    std::string error;
    std::thread second([&] {
      try {
        app::ensure_demo_data(b);
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    // Only a guard against a hang if b never asks for the lock (then the test fails below).
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!b_waits && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    EXPECT_TRUE(b_waits.load()) << "the second run never waited for the first one's lock";
    first.commit();
    second.join();
    EXPECT_EQ(error, "");
    int classes = 0, sets = 0;
    for (const auto& k : list_classes(a)) classes += k.name == app::kDemoClass;
    for (const auto& s : list_question_sets(a)) sets += s.set.name == app::kDemoSet;
    EXPECT_EQ(classes, 1);
    EXPECT_EQ(sets, 1);
  }
  fs::remove_all(dir);
}
