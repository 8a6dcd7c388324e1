// Stage 4c: a large card under a glare band, read with the band modelled.
//
// A laminated card mirrors a lamp tube or a window's edge as a band of light across it.
// Specular light adds the same amount to ink and paper until the paper reaches the sensor's
// ceiling, so under the band the ink rises by 60-120 levels while the paper beside it cannot
// rise at all. The band is a cell or two wide: decode_card's light model (planes over the
// card plus one local offset pooled over two cells) cannot follow it, and a ring cell under
// it reads white ("fixed cell") or a data cell unclear ("margin") although the ink is still
// 30-60 levels under the clipped paper beside it.
//
// Here the light is that band: level = b + c [white] + gradient + A band(t), clipped at the
// ceiling, where band(t) = exp(-(t - offset)^2 / 2 width^2) along t = u cos(a) + v sin(a) in
// grid units. For each direction, offset and width searched, the rest is linear and fitted by
// least squares to the cells every card has (ring, corners, centre, quiet zone); samples at
// the ceiling are only "at least this bright" and left out. The band that fits best is kept.
// A read is refused unless
//  - the band is there and seen on the ink: its strength is at least half the card's
//    contrast and it crosses at least two of the fixed black cells (under even light
//    decode_card has said what the card shows);
//  - every fixed cell, judged against the light fitted without it, reads clearly as printed
//    (none washed out by the ceiling: a look-alike differs from a card in one fixed cell);
//  - the quiet zone is white where the model can judge it (clipped paper is white), as
//    decode_card's share;
//  - every data cell reads clearly (at most one unclear, as an erasure, on a deck of
//    distance 3), and no cell's samples disagree;
//  - the data cells match a codeword exactly and no other as well (identify).
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "scanner/card_grid.h"
#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

constexpr float kCeilingSlack = 6.0f;  // levels under the card's brightest sample counted as clipped
constexpr int kCoarseDirections = 9;   // over half a turn; then refined
constexpr float kOffsetStep = 0.3f;    // cells
constexpr std::array<float, 3> kWidths = {0.3f, 0.55f, 1.0f};  // band sigma, cells; then refined
constexpr float kCoarseMinStrength = 0.3f;  // of the contrast, on the coarse search
constexpr float kBandReach = 4.25f;    // widths: exp(-4.25^2 / 2) is under the table's floor
constexpr int kUnknowns = 5;  // b, c, gradient along u and v, band strength

struct Sample {
  float u, v, level;
  int cell;       // index into the grid, or -1 for a quiet-zone sample
  CellKind kind;  // Black, White or Data (quiet-zone samples are White)
  bool clipped;   // at the ceiling: the true level is at least this
};

struct BandShape {
  float angle = 0, offset = 0, width = 1;
};

// Level = x0 + x1 [white] + x2 (u - g/2) + x3 (v - g/2) + x4 band.
struct Light {
  std::array<double, kUnknowns> x{};
  bool ok = false;
};

float gauss(float d2);

float band_at(const BandShape& s, float u, float v) {
  const float t = u * std::cos(s.angle) + v * std::sin(s.angle);
  const float d = (t - s.offset) / s.width;
  return gauss(d * d);
}

bool is_reference(const Sample& s) { return s.kind != CellKind::Data && !s.clipped; }

// Least squares over the references (but those of cell `skip`), the band's shape fixed. The
// gradients are held back by a ridge term as decode_card's planes are.
Light fit_light(const std::vector<Sample>& pts, const std::vector<float>& band, float centre, int skip) {
  std::array<double, kUnknowns * kUnknowns> A{};
  std::array<double, kUnknowns> rhs{};
  double n = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    const Sample& s = pts[i];
    if (!is_reference(s) || (skip >= 0 && s.cell == skip)) continue;
    const double f[kUnknowns] = {1.0, s.kind == CellKind::White ? 1.0 : 0.0, s.u - centre, s.v - centre, band[i]};
    for (int a = 0; a < kUnknowns; ++a) {
      for (int b = 0; b < kUnknowns; ++b) A[static_cast<size_t>(a * kUnknowns + b)] += f[a] * f[b];
      rhs[static_cast<size_t>(a)] += f[a] * s.level;
    }
    n += 1;
  }
  Light out;
  if (n < 8) return out;
  A[2 * kUnknowns + 2] += 0.25 * n;
  A[3 * kUnknowns + 3] += 0.25 * n;
  A[4 * kUnknowns + 4] += 1e-3 * n;  // a band no reference sees stays at 0
  cv::Matx<double, kUnknowns, kUnknowns> M(A.data());
  cv::Vec<double, kUnknowns> r(rhs.data()), x;
  if (!cv::solve(M, r, x, cv::DECOMP_CHOLESKY)) return out;
  for (int a = 0; a < kUnknowns; ++a) out.x[static_cast<size_t>(a)] = x[a];
  out.ok = true;
  return out;
}

