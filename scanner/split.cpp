// Stage 2b: a card whose pattern merged with what is behind the paper.
//
// A card printed with a narrow white margin (0.8-1 cell) and held in front of a dark shirt,
// chair or bag: after the lens blur, motion or JPEG, and foreshortened by tilt, the margin's
// paper is no longer lighter than the midpoint between the backdrop's dark and the paper's
// white, so the threshold stage joins the pattern's outer black cells to the backdrop. The
// merged component's hull is the backdrop's, and no candidate gives the card.
//
// Its white centre cell is still a hole of that component, ringed by the black ring one
// cell in. So each hole of cell size whose surroundings, one cell out, are dark in the mask
// and clearly darker than the hole in the frame is a seed. Around it the frame is
// thresholded again, this time nearer the black (30% of the way from the local black to the
// local white, from a window of about two cells): a margin blurred half way to the backdrop
// is light there, the cells' ink is still dark. The candidates stage runs on that small
// mask, and only the candidates whose centre hole is the seed are handed on; they go through
// the same refine and decode as every other, with every check, so a read from here is no
// less certain than one from the first mask.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include <opencv2/imgproc.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

#if defined(__SSE2__)
__m128i load16(const uchar* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
void store16(uchar* p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
#endif

// Where the local threshold sits between the local black and white. The first mask uses
// the midpoint; here a margin pixel must only be 30% of the way up from the backdrop.
constexpr float kLevel = 0.3f;

// The grey level at p, or -1 outside the frame.
float grey_at(const cv::Mat& gray, cv::Point2f p) { return sample_grey(gray, p.x, p.y); }

// Whether the seed looks like a card's centre: 8 points one cell out (twice the hole's
// half-width along each direction; 7 of them at least) dark in the first mask and darker
// than the hole by half the card contrast. Returns their mean grey level, or a negative
// value.
float ring_level(const cv::Mat& gray, const cv::Mat& dark, const HoleSeed& seed, float white,
                 const DetectParams& params) {
  float sum = 0;
  int dark_points = 0, light_points = 0;
  constexpr float r = 0.70710678f;
  static const std::array<cv::Point2f, 8> kDirections{{{1, 0}, {r, r}, {0, 1}, {-r, r}, {-1, 0}, {-r, -r}, {0, -1}, {r, -r}}};
  for (const cv::Point2f u : kDirections) {
    const float var = u.x * u.x * seed.spread[0] + 2 * u.x * u.y * seed.spread[1] + u.y * u.y * seed.spread[2];
    const float half = std::sqrt(3.0f * std::max(var, 0.25f));
    const cv::Point2f p = seed.centre + u * (2.0f * half + 0.5f);
    const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
    if (x < 0 || y < 0 || x >= dark.cols || y >= dark.rows) return -1;
    // The mask first: one byte, and most seeds fail there.
    const float g = dark.at<uchar>(y, x) ? grey_at(gray, p) : -1.0f;
    if (g >= 0 && g <= white - 0.5f * static_cast<float>(params.min_card_contrast)) {
      ++dark_points;
      sum += g;
    } else if (++light_points > 1) {
      return -1;  // one probe may fall on a white data cell's corner under strong tilt
    }
  }
  return sum / static_cast<float>(dark_points);
}

// How many of 16 points just outside the pattern (2.85 cells out, where the white margin
// is along most directions whatever the card's roll; corner cells and data cells along
// the rest) are lighter than the card's own midpoint.
int light_around(const cv::Mat& gray, const HoleSeed& seed, float mid) {
  static const std::array<cv::Point2f, 16> kDirections = [] {
    std::array<cv::Point2f, 16> d;
    for (size_t k = 0; k < d.size(); ++k) {
      const double a = static_cast<double>(k) * CV_PI / 8.0;
      d[k] = {static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a))};
    }
    return d;
  }();
  int light = 0;
  for (const cv::Point2f u : kDirections) {
    const float var = u.x * u.x * seed.spread[0] + 2 * u.x * u.y * seed.spread[1] + u.y * u.y * seed.spread[2];
    const float cell = 2.0f * std::sqrt(3.0f * std::max(var, 0.25f)) + 1.0f;
    const float g = grey_at(gray, seed.centre + u * (2.85f * cell));
    light += g >= mid;
  }
  return light;
}

