// The write queue's writer thread (core/store/write_queue.h, WriteQueue::start_writer): a live
// lesson's commits, retries and catching up run on a thread of the queue's own, on its own
// connection, so a store that is locked or full never stalls the live view's thread.
// Checked without clocks: the fault VFS (tests/support/fault_vfs.h) counts the disk writes,
// syncs and write-lock requests made by the test's (the live view's) thread, which must be
// none once the writer runs; answers still commit in the order read and are never handed
// out as committed before a second connection finds them. Named *Thread* so that
// `bash setup.sh tsan` runs them under ThreadSanitizer.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "core/store/collector.h"
#include "core/store/storage.h"
#include "core/store/write_queue.h"
#include "lesson_writes.h"
#include "test_db_util.h"
#include "tests/support/fault_vfs.h"

using namespace cardpoll;
using cardpoll::testing_store::TempDir;
using namespace cardpoll::testing_store;

namespace {


// Current answers of the session's newest ask of each question as card -> letter, read on
// a connection of its own.
std::map<int, char> answers_in(Database& reader, Id session) {
  const SessionData d = load_session_data(reader, session);
  std::map<Id, int> card;
  for (const auto& s : d.students) card[s.id] = s.card;
  std::map<int, char> out;
  for (const auto& r : d.responses) out[card[r.student_id]] = answer_letter(r.answer);
  return out;
}

// What the writer committed, collected until nothing waits (the writer retries by itself;
// the bound only keeps a broken writer from hanging the test).
std::vector<CommittedReads> collect_all(WriteQueue& q) {
  std::vector<CommittedReads> all;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!q.empty() && std::chrono::steady_clock::now() < give_up) {
    for (auto& c : q.flush()) all.push_back(std::move(c));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& c : q.flush()) all.push_back(std::move(c));
  return all;
}

struct FaultGuard {
  FaultGuard() {
    fault::install();
    fault::plan().clear();
  }
  ~FaultGuard() { fault::plan().clear(); }
};

WriterOptions patient() {
  WriterOptions o;
  o.first_try_wait_ms = 600000;  // a normal commit always answers submit() (no clock race)
  o.lock_wait_ms = 20;
  o.retry_every_ms = 5;
  return o;
}

}  // namespace

TEST(WriteQueueThread, ALockedStoreIsRiddenOutOffTheCallersThreadInReadOrder) {
  FaultGuard guard;
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  q.start_writer(patient());
  ASSERT_TRUE(q.has_writer());
  fault::plan().watched = std::this_thread::get_id();

  // A normal commit: the verdicts come back from submit(), as without the writer.
  EXPECT_TRUE(q.submit(ask_of(l.questions[0], 2000)).empty());
  auto done = q.submit(reads_of({{1, Answer::B, 2100}}, 7));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].results.at(0).outcome, ReadOutcome::Recorded);
  EXPECT_TRUE(q.empty());

  Database other(file);  // a backup tool: holds the write lock (not the live view's disk use)
  fault::plan().watched = std::thread::id();
  other.exec("BEGIN IMMEDIATE");
  fault::plan().watched = std::this_thread::get_id();
  EXPECT_TRUE(q.submit(reads_of({{2, Answer::C, 2200}}, 7)).empty()) << "reported saved under a lock";
  for (int k = 0; k < 40; ++k)  // a class turning cards for a while, all behind it
    q.submit(reads_of({{1 + k % kStudents, static_cast<Answer>(k % 4), 2300 + k}}, 7));
  EXPECT_EQ(q.waiting_reads(), 41);
  EXPECT_NE(q.problem().find("locked"), std::string::npos) << q.problem();
  OpenOptions read_only;  // the test's own reader: read-only, as in the test below
  read_only.read_only = true;
  Database reader(file, read_only);
  EXPECT_EQ(answers_in(reader, l.session_id).size(), 1u);  // only card 1's first answer

  fault::plan().watched = std::thread::id();
  other.exec("COMMIT");
  fault::plan().watched = std::this_thread::get_id();
  done = collect_all(q);
  ASSERT_EQ(done.size(), 41u);
  EXPECT_EQ(done[0].results.at(0).outcome, ReadOutcome::Recorded);  // card 2, first in line
  EXPECT_EQ(done[0].reads.at(0).card, 2);
  for (size_t i = 1; i < done.size(); ++i) EXPECT_EQ(done[i].reads.at(0).at, 2300 + static_cast<TimeMs>(i - 1));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.problem(), "");
  // The last read of each card is what is stored: applied in the order read.
  const auto stored = answers_in(reader, l.session_id);
  for (int k = 30; k < 40; ++k)
    EXPECT_EQ(stored.at(1 + k % kStudents), answer_letter(static_cast<Answer>(k % 4))) << "card " << 1 + k % kStudents;
  // Every write, lock request and sync of all that was made by the writer thread.
  EXPECT_EQ(fault::plan().watched_io.load(), 0);
}

