// The response collector's rules: latest answer wins, every change kept, unassigned cards
// counted but nobody's answer, reads with no open ask ignored, reopen and next.
#include <gtest/gtest.h>

#include "core/store/collector.h"
#include "core/store/storage.h"
#include "test_db_util.h"

using namespace cardpoll;
using cardpoll::testing_store::TempDir;

namespace {

struct Lesson {
  TempDir dir;
  Database db{dir / "class.db"};
  ClassInfo klass;
  QuestionSet set;
  Session session;
  std::vector<Student> students;  // cards 1..3

  Lesson() {
    klass = create_class(db, "Period 3");
    for (int i = 1; i <= 3; ++i) {
      Student s;
      s.class_id = klass.id;
      s.display_name = "Student " + std::to_string(i);
      s.card = i;
      students.push_back(add_student(db, s));
    }
    set = create_question_set(db, "Fractions");
    for (int i = 1; i <= 3; ++i) {
      Question q;
      q.text = "Question " + std::to_string(i);
      q.choices = {"one", "two", "three", "four"};
      q.correct = Answer::B;
      add_question(db, set.id, q);
    }
    set = *find_question_set(db, set.id);
    session = start_session(db, klass.id, set.id, 1000);
  }
};

}  // namespace

TEST(Collector, ReadsBeforeAnyAskAreIgnoredAndCounted) {
  Lesson l;
  Collector c(l.db, l.session.id);
  EXPECT_FALSE(c.open_ask());
  const auto r = c.record(1, Answer::B, 2000);
  EXPECT_EQ(r.outcome, ReadOutcome::NoOpenAsk);
  EXPECT_EQ(c.counts().ignored, 1);
  const auto d = load_session_data(l.db, l.session.id);
  EXPECT_TRUE(d.responses.empty());
  EXPECT_TRUE(d.changes.empty());
}

TEST(Collector, LatestAnswerWinsAndEveryChangeIsKept) {
  Lesson l;
  Collector c(l.db, l.session.id);
  const Ask a = c.next_ask(2000);
  EXPECT_EQ(a.number, 1);
  EXPECT_EQ(c.record(1, Answer::A, 2100).outcome, ReadOutcome::Recorded);
  EXPECT_EQ(c.record(1, Answer::A, 2200).outcome, ReadOutcome::Unchanged);
  EXPECT_EQ(c.record(1, Answer::C, 2300).outcome, ReadOutcome::Changed);
  EXPECT_EQ(c.record(1, Answer::B, 2400).outcome, ReadOutcome::Changed);
  const auto d = load_session_data(l.db, l.session.id);
  ASSERT_EQ(d.responses.size(), 1u);
  EXPECT_EQ(d.responses[0].student_id, l.students[0].id);
  EXPECT_EQ(d.responses[0].answer, Answer::B);
  EXPECT_EQ(d.responses[0].first_seen, 2100);
  EXPECT_EQ(d.responses[0].last_changed, 2400);
  ASSERT_EQ(d.changes.size(), 3u);  // A, C, B (the repeated A is not a change)
  EXPECT_EQ(d.changes[0].answer, Answer::A);
  EXPECT_EQ(d.changes[1].answer, Answer::C);
  EXPECT_EQ(d.changes[2].answer, Answer::B);
  EXPECT_EQ(c.counts().recorded, 1);
  EXPECT_EQ(c.counts().changed, 2);
  EXPECT_EQ(c.counts().unchanged, 1);
}

TEST(Collector, OlderReadThanTheStoredAnswerIsStale) {
  Lesson l;
  Collector c(l.db, l.session.id);
  c.next_ask(2000);
  c.record(2, Answer::D, 5000);
  EXPECT_EQ(c.record(2, Answer::A, 4000).outcome, ReadOutcome::Stale);
  const auto d = load_session_data(l.db, l.session.id);
  ASSERT_EQ(d.responses.size(), 1u);
  EXPECT_EQ(d.responses[0].answer, Answer::D);
  EXPECT_EQ(d.changes.size(), 1u);
}

