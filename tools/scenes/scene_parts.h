// Internals of the scene renderer shared by its files (scene.cpp: the room and the cards;
// camera.cpp: light, optics, sensor and compression). Not part of the public API.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <opencv2/core.hpp>

#include "core/deck.h"
#include "tools/scenes/scene.h"

namespace cardpoll::scenes::detail {

constexpr double kPi = 3.14159265358979323846;

using Rng = std::mt19937_64;
inline float uni(Rng& r, float a, float b) { return std::uniform_real_distribution<float>(a, b)(r); }
inline int uni_int(Rng& r, int a, int b) { return std::uniform_int_distribution<int>(a, b)(r); }
inline bool chance(Rng& r, float p) { return p > 0 && uni(r, 0, 1) < p; }

// Card plane -> frame: the pattern centre at the placement, cells of side_px/cells pixels
// at the card's depth, turned by roll (in plane) and tilts, seen by a pinhole camera whose
// focal length is the frame width.
struct Pose {
  cv::Matx33d R;
  double f, s;
  cv::Point2d c;
  // X, Y in cells from the pattern centre; Z in cells off the card plane (towards the camera < 0)
  cv::Point2f project(double X, double Y, double Z = 0) const {
    const cv::Vec3d p = R * cv::Vec3d(X * s, Y * s, Z * s) + cv::Vec3d(0, 0, f);
    return {static_cast<float>(c.x + f * p[0] / p[2]), static_cast<float>(c.y + f * p[1] / p[2])};
  }
};

Pose pose_of(const Placement& pl, int cells, cv::Size frame);

// How one card is bent: none, or sagging about one of its edges (cylindrical): the free
// edge is `depth` cells off the plane, growing with the square of the distance.
struct Curl {
  int axis = -1;      // -1 flat; 0: bent along X (held at a vertical edge); 1: along Y
  double depth = 0;   // cells, signed
  double half = 1;    // half the card's side, cells
  int held = 1;       // which end is held: +1 the high end, -1 the low end
  double z(double X, double Y) const {
    if (axis < 0) return 0;
    const double t = ((axis == 0 ? X : Y) * held + half) / (2 * half);  // 0 at the free end
    return depth * (1 - t) * (1 - t);
  }
};

// A rotated rectangle filled by a pattern function of its local coordinates (pixels): a
// grey level (< 0: leave the pixel), times `colour` (BGR, 0..1; grey by default).
template <typename Fn>
void paint_patch(cv::Mat& frame, cv::Point2f centre, float w, float h, float angle_deg, Fn pattern,
                 cv::Vec3f colour = {1, 1, 1}) {
  const float a = angle_deg * static_cast<float>(kPi) / 180, ca = std::cos(a), sa = std::sin(a);
  const float r = std::sqrt(w * w + h * h) / 2 + 1;
  const int x0 = std::max(0, static_cast<int>(centre.x - r)), x1 = std::min(frame.cols - 1, static_cast<int>(centre.x + r));
  const int y0 = std::max(0, static_cast<int>(centre.y - r)), y1 = std::min(frame.rows - 1, static_cast<int>(centre.y + r));
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      const float dx = x - centre.x, dy = y - centre.y;
      const float u = dx * ca + dy * sa + w / 2, v = -dx * sa + dy * ca + h / 2;
      if (u < 0 || v < 0 || u >= w || v >= h) continue;
      const int val = pattern(u, v);
      if (val < 0) continue;
      cv::Vec3b& d = frame.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) d[c] = static_cast<uchar>(std::clamp(static_cast<int>(val * colour[c] + 0.5f), 0, 255));
    }
}

// Paints `src` (8UC3, with its 0/255 `mask`) into `frame` (8UC3) through homography H (src
// px -> frame px), anti-aliased by rendering at 4x and averaging down.
void paint_warped(cv::Mat& frame, const cv::Mat& src, const cv::Mat& mask, const cv::Matx33d& H);
// A backlit window at the top of the room, 20-45 % of the frame wide and 25-55 % high, painted
// in a colour nothing else is painted in (kWindowPaint). Returns its mask (255 inside).
extern const cv::Scalar kWindowPaint;
cv::Mat1b paint_window(cv::Mat& frame, Rng& fx);
// The part of `window` that still shows once the room is painted: pixels still in the
// window's colour. Paper painted over it (even paper at 255) is in front of it.
cv::Mat1b window_still_showing(const cv::Mat1b& window, const cv::Mat& frame);
// Clothes, squares, text, checkerboards, look-alike grids, heads, tile posters.
void paint_clutter(cv::Mat& frame, Rng& rng, int count, const Deck& deck);
// Large desks and posters.
void paint_big_clutter(cv::Mat& frame, Rng& fx, int count);
// A dark, coloured or patterned object right behind a card of `card_side` px at `centre`.
void paint_backdrop(cv::Mat& frame, Rng& fx, cv::Point2f centre, float card_side);
// Pastel card stock (BGR gains).
cv::Vec3f paper_tint(Rng& fx);
// A laminate's glare band across the card image.
void glare_band(cv::Mat& card, Rng& fx);
// The card image through the pose (bent in strips when curled).
void paint_card(cv::Mat& frame, const cv::Mat& card, const Pose& pose, float half_card, const Curl& curl);
// A line blur of `len` px at angle `ang` (radians) over `around` and a little beyond.
void motion_blur(cv::Mat& frame, cv::Rect around, float len, float ang);

// What the camera does to the room: light falloff, glare, vignetting, backlight and
// exposure, barrel distortion (moves the truth corners), blur or defocus, noise,
// sharpening, then JPEG (colour 4:2:0 or grey). `rng` is the stream the original effects
// (gradient .. JPEG) have always drawn from; `fx` draws the newer ones, so a preset that
// leaves them off renders the frames it always rendered. `window` marks a backlit window
// (255) painted into the room, or is empty. Returns the 8-bit grey frame the app would see.
cv::Mat camera_pipeline(cv::Mat3f room, const Effects& e, Rng& rng, Rng& fx, const cv::Mat1b& window,
                        std::vector<TruthMarker>& truth);

}  // namespace cardpoll::scenes::detail
