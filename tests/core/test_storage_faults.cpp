// Issue 16, parts 1 and 6: storage faults injected through the SQLite VFS shim
// (tests/support/fault_vfs.h) and a real second connection holding the write lock. The
// collector's writes go through the WriteQueue: a refused write waits in memory, in order;
// nothing is reported committed before it is; a recovery file carries what never got saved
// and imports once.
#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

#include "core/store/collector.h"
#include "core/store/health.h"
#include "core/store/recovery_file.h"
#include "core/store/storage.h"
#include "core/store/write_queue.h"
#include "lesson_writes.h"
#include "test_db_util.h"
#include "tests/support/fault_vfs.h"

using namespace cardpoll;
using cardpoll::testing_store::TempDir;
using namespace cardpoll::testing_store;

namespace {


// Current answers of the session as "card:letter" in card order, read on a fresh connection.
std::string answers_in(const std::filesystem::path& file, Id session) {
  Database db(file);
  const SessionData d = load_session_data(db, session);
  std::map<Id, int> card;
  for (const auto& s : d.students) card[s.id] = s.card;
  std::map<std::pair<Id, int>, char> by;
  for (const auto& r : d.responses) by[{r.ask_id, card[r.student_id]}] = answer_letter(r.answer);
  std::string out;
  for (const auto& [k, v] : by) out += std::to_string(k.second) + ":" + v + " ";
  return out;
}

struct FaultGuard {
  FaultGuard() {
    fault::install();
    fault::plan().clear();
  }
  ~FaultGuard() { fault::plan().clear(); }
};

}  // namespace

TEST(StorageFaults, ALockHeldByAnotherConnectionMakesAnswersWaitInOrder) {
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  db.set_busy_timeout(20);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  EXPECT_TRUE(q.submit(ask_of(l.questions[0], 2000)).empty());
  EXPECT_TRUE(q.empty());

  Database other(file);  // a backup tool, a database browser: holds the write lock
  other.exec("BEGIN IMMEDIATE");
  auto done = q.submit(reads_of({{1, Answer::B, 2100}, {2, Answer::C, 2100}}, 7));
  EXPECT_TRUE(done.empty()) << "nothing may be reported saved while the lock is held";
  done = q.submit(reads_of({{1, Answer::D, 2200}}, 7));  // a change, behind the first
  EXPECT_TRUE(done.empty());
  EXPECT_EQ(q.waiting_reads(), 3);
  EXPECT_NE(q.problem().find("locked"), std::string::npos) << q.problem();
  EXPECT_EQ(answers_in(file, l.session_id), "");
  EXPECT_TRUE(q.flush().empty());  // still locked: still waiting

  other.exec("COMMIT");
  done = q.flush();
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].tag, 7u);
  EXPECT_EQ(done[0].results[0].outcome, ReadOutcome::Recorded);
  EXPECT_EQ(done[1].results[0].outcome, ReadOutcome::Changed);  // applied in the order read
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.problem(), "");
  EXPECT_EQ(answers_in(file, l.session_id), "1:D 2:C ");
}

TEST(StorageFaults, ADiskFullForAWhileLosesNothingAndSavesInOrder) {
  FaultGuard guard;
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  q.submit(ask_of(l.questions[0], 2000));
  fault::plan().full = true;
  for (int i = 1; i <= kStudents; ++i)
    EXPECT_TRUE(q.submit(reads_of({{i, static_cast<Answer>(i % 4), 3000 + i}})).empty());
  q.submit(ask_of(l.questions[1], 4000));  // the next question, asked while the disk is full
  q.submit(reads_of({{1, Answer::A, 4100}}));
  EXPECT_GT(fault::plan().failed_writes.load(), 0);
  EXPECT_EQ(q.waiting_reads(), kStudents + 1);
  EXPECT_NE(q.problem().find("disk is full"), std::string::npos) << q.problem();
  fault::plan().full = false;
  const auto done = q.flush();
  EXPECT_EQ(done.size(), static_cast<size_t>(kStudents + 1));
  for (const auto& d : done) EXPECT_TRUE(d.results.at(0).stored());
  EXPECT_TRUE(q.empty());
  const SessionData data = load_session_data(db, l.session_id);
  ASSERT_EQ(data.asks.size(), 2u);
  EXPECT_EQ(data.asks[1].opened_at, 4000);  // the ask keeps the time it was asked
  EXPECT_EQ(data.responses.size(), static_cast<size_t>(kStudents + 1));
}