TEST(WriteQueueThread, WithoutTheWriterTheCallersThreadCommits) {
  // The check above can fail: the same lesson without start_writer() touches the disk from
  // the caller's thread.
  FaultGuard guard;
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  fault::plan().watched = std::this_thread::get_id();
  q.submit(ask_of(l.questions[0], 2000));
  q.submit(reads_of({{1, Answer::B, 2100}}));
  EXPECT_GT(fault::plan().watched_io.load(), 0);
}

TEST(WriteQueueThread, ADiskFullForAWhileNothingIsHandedOutBeforeTheDatabaseHasIt) {
  FaultGuard guard;
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  q.start_writer(patient());
  fault::plan().watched = std::this_thread::get_id();
  q.submit(ask_of(l.questions[0], 2000));
  fault::plan().full = true;
  for (int i = 1; i <= kStudents; ++i) q.submit(reads_of({{i, static_cast<Answer>(i % 4), 3000 + i}}));
  q.submit(ask_of(l.questions[1], 4000));  // the next question, asked while the disk is full
  q.submit(reads_of({{1, Answer::A, 4100}}));
  EXPECT_NE(q.problem().find("disk is full"), std::string::npos) << q.problem();
  fault::plan().full = false;
  // Collected while the writer catches up: whatever is handed out is in the database. The
  // check at the end is about the queue's calls on this (watched) thread, so the test's own
  // reader is not watched. It opens read-only (opening read-write migrates, which asks for
  // the write lock), and even so a read-only connection may ask for the WAL write lock
  // when it meets the WAL index header mid-change and SQLite rebuilds the index: 1 run in
  // 40 counted one such request with its reads watched, 60 of 60 pass without.
  OpenOptions read_only;
  read_only.read_only = true;
  auto unwatched = [](auto&& read) {
    fault::plan().watched = std::thread::id{};
    auto result = read();
    fault::plan().watched = std::this_thread::get_id();
    return result;
  };
  Database reader = unwatched([&] { return Database(file, read_only); });
  size_t handed_out = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!q.empty() && std::chrono::steady_clock::now() < give_up) {
    const auto done = q.flush();
    if (!done.empty()) {
      const SessionData d = unwatched([&] { return load_session_data(reader, l.session_id); });
      for (const auto& cr : done) EXPECT_TRUE(cr.results.at(0).stored());
      // Each read is a student's first answer to its ask: one response row each.
      EXPECT_GE(d.responses.size(), handed_out + done.size());
    }
    handed_out += done.size();
  }
  EXPECT_EQ(handed_out, static_cast<size_t>(kStudents + 1));
  const SessionData data = unwatched([&] { return load_session_data(reader, l.session_id); });
  ASSERT_EQ(data.asks.size(), 2u);
  EXPECT_EQ(data.asks[1].opened_at, 4000);  // the ask keeps the time it was asked
  EXPECT_EQ(data.responses.size(), static_cast<size_t>(kStudents + 1));
  EXPECT_EQ(fault::plan().watched_io.load(), 0);
}

TEST(WriteQueueThread, StoppedWithAnswersWaitingTheyAreExactlyTheUncommittedOnes) {
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  q.start_writer(patient());
  q.submit(ask_of(l.questions[0], 2000));
  Database other(file);
  other.exec("BEGIN IMMEDIATE");
  for (int i = 1; i <= 3; ++i) q.submit(reads_of({{i, Answer::D, 3000 + i}}));
  q.stop_writer();
  EXPECT_FALSE(q.has_writer());
  // What a recovery file would hold: the three reads, none committed.
  EXPECT_EQ(q.waiting().size(), 3u);
  EXPECT_EQ(q.waiting_reads(), 3);
  other.exec("COMMIT");
  // After the writer: tried on the caller's thread, through the collector that went on with
  // the lesson (the ask it opened is the one the reads belong to).
  const auto done = q.flush();
  ASSERT_EQ(done.size(), 3u);
  for (const auto& cr : done) EXPECT_EQ(cr.results.at(0).outcome, ReadOutcome::Recorded);
  Database reader(file);
  EXPECT_EQ(answers_in(reader, l.session_id).size(), 3u);
}

TEST(WriteQueueThread, AWriteNoRetryCanCureIsDroppedAndTheRestGoOn) {
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  q.start_writer(patient());
  q.submit(ask_of(l.questions[0], 2000));
  EXPECT_ANY_THROW(q.submit(ask_of(987654, 2050)));  // not a question of the set
  const auto done = q.submit(reads_of({{4, Answer::A, 2100}}));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].results.at(0).outcome, ReadOutcome::Recorded);
  EXPECT_TRUE(q.empty());
}
