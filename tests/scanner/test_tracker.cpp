// The tracker's rules (scanner/tracker.h): stability, changes, flicker, conflicts, expiry.
#include <gtest/gtest.h>

#include "scanner/tracker.h"

namespace cardpoll {
namespace {

// A read of `card` with its centre at (x, y), `side` pixels wide.
CardRead read_at(int card, Answer a, float x, float y, float side = 20) {
  CardRead r;
  r.card = card;
  r.answer = a;
  const float h = side / 2;
  r.corners = {cv::Point2f(x - h, y - h), cv::Point2f(x + h, y - h), cv::Point2f(x + h, y + h),
               cv::Point2f(x - h, y + h)};
  r.margin = 0.5f;
  return r;
}

constexpr int64_t kFrameMs = 33;

Tracker make_tracker(int n = 4, int64_t window = 400) {
  Tracker t;
  t.params.min_frames = n;
  t.params.window_ms = window;
  return t;
}

TEST(Tracker, StableAfterMinFramesAgreeingReads) {
  Tracker t = make_tracker(4, 400);
  for (int f = 0; f < 3; ++f)
    EXPECT_TRUE(track_frame(t, {read_at(7, Answer::B, 100, 100)}, f * kFrameMs).empty()) << f;
  const auto s = track_frame(t, {read_at(7, Answer::B, 101, 100)}, 3 * kFrameMs);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].card, 7);
  EXPECT_EQ(s[0].answer, Answer::B);
  EXPECT_EQ(s[0].time_ms, 3 * kFrameMs);
  EXPECT_EQ(s[0].frames_seen, 4);
  EXPECT_FLOAT_EQ(s[0].corners[0].x, 91);  // the latest read's corners
}

TEST(Tracker, OneEventPerAnswerWhileItStays) {
  Tracker t = make_tracker(3, 400);
  int events = 0;
  for (int f = 0; f < 100; ++f)
    events += static_cast<int>(track_frame(t, {read_at(3, Answer::C, 50, 50)}, f * kFrameMs).size());
  EXPECT_EQ(events, 1);
}

TEST(Tracker, ReadsSpreadWiderThanTheWindowAreNotStable) {
  Tracker t = make_tracker(4, 400);
  // One read every 200 ms: any four span 600 ms > 400 ms.
  for (int f = 0; f < 20; ++f)
    EXPECT_TRUE(track_frame(t, {read_at(1, Answer::A, 10, 10)}, f * 200).empty()) << f;
}

TEST(Tracker, FramesWithoutTheCardDoNotBreakTheRun) {
  Tracker t = make_tracker(4, 400);
  std::vector<StableRead> all;
  for (int f = 0; f < 8; ++f) {
    std::vector<CardRead> reads;
    if (f % 2 == 0) reads.push_back(read_at(9, Answer::D, 200, 80));  // a hand every other frame
    for (auto& s : track_frame(t, reads, f * kFrameMs)) all.push_back(s);
  }
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].answer, Answer::D);
  EXPECT_EQ(all[0].time_ms, 6 * kFrameMs);  // the fourth read
}

TEST(Tracker, OldReadsExpireFromTheWindow) {
  Tracker t = make_tracker(4, 400);
  for (int f = 0; f < 3; ++f) track_frame(t, {read_at(2, Answer::A, 10, 10)}, f * kFrameMs);
  // The card goes away for a second; one more read does not complete the old three.
  EXPECT_TRUE(track_frame(t, {read_at(2, Answer::A, 10, 10)}, 1000).empty());
  EXPECT_TRUE(track_frame(t, {read_at(2, Answer::A, 10, 10)}, 1033).empty());
  EXPECT_TRUE(track_frame(t, {read_at(2, Answer::A, 10, 10)}, 1066).empty());
  EXPECT_EQ(track_frame(t, {read_at(2, Answer::A, 10, 10)}, 1100).size(), 1u);
}

TEST(Tracker, AChangedAnswerMustBecomeStableBeforeItIsReported) {
  Tracker t = make_tracker(4, 400);
  int64_t ms = 0;
  for (int f = 0; f < 6; ++f, ms += kFrameMs) track_frame(t, {read_at(4, Answer::A, 60, 60)}, ms);
  // The student turns the card to B: three reads are not enough...
  for (int f = 0; f < 3; ++f, ms += kFrameMs)
    EXPECT_TRUE(track_frame(t, {read_at(4, Answer::B, 60, 60)}, ms).empty());
  // ...the fourth is.
  const auto s = track_frame(t, {read_at(4, Answer::B, 60, 60)}, ms);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].answer, Answer::B);
  ms += kFrameMs;
  // And back to A: A is reported again, as a change.
  std::vector<StableRead> back;
  for (int f = 0; f < 4; ++f, ms += kFrameMs)
    for (auto& e : track_frame(t, {read_at(4, Answer::A, 60, 60)}, ms)) back.push_back(e);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].answer, Answer::A);
}

TEST(Tracker, FlickerBetweenTwoAnswersIsNeverStable) {
  Tracker t = make_tracker(3, 400);
  for (int f = 0; f < 200; ++f) {
    const Answer a = f % 2 ? Answer::B : Answer::C;
    EXPECT_TRUE(track_frame(t, {read_at(11, a, 300, 300)}, f * kFrameMs).empty()) << f;
  }
}

TEST(Tracker, ASingleMisreadDelaysButNeverReports) {
  Tracker t = make_tracker(4, 400);
  const Answer seq[] = {Answer::A, Answer::A, Answer::A, Answer::D, Answer::A,
                        Answer::A, Answer::A, Answer::A, Answer::A};
  std::vector<StableRead> all;
  int f = 0;
  for (Answer a : seq)
    for (auto& s : track_frame(t, {read_at(5, a, 40, 40)}, (f++) * kFrameMs)) all.push_back(s);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].answer, Answer::A);
  EXPECT_EQ(all[0].time_ms, 7 * kFrameMs);  // four A reads after the misread
}

