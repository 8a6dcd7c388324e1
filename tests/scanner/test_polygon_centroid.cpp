// The hole centres and seed spreads candidates.cpp computes itself must be cv::moments' to
// the last bit: the centre check (centre_on_hole), the hole seeds (split.cpp) and so every
// read depend on them, and the change from cv::moments was made on the promise that no read
// moves.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll {
namespace {

// Bitwise, not within a tolerance: the claim is the same float.
bool same_float(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_as_cv_moments(const std::vector<cv::Point>& polygon) {
  const cv::Moments m = cv::moments(polygon);
  cv::Point2f centre;
  const bool has_area = detect::polygon_centroid(polygon, centre);
  ASSERT_EQ(has_area, m.m00 > 0) << polygon.size() << " points";
  if (!has_area) return;
  EXPECT_TRUE(same_float(centre.x, static_cast<float>(m.m10 / m.m00))) << centre.x << " " << m.m10 / m.m00;
  EXPECT_TRUE(same_float(centre.y, static_cast<float>(m.m01 / m.m00))) << centre.y << " " << m.m01 / m.m00;
  // The seeds' moments: the same centre and the central second moments per area.
  cv::Point2f seed_centre;
  cv::Vec3f spread;
  ASSERT_TRUE(detect::hole_moments(polygon, seed_centre, spread));
  EXPECT_TRUE(same_float(seed_centre.x, centre.x) && same_float(seed_centre.y, centre.y));
  EXPECT_TRUE(same_float(spread[0], static_cast<float>(m.mu20 / m.m00))) << spread[0] << " " << m.mu20 / m.m00;
  EXPECT_TRUE(same_float(spread[1], static_cast<float>(m.mu11 / m.m00))) << spread[1] << " " << m.mu11 / m.m00;
  EXPECT_TRUE(same_float(spread[2], static_cast<float>(m.mu02 / m.m00))) << spread[2] << " " << m.mu02 / m.m00;
}

TEST(PolygonCentroid, IsCvMomentsCentreOnTheHolesOfRealMasks) {
  // Masks of random blobs with holes, traced as find_candidates traces the frame.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pos(0, 1900), size(2, 90);
  int holes = 0;
  for (int frame = 0; frame < 20; ++frame) {
    cv::Mat mask(1080, 1920, CV_8UC1, cv::Scalar(0));
    for (int k = 0; k < 150; ++k) {
      const cv::Point c(pos(rng), pos(rng) % 1080);
      const int r = size(rng);
      cv::RotatedRect box(c, cv::Size2f(static_cast<float>(r), static_cast<float>(size(rng))), static_cast<float>(pos(rng) % 180));
      cv::Point2f v[4];
      box.points(v);
      std::vector<cv::Point> quad(v, v + 4);
      cv::fillConvexPoly(mask, quad, cv::Scalar(255));
      cv::circle(mask, c, std::max(1, r / 5), cv::Scalar(0), -1);  // a hole
    }
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    cv::findContours(mask, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
    for (size_t i = 0; i < contours.size(); ++i) {
      expect_as_cv_moments(contours[i]);
      holes += hierarchy[i][3] >= 0;
    }
  }
  EXPECT_GT(holes, 1000);
}

TEST(PolygonCentroid, IsCvMomentsCentreOnRandomPolygonsEitherWayRound) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> coord(0, 4000), count(3, 40);
  for (int k = 0; k < 20000; ++k) {
    std::vector<cv::Point> p(static_cast<size_t>(count(rng)));
    for (auto& q : p) q = {coord(rng), coord(rng)};
    expect_as_cv_moments(p);
    std::reverse(p.begin(), p.end());
    expect_as_cv_moments(p);
  }
}

TEST(PolygonCentroid, NoCentreWithoutArea) {
  cv::Point2f centre;
  EXPECT_FALSE(detect::polygon_centroid({}, centre));
  EXPECT_FALSE(detect::polygon_centroid({{3, 4}}, centre));
  EXPECT_FALSE(detect::polygon_centroid({{0, 0}, {5, 5}, {10, 10}}, centre));  // collinear
  cv::Vec3f spread;
  EXPECT_FALSE(detect::hole_moments({}, centre, spread));
  EXPECT_FALSE(detect::hole_moments({{3, 4}}, centre, spread));
  EXPECT_FALSE(detect::hole_moments({{0, 0}, {5, 5}, {10, 10}}, centre, spread));
  expect_as_cv_moments({{0, 0}, {5, 5}, {10, 10}});
  expect_as_cv_moments({{2, 2}, {2, 2}});
}

}  // namespace
}  // namespace cardpoll
