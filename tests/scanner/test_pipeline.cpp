// The live pipeline with fake sources and fake detectors: start/stop, every-frame order,
// newest-frame dropping, failures, the tracker behind it. No timing assertions: where a test
// needs "the worker is busy", the fake detector waits for the fake source, not for a clock.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "scanner/pipeline.h"

namespace cardpoll {
namespace {

// Frame i is a 4x4 image whose first pixel is i % 256; the fake detector turns that back
// into a card read, so results can be matched to frames.
std::vector<cv::Mat> numbered_frames(int n) {
  std::vector<cv::Mat> v;
  for (int i = 0; i < n; ++i) v.emplace_back(4, 4, CV_8UC1, cv::Scalar(i % 256));
  return v;
}

CardRead fake_read(int card, Answer a) {
  CardRead r;
  r.card = card;
  r.answer = a;
  r.corners = {cv::Point2f(10, 10), cv::Point2f(30, 10), cv::Point2f(30, 30), cv::Point2f(10, 30)};
  return r;
}

// Reads everything until the pipeline finishes (the source must end).
PipelineOutput drain(Pipeline& p) {
  PipelineOutput all;
  for (int guard = 0; guard < 100000; ++guard) {
    PipelineOutput o = p.wait(200);
    for (auto& f : o.frames) all.frames.push_back(std::move(f));
    all.stable.insert(all.stable.end(), o.stable.begin(), o.stable.end());
    all.problems.insert(all.problems.end(), o.problems.begin(), o.problems.end());
    all.stats = o.stats;
    if (o.finished) {
      all.finished = true;
      break;
    }
  }
  return all;
}

TEST(Pipeline, FileSourceEveryFrameInOrderWithTwoWorkers) {
  PipelineOptions o;
  o.workers = 2;
  // Uneven detection times, so the two workers finish out of order.
  o.detect = [](const cv::Mat& g) {
    const int i = g.at<uint8_t>(0, 0);
    if (i % 3 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return std::vector<CardRead>{fake_read(1 + i % 5, Answer::B)};
  };
  Pipeline p(memory_source(numbered_frames(60)), o);
  const PipelineOutput out = drain(p);
  ASSERT_TRUE(out.finished);
  ASSERT_EQ(out.frames.size(), 60u);
  for (size_t i = 0; i < out.frames.size(); ++i) {
    EXPECT_EQ(out.frames[i].index, static_cast<int64_t>(i));
    ASSERT_EQ(out.frames[i].reads.size(), 1u);
    EXPECT_EQ(out.frames[i].reads[0].card, 1 + static_cast<int>(i) % 5);
    EXPECT_EQ(out.frames[i].reads[0].time_ms, out.frames[i].time_ms);
  }
  EXPECT_EQ(out.stats.captured, 60);
  EXPECT_EQ(out.stats.processed, 60);
  EXPECT_EQ(out.stats.dropped, 0);
  EXPECT_TRUE(out.problems.empty());
}

TEST(Pipeline, StableReadsComeFromTheTracker) {
  PipelineOptions o;
  o.tracker.min_frames = 3;
  o.tracker.window_ms = 300;
  o.detect = [](const cv::Mat& g) {
    const int i = g.at<uint8_t>(0, 0);
    // Card 7 answers A for 10 frames, then turns to C; frame 4 is a one-frame misread.
    Answer a = i < 10 ? Answer::A : Answer::C;
    if (i == 4) a = Answer::D;
    return std::vector<CardRead>{fake_read(7, a)};
  };
  Pipeline p(memory_source(numbered_frames(20), 30), o);
  const PipelineOutput out = drain(p);
  ASSERT_EQ(out.stable.size(), 2u);
  EXPECT_EQ(out.stable[0].answer, Answer::A);
  EXPECT_EQ(out.stable[0].time_ms, 67);  // frame 2: reads 0, 1, 2
  EXPECT_EQ(out.stable[1].answer, Answer::C);
  EXPECT_EQ(out.stable[1].time_ms, 400);  // frame 12
  size_t in_frames = 0;
  for (const auto& f : out.frames) in_frames += f.stable.size();
  EXPECT_EQ(in_frames, 2u);
}

// A live source that never ends, counting how many frames it gave.
struct EndlessSource {
  std::atomic<int> delivered{0};
  FrameSource make(bool live = true) {
    FrameSource s;
    s.name = "endless";
    s.live = live;
    s.read = [this](Frame& f) {
      const int i = delivered.load();
      f.gray = cv::Mat(4, 4, CV_8UC1, cv::Scalar(i % 256));
      f.index = i;
      f.time_ms = i * 33;
      f.source = "endless";
      delivered.store(i + 1);
      std::this_thread::yield();
      return SourceRead{SourceStatus::Frame, {}};
    };
    return s;
  }
};

TEST(Pipeline, LiveSourceWorksOnTheNewestFrameAndCountsDrops) {
  EndlessSource src;
  PipelineOptions o;
  o.workers = 1;
  // Keep every result for this test: with a no-op detector the worker can finish hundreds of
  // frames while a loaded machine (CI under ASan) keeps this thread off the CPU, and the
  // default queue would then drop the first results, which are the ones checked here.
  o.max_queued_frames = size_t{1} << 20;
  // The first detection waits until the source has delivered 20 more frames: all but the
  // newest of them must have been dropped meanwhile.
  std::atomic<bool> first{true};
  o.detect = [&](const cv::Mat&) {
    if (first.exchange(false)) {
      const int at_entry = src.delivered.load();
      while (src.delivered.load() < at_entry + 20) std::this_thread::yield();
    }
    return std::vector<CardRead>{};
  };
  Pipeline p(src.make(true), o);
  std::vector<int64_t> indices;
  while (indices.size() < 5) {
    for (const auto& f : p.wait(100).frames) indices.push_back(f.index);
  }
  p.stop();
  for (const auto& f : p.poll().frames) indices.push_back(f.index);
  const PipelineStats st = p.stats();
  ASSERT_EQ(st.overflowed, 0);
  // The next frame worked on is a new one (at least 19 frames on), not the one after.
  EXPECT_GE(indices[1], indices[0] + 19);
  for (size_t i = 1; i < indices.size(); ++i) EXPECT_GT(indices[i], indices[i - 1]);
  EXPECT_GE(st.dropped, 18);
  // Every captured frame was either read or dropped (a frame still waiting at stop too).
  EXPECT_EQ(st.processed + st.dropped, st.captured);
}

TEST(Pipeline, StopEndsAnEndlessSourceAndIsIdempotent) {
  EndlessSource src;
  PipelineOptions o;
  o.detect = [](const cv::Mat&) { return std::vector<CardRead>{fake_read(3, Answer::A)}; };
  Pipeline p(src.make(true), o);
  while (p.wait(100).frames.empty()) {
  }
  p.stop();
  p.stop();
  const PipelineOutput after = p.poll();
  EXPECT_TRUE(after.finished);
  const int delivered = src.delivered.load();
  std::this_thread::yield();
  EXPECT_EQ(src.delivered.load(), delivered);  // the capture thread is gone
  const PipelineStats st = p.stats();
  EXPECT_LE(st.captured, delivered);
  EXPECT_EQ(st.processed + st.dropped, st.captured);
}

TEST(Pipeline, DestructorStopsARunningPipeline) {
  EndlessSource src;
  {
    Pipeline p(src.make(true), {.detect = [](const cv::Mat&) { return std::vector<CardRead>{}; }});
    while (p.wait(100).frames.empty()) {
    }
  }
  SUCCEED();  // reaching here means the threads were joined
}

TEST(Pipeline, FailedReadsAreReportedAndTheSourceGoesOn) {
  auto n = std::make_shared<int>(0);
  FrameSource s;
  s.name = "flaky";
  s.read = [n](Frame& f) {
    const int i = (*n)++;
    if (i >= 10) return SourceRead{SourceStatus::Ended, {}};
    if (i % 3 == 1) return SourceRead{SourceStatus::Failed, "flaky: frame " + std::to_string(i) + " lost"};
    f.gray = cv::Mat(4, 4, CV_8UC1, cv::Scalar(i));
    f.index = i;
    return SourceRead{SourceStatus::Frame, {}};
  };
  Pipeline p(s, {.detect = [](const cv::Mat&) { return std::vector<CardRead>{}; }});
  const PipelineOutput out = drain(p);
  EXPECT_EQ(out.frames.size(), 7u);
  ASSERT_EQ(out.problems.size(), 3u);
  EXPECT_EQ(out.problems[0], "flaky: frame 1 lost");
  EXPECT_EQ(out.stats.failed_reads, 3);
}

TEST(Pipeline, GivesUpOnASourceThatAlwaysFails) {
  FrameSource s;
  s.name = "dead camera";
  s.read = [](Frame&) { return SourceRead{SourceStatus::Failed, "dead camera: no frame"}; };
  PipelineOptions o;
  o.max_failures_in_a_row = 5;
  o.detect = [](const cv::Mat&) { return std::vector<CardRead>{}; };
  Pipeline p(s, o);
  const PipelineOutput out = drain(p);
  ASSERT_TRUE(out.finished);
  ASSERT_EQ(out.problems.size(), 6u);
  EXPECT_NE(out.problems.back().find("giving up"), std::string::npos);
  EXPECT_NE(out.problems.back().find("dead camera"), std::string::npos);
}

TEST(Pipeline, ADetectorExceptionIsAProblemNotACrash) {
  PipelineOptions o;
  o.detect = [](const cv::Mat& g) -> std::vector<CardRead> {
    if (g.at<uint8_t>(0, 0) == 2) throw std::runtime_error("boom");
    return {fake_read(1, Answer::A)};
  };
  Pipeline p(memory_source(numbered_frames(4), 30, false, "clip"), o);
  const PipelineOutput out = drain(p);
  ASSERT_EQ(out.frames.size(), 4u);
  EXPECT_TRUE(out.frames[2].reads.empty());
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_NE(out.problems[0].find("clip frame 2"), std::string::npos) << out.problems[0];
  EXPECT_NE(out.problems[0].find("boom"), std::string::npos);
}

TEST(Pipeline, AnAbsentPollerLosesOldFramesButNoStableReads) {
  PipelineOptions o;
  o.max_queued_frames = 5;
  o.tracker.min_frames = 2;
  o.detect = [](const cv::Mat& g) {
    const int i = g.at<uint8_t>(0, 0);
    return std::vector<CardRead>{fake_read(1 + i / 4, Answer::A)};  // a new card every 4 frames
  };
  Pipeline p(memory_source(numbered_frames(40)), o);
  while (p.stats().processed < 40) std::this_thread::yield();
  const PipelineOutput out = drain(p);
  ASSERT_EQ(out.frames.size(), 5u);
  EXPECT_EQ(out.frames.back().index, 39);
  EXPECT_EQ(out.stats.overflowed, 35);
  EXPECT_EQ(out.stable.size(), 10u);  // cards 1..10, each once
}

TEST(Pipeline, OnlyTheNewestQueuedResultKeepsItsImage) {
  PipelineOptions o;
  o.keep_images = true;
  o.detect = [](const cv::Mat&) { return std::vector<CardRead>{}; };
  Pipeline p(memory_source(numbered_frames(10)), o);
  while (p.stats().processed < 10) std::this_thread::yield();
  const PipelineOutput out = drain(p);
  ASSERT_EQ(out.frames.size(), 10u);
  for (size_t i = 0; i + 1 < out.frames.size(); ++i) EXPECT_TRUE(out.frames[i].image.empty());
  ASSERT_FALSE(out.frames.back().image.empty());
  EXPECT_EQ(out.frames.back().image.at<uint8_t>(0, 0), 9);
}

TEST(Pipeline, ResetTrackerAsksEveryoneAgain) {
  EndlessSource src;
  PipelineOptions o;
  o.tracker.min_frames = 2;
  o.detect = [](const cv::Mat&) { return std::vector<CardRead>{fake_read(5, Answer::C)}; };
  Pipeline p(src.make(false), o);  // not live: every frame, so the card is seen steadily
  std::vector<StableRead> stable;
  while (stable.empty()) {
    auto out = p.wait(100);
    stable.insert(stable.end(), out.stable.begin(), out.stable.end());
  }
  p.reset_tracker();
  while (stable.size() < 2) {
    auto out = p.wait(100);
    stable.insert(stable.end(), out.stable.begin(), out.stable.end());
  }
  p.stop();
  EXPECT_EQ(stable[0].card, 5);
  EXPECT_EQ(stable[1].card, 5);
  EXPECT_EQ(stable[1].answer, Answer::C);
}

TEST(Pipeline, ASourceWithoutReadFinishesAtOnce) {
  FrameSource s;
  s.name = "nothing";
  Pipeline p(s);
  const PipelineOutput out = p.poll();
  EXPECT_TRUE(out.finished);
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_NE(out.problems[0].find("nothing"), std::string::npos);
}

}  // namespace
}  // namespace cardpoll
