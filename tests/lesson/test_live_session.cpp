// The lesson controller (lesson/live_session.h) on a real database: keys act as documented,
// a frame's answers are stored together and in the open question only, and what the views
// hold is what is on disk.
#include <gtest/gtest.h>

#include <vector>

#include "core/store/db.h"
#include "core/store/storage.h"
#include "lesson/live_session.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using namespace cardpoll::lesson;

namespace {

constexpr TimeMs kT0 = 1772614800000;  // 2026-03-04T09:00:00Z

struct Lesson {
  test_support::TempDir dir;
  Database db{dir / "lesson.db", OpenOptions{true, false, Durability::Normal}};
  LiveSession s;

  Lesson() {
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
      q.correct = i == 0 ? Answer::B : Answer::C;
      add_question(db, set.id, q);
    }
    s = start_live_session(db, "P3", "unit 3", kT0);
  }

  LiveEffects key(char k, TimeMs at) {
    const auto in = input_for_key(k);
    EXPECT_TRUE(in.has_value()) << k;
    return in ? apply_input(s, *in, at) : LiveEffects{};
  }

  SessionData stored() { return load_session_data(db, s.collector->session_id()); }
};

}  // namespace

TEST(LiveKeys, EveryDocumentedKeyMapsAndOthersDoNot) {
  for (char k : std::string(" \rnphgtfq?dk01234")) EXPECT_TRUE(input_for_key(k).has_value()) << int(k);
  for (char k : std::string("axz59")) EXPECT_FALSE(input_for_key(k).has_value()) << k;
}

TEST(LiveKeys, NextOpensAQuestionAndResetsTheScanner) {
  Lesson l;
  const auto fx = l.key('n', kT0 + 1000);
  EXPECT_TRUE(fx.reset_tracker);
  EXPECT_EQ(l.s.state.position, 1);
  EXPECT_TRUE(l.s.state.scanning);
  EXPECT_EQ(list_asks(l.db, l.s.collector->session_id()).size(), 1u);
  // P on the first question: nothing opens, the status says why.
  EXPECT_FALSE(l.key('p', kT0 + 1100).reset_tracker);
  EXPECT_NE(l.s.state.status.find("first question"), std::string::npos) << l.s.state.status;
}

TEST(LiveKeys, AFramesAnswersAreStoredTogetherAndShown) {
  Lesson l;
  l.key('n', kT0 + 1000);
  const std::vector<Collector::Read> frame = {{1, Answer::B, kT0 + 2000}, {2, Answer::C, kT0 + 2000},
                                              {7, Answer::A, kT0 + 2000}};
  const auto results = record_reads(l.s, frame);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].stored());
  EXPECT_TRUE(results[1].stored());
  EXPECT_EQ(results[2].outcome, ReadOutcome::Unassigned);  // card 7: nobody holds it
  EXPECT_EQ(l.s.state.unassigned_cards, std::vector<int>{7});
  EXPECT_EQ(l.stored().responses.size(), 2u);
  ASSERT_EQ(l.s.state.roster.size(), 3u);
  EXPECT_EQ(l.s.state.roster[0].answer, Answer::B);
  EXPECT_EQ(l.s.state.roster[1].answer, Answer::C);
  EXPECT_FALSE(l.s.state.roster[2].answer.has_value());
  EXPECT_TRUE(record_reads(l.s, {}).empty());
}

TEST(LiveKeys, RevealStopsCollectingAndSpaceReopensTheSameQuestion) {
  Lesson l;
  l.key('n', kT0 + 1000);
  record_read(l.s, 1, Answer::B, kT0 + 1500);
  const auto fx = l.key('\r', kT0 + 2000);
  EXPECT_TRUE(fx.revealed);
  EXPECT_TRUE(l.s.state.revealed);
  EXPECT_FALSE(l.s.state.scanning);
  // After the reveal, a card still held up is not taken.
  const ReadResult late = record_read(l.s, 2, Answer::A, kT0 + 2500);
  EXPECT_FALSE(late.stored());
  EXPECT_EQ(l.stored().responses.size(), 1u);
  // Space: the same question collects again and keeps what it had.
  l.key(' ', kT0 + 3000);
  EXPECT_TRUE(l.s.state.scanning);
  EXPECT_EQ(l.s.state.position, 1);
  EXPECT_TRUE(record_read(l.s, 2, Answer::A, kT0 + 3500).stored());
  const SessionData d = l.stored();
  EXPECT_EQ(d.asks.size(), 1u);
  EXPECT_EQ(d.responses.size(), 2u);
}