// exp(-d^2 / 2) from a table over d^2 in [0, 18) (beyond: 0): the band search evaluates it
// some 20,000 times a card.
float gauss(float d2) {
  constexpr int kSteps = 1024;
  constexpr float kMax = 18.0f;
  static const std::array<float, kSteps + 1> table = [] {
    std::array<float, kSteps + 1> t{};
    for (int i = 0; i <= kSteps; ++i) t[static_cast<size_t>(i)] = std::exp(-0.5f * kMax * static_cast<float>(i) / kSteps);
    return t;
  }();
  if (d2 >= kMax) return 0.0f;
  const float x = d2 * (kSteps / kMax);
  const int i = static_cast<int>(x);
  const float f = x - static_cast<float>(i);
  return table[static_cast<size_t>(i)] + f * (table[static_cast<size_t>(i + 1)] - table[static_cast<size_t>(i)]);
}

// The band that fits the references best: a coarse search over direction, offset and width,
// then a finer one around the best. The light without the band is fitted once; a band's
// gain over it is then a closed form (the band's regressor against that fit's residual,
// partialled out of the other unknowns), so a shape costs one pass over the references it
// reaches and no solve. The coarse search runs on the cells' means (a fixed cell with no
// sample at the ceiling is one reference at its centre), the finer one on every sample.
struct BandFit {
  BandShape shape;
  Light light;
  std::vector<float> band;  // band(t) at every sample
};

struct Reference {
  float u, v, level, white;
};

// One set of references, and a search over band shapes on it.
class BandSearch {
 public:
  BandSearch(std::vector<Reference> refs, float centre) : refs_(std::move(refs)), centre_(centre) {
    cv::Matx44d A = cv::Matx44d::zeros();
    cv::Vec4d r(0, 0, 0, 0);
    for (const auto& q : refs_) {
      const cv::Vec4d f(1.0, q.white, q.u - centre, q.v - centre);
      A += f * f.t();
      r += f * static_cast<double>(q.level);
    }
    n_ = static_cast<double>(refs_.size());
    if (refs_.size() < 8) return;
    A(2, 2) += 0.25 * n_;
    A(3, 3) += 0.25 * n_;
    bool invertible = true;
    inv_ = A.inv(cv::DECOMP_CHOLESKY, &invertible);
    if (!invertible) return;
    x0_ = inv_ * r;
    usable_ = true;
    sorted_.resize(refs_.size());
    t_.resize(refs_.size());
  }
  bool usable() const { return usable_; }

  // Orders the references along t for direction `angle`.
  void set_direction(float angle) {
    const float ca = std::cos(angle), sa = std::sin(angle);
    sorted_ = refs_;
    std::sort(sorted_.begin(), sorted_.end(),
              [&](const Reference& x, const Reference& y) { return x.u * ca + x.v * sa < y.u * ca + y.v * sa; });
    for (size_t k = 0; k < sorted_.size(); ++k) t_[k] = sorted_[k].u * ca + sorted_[k].v * sa;
  }
  float t_min() const { return t_.front(); }
  float t_max() const { return t_.back(); }

  // How much the band of shape s (on the current direction) lowers the references' sum of
  // squared residuals; 0 when it would take light away.
  double gain(float offset, float width, double* strength = nullptr) const {
    float a0 = 0, a1 = 0, au = 0, av = 0, a55 = 0, r5 = 0;
    const float inv2 = 1.0f / (width * width), reach = kBandReach * width;
    const size_t from = static_cast<size_t>(std::lower_bound(t_.begin(), t_.end(), offset - reach) - t_.begin());
    for (size_t k = from; k < t_.size() && t_[k] < offset + reach; ++k) {
      const float d = t_[k] - offset;
      const float b = gauss(d * d * inv2);
      const Reference& q = sorted_[k];
      a0 += b;
      a1 += b * q.white;
      au += b * (q.u - centre_);
      av += b * (q.v - centre_);
      a55 += b * b;
      r5 += b * q.level;
    }
    const cv::Vec4d a(a0, a1, au, av);
    const double denom = a55 + 1e-3 * n_ - a.dot(inv_ * a);
    if (denom <= 1e-9) return 0;
    const double num = r5 - a.dot(x0_);  // the band's regressor against the residual
    if (strength) *strength = num / denom;
    return num <= 0 ? 0 : num * num / denom;
  }
  // The card's contrast fitted without a band.
  double contrast() const { return x0_[1]; }

