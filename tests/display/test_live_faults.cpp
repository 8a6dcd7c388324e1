// Issue 16: the live loop through storage faults and crashes, on a real database.
//  - the write lock held by another connection / a full disk (the fault VFS) during a
//    lesson: reads are answered "not yet saved", the projector never shows them as answered,
//    the teacher's list and warnings say so, and they are saved in order once allowed;
//  - ending with answers waiting leaves them for a recovery file; the next start imports it;
//  - resume: a session left open (the process died) continues with its open question and
//    its answers.
// Before issue 16, record_read() threw "database is locked" out of the lesson here.
#include <gtest/gtest.h>

#include <thread>

#include "core/store/quick_questions.h"
#include "core/store/recovery_file.h"
#include "core/store/storage.h"
#include "lesson/live_session.h"
#include "display/view_model.h"
#include "tests/support/cardpoll_cli.h"
#include "tests/support/fault_vfs.h"

using namespace cardpoll;
using namespace cardpoll::display;
using namespace cardpoll::lesson;

namespace {

constexpr TimeMs kT0 = 1772614800000;

void make_class(Database& db) {
  const ClassInfo k = create_class(db, "P3");
  const char* names[] = {"Ana", "Ben", "Cy"};
  for (int i = 0; i < 3; ++i) {
    Student st;
    st.class_id = k.id;
    st.display_name = names[i];
    st.first_name = names[i];
    st.card = i + 1;
    add_student(db, st);
  }
  const QuestionSet set = create_question_set(db, "unit 3");
  for (int i = 0; i < 2; ++i) {
    Question q;
    q.text = "question " + std::to_string(i + 1);
    q.choices = {"one", "two", "three", "four"};
    q.correct = Answer::B;
    add_question(db, set.id, q);
  }
}

const TileView& tile(const ProjectorView& v, const std::string& label) {
  for (const auto& t : v.tiles)
    if (t.label == label) return t;
  throw std::runtime_error("no tile " + label);
}

std::string teacher_answer(const TeacherView& v, const std::string& name) {
  for (const auto& a : v.answers)
    if (a.name == name) return a.answer;
  return "?";
}

}  // namespace

TEST(LiveFaults, ALockedDatabaseDoesNotEndTheLessonAndNothingShowsAsSavedBeforeItIs) {
  test_support::TempDir dir;
  Database db(dir / "lesson.db");
  make_class(db);
  db.set_busy_timeout(20);
  LiveSession s = start_live_session(db, "P3", "unit 3", kT0);
  apply_input(s, *input_for_key('n'), kT0 + 10);
  record_read(s, 1, Answer::B, kT0 + 100);  // saved normally

  Database other(dir / "lesson.db");
  other.exec("BEGIN IMMEDIATE");  // another program takes the write lock
  ReadResult r;
  ASSERT_NO_THROW(r = record_read(s, 2, Answer::C, kT0 + 200));
  EXPECT_EQ(r.outcome, ReadOutcome::Pending);
  ASSERT_NO_THROW(apply_input(s, *input_for_key('\r'), kT0 + 300));  // reveal, also waits
  ProjectorView pv = projector_view(s.state);
  EXPECT_TRUE(tile(pv, "Ana").answered);
  EXPECT_FALSE(tile(pv, "Ben").answered) << "shown as answered before it is saved";
  EXPECT_TRUE(tile(pv, "Ben").pending);
  EXPECT_EQ(pv.answered, "1 / 3 answered");
  EXPECT_EQ(pv.unsaved, "1 answer waiting to be saved");
  TeacherView tv = teacher_view(s.state);
  EXPECT_EQ(teacher_answer(tv, "Ben"), "C (not saved)");
  ASSERT_FALSE(tv.warnings.empty());
  EXPECT_NE(tv.warnings[0].find("NOT YET SAVED"), std::string::npos) << tv.warnings[0];
  EXPECT_NE(tv.warnings[0].find("locked"), std::string::npos) << tv.warnings[0];
  EXPECT_FALSE(retry_saves(s, kT0 + 1000, 0));  // still locked

  other.exec("COMMIT");
  EXPECT_TRUE(retry_saves(s, kT0 + 2000, 0));
  pv = projector_view(s.state);
  EXPECT_TRUE(tile(pv, "Ben").answered);
  EXPECT_FALSE(tile(pv, "Ben").pending);
  EXPECT_EQ(pv.unsaved, "");
  EXPECT_EQ(teacher_answer(teacher_view(s.state), "Ben"), "C");
  const SessionData d = load_session_data(db, s.collector->session_id());
  ASSERT_EQ(d.asks.size(), 1u);
  EXPECT_TRUE(d.asks[0].closed_at);  // the reveal got saved too, after the answer
  EXPECT_EQ(d.responses.size(), 2u);
  end_live_session(s, kT0 + 3000);
  EXPECT_TRUE(s.writes->empty());
}

