// The card's grid in the image (card_grid.h).
#include "scanner/card_grid.h"

#include <algorithm>
#include <cmath>

namespace cardpoll::detect {

// Grid coordinates (0..g, cell corners) -> image, with seen[0] at grid (0, 0).
//
// The square-to-quadrilateral homography in closed form (Heckbert, "Fundamentals of
// Texture Mapping and Image Warping", 1989, section 2.2.3), the unit square's then scaled
// to the grid's, with h[8] = 1 as cv::getPerspectiveTransform gives it. That call solves
// the general 8 x 8 system by LU for every quad: 6,900 instructions a call, 3.4% of
// read_cards' on the typical setting, for what is a few dozen operations here. The two
// agree to rounding (tests/scanner/test_card_grid.cpp).
Homography grid_to_image(const Corners& seen, int g) {
  const double x0 = seen[0].x, y0 = seen[0].y, x1 = seen[1].x, y1 = seen[1].y;
  const double x2 = seen[2].x, y2 = seen[2].y, x3 = seen[3].x, y3 = seen[3].y;
  const double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;  // 0 for a parallelogram
  const double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
  const double den = dx1 * dy2 - dx2 * dy1;
  // Corners 1, 2 and 3 in a line: no homography. getPerspectiveTransform's solve failed
  // then and it gave zeros but h[8] = 1, every grid point at the image's origin; so does
  // this. (Other degenerate quads come out of both the same way: the tests compare them.)
  Homography H{};
  H.h[8] = 1;
  if (den == 0) return H;
  const double p = (sx * dy2 - dx2 * sy) / den, q = (dx1 * sy - sx * dy1) / den;
  const double inv = 1.0 / static_cast<double>(g);
  H.h[0] = (x1 - x0 + p * x1) * inv;
  H.h[1] = (x3 - x0 + q * x3) * inv;
  H.h[2] = x0;
  H.h[3] = (y1 - y0 + p * y1) * inv;
  H.h[4] = (y3 - y0 + q * y3) * inv;
  H.h[5] = y0;
  H.h[6] = p * inv;
  H.h[7] = q * inv;
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
