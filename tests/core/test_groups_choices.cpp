// Grouping quizzes without skill tags, in every mode: properties over generated classes
// (every mode partitions the present class, a perfect scorer is never in a reteach group,
// discussion groups hold a right answer and different choices), and hand-made cases.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "core/groups/groups_choices.h"
#include "core/groups/groups_input.h"
#include "core/tally.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

using test::quiz_session;

// A generated quiz: n students, q scored questions (no skills), a few absent, a few who skip
// an ask, and some perfect scorers.
SessionData generated_quiz(uint32_t seed) {
  std::mt19937 rng(seed);
  const int n = 5 + static_cast<int>(rng() % 26), q = 2 + static_cast<int>(rng() % 5);
  std::vector<std::optional<Answer>> keys;
  for (int k = 0; k < q; ++k) keys.push_back(static_cast<Answer>(rng() % 4));
  std::vector<std::string> answers;
  for (int i = 0; i < n; ++i) {
    std::string row;
    const int kind = static_cast<int>(rng() % 10);  // 0: absent, 1-2: perfect, else random
    for (int k = 0; k < q; ++k) {
      if (kind == 0) row += '-';
      else if (kind <= 2) row += answer_letter(*keys[static_cast<size_t>(k)]);
      else if (rng() % 12 == 0) row += '-';
      else row += (rng() % 2) ? answer_letter(*keys[static_cast<size_t>(k)]) : answer_letter(static_cast<Answer>(rng() % 4));
    }
    answers.push_back(row);
  }
  return quiz_session(keys, answers);
}

std::set<Id> present_of(const SessionData& s) {
  std::set<Id> p;
  for (const auto& r : s.responses) p.insert(r.student_id);
  return p;
}

// No wrong answer on any ask they answered.
std::set<Id> perfect_of(const SessionData& s) {
  std::set<Id> out = present_of(s);
  for (const auto& r : s.responses)
    for (const auto& a : s.asks)
      if (a.id == r.ask_id) {
        const Question* q = question_of(s, a);
        if (q && q->correct && r.answer != *q->correct) out.erase(r.student_id);
      }
  return out;
}

void expect_partition(const SessionData& s, const Grouping& g, const std::string& what) {
  std::map<Id, int> seen;
  for (const auto& grp : g.groups)
    for (const auto& m : grp.members) ++seen[m.student];
  const std::set<Id> present = present_of(s);
  for (Id id : present) EXPECT_EQ(seen[id], 1) << what << ": student " << id << " placed " << seen[id] << " times";
  for (auto& [id, times] : seen) EXPECT_TRUE(present.count(id)) << what << ": absent student " << id << " placed";
  EXPECT_EQ(g.absent.size(), s.students.size() - present.size()) << what;
}

Grouping needs_or_mixed(const SessionData& s, GroupMode mode, GroupFocus focus) {
  GroupingRequest req;
  req.mode = mode;
  req.focus = focus;
  const std::vector<SessionData> v{s};
  const GroupingInput in = grouping_input(v, req);
  return suggest_groups(in);
}

TEST(GroupsAnyQuiz, EveryModePartitionsThePresentClass) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    const SessionData s = generated_quiz(seed);
    const std::string tag = "seed " + std::to_string(seed);
    for (GroupFocus f : {GroupFocus::Skills, GroupFocus::Questions, GroupFocus::Quiz}) {
      expect_partition(s, needs_or_mixed(s, GroupMode::Needs, f), tag + " needs");
      expect_partition(s, needs_or_mixed(s, GroupMode::Mixed, f), tag + " mixed");
    }
    expect_partition(s, suggest_choice_groups(std::span(&s, 1), {GroupMode::Misconception, 2, 4, {}}), tag + " misconception");
    try {
      expect_partition(s, suggest_choice_groups(std::span(&s, 1), {GroupMode::Discuss, 2, 3, {}}), tag + " discuss");
    } catch (const GroupingError& e) {
      // Only when no question had both right and wrong answers.
      EXPECT_NE(std::string(e.what()).find("nothing to discuss"), std::string::npos) << tag << ": " << e.what();
    }
  }
}

TEST(GroupsAnyQuiz, APerfectScorerIsNeverInAReteachGroup) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    const SessionData s = generated_quiz(seed);
    const std::set<Id> perfect = perfect_of(s);
    for (GroupFocus f : {GroupFocus::Skills, GroupFocus::Quiz}) {
      const Grouping g = needs_or_mixed(s, GroupMode::Needs, f);
      for (const auto& grp : g.groups)
        for (const auto& m : grp.members)
          if (perfect.count(m.student)) {
            EXPECT_EQ(grp.focus, "extension") << "seed " << seed << ": " << m.name << " in " << grp.name << " (" << grp.focus << ")";
          }
    }
    const Grouping mis = suggest_choice_groups(std::span(&s, 1), {GroupMode::Misconception, 2, 4, {}});
    for (const auto& grp : mis.groups)
      for (const auto& m : grp.members)
        if (perfect.count(m.student)) {
          EXPECT_EQ(grp.focus, "extension") << "seed " << seed;
        }
  }
}

