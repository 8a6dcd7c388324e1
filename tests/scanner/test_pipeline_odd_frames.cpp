// Frames no camera should give, into the detector and the pipeline: no crash, no read.
// (The libFuzzer target tests/fuzz/fuzz_read_cards.cpp does the same with arbitrary bytes.)
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "scanner/pipeline.h"
#include "scanner/read_cards.h"

namespace cardpoll {
namespace {

cv::Mat noise(cv::Size size, int type, uint32_t seed) {
  cv::Mat m(size, type);
  cv::RNG rng(seed);
  rng.fill(m, cv::RNG::UNIFORM, 0, 255);
  return m;
}

TEST(OddFrames, EmptyAndTinyFramesGiveNoReads) {
  EXPECT_TRUE(read_cards(cv::Mat()).empty());
  EXPECT_TRUE(read_cards(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0))).empty());
  EXPECT_TRUE(read_cards(cv::Mat(1, 1, CV_8UC1, cv::Scalar(255))).empty());
  EXPECT_TRUE(read_cards(cv::Mat(2, 3, CV_8UC1, cv::Scalar(7))).empty());
  EXPECT_TRUE(read_cards(cv::Mat(0, 10, CV_8UC1)).empty());
}

TEST(OddFrames, LongThinStripsGiveNoReads) {
  EXPECT_TRUE(read_cards(noise({20000, 1}, CV_8UC1, 1)).empty());
  EXPECT_TRUE(read_cards(noise({1, 20000}, CV_8UC1, 2)).empty());
  EXPECT_TRUE(read_cards(noise({4000, 3}, CV_8UC1, 3)).empty());
}

TEST(OddFrames, OddTypesDoNotCrash) {
  for (int type : {CV_8UC3, CV_8UC4, CV_8UC2, CV_16UC1, CV_16SC1, CV_32FC1, CV_64FC1, CV_8SC1,
                   CV_32SC1, CV_16UC3, CV_32FC3}) {
    const cv::Mat m = noise({64, 48}, type, static_cast<uint32_t>(type));
    EXPECT_NO_THROW(read_cards(m)) << type;
  }
  cv::Mat nan(48, 64, CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
  nan(cv::Rect(10, 10, 20, 20)) = std::numeric_limits<float>::infinity();
  EXPECT_NO_THROW(read_cards(nan));
}

TEST(OddFrames, ANonContinuousViewIsReadLikeACopy) {
  const cv::Mat big = noise({300, 200}, CV_8UC1, 9);
  const cv::Mat view = big(cv::Rect(13, 7, 211, 151));
  ASSERT_FALSE(view.isContinuous());
  EXPECT_EQ(read_cards(view).size(), read_cards(view.clone()).size());
}

TEST(OddFrames, AHugeFrameDoesNotCrash) {
  // 8000 x 6000: larger than any webcam; a flat grey page with one noisy band.
  cv::Mat huge(6000, 8000, CV_8UC1, cv::Scalar(180));
  noise({8000, 50}, CV_8UC1, 4).copyTo(huge(cv::Rect(0, 3000, 8000, 50)));
  EXPECT_NO_THROW(read_cards(huge));
}

TEST(OddFrames, ThePipelineCarriesOnPastOddFrames) {
  std::vector<cv::Mat> frames = {cv::Mat(), cv::Mat(1, 1, CV_8UC1, cv::Scalar(3)),
                                 noise({64, 48}, CV_16UC1, 5), noise({5, 700}, CV_8UC1, 6),
                                 cv::Mat(48, 64, CV_8UC1, cv::Scalar(255))};
  Pipeline p(memory_source(frames, 30, false, "odd"));
  size_t got = 0;
  bool finished = false;
  while (!finished) {
    const PipelineOutput out = p.wait(500);
    got += out.frames.size();
    for (const auto& f : out.frames) EXPECT_TRUE(f.reads.empty());
    EXPECT_TRUE(out.problems.empty());
    finished = out.finished;
  }
  EXPECT_EQ(got, frames.size());
}

}  // namespace
}  // namespace cardpoll
