// What the live windows SAY for a given state (no pixels): privacy before reveal, counts,
// percentages, the right answer's mark, surveys, hidden names, teacher labels.
#include <gtest/gtest.h>

#include <numeric>

#include "display/layout.h"
#include "display/view_model.h"

using namespace cardpoll;
using namespace cardpoll::display;

namespace {

LiveState sample(int students = 4) {
  LiveState s;
  s.class_name = "Period 3";
  s.set_name = "Fractions";
  s.position = 2;
  s.count = 3;
  s.question_text = "Which is equal to 2/4?";
  s.choices = {"1/2", "3/4", "2/8", "4/2"};
  s.correct = Answer::A;
  s.scanning = true;
  const char* names[] = {"Ana", "Ben", "Cai", "Dee", "Eve", "Fay"};
  for (int i = 0; i < students; ++i) {
    RosterEntry e;
    e.card = i + 1;
    e.name = names[i % 6];
    e.full_name = e.name + " Smith";
    s.roster.push_back(e);
  }
  return s;
}

}  // namespace

TEST(ViewModel, AnsweredCountAndTilesCarryNoAnswer) {
  LiveState s = sample();
  s.roster[0].answer = Answer::B;
  s.roster[2].answer = Answer::A;
  const ProjectorView v = projector_view(s);
  EXPECT_EQ(v.answered, "2 / 4 answered");
  EXPECT_EQ(v.header, "Question 2 of 3");
  ASSERT_EQ(v.tiles.size(), 4u);
  EXPECT_TRUE(v.tiles[0].answered);
  EXPECT_FALSE(v.tiles[1].answered);
  EXPECT_EQ(v.tiles[0].label, "Ana");
  EXPECT_FALSE(v.show_chart);
  EXPECT_TRUE(v.bars.empty()) << "no tally may reach the projector before the reveal";
  EXPECT_EQ(v.choice_lines[1], "B   3/4");
  EXPECT_EQ(v.status, "Hold up your cards");
}

TEST(ViewModel, HiddenNamesShowCardNumbersEverywhere) {
  LiveState s = sample();
  s.names_hidden = true;
  s.groups = {{"Group 1", "", {"Ana", "Ben"}}};
  const ProjectorView v = projector_view(s);
  for (size_t i = 0; i < v.tiles.size(); ++i) EXPECT_EQ(v.tiles[i].label, std::to_string(i + 1));
  ASSERT_EQ(v.groups.size(), 1u);
  EXPECT_EQ(v.groups[0].members, std::vector<std::string>{"2 students"});
}

TEST(ViewModel, RevealShowsCountsPercentAndMarksTheRightAnswer) {
  LiveState s = sample(6);
  const Answer a[] = {Answer::A, Answer::A, Answer::A, Answer::B, Answer::C};
  for (int i = 0; i < 5; ++i) s.roster[static_cast<size_t>(i)].answer = a[i];
  s.revealed = true;
  const ProjectorView v = projector_view(s);
  ASSERT_TRUE(v.show_chart);
  ASSERT_EQ(v.bars.size(), 4u);
  EXPECT_EQ(v.bars[0].count, 3);
  EXPECT_EQ(v.bars[0].percent, 60);
  EXPECT_EQ(v.bars[0].count_label, "3 (60%)");
  EXPECT_TRUE(v.bars[0].correct);
  EXPECT_FALSE(v.bars[1].correct);
  EXPECT_DOUBLE_EQ(v.bars[0].fraction, 1.0);
  EXPECT_DOUBLE_EQ(v.bars[1].fraction, 1.0 / 3);
  EXPECT_EQ(v.bars[3].count, 0);
  EXPECT_EQ(v.result_note, "\u2713 Right answer: A");
  EXPECT_EQ(v.answered, "5 / 6 answered");
  EXPECT_EQ(v.status, "Revealed");
}

TEST(ViewModel, SurveyHasNoRightAnswer) {
  LiveState s = sample();
  s.correct.reset();
  s.choices = {"Yes", "No"};
  s.roster[0].answer = Answer::B;
  s.revealed = true;
  const ProjectorView v = projector_view(s);
  ASSERT_EQ(v.bars.size(), 2u);
  for (const auto& b : v.bars) EXPECT_FALSE(b.correct);
  EXPECT_EQ(v.result_note, "Survey: no right answer");
  EXPECT_EQ(v.bars[1].percent, 100);
}