TEST(GroupsAnyQuiz, DiscussionGroupsHoldARightAnswerAndDifferentChoices) {
  int checked = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    const SessionData s = generated_quiz(seed);
    Grouping g;
    try {
      g = suggest_choice_groups(std::span(&s, 1), {GroupMode::Discuss, 2, 3, {}});
    } catch (const GroupingError&) {
      continue;
    }
    ++checked;
    const Ask* ask = nullptr;
    for (const auto& a : s.asks)
      if (g.groups[0].focus == "discuss Q" + std::to_string(question_of(s, a)->position)) ask = &a;
    ASSERT_TRUE(ask) << g.groups[0].focus;
    const Question* q = question_of(s, *ask);
    std::set<int> class_choices;
    for (const auto& r : s.responses)
      if (r.ask_id == ask->id) class_choices.insert(static_cast<int>(r.answer));
    for (const auto& grp : g.groups) {
      int right = 0;
      std::set<int> chose;
      for (const auto& m : grp.members)
        if (const Response* r = response_of(s, ask->id, m.student)) {
          chose.insert(static_cast<int>(r->answer));
          right += r->answer == *q->correct;
        }
      EXPECT_GE(right, 1) << "seed " << seed << " " << grp.name;
      if (class_choices.size() > 1 && grp.members.size() > 1 && g.unsatisfied.empty()) {
        EXPECT_GE(chose.size(), 2u) << "seed " << seed << " " << grp.name;
      }
    }
  }
  EXPECT_GT(checked, 30);
}

TEST(GroupsAnyQuiz, AQuizWithoutSkillsGroupsByQuestion) {
  // Keys A, B. S1-S3 miss Q2 (chose C), S4-S5 right everywhere, S6 misses Q1.
  const SessionData s = quiz_session({Answer::A, Answer::B}, {"AC", "AC", "AC", "AB", "AB", "BB"});
  const Grouping g = needs_or_mixed(s, GroupMode::Needs, GroupFocus::Skills);
  std::map<std::string, std::string> focus_of;
  for (const auto& grp : g.groups)
    for (const auto& m : grp.members) focus_of[m.name] = grp.focus;
  EXPECT_EQ(focus_of["S1"], "Q2 Q2");  // "Q<position> <text>": the text here is "Q2"
  EXPECT_EQ(focus_of["S4"], "extension");
  EXPECT_EQ(focus_of["S5"], "extension");
  // Two right answers out of two is no gap: S4 and S5 are not reteach material.
  EXPECT_EQ(grouping_level(2, 2, false), SkillLevel::Mastered);
  EXPECT_EQ(grouping_level(1, 1, false), SkillLevel::Mastered);
  EXPECT_EQ(grouping_level(2, 1, false), SkillLevel::Approaching);
  EXPECT_EQ(grouping_level(3, 1, false), SkillLevel::NotYet);
  EXPECT_EQ(grouping_level(0, 0, false), SkillLevel::Unknown);
  // The whole quiz as one focus.
  const Grouping w = needs_or_mixed(s, GroupMode::Needs, GroupFocus::Quiz);
  for (const auto& grp : w.groups) EXPECT_TRUE(grp.focus == "the whole quiz" || grp.focus == "extension") << grp.focus;
}

TEST(GroupsMisconception, TheWrongChoiceIsTheFocus) {
  SessionData s = quiz_session({Answer::C, Answer::A}, {"BA", "BA", "BA", "CA", "CA", "DB", "DB", "CA"});
  s.set.questions[0].text = "1/2 x 1/4 = ?";
  s.set.questions[0].choices = {"2/6", "2/8", "1/8", "1/6"};
  const Grouping g = suggest_choice_groups(std::span(&s, 1), {GroupMode::Misconception, 2, 4, {}});
  ASSERT_GE(g.groups.size(), 3u);
  EXPECT_EQ(g.groups[0].focus, "Q1 chose B: 2/8");
  EXPECT_EQ(g.groups[0].members.size(), 3u);
  EXPECT_EQ(g.groups[0].reason,
            "All three chose B (2/8) on Q1 \"1/2 x 1/4 = ?\": find what makes it look right, then C (1/8).");
  // S6 and S7 chose D on Q1 and B on Q2: one group, on Q1's D (shared by both, asked first).
  EXPECT_EQ(g.groups[1].focus, "Q1 chose D: 1/6");
  EXPECT_EQ(g.groups[1].members.size(), 2u);
  EXPECT_EQ(g.groups.back().focus, "extension");
  EXPECT_EQ(g.groups.back().members.size(), 3u);
  EXPECT_EQ(g.mode, GroupMode::Misconception);
}

TEST(GroupsDiscuss, BadCasesAreRefusedInWords) {
  const SessionData s = quiz_session({Answer::A, std::nullopt}, {"BA", "CB", "DA"});
  auto message = [&](std::optional<int> ask) {
    try {
      suggest_choice_groups(std::span(&s, 1), {GroupMode::Discuss, 2, 3, ask});
    } catch (const GroupingError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(message(1).find("nobody answered ask 1 right"), std::string::npos) << message(1);
  EXPECT_NE(message(2).find("is a survey"), std::string::npos) << message(2);
  EXPECT_NE(message(9).find("has no ask 9"), std::string::npos) << message(9);
  EXPECT_NE(message(std::nullopt).find("nothing to discuss"), std::string::npos);
  EXPECT_THROW(suggest_choice_groups(std::span(&s, 1), {GroupMode::Needs, 2, 3, {}}), GroupingError);
}

}  // namespace
}  // namespace cardpoll
