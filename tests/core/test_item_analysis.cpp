// Item analysis against figures computed by hand (the arithmetic is in the comments).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/exchange/item_analysis.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {


SessionData quiz(const std::vector<std::optional<Answer>>& keys, const std::vector<std::string>& answers) {
  return test::quiz_session(keys, answers);
}

TEST(ItemAnalysis, FiguresMatchHandComputedOnes) {
  // Keys A, B, C. Totals: S1 3, S2 2, S3 2, S4 1, S5 1, S6 0.
  const SessionData s = quiz({Answer::A, Answer::B, Answer::C}, {"ABC", "ABD", "ACC", "BBD", "ACD", "BCD"});
  const SessionItemAnalysis a = analyse_items(s);
  EXPECT_EQ(a.students, 6);
  EXPECT_EQ(a.split, "top and bottom halves");
  EXPECT_EQ(a.group_size, 3);  // low: S6, S4, S5 (ties by card); high: S1, S3, S2
  ASSERT_EQ(a.items.size(), 3u);

  // Q1: right x = 1,1,1,0,1,0; rest of the quiz y = 2,1,1,1,0,0.
  // sxy = 2/3, sxx = 4/3, syy = 17/6  ->  r = (2/3) / sqrt(68/18) = 2 / sqrt(34) = 0.342997.
  const ItemAnalysis& q1 = a.items[0];
  EXPECT_EQ(q1.answered, 6);
  EXPECT_EQ(q1.right, 4);
  EXPECT_NEAR(*q1.share_right, 4.0 / 6, 1e-12);
  EXPECT_NEAR(*q1.discrimination, 2 / std::sqrt(34.0), 1e-12);
  // Low scorers answered B, B, A; high scorers A, A, A.
  EXPECT_NEAR(*q1.choices[0].low, 1.0 / 3, 1e-12);
  EXPECT_NEAR(*q1.choices[0].high, 1.0, 1e-12);
  EXPECT_NEAR(*q1.choices[1].low, 2.0 / 3, 1e-12);
  EXPECT_NEAR(*q1.choices[1].high, 0.0, 1e-12);
  EXPECT_NEAR(*q1.difference, 2.0 / 3, 1e-12);
  EXPECT_TRUE(q1.choices[0].keyed);
  EXPECT_EQ(q1.choices[2].chosen, 0);
  // C and D drew nobody of the six.
  ASSERT_EQ(q1.flags.size(), 2u);
  EXPECT_NE(q1.flags[0].find("no one chose C"), std::string::npos);
  EXPECT_NE(q1.flags[1].find("no one chose D"), std::string::npos);

  // Q2: x = 1,1,0,1,0,0; y = 2,1,2,0,1,0: deviations cancel, sxy = 0 -> r = 0.
  EXPECT_NEAR(*a.items[1].discrimination, 0.0, 1e-12);
  // Q3: x = 1,0,1,0,0,0; y = 2,2,1,1,1,0: sxy = 2/3, sxx = 4/3, syy = 17/6 -> 2 / sqrt(34).
  EXPECT_NEAR(*a.items[2].discrimination, 2 / std::sqrt(34.0), 1e-12);
  EXPECT_NEAR(*a.items[2].choices[3].low, 1.0, 1e-12);   // every low scorer chose D
  EXPECT_NEAR(*a.items[2].choices[2].high, 2.0 / 3, 1e-12);
}

TEST(ItemAnalysis, AMiskeyedQuestionIsFlagged) {
  // Q2 keyed A, but the three who did best elsewhere all chose B.
  const SessionData s = quiz({Answer::A, Answer::A, Answer::C}, {"ABC", "ABC", "ABC", "BAD", "BAD", "BAD"});
  const SessionItemAnalysis a = analyse_items(s);
  const ItemAnalysis& q2 = a.items[1];
  EXPECT_NEAR(*q2.discrimination, -1.0, 1e-12);  // x = 0,0,0,1,1,1 against y = 2,2,2,0,0,0
  bool key = false, negative = false;
  for (const auto& f : q2.flags) {
    key = key || f.find("high scorers chose B more often than the keyed answer A: check the key") != std::string::npos;
    negative = negative || f.find("discrimination -1.00") != std::string::npos;
  }
  EXPECT_TRUE(key);
  EXPECT_TRUE(negative);
}

TEST(ItemAnalysis, SurveysAndMissingAnswersAreNotScored) {
  // Q2 a survey; S6 answered nothing, S5 only the survey: neither is a scored student.
  SessionData s = quiz({Answer::A, std::nullopt}, {"AA", "AB", "BB", "BA", "-C", "--"});
  const SessionItemAnalysis a = analyse_items(s);
  EXPECT_EQ(a.students, 4);
  EXPECT_EQ(a.group_size, 2);
  EXPECT_FALSE(a.items[1].scored);
  EXPECT_FALSE(a.items[1].share_right);
  EXPECT_FALSE(a.items[1].discrimination);
  EXPECT_TRUE(a.items[1].flags.empty());
  EXPECT_EQ(a.items[1].answered, 5);
  // Q1 alone: the rest of the quiz is empty for everyone, so no correlation can be computed.
  EXPECT_FALSE(a.items[0].discrimination);
  EXPECT_NEAR(*a.items[0].share_right, 0.5, 1e-12);
}

TEST(ItemAnalysis, LargeClassesUseTheTwentySevenPercentGroups) {
  std::vector<std::string> answers;
  for (int i = 0; i < 30; ++i) answers.push_back(i < 15 ? "AA" : "BA");
  const SessionItemAnalysis a = analyse_items(quiz({Answer::A, Answer::A}, answers));
  EXPECT_EQ(a.split, "top and bottom 27%");
  EXPECT_EQ(a.group_size, 8);  // round(0.27 x 30) = 8
}

TEST(ItemAnalysis, JsonCarriesEveryFigure) {
  const SessionData s = quiz({Answer::A, Answer::B, Answer::C}, {"ABC", "ABD", "ACC", "BBD", "ACD", "BCD"});
  const auto j = nlohmann::json::parse(item_analysis_json(analyse_items(s)));
  EXPECT_EQ(j["split"], "top and bottom halves");
  EXPECT_EQ(j["items"].size(), 3u);
  EXPECT_NEAR(j["items"][0]["discrimination"].get<double>(), 2 / std::sqrt(34.0), 1e-9);
  EXPECT_EQ(j["items"][0]["choices"][1]["choice"], "B");
  EXPECT_NEAR(j["items"][0]["choices"][1]["low"].get<double>(), 2.0 / 3, 1e-9);
}

TEST(Pearson, ConstantSeriesHaveNoCorrelation) {
  EXPECT_FALSE(pearson({1, 1, 1}, {0, 1, 2}));
  EXPECT_FALSE(pearson({1}, {2}));
  EXPECT_NEAR(*pearson({1, 2, 3}, {2, 4, 6}), 1.0, 1e-12);
}

}  // namespace
}  // namespace cardpoll
