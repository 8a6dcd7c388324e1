// quad_of's convex hull must be cv::convexHull's: the same vertices, turning the same way,
// for the hull quad, the corner merges and so every read are built from it, and it replaced
// OpenCV's call (outlines.cpp). Where it starts follows cv::convexHull's rule for contours
// whose indices rise or fall around the hull and can differ otherwise (the quad then differs
// only where two diagonals tie), so the vertices are compared as a cycle. Compared on the
// contours of random masks, on merges of a contour with its neighbours' points (as
// candidates.cpp makes them) and on random point sets with repeats and collinear runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "scanner/outlines.h"
#include "tests/support/random_quad.h"

namespace cardpoll {
namespace {

void expect_cv_hull(const std::vector<cv::Point>& pts, const char* what) {
  std::vector<cv::Point> expected, hull;
  cv::convexHull(pts, expected);
  detect::Corners quad;
  detect::quad_of(pts, 0.0, 4.0f, 1e6f, quad, &hull);
  ASSERT_EQ(hull.size(), expected.size()) << what << ": " << pts.size() << " points";
  if (hull.empty()) return;
  const auto start = std::find(expected.begin(), expected.end(), hull[0]);
  ASSERT_NE(start, expected.end()) << what << ": " << pts.size() << " points";
  std::rotate(expected.begin(), start, expected.end());
  ASSERT_EQ(hull, expected) << what << ": " << pts.size() << " points";
}

TEST(OutlineHull, IsCvConvexHullOnMasksContoursAndMerges) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> pos(0, 600), size(2, 80), angle(0, 179);
  for (int frame = 0; frame < 30; ++frame) {
    cv::Mat mask(400, 600, CV_8UC1, cv::Scalar(0));
    for (int k = 0; k < 40; ++k) {
      cv::Point2f centre;
      const std::vector<cv::Point> poly = testing::random_quad(rng, pos, 400, size, angle, &centre);
      cv::fillConvexPoly(mask, poly, cv::Scalar(255));
      if (k % 3 == 0) cv::circle(mask, cv::Point(centre), std::max(1, size(rng) / 6), cv::Scalar(0), -1);
    }
    std::uniform_int_distribution<int> row(0, mask.rows - 1), col(0, mask.cols - 1);
    for (int k = 0; k < 300; ++k) mask.at<uchar>(row(rng), col(rng)) ^= 255;
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
    for (size_t i = 0; i < contours.size(); ++i) {
      expect_cv_hull(contours[i], "contour");
      // A contour with the next few contours' points after it, as a merge of corner blobs.
      std::vector<cv::Point> merged = contours[i];
      for (size_t j = i + 1; j < std::min(contours.size(), i + 4); ++j)
        merged.insert(merged.end(), contours[j].begin(), contours[j].end());
      expect_cv_hull(merged, "merge");
    }
  }
}

TEST(OutlineHull, IsCvConvexHullOnRandomPointsWithRepeatsAndLines) {
  std::mt19937 rng(23);
  std::uniform_int_distribution<int> coord(0, 30), count(1, 60), kind(0, 2);
  for (int k = 0; k < 20000; ++k) {
    std::vector<cv::Point> pts(static_cast<size_t>(count(rng)));
    const int shape = kind(rng);
    for (auto& p : pts) {
      p = {coord(rng), coord(rng)};
      if (shape == 1) p.y = p.x / 2 + 3;  // all on a line
      if (shape == 2 && (p.x & 1)) p = pts[0];  // repeats of one point
    }
    expect_cv_hull(pts, "points");
  }
}

}  // namespace
}  // namespace cardpoll
