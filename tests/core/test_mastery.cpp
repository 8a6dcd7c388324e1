// Mastery: the Beta-posterior rule on hand-made evidence, the thresholds, and the per-student
// per-skill table the grouping code uses.
#include <gtest/gtest.h>

#include <cmath>

#include "core/mastery.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

using test::kT0;
using test::sample_session;

SkillEvidence item(int ask_number, bool right, TimeMs at) {
  SkillEvidence e;
  e.session_id = 7;
  e.ask_id = 200 + ask_number;
  e.ask_number = ask_number;
  e.question_id = 100 + ask_number;
  e.right = right;
  e.answer = right ? Answer::B : Answer::C;
  e.correct = Answer::B;
  e.at = at;
  return e;
}

TEST(Beta, CdfAndQuantileAgreeWithClosedForms) {
  for (double p : {0.01, 0.1, 0.5, 0.9, 0.99}) {
    EXPECT_NEAR(beta_quantile(1, 1, p), p, 1e-9);
    EXPECT_NEAR(beta_quantile(3.7, 1, p), std::pow(p, 1 / 3.7), 1e-9);     // I_x(a,1) = x^a
    EXPECT_NEAR(beta_quantile(1, 2.5, p), 1 - std::pow(1 - p, 1 / 2.5), 1e-9);
  }
  EXPECT_NEAR(beta_quantile(2, 2, 0.5), 0.5, 1e-9);
  EXPECT_NEAR(beta_quantile(5, 3, 0.2) + beta_quantile(3, 5, 0.8), 1.0, 1e-9);  // symmetry
  EXPECT_NEAR(beta_cdf(0.5, 2, 2), 0.5, 1e-12);
  EXPECT_NEAR(beta_cdf(0.3, 2, 3), 0.3483, 1e-4);  // tabulated
  EXPECT_EQ(beta_cdf(0, 2, 3), 0);
  EXPECT_EQ(beta_cdf(1, 2, 3), 1);
  EXPECT_THROW(beta_quantile(1, 1, 0), std::invalid_argument);
  EXPECT_THROW(beta_cdf(0.5, 0, 1), std::invalid_argument);
}

TEST(MasteryRuleLevels, NoEvidenceIsUnknown) {
  const auto m = mastery_from_evidence(1, "s", {});
  EXPECT_EQ(m.level, MasteryLevel::Unknown);
  EXPECT_DOUBLE_EQ(m.estimate, 0.5);
  EXPECT_EQ(m.evidence, 0);
}

TEST(MasteryRuleLevels, OneOrTwoRightAreNotMasteryThreeAre) {
  const auto one = mastery_from_evidence(1, "s", {item(1, true, 10)});
  EXPECT_EQ(one.level, MasteryLevel::Approaching);
  EXPECT_NEAR(one.estimate, 2.0 / 3, 1e-12);
  EXPECT_NEAR(one.lower, std::sqrt(0.1), 1e-9);
  const auto two = mastery_from_evidence(1, "s", {item(1, true, 10), item(2, true, 20)});
  EXPECT_EQ(two.level, MasteryLevel::Approaching);
  EXPECT_NEAR(two.estimate, 2.9 / 3.9, 1e-12);
  const auto three = mastery_from_evidence(1, "s", {item(1, true, 10), item(2, true, 20), item(3, true, 30)});
  EXPECT_EQ(three.level, MasteryLevel::Mastered);
  EXPECT_NEAR(three.estimate, 3.71 / 4.71, 1e-12);
  EXPECT_NEAR(three.lower, std::pow(0.1, 1 / 3.71), 1e-9);
  EXPECT_GE(three.lower, 0.5);
}

TEST(MasteryRuleLevels, WrongAnswersAndRecency) {
  const auto wrong = mastery_from_evidence(1, "s", {item(1, false, 10)});
  EXPECT_EQ(wrong.level, MasteryLevel::NotYet);
  EXPECT_NEAR(wrong.estimate, 1.0 / 3, 1e-12);
  ASSERT_EQ(wrong.missed.size(), 1u);
  EXPECT_EQ(wrong.missed[0].ask_number, 1);

  // Wrong then right (after a small-group lesson): the newer right answer weighs more.
  const auto improved = mastery_from_evidence(1, "s", {item(2, true, 20), item(1, false, 10)});
  EXPECT_NEAR(improved.estimate, 2.0 / 3.9, 1e-12);
  EXPECT_EQ(improved.level, MasteryLevel::Approaching);
  ASSERT_EQ(improved.items.size(), 2u);
  EXPECT_EQ(improved.items[0].ask_number, 1);  // oldest first
  EXPECT_DOUBLE_EQ(improved.items[0].weight, 0.9);
  EXPECT_DOUBLE_EQ(improved.items[1].weight, 1.0);
  // Right then wrong: the same counts, the other way, falls below one half.
  const auto slipped = mastery_from_evidence(1, "s", {item(1, true, 10), item(2, false, 20)});
  EXPECT_NEAR(slipped.estimate, 1.9 / 3.9, 1e-12);
  EXPECT_EQ(slipped.level, MasteryLevel::NotYet);
  EXPECT_EQ(slipped.right, 1);
  EXPECT_EQ(slipped.evidence, 2);
}