TEST(Collector, UnassignedCardIsCountedButNobodysAnswer) {
  Lesson l;
  Collector c(l.db, l.session.id);
  c.next_ask(2000);
  const auto r = c.record(37, Answer::C, 2100);
  EXPECT_EQ(r.outcome, ReadOutcome::Unassigned);
  EXPECT_EQ(describe(r), "card 37 is not assigned");
  c.record(37, Answer::A, 2200);
  c.record(40, Answer::A, 2300);
  c.record(999, Answer::A, 2300);  // not even in the deck
  EXPECT_EQ(c.counts().unassigned, 4);
  EXPECT_EQ(c.counts().unassigned_by_card.at(37), 2);
  const auto d = load_session_data(l.db, l.session.id);
  EXPECT_TRUE(d.responses.empty());
  EXPECT_TRUE(d.changes.empty());
  EXPECT_EQ(d.unassigned_cards, (std::vector<int>{37, 40, 999}));
  Statement s(l.db, "SELECT count FROM unassigned_reads WHERE session_id = ? AND card = 37");
  s.bind(1, l.session.id);
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.column_int(0), 2);
}

TEST(Collector, CardAssignedDuringTheLessonCountsFromThenOn) {
  Lesson l;
  Collector c(l.db, l.session.id);
  c.next_ask(2000);
  EXPECT_EQ(c.record(12, Answer::A, 2100).outcome, ReadOutcome::Unassigned);
  assign_card(l.db, l.students[2].id, 12);  // student 3 swaps card 3 for card 12
  EXPECT_EQ(c.record(12, Answer::A, 2200).outcome, ReadOutcome::Recorded);
  EXPECT_EQ(c.record(3, Answer::A, 2300).outcome, ReadOutcome::Unassigned);
  const auto d = load_session_data(l.db, l.session.id);
  ASSERT_EQ(d.responses.size(), 1u);
  EXPECT_EQ(d.responses[0].student_id, l.students[2].id);
}

TEST(Collector, ClosedAskIgnoresReadsAndReopenTakesMore) {
  Lesson l;
  Collector c(l.db, l.session.id);
  c.next_ask(2000);
  c.record(1, Answer::B, 2100);
  c.close_ask(3000);
  EXPECT_FALSE(c.open_ask());
  EXPECT_EQ(c.record(1, Answer::C, 3100).outcome, ReadOutcome::NoOpenAsk);
  EXPECT_EQ(c.record(2, Answer::C, 3100).outcome, ReadOutcome::NoOpenAsk);
  EXPECT_EQ(c.counts().ignored, 2);
  auto d = load_session_data(l.db, l.session.id);
  ASSERT_EQ(d.responses.size(), 1u);
  EXPECT_EQ(d.responses[0].answer, Answer::B);
  ASSERT_TRUE(d.asks[0].closed_at);
  EXPECT_EQ(*d.asks[0].closed_at, 3000);

  const Ask again = c.reopen_ask(1, 4000);
  EXPECT_EQ(again.number, 1);
  EXPECT_FALSE(again.closed_at);
  EXPECT_EQ(c.record(2, Answer::D, 4100).outcome, ReadOutcome::Recorded);
  d = load_session_data(l.db, l.session.id);
  EXPECT_EQ(d.responses.size(), 2u);
  EXPECT_EQ(d.asks.size(), 1u);
}

TEST(Collector, NextAskClosesThePreviousAndAnswersStayPerAsk) {
  Lesson l;
  Collector c(l.db, l.session.id);
  const Ask a1 = c.next_ask(2000);
  c.record(1, Answer::B, 2100);
  const Ask a2 = c.next_ask(3000);
  EXPECT_EQ(a2.number, 2);
  EXPECT_EQ(c.open_ask()->id, a2.id);
  c.record(1, Answer::C, 3100);
  const auto d = load_session_data(l.db, l.session.id);
  ASSERT_EQ(d.asks.size(), 2u);
  ASSERT_TRUE(d.asks[0].closed_at);
  EXPECT_EQ(*d.asks[0].closed_at, 3000);
  EXPECT_EQ(d.asks[0].question_id, l.set.questions[0].id);
  EXPECT_EQ(d.asks[1].question_id, l.set.questions[1].id);
  ASSERT_EQ(d.responses.size(), 2u);
  for (const auto& r : d.responses) EXPECT_EQ(r.answer, r.ask_id == a1.id ? Answer::B : Answer::C);
  c.next_ask(4000);
  EXPECT_THROW(c.next_ask(5000), std::runtime_error);  // the set has 3 questions
}

