// The mask's outlines as the candidate stages share them (outlines.h): areas, the
// convex hull and the quadrilateral a hull makes, and the index of components by place.
#include "scanner/outlines.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cardpoll::detect {

// Area of a polygon of integer points (shoelace; exact in double at frame sizes, so the
// same value as cv::contourArea without its per-call overhead).
double poly_area(const std::vector<cv::Point>& p) {
  const size_t n = p.size();
  if (n < 3) return 0;
  int64_t s = 0;
  for (size_t i = 0, j = n - 1; i < n; j = i++)
    s += static_cast<int64_t>(p[j].x) * p[i].y - static_cast<int64_t>(p[i].x) * p[j].y;
  return std::abs(static_cast<double>(s)) / 2;
}

namespace {

int64_t cross_i(cv::Point o, cv::Point a, cv::Point b) {
  return static_cast<int64_t>(a.x - o.x) * (b.y - o.y) - static_cast<int64_t>(a.y - o.y) * (b.x - o.x);
}

// Convex hull of integer points (Andrew's monotone chain over the column extremes, collinear points dropped) in
// `hull`, in cv::convexHull's order (same turning direction; starting where it starts: at
// the point of lowest input index when the hull's input indices rise cyclically, at the
// highest when they fall, else at the last point in (x, y) order), so that everything
// downstream sees the same quads. `keys` and `out` are scratch. Several hundred blobs per frame:
// cv::convexHull's per-call overhead (array wrappers, allocations) was a tenth of the time.
void convex_hull(const std::vector<cv::Point>& pts, std::vector<cv::Point>& hull, std::vector<uint64_t>& keys,
                 std::vector<int>& out) {
  hull.clear();
  const int total = static_cast<int>(pts.size());
  if (total == 0) return;
  // Only the topmost and bottommost point of each column can be a hull vertex, and
  // walking the columns left to right gives them in (x, y) order without sorting. Of
  // points repeated at the same place the lowest index is kept.
  int x0 = pts[0].x, x1 = pts[0].x;
  for (const cv::Point& p : pts) {
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
  }
  const size_t width = static_cast<size_t>(x1 - x0 + 1);
  keys.assign(2 * width, ~uint64_t{0});  // per column: index of the top, of the bottom point
  uint64_t* top = keys.data();
  uint64_t* bottom = keys.data() + width;
  for (int i = 0; i < total; ++i) {
    const cv::Point p = pts[static_cast<size_t>(i)];
    const size_t c = static_cast<size_t>(p.x - x0);
    if (top[c] == ~uint64_t{0} || p.y < pts[top[c]].y) top[c] = static_cast<uint64_t>(i);
    if (bottom[c] == ~uint64_t{0} || p.y > pts[bottom[c]].y) bottom[c] = static_cast<uint64_t>(i);
  }
  std::vector<int>& idx = out;  // the column extremes first, the hull's indices behind them
  idx.resize(2 * width + 2 * (2 * width) + 1);
  size_t n = 0;
  for (size_t c = 0; c < width; ++c) {
    if (top[c] == ~uint64_t{0}) continue;
    idx[n++] = static_cast<int>(top[c]);
    if (pts[bottom[c]] != pts[top[c]]) idx[n++] = static_cast<int>(bottom[c]);
  }
  int* const hull_idx = idx.data() + n;
  auto P = [&](int i) { return pts[static_cast<size_t>(i)]; };
  size_t k = 0;
  if (n < 3) {
    for (size_t i = 0; i < n; ++i) hull_idx[k++] = idx[i];
  } else {
    for (size_t i = 0; i < n; ++i) {
      while (k >= 2 && cross_i(P(hull_idx[k - 2]), P(hull_idx[k - 1]), P(idx[i])) <= 0) --k;
      hull_idx[k++] = idx[i];
    }
    for (size_t i = n - 1, lower = k + 1; i-- > 0;) {
      while (k >= lower && cross_i(P(hull_idx[k - 2]), P(hull_idx[k - 1]), P(idx[i])) <= 0) --k;
      hull_idx[k++] = idx[i];
    }
    --k;
  }
  // Start: cyclically rising indices start at the lowest, falling at the highest.
  size_t start = 0;
  bool found = false;
  if (k >= 3) {
    size_t lo = 0, hi = 0, rises = 0;
    for (size_t i = 0; i < k; ++i) {
      if (hull_idx[i] < hull_idx[lo]) lo = i;
      if (hull_idx[i] > hull_idx[hi]) hi = i;
      rises += hull_idx[i] < hull_idx[(i + 1) % k];
    }
    if (rises == k - 1) { start = lo; found = true; }
    else if (rises == 1) { start = hi; found = true; }
  }
  if (!found) {
    // The last point in (x, y) order: the monotone chain's upper turn starts there.
    for (size_t i = 0; i < k; ++i)
      if (hull_idx[i] == idx[n - 1]) start = i;
  }
  hull.resize(k);
  for (size_t i = 0; i < k; ++i) hull[i] = P(hull_idx[(start + i) % k]);
}

// The four hull points spanning the largest quadrilateral, found the cheap way: the two
// hull points farthest apart are one diagonal, the farthest points on either side of it
// the other two. Exact for a square with blunted corners and for perspective views of one.
bool hull_quad(const std::vector<cv::Point>& hull, Corners& out) {
  const size_t n = hull.size();
  if (n < 4) return false;
  size_t ia = 0, ib = 0;
  float best = -1;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      const float d = dist2(hull[i], hull[j]);
      if (d > best) {
        best = d;
        ia = i;
        ib = j;
      }
    }
  const cv::Point2f a = hull[ia], b = hull[ib];
  float lo = 0, hi = 0;
  size_t il = ia, ih = ia;
  for (size_t i = 0; i < n; ++i) {
    const float c = cross(a, b, hull[i]);
    if (c < lo) { lo = c; il = i; }
    if (c > hi) { hi = c; ih = i; }
  }
  if (il == ia || ih == ia) return false;
  // On a y-down image a point with cross(a, b, p) < 0 lies clockwise after a.
  out = {a, cv::Point2f(hull[il]), b, cv::Point2f(hull[ih])};
  return true;
}

}  // namespace

