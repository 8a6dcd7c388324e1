// Stage 4: four corners -> card number and answer, or nothing.
//
// The corners give a homography from grid coordinates to the image. Each cell is sampled at
// five bilinear points (its centre and four points 0.2 cell towards its corners) and
// averaged. The card's own black and white levels come from the cells that are the same on
// every card (the black ring and the white centre), so uneven light and glare across the
// room do not matter; the threshold between them classifies every cell.
//
// A read is refused unless everything a real card must show is there:
//  - its top side points within max_rotation_deg of straight up (near 45 degrees the
//    answer is ambiguous, so such a card is rejected, never guessed);
//  - the corners have the shape of a card (opposite sides nearly equal, diagonals crossing
//    near their midpoints, up to perspective): a quad over part of a card or of a
//    look-alike grid is refused before any cell is read;
//  - every fixed cell reads as printed (black corners, black ring, white centre);
//  - every cell reads clearly (margin), and no cell's samples disagree (a 6x6 card seen
//    through a 5x5 grid straddles cell boundaries and is refused here);
//  - a white quiet zone surrounds most of the pattern (look-alike grids, checkerboards and
//    patterned cloth continue past the pattern's edge);
//  - the data cells match a codeword exactly (by default) and no other codeword/rotation
//    as well (identify refuses ties).
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "scanner/card_grid.h"
#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

// A grey level that varies linearly over the card: level = a + bu (u - g/2) + bv (v - g/2),
// grid coordinates.
struct LightPlane {
  float a = 0, bu = 0, bv = 0, centre = 0;
  float at(float u, float v) const { return a + bu * (u - centre) + bv * (v - centre); }
};

// Least-squares plane through the samples. The slopes are held back (ridge) so that a few
// samples on one side cannot tilt it wildly: a slope costs as much as one sample's error
// at 1.5 cells from the centre, per sample.
template <typename S>
LightPlane fit_plane(const std::vector<S>& pts, float g) {
  LightPlane p;
  p.centre = g / 2;
  if (pts.empty()) return p;
  double n = 0, su = 0, sv = 0, suu = 0, svv = 0, suv = 0, sl = 0, sul = 0, svl = 0;
  for (const auto& q : pts) {
    const double u = q.u - p.centre, v = q.v - p.centre, l = q.level;
    n += 1, su += u, sv += v, suu += u * u, svv += v * v, suv += u * v, sl += l, sul += u * l, svl += v * l;
  }
  const double ridge = 0.25 * n;
  // Normal equations [n su sv; su suu+r suv; sv suv svv+r] [a bu bv] = [sl sul svl].
  const cv::Matx33d A(n, su, sv, su, suu + ridge, suv, sv, suv, svv + ridge);
  const cv::Vec3d rhs(sl, sul, svl);
  cv::Vec3d x;
  if (!cv::solve(A, rhs, x, cv::DECOMP_CHOLESKY)) {
    p.a = static_cast<float>(sl / n);
    return p;
  }
  p.a = static_cast<float>(x[0]);
  p.bu = static_cast<float>(x[1]);
  p.bv = static_cast<float>(x[2]);
  return p;
}

}  // namespace

bool looks_like_card(const cv::Mat& gray, const Corners& corners, const Deck& deck, const DetectParams& params) {
  const int g = deck.grid;
  const Homography H = grid_to_image(corners, g);
  // The brightest two ring cells: one may sit under a glare band (decode_glare.cpp reads
  // such a card), two brighter than the centre are no card.
  float ring_max = -1, ring_second = -1, ring_sum = 0, white_min = 1e9f;
  int nring = 0;
  for (int r = 1; r < g - 1; ++r)
    for (int c = 1; c < g - 1; ++c) {
      const cv::Point2f p = H.map(c + 0.5, r + 0.5);
      const float v = sample_grey(gray, p.x, p.y);
      if (v < 0) return false;
      if (deck.layout[static_cast<size_t>(r * g + c)] == CellKind::Black) {
        ring_second = std::max(ring_second, std::min(ring_max, v));
        ring_max = std::max(ring_max, v);
        ring_sum += v;
        ++nring;
      } else {
        white_min = std::min(white_min, v);
      }
    }
  if (nring == 0) return false;
  return white_min - ring_sum / static_cast<float>(nring) >= 0.5f * static_cast<float>(params.min_card_contrast) &&
         ring_second < white_min;
}