 private:
  std::vector<Reference> refs_, sorted_;
  std::vector<float> t_;
  float centre_;
  double n_ = 0;
  cv::Matx44d inv_;
  cv::Vec4d x0_;
  bool usable_ = false;
};

BandFit fit_band(const std::vector<Sample>& pts, int g, float centre) {
  BandFit best;
  std::vector<Reference> every, means;
  std::vector<float> sum(static_cast<size_t>(g * g), 0);
  std::vector<int> count(static_cast<size_t>(g * g), 0), clipped(static_cast<size_t>(g * g), 0);
  for (const auto& s : pts) {
    const float white = s.kind == CellKind::White ? 1.0f : 0.0f;
    if (s.cell >= 0) {
      clipped[static_cast<size_t>(s.cell)] += s.clipped;
      sum[static_cast<size_t>(s.cell)] += s.level;
      ++count[static_cast<size_t>(s.cell)];
    }
    if (!is_reference(s)) continue;
    every.push_back({s.u, s.v, s.level, white});
    if (s.cell < 0) means.push_back({s.u, s.v, s.level, white});
  }
  for (int i = 0; i < g * g; ++i) {
    const size_t c = static_cast<size_t>(i);
    if (pts[c * 5].kind == CellKind::Data || clipped[c] > 0 || count[c] == 0) continue;
    means.push_back({static_cast<float>(i % g) + 0.5f, static_cast<float>(i / g) + 0.5f, sum[c] / static_cast<float>(count[c]),
                     pts[c * 5].kind == CellKind::White ? 1.0f : 0.0f});
  }
  BandSearch coarse(means, centre), fine(every, centre);
  if (!coarse.usable() || !fine.usable()) return best;
  double best_gain = 0, strength = 0;
  BandShape shape;
  for (int k = 0; k < kCoarseDirections; ++k) {
    const float angle = static_cast<float>(CV_PI) * static_cast<float>(k) / kCoarseDirections;
    coarse.set_direction(angle);
    for (const float w : kWidths) {
      // Offsets a fraction of the width apart (a wide band's gain varies slowly).
      const float step = std::max(kOffsetStep, 0.5f * w);
      for (float off = coarse.t_min(); off <= coarse.t_max(); off += step) {
        double a = 0;
        if (const double gn = coarse.gain(off, w, &a); gn > best_gain) {
          best_gain = gn;
          strength = a;
          shape = {angle, off, w};
        }
      }
    }
  }
  // A band far under the half contrast decode_glare asks for is not worth refining.
  if (best_gain <= 0 || strength < kCoarseMinStrength * coarse.contrast()) return best;
  // Finer, on every sample: half the steps around the best, then a quarter, then an eighth.
  best_gain = 0;
  float da = static_cast<float>(CV_PI) / kCoarseDirections / 2, doff = kOffsetStep / 2;
  for (int round = 0; round < 3; ++round, da /= 2, doff /= 2) {
    const BandShape c = shape;
    for (int ia = -1; ia <= 1; ++ia) {
      const float angle = c.angle + static_cast<float>(ia) * da;
      fine.set_direction(angle);
      for (int io = -1; io <= 1; ++io)
        for (const float wf : {0.8f, 1.0f, 1.25f}) {
          const float off = c.offset + static_cast<float>(io) * doff, w = c.width * wf;
          if (const double gn = fine.gain(off, w); gn > best_gain) {
            best_gain = gn;
            shape = {angle, off, w};
          }
        }
    }
  }
  if (best_gain <= 0) return best;
  best.shape = shape;
  best.band.resize(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) best.band[i] = band_at(shape, pts[i].u, pts[i].v);
  best.light = fit_light(pts, best.band, centre, -1);
  return best;
}

// A sample's signed clearness against the light: > 0 white, < 0 black, in half contrasts;
// `known` false where the ceiling leaves ink and paper too close to tell.
struct Judged {
  bool known = false;
  float score = 0;
};

Judged judge(const Sample& s, const Light& l, float band, float centre, float ceiling, float min_half) {
  const double base = l.x[0] + l.x[2] * (s.u - centre) + l.x[3] * (s.v - centre) + l.x[4] * band;
  const float black = static_cast<float>(std::min<double>(ceiling, base));
  const float white = static_cast<float>(std::min<double>(ceiling, base + l.x[1]));
  const float half = (white - black) / 2;
  if (half < min_half) return {};
  return {true, (s.level - (black + white) / 2) / half};
}

