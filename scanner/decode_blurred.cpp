// Stage 4b: a small card read as a whole pattern, its blur included.
//
// Under 20 px (4 px a cell) blur mixes every cell with its neighbours: a black ring cell
// between white cells reads lighter than the midpoint of the card's black and white, and
// decode_card refuses a card the eye reads plainly ("fixed cell", "margin"). Here every
// codeword of the deck, in every rotation, is drawn through the quad as the camera shows
// it (cells blurred by a Gaussian of 0.25-0.7 cell, the quiet zone white) and compared with
// the image. The read is the codeword that fits best, and only when
//  - it fits everywhere: after fitting its black and white levels, no cell of the pattern
//    or the quiet zone is off by more than a quarter of the contrast (a look-alike grid
//    differs from every card in a whole cell, which no blur explains), and
//  - every other codeword fits far worse (by many times the noise left in the best fit),
//    and so does every pattern one cell from the best one, and
//  - its blur lies inside the widths modelled (at the widest, the camera's is wider still).
//
// The fit is linear in the cells, so for each blur width the image is reduced once to the
// cells' footprints (A^T s) and each codeword costs a sum over its black cells.
#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "scanner/card_grid.h"
#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

constexpr int kSamplesPerCell = 2;       // per axis, over the pattern and half a cell around it
constexpr std::array<float, 10> kSigmas = {0.25f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.55f, 0.6f, 0.65f, 0.7f};  // cells

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// The blur of one grid size: for each blur width, how much each (extended) cell covers
// each sample along one axis, and the Gram terms of the 2-D footprints.
struct BlurTables {
  int g = 0, ext = 0, ns = 0;  // pattern cells, cells with the quiet ring, samples per axis
  std::vector<float> positions;  // sample positions, grid units
  struct PerSigma {
    std::vector<double> w;      // ns x ext: weight of cell e at sample k
    std::vector<double> gram;   // ext^2 x ext^2: sum over samples of A_i A_j
    std::vector<double> cover;  // ext^2: sum over samples of A_i
    std::vector<double> gram_row;  // ext^2: sum_j gram(i, j)
    double gram_all = 0;        // sum of all gram entries
    double cover_all = 0;       // sum of all cover entries
  };
  std::vector<PerSigma> sigma;
};

BlurTables make_tables(int g) {
  BlurTables t;
  t.g = g;
  t.ext = g + 2;  // the ring of quiet-zone cells, each reaching out to infinity (white)
  t.ns = kSamplesPerCell * (g + 1);
  for (int k = 0; k < t.ns; ++k) t.positions.push_back(-0.5f + (static_cast<float>(k) + 0.5f) / kSamplesPerCell);
  const int e2 = t.ext * t.ext;
  for (const float s : kSigmas) {
    BlurTables::PerSigma p;
    p.w.assign(static_cast<size_t>(t.ns * t.ext), 0.0);
    for (int k = 0; k < t.ns; ++k)
      for (int e = 0; e < t.ext; ++e) {
        const double x = t.positions[static_cast<size_t>(k)];
        const double lo = e == 0 ? -1e9 : static_cast<double>(e - 1), hi = e == t.ext - 1 ? 1e9 : static_cast<double>(e);
        p.w[static_cast<size_t>(k * t.ext + e)] = normal_cdf((hi - x) / s) - normal_cdf((lo - x) / s);
      }
    p.gram.assign(static_cast<size_t>(e2 * e2), 0.0);
    p.cover.assign(static_cast<size_t>(e2), 0.0);
    std::vector<double> a(static_cast<size_t>(e2));
    for (int ky = 0; ky < t.ns; ++ky)
      for (int kx = 0; kx < t.ns; ++kx) {
        for (int ey = 0; ey < t.ext; ++ey)
          for (int ex = 0; ex < t.ext; ++ex)
            a[static_cast<size_t>(ey * t.ext + ex)] = p.w[static_cast<size_t>(ky * t.ext + ey)] * p.w[static_cast<size_t>(kx * t.ext + ex)];
        for (int i = 0; i < e2; ++i) {
          if (a[static_cast<size_t>(i)] < 1e-9) continue;
          p.cover[static_cast<size_t>(i)] += a[static_cast<size_t>(i)];
          for (int j = 0; j < e2; ++j) p.gram[static_cast<size_t>(i * e2 + j)] += a[static_cast<size_t>(i)] * a[static_cast<size_t>(j)];
        }
      }
    p.gram_row.assign(static_cast<size_t>(e2), 0.0);
    for (int i = 0; i < e2; ++i)
      for (int j = 0; j < e2; ++j) p.gram_row[static_cast<size_t>(i)] += p.gram[static_cast<size_t>(i * e2 + j)];
    for (int i = 0; i < e2; ++i) p.gram_all += p.gram_row[static_cast<size_t>(i)];
    for (int i = 0; i < e2; ++i) p.cover_all += p.cover[static_cast<size_t>(i)];
    t.sigma.push_back(std::move(p));
  }
  return t;
}