TEST(ViewModel, PercentagesAlwaysSumToAHundred) {
  EXPECT_EQ(percentages({1, 1, 1, 0}, 4), (std::array<int, 4>{34, 33, 33, 0}));
  EXPECT_EQ(percentages({0, 0, 0, 0}, 4), (std::array<int, 4>{0, 0, 0, 0}));
  for (int a = 0; a < 7; ++a)
    for (int b = 0; b < 7; ++b)
      for (int c = 0; c < 7; ++c) {
        auto p = percentages({a, b, c, 1}, 4);
        EXPECT_EQ(std::accumulate(p.begin(), p.end(), 0), 100);
        if (a == 0) {
          EXPECT_EQ(p[0], 0) << "a choice nobody took never gets a point";
        }
      }
}

TEST(ViewModel, TimerAndNoQuestionYet) {
  LiveState s = sample();
  s.position = 0;
  s.question_text.clear();
  s.timer_seconds_left = 245;
  ProjectorView v = projector_view(s);
  EXPECT_EQ(v.header, "Fractions");
  EXPECT_EQ(v.timer, "4:05");
  EXPECT_FALSE(v.timer_urgent);
  EXPECT_EQ(v.status, "Show a question card or press N to start");
  s.timer_seconds_left = 9;
  EXPECT_TRUE(projector_view(s).timer_urgent);
  EXPECT_EQ(format_timer(-3), "0:00");
  EXPECT_EQ(format_timer(600), "10:00");
}

TEST(ViewModel, TeacherLabelsCardsAndMarksRightWrongOnlyAfterReveal) {
  LiveState s = sample();
  s.roster[0].answer = Answer::A;
  s.roster[1].answer = Answer::C;
  s.seen = {{1, Answer::A, {}, "Ana"}, {2, Answer::C, {}, "Ben"}, {37, Answer::B, {}, ""}};
  s.unassigned_cards = {37};
  s.warnings = {"Too dark"};
  s.fps = 29.84;
  s.latency_ms = 53.6;
  TeacherView v = teacher_view(s);
  ASSERT_EQ(v.outlines.size(), 3u);
  EXPECT_EQ(v.outlines[0].label, "1 Ana A");
  EXPECT_EQ(v.outlines[0].tone, Tone::Neutral);
  EXPECT_EQ(v.outlines[2].label, "37 ? B");
  EXPECT_EQ(v.outlines[2].tone, Tone::Unassigned);
  EXPECT_EQ(v.unassigned, std::vector<std::string>{"card 37 is not in this class"});
  EXPECT_EQ(v.stats, "29.8 fps  \u00b7  54 ms");
  EXPECT_EQ(v.tally_line, "A 1   B 0   C 1   D 0");
  // Answered first, then who is missing.
  ASSERT_EQ(v.answers.size(), 4u);
  EXPECT_EQ(v.answers[0].name, "Ana Smith");
  EXPECT_EQ(v.answers[1].answer, "C");
  EXPECT_EQ(v.answers[2].answer, "-");
  s.revealed = true;
  v = teacher_view(s);
  EXPECT_EQ(v.outlines[0].tone, Tone::Right);
  EXPECT_EQ(v.outlines[1].tone, Tone::Wrong);
  EXPECT_EQ(v.answers[0].tone, Tone::Right);
  EXPECT_EQ(v.answers[1].tone, Tone::Wrong);
  EXPECT_EQ(v.answers[2].tone, Tone::Neutral);
}

TEST(Layout, ScalesFrom720pTo4KAndKeepsTilesInside) {
  const Layout a = layout_for(1280, 720), b = layout_for(3840, 2160), c = layout_for(1920, 1200);
  EXPECT_FLOAT_EQ(a.scale, 1.0f);
  EXPECT_FLOAT_EQ(b.scale, 3.0f);
  EXPECT_EQ(c.oy, (1200 - 1080) / 2);  // letterboxed, centred
  const Rect area{100, 100, 600, 400};
  for (int n : {1, 7, 25, 60}) {
    const auto tiles = tile_grid(area, n, 8, 64);
    ASSERT_EQ(static_cast<int>(tiles.size()), n);
    for (const auto& t : tiles) {
      EXPECT_GE(t.x, area.x);
      EXPECT_GE(t.y, area.y);
      EXPECT_LE(t.x + t.w, area.x + area.w);
      EXPECT_LE(t.y + t.h, area.y + area.h);
      EXPECT_GT(t.h, 10);
    }
  }
  const auto bars = bar_rects({0, 0, 400, 200}, {1.0, 0.5, 0.0}, 10);
  EXPECT_EQ(bars[0].h, 200);
  EXPECT_EQ(bars[1].h, 100);
  EXPECT_EQ(bars[2].h, 0);
  EXPECT_EQ(bars[1].y + bars[1].h, 200);
}
