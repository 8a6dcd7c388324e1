// Tallies on a hand-made session: per ask and per student, over one or several sessions.
#include <gtest/gtest.h>

#include "core/tally.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

using test::kT0;
using test::sample_session;
using Ids = std::vector<Id>;

TEST(Tally, AskWithAChangedAnswerAndAStudentWhoNeverAnswered) {
  const SessionData s = sample_session();
  const AskTally t = tally_ask(s, 201);
  EXPECT_EQ(t.ask_number, 1);
  EXPECT_EQ(t.question_id, 101);
  ASSERT_NE(t.question, nullptr);
  EXPECT_EQ(t.choices, 4);
  EXPECT_EQ(t.correct, Answer::B);
  EXPECT_EQ(t.counts, (std::array<int, 4>{0, 2, 1, 0}));  // Ben's latest answer B counts, not A
  EXPECT_NEAR(t.percent[1], 200.0 / 3, 1e-9);
  EXPECT_NEAR(t.percent[2], 100.0 / 3, 1e-9);
  EXPECT_EQ(t.answered, (Ids{11, 12, 13}));
  EXPECT_EQ(t.not_answered, Ids{14});
  EXPECT_EQ(t.class_size, 4);
  EXPECT_DOUBLE_EQ(t.percent_answered, 75.0);
  EXPECT_EQ(t.right, 2);
  ASSERT_TRUE(t.percent_right.has_value());
  EXPECT_NEAR(*t.percent_right, 200.0 / 3, 1e-9);  // of those who answered
}

TEST(Tally, TrueFalseAndSurvey) {
  const SessionData s = sample_session();
  const AskTally tf = tally_ask(s, 202);
  EXPECT_EQ(tf.choices, 2);
  EXPECT_EQ(tf.counts, (std::array<int, 4>{2, 1, 0, 0}));
  EXPECT_EQ(tf.right, 2);

  const AskTally survey = tally_ask(s, 203);
  EXPECT_FALSE(survey.correct.has_value());
  EXPECT_FALSE(survey.right.has_value());
  EXPECT_FALSE(survey.percent_right.has_value());
  EXPECT_EQ(survey.counts, (std::array<int, 4>{1, 1, 1, 0}));
  EXPECT_EQ(survey.not_answered, Ids{13});
}

TEST(Tally, AllAsksInOrderAndNobodyAnswered) {
  SessionData s = sample_session();
  std::reverse(s.asks.begin(), s.asks.end());
  const auto all = tally_asks(s);
  ASSERT_EQ(all.size(), 5u);
  for (int k = 0; k < 5; ++k) EXPECT_EQ(all[static_cast<size_t>(k)].ask_number, k + 1);
  EXPECT_NEAR(*all[3].percent_right, 100.0, 1e-9);
  EXPECT_NEAR(*all[4].percent_right, 50.0, 1e-9);
  EXPECT_EQ(all[4].not_answered, (Ids{13, 14}));

  s.responses.clear();
  const AskTally none = tally_ask(s, 201);
  EXPECT_EQ(none.right, 0);
  EXPECT_FALSE(none.percent_right.has_value());  // no one answered: no percent, not 0%
  EXPECT_EQ(none.percent, (std::array<double, 4>{0, 0, 0, 0}));
  EXPECT_THROW(tally_ask(s, 999), std::out_of_range);
}

TEST(Tally, StudentScoresOverASession) {
  const SessionData s = sample_session();
  const auto scores = student_scores(s);
  ASSERT_EQ(scores.size(), 4u);
  // {id, asks, answered, scored, right, percent}
  struct Want { Id id; int asks, answered, scored, right; std::optional<double> pct; };
  const Want want[] = {{11, 5, 5, 4, 4, 100.0}, {12, 5, 5, 4, 2, 50.0}, {13, 5, 3, 4, 2, 50.0}, {14, 5, 1, 4, 0, 0.0}};
  for (size_t k = 0; k < 4; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(scores[k].student_id, want[k].id);
    EXPECT_EQ(scores[k].asks, want[k].asks);
    EXPECT_EQ(scores[k].answered, want[k].answered);
    EXPECT_EQ(scores[k].scored, want[k].scored);
    EXPECT_EQ(scores[k].right, want[k].right);
    EXPECT_EQ(scores[k].percent, want[k].pct);
    ASSERT_NE(scores[k].student, nullptr);
    EXPECT_EQ(scores[k].student->id, want[k].id);
  }
}

TEST(Tally, StudentScoresOverADateRange) {
  const SessionData s = sample_session();
  const TimeRange late{kT0 + 15 * 60 * 1000, std::nullopt};
  const auto scores = student_scores(std::span<const SessionData>(&s, 1), late);  // asks 4 and 5
  EXPECT_EQ(scores[0].scored, 2);
  EXPECT_EQ(scores[0].right, 2);
  EXPECT_EQ(scores[1].right, 1);
  EXPECT_EQ(scores[3].answered, 0);
  const TimeRange none{kT0 + 100 * 60 * 1000, std::nullopt};
  const auto empty = student_scores(std::span<const SessionData>(&s, 1), none);
  EXPECT_EQ(empty[0].scored, 0);
  EXPECT_FALSE(empty[0].percent.has_value());
  EXPECT_TRUE((TimeRange{10, 20}.contains(10)));
  EXPECT_FALSE((TimeRange{10, 20}.contains(20)));
}

TEST(Tally, StudentScoresOverSeveralSessions) {
  std::vector<SessionData> sessions = {sample_session(), sample_session()};
  SessionData& second = sessions[1];
  second.session.id = 8;
  second.session.started_at = kT0 + 86400000;
  // A new student joins for the second session.
  second.students.push_back(test::make_student(15, 5, "Dev Patel"));
  for (auto& a : second.asks) a.opened_at += 86400000;
  test::answer(second, 201, 15, {{Answer::B, 1000}});
  const auto scores = student_scores(sessions);
  ASSERT_EQ(scores.size(), 5u);
  EXPECT_EQ(scores[0].scored, 8);
  EXPECT_EQ(scores[0].right, 8);
  EXPECT_EQ(scores[4].student_id, 15);
  EXPECT_EQ(scores[4].asks, 5);   // asked only in the session they were on the roster for
  EXPECT_EQ(scores[4].scored, 4);
  EXPECT_EQ(scores[4].right, 1);
  EXPECT_NEAR(*scores[4].percent, 25.0, 1e-9);
}

TEST(Tally, Lookups) {
  const SessionData s = sample_session();
  EXPECT_EQ(question_of(s, s.asks[3])->id, 101);
  Ask ghost;
  ghost.question_id = 555;
  EXPECT_EQ(question_of(s, ghost), nullptr);
  ASSERT_NE(response_of(s, 201, 12), nullptr);
  EXPECT_EQ(response_of(s, 201, 12)->answer, Answer::B);
  EXPECT_EQ(response_of(s, 201, 14), nullptr);
}

}  // namespace
}  // namespace cardpoll