double quad_area(const Corners& q) {
  double s = 0;
  for (int i = 0; i < 4; ++i) {
    const cv::Point2f p = q[static_cast<size_t>(i)], r = q[static_cast<size_t>((i + 1) % 4)];
    s += static_cast<double>(p.x) * r.y - static_cast<double>(r.x) * p.y;
  }
  return std::abs(s) / 2;
}

// The quad of a set of boundary points if its hull is close to a quadrilateral of card
// size and its dark `area` fills enough of it. `hull_out` gets the hull.
bool quad_of(const std::vector<cv::Point>& pts, double area, float min_side, float max_side, Corners& out,
             std::vector<cv::Point>* hull_out) {
  std::vector<cv::Point> local;
  std::vector<cv::Point>& hull = hull_out ? *hull_out : local;
  thread_local std::vector<uint64_t> keys;
  thread_local std::vector<int> order;
  convex_hull(pts, hull, keys, order);
  if (!hull_quad(hull, out)) return false;
  const double qa = quad_area(out);
  const double ha = poly_area(hull);
  if (qa < 0.3 * min_side * min_side || ha <= 0) return false;
  if (qa < 0.85 * ha) return false;  // the hull is not a quadrilateral
  float shortest = 1e9f, longest = 0;
  for (int k = 0; k < 4; ++k) {
    const float s = std::sqrt(dist2(out[static_cast<size_t>(k)], out[static_cast<size_t>((k + 1) % 4)]));
    shortest = std::min(shortest, s);
    longest = std::max(longest, s);
  }
  if (longest > max_side || shortest < 0.45f * min_side || shortest < 0.25f * longest) return false;
  // Dark fraction of the quad: a card's ring and corners alone are 0.44 of it; a solid
  // square is 1. Blur and the half-pixel hull bias (hull points are the centres of the
  // boundary pixels) move both a little.
  return area / qa >= 0.3;
}

// A card whose corner cell is lost (blurred off, or detached and not merged back) has a
// hull with that corner cut off: hull_quad then puts one corner up to a cell inwards and
// refining or the centre check refuses it. The missing corner is where the other three
// say (a parallelogram: perspective moves it by well under a pixel at card sizes). Of the
// four completions only the right one contains every hull point; it is added when the
// hull fills most of it (one cut corner costs at most a few cells of 25).
void add_completions(const std::vector<cv::Point>& hull, const Corners& q, std::vector<Corners>& quads) {
  if (hull.size() < 4) return;
  const double ha = poly_area(hull);
  float perimeter = 0;
  for (int k = 0; k < 4; ++k) perimeter += std::sqrt(dist2(q[static_cast<size_t>(k)], q[static_cast<size_t>((k + 1) % 4)]));
  const float tol = 1.0f + 0.02f * perimeter / 4;  // pixels outside the quad allowed
  for (size_t k = 0; k < 4; ++k) {
    Corners c = q;
    c[k] = q[(k + 3) % 4] + q[(k + 1) % 4] - q[(k + 2) % 4];
    if (dist2(c[k], q[k]) < 1.0f) continue;  // nothing cut there
    const double ca = quad_area(c);
    if (ca <= 0 || ha < 0.7 * ca || ha > 1.1 * ca) continue;
    // Convex, turning the same way at every corner; hull points inside (within tol).
    const float orient = cross(c[0], c[1], c[2]) > 0 ? 1.0f : -1.0f;
    bool ok = true;
    for (size_t j = 0; j < 4 && ok; ++j) ok = cross(c[j], c[(j + 1) % 4], c[(j + 2) % 4]) * orient > 0;
    for (size_t j = 0; j < 4 && ok; ++j) {
      const cv::Point2f a = c[j], b = c[(j + 1) % 4];
      const float len = std::sqrt(dist2(a, b));
      if (len < 1e-3f) ok = false;
      for (size_t i = 0; i < hull.size() && ok; ++i)
        ok = cross(a, b, cv::Point2f(hull[i])) * orient / len >= -tol;  // signed distance inside
    }
    if (ok) quads.push_back(c);
  }
}

void BlobIndex::build(const std::vector<cv::Rect>& boxes, const std::vector<cv::Vec4i>& hierarchy, cv::Size frame,
                      float max_box) {
  blobs.clear();
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (hierarchy[i][3] >= 0) continue;
    const cv::Rect box = boxes[i];
    if (static_cast<float>(std::max(box.width, box.height)) > max_box) continue;
    blobs.push_back({i, box});
  }
  cols = frame.width / kBin + 1;
  rows = frame.height / kBin + 1;
  // Emptied, not assigned anew: the bins keep their storage from frame to frame.
  bins.resize(static_cast<size_t>(cols * rows));
  for (auto& bin : bins) bin.clear();
  for (size_t b = 0; b < blobs.size(); ++b) {
    const cv::Rect& r = blobs[b].box;
    const int cx = (r.x + r.width / 2) / kBin, cy = (r.y + r.height / 2) / kBin;
    bins[static_cast<size_t>(cy * cols + cx)].push_back(static_cast<int>(b));
  }
}

}  // namespace cardpoll::detect