// Tiles of t x t pixels over the patch, tw across and th down.
struct Tiles {
  int t = 2, tw = 0, th = 0;
  size_t index(int tx, int ty) const { return static_cast<size_t>(ty * tw + tx); }
};

// Each tile's min and max grey level: per tile row, the column-wise min/max of its rows
// (16 columns at a time), then each tile's min/max of its columns.
void tile_extremes(const cv::Mat& patch, const Tiles& tiles, std::vector<uchar>& tmin, std::vector<uchar>& tmax) {
  const int t = tiles.t;
  tmin.resize(static_cast<size_t>(tiles.tw * tiles.th));
  tmax.resize(tmin.size());
  thread_local std::vector<uchar> col_min, col_max;
  col_min.resize(static_cast<size_t>(patch.cols));
  col_max.resize(static_cast<size_t>(patch.cols));
  for (int ty = 0; ty < tiles.th; ++ty) {
    const int y0 = ty * t, y1 = std::min(patch.rows, y0 + t);
    std::copy_n(patch.ptr<uchar>(y0), patch.cols, col_min.data());
    std::copy_n(patch.ptr<uchar>(y0), patch.cols, col_max.data());
    for (int y = y0 + 1; y < y1; ++y) {
      const uchar* g = patch.ptr<uchar>(y);
      uchar* lo = col_min.data();
      uchar* hi = col_max.data();
      int x = 0;
#if defined(__SSE2__)
      for (; x + 16 <= patch.cols; x += 16) {
        const __m128i v = load16(g + x);
        store16(lo + x, _mm_min_epu8(load16(lo + x), v));
        store16(hi + x, _mm_max_epu8(load16(hi + x), v));
      }
#endif
      for (; x < patch.cols; ++x) {
        lo[x] = std::min(lo[x], g[x]);
        hi[x] = std::max(hi[x], g[x]);
      }
    }
    for (int tx = 0; tx < tiles.tw; ++tx) {
      const int x0 = tx * t, x1 = std::min(patch.cols, x0 + t);
      tmin[tiles.index(tx, ty)] = *std::min_element(col_min.begin() + x0, col_min.begin() + x1);
      tmax[tiles.index(tx, ty)] = *std::max_element(col_max.begin() + x0, col_max.begin() + x1);
    }
  }
}

// Each tile's 5x5 neighbourhood of tiles' min and max, as rows of 5 then columns of
// those (exact either way round).
void neighbourhood_extremes(const Tiles& tiles, const std::vector<uchar>& tmin, const std::vector<uchar>& tmax,
                            std::vector<uchar>& nmin, std::vector<uchar>& nmax) {
  const int tw = tiles.tw, th = tiles.th;
  thread_local std::vector<uchar> rmin, rmax;
  rmin.resize(tmin.size());
  rmax.resize(tmax.size());
  for (int ty = 0; ty < th; ++ty)
    for (int tx = 0; tx < tw; ++tx) {
      uchar lo = 255, hi = 0;
      for (int u = std::max(0, tx - 2); u <= std::min(tw - 1, tx + 2); ++u) {
        lo = std::min(lo, tmin[tiles.index(u, ty)]);
        hi = std::max(hi, tmax[tiles.index(u, ty)]);
      }
      rmin[tiles.index(tx, ty)] = lo;
      rmax[tiles.index(tx, ty)] = hi;
    }
  nmin.assign(tmin.size(), uchar{255});
  nmax.assign(tmax.size(), uchar{0});
  for (int ty = 0; ty < th; ++ty)
    for (int v = std::max(0, ty - 2); v <= std::min(th - 1, ty + 2); ++v) {
      uchar* lo = nmin.data() + ty * tw;
      uchar* hi = nmax.data() + ty * tw;
      const uchar* row_lo = rmin.data() + v * tw;
      const uchar* row_hi = rmax.data() + v * tw;
      for (int tx = 0; tx < tw; ++tx) {
        lo[tx] = std::min(lo[tx], row_lo[tx]);
        hi[tx] = std::max(hi[tx], row_hi[tx]);
      }
    }
}

