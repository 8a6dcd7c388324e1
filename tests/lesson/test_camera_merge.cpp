// Several cameras, one lesson (lesson/camera_merge.h): capture-time order across cameras, a
// card seen twice counting once, the latest answer winning whichever camera saw it, and
// cameras that disagree never flipping the recorded answer.
#include <gtest/gtest.h>

#include <vector>

#include "lesson/camera_merge.h"

using namespace cardpoll;
using namespace cardpoll::lesson;

namespace {

CameraFrame frame(int camera, int64_t t, std::vector<CameraRead> reads, std::vector<CameraRead> stable = {}) {
  CameraFrame f;
  f.camera = camera;
  f.time_ms = t;
  f.reads = std::move(reads);
  f.stable = std::move(stable);
  return f;
}

// Feeds frames already in capture-time order; returns every answer handed on.
std::vector<MergedAnswer> run(AnswerMerge& m, const std::vector<CameraFrame>& frames) {
  std::vector<MergedAnswer> out;
  for (const auto& f : frames)
    for (const auto& a : merge_frame(m, f)) out.push_back(a);
  return out;
}

// Camera `camera` reads card 5 as `a` every 100 ms over [from, to], stable at `from`.
void reading(std::vector<CameraFrame>& fs, int camera, Answer a, int64_t from, int64_t to, bool stable_first = true) {
  for (int64_t t = from; t <= to; t += 100)
    fs.push_back(frame(camera, t, {{5, a}}, stable_first && t == from ? std::vector<CameraRead>{{5, a}}
                                                                      : std::vector<CameraRead>{}));
}

void by_time(std::vector<CameraFrame>& fs) {
  std::stable_sort(fs.begin(), fs.end(), [](const CameraFrame& a, const CameraFrame& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.camera < b.camera;
  });
}

}  // namespace

TEST(CameraMerge, OneCameraPassesEveryStableAnswerOnce) {
  AnswerMerge m;
  const auto got = run(m, {frame(0, 100, {{5, Answer::B}}, {{5, Answer::B}}), frame(0, 200, {{5, Answer::B}}),
                           frame(0, 900, {{5, Answer::C}}, {{5, Answer::C}}), frame(0, 1000, {{7, Answer::A}}, {{7, Answer::A}})});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].answer, Answer::B);
  EXPECT_EQ(got[0].time_ms, 100);
  EXPECT_EQ(got[1].answer, Answer::C);
  EXPECT_EQ(got[2].card, 7);
}

TEST(CameraMerge, ACardSeenByTwoCamerasCountsOnce) {
  AnswerMerge m{merge_params_for(2)};
  std::vector<CameraFrame> fs;
  reading(fs, 0, Answer::B, 1000, 3000);
  reading(fs, 1, Answer::B, 1200, 3000);
  by_time(fs);
  const auto got = run(m, fs);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].answer, Answer::B);
  EXPECT_EQ(got[0].time_ms, 1300) << "held 300 ms without another camera disagreeing";
}

TEST(CameraMerge, TheLatestAnswerWinsWhicheverCameraSawIt) {
  // Both cameras see B; the student turns the card at 5 s; camera 0's view is then blocked
  // and only camera 1 sees the new answer C.
  AnswerMerge m{merge_params_for(2)};
  std::vector<CameraFrame> fs;
  reading(fs, 0, Answer::B, 1000, 4900);
  reading(fs, 1, Answer::B, 1000, 4900);
  reading(fs, 1, Answer::C, 5300, 8000);
  by_time(fs);
  const auto got = run(m, fs);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].answer, Answer::B);
  EXPECT_EQ(got[1].answer, Answer::C);
  // Camera 0 still held B until 600 ms after its last read of it (4.9 s), then C was
  // confirmed for 300 ms.
  EXPECT_EQ(got[1].time_ms, 5900);
}