TEST(LiveKeys, AnswersGoToTheQuestionOpenWhenTheyWereRead) {
  Lesson l;
  l.key('n', kT0 + 1000);
  record_read(l.s, 1, Answer::B, kT0 + 1500);
  l.key('n', kT0 + 2000);
  EXPECT_EQ(l.s.state.position, 2);
  // The roster starts empty for the new question; Ana answers it afresh.
  EXPECT_FALSE(l.s.state.roster[0].answer.has_value());
  record_read(l.s, 1, Answer::C, kT0 + 2500);
  const SessionData d = l.stored();
  ASSERT_EQ(d.asks.size(), 2u);
  ASSERT_EQ(d.responses.size(), 2u);
  for (const auto& r : d.responses)
    EXPECT_EQ(r.answer, r.ask_id == d.asks[0].id ? Answer::B : Answer::C);
  // N on the last question: nothing new opens.
  EXPECT_FALSE(l.key('n', kT0 + 3000).reset_tracker);
  EXPECT_EQ(l.stored().asks.size(), 2u);
}

TEST(LiveKeys, HideNamesTimerHelpAndQuit) {
  Lesson l;
  l.s.timer_seconds = 90;
  l.s.state.timer_length_seconds = 90;
  l.key('h', kT0);
  EXPECT_TRUE(l.s.state.names_hidden);
  l.key('t', kT0 + 1000);
  tick(l.s, kT0 + 31000);
  EXPECT_EQ(l.s.state.timer_seconds_left, 60);
  l.key('t', kT0 + 32000);
  EXPECT_FALSE(l.s.state.timer_seconds_left.has_value());
  l.key('?', kT0);
  EXPECT_TRUE(l.s.state.show_help);
  // (That the help then names the timer's real length: tests/display/test_live_help.cpp.)
  EXPECT_TRUE(l.key('q', kT0).quit);
  EXPECT_TRUE(l.key('f', kT0).toggle_fullscreen);
}

// Quick questions through the controller: asked aloud in a lesson without a set, and added to a
// running lesson with one; stored and exported like any other ask.
namespace {
struct QuickLesson {
  test_support::TempDir dir;
  Database db{dir / "quick.db", OpenOptions{true, false, Durability::Normal}};
  LiveSession s;
  QuickLesson() {
    const ClassInfo k = create_class(db, "P3");
    for (int i = 0; i < 3; ++i) {
      Student st;
      st.class_id = k.id;
      st.display_name = std::string(1, static_cast<char>('A' + i)) + "na";
      st.card = i + 1;
      add_student(db, st);
    }
    s = start_live_session(db, "P3", "", kT0);
  }
  void key(char k, TimeMs at) { apply_input(s, *input_for_key(k), at); }
};
}  // namespace