TEST(Collector, SameQuestionAskedTwiceIsTwoAsks) {
  Lesson l;
  Collector c(l.db, l.session.id);
  const Ask before = c.ask_position(1, 2000);
  c.record(1, Answer::A, 2100);
  const Ask after = c.ask_question(l.set.questions[0].id, 9000);  // after a small-group lesson
  c.record(1, Answer::B, 9100);
  EXPECT_NE(before.id, after.id);
  EXPECT_EQ(after.number, 2);
  const auto d = load_session_data(l.db, l.session.id);
  ASSERT_EQ(d.responses.size(), 2u);
  EXPECT_EQ(d.asks[0].question_id, d.asks[1].question_id);
}

TEST(Collector, QuestionOfAnotherSetIsRefused) {
  Lesson l;
  const auto other = create_question_set(l.db, "Other");
  Question q;
  q.text = "Elsewhere";
  q.choices = {"x", "y"};
  const Question stored = add_question(l.db, other.id, q);
  Collector c(l.db, l.session.id);
  EXPECT_THROW(c.ask_question(stored.id, 2000), std::runtime_error);
  EXPECT_THROW(c.ask_position(4, 2000), std::runtime_error);
  EXPECT_THROW(c.reopen_ask(7, 2000), std::runtime_error);
}

TEST(Collector, OpenAskSurvivesARestartAndEndedSessionIsRefused) {
  Lesson l;
  {
    Collector c(l.db, l.session.id);
    c.next_ask(2000);
    c.record(1, Answer::B, 2100);
  }  // cardpoll stopped mid-question
  Collector again(l.db, l.session.id);
  ASSERT_TRUE(again.open_ask());
  EXPECT_EQ(again.open_ask()->number, 1);
  EXPECT_EQ(again.record(1, Answer::B, 2200).outcome, ReadOutcome::Unchanged);
  again.end_session(3000);
  EXPECT_EQ(again.record(2, Answer::B, 3100).outcome, ReadOutcome::NoOpenAsk);
  EXPECT_THROW(Collector(l.db, l.session.id), std::runtime_error);
  const auto s = find_session(l.db, l.session.id);
  ASSERT_TRUE(s->ended_at);
  EXPECT_TRUE(list_asks(l.db, l.session.id)[0].closed_at);
}

TEST(Collector, StudentWhoLeftStillAppearsInPastSessions) {
  Lesson l;
  Collector c(l.db, l.session.id);
  c.next_ask(2000);
  c.record(3, Answer::A, 2100);
  deactivate_student(l.db, l.students[2].id);
  EXPECT_EQ(list_students(l.db, l.klass.id).size(), 2u);
  EXPECT_EQ(c.record(3, Answer::B, 2200).outcome, ReadOutcome::Unassigned);  // card is free now
  const auto d = load_session_data(l.db, l.session.id);
  EXPECT_EQ(d.students.size(), 3u);
  ASSERT_EQ(d.responses.size(), 1u);
  EXPECT_EQ(d.responses[0].answer, Answer::A);
}

TEST(Collector, OneFrameOfReadsIsOneTransactionWithTheSameRules) {
  Lesson l;
  Collector c(l.db, l.session.id);
  const std::vector<Collector::Read> before_ask = {{1, Answer::A, 1500}};
  EXPECT_EQ(c.record_all(before_ask)[0].outcome, ReadOutcome::NoOpenAsk);
  c.next_ask(2000);
  const std::vector<Collector::Read> frame = {
      {1, Answer::A, 2100}, {2, Answer::B, 2100}, {37, Answer::C, 2100}, {1, Answer::D, 2200}, {2, Answer::B, 2200}};
  const auto r = c.record_all(frame);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].outcome, ReadOutcome::Recorded);
  EXPECT_EQ(r[1].outcome, ReadOutcome::Recorded);
  EXPECT_EQ(r[2].outcome, ReadOutcome::Unassigned);
  EXPECT_EQ(r[3].outcome, ReadOutcome::Changed);
  EXPECT_EQ(r[4].outcome, ReadOutcome::Unchanged);
  EXPECT_FALSE(in_transaction(l.db));
  // Visible to another connection at once: committed.
  Database other(l.dir / "class.db");
  const auto d = load_session_data(other, l.session.id);
  ASSERT_EQ(d.responses.size(), 2u);
  EXPECT_EQ(d.changes.size(), 3u);
  EXPECT_EQ(d.unassigned_cards, std::vector<int>{37});
  EXPECT_EQ(c.counts().recorded, 2);
  EXPECT_EQ(c.counts().changed, 1);
  EXPECT_EQ(c.counts().unchanged, 1);
  EXPECT_EQ(c.counts().unassigned, 1);
  EXPECT_EQ(c.counts().ignored, 1);
}