TEST(MasteryRuleLevels, RuleIsAdjustable) {
  MasteryRule no_decay;
  no_decay.decay = 1.0;
  const auto m = mastery_from_evidence(1, "s", {item(1, true, 10), item(2, false, 20)}, no_decay);
  EXPECT_NEAR(m.estimate, 0.5, 1e-12);
  EXPECT_EQ(m.level, MasteryLevel::Approaching);
}

TEST(MasteryTable, PerStudentPerSkillOnTheSampleSession) {
  const SessionData s = sample_session();
  const MasteryTable t = compute_mastery(s);
  EXPECT_EQ(t.students, (std::vector<Id>{11, 12, 13, 14}));
  // "reflection" is only on a survey: never evidence, not a column.
  EXPECT_EQ(t.skills, (std::vector<std::string>{"fractions.compare", "fractions.equivalent"}));
  ASSERT_EQ(t.cells.size(), 8u);

  const auto& ana_eq = t.at(11, "fractions.equivalent");  // asks 1, 4, 5 all right
  EXPECT_EQ(ana_eq.level, MasteryLevel::Mastered);
  EXPECT_EQ(ana_eq.evidence, 3);
  EXPECT_TRUE(ana_eq.missed.empty());

  const auto& ben_eq = t.at(12, "fractions.equivalent");  // right, right, then wrong on ask 5
  EXPECT_EQ(ben_eq.level, MasteryLevel::Approaching);
  EXPECT_NEAR(ben_eq.estimate, 2.71 / 4.71, 1e-12);
  ASSERT_EQ(ben_eq.missed.size(), 1u);
  EXPECT_EQ(ben_eq.missed[0].ask_number, 5);
  EXPECT_EQ(ben_eq.missed[0].question_id, 104);
  EXPECT_EQ(ben_eq.missed[0].question_position, 4);
  EXPECT_EQ(ben_eq.missed[0].answer, Answer::A);
  EXPECT_EQ(ben_eq.missed[0].correct, Answer::C);

  const auto& ben_cmp = t.at(12, "fractions.compare");  // wrong on asks 2 and 5
  EXPECT_EQ(ben_cmp.level, MasteryLevel::NotYet);
  EXPECT_EQ(ben_cmp.missed.size(), 2u);

  const auto& script_eq = t.at(13, "fractions.equivalent");  // wrong on ask 1, right on the re-ask
  EXPECT_EQ(script_eq.level, MasteryLevel::Approaching);
  EXPECT_EQ(script_eq.evidence, 2);  // ask 5 unanswered: no evidence, not wrong
  EXPECT_EQ(script_eq.missed.size(), 1u);

  const auto& formula = t.at(14, "fractions.equivalent");  // answered only the survey
  EXPECT_EQ(formula.level, MasteryLevel::Unknown);

  EXPECT_EQ(t.at(11, "fractions.compare").level, MasteryLevel::Approaching);  // two right
  EXPECT_EQ(t.find(99, "fractions.compare"), nullptr);
  EXPECT_EQ(t.find(11, "reflection"), nullptr);
  EXPECT_THROW(t.at(11, "nope"), std::out_of_range);
  ASSERT_EQ(t.row(12).size(), 2u);
  EXPECT_EQ(t.row(12)[0].skill, "fractions.compare");
  EXPECT_TRUE(t.row(99).empty());
  EXPECT_EQ(t.student_info[2]->display_name, s.students[2].display_name);
}

TEST(MasteryTable, EvidenceAcrossSessionsOrderedByTime) {
  std::vector<SessionData> sessions = {sample_session(), sample_session()};
  SessionData& next = sessions[1];
  next.session.id = 8;
  for (auto& a : next.asks) a.opened_at += 7 * 86400000LL;
  // A week later Ben gets every compare question right.
  for (auto& r : next.responses)
    if (r.student_id == 12 && (r.ask_id == 202 || r.ask_id == 205)) r.answer = r.ask_id == 202 ? Answer::A : Answer::C;
  // Pass the newer session first: the time each ask was opened, not the order of the input,
  // decides recency.
  std::swap(sessions[0], sessions[1]);
  const MasteryTable t = compute_mastery(sessions);
  const auto& ben_cmp = t.at(12, "fractions.compare");
  EXPECT_EQ(ben_cmp.evidence, 4);
  EXPECT_EQ(ben_cmp.right, 2);
  ASSERT_EQ(ben_cmp.items.size(), 4u);
  EXPECT_FALSE(ben_cmp.items[0].right);  // oldest: last week's wrong answers
  EXPECT_TRUE(ben_cmp.items[3].right);
  EXPECT_EQ(ben_cmp.items[3].session_id, 8);
  // Weighted: right 1 + 0.9, wrong 0.81 + 0.729.
  EXPECT_NEAR(ben_cmp.estimate, (1 + 1.9) / (2 + 1.9 + 1.539), 1e-12);
  EXPECT_EQ(ben_cmp.level, MasteryLevel::Approaching);
}

TEST(MasteryTable, LevelNames) {
  EXPECT_EQ(mastery_level_name(MasteryLevel::NotYet), "not_yet");
  EXPECT_EQ(mastery_level_name(MasteryLevel::Mastered), "mastered");
  EXPECT_EQ(mastery_level_label(MasteryLevel::Unknown), "no evidence");
}

}  // namespace
}  // namespace cardpoll