const BlurTables& tables_for(int g) {
  // The decks have grids of 5 and 6; a table is built once per grid size and kept.
  static std::mutex m;
  static std::vector<std::unique_ptr<BlurTables>> made;
  std::lock_guard<std::mutex> lock(m);
  for (const auto& t : made)
    if (t->g == g) return *t;
  made.push_back(std::make_unique<BlurTables>(make_tables(g)));
  return *made.back();
}

// One codeword as seen: the card, the answer on top, its black cells as indices into the
// extended grid, and which of them are data cells (the rest are the deck's fixed black
// cells turned by the answer, shared by every card held that way up).
struct Template {
  int card = 0;
  Answer answer = Answer::A;
  std::vector<int> black, dark_data;
  // Per blur width, the sums over the codeword's white cells that do not depend on the
  // image: sum p and sum p^2 (fit_codewords needs only sum s p per frame).
  std::vector<double> sp, spp;
};

// A deck's codewords and, per blur width and answer on top, the sums over its fixed black
// cells, so that a codeword's fit costs a sum over its black data cells only.
struct DeckTemplates {
  std::vector<Template> templates;
  struct Fixed {
    std::vector<int> cells;
    std::vector<double> cover, gram_row, gram_all, gram;  // per blur width: sums over the cells
    std::vector<std::vector<double>> gram_to;            // per blur width: sum_j in cells G(i, j)
  };
  std::array<Fixed, 4> fixed;
};

DeckTemplates make_templates(const Deck& deck, const BlurTables& bt) {
  DeckTemplates dt;
  const int g = deck.grid, ext = g + 2, e2 = ext * ext;
  std::vector<uint8_t> layout_black(static_cast<size_t>(g * g));
  for (int i = 0; i < g * g; ++i) layout_black[static_cast<size_t>(i)] = deck.layout[static_cast<size_t>(i)] == CellKind::Black;
  for (int a = 0; a < 4; ++a) {
    auto& f = dt.fixed[static_cast<size_t>(a)];
    const auto seen = rotate_ccw(layout_black, g, a);
    for (int r = 0; r < g; ++r)
      for (int c = 0; c < g; ++c)
        if (seen[static_cast<size_t>(r * g + c)]) f.cells.push_back((r + 1) * ext + (c + 1));
    for (const auto& ps : bt.sigma) {
      double cover = 0, row = 0, gg = 0;
      std::vector<double> to(static_cast<size_t>(e2), 0.0);
      for (const int i : f.cells) {
        cover += ps.cover[static_cast<size_t>(i)];
        row += ps.gram_row[static_cast<size_t>(i)];
        for (const int j : f.cells) gg += ps.gram[static_cast<size_t>(i * e2 + j)];
      }
      for (int i = 0; i < e2; ++i)
        for (const int j : f.cells) to[static_cast<size_t>(i)] += ps.gram[static_cast<size_t>(i * e2 + j)];
      f.cover.push_back(cover);
      f.gram_row.push_back(row);
      f.gram.push_back(gg);
      f.gram_to.push_back(std::move(to));
    }
  }
  for (int n = 1; n <= deck.cards(); ++n)
    for (int a = 0; a < 4; ++a) {
      Template t;
      t.card = n;
      t.answer = static_cast<Answer>(a);
      const auto cells = card_cells(deck, n, t.answer);
      const auto& fixed = dt.fixed[static_cast<size_t>(a)].cells;
      for (int r = 0; r < g; ++r)
        for (int c = 0; c < g; ++c)
          if (cells[static_cast<size_t>(r * g + c)]) {
            const int e = (r + 1) * ext + (c + 1);
            t.black.push_back(e);
            if (std::find(fixed.begin(), fixed.end(), e) == fixed.end()) t.dark_data.push_back(e);
          }
      // Summed in the order fit_codewords once summed them per frame, so that the fits are
      // the same to the last bit.
      const auto& fx = dt.fixed[static_cast<size_t>(a)];
      for (size_t m = 0; m < bt.sigma.size(); ++m) {
        const auto& ps = bt.sigma[m];
        double sp = ps.cover_all - fx.cover[m];
        double spp = ps.gram_all - 2 * fx.gram_row[m] + fx.gram[m];
        for (const int i : t.dark_data) {
          sp -= ps.cover[static_cast<size_t>(i)];
          spp += -2 * ps.gram_row[static_cast<size_t>(i)] + 2 * fx.gram_to[m][static_cast<size_t>(i)];
          for (const int j : t.dark_data) spp += ps.gram[static_cast<size_t>(i * e2 + j)];
        }
        t.sp.push_back(sp);
        t.spp.push_back(spp);
      }
      dt.templates.push_back(std::move(t));
    }
  return dt;
}

