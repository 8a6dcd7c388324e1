// find_two_level_contours must give cv::findContours(RETR_CCOMP, CHAIN_APPROX_SIMPLE)'s
// answer exactly: every candidate, hole seed and so every read is built from it, and it
// replaced OpenCV's call on the promise that no read moves. Compared point for point,
// link for link and box for box (against cv::boundingRect) on masks made to have the
// awkward cases (one-pixel specks and lines, holes in holes' islands, diagonal-only
// contacts, dark pixels on the frame's edge) and on the masks of rendered classroom frames.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"
#include "tests/support/random_quad.h"
#include "tools/scenes/scene.h"

namespace cardpoll {
namespace {

void expect_as_opencv(const cv::Mat& mask, const char* what) {
  std::vector<std::vector<cv::Point>> cv_contours, contours;
  std::vector<cv::Vec4i> cv_hierarchy, hierarchy;
  std::vector<cv::Rect> boxes;
  cv::findContours(mask, cv_contours, cv_hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
  detect::find_two_level_contours(mask, contours, hierarchy, boxes);
  ASSERT_EQ(contours.size(), cv_contours.size()) << what;
  ASSERT_EQ(hierarchy.size(), cv_hierarchy.size()) << what;
  ASSERT_EQ(boxes.size(), cv_contours.size()) << what;
  for (size_t i = 0; i < contours.size(); ++i) {
    ASSERT_EQ(contours[i], cv_contours[i]) << what << ": contour " << i << " of " << contours.size();
    ASSERT_EQ(hierarchy[i], cv_hierarchy[i]) << what << ": links of contour " << i;
    ASSERT_EQ(boxes[i], cv::boundingRect(cv_contours[i])) << what << ": box of contour " << i;
  }
}

TEST(TwoLevelContours, AreOpenCvsOnRandomNoise) {
  std::mt19937 rng(11);
  for (int density : {2, 10, 30, 50, 70, 90, 98}) {
    for (int rep = 0; rep < 4; ++rep) {
      cv::Mat mask(37 + rep * 13, 61 + rep * 7, CV_8UC1);
      std::uniform_int_distribution<int> pct(0, 99);
      for (int y = 0; y < mask.rows; ++y)
        for (int x = 0; x < mask.cols; ++x) mask.at<uchar>(y, x) = pct(rng) < density ? 255 : 0;
      expect_as_opencv(mask, "noise");
    }
  }
}

TEST(TwoLevelContours, AreOpenCvsOnNestedShapesAndEdges) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> pos(-20, 420), size(1, 60), angle(0, 179), val(1, 255);
  for (int frame = 0; frame < 40; ++frame) {
    cv::Mat mask(300 + frame, 400 - frame, CV_8UC1, cv::Scalar(0));
    for (int k = 0; k < 60; ++k) {
      const std::vector<cv::Point> poly = testing::random_quad(rng, pos, 320, size, angle);
      // Dark shapes, light shapes inside them (holes), dark islands in those, thin rings.
      const int kind = k % 4;
      if (kind == 3) cv::polylines(mask, poly, true, cv::Scalar(val(rng)), 1, cv::LINE_8);
      else cv::fillConvexPoly(mask, poly, cv::Scalar(kind == 1 ? 0 : val(rng)), cv::LINE_8);
    }
    // Lone pixels and pixels touching only diagonally.
    std::uniform_int_distribution<int> row(0, mask.rows - 1), col(0, mask.cols - 1);
    for (int k = 0; k < 200; ++k) mask.at<uchar>(row(rng), col(rng)) ^= 255;
    // Dark along the frame's edges.
    mask.row(0).setTo(255);
    mask.col(mask.cols - 1).colRange(0, 1).rowRange(0, mask.rows / 2).setTo(255);
    expect_as_opencv(mask, "shapes");
  }
  expect_as_opencv(cv::Mat(1, 1, CV_8UC1, cv::Scalar(255)), "one dark pixel");
  expect_as_opencv(cv::Mat(5, 9, CV_8UC1, cv::Scalar(0)), "all light");
  expect_as_opencv(cv::Mat(5, 9, CV_8UC1, cv::Scalar(7)), "all dark");
}

TEST(TwoLevelContours, AreOpenCvsOnRenderedFramesMasks) {
  for (const char* setting : {"typical", "hard", "wild"}) {
    for (uint64_t seed : {3u, 4u}) {
      scenes::SceneSpec spec;
      spec.seed = seed;
      spec.difficulty = scenes::difficulty_from_name(setting);
      const scenes::Scene scene = scenes::render_scene(spec);
      expect_as_opencv(detect::threshold_dark(scene.gray, DetectParams{}), setting);
    }
  }
}

}  // namespace
}  // namespace cardpoll