TEST(StorageFaults, FailedSyncsAndASingleFailedWriteAreRiddenOut) {
  FaultGuard guard;
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  q.submit(ask_of(l.questions[0], 2000));
  fault::plan().sync_error = true;
  EXPECT_TRUE(q.submit(reads_of({{1, Answer::B, 2100}})).empty());
  EXPECT_GT(fault::plan().failed_syncs.load(), 0);
  fault::plan().sync_error = false;
  fault::plan().fail_write_at = 1;  // the very next write fails, once
  EXPECT_TRUE(q.flush().empty());
  EXPECT_EQ(fault::plan().failed_writes.load(), 1);
  EXPECT_EQ(q.flush().size(), 1u);
  EXPECT_EQ(answers_in(file, l.session_id), "1:B ");
}

TEST(StorageFaults, ARefusedLockFromTheVfsIsRiddenOut) {
  FaultGuard guard;
  TempDir t;
  const auto file = t / "class.db";
  Database db(file);
  const Lesson l = make_lesson(db);
  db.set_busy_timeout(10);
  Collector c(db, l.session_id);
  WriteQueue q(c);
  fault::plan().lock_busy = true;
  EXPECT_TRUE(q.submit(ask_of(l.questions[0], 2000)).empty());
  EXPECT_TRUE(q.submit(reads_of({{3, Answer::C, 2100}})).empty());
  EXPECT_GT(fault::plan().refused_locks.load(), 0);
  fault::plan().lock_busy = false;
  EXPECT_EQ(q.flush().size(), 1u);
  EXPECT_EQ(answers_in(file, l.session_id), "3:C ");
}

TEST(StorageFaults, ANestedTransactionRollsBackAloneInsideTheOuterOne) {
  TempDir t;
  Database db(t / "x.db");
  Transaction outer(db);
  create_class(db, "Kept");
  {
    Transaction inner(db);
    create_class(db, "Dropped");
  }  // no commit: rolled back to the savepoint
  outer.commit();
  EXPECT_TRUE(find_class(db, "Kept"));
  EXPECT_FALSE(find_class(db, "Dropped"));
}

TEST(RecoveryFile, TextRoundTripsAndBadFilesAreNamedWithTheLine) {
  std::vector<LessonWrite> w = {ask_of(5, 1000), reads_of({{1, Answer::B, 1100}, {2, Answer::D, 1100}})};
  LessonWrite end;
  end.kind = LessonWrite::Kind::End;
  end.at = 1200;
  w.push_back(end);
  const std::string text = recovery_file_text(9, w);
  const RecoveryFile f = parse_recovery_file(text, "r");
  EXPECT_EQ(f.session_id, 9);
  ASSERT_EQ(f.writes.size(), 3u);
  EXPECT_EQ(f.writes[1].reads.size(), 2u);
  EXPECT_EQ(recovery_file_text(f.session_id, f.writes), text);
  for (const std::string bad : {"nonsense\n", "cardpoll-recovery 1\nsession x\n",
                                "cardpoll-recovery 1\nsession 1\nread 1 7 100\n",
                                "cardpoll-recovery 1\nsession 1\nfly 3\n", "cardpoll-recovery 1\n"}) {
    try {
      parse_recovery_file(bad, "lesson.rec");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("lesson.rec:", 0), 0u) << e.what();
    }
  }
}