const DeckTemplates& templates_for(const Deck& deck, const BlurTables& bt) {
  static std::mutex m;
  static std::vector<std::pair<const Deck*, std::unique_ptr<DeckTemplates>>> made;
  std::lock_guard<std::mutex> lock(m);
  for (const auto& [d, t] : made)
    if (d == &deck) return *t;
  made.emplace_back(&deck, std::make_unique<DeckTemplates>(make_templates(deck, bt)));
  return *made.back().second;
}

struct Fit {
  double rss = 1e300, black = 0, contrast = 0;
  int sigma = -1;
};

// The grey levels at the sample positions through the quad (row-major), and their sums.
struct Samples {
  std::vector<double> s;
  double sum = 0, centred_ss = 0, n = 0;
};

std::optional<Samples> sample_pattern(const cv::Mat& gray, const Homography& H, const BlurTables& bt) {
  Samples out;
  const int ns = bt.ns;
  out.s.resize(static_cast<size_t>(ns * ns));
  double ss = 0;
  for (int ky = 0; ky < ns; ++ky)
    for (int kx = 0; kx < ns; ++kx) {
      const cv::Point2f p = H.map(bt.positions[static_cast<size_t>(kx)], bt.positions[static_cast<size_t>(ky)]);
      const float v = sample_grey(gray, p.x, p.y);
      if (v < 0) return std::nullopt;
      out.s[static_cast<size_t>(ky * ns + kx)] = v;
      out.sum += v;
      ss += static_cast<double>(v) * v;
    }
  out.n = static_cast<double>(ns * ns);
  out.centred_ss = ss - out.sum * out.sum / out.n;
  return out;
}

// The samples reduced to each cell's footprint at blur width m: q = A^T s (separably, along
// x then y), and the sum of q.
struct Footprints {
  std::vector<std::vector<double>> q;
  std::vector<double> q_all;
};

Footprints footprints(const Samples& smp, const BlurTables& bt) {
  const int ns = bt.ns, ext = bt.ext;
  Footprints fp;
  std::vector<double> along_x(static_cast<size_t>(ns * ext));
  for (const auto& ps : bt.sigma) {
    for (int ky = 0; ky < ns; ++ky)
      for (int ex = 0; ex < ext; ++ex) {
        double acc = 0;
        for (int kx = 0; kx < ns; ++kx) acc += ps.w[static_cast<size_t>(kx * ext + ex)] * smp.s[static_cast<size_t>(ky * ns + kx)];
        along_x[static_cast<size_t>(ky * ext + ex)] = acc;
      }
    std::vector<double> q(static_cast<size_t>(ext * ext));
    double all = 0;
    for (int ey = 0; ey < ext; ++ey)
      for (int ex = 0; ex < ext; ++ex) {
        double acc = 0;
        for (int ky = 0; ky < ns; ++ky) acc += ps.w[static_cast<size_t>(ky * ext + ey)] * along_x[static_cast<size_t>(ky * ext + ex)];
        q[static_cast<size_t>(ey * ext + ex)] = acc;
        all += acc;
      }
    fp.q.push_back(std::move(q));
    fp.q_all.push_back(all);
  }
  return fp;
}