TEST(LiveFaults, EndingOnAFullDiskLeavesARecoveryFileThatTheNextStartImports) {
  fault::install();
  fault::plan().clear();
  test_support::TempDir dir;
  const auto file = dir / "lesson.db";
  Id session = 0;
  {
    Database db(file);
    make_class(db);
    LiveSession s = start_live_session(db, "P3", "unit 3", kT0);
    session = s.collector->session_id();
    apply_input(s, *input_for_key('n'), kT0 + 10);
    fault::plan().full = true;
    record_read(s, 1, Answer::A, kT0 + 100);
    record_read(s, 2, Answer::D, kT0 + 100);
    apply_input(s, *input_for_key('n'), kT0 + 200);  // question 2, asked on a full disk
    record_read(s, 3, Answer::B, kT0 + 300);
    end_live_session(s, kT0 + 400);
    EXPECT_EQ(unsaved_answers(s), 3);
    const std::vector<LessonWrite> waiting(s.writes->waiting().begin(), s.writes->waiting().end());
    fault::plan().full = false;  // cmd_live gives up after --save-wait; the file takes them
    write_recovery_file(file, session, waiting);
  }
  fault::plan().clear();
  Database db(file);
  EXPECT_EQ(import_recovery_files(db).size(), 1u);
  const SessionData d = load_session_data(db, session);
  EXPECT_TRUE(d.session.ended_at);
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.responses.size(), 3u);
  EXPECT_TRUE(find_recovery_files(file).empty());
}

TEST(LiveFaults, ASessionLeftOpenResumesWithItsOpenQuestionAndAnswers) {
  test_support::TempDir dir;
  Database db(dir / "lesson.db");
  make_class(db);
  Id session = 0;
  {
    LiveSession s = start_live_session(db, "P3", "unit 3", kT0);
    session = s.collector->session_id();
    apply_input(s, *input_for_key('n'), kT0 + 10);
    apply_input(s, *input_for_key('n'), kT0 + 20);
    record_read(s, 1, Answer::B, kT0 + 100);
    record_read(s, 3, Answer::A, kT0 + 100);
  }  // the process dies: no end_live_session
  LiveSession r = resume_live_session(db, session, kT0 + 5000);
  EXPECT_EQ(r.state.position, 2);
  EXPECT_TRUE(r.state.scanning);
  EXPECT_EQ(r.state.question_text, "question 2");
  EXPECT_EQ(projector_view(r.state).answered, "2 / 3 answered");
  record_read(r, 2, Answer::C, kT0 + 6000);
  end_live_session(r, kT0 + 7000);
  const SessionData d = load_session_data(db, session);
  EXPECT_TRUE(d.session.ended_at);
  EXPECT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.responses.size(), 3u);
  EXPECT_THROW(resume_live_session(db, session, kT0 + 8000), std::runtime_error);
}

namespace {

// The quick questions of the session as stored: text and right answer, in order.
std::vector<Question> stored_quick_questions(Database& db, Id session) {
  std::vector<Question> out;
  const SessionData d = load_session_data(db, session);
  for (const Question& q : d.set.questions)
    if (is_quick_set_of(db, session, q.set_id)) out.push_back(q);
  return out;
}

}  // namespace