// 255 where the patch is darker than its tile's level. Each tile row's levels are spread
// over its pixels once, so that the rows compare whole (16 pixels at a time).
void below_levels(const cv::Mat& patch, const Tiles& tiles, const std::vector<uchar>& level_of_tile, cv::Mat& mask) {
  const int t = tiles.t;
  mask.create(patch.size(), CV_8U);
  thread_local std::vector<uchar> level_of_pixel;
  level_of_pixel.resize(static_cast<size_t>(patch.cols));
  for (int y = 0; y < patch.rows; ++y) {
    if (y % t == 0) {
      const uchar* lv = level_of_tile.data() + (y / t) * tiles.tw;
      for (int x = 0; x < patch.cols; ++x) level_of_pixel[static_cast<size_t>(x)] = lv[x / t];
    }
    const uchar* g = patch.ptr<uchar>(y);
    const uchar* lp = level_of_pixel.data();
    uchar* m = mask.ptr<uchar>(y);
    int x = 0;
#if defined(__SSE2__)
    // g < level is (level -sat g) != 0, as in threshold.cpp.
    const __m128i zero = _mm_setzero_si128(), ones = _mm_set1_epi8(-1);
    for (; x + 16 <= patch.cols; x += 16)
      store16(m + x, _mm_xor_si128(_mm_cmpeq_epi8(_mm_subs_epu8(load16(lp + x), load16(g + x)), zero), ones));
#endif
    for (; x < patch.cols; ++x) m[x] = g[x] < lp[x] ? uchar{255} : uchar{0};
  }
}

// The patch thresholded at kLevel between its local black and white (over about two and a
// half cells: 5x5 tiles of half a cell). Every pixel of a card sees a cell of the other
// colour there, except inside a block of black cells, which is "flat" and judged against
// the card's own midpoint `mid` instead. Tiles, not cv::erode: on patches this small
// OpenCV's threads cost more than the filter. The mask is the thread's, valid until the
// next call.
cv::Mat& second_mask(const cv::Mat& patch, int cell, float mid, const DetectParams& params) {
  Tiles tiles;
  tiles.t = std::max(2, (cell + 1) / 2);
  tiles.tw = (patch.cols + tiles.t - 1) / tiles.t;
  tiles.th = (patch.rows + tiles.t - 1) / tiles.t;
  thread_local std::vector<uchar> tmin, tmax, nmin, nmax, level_of_tile;
  tile_extremes(patch, tiles, tmin, tmax);
  neighbourhood_extremes(tiles, tmin, tmax, nmin, nmax);
  const int contrast = params.min_card_contrast;
  const int card_mid = static_cast<int>(std::lround(mid));
  constexpr int kLevel256 = static_cast<int>(kLevel * 256);
  level_of_tile.resize(tmin.size());
  for (size_t i = 0; i < level_of_tile.size(); ++i) {
    const int range = nmax[i] - nmin[i];
    level_of_tile[i] = static_cast<uchar>(range >= contrast ? nmin[i] + ((kLevel256 * range) >> 8) : card_mid);
  }
  thread_local cv::Mat mask;
  below_levels(patch, tiles, level_of_tile, mask);
  return mask;
}

}  // namespace

