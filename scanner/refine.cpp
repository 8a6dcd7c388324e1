// Stage 3: corners from the hull -> sub-pixel corners.
//
// The hull runs through the centres of the outermost dark pixels, so it is biased inwards
// by the threshold and pixel grid. Each side of the card is walked; where the outer cell is
// black (always at both ends: the corner cells) the grey profile across the side crosses
// from dark to light, and the crossing at the midpoint level is the edge to sub-pixel
// precision. A robust line through those points per side, and the intersections of
// neighbouring sides, are the corners. White data cells on the border give no edge and are
// skipped by their lack of contrast.
#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

struct Line {
  cv::Point2f p, d;  // a point and a unit direction
};

bool intersect(const Line& a, const Line& b, cv::Point2f& out) {
  const float den = a.d.x * b.d.y - a.d.y * b.d.x;
  if (std::abs(den) < 1e-4f) return false;
  const cv::Point2f w = b.p - a.p;
  const float t = (w.x * b.d.y - w.y * b.d.x) / den;
  out = a.p + t * a.d;
  return true;
}

// Total least squares line: through the centroid along the main axis of the scatter.
Line fit_line(const std::vector<cv::Point2f>& pts) {
  cv::Point2f m(0, 0);
  for (const auto& p : pts) m += p;
  m *= 1.0f / static_cast<float>(pts.size());
  float sxx = 0, sxy = 0, syy = 0;
  for (const auto& p : pts) {
    const cv::Point2f d = p - m;
    sxx += d.x * d.x;
    sxy += d.x * d.y;
    syy += d.y * d.y;
  }
  const float angle = 0.5f * std::atan2(2 * sxy, sxx - syy);
  return {m, {std::cos(angle), std::sin(angle)}};
}

float perimeter_of(const Corners& q) {
  float p = 0;
  for (size_t k = 0; k < 4; ++k) p += static_cast<float>(cv::norm(q[(k + 1) % 4] - q[k]));
  return p;
}

// Where the search starts. The hull runs through the centres of the outermost dark pixels
// (half a pixel in) and blur moves a dark corner further in: hull quads of 12-16 px cards
// are 7-11% smaller than the card (bench/diag_misses). On a 2.5 px cell the window of
// edge_line is only +-1.5 px, and a side that starts a pixel inside the card finds its
// light end still on the edge and its crossing too far in: refined outlines were 5-7%
// small, a corner 1-2 px (half a cell) off, and the cells read "margin". So the search
// starts kHullBias px further out on cards up to 4 px a cell, fading to none at 6 px, where
// the window reaches 3.6 px and the hull's bias no longer matters (larger cards refine as
// they did).
Corners search_start(const Corners& hull, cv::Point2f centre, int grid) {
  constexpr float kHullBias = 0.75f;
  const float hull_cell = perimeter_of(hull) / 4.0f / static_cast<float>(std::max(1, grid));
  const float bias = kHullBias * std::clamp((6.0f - hull_cell) / 2.0f, 0.0f, 1.0f);
  Corners start = hull;
  for (auto& c : start) {
    const cv::Point2f d = c - centre;
    const float len = static_cast<float>(cv::norm(d));
    if (len > 1e-3f) c += d * (bias * 1.41421356f / len);  // each side of a square moves `bias` out
  }
  return start;
}