// Adding a quick question (K) and setting its right answer used to write on the live view's
// own connection, outside the write queue: a lock held by another program threw "database is
// locked" out of the lesson. Now they wait in line with the answers, in order.
TEST(LiveFaults, AQuickQuestionAndItsRightAnswerWaitInLineWhileTheDatabaseIsLocked) {
  test_support::TempDir dir;
  Database db(dir / "lesson.db");
  make_class(db);
  db.set_busy_timeout(20);
  LiveSession s = start_live_session(db, "P3", "unit 3", kT0);
  const Id session = s.collector->session_id();
  apply_input(s, *input_for_key('n'), kT0 + 10);
  record_read(s, 1, Answer::B, kT0 + 100);  // saved normally

  Database other(dir / "lesson.db");
  other.exec("BEGIN IMMEDIATE");  // another program takes the write lock
  ASSERT_NO_THROW(apply_input(s, *input_for_key('k'), kT0 + 200));
  EXPECT_EQ(s.state.position, 3);
  EXPECT_EQ(s.state.count, 3);
  EXPECT_TRUE(s.state.scanning);
  ReadResult r;
  ASSERT_NO_THROW(r = record_read(s, 2, Answer::C, kT0 + 300));
  EXPECT_EQ(r.outcome, ReadOutcome::Pending);
  ASSERT_NO_THROW(apply_input(s, *input_for_key('\r'), kT0 + 400));  // reveal
  ASSERT_NO_THROW(apply_input(s, *input_for_key('3'), kT0 + 500));  // right answer C
  EXPECT_EQ(s.state.correct, Answer::C);
  TeacherView tv = teacher_view(s.state);
  ASSERT_FALSE(tv.warnings.empty());
  EXPECT_NE(tv.warnings[0].find("NOT YET SAVED"), std::string::npos) << tv.warnings[0];
  EXPECT_NE(tv.warnings[0].find("quick question 3"), std::string::npos) << tv.warnings[0];
  EXPECT_NE(tv.warnings[0].find("the right answer of question 3"), std::string::npos) << tv.warnings[0];
  EXPECT_TRUE(stored_quick_questions(other, session).empty()) << "shown as added before it is saved";
  EXPECT_FALSE(retry_saves(s, kT0 + 1000, 0));  // still locked

  other.exec("COMMIT");
  EXPECT_TRUE(retry_saves(s, kT0 + 2000, 0));
  EXPECT_TRUE(s.writes->empty());
  EXPECT_EQ(s.state.unsaved_writes, "");
  tv = teacher_view(s.state);
  EXPECT_TRUE(tv.unsaved.empty()) << tv.unsaved;
  const auto quick = stored_quick_questions(db, session);
  ASSERT_EQ(quick.size(), 1u);
  EXPECT_EQ(quick[0].text, "Quick question 1");
  EXPECT_EQ(quick[0].correct, Answer::C);
  const SessionData d = load_session_data(db, session);
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.asks[1].question_id, quick[0].id);
  EXPECT_TRUE(d.asks[1].closed_at);
  ASSERT_EQ(d.responses.size(), 2u);
  EXPECT_EQ(d.responses[1].ask_id, d.asks[1].id);  // Ben's answer belongs to the quick question
  EXPECT_EQ(d.responses[1].answer, Answer::C);
  end_live_session(s, kT0 + 3000);
  EXPECT_TRUE(s.writes->empty());
}