// The least-squares black level and contrast of a pattern from its sums over X (white = 1):
// sp = sum p, ssp = sum s p, spp = sum p^2.
Fit fit_levels(const Samples& smp, double sp, double ssp, double spp, size_t m) {
  Fit f;
  const double cpp = spp - sp * sp / smp.n, csp = ssp - smp.sum * sp / smp.n;
  if (cpp <= 1e-9 || csp <= 0) return f;
  f.rss = smp.centred_ss - csp * csp / cpp;
  f.contrast = csp / cpp;
  f.black = (smp.sum - f.contrast * sp) / smp.n;
  f.sigma = static_cast<int>(m);
  return f;
}

// Any pattern, given by its black cells `b`, at blur width m: X = 1 - B, every sum over X
// from the sums over B.
Fit fit_pattern(const std::vector<int>& b, size_t m, const Samples& smp, const Footprints& fp, const BlurTables& bt) {
  const auto& ps = bt.sigma[m];
  const int e2 = bt.ext * bt.ext;
  double sp = ps.cover_all, ssp = fp.q_all[m], spp = ps.gram_all;
  for (const int i : b) {
    sp -= ps.cover[static_cast<size_t>(i)];
    ssp -= fp.q[m][static_cast<size_t>(i)];
    spp -= 2 * ps.gram_row[static_cast<size_t>(i)];
    for (const int j : b) spp += ps.gram[static_cast<size_t>(i * e2 + j)];
  }
  return fit_levels(smp, sp, ssp, spp, m);
}

// Every codeword at every blur width; each codeword's best. The fixed black cells' sums come
// per answer on top (DeckTemplates::fixed), so a codeword costs its black data cells only.
std::vector<Fit> fit_codewords(const DeckTemplates& dt, const Samples& smp, const Footprints& fp, const BlurTables& bt) {
  std::vector<Fit> fits(dt.templates.size());
  for (size_t m = 0; m < bt.sigma.size(); ++m) {
    const auto& q = fp.q[m];
    std::array<double, 4> q_fixed{};
    for (size_t a = 0; a < 4; ++a)
      for (const int i : dt.fixed[a].cells) q_fixed[a] += q[static_cast<size_t>(i)];
    for (size_t t = 0; t < dt.templates.size(); ++t) {
      const Template& tp = dt.templates[t];
      double ssp = fp.q_all[m] - q_fixed[static_cast<size_t>(tp.answer)];
      for (const int i : tp.dark_data) ssp -= q[static_cast<size_t>(i)];
      const Fit fit = fit_levels(smp, tp.sp[m], ssp, tp.spp[m], m);
      if (fit.rss < fits[t].rss) fits[t] = fit;
    }
  }
  return fits;
}