TEST(Tracker, OneCardAtTwoPlacesInOneFrameNeverGivesAnAnswer) {
  Tracker t = make_tracker(3, 300);
  for (int f = 0; f < 60; ++f) {
    const auto s = track_frame(
        t, {read_at(8, Answer::A, 100, 100), read_at(8, Answer::A, 600, 400)}, f * kFrameMs);
    EXPECT_TRUE(s.empty()) << f;
  }
  EXPECT_EQ(t.conflicts, 60);
}

TEST(Tracker, TwoAnswersAtOnePlaceInOneFrameAreAConflict) {
  Tracker t = make_tracker(3, 300);
  for (int f = 0; f < 30; ++f)
    EXPECT_TRUE(track_frame(t, {read_at(8, Answer::A, 100, 100), read_at(8, Answer::C, 102, 100)},
                            f * kFrameMs)
                    .empty());
  EXPECT_GT(t.conflicts, 0);
}

TEST(Tracker, TheSameCardFoundTwiceAtOnePlaceCountsOnce) {
  Tracker t = make_tracker(3, 300);
  std::vector<StableRead> all;
  for (int f = 0; f < 3; ++f) {
    CardRead a = read_at(12, Answer::B, 100, 100), b = read_at(12, Answer::B, 103, 101);
    b.margin = 0.9f;
    for (auto& s : track_frame(t, {a, b}, f * kFrameMs)) all.push_back(s);
  }
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FLOAT_EQ(all[0].corners[0].x, 93);  // the clearer (higher margin) read
  EXPECT_EQ(t.conflicts, 0);
}

TEST(Tracker, AReadElsewhereWithinTheWindowBlocksTheCardForAWindow) {
  Tracker t = make_tracker(3, 300);
  int64_t ms = 0;
  track_frame(t, {read_at(6, Answer::A, 100, 100)}, ms);
  ms += kFrameMs;
  track_frame(t, {read_at(6, Answer::A, 100, 100)}, ms);
  ms += kFrameMs;
  // The same number far away, 33 ms later: two cards, or a misread. Nobody gets an answer.
  EXPECT_TRUE(track_frame(t, {read_at(6, Answer::A, 900, 500)}, ms).empty());
  EXPECT_EQ(t.conflicts, 1);
  const int64_t conflict_ms = ms;
  std::vector<StableRead> all;
  for (int f = 0; f < 20; ++f) {
    ms += kFrameMs;
    for (auto& s : track_frame(t, {read_at(6, Answer::A, 900, 500)}, ms)) all.push_back(s);
  }
  ASSERT_EQ(all.size(), 1u);
  // Reads during the cool-down did not count: three fresh reads after it ended.
  EXPECT_GE(all[0].time_ms, conflict_ms + 300 + 2 * kFrameMs);
}

TEST(Tracker, ACardThatMovedWhileUnseenStartsAfresh) {
  Tracker t = make_tracker(3, 300);
  track_frame(t, {read_at(6, Answer::C, 100, 100)}, 0);
  // A second later it shows up across the room: moved, not a conflict.
  std::vector<StableRead> all;
  for (int f = 0; f < 3; ++f)
    for (auto& s : track_frame(t, {read_at(6, Answer::C, 800, 300)}, 1000 + f * kFrameMs))
      all.push_back(s);
  EXPECT_EQ(t.conflicts, 0);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].time_ms, 1000 + 2 * kFrameMs);
}

TEST(Tracker, SlowMovementIsOnePlace) {
  Tracker t = make_tracker(4, 400);
  std::vector<StableRead> all;
  for (int f = 0; f < 6; ++f)
    for (auto& s : track_frame(t, {read_at(13, Answer::B, 100 + 4.0f * f, 100)}, f * kFrameMs))
      all.push_back(s);
  EXPECT_EQ(all.size(), 1u);
  EXPECT_EQ(t.conflicts, 0);
}

TEST(Tracker, CardsAreIndependent) {
  Tracker t = make_tracker(3, 300);
  std::vector<StableRead> all;
  for (int f = 0; f < 5; ++f) {
    std::vector<CardRead> reads = {read_at(1, Answer::A, 50, 50), read_at(2, Answer::B, 300, 50)};
    if (f % 2) reads.push_back(read_at(3, Answer::C, 600, 50));  // card 3: only two reads
    for (auto& s : track_frame(t, reads, f * kFrameMs)) all.push_back(s);
  }
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].card, 1);
  EXPECT_EQ(all[1].card, 2);
}

TEST(Tracker, ResetMakesEveryCardAnswerAgain) {
  Tracker t = make_tracker(2, 300);
  int events = 0;
  for (int f = 0; f < 4; ++f)
    events += static_cast<int>(track_frame(t, {read_at(1, Answer::D, 50, 50)}, f * kFrameMs).size());
  EXPECT_EQ(events, 1);
  reset_tracker(t);
  for (int f = 4; f < 8; ++f)
    events += static_cast<int>(track_frame(t, {read_at(1, Answer::D, 50, 50)}, f * kFrameMs).size());
  EXPECT_EQ(events, 2);
}

TEST(Tracker, CardSideIsTheMeanEdge) {
  EXPECT_FLOAT_EQ(card_side(read_at(1, Answer::A, 0, 0, 16).corners), 16);
}

}  // namespace
}  // namespace cardpoll