std::vector<Candidate> candidates_around_hole(const cv::Mat& gray, const cv::Mat& dark, const HoleSeed& seed,
                                              const DetectParams& params) {
  std::vector<Candidate> out;
  const float white = grey_at(gray, seed.centre);
  if (white < 0) return out;
  const float black = ring_level(gray, dark, seed, white, params);
  if (black < 0 || white - black < static_cast<float>(params.min_card_contrast)) return out;
  // Half the points just outside the pattern must be light: a card merged with its
  // backdrop along one or two sides still shows its margin along the others, a light speck
  // on a dark shirt or a hole in dark clutter does not.
  if (light_around(gray, seed, 0.5f * (black + white)) < 8) return out;

  // A card spans 5 cells, 3.4 from its centre at a roll of 30 degrees; the hole's box
  // (its white, shrunk by blur, and a boundary pixel each side) is about a cell, so 3.6 of
  // its widths and a few pixels hold the card, its quiet zone and the backdrop's edge.
  const int cell = std::max(seed.box.width, seed.box.height);
  const int half = static_cast<int>(std::ceil(3.6f * static_cast<float>(cell))) + 3;
  const cv::Point c(static_cast<int>(std::lround(seed.centre.x)), static_cast<int>(std::lround(seed.centre.y)));
  const cv::Rect roi = cv::Rect(c.x - half, c.y - half, 2 * half + 1, 2 * half + 1) & cv::Rect(0, 0, gray.cols, gray.rows);
  if (roi.width < 8 || roi.height < 8) return out;
  const cv::Mat patch = gray(roi);

  cv::Mat& mask = second_mask(patch, cell, 0.5f * (black + white), params);

  // The ring's component in the new mask must now be card-sized: still merged (it reaches
  // across the patch) or a speck, and there is nothing to find. Cheaper than tracing the
  // patch, and most seeds on a dark textured backdrop stop here.
  const cv::Point inner(c.x - roi.x, c.y - roi.y);
  cv::Point start(-1, -1);
  for (int r = 1; r <= cell && start.x < 0; ++r)
    for (const cv::Point d : {cv::Point(1, 0), cv::Point(0, 1), cv::Point(-1, 0), cv::Point(0, -1)}) {
      const cv::Point p = inner + d * r;
      if (p.x >= 0 && p.y >= 0 && p.x < mask.cols && p.y < mask.rows && mask.at<uchar>(p)) {
        start = p;
        break;
      }
    }
  if (start.x < 0) return out;
  cv::Rect ring_box;
  cv::floodFill(mask, start, cv::Scalar(128), &ring_box, cv::Scalar(), cv::Scalar(), 8);
  const int span = std::max(ring_box.width, ring_box.height);
  if (span > 7 * cell || span < 2 * cell) return out;

  // Only the ring's component and what lies within a cell of it (corner cells that blur
  // detached) are traced again: the backdrop's pieces around it are no card.
  const int grow = std::max(2, cell);
  const cv::Rect near_ring = cv::Rect(ring_box.x - grow, ring_box.y - grow, ring_box.width + 2 * grow,
                                      ring_box.height + 2 * grow) & cv::Rect(0, 0, mask.cols, mask.rows);
  thread_local cv::Mat around;
  mask(near_ring).copyTo(around);
  DetectParams local = params;
  local.max_side_fraction = 1.0f;  // the card fits the patch; the backdrop's pieces need not
  auto found = find_candidates(around, local);
  const cv::Point2f offset(static_cast<float>(roi.x + near_ring.x), static_cast<float>(roi.y + near_ring.y));
  const float near = 0.6f * static_cast<float>(cell) + 1.0f;
  for (auto& cand : found) {
    bool ours = false;
    for (auto& h : cand.hole_centres) {
      h += offset;
      const cv::Point2f d = h - seed.centre;
      ours = ours || d.dot(d) <= near * near;
    }
    if (!ours) continue;
    for (auto& q : cand.quads)
      for (auto& p : q) p += offset;
    out.push_back(std::move(cand));
  }
  return out;
}

}  // namespace cardpoll::detect