// The largest mean residual over one cell's samples (pattern and quiet zone) of a fit.
double worst_cell_residual(const std::vector<int>& black, const Fit& f, const Samples& smp, const BlurTables& bt) {
  const int ns = bt.ns, ext = bt.ext, e2 = ext * ext;
  const auto& ps = bt.sigma[static_cast<size_t>(f.sigma)];
  std::vector<double> white(static_cast<size_t>(e2), 1.0);
  for (const int i : black) white[static_cast<size_t>(i)] = 0.0;
  std::vector<double> cell_sum(static_cast<size_t>(e2), 0.0);
  std::vector<int> cell_n(static_cast<size_t>(e2), 0);
  for (int ky = 0; ky < ns; ++ky)
    for (int kx = 0; kx < ns; ++kx) {
      double p = 0;
      for (int ey = 0; ey < ext; ++ey) {
        const double wy = ps.w[static_cast<size_t>(ky * ext + ey)];
        if (wy < 1e-6) continue;
        for (int ex = 0; ex < ext; ++ex) p += wy * ps.w[static_cast<size_t>(kx * ext + ex)] * white[static_cast<size_t>(ey * ext + ex)];
      }
      const double r = smp.s[static_cast<size_t>(ky * ns + kx)] - (f.black + f.contrast * p);
      // Sample k lies in extended cell floor(position) + 1.
      const int cy = std::clamp(static_cast<int>(std::floor(bt.positions[static_cast<size_t>(ky)])) + 1, 0, ext - 1);
      const int cx = std::clamp(static_cast<int>(std::floor(bt.positions[static_cast<size_t>(kx)])) + 1, 0, ext - 1);
      cell_sum[static_cast<size_t>(cy * ext + cx)] += r;
      ++cell_n[static_cast<size_t>(cy * ext + cx)];
    }
  double worst = 0;
  for (int i = 0; i < e2; ++i)
    if (cell_n[static_cast<size_t>(i)] > 0) worst = std::max(worst, std::abs(cell_sum[static_cast<size_t>(i)] / cell_n[static_cast<size_t>(i)]));
  return worst;
}

// How much worse than `rss` the best pattern with one cell of `black` the other colour
// fits, over every cell of the pattern and every blur width (negative: it fits better).
double least_flip_loss(const std::vector<int>& black, double rss, int g, const Samples& smp, const Footprints& fp,
                       const BlurTables& bt) {
  double loss = 1e300;
  std::vector<int> flipped;
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c) {
      const int cell = (r + 1) * bt.ext + (c + 1);
      flipped.clear();
      bool was_black = false;
      for (const int i : black) {
        if (i == cell) was_black = true;
        else flipped.push_back(i);
      }
      if (!was_black) flipped.push_back(cell);
      for (size_t m = 0; m < bt.sigma.size(); ++m) loss = std::min(loss, fit_pattern(flipped, m, smp, fp, bt).rss - rss);
    }
  return loss;
}

// Every codeword fitted through one quad: the quad turned so that its top is up, the
// samples, and the best codeword with its runner-up's fit.
struct PatternFit {
  Corners seen;
  Samples smp;
  Footprints fp;
  const BlurTables* bt = nullptr;
  const DeckTemplates* dt = nullptr;
  std::vector<Fit> fits;
  size_t best = 0;
  double r1 = 1e300, r2 = 1e300;  // the best codeword's fit and the runner-up's
};

// The fit, or why there is none (rotation, shape, off frame).
std::optional<PatternFit> fit_whole_pattern(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                            const DetectParams& params, const char*& why) {
  const int g = deck.grid;
  const int rot = top_corner_of(corners, g, params.max_rotation_deg);
  if (rot < 0) return why = "rotation", std::nullopt;
  PatternFit pf;
  for (int j = 0; j < 4; ++j) pf.seen[static_cast<size_t>(j)] = corners[static_cast<size_t>((j + rot) % 4)];
  if (!plausible_shape(pf.seen)) return why = "shape", std::nullopt;
  pf.bt = &tables_for(g);
  auto smp = sample_pattern(gray, grid_to_image(pf.seen, g), *pf.bt);
  if (!smp) return why = "off frame", std::nullopt;
  pf.smp = std::move(*smp);
  pf.fp = footprints(pf.smp, *pf.bt);
  pf.dt = &templates_for(deck, *pf.bt);
  pf.fits = fit_codewords(*pf.dt, pf.smp, pf.fp, *pf.bt);
  for (size_t t = 0; t < pf.fits.size(); ++t) {
    if (pf.fits[t].rss < pf.r1) {
      pf.r2 = pf.r1;
      pf.r1 = pf.fits[t].rss, pf.best = t;
    } else {
      pf.r2 = std::min(pf.r2, pf.fits[t].rss);
    }
  }
  return pf;
}