std::optional<CardRead> decode_card(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                    const DetectParams& params, const char** why) {
  auto refuse = [why](const char* reason) -> std::optional<CardRead> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const int g = deck.grid;
  // The deck's read rules only ever make a read stricter (core/deck.h ReadRules): a deck of
  // low distance wants clearer cells, more of the quiet zone, darker corners, and never a
  // corrected cell (distance d corrects at most (d - 1) / 2).
  const ReadRules& rules = deck.read_rules;
  const float min_quiet = std::max(params.min_quiet_fraction, rules.min_quiet_fraction);
  const float corner_slack = std::min(params.small_corner_slack, rules.small_corner_slack);
  const int max_data_errors = std::min(std::max(0, params.max_data_errors), std::max(0, (deck.min_distance - 1) / 2));
  // Which corner is the top-left as seen: the rotation whose "up" is closest to the image's.
  const auto held = as_held(corners, g, params.max_rotation_deg);
  if (!held) return refuse("rotation");
  const Corners& seen = *held;

  if (!plausible_shape(seen)) return refuse("shape");
  const Homography H = grid_to_image(seen, g);

  float perimeter = 0;
  for (int j = 0; j < 4; ++j) perimeter += static_cast<float>(cv::norm(seen[static_cast<size_t>((j + 1) % 4)] - seen[static_cast<size_t>(j)]));
  // Below 5 px per cell the off-centre samples mostly add the neighbours' blur: the level
  // is then the centre sample alone.
  const float cell_px = perimeter / 4 / static_cast<float>(g);
  const bool big_cells = cell_px >= 5.0f;
  const auto asked = required_margin(rules, params.min_margin, cell_px);
  if (!asked) return refuse("too small");
  const float min_margin = *asked;
  constexpr int kSub = 5;
  static constexpr float kOff[kSub][2] = {{0, 0}, {-0.2f, -0.2f}, {0.2f, -0.2f}, {-0.2f, 0.2f}, {0.2f, 0.2f}};
  const size_t ncells = static_cast<size_t>(g * g);
  std::vector<float> level(ncells), lo(ncells), hi(ncells);
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c) {
      float sum = 0, mn = 1e9f, mx = -1e9f;
      for (const auto& o : kOff) {
        const cv::Point2f p = H.map(c + 0.5 + o[0], r + 0.5 + o[1]);
        const float v = sample_grey(gray, p.x, p.y);
        if (v < 0) return refuse("off frame");
        sum += v;
        mn = std::min(mn, v);
        mx = std::max(mx, v);
      }
      const size_t i = static_cast<size_t>(r * g + c);
      level[i] = big_cells ? sum / kSub : sample_grey(gray, H.map(c + 0.5, r + 0.5).x, H.map(c + 0.5, r + 0.5).y);
      lo[i] = mn;
      hi[i] = mx;
    }

  // The card's own levels: ring (black, not the corners, which blur into the quiet zone)
  // and centre (white).
  float black = 0, white = 0;
  int nb = 0, nw = 0;
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c) {
      const size_t i = static_cast<size_t>(r * g + c);
      const bool border = r == 0 || c == 0 || r == g - 1 || c == g - 1;
      if (deck.layout[i] == CellKind::Black && !border) {
        black += level[i];
        ++nb;
      } else if (deck.layout[i] == CellKind::White) {
        white += level[i];
        ++nw;
      }
    }
  if (nb == 0 || nw == 0) return refuse("deck has no ring");
  black /= static_cast<float>(nb);
  white /= static_cast<float>(nw);
  if (white - black < static_cast<float>(params.min_card_contrast)) return refuse("contrast");
  const float thr0 = (black + white) / 2;

  // Quiet zone: half a cell outside the pattern, one sample per cell along each side and
  // one off each corner. Fingers may cover some of it.
  struct Sample {
    float u, v, level;
  };
  std::vector<Sample> quiet;
  quiet.reserve(static_cast<size_t>(4 * g + 4));
  auto quiet_sample = [&](double u, double v) {
    const cv::Point2f p = H.map(u, v);
    quiet.push_back({static_cast<float>(u), static_cast<float>(v), sample_grey(gray, p.x, p.y)});
  };
  for (int j = 0; j < g; ++j) {
    quiet_sample(j + 0.5, -0.5);
    quiet_sample(g + 0.5, j + 0.5);
    quiet_sample(g - j - 0.5, g + 0.5);
    quiet_sample(-0.5, g - j - 0.5);
  }
  quiet_sample(-0.5, -0.5);
  quiet_sample(g + 0.5, -0.5);
  quiet_sample(g + 0.5, g + 0.5);
  quiet_sample(-0.5, g + 0.5);

  // Light across the card is not even (a shadow's edge, a glare band, vignetting, the
  // spill of a backlit window, a tilted card facing the lamp at one end): black and white
  // are each modelled as a plane over the card, fitted to what is known to be black (the
  // ring, and the corners on cards big enough for them not to blur into the quiet zone)
  // and white (the centre and the quiet-zone samples that are white by the card's own
  // levels), and every cell is judged against the midpoint of the two planes where it
  // lies. Under even light this is the old single threshold.
  std::vector<Sample> black_refs, white_refs;
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c) {
      const size_t i = static_cast<size_t>(r * g + c);
      const bool border = r == 0 || c == 0 || r == g - 1 || c == g - 1;
      const Sample smp{c + 0.5f, r + 0.5f, level[i]};
      if (deck.layout[i] == CellKind::Black && (!border || big_cells)) black_refs.push_back(smp);
      else if (deck.layout[i] == CellKind::White) white_refs.push_back(smp);
    }
  // A quiet-zone sample more than one contrast above the card's own white is not its paper
  // but something brighter beside it (a clipped window, a lamp's glare on the desk): taken
  // as a white reference it tilts the white plane so far that the paper cells on that side
  // fall under the threshold. Measured: the wild plickers hunt read card 27 as 3 that way
  // (frame 998); over 36288 grey cards with a clipped strip beside them the old rule read
  // 650 as other cards, this one none (a cap of two contrasts: none wrong, 11000 fewer read).
  for (const auto& q : quiet)
    if (q.level > thr0 && q.level <= white + (white - black)) white_refs.push_back(q);
  // On cards under 16 px (3.2 px per cell) blur pulls the quiet-zone samples and the
  // centre towards black and a card that small spans little of the light's gradient: there
  // the planes are flat, at the ring's and the centre's mean (the single threshold).
  // Measured (bench_scanner, 10 frames of typical, hard, wild): planes on every card cost
  // 5-12 points at 8-16 px; from 16 px they gain up to 7.
  LightPlane bp, wp;
  if (perimeter / 4 >= 16.0f) {
    bp = fit_plane(black_refs, static_cast<float>(g));
    wp = fit_plane(white_refs, static_cast<float>(g));
  } else {
    bp.a = black;
    wp.a = white;
  }
  // A laminate's glare band (or a sharp shadow's edge) is narrower than the card: a plane
  // cannot follow it, and where it crosses the ring those cells sit above the planes'
  // midpoint. Specular light adds the same amount to ink and paper, so on cards of 5+ px
  // per cell (where the quiet-zone samples are not blurred into the pattern) a local
  // offset common to black and white is added to both planes: the reference samples'
  // residuals from their planes, weighted by distance (below) and
  // shrunk towards 0 by a prior worth one sample at the spot. A cell is never its own
  // reference (leave-one-out), so a fixed cell is still judged by its neighbours. One offset
  // for black and white, not one each: on a grid misplaced by a cell the black references
  // read light and the white ones dark, and their residuals cancel instead of dragging each
  // threshold towards what it should refuse.
  struct Residual {
    float u, v, r;
  };
  std::vector<Residual> residuals;
  const bool local_light = big_cells && perimeter / 4 >= 16.0f;
  if (local_light) {
    residuals.reserve(black_refs.size() + white_refs.size());
    for (const auto& s : black_refs) residuals.push_back({s.u, s.v, s.level - bp.at(s.u, s.v)});
    for (const auto& s : white_refs) residuals.push_back({s.u, s.v, s.level - wp.at(s.u, s.v)});
  }
  // The weight is a biweight (1 - d^2 / R^2)^2 out to R = 2 cells (the shape of a Gaussian
  // of 0.8 cell, without an exp per pair): the references are a cell apart, so a cell's
  // offset comes from its neighbours and the next ones only.
  constexpr float kLightReach2 = 4.0f;  // R^2, cells^2
  auto offset_at = [&](float u, float v) {
    if (!local_light) return 0.0f;
    float sw = 1.0f, swr = 0;  // the prior: one sample's weight at offset 0
    for (const auto& q : residuals) {
      const float du = q.u - u, dv = q.v - v, d2 = du * du + dv * dv;
      if (d2 < 1e-4f || d2 >= kLightReach2) continue;  // itself, or too far
      const float a = 1 - d2 / kLightReach2, w = a * a;
      sw += w;
      swr += w * q.r;
    }
    return swr / sw;
  };
  auto local = [&](float u, float v, float& thr, float& half) {
    const float o = offset_at(u, v);
    const float b = bp.at(u, v) + o, w = wp.at(u, v) + o;
    thr = (b + w) / 2;
    half = (w - b) / 2;
  };

  std::vector<uint8_t> cells(ncells);
  float margin = 1.0f;
  int unclear = 0;             // cells under min_margin
  size_t unclear_cell = 0;     // the last of them
  float clear_margin = 1.0f;   // the least clear of the others
  for (size_t i = 0; i < ncells; ++i) {
    const int r = static_cast<int>(i) / g, c = static_cast<int>(i) % g;
    float thr = 0, half = 0;
    local(c + 0.5f, r + 0.5f, thr, half);
    // Nowhere on a card may black and white come closer than the contrast a card needs.
    if (half < 0.25f * static_cast<float>(params.min_card_contrast)) return refuse("contrast");
    const bool is_black = level[i] < thr;
    cells[i] = is_black ? 1 : 0;
    if (!big_cells && (r == 0 || r == g - 1) && (c == 0 || c == g - 1)) {
      // A small card's corner cell has the white quiet zone on five sides and blurs
      // lighter than any other black cell; it only has to be clearly darker than white
      // (the hull that found the card already rests on it), or as dark as the deck asks.
      // The slack is whole up to 3 px a cell and none at 5: at 4 px a cell blur leaves a
      // corner darker than its threshold unless it is very strong, and a corner read lighter
      // is more often under a glare band, where the cells beside it are washed out too (a
      // 21 px card was read as another card that way, through a corner 0.6 half-contrast light).
      const float slack = corner_slack * std::clamp((5.0f - cell_px) / 2.0f, 0.0f, 1.0f);
      if (level[i] > thr + slack * half) return refuse("fixed cell");
      cells[i] = 1;
      continue;
    }
    if (deck.layout[i] != CellKind::Data && is_black != (deck.layout[i] == CellKind::Black)) return refuse("fixed cell");
    const float m = std::abs(level[i] - thr) / half;
    margin = std::min(margin, m);
    if (m < min_margin) {
      ++unclear;
      unclear_cell = i;
    } else {
      clear_margin = std::min(clear_margin, m);
    }
    // Samples of one cell clearly on both sides of the threshold: the grid does not fit
    // the card. Only meaningful when cells are large enough for blur not to mix them.
    if (big_cells && lo[i] < thr - 0.5f * half && hi[i] > thr + 0.5f * half) return refuse("cell not uniform");
  }
  // One unclear data cell as an erasure (DetectParams::erasure_min_cell_px): at distance 3
  // the code fills it in and still detects one more misread cell.
  const bool erasure = unclear == 1 && params.erasure_min_cell_px > 0 && cell_px >= params.erasure_min_cell_px &&
                       deck.min_distance >= 3 && deck.layout[unclear_cell] == CellKind::Data &&
                       clear_margin >= std::max(min_margin, params.erasure_others_margin);
  if (unclear > 0 && !erasure) return refuse("margin");

  int white_quiet = 0;
  for (const auto& q : quiet) {
    float thr = 0, half = 0;
    local(q.u, q.v, thr, half);
    if (q.level > thr) ++white_quiet;
  }
  if (static_cast<float>(white_quiet) < min_quiet * static_cast<float>(quiet.size())) return refuse("quiet zone");

  auto match = identify(deck, cells, max_data_errors, 0);
  if (!match && erasure) {
    cells[unclear_cell] ^= 1;  // at distance 3 at most one of the two values is a card
    match = identify(deck, cells, max_data_errors, 0);
  }
  if (!match) return refuse("no codeword");

  return read_of(*match, seen, margin);
}

}  // namespace cardpoll::detect