TEST(LiveQuickQuestions, ALessonWithoutASetAsksUnpreparedQuestions) {
  QuickLesson l;
  EXPECT_TRUE(l.s.quick_only);
  EXPECT_EQ(l.s.state.count, 0);
  l.key(' ', kT0 + 1000);  // Space with nothing asked: a quick question
  EXPECT_EQ(l.s.state.position, 1);
  EXPECT_EQ(l.s.state.choices.size(), 4u);
  EXPECT_FALSE(l.s.state.correct);
  record_read(l.s, 1, Answer::B, kT0 + 2000);
  record_read(l.s, 2, Answer::C, kT0 + 2100);
  l.key('\r', kT0 + 3000);
  EXPECT_NE(l.s.state.status.find("press 1-4"), std::string::npos) << l.s.state.status;
  l.key('2', kT0 + 3500);  // the right answer is B
  EXPECT_EQ(l.s.state.correct, Answer::B);
  l.key('n', kT0 + 4000);  // N past the last: another quick question, never keyed
  EXPECT_EQ(l.s.state.position, 2);
  record_read(l.s, 3, Answer::A, kT0 + 4500);
  // A late read of the revealed question is not taken.
  end_live_session(l.s, kT0 + 9000);

  const SessionData d = load_session_data(l.db, l.s.collector->session_id());
  ASSERT_EQ(d.asks.size(), 2u);
  ASSERT_EQ(d.set.questions.size(), 2u);
  EXPECT_EQ(d.set.questions[0].text, "Quick question 1");
  EXPECT_EQ(d.set.questions[0].correct, Answer::B);
  EXPECT_FALSE(d.set.questions[1].correct);
  EXPECT_EQ(d.responses.size(), 3u);
  EXPECT_EQ(d.set.name.rfind("Quick questions, P3, ", 0), 0u) << d.set.name;
}

TEST(LiveQuickQuestions, AKeyAddsOneToALessonWithASetWhichStaysAsItWas) {
  Lesson l;
  l.key('n', kT0 + 1000);
  l.key('k', kT0 + 2000);  // asked aloud, between the prepared questions
  EXPECT_EQ(l.s.state.position, 3);
  EXPECT_EQ(l.s.state.count, 3);
  record_read(l.s, 1, Answer::D, kT0 + 2500);
  l.key('4', kT0 + 2600);  // the key may be chosen while it is open too
  l.key('\r', kT0 + 3000);
  l.key('p', kT0 + 3100);  // back to the prepared question 2
  EXPECT_EQ(l.s.state.position, 2);
  l.key('3', kT0 + 3200);  // not a quick question: its key stays
  EXPECT_NE(l.s.state.status.find("only for a quick question"), std::string::npos);
  end_live_session(l.s, kT0 + 9000);
  // The prepared set did not change; the session shows the quick question as Q3.
  EXPECT_EQ(find_question_set(l.db, "unit 3")->questions.size(), 2u);
  const SessionData d = load_session_data(l.db, l.s.collector->session_id());
  ASSERT_EQ(d.set.questions.size(), 3u);
  EXPECT_EQ(d.set.questions[2].position, 3);
  EXPECT_EQ(d.set.questions[2].correct, Answer::D);
  ASSERT_EQ(d.asks.size(), 3u);
  const Response* r = nullptr;
  for (const auto& x : d.responses)
    if (x.ask_id == d.asks[1].id) r = &x;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->answer, Answer::D);
}

TEST(LiveQuickQuestions, DShowsDiscussionGroupsForTheCurrentQuestion) {
  Lesson l;
  l.key('d', kT0 + 500);  // nothing asked yet
  EXPECT_NE(l.s.state.status.find("no question is open"), std::string::npos) << l.s.state.status;
  l.key('n', kT0 + 1000);
  l.key('d', kT0 + 1100);  // nobody answered: no right answer to discuss from
  EXPECT_FALSE(l.s.state.show_groups);
  EXPECT_NE(l.s.state.status.find("nobody answered ask 1 right"), std::string::npos) << l.s.state.status;
  record_read(l.s, 1, Answer::B, kT0 + 1500);  // right
  record_read(l.s, 2, Answer::C, kT0 + 1600);
  record_read(l.s, 3, Answer::A, kT0 + 1700);
  l.key('d', kT0 + 2000);
  ASSERT_TRUE(l.s.state.show_groups) << l.s.state.status;
  EXPECT_NE(l.s.state.groups_title.find("Discuss"), std::string::npos) << l.s.state.groups_title;
  ASSERT_EQ(l.s.state.groups.size(), 1u);
  EXPECT_EQ(l.s.state.groups[0].members.size(), 3u);
}