TEST(RecoveryFile, QuickQuestionsAndTheirRightAnswersRoundTrip) {
  LessonWrite ask;
  ask.kind = LessonWrite::Kind::AskQuick;
  ask.quick_number = 2;
  ask.at = 1000;
  LessonWrite key;
  key.kind = LessonWrite::Kind::SetQuickKey;
  key.quick_number = 2;
  key.key = 3;
  LessonWrite poll = key;
  poll.key = -1;
  const std::vector<LessonWrite> w = {ask, reads_of({{1, Answer::B, 1100}}), key, poll};
  const std::string text = recovery_file_text(4, w);
  EXPECT_NE(text.find("\nask-quick 2 1000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nquick-key 2 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nquick-key 2 -1\n"), std::string::npos) << text;
  const RecoveryFile f = parse_recovery_file(text, "r");
  ASSERT_EQ(f.writes.size(), 4u);
  EXPECT_EQ(f.writes[0].kind, LessonWrite::Kind::AskQuick);
  EXPECT_EQ(f.writes[0].quick_number, 2);
  EXPECT_EQ(f.writes[3].key, -1);
  EXPECT_EQ(recovery_file_text(f.session_id, f.writes), text);
  for (const std::string bad : {"cardpoll-recovery 1\nsession 1\nask-quick 0 100\n",
                                "cardpoll-recovery 1\nsession 1\nquick-key 1 4\n",
                                "cardpoll-recovery 1\nsession 1\nquick-key 1\n"}) {
    try {
      parse_recovery_file(bad, "lesson.rec");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("lesson.rec:3:", 0), 0u) << e.what();
    }
  }
}

TEST(RecoveryFile, IsWrittenPrivateBesideTheDatabaseAndImportedOnce) {
  TempDir t;
  const auto file = t / "class.db";
  Lesson l;
  {
    Database db(file);
    l = make_lesson(db);
  }
  std::vector<LessonWrite> w = {ask_of(l.questions[0], 2000),
                                reads_of({{1, Answer::B, 2100}, {2, Answer::C, 2100}}),
                                reads_of({{1, Answer::A, 2200}})};
  LessonWrite end;
  end.kind = LessonWrite::Kind::End;
  end.at = 3000;
  w.push_back(end);
  const auto rec = write_recovery_file(file, l.session_id, w);
  EXPECT_EQ(rec.parent_path(), file.parent_path());
  struct stat st {};
  ASSERT_EQ(::stat(rec.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const auto copy = t / "copy-of-the-file";
  std::filesystem::copy_file(rec, copy);
  {
    Database db(file);
    ASSERT_EQ(find_recovery_files(file), std::vector<std::filesystem::path>{rec});
    const auto lines = import_recovery_files(db);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("imported 3 answers of session"), std::string::npos) << lines[0];
    EXPECT_FALSE(std::filesystem::exists(rec));
    EXPECT_TRUE(find_session(db, l.session_id)->ended_at);
  }
  EXPECT_EQ(answers_in(file, l.session_id), "1:A 2:C ");
  // The same file found again (cardpoll stopped before deleting it): only removed.
  std::filesystem::copy_file(copy, rec);
  {
    Database db(file);
    const auto lines = import_recovery_files(db);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("already imported"), std::string::npos) << lines[0];
    const SessionData d = load_session_data(db, l.session_id);
    EXPECT_EQ(d.asks.size(), 1u);
    EXPECT_EQ(d.changes.size(), 3u);
  }
  EXPECT_FALSE(std::filesystem::exists(rec));
}

TEST(Health, AFreshDatabaseIsHealthyAndOpenSessionsAndRecoveryFilesAreListed) {
  TempDir t;
  const auto file = t / "class.db";
  Lesson l;
  {
    Database db(file);
    l = make_lesson(db);  // leaves its session open
  }
  HealthReport h = check_health(file);
  EXPECT_EQ(h.integrity, std::vector<std::string>{"ok"});
  ASSERT_EQ(h.open_sessions.size(), 1u);
  EXPECT_EQ(h.open_sessions[0].id, l.session_id);
  EXPECT_FALSE(h.healthy());
  EXPECT_GE(h.free_bytes, 0);
  write_recovery_file(file, l.session_id, std::vector<LessonWrite>{ask_of(l.questions[0], 2000)});
  h = check_health(file);
  EXPECT_EQ(h.recovery_files.size(), 1u);
  {
    Database db(file);
    import_recovery_files(db);
    end_session(db, l.session_id, 5000);
  }
  h = check_health(file);
  EXPECT_TRUE(h.recovery_files.empty());
  EXPECT_TRUE(h.open_sessions.empty());
  EXPECT_EQ(h.healthy(), h.free_bytes >= kLowDiskBytes) << (h.problems.empty() ? "" : h.problems[0]);
}
