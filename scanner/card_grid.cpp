// The card's grid in the image (card_grid.h).
#include "scanner/card_grid.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace cardpoll::detect {

// Grid coordinates (0..g, cell corners) -> image, with seen[0] at grid (0, 0).
Homography grid_to_image(const Corners& seen, int g) {
  const float gf = static_cast<float>(g);
  const cv::Point2f src[4] = {{0, 0}, {gf, 0}, {gf, gf}, {0, gf}};
  const cv::Point2f dst[4] = {seen[0], seen[1], seen[2], seen[3]};
  const cv::Mat hm = cv::getPerspectiveTransform(src, dst);
  Homography H{};
  for (int i = 0; i < 9; ++i) H.h[i] = hm.at<double>(i / 3, i % 3);
  return H;
}

// Whether four corners can be a whole card seen by a camera. A square card seen through a
// pinhole is a quad whose opposite sides differ by about side * sin(tilt) / focal length
// (the near edge is closer than the far one) and whose diagonals cross near their
// midpoints. With tilt <= 50 degrees and any webcam's focal length (>= 500 px: a 640x480
// camera with a 65-degree lens; 1080p webcams are at 1000-1500 px) that is at most
// side / 650. Tilt squeezes the card along one direction, which neither check minds.
// What fails them is a quad that covers part of a card or of a look-alike grid (a corner
// cell missing or detached, one corner pulled in by a cell), whose grid, shifted by a
// cell, can match another codeword with a clear margin: all three wrong reads seen in
// 40,000+ cards (bench_scanner --wrong-reads, bench_pipeline) were such quads.
// Allowance on top: 1 px (corner quantisation and blur on 2 px cells) and 12% of the side.
bool plausible_shape(const Corners& q) {
  float side[4];
  float mean = 0;
  for (int k = 0; k < 4; ++k) {
    side[k] = static_cast<float>(cv::norm(q[static_cast<size_t>((k + 1) % 4)] - q[static_cast<size_t>(k)]));
    mean += side[k] / 4;
  }
  constexpr float kMinFocalPx = 500.0f, kSinMaxTilt = 0.77f;
  const float rel = 0.12f + kSinMaxTilt * mean / kMinFocalPx;
  if (std::abs(side[0] - side[2]) > 1.0f + rel * mean) return false;
  if (std::abs(side[1] - side[3]) > 1.0f + rel * mean) return false;
  const cv::Point2f mid_a = (q[0] + q[2]) * 0.5f, mid_b = (q[1] + q[3]) * 0.5f;
  return cv::norm(mid_a - mid_b) <= 0.5 + 0.5 * rel * mean;
}

// The answer on top, as the student holds it: the card's own up direction is compared with
// the image's vertical *in the card's plane*. The homography's derivative at the card's
// centre takes image directions back onto the card: image-up there is the direction a
// person looking at the card would call up. For a card held flat to the camera this is the
// image angle of its top side; on a tilted card the image angle is skewed by the tilt (a
// card rolled 25 degrees and tilted 50 degrees about a diagonal shows its top side at
// 35-40 degrees in the image) while the card-plane angle stays at its roll. Returns the
// corner index that is the top-left (its side to the next corner is the top), or -1 when
// the top points more than max_deg from up (near 45 degrees two letters are on top).
int top_corner_of(const Corners& corners, int g, float max_deg) {
  const Homography H = grid_to_image(corners, g);
  // Jacobian of grid -> image at the centre, by central differences over +-0.5 cell.
  const double c = g / 2.0;
  const cv::Point2f ex = H.map(c + 0.5, c) - H.map(c - 0.5, c), ey = H.map(c, c + 0.5) - H.map(c, c - 0.5);
  const double det = static_cast<double>(ex.x) * ey.y - static_cast<double>(ey.x) * ex.y;
  if (std::abs(det) < 1e-9) return -1;
  // Image up (0, -1) in grid coordinates of corner 0's frame: J^-1 (0, -1).
  const double ux = ey.x / det, uy = -ex.x / det;
  // Grid "up" of corner 0's frame is (0, -1); corner r's frame is turned by 90 degrees r
  // times (clockwise on the card: r = 1 puts corner 1 top-left).
  const double angle = std::atan2(ux, -uy) * 180.0 / CV_PI;  // 0: upright in corner 0's frame
  int best = -1;
  double best_abs = 1e9;
  for (int r = 0; r < 4; ++r) {
    double a = angle - 90.0 * r;
    while (a > 180) a -= 360;
    while (a <= -180) a += 360;
    if (std::abs(a) < best_abs) {
      best_abs = std::abs(a);
      best = r;
    }
  }
  return best_abs <= max_deg ? best : -1;
}

std::optional<Corners> as_held(const Corners& corners, int g, float max_deg) {
  const int rot = top_corner_of(corners, g, max_deg);
  if (rot < 0) return std::nullopt;
  Corners seen;
  for (int j = 0; j < 4; ++j) seen[static_cast<size_t>(j)] = corners[static_cast<size_t>((j + rot) % 4)];
  return seen;
}

float cell_px_of(const Corners& q, int g) {
  float perimeter = 0;
  for (int j = 0; j < 4; ++j) perimeter += static_cast<float>(cv::norm(q[static_cast<size_t>((j + 1) % 4)] - q[static_cast<size_t>(j)]));
  return perimeter / 4 / static_cast<float>(g);
}

CardRead read_of(const CardMatch& match, const Corners& seen, float margin) {
  CardRead read;
  read.card = match.card;
  read.answer = match.answer;
  read.margin = std::clamp(margin, 0.0f, 1.0f);
  const int k = static_cast<int>(match.answer);
  for (int i = 0; i < 4; ++i) read.corners[static_cast<size_t>(i)] = seen[static_cast<size_t>((i - k + 4) % 4)];
  return read;
}

}  // namespace cardpoll::detect
