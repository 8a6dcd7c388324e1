// Stage 2: dark mask -> four-corner candidates.
//
// Every card is one dark component: its four corner cells are black (so the convex hull of
// the component is the card's square whatever the data), and the ring one cell in joins
// all black cells together, its white centre being the component's hole. So a candidate is
// a dark component whose hull is close to a quadrilateral of card size and whose dark
// fraction of that quadrilateral is within what a card can have. Holes are counted (two-
// level contours) but not required here: at 12 px the centre hole may blur shut; the decode
// stage checks the centre by sampling.
//
// A corner cell meets the ring at a single point, which blur opens about half the time at
// any card size: the cell is then a blob of its own a pixel or two off the component.
// Such blobs (up to four, nearest first, within 3 px of the component's hull, then within
// the reach the frame's blur can open that point to, up to 4.5 px) are merged back and
// those quads are tried first. When a corner is still cut off (the cell
// blurred away, or more specks than corner cells), the hull quad with that corner
// completed from the other three is tried last, at a stricter decode margin.
//
// Two-level contours (RETR_CCOMP) and not external ones: a card held in front of a dark
// shirt sits inside a hole of the shirt's component and must still be found.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

float cross(cv::Point2f o, cv::Point2f a, cv::Point2f b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

float dist2(cv::Point2f a, cv::Point2f b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

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

// Bounding box of points (cv::boundingRect without its per-call overhead).
cv::Rect bounding_box(const std::vector<cv::Point>& p) {
  if (p.empty()) return {};
  int x0 = p[0].x, x1 = p[0].x, y0 = p[0].y, y1 = p[0].y;
  for (const cv::Point& q : p) {
    x0 = std::min(x0, q.x);
    x1 = std::max(x1, q.x);
    y0 = std::min(y0, q.y);
    y1 = std::max(y1, q.y);
  }
  return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

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
             std::vector<cv::Point>* hull_out = nullptr) {
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

}  // namespace

bool polygon_centroid(const std::vector<cv::Point>& p, cv::Point2f& centre) {
  if (p.empty()) return false;
  double a00 = 0, a10 = 0, a01 = 0;
  double x0 = p.back().x, y0 = p.back().y;
  for (const cv::Point& q : p) {
    const double x1 = q.x, y1 = q.y;
    const double dxy = x0 * y1 - x1 * y0;
    a00 += dxy;
    a10 += dxy * (x0 + x1);
    a01 += dxy * (y0 + y1);
    x0 = x1, y0 = y1;
  }
  if (a00 == 0) return false;
  // cv::moments flips the signs of a clockwise polygon's sums; negation is exact and cancels
  // in the quotient, so the centre is the same either way round.
  constexpr double kSixth = 0.16666666666666666666666666666667;
  const double m00 = a00 * 0.5, m10 = a10 * kSixth, m01 = a01 * kSixth;
  centre = {static_cast<float>(m10 / m00), static_cast<float>(m01 / m00)};
  return true;
}

std::vector<Candidate> find_candidates(const cv::Mat& dark, const DetectParams& params,
                                       std::vector<HoleSeed>* seeds) {
  std::vector<Candidate> out;
  // Kept between frames (one set per thread): findContours resizes them in place, so the
  // ~2000 point vectors of a frame reuse their storage instead of being allocated anew.
  thread_local std::vector<std::vector<cv::Point>> contours;
  thread_local std::vector<cv::Vec4i> hierarchy;
  cv::findContours(dark, contours, hierarchy, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
  const float min_side = std::max(4.0f, params.min_side_px);
  const float max_side = params.max_side_fraction * static_cast<float>(std::min(dark.cols, dark.rows));

  if (seeds) {
    seeds->clear();
    // Holes of a card's centre size: from 1 px (a 12 px card's centre cell, shrunk by
    // blur; the boundary adds a pixel each side) to kMaxSeedHole, not much longer one way
    // than the other (tilt to 50 degrees foreshortens a cell to 0.64), and filling their
    // box like a square. Only cards whose margin the blur can close merge with their
    // backdrop: 0.8 cell, foreshortened to 0.5 by tilt, against blur sigmas up to 2.5 px
    // (motion, defocus and the lens together) is cells up to about 12 px. Larger holes
    // (clutter, near cards that already read) are left alone: they cost the most.
    const float max_cell = std::min(kMaxSeedHole, 1.2f * max_side / 5.0f);
    thread_local std::vector<cv::Rect> parent_boxes;
    parent_boxes.assign(contours.size(), cv::Rect());
    for (size_t i = 0; i < contours.size(); ++i) {
      if (hierarchy[i][3] < 0) continue;
      const cv::Rect box = bounding_box(contours[i]);
      const int lo = std::min(box.width, box.height), hi = std::max(box.width, box.height);
      if (lo < 3 || static_cast<float>(hi) > max_cell || 3 * lo < hi) continue;
      // The ring around a card's centre is a cell wide on every side: its component spans
      // at least three of the hole's widths (letters' and digits' holes have thin strokes).
      const size_t pi = static_cast<size_t>(hierarchy[i][3]);
      if (parent_boxes[pi].width == 0) parent_boxes[pi] = bounding_box(contours[pi]);  // once per component
      const cv::Rect parent = parent_boxes[pi];
      if (std::min(parent.width, parent.height) < 2 * lo || std::max(parent.width, parent.height) < 2.5 * hi) continue;
      const double area = poly_area(contours[i]);
      if (area < 0.4 * static_cast<double>(box.area())) continue;
      HoleSeed seed;
      const cv::Moments mo = cv::moments(contours[i]);
      if (mo.m00 <= 0) continue;
      seed.centre = {static_cast<float>(mo.m10 / mo.m00), static_cast<float>(mo.m01 / mo.m00)};
      seed.box = box;
      seed.component = static_cast<size_t>(hierarchy[i][3]);
      seed.spread = {static_cast<float>(mo.mu20 / mo.m00), static_cast<float>(mo.mu11 / mo.m00),
                     static_cast<float>(mo.mu02 / mo.m00)};
      seeds->push_back(seed);
    }
  }

  // Outer boundaries only (holes are children), with their boxes.
  struct Blob {
    size_t contour;
    cv::Rect box;
  };
  std::vector<Blob> blobs;
  for (size_t i = 0; i < contours.size(); ++i) {
    if (hierarchy[i][3] >= 0) continue;
    const cv::Rect box = bounding_box(contours[i]);
    if (std::max(box.width, box.height) > max_side * 1.5f) continue;
    blobs.push_back({i, box});
  }
  // A corner cell touches the rest of the card only at one diagonal point, which blur can
  // open: then the card is one big blob plus up to four cell-sized blobs at its corners.
  // Small blobs are indexed on a coarse grid so each big blob can find its neighbours.
  constexpr int kBin = 32;
  const int bw = dark.cols / kBin + 1, bh = dark.rows / kBin + 1;
  std::vector<std::vector<int>> bins(static_cast<size_t>(bw * bh));
  for (size_t b = 0; b < blobs.size(); ++b) {
    const cv::Rect& r = blobs[b].box;
    const int cx = (r.x + r.width / 2) / kBin, cy = (r.y + r.height / 2) / kBin;
    bins[static_cast<size_t>(cy * bw + cx)].push_back(static_cast<int>(b));
  }

  std::vector<cv::Point> merged;
  struct Edge {
    cv::Point2f a, n;
  };
  std::vector<Edge> edges;
  std::vector<std::pair<float, size_t>> near_blobs;
  for (const Blob& blob : blobs) {
    const cv::Rect& box = blob.box;
    const int big = std::max(box.width, box.height);
    // The ring alone (all data white, corners detached) is 3/5 of the card; a card tilted
    // 50 degrees spans ~0.6 of its side in its narrow direction.
    if (big < 0.55f * min_side - 1 || std::min(box.width, box.height) < 0.33f * min_side - 1) continue;
    const auto& c = contours[blob.contour];
    const double area = poly_area(c);
    // A card's dark cells fill at least 0.3 of its square, and the square at least 0.4 of
    // its bounding box at any roll and tilt up to 50 degrees: thin clutter (text strokes,
    // stripes, outlines) is dropped here before its hull is computed.
    if (area < 0.1 * static_cast<double>(box.area())) continue;
    Candidate cand;
    Corners q, alone;
    std::vector<cv::Point> hull_alone, hull_merged;
    const bool alone_ok = quad_of(c, area, min_side, max_side, alone, &hull_alone);

    // Second try: with the small blobs that nearly touch it (the detached corner cells,
    // which meet the ring at one point that blur opens by a pixel or two). Specks further
    // off (noise, clutter, a finger's edge) are not merged: they would bend the hull.
    const int m = static_cast<int>(0.35f * static_cast<float>(big)) + 2;
    const cv::Rect grown(box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m);
    const float cell_est = std::max(2.0f, static_cast<float>(big) / 6.0f);
    // How far blur opens that point: a dark square's corner thresholded at the midpoint of
    // a Gaussian blur of sigma s retreats 0.77 s along its diagonal (Phi(x / s)^2 = 1/2 at
    // x = 0.545 s on each axis), so the corner cell and the ring's corner part by 1.54 s,
    // plus about 1.4 px of hull bias (the hull runs through the centres of boundary
    // pixels, half a pixel in on either side, diagonally). The hard setting's optics (sensor
    // blur 0.7-1.1 px, defocus up to 2 px radius, motion up to 3 px) add up to s = 1.7 px:
    // 4 px. Motion blur is a line, not a Gaussian: along it each of the two cells' corners
    // retreats by up to half its length, so 3 px of motion alone part them by up to 3 px,
    // on top of the rest: up to 6 px (cards of 40-50 px in hard and wild frames had their
    // corner cells 4.5-6 px off). The old 3 px (0.4 cell) held for s < 1 px only. Never more than 0.9 of a cell:
    // a blob further off is not the corner cell that touched the hull's corner. The wider
    // reach also takes in specks of a backdrop behind the paper, which may displace a
    // corner cell among the four nearest, so the merge within the old reach is tried
    // first and the wider one only when it adds something else.
    const float tight_gap = std::max(3.0f, 0.4f * cell_est);
    const float gap = std::max(tight_gap, std::min(6.0f, 0.9f * cell_est));
    // Edges of the component's hull as unit outward normals: a point's largest signed
    // distance to them is (nearly) its distance outside the hull. A dark component that
    // fills too little of its hull is no card (clothes, the shadowed wall) and merges nothing.
    const double hull_area = poly_area(hull_alone);
    edges.clear();
    // Cards of 20 px and more keep their centre hole; clutter without one merges nothing.
    const bool holed = hierarchy[blob.contour][2] >= 0;
    if (hull_alone.size() >= 3 && area >= 0.25 * hull_area && (holed || big < 24)) {
      const float orient = cross(hull_alone[0], hull_alone[1], hull_alone[2]) >= 0 ? 1.0f : -1.0f;
      for (size_t k = 0; k < hull_alone.size(); ++k) {
        const cv::Point2f a = hull_alone[k], b = hull_alone[(k + 1) % hull_alone.size()];
        const cv::Point2f d = b - a;
        const float len = std::sqrt(d.dot(d));
        if (len < 1e-3f) continue;
        // Inside points have cross(a, b, p) * orient >= 0; outward normal n with n.(p - a) > 0 outside.
        const cv::Point2f n = cv::Point2f(d.y, -d.x) * (orient / len);
        edges.push_back({a, n});
      }
    }
    auto outside = [&](cv::Point p) {
      float worst = -1e9f;
      for (const auto& e : edges) worst = std::max(worst, e.n.dot(cv::Point2f(p) - e.a));
      return worst;
    };
    near_blobs.clear();
    if (!edges.empty())
      for (int by = std::max(0, grown.y / kBin); by <= std::min(bh - 1, (grown.y + grown.height) / kBin); ++by)
        for (int bx = std::max(0, grown.x / kBin); bx <= std::min(bw - 1, (grown.x + grown.width) / kBin); ++bx)
          for (int o : bins[static_cast<size_t>(by * bw + bx)]) {
            const Blob& other = blobs[static_cast<size_t>(o)];
            if (other.contour == blob.contour) continue;
            if ((other.box & grown) != other.box) continue;
            if (std::max(other.box.width, other.box.height) > 0.4f * static_cast<float>(big) + 2) continue;
            // A lower bound of its distance outside the hull from its box (each edge's
            // distance is linear, so its minimum over the blob is at least that over the
            // box corners): most specks are skipped without visiting their points.
            const cv::Point2f b0(static_cast<float>(other.box.x), static_cast<float>(other.box.y));
            const cv::Point2f b1(static_cast<float>(other.box.x + other.box.width - 1),
                                 static_cast<float>(other.box.y + other.box.height - 1));
            float bound = -1e9f;
            for (const auto& e : edges) {
              const float lo_x = std::min(e.n.x * (b0.x - e.a.x), e.n.x * (b1.x - e.a.x));
              const float lo_y = std::min(e.n.y * (b0.y - e.a.y), e.n.y * (b1.y - e.a.y));
              bound = std::max(bound, lo_x + lo_y);
            }
            if (bound >= gap + 0.01f) continue;
            const auto& oc = contours[other.contour];
            // Near the component's hull, whose corner is the ring's outer corner that the
            // corner cell touched.
            float nearest = 1e9f;
            for (const auto& a : oc) nearest = std::min(nearest, outside(a));
            if (nearest < gap) near_blobs.emplace_back(nearest, other.contour);
          }
    // At most the four nearest (a card has four corner cells; specks of patterned cloth
    // behind it come further off).
    std::sort(near_blobs.begin(), near_blobs.end());
    // The merge of the (at most four) nearest blobs within `reach`; false if nothing is.
    auto merge_within = [&](float reach, Corners& quad, std::vector<cv::Point>& hull, size_t& count) {
      count = 0;
      if (near_blobs.empty() || near_blobs[0].first >= reach) return false;
      merged.assign(c.begin(), c.end());
      double merged_area = area;
      count = 0;
      for (size_t k = 0; k < near_blobs.size() && count < 4 && near_blobs[k].first < reach; ++k, ++count) {
        const auto& oc = contours[near_blobs[k].second];
        merged.insert(merged.end(), oc.begin(), oc.end());
        merged_area += poly_area(oc) + static_cast<double>(oc.size()) / 2;
      }
      return count > 0 && quad_of(merged, merged_area, min_side, max_side, quad, &hull);
    };
    // With detached corners the merged quad is the card and the component alone is a card
    // with a corner cut off, so the merged ones are tried first.
    size_t n_tight = 0, n_wide = 0;
    Corners wide;
    std::vector<cv::Point> hull_wide;
    const bool merged_ok = merge_within(tight_gap, q, hull_merged, n_tight);
    // The wide merge differs from the tight one when it takes in a blob the tight one did
    // not (the blobs are sorted by distance, so then it holds more of them); otherwise its
    // hull is not computed at all.
    auto count_within = [&](float reach) {
      size_t n = 0;
      while (n < near_blobs.size() && n < 4 && near_blobs[n].first < reach) ++n;
      return n;
    };
    const bool wide_ok = count_within(gap) > n_tight && merge_within(gap, wide, hull_wide, n_wide);
    if (merged_ok) cand.quads.push_back(q);
    if (wide_ok) cand.quads.push_back(wide);
    if (alone_ok) cand.quads.push_back(alone);
    // Last: the hull quads with one cut corner completed.
    cand.first_completed = cand.quads.size();
    if (merged_ok) add_completions(hull_merged, q, cand.quads);
    if (wide_ok) add_completions(hull_wide, wide, cand.quads);
    if (alone_ok) add_completions(hull_alone, alone, cand.quads);
    if (cand.quads.empty()) continue;
    cand.component = blob.contour;
    for (int h = hierarchy[blob.contour][2]; h >= 0; h = hierarchy[static_cast<size_t>(h)][0]) {
      ++cand.holes;
      const auto& hc = contours[static_cast<size_t>(h)];
      cv::Point2f centre;
      if (polygon_centroid(hc, centre)) cand.hole_centres.push_back(centre);
      else if (!hc.empty()) cand.hole_centres.emplace_back(hc[0]);
    }
    out.push_back(std::move(cand));
  }
  return out;
}

bool centre_on_hole(const Candidate& cand, const Corners& q, int grid) {
  if (cand.hole_centres.empty()) return true;
  // Crossing of the diagonals q0-q2 and q1-q3.
  const cv::Point2f d1 = q[2] - q[0], d2 = q[3] - q[1], w = q[1] - q[0];
  const float den = d1.x * d2.y - d1.y * d2.x;
  if (std::abs(den) < 1e-6f) return false;
  const float t = (w.x * d2.y - w.y * d2.x) / den;
  const cv::Point2f centre = q[0] + t * d1;
  float perimeter = 0;
  for (int k = 0; k < 4; ++k) perimeter += std::sqrt(dist2(q[static_cast<size_t>(k)], q[static_cast<size_t>((k + 1) % 4)]));
  const float cell = perimeter / 4 / static_cast<float>(grid);
  for (const auto& h : cand.hole_centres)
    if (dist2(h, centre) <= 0.35f * 0.35f * cell * cell) return true;
  return false;
}

}  // namespace cardpoll::detect
