// Several cameras on their own threads (cardpoll live --source A --source B): two pipelines
// run at once and their frames are merged in capture-time order (lesson/camera_merge.h), each
// camera's tracker run on the frames as they are released, as app/live_cameras.cpp does.
// Whatever the threads' timing, the answers come out the same: this is also the ThreadSanitizer
// case for several pipelines (`bash setup.sh tsan`).
#include <gtest/gtest.h>

#include <thread>

#include "lesson/camera_merge.h"
#include "scanner/pipeline.h"
#include "scanner/tracker.h"

namespace cardpoll {
namespace {

std::vector<cv::Mat> numbered_frames(int n) {
  std::vector<cv::Mat> v;
  for (int i = 0; i < n; ++i) v.emplace_back(4, 4, CV_8UC1, cv::Scalar(i % 256));
  return v;
}

CardRead at(int card, Answer a, float x) {
  CardRead r;
  r.card = card;
  r.answer = a;
  r.corners = {cv::Point2f(x, 10), cv::Point2f(x + 20, 10), cv::Point2f(x + 20, 30), cv::Point2f(x, 30)};
  return r;
}

struct Camera {
  std::unique_ptr<Pipeline> pipeline;
  Tracker tracker;
  std::deque<std::vector<CardRead>> waiting;
  bool finished = false;
};

TEST(SeveralPipelines, MergedInCaptureTimeOrderWhateverTheThreadsDo) {
  // Camera 0 sees cards 1 and 2, camera 1 cards 1 and 3; card 1 is seen by both. Camera 1 is
  // slower (its detector sleeps now and then), so its frames arrive late.
  std::vector<Camera> cams(2);
  for (int c = 0; c < 2; ++c) {
    PipelineOptions o;
    o.workers = 1;
    o.detect = [c](const cv::Mat& g) {
      const int i = g.at<uint8_t>(0, 0);
      if (c == 1 && i % 7 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return std::vector<CardRead>{at(1, Answer::A, 10), c == 0 ? at(2, Answer::B, 200) : at(3, Answer::C, 400)};
    };
    cams[static_cast<size_t>(c)].tracker.params = o.tracker;
    cams[static_cast<size_t>(c)].pipeline = std::make_unique<Pipeline>(memory_source(numbered_frames(120), 30), o);
  }
  lesson::FrameOrder order(2);
  lesson::AnswerMerge merge{lesson::merge_params_for(2)};
  std::vector<lesson::MergedAnswer> answers;
  bool reset_done = false;
  auto handle = [&](lesson::CameraFrame f) {
    if (!reset_done && f.time_ms >= 2000) {  // a question opens at 2 s: everyone answers anew
      reset_done = true;
      for (auto& c : cams) reset_tracker(c.tracker);
      lesson::reset_merge(merge);
    }
    Camera& cam = cams[static_cast<size_t>(f.camera)];
    for (const StableRead& s : track_frame(cam.tracker, cam.waiting.front(), f.time_ms)) f.stable.push_back({s.card, s.answer});
    cam.waiting.pop_front();
    for (const auto& a : lesson::merge_frame(merge, f)) answers.push_back(a);
  };
  for (int guard = 0; guard < 100000 && !(cams[0].finished && cams[1].finished); ++guard) {
    bool waited = false;  // blocks on the first camera still running, polls the others
    for (int c = 0; c < 2; ++c) {
      Camera& cam = cams[static_cast<size_t>(c)];
      if (cam.finished) continue;
      PipelineOutput out = waited ? cam.pipeline->poll() : cam.pipeline->wait(20);
      waited = true;
      for (const FrameResult& fr : out.frames) {
        lesson::CameraFrame f;
        f.camera = c;
        f.time_ms = fr.time_ms;
        for (const auto& r : fr.reads) f.reads.push_back({r.card, r.answer});
        lesson::add_frame(order, std::move(f));
        cam.waiting.push_back(fr.reads);
      }
      cam.finished = out.finished;
      lesson::set_holding(order, c, !cam.finished);
    }
    for (auto& f : lesson::release_frames(order)) handle(std::move(f));
  }
  for (auto& f : lesson::release_all(order)) handle(std::move(f));
  ASSERT_TRUE(cams[0].finished && cams[1].finished);
  // Each card once before the question at 2 s and once after it: six answers, card 1 once
  // each time although both cameras saw it.
  ASSERT_EQ(answers.size(), 6u);
  std::map<int, int> per_card;
  for (const auto& a : answers) {
    ++per_card[a.card];
    EXPECT_EQ(a.answer, a.card == 1 ? Answer::A : a.card == 2 ? Answer::B : Answer::C);
  }
  EXPECT_EQ(per_card, (std::map<int, int>{{1, 2}, {2, 2}, {3, 2}}));
  for (size_t i = 1; i < answers.size(); ++i) EXPECT_LE(answers[i - 1].time_ms, answers[i].time_ms) << "capture-time order";
  EXPECT_GE(answers[3].time_ms, 2000);
}

}  // namespace
}  // namespace cardpoll
