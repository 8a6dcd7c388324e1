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
// the reach the frame's blur can open that point to, up to 6 px) are merged back and
// those quads are tried first (specks wholly inside the hull are not among them; when no
// merge is a card's quad, the merge without each blob in turn: a backdrop's dot at a
// narrow margin bends it). When a corner is still cut off (the cell
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
#include "scanner/outlines.h"

namespace cardpoll::detect {

namespace {

// cv::moments' sums over a polygon (Green's theorem), in its order: the area and first
// moments, and with kSecond the second moments too. Integers, exact in doubles at frame
// sizes, so only the divisions made of them must be cv::moments' own.
struct AreaSums {
  double a00 = 0, a10 = 0, a01 = 0, a20 = 0, a11 = 0, a02 = 0;
};

template <bool kSecond>
AreaSums area_sums(const std::vector<cv::Point>& p) {
  AreaSums s;
  double x0 = p.back().x, y0 = p.back().y;
  for (const cv::Point& q : p) {
    const double x1 = q.x, y1 = q.y;
    const double dxy = x0 * y1 - x1 * y0, sx = x0 + x1, sy = y0 + y1;
    s.a00 += dxy;
    s.a10 += dxy * sx;
    s.a01 += dxy * sy;
    if constexpr (kSecond) {
      s.a20 += dxy * (x0 * sx + x1 * x1);
      s.a11 += dxy * (x0 * (sy + y0) + x1 * (sy + y1));
      s.a02 += dxy * (y0 * sy + y1 * y1);
    }
    x0 = x1, y0 = y1;
  }
  return s;
}

constexpr double kHalf = 0.5, kSixth = 0.16666666666666666666666666666667;

}  // namespace

bool polygon_centroid(const std::vector<cv::Point>& p, cv::Point2f& centre) {
  if (p.empty()) return false;
  const AreaSums s = area_sums<false>(p);
  if (s.a00 == 0) return false;
  // cv::moments flips the signs of a clockwise polygon's sums; negation is exact and cancels
  // in the quotient, so the centre is the same either way round.
  const double m00 = s.a00 * kHalf, m10 = s.a10 * kSixth, m01 = s.a01 * kSixth;
  centre = {static_cast<float>(m10 / m00), static_cast<float>(m01 / m00)};
  return true;
}

bool hole_moments(const std::vector<cv::Point>& p, cv::Point2f& centre, cv::Vec3f& spread) {
  if (p.empty()) return false;
  const AreaSums a = area_sums<true>(p);
  if (a.a00 == 0) return false;  // integer sums: cv::moments' |a00| > FLT_EPSILON
  // Its factors, negated for a clockwise polygon so that the area comes out positive.
  const double s = a.a00 > 0 ? 1.0 : -1.0;
  const double m00 = a.a00 * (s * kHalf), m10 = a.a10 * (s * kSixth), m01 = a.a01 * (s * kSixth),
               m20 = a.a20 * (s * 0.083333333333333333333333333333333),
               m11 = a.a11 * (s * 0.041666666666666666666666666666667),
               m02 = a.a02 * (s * 0.083333333333333333333333333333333);
  // Its central moments (completeMomentState), then ours: the centre and the spread per area.
  const double inv_m00 = 1.0 / m00, cx = m10 * inv_m00, cy = m01 * inv_m00;
  const double mu20 = m20 - m10 * cx, mu11 = m11 - m10 * cy, mu02 = m02 - m01 * cy;
  centre = {static_cast<float>(m10 / m00), static_cast<float>(m01 / m00)};
  spread = {static_cast<float>(mu20 / m00), static_cast<float>(mu11 / m00), static_cast<float>(mu02 / m00)};
  return true;
}

namespace {

// Appends the seeds (HoleSeed) among the holes.
void add_hole_seeds(const std::vector<std::vector<cv::Point>>& contours, const std::vector<cv::Vec4i>& hierarchy,
                    const std::vector<cv::Rect>& boxes, float max_side, std::vector<HoleSeed>& seeds) {
  // Holes of a card's centre size: from 1 px (a 12 px card's centre cell, shrunk by
  // blur; the boundary adds a pixel each side) to kMaxSeedHole, not much longer one way
  // than the other (tilt to 50 degrees foreshortens a cell to 0.64), and filling their
  // box like a square. Only cards whose margin the blur can close merge with their
  // backdrop: 0.8 cell, foreshortened to 0.5 by tilt, against blur sigmas up to 2.5 px
  // (motion, defocus and the lens together) is cells up to about 12 px. Larger holes
  // (clutter, near cards that already read) are left alone: they cost the most.
  const float max_cell = std::min(kMaxSeedHole, 1.2f * max_side / 5.0f);
  for (size_t i = 0; i < contours.size(); ++i) {
    if (hierarchy[i][3] < 0) continue;
    const cv::Rect box = boxes[i];
    const int lo = std::min(box.width, box.height), hi = std::max(box.width, box.height);
    if (lo < 3 || static_cast<float>(hi) > max_cell || 3 * lo < hi) continue;
    // The ring around a card's centre is a cell wide on every side: its component spans
    // at least three of the hole's widths (letters' and digits' holes have thin strokes).
    const size_t pi = static_cast<size_t>(hierarchy[i][3]);
    const cv::Rect parent = boxes[pi];
    if (std::min(parent.width, parent.height) < 2 * lo || std::max(parent.width, parent.height) < 2.5 * hi) continue;
    const double area = poly_area(contours[i]);
    if (area < 0.4 * static_cast<double>(box.area())) continue;
    HoleSeed seed;
    if (!hole_moments(contours[i], seed.centre, seed.spread)) continue;
    seed.box = box;
    seed.component = static_cast<size_t>(hierarchy[i][3]);
    seeds.push_back(seed);
  }
}

struct HullEdge {
  cv::Point2f a, n;
};

// The small blobs within `gap` of the hull of `blob` (its dark area `area`, its hull
// `hull_alone`), nearest first, as (distance outside the hull, contour index): the corner
// cells that blur detached. `grown` is the box to look in.
void near_corner_blobs(const BlobIndex::Blob& blob, double area, const std::vector<cv::Point>& hull_alone,
                       const std::vector<std::vector<cv::Point>>& contours, const std::vector<cv::Vec4i>& hierarchy,
                       const BlobIndex& index, const cv::Rect& grown, float gap,
                       std::vector<std::pair<float, size_t>>& near_blobs) {
  const int big = std::max(blob.box.width, blob.box.height);
  thread_local std::vector<HullEdge> edges;
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
  near_blobs.clear();
  if (!edges.empty())
    index.near(grown, [&](const BlobIndex::Blob& other) {
      if (other.contour == blob.contour) return;
      if (!within(other.box, grown)) return;
      if (std::max(other.box.width, other.box.height) > 0.4f * static_cast<float>(big) + 2) return;
      // A lower bound of its distance outside the hull from its box (each edge's
      // distance is linear, so its minimum over the blob is at least that over the
      // box corners): most specks are skipped without visiting their points.
      const cv::Point2f b0(static_cast<float>(other.box.x), static_cast<float>(other.box.y));
      const cv::Point2f b1(static_cast<float>(other.box.x + other.box.width - 1),
                           static_cast<float>(other.box.y + other.box.height - 1));
      // One edge beyond the reach is enough to skip it.
      for (const auto& e : edges) {
        const float lo_x = std::min(e.n.x * (b0.x - e.a.x), e.n.x * (b1.x - e.a.x));
        const float lo_y = std::min(e.n.y * (b0.y - e.a.y), e.n.y * (b1.y - e.a.y));
        if (lo_x + lo_y >= gap + 0.01f) return;
      }
      const auto& oc = contours[other.contour];
      // Near the component's hull, whose corner is the ring's outer corner that the
      // corner cell touched. A speck wholly inside the hull (noise on a white cell, a blot
      // on the centre) cannot move it, and would take the place of a corner cell among the
      // four: it needs a point outside. Once one is, a point's edges are left unvisited
      // as soon as they put it no nearer than the nearest so far and within the reach
      // (its distance is their maximum): the nearest blob's distance is still exact.
      float nearest = 1e9f;
      bool any_outside = false;
      for (const auto& a : oc) {
        const cv::Point2f p(a);
        const float enough = std::min(nearest, gap);
        float d = -1e9f;
        for (const auto& e : edges) {
          d = std::max(d, e.n.dot(p - e.a));
          if (d >= enough && (any_outside || d > 0)) break;
        }
        any_outside = any_outside || d > 0;
        nearest = std::min(nearest, d);
      }
      if (!any_outside) return;
      if (nearest < gap) near_blobs.emplace_back(nearest, other.contour);
    });
  // At most the four nearest are merged (a card has four corner cells; specks of
  // patterned cloth behind it come further off).
  std::sort(near_blobs.begin(), near_blobs.end());
}

// Whether the component `contour` has a hole within `reach` of its hull's centre.
bool hole_near_centre(const std::vector<cv::Point>& hull, const std::vector<std::vector<cv::Point>>& contours,
                      const std::vector<cv::Vec4i>& hierarchy, size_t contour, float reach) {
  cv::Point2f middle;
  if (!polygon_centroid(hull, middle)) return false;
  for (int h = hierarchy[contour][2]; h >= 0; h = hierarchy[static_cast<size_t>(h)][0]) {
    cv::Point2f centre;
    if (polygon_centroid(contours[static_cast<size_t>(h)], centre) && dist2(centre, middle) <= reach * reach) return true;
  }
  return false;
}

// The component's hull (`hull`, not its contour: the hull of the two is the same, and
// the hull has a few dozen points where a card's contour has hundreds) with the first `n`
// of `near_blobs` but `left_out` (n for none), in `merged`; returns their dark area,
// the component's being `area`.
double merge_blobs(const std::vector<cv::Point>& hull, double area, const std::vector<std::vector<cv::Point>>& contours,
                   const std::vector<std::pair<float, size_t>>& near_blobs, size_t n, size_t left_out,
                   std::vector<cv::Point>& merged) {
  merged.assign(hull.begin(), hull.end());
  for (size_t k = 0; k < n; ++k) {
    if (k == left_out) continue;
    const auto& oc = contours[near_blobs[k].second];
    merged.insert(merged.end(), oc.begin(), oc.end());
    // The contour runs through the boundary pixels' centres: half a pixel of each is
    // outside its polygon.
    area += poly_area(oc) + static_cast<double>(oc.size()) / 2;
  }
  return area;
}

// How many of the (at most four) nearest blobs lie within `reach`.
size_t count_within(const std::vector<std::pair<float, size_t>>& near_blobs, float reach) {
  size_t n = 0;
  while (n < near_blobs.size() && n < 4 && near_blobs[n].first < reach) ++n;
  return n;
}

// How far off the component's hull a detached corner cell may lie: `tight` first, then
// `wide` (for cells of about `cell` px).
//
// How far blur opens that point: a dark square's corner thresholded at the midpoint of
// a Gaussian blur of sigma s retreats 0.77 s along its diagonal (Phi(x / s)^2 = 1/2 at
// x = 0.545 s on each axis), so the corner cell and the ring's corner part by 1.54 s,
// plus about 1.4 px of hull bias (the hull runs through the centres of boundary
// pixels, half a pixel in on either side, diagonally). The hard setting's optics (sensor
// blur 0.7-1.1 px, defocus up to 2 px radius, motion up to 3 px) add up to s = 1.7 px:
// 4 px. Motion blur is a line, not a Gaussian: along it each of the two cells' corners
// retreats by up to half its length, so 3 px of motion alone part them by up to 3 px,
// on top of the rest: up to 6 px (cards of 40-50 px in hard and wild frames had their
// corner cells 4.5-6 px off). The old 3 px (0.4 cell) held for s < 1 px only. Never more
// than 0.9 of a cell: a blob further off is not the corner cell that touched the hull's
// corner. The wider reach also takes in specks of a backdrop behind the paper, which may
// displace a corner cell among the four nearest, so the merge within the old reach is
// tried first and the wider one only when it adds something else.
void merge_reach(float cell, float& tight, float& wide) {
  tight = std::max(3.0f, 0.4f * cell);
  wide = std::max(tight, std::min(6.0f, 0.9f * cell));
}

// The holes of the component `contour`, counted and with their centres, into `cand`.
void add_holes(const std::vector<std::vector<cv::Point>>& contours, const std::vector<cv::Vec4i>& hierarchy,
               size_t contour, Candidate& cand) {
  for (int h = hierarchy[contour][2]; h >= 0; h = hierarchy[static_cast<size_t>(h)][0]) {
    ++cand.holes;
    const auto& hc = contours[static_cast<size_t>(h)];
    cv::Point2f centre;
    if (polygon_centroid(hc, centre)) cand.hole_centres.push_back(centre);
    else if (!hc.empty()) cand.hole_centres.emplace_back(hc[0]);
  }
}

// The candidate of one dark component, with the corner cells blur detached from it merged
// back; false when none of its hulls is a card's quad.
bool candidate_of(const BlobIndex::Blob& blob, const std::vector<std::vector<cv::Point>>& contours,
                  const std::vector<cv::Vec4i>& hierarchy, const BlobIndex& index, float min_side, float max_side,
                  Candidate& cand) {
  thread_local std::vector<cv::Point> merged;
  thread_local std::vector<std::pair<float, size_t>> near_blobs;
  const cv::Rect& box = blob.box;
  const int big = std::max(box.width, box.height);
  // The ring alone (all data white, corners detached) is 3/5 of the card; a card tilted
  // 50 degrees spans ~0.6 of its side in its narrow direction.
  if (big < 0.55f * min_side - 1 || std::min(box.width, box.height) < 0.33f * min_side - 1) return false;
  const auto& c = contours[blob.contour];
  const double area = poly_area(c);
  // A card's dark cells fill at least 0.3 of its square, and the square at least 0.4 of
  // its bounding box at any roll and tilt up to 50 degrees: thin clutter (text strokes,
  // stripes, outlines) is dropped here before its hull is computed.
  if (area < 0.1 * static_cast<double>(box.area())) return false;
  Corners q, alone;
  std::vector<cv::Point> hull_alone, hull_merged;
  const bool alone_ok = quad_of(c, area, min_side, max_side, alone, &hull_alone);

  // Second try: with the small blobs that nearly touch it (the detached corner cells,
  // which meet the ring at one point that blur opens by a pixel or two). Specks further
  // off (noise, clutter, a finger's edge) are not merged: they would bend the hull.
  const int m = static_cast<int>(0.35f * static_cast<float>(big)) + 2;
  const cv::Rect grown(box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m);
  const float cell_est = std::max(2.0f, static_cast<float>(big) / 6.0f);
  float tight_gap = 0, gap = 0;
  merge_reach(cell_est, tight_gap, gap);
  near_corner_blobs(blob, area, hull_alone, contours, hierarchy, index, grown, gap, near_blobs);
  // The merge of the (at most four) nearest blobs within a reach; false if nothing is.
  auto merge_within = [&](size_t n, Corners& quad, std::vector<cv::Point>& hull) {
    const double merged_area = merge_blobs(hull_alone, area, contours, near_blobs, n, n, merged);
    return n > 0 && quad_of(merged, merged_area, min_side, max_side, quad, &hull);
  };
  // With detached corners the merged quad is the card and the component alone is a card
  // with a corner cut off, so the merged ones are tried first. The wide merge differs
  // from the tight one when it takes in a blob the tight one did not (the blobs are
  // sorted by distance, so then it holds more of them); otherwise its hull is not
  // computed at all.
  const size_t n_tight = count_within(near_blobs, tight_gap), n_wide = count_within(near_blobs, gap);
  Corners wide;
  std::vector<cv::Point> hull_wide;
  const bool merged_ok = merge_within(n_tight, q, hull_merged);
  const bool wide_ok = n_wide > n_tight && merge_within(n_wide, wide, hull_wide);
  if (merged_ok) cand.quads.push_back(q);
  if (wide_ok) cand.quads.push_back(wide);
  // Nothing is a card's quad, yet blobs lie within reach: one of them may be a piece of
  // a patterned backdrop right at the pattern's edge (a dot where the margin is narrow),
  // nearer than the detached corner cells, bending the merged hull. The merge without
  // each one in turn is tried (at most four hulls), only for a component that keeps a
  // hole within a cell of its hull's centre, as a card's ring does with its corner cells
  // gone: on wild frames 28 such components a frame gave quads without that test, 2 with
  // it, and the same cards read.
  if (!merged_ok && !wide_ok && !alone_ok && big >= 24 && n_wide >= 2 &&
      hole_near_centre(hull_alone, contours, hierarchy, blob.contour, cell_est))
    for (size_t left_out = 0; left_out < n_wide; ++left_out) {
      const double merged_area = merge_blobs(hull_alone, area, contours, near_blobs, n_wide, left_out, merged);
      Corners without;
      if (quad_of(merged, merged_area, min_side, max_side, without, nullptr)) cand.quads.push_back(without);
    }
  if (alone_ok) cand.quads.push_back(alone);
  // Last: the hull quads with one cut corner completed.
  cand.first_completed = cand.quads.size();
  if (merged_ok) add_completions(hull_merged, q, cand.quads);
  if (wide_ok) add_completions(hull_wide, wide, cand.quads);
  if (alone_ok) add_completions(hull_alone, alone, cand.quads);
  if (cand.quads.empty()) return false;
  cand.component = blob.contour;
  add_holes(contours, hierarchy, blob.contour, cand);
  return true;
}

}  // namespace

std::vector<Candidate> find_candidates(const cv::Mat& dark, const DetectParams& params,
                                       std::vector<HoleSeed>* seeds, const cv::Mat* gray) {
  std::vector<Candidate> out;
  // Kept between frames and resized in place, so the ~4,000 point vectors of a frame reuse
  // their storage instead of being allocated anew. Two sets per thread: the frame's (the
  // call with its grey) and the small patches' that split.cpp traces between frames. One
  // set for both shrank to a patch's few contours and freed the frame's vectors, to
  // allocate them again the next frame: 600,000 allocations over 12 wild reads. Each
  // contour's box comes once, for the seeds, the index of components and the paper stage.
  struct Traced {
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    std::vector<cv::Rect> boxes;
    BlobIndex index;
  };
  thread_local Traced frame_set, patch_set;
  Traced& traced = gray ? frame_set : patch_set;
  auto& [contours, hierarchy, boxes, index] = traced;
  find_two_level_contours(dark, contours, hierarchy, boxes);
  const float min_side = std::max(4.0f, params.min_side_px);
  const float max_side = params.max_side_fraction * static_cast<float>(std::min(dark.cols, dark.rows));
  if (seeds) {
    seeds->clear();
    add_hole_seeds(contours, hierarchy, boxes, max_side, *seeds);
  }

  // Outer boundaries only (holes are children), with their boxes. A corner cell touches
  // the rest of the card only at one diagonal point, which blur can open: then the card is
  // one big blob plus up to four cell-sized blobs at its corners. Small blobs are indexed
  // on a coarse grid so each big blob can find its neighbours.
  index.build(boxes, hierarchy, dark.size(), max_side * 1.5f);
  for (const BlobIndex::Blob& blob : index.blobs) {
    Candidate cand;
    if (candidate_of(blob, contours, hierarchy, index, min_side, max_side, cand)) out.push_back(std::move(cand));
  }
  if (gray && params.paper_candidates) {
    const int grid = params.deck ? params.deck->grid : 5;
    const float paper_min_side = std::max(min_side, params.whole_rows_min_cell_px * static_cast<float>(grid));
    add_paper_candidates(*gray, dark, contours, hierarchy, boxes, index, grid, paper_min_side, max_side, out);
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