// A quick-question lesson (no set) on a disk that fills up: K, the answers and the right
// answer wait; the lesson ends with them waiting; the recovery file holds them, in order, and
// the next start imports them: the questions, their right answers and every answer.
TEST(LiveFaults, QuickQuestionsAskedOnAFullDiskGoToTheRecoveryFileAndTheNextStartImportsThem) {
  fault::install();
  fault::plan().clear();
  test_support::TempDir dir;
  const auto file = dir / "lesson.db";
  Id session = 0;
  {
    Database db(file);
    make_class(db);
    LiveSession s = start_live_session(db, "P3", "", kT0);
    session = s.collector->session_id();
    apply_input(s, *input_for_key('k'), kT0 + 10);  // quick question 1: saved
    record_read(s, 1, Answer::A, kT0 + 50);
    fault::plan().full = true;
    apply_input(s, *input_for_key('\r'), kT0 + 90);
    ASSERT_NO_THROW(apply_input(s, *input_for_key('1'), kT0 + 95));  // right answer A
    ASSERT_NO_THROW(apply_input(s, *input_for_key('k'), kT0 + 100));  // quick question 2
    record_read(s, 2, Answer::D, kT0 + 150);
    record_read(s, 3, Answer::B, kT0 + 160);
    apply_input(s, *input_for_key('\r'), kT0 + 200);
    ASSERT_NO_THROW(apply_input(s, *input_for_key('0'), kT0 + 210));  // a poll: no right answer
    EXPECT_GT(fault::plan().failed_writes.load(), 0);
    const TeacherView tv = teacher_view(s.state);
    ASSERT_FALSE(tv.warnings.empty());
    EXPECT_NE(tv.warnings[0].find("quick question 2"), std::string::npos) << tv.warnings[0];
    EXPECT_NE(tv.warnings[0].find("the right answer of question 1"), std::string::npos) << tv.warnings[0];
    EXPECT_NE(tv.warnings[0].find("full"), std::string::npos) << tv.warnings[0];
    end_live_session(s, kT0 + 400);
    EXPECT_EQ(unsaved_answers(s), 2);
    const std::vector<LessonWrite> waiting(s.writes->waiting().begin(), s.writes->waiting().end());
    const std::string text = recovery_file_text(session, waiting);
    EXPECT_NE(text.find("quick-key 1 0"), std::string::npos) << text;
    EXPECT_NE(text.find("ask-quick 2"), std::string::npos) << text;
    EXPECT_NE(text.find("quick-key 2 -1"), std::string::npos) << text;
    fault::plan().full = false;
    write_recovery_file(file, session, waiting);
  }
  fault::plan().clear();
  Database db(file);
  EXPECT_EQ(import_recovery_files(db).size(), 1u);
  EXPECT_TRUE(find_recovery_files(file).empty());
  const auto quick = stored_quick_questions(db, session);
  ASSERT_EQ(quick.size(), 2u);
  EXPECT_EQ(quick[0].correct, Answer::A);
  EXPECT_EQ(quick[1].text, "Quick question 2");
  EXPECT_FALSE(quick[1].correct);
  const SessionData d = load_session_data(db, session);
  EXPECT_TRUE(d.session.ended_at);
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.asks[1].question_id, quick[1].id);
  ASSERT_EQ(d.responses.size(), 3u);
  for (size_t i = 1; i < 3; ++i) EXPECT_EQ(d.responses[i].ask_id, d.asks[1].id);
}

// With the writer thread (as `cardpoll live` runs), K and the right answer are written by it:
// the live view's own thread never touches the disk for them.
TEST(LiveFaults, TheLiveViewsThreadNeverWritesAQuickQuestionItself) {
  fault::install();
  fault::plan().clear();
  test_support::TempDir dir;
  Database db(dir / "lesson.db");
  make_class(db);
  LiveSession s = start_live_session(db, "P3", "unit 3", kT0);
  s.writes->start_writer();
  fault::plan().watched = std::this_thread::get_id();
  apply_input(s, *input_for_key('k'), kT0 + 10);
  record_read(s, 1, Answer::D, kT0 + 50);
  apply_input(s, *input_for_key('\r'), kT0 + 90);
  apply_input(s, *input_for_key('4'), kT0 + 95);
  EXPECT_EQ(fault::plan().watched_io.load(), 0);
  fault::plan().watched = std::thread::id();
  s.writes->stop_writer();
  retry_saves(s, kT0 + 1000, 0);
  EXPECT_TRUE(s.writes->empty());
  const auto quick = stored_quick_questions(db, s.collector->session_id());
  ASSERT_EQ(quick.size(), 1u);
  EXPECT_EQ(quick[0].correct, Answer::D);
  fault::plan().clear();
}
