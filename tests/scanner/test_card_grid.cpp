// grid_to_image's closed form against cv::getPerspectiveTransform, which it replaced: the
// same grid-to-image map, to rounding, on every shape a card can take and more.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <opencv2/imgproc.hpp>

#include "scanner/card_grid.h"

namespace cardpoll {
namespace {

// The projective denominator of getPerspectiveTransform's matrix at grid (u, v).
double w_of(const cv::Mat& m, double u, double v) {
  return m.at<double>(2, 0) * u + m.at<double>(2, 1) * v + m.at<double>(2, 2);
}

cv::Point2d map_cv(const cv::Mat& m, double u, double v) {
  const double w = w_of(m, u, v);
  return {(m.at<double>(0, 0) * u + m.at<double>(0, 1) * v + m.at<double>(0, 2)) / w,
          (m.at<double>(1, 0) * u + m.at<double>(1, 1) * v + m.at<double>(1, 2)) / w};
}

TEST(GridToImage, IsGetPerspectiveTransformsMap) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> centre(0, 1900), side(4, 400), angle(0, 6.2832f), jitter(-0.3f, 0.3f);
  int checked = 0;
  for (int k = 0; k < 20000; ++k) {
    // A square turned, then each corner moved by up to 30% of the side (tilt, perspective,
    // and quads no card makes); some left square and some parallelograms (the affine case).
    const float c = centre(rng), cy = centre(rng) * 0.56f, s = side(rng), a = angle(rng);
    detect::Corners q;
    for (int i = 0; i < 4; ++i) {
      const float t = a + static_cast<float>(i) * 1.5708f;
      q[static_cast<size_t>(i)] = {c + s * 0.7071f * std::cos(t), cy + s * 0.7071f * std::sin(t)};
    }
    if (k % 5 == 1) q[3] = q[0] + q[2] - q[1];
    else if (k % 5 > 1)
      for (auto& p : q) p += cv::Point2f(jitter(rng) * s, jitter(rng) * s);
    const int g = 5 + k % 2;
    const float gf = static_cast<float>(g);
    const cv::Point2f src[4] = {{0, 0}, {gf, 0}, {gf, gf}, {0, gf}};
    const cv::Mat m = cv::getPerspectiveTransform(src, q.data());
    const detect::Homography h = detect::grid_to_image(q, g);
    const double w_centre = w_of(m, g / 2.0, g / 2.0);
    for (double u = -1; u <= g + 1; u += 0.5)
      for (double v = -1; v <= g + 1; v += 0.5) {
        // Towards the horizon (w small against the centre's) both lose digits to the
        // division; no card is sampled there.
        if (!(w_of(m, u, v) / w_centre > 0.25)) continue;
        const cv::Point2d want = map_cv(m, u, v);
        const cv::Point2f got = h.map(u, v);
        // A thousandth of a pixel, and a millionth of the coordinate for corners far apart.
        const double tol = 1e-3 + 1e-6 * std::max(std::abs(want.x), std::abs(want.y));
        ASSERT_NEAR(got.x, want.x, tol) << "quad " << k << " at grid " << u << "," << v;
        ASSERT_NEAR(got.y, want.y, tol) << "quad " << k << " at grid " << u << "," << v;
        ++checked;
      }
    // Its corners are the quad's.
    for (int i = 0; i < 4; ++i) {
      const cv::Point2f at = h.map(src[i].x, src[i].y);
      ASSERT_NEAR(at.x, q[static_cast<size_t>(i)].x, 1e-3);
      ASSERT_NEAR(at.y, q[static_cast<size_t>(i)].y, 1e-3);
    }
  }
  EXPECT_GT(checked, 20000 * 100);
}

TEST(GridToImage, DegenerateQuadsMapAsGetPerspectiveTransformDid) {
  // Three corners in a line, each way round, and two corners on one point: no card, but
  // whatever a caller then makes of the map (top_corner_of, the samplers) is unchanged.
  const std::vector<detect::Corners> quads = {
      {cv::Point2f(0, 0), cv::Point2f(10, 0), cv::Point2f(20, 0), cv::Point2f(5, 8)},
      {cv::Point2f(0, 0), cv::Point2f(10, 3), cv::Point2f(20, 6), cv::Point2f(30, 9)},
      {cv::Point2f(5, 8), cv::Point2f(0, 0), cv::Point2f(10, 0), cv::Point2f(20, 0)},
      {cv::Point2f(3, 3), cv::Point2f(3, 3), cv::Point2f(9, 9), cv::Point2f(0, 7)},
      {cv::Point2f(0, 0), cv::Point2f(8, 1), cv::Point2f(12, 5), cv::Point2f(16, 9)}};
  const cv::Point2f src[4] = {{0, 0}, {5, 0}, {5, 5}, {0, 5}};
  for (size_t k = 0; k < quads.size(); ++k) {
    const cv::Mat m = cv::getPerspectiveTransform(src, quads[k].data());
    const detect::Homography h = detect::grid_to_image(quads[k], 5);
    for (double u = 0; u <= 5; u += 1.25)
      for (double v = 0; v <= 5; v += 1.25) {
        const cv::Point2d want = map_cv(m, u, v);
        const cv::Point2f got = h.map(u, v);
        const bool want_finite = std::isfinite(want.x) && std::isfinite(want.y);
        ASSERT_EQ(std::isfinite(got.x) && std::isfinite(got.y), want_finite) << "quad " << k << " at " << u << "," << v;
        if (!want_finite || std::abs(want.x) > 1e4 || std::abs(want.y) > 1e4) continue;
        EXPECT_NEAR(got.x, want.x, 1e-3) << "quad " << k << " at " << u << "," << v;
        EXPECT_NEAR(got.y, want.y, 1e-3) << "quad " << k << " at " << u << "," << v;
      }
  }
}

}  // namespace
}  // namespace cardpoll