// Five samples a cell (as decode_card's), cell by cell (fit_band finds cell i's at 5 i),
// then one per quiet-zone cell half a cell out; the ceiling is the brightest of them, and
// samples within kCeilingSlack of it are clipped. False when a sample is off the frame.
bool sample_card(const cv::Mat& gray, const Homography& H, const Deck& deck, std::vector<Sample>& pts, float& ceiling) {
  const int g = deck.grid;
  static constexpr float kOff[5][2] = {{0, 0}, {-0.2f, -0.2f}, {0.2f, -0.2f}, {-0.2f, 0.2f}, {0.2f, 0.2f}};
  pts.clear();
  pts.reserve(static_cast<size_t>(5 * g * g + 4 * g + 4));
  auto add = [&](float u, float v, int cell, CellKind kind) {
    const cv::Point2f p = H.map(u, v);
    const float level = sample_grey(gray, p.x, p.y);
    if (level < 0) return false;
    pts.push_back({u, v, level, cell, kind, false});
    return true;
  };
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c)
      for (const auto& o : kOff)
        if (!add(c + 0.5f + o[0], r + 0.5f + o[1], r * g + c, deck.layout[static_cast<size_t>(r * g + c)])) return false;
  for (int j = 0; j < g; ++j) {
    const float a = j + 0.5f, b = g - j - 0.5f;
    if (!add(a, -0.5f, -1, CellKind::White) || !add(g + 0.5f, a, -1, CellKind::White) ||
        !add(b, g + 0.5f, -1, CellKind::White) || !add(-0.5f, b, -1, CellKind::White))
      return false;
  }
  if (!add(-0.5f, -0.5f, -1, CellKind::White) || !add(g + 0.5f, -0.5f, -1, CellKind::White) ||
      !add(g + 0.5f, g + 0.5f, -1, CellKind::White) || !add(-0.5f, g + 0.5f, -1, CellKind::White))
    return false;
  ceiling = 0;
  for (const auto& s : pts) ceiling = std::max(ceiling, s.level);
  for (auto& s : pts) s.clipped = s.level >= ceiling - kCeilingSlack;
  return true;
}

// Every cell's samples judged against the light (a fixed cell's against the light fitted
// without it): their scores' sum, count and extremes, and the quiet zone's white share.
struct CellScores {
  std::vector<float> sum, lo, hi;
  std::vector<int> judged;
  int quiet_white = 0, quiet_n = 0;
};

std::optional<CellScores> score_cells(const std::vector<Sample>& pts, const BandFit& fit, const Deck& deck, float centre,
                                      float ceiling, float min_half) {
  const size_t ncells = deck.layout.size();
  std::vector<Light> without(ncells);
  for (size_t i = 0; i < ncells; ++i)
    if (deck.layout[i] != CellKind::Data) {
      without[i] = fit_light(pts, fit.band, centre, static_cast<int>(i));
      if (!without[i].ok) return std::nullopt;
    }
  CellScores out;
  out.sum.assign(ncells, 0);
  out.lo.assign(ncells, 1e9f);
  out.hi.assign(ncells, -1e9f);
  out.judged.assign(ncells, 0);
  for (size_t i = 0; i < pts.size(); ++i) {
    const Sample& s = pts[i];
    if (s.cell < 0) {
      // Clipped paper beside the card is white whatever the model says.
      const Judged j = judge(s, fit.light, fit.band[i], centre, ceiling, min_half);
      ++out.quiet_n;
      out.quiet_white += s.clipped || (j.known && j.score > 0);
      continue;
    }
    const size_t c = static_cast<size_t>(s.cell);
    const Judged j = judge(s, s.kind == CellKind::Data ? fit.light : without[c], fit.band[i], centre, ceiling, min_half);
    if (!j.known) continue;
    out.sum[c] += j.score;
    ++out.judged[c];
    out.lo[c] = std::min(out.lo[c], j.score);
    out.hi[c] = std::max(out.hi[c], j.score);
  }
  return out;
}