// The card's edge along the side a -> b: where the outer cell is black, the crossing of the
// grey profile across the side at the midpoint level, and a line through those points.
// Nothing when fewer than 3 points are found.
std::optional<Line> edge_line(const cv::Mat& gray, cv::Point2f a, cv::Point2f b, cv::Point2f centre, float cell) {
  // Search across the side as far as 0.6 of a cell, but at least 1.5 px so a half-pixel
  // hull bias plus blur on a 2.4 px cell is still inside the window.
  const float reach = std::max(1.5f, 0.6f * cell);
  // 17 samples across the edge: a quarter pixel apart on small cards, coarser on big ones
  // (where blur spans more pixels too).
  constexpr int nprof = 17;
  const float step = 2 * reach / (nprof - 1);
  std::array<float, nprof> prof{};
  const cv::Point2f ab = b - a;
  const float len = static_cast<float>(cv::norm(ab));
  if (len < 2) return std::nullopt;
  const cv::Point2f dir = ab / len;
  cv::Point2f normal(dir.y, -dir.x);
  if (normal.dot((a + b) * 0.5f - centre) < 0) normal = -normal;  // outwards
  const int nsamples = std::clamp(static_cast<int>(len / 0.75f), 8, 20);
  std::vector<cv::Point2f> pts;
  pts.reserve(static_cast<size_t>(nsamples));
  for (int s = 0; s < nsamples; ++s) {
    // Stay off the last 0.3 cell at each end: the neighbouring side's edge is there.
    const float f = (static_cast<float>(s) + 0.5f) / static_cast<float>(nsamples);
    const float along = std::clamp(f * len, 0.3f * cell, len - 0.3f * cell);
    const cv::Point2f p = a + dir * along;
    auto sample = [&](int i) {
      const cv::Point2f q = p + normal * (-reach + step * static_cast<float>(i));
      return prof[static_cast<size_t>(i)] = sample_grey(gray, q.x, q.y);
    };
    // The two ends first: where they differ too little (a white data cell: no edge here)
    // the 13 samples between are not taken. The same profiles are refused as before, for
    // 15% fewer instructions in refine's sampling on the typical setting (callgrind).
    if (std::min({sample(0), sample(1), sample(nprof - 2), sample(nprof - 1)}) < 0) continue;  // off the frame
    const float in = std::min(prof[0], prof[1]);
    const float out = std::max(prof[nprof - 1], prof[nprof - 2]);
    if (out - in < 20) continue;
    bool inside = true;
    for (int i = 2; i < nprof - 2; ++i) inside = sample(i) >= 0 && inside;
    if (!inside) continue;
    const float level = (in + out) / 2;
    // The crossing nearest the current side position.
    float best_t = 1e9f;
    for (int i = 0; i + 1 < nprof; ++i) {
      const float v0 = prof[static_cast<size_t>(i)], v1 = prof[static_cast<size_t>(i + 1)];
      if (v0 < level && v1 >= level) {
        const float t = -reach + step * (static_cast<float>(i) + (level - v0) / (v1 - v0));
        if (std::abs(t) < std::abs(best_t)) best_t = t;
      }
    }
    if (best_t > 1e8f) continue;
    pts.push_back(p + normal * best_t);
  }
  if (pts.size() < 3) return std::nullopt;
  Line l = fit_line(pts);
  // One pass of outlier removal: points far off the first fit (a finger, a neighbouring
  // edge) are dropped and the line fitted again.
  std::vector<cv::Point2f> kept;
  for (const auto& q : pts)
    if (std::abs((q - l.p).cross(l.d)) < std::max(0.5f, 0.15f * cell)) kept.push_back(q);
  if (kept.size() >= 3 && kept.size() < pts.size()) l = fit_line(kept);
  return l;
}

// One pass: a line along each side of `start`, and the corners where neighbouring lines
// meet. Nothing when a side has no line or a corner lands more than `max_move` px from
// `start`'s.
std::optional<Corners> fit_outline(const cv::Mat& gray, const Corners& start, float cell, float max_move) {
  cv::Point2f centre(0, 0);
  for (const auto& c : start) centre += c * 0.25f;
  std::array<Line, 4> lines;
  for (size_t k = 0; k < 4; ++k) {
    const auto line = edge_line(gray, start[k], start[(k + 1) % 4], centre, cell);
    if (!line) return std::nullopt;
    lines[k] = *line;
  }
  Corners out;
  for (size_t k = 0; k < 4; ++k) {
    // Corner k is where side k-1 (ending at it) meets side k (starting at it).
    cv::Point2f p;
    if (!intersect(lines[(k + 3) % 4], lines[k], p)) return std::nullopt;
    if (cv::norm(p - start[k]) > max_move) return std::nullopt;
    out[k] = p;
  }
  return out;
}

float largest_move(const Corners& a, const Corners& b) {
  float m = 0;
  for (size_t k = 0; k < 4; ++k) m = std::max(m, static_cast<float>(cv::norm(a[k] - b[k])));
  return m;
}

}  // namespace

std::optional<Corners> refine_corners(const cv::Mat& gray, const Corners& hull, int grid, const ReadRules& rules) {
  cv::Point2f centre(0, 0);
  for (const auto& c : hull) centre += c * 0.25f;
  const Corners start = search_start(hull, centre, grid);
  const float cell = perimeter_of(start) / 4.0f / static_cast<float>(std::max(1, grid));
  const float near = std::max(2.0f, 0.5f * cell);
  const auto out = fit_outline(gray, start, cell, std::numeric_limits<float>::infinity());
  if (!out) return std::nullopt;
  const float moved = largest_move(*out, hull);
  if (moved <= near) return out;
  if (moved > 1.5f * cell || cell < rules.search_again_min_cell_px) return std::nullopt;
  // A corner of the hull can be pulled out by what touches the card there (a dark backdrop
  // or a glare band merged with its ring), and the sides searched from that hull meet up to
  // a cell or more from it: cards of 30-57 px, sharp and decodable from their true corners,
  // were refused that way (wild, bench/diag_misses). Such an outline is searched again from
  // itself and kept only if every side finds itself again within half a cell: a quad that
  // is not a whole card has no such outline.
  const float cell2 = perimeter_of(*out) / 4.0f / static_cast<float>(std::max(1, grid));
  return fit_outline(gray, *out, cell2, std::max(2.0f, 0.5f * cell2));
}

bool outline_far_from_hull(const Corners& outline, const Corners& hull, int grid) {
  const float cell = perimeter_of(hull) / 4.0f / static_cast<float>(std::max(1, grid));
  return largest_move(outline, hull) > std::max(2.0f, 0.5f * cell);
}

}  // namespace cardpoll::detect