// The checks every whole-pattern read passes, however it is used: some contrast, a blur
// inside the widths modelled, and no cell off by more than the limit.
const char* fit_refusal(const PatternFit& pf, const DetectParams& params) {
  const Fit& f = pf.fits[pf.best];
  if (f.sigma < 0 || f.contrast < static_cast<double>(params.min_card_contrast)) return "contrast";
  // The best fit at the widest blur modelled: the camera's blur is wider still (a pixel
  // of blur on a card of 1.4 px a cell is 0.7 cell), every codeword is drawn too sharp and
  // the fit's ranking means little. On the typical hunt's frame 257 a 7 px card 9 fitted
  // card 36 best there (gain 73, flips 34 times the noise); of 164 right reads of 8-12 px
  // cards (the table and 300 hunt frames) none fitted wider than 0.6 cell.
  if (static_cast<size_t>(f.sigma) + 1 == kSigmas.size()) return "blurred width";
  if (worst_cell_residual(pf.dt->templates[pf.best].black, f, pf.smp, *pf.bt) > params.blurred_max_cell_residual * f.contrast)
    return "blurred fit";
  return nullptr;
}

}  // namespace

std::optional<CardRead> decode_blurred(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                       const DetectParams& params, const char** why) {
  auto refuse = [why](const char* reason) -> std::optional<CardRead> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const char* no_fit = nullptr;
  const auto pf = fit_whole_pattern(gray, corners, deck, params, no_fit);
  if (!pf) return refuse(no_fit);
  if (const char* bad = fit_refusal(*pf, params)) return refuse(bad);
  const Fit& f = pf->fits[pf->best];
  const Template& tb = pf->dt->templates[pf->best];
  const Samples& smp = pf->smp;
  const double r1 = pf->r1, r2 = pf->r2;
  const int g = deck.grid;
  // Far ahead of every other codeword: the gain over the runner-up in units of the noise
  // left in the best fit (not taken below 3% of the contrast: a near-perfect fit does not
  // make a small gain certain).
  const double noise = std::max(r1 / std::max(1.0, smp.n - 3), std::pow(0.03 * f.contrast, 2));
  if ((r2 - r1) / noise < params.blurred_min_gain) return refuse("blurred runner-up");
  // No single cell the other colour fits about as well: a grid one cell from a card (a
  // look-alike with a white ring cell, a white corner or a black centre) is explained better
  // by that cell flipped than by any codeword, however the blur is chosen.
  if (least_flip_loss(tb.black, r1, g, smp, pf->fp, *pf->bt) / noise < params.blurred_min_gain) return refuse("blurred cell");

  // How clearly the pattern reads: the runner-up's loss over the noise, 1 at 4x the loss asked.
  const double clearness = std::clamp((r2 - r1) / noise / (4.0 * params.blurred_min_gain), 0.0, 1.0);
  CardMatch match;
  match.card = tb.card;
  match.answer = tb.answer;
  return read_of(match, pf->seen, static_cast<float>(clearness));
}

bool in_whole_pattern_window(const Corners& corners, const Deck& deck, const DetectParams& params) {
  float side = 0;
  for (size_t k = 0; k < 4; ++k) side += static_cast<float>(cv::norm(corners[(k + 1) % 4] - corners[k]));
  const float cell_px = side / 4.0f / static_cast<float>(std::max(1, deck.grid));
  return deck.read_rules.whole_pattern_reads && cell_px < params.blurred_max_cell_px &&
         cell_px >= std::max(params.blurred_min_cell_px, deck.read_rules.min_cell_px);
}

const char* whole_pattern_doubt(const cv::Mat& gray, const Corners& corners, const Deck& deck, const DetectParams& params,
                                const CardRead& read) {
  const char* no_fit = nullptr;
  const auto pf = fit_whole_pattern(gray, corners, deck, params, no_fit);
  if (!pf) return no_fit;
  const Template& tb = pf->dt->templates[pf->best];
  const bool same = tb.card == read.card && tb.answer == read.answer;
  const char* bad = fit_refusal(*pf, params);
  // Too little contrast or too much blur for any ranking: the fit's refusal itself.
  if (same || (bad && std::string_view(bad) != "blurred fit")) return bad;
  return bad ? "another card, poorly" : "another card";
}

}  // namespace cardpoll::detect