TEST(CameraMerge, CamerasDisagreeingAtTheSameMomentRecordNothing) {
  AnswerMerge m{merge_params_for(2)};
  std::vector<CameraFrame> fs;
  reading(fs, 0, Answer::B, 1000, 4000);
  reading(fs, 1, Answer::C, 1000, 4000);
  by_time(fs);
  EXPECT_TRUE(run(m, fs).empty());
  EXPECT_EQ(m.disputed.count(5), 1u);
}

TEST(CameraMerge, AMisreadingCameraCannotFlipTheAnswerWhenTheOtherLooksAway) {
  // Camera 0 reads card 5 right (B) and it is recorded; camera 1 misreads it from its angle
  // (C) while camera 0 still reads B; then camera 0 looks away and camera 1 goes on with C.
  AnswerMerge m{merge_params_for(2)};
  std::vector<CameraFrame> fs;
  reading(fs, 0, Answer::B, 1000, 3000);
  reading(fs, 1, Answer::C, 2000, 9000);
  by_time(fs);
  const auto got = run(m, fs);
  ASSERT_EQ(got.size(), 1u) << "a wrong answer is worse than a missed one";
  EXPECT_EQ(got[0].answer, Answer::B);
  // Once camera 1 sees the card turn to a new answer of its own, that counts again.
  std::vector<CameraFrame> turn;
  reading(turn, 1, Answer::D, 9500, 9800);
  const auto later = run(m, turn);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].answer, Answer::D);
}

TEST(CameraMerge, TwoCamerasAgreeingOutvoteAContest) {
  AnswerMerge m{merge_params_for(2)};
  std::vector<CameraFrame> fs;
  reading(fs, 0, Answer::B, 1000, 3000);
  reading(fs, 1, Answer::C, 1000, 3000);
  by_time(fs);
  EXPECT_TRUE(run(m, fs).empty());
  // Camera 0's tracker comes round to C as well (it had misread): both hold C, C counts.
  std::vector<CameraFrame> more{frame(0, 3100, {{5, Answer::C}}, {{5, Answer::C}})};
  reading(more, 1, Answer::C, 3100, 3500, false);
  reading(more, 0, Answer::C, 3200, 3500, false);
  by_time(more);
  const auto got = run(m, more);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].answer, Answer::C);
}

TEST(CameraMerge, ResetForgetsEverythingForTheNextQuestion) {
  AnswerMerge m;
  run(m, {frame(0, 100, {{5, Answer::B}}, {{5, Answer::B}})});
  reset_merge(m);
  const auto got = run(m, {frame(0, 1000, {{5, Answer::B}}, {{5, Answer::B}})});
  ASSERT_EQ(got.size(), 1u) << "the same answer to the next question counts";
}

TEST(FrameOrder, ReleasesInCaptureTimeOrderAcrossCameras) {
  FrameOrder o(2);
  add_frame(o, frame(0, 100, {}));
  add_frame(o, frame(0, 200, {}));
  add_frame(o, frame(0, 300, {}));
  EXPECT_TRUE(release_frames(o).empty()) << "camera 1 has delivered nothing yet";
  add_frame(o, frame(1, 150, {}));
  auto r = release_frames(o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].time_ms, 100);
  EXPECT_EQ(r[1].time_ms, 150);
  EXPECT_EQ(r[1].camera, 1);
  EXPECT_EQ(released_until(o), 150);
  add_frame(o, frame(1, 250, {}));
  r = release_frames(o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].time_ms, 200);
  EXPECT_EQ(r[1].time_ms, 250);
}

TEST(FrameOrder, ALostCameraDoesNotHoldTheLessonBack) {
  FrameOrder o(2);
  add_frame(o, frame(1, 50, {}));
  add_frame(o, frame(0, 100, {}));
  add_frame(o, frame(0, 200, {}));
  ASSERT_EQ(release_frames(o).size(), 1u);  // camera 1 is behind at 50
  set_holding(o, 1, false);                  // ... and now lost
  auto r = release_frames(o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].time_ms, 200);
  set_holding(o, 0, false);  // nothing holds: everything goes
  add_frame(o, frame(1, 900, {}));
  EXPECT_EQ(release_frames(o).size(), 1u);
  EXPECT_TRUE(release_all(o).empty());
}