// The cells as judged, checked (every fixed cell clear as printed, no cell's samples on
// both sides, every data cell clear but at most one erasure at distance 3) and matched to
// the codebook.
std::optional<CardRead> read_cells(const CellScores& scores, const Deck& deck, const DetectParams& params,
                                   float min_margin, const Corners& seen, const char** why) {
  auto refuse = [why](const char* reason) -> std::optional<CardRead> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const size_t ncells = deck.layout.size();
  std::vector<uint8_t> cells(ncells);
  float margin = 1.0f, clear_margin = 1.0f;
  int unclear = 0;
  size_t unclear_cell = 0;
  for (size_t i = 0; i < ncells; ++i) {
    const CellKind kind = deck.layout[i];
    if (scores.judged[i] < 3) {
      // Washed out by the ceiling. A fixed cell must show: a look-alike differs from a card
      // in one fixed cell, and one taken as known read as a card in the fifth pass's hunts
      // (docs/scanner.md). A data cell is unclear.
      if (kind != CellKind::Data) return refuse("fixed cell");
      ++unclear;
      unclear_cell = i;
      margin = 0;
      continue;
    }
    const float m = scores.sum[i] / static_cast<float>(scores.judged[i]);
    if (scores.lo[i] < -0.5f && scores.hi[i] > 0.5f) return refuse("cell not uniform");
    const bool is_black = m < 0;
    cells[i] = is_black ? 1 : 0;
    margin = std::min(margin, std::abs(m));
    if (kind != CellKind::Data) {
      if (is_black != (kind == CellKind::Black) || std::abs(m) < min_margin) return refuse("fixed cell");
      continue;
    }
    if (std::abs(m) < min_margin) {
      ++unclear;
      unclear_cell = i;
    } else {
      clear_margin = std::min(clear_margin, std::abs(m));
    }
  }
  // (DetectParams::erasure_min_cell_px 0 turns erasures off here too.)
  const bool erasure = unclear == 1 && params.erasure_min_cell_px > 0 && deck.min_distance >= 3 &&
                       clear_margin >= std::max(min_margin, params.erasure_others_margin);
  if (unclear > 0 && !erasure) return refuse("margin");

  const int max_data_errors = std::min(std::max(0, params.max_data_errors), std::max(0, (deck.min_distance - 1) / 2));
  auto match = identify(deck, cells, max_data_errors, 0);
  if (erasure) {
    // Both values of the erased cell are tried; a read only when exactly one is a card.
    std::vector<uint8_t> other = cells;
    other[unclear_cell] ^= 1;
    const auto match2 = identify(deck, other, max_data_errors, 0);
    if (match && match2) return refuse("no codeword");
    if (!match) match = match2;
  }
  if (!match) return refuse("no codeword");

  return read_of(*match, seen, margin);
}

}  // namespace

std::optional<CardRead> decode_glare(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                     const DetectParams& params, const char** why) {
  auto refuse = [why](const char* reason) -> std::optional<CardRead> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const int g = deck.grid;
  const ReadRules& rules = deck.read_rules;
  const auto held = as_held(corners, g, params.max_rotation_deg);
  if (!held) return refuse("rotation");
  const Corners& seen = *held;
  if (!plausible_shape(seen)) return refuse("shape");
  const float cell_px = cell_px_of(seen, g);
  if (params.glare_min_cell_px <= 0 || cell_px < params.glare_min_cell_px) return refuse("too small");
  const auto asked = required_margin(rules, params.min_margin, cell_px);
  if (!asked) return refuse("too small");
  const float min_margin = std::max(*asked, params.glare_min_margin);
  const float min_quiet = std::max(params.min_quiet_fraction, rules.min_quiet_fraction);
  const Homography H = grid_to_image(seen, g);
  const float centre = static_cast<float>(g) / 2;

  std::vector<Sample> pts;
  float ceiling = 0;
  if (!sample_card(gray, H, deck, pts, ceiling)) return refuse("off frame");

  const BandFit fit = fit_band(pts, g, centre);
  if (!fit.light.ok) return refuse("no band");
  const Light& light = fit.light;
  const double contrast = light.x[1];
  if (contrast < params.min_card_contrast) return refuse("contrast");
  // The band must be there, and on the ink: half the contrast at least, across two or more
  // of the fixed black cells (at their centres, a quarter of its strength or more).
  int inked = 0;
  for (int i = 0; i < g * g; ++i)
    if (deck.layout[static_cast<size_t>(i)] == CellKind::Black &&
        band_at(fit.shape, static_cast<float>(i % g) + 0.5f, static_cast<float>(i / g) + 0.5f) >= 0.25f)
      ++inked;
  if (light.x[4] < 0.5 * contrast || inked < 2) return refuse("no band");

  const float min_half = 0.25f * static_cast<float>(params.min_card_contrast);
  const auto scores = score_cells(pts, fit, deck, centre, ceiling, min_half);
  if (!scores) return refuse("fixed cell");
  if (static_cast<float>(scores->quiet_white) < min_quiet * static_cast<float>(scores->quiet_n)) return refuse("quiet zone");

  return read_cells(*scores, deck, params, min_margin, seen, why);
}

}  // namespace cardpoll::detect
