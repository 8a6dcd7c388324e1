// A random rotated rectangle as a polygon of pixel points, for the scanner's tests that draw
// masks of random shapes and compare a stage with OpenCV's own on them.
#pragma once

#include <random>
#include <vector>

#include <opencv2/core.hpp>

namespace cardpoll::testing {

// Centre (pos(), pos() % y_mod), sides size() by size(), angle() degrees: the draws in
// that order.
inline std::vector<cv::Point> random_quad(std::mt19937& rng, std::uniform_int_distribution<int>& pos, int y_mod,
                                          std::uniform_int_distribution<int>& size,
                                          std::uniform_int_distribution<int>& angle, cv::Point2f* centre = nullptr) {
  const float cx = static_cast<float>(pos(rng));
  const float cy = static_cast<float>(pos(rng) % y_mod);
  const float w = static_cast<float>(size(rng));
  const float h = static_cast<float>(size(rng));
  const cv::RotatedRect box(cv::Point2f(cx, cy), cv::Size2f(w, h), static_cast<float>(angle(rng)));
  cv::Point2f c[4];
  box.points(c);
  if (centre) *centre = box.center;
  return std::vector<cv::Point>(c, c + 4);
}

}  // namespace cardpoll::testing
