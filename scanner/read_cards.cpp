// The detector chain: threshold -> candidates -> refine -> decode (see read_cards.h).
#include "scanner/read_cards.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include <opencv2/imgproc.hpp>

#include "scanner/card_grid.h"
#include "scanner/detect_stages.h"

namespace cardpoll {

namespace {

// Any frame to 8-bit grey; an empty Mat for what cannot be a picture.
cv::Mat to_gray8(const cv::Mat& in) {
  if (in.empty() || in.dims != 2) return {};
  cv::Mat m = in;
  const int ch = m.channels();
  if (ch != 1 && ch != 3 && ch != 4) return {};
  if (m.depth() != CV_8U) {
    double lo = 0, hi = 0;
    cv::Mat one = m.reshape(1);
    cv::minMaxLoc(one, &lo, &hi);
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
    // 16-bit and float frames: scale the type's full range (or the observed one for
    // floats) onto 0..255.
    double scale = 1.0;
    if (m.depth() == CV_16U) scale = 255.0 / 65535.0;
    else if (m.depth() == CV_16S) scale = 255.0 / 32767.0;
    else if (m.depth() == CV_32F || m.depth() == CV_64F) scale = hi > 1.0 ? 255.0 / hi : 255.0;
    else if (m.depth() == CV_8S) scale = 2.0;
    cv::Mat conv;
    m.convertTo(conv, CV_MAKETYPE(CV_8U, ch), scale);
    m = conv;
  }
  if (ch == 3) {
    cv::Mat g;
    cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
    return g;
  }
  if (ch == 4) {
    cv::Mat g;
    cv::cvtColor(m, g, cv::COLOR_BGRA2GRAY);
    return g;
  }
  return m;
}

// What the chain remembers of one frame's first pass, so that the second look (split.cpp)
// repeats none of it.
struct FirstPass {
  // Refined outlines already decoded and refused: the same corners would be refused again.
  std::vector<detect::Corners> refused_outlines;
  // Dark components refused for their rotation: a card turned towards 45 degrees, whatever
  // mask outlines it (checked first in decode, from the outline's sides alone).
  std::vector<size_t> turned_components;
};

bool same_outline(const detect::Corners& a, const detect::Corners& b) {
  for (size_t k = 0; k < 4; ++k) {
    const cv::Point2f d = a[k] - b[k];
    if (d.dot(d) > 0.25f) return false;
  }
  return true;
}

// A cell-by-cell read of a card in that window, refused when the whole-pattern fit through
// the same corners fits another codeword best, and well (DetectParams::small_reads_agree).
std::optional<CardRead> agreed(std::optional<CardRead> read, const cv::Mat& gray, const detect::Corners& q, const Deck& deck,
                               const DetectParams& params, const char** why) {
  if (!read || !params.small_reads_agree || !detect::in_whole_pattern_window(q, deck, params)) return read;
  // Only a rival the fit explains well counts: a fit off somewhere by more than a quarter of
  // the contrast (on 10% of right reads of 12-22 px cards) says little of which card it is.
  const char* doubt = detect::whole_pattern_doubt(gray, q, deck, params, *read);
  if (!doubt || std::string_view(doubt) != "another card") return read;
  if (why) *why = "decoders disagree";
  return std::nullopt;
}

// Whether a whole_pattern_doubt names a rival: the fit ranks another card first, well or
// poorly ("another card", "another card, poorly").
bool names_another_card(const char* doubt) {
  return doubt && std::string_view(doubt).rfind("another card", 0) == 0;
}

// Whether the whole-pattern fit through q, at any size, ranks a card other than `read`'s
// first, however well: on a deck of distance 2 a glare read of a small card must not be
// that (ReadRules::confirm_second_chances).
bool fit_prefers_another(const cv::Mat& gray, const detect::Corners& q, const Deck& deck, const DetectParams& params,
                         const CardRead& read) {
  return names_another_card(detect::whole_pattern_doubt(gray, q, deck, params, read));
}

// Whether a small card's read from an outline that refine moved onto the centre hole from
// a hull off it stands. On such a 16 px card under a dark exposure (hard hunt frame 392)
// decode_card read a valid wrong card at margin 0.22, which the whole-pattern fit ranked
// second to a card it fitted poorly. So the fit must read it too, with its own checks
// passed; or, where the fit cannot judge, the read must be as clear as a guessed corner's
// (kStrictMinMargin, the corner cells black, no erasure) and the fit rank no other card
// first. The fit cannot judge an outline that refined past its window (4 px a cell:
// plickers hard frame 2's card 15 D, 19.8 px, its hull 3.9 px a cell, read at margin 0.70)
// nor a blur as wide as the widest it models ("blurred fit": plickers hard frame 20's card
// 38 D, 16.3 px, read at 0.63). Frame 392's read fails both ways.
bool recentred_read_stands(const cv::Mat& gray, const detect::Corners& refined, const Deck& deck,
                           const DetectParams& params, const DetectParams& strict, const CardRead& read) {
  const bool in_window = detect::in_whole_pattern_window(refined, deck, params);
  const char* doubt = in_window ? detect::whole_pattern_doubt(gray, refined, deck, params, read) : nullptr;
  if (in_window && !doubt) return true;
  if (names_another_card(doubt)) return false;
  const auto clear = detect::decode_card(gray, refined, deck, strict, nullptr);
  return clear && clear->card == read.card && clear->answer == read.answer;
}

// The rules one quad of a candidate is read by.
struct QuadRules {
  bool off_hole = false;        // its centre is off the component's holes
  bool small_off_hole = false;  // and its cells are under whole_rows_min_cell_px
  bool guessed_corner = false;  // a completed corner, or off the hole
  DetectParams strict;          // a guessed corner's: the strict margin, no corner slack
  DetectParams first;           // what decode_card is asked first
};

// A quad whose centre is off the component's holes covers part of a card (a row cut off by
// blur), or a card whose centre hole a glare band joined to its washed-out ring cells. On
// cards of whole_rows_min_cell_px and more (where blur cuts no rows off) it goes on, refined
// and as strictly as a guessed corner, with no erasure: a look-alike missing a corner cell
// is off the hole too, and refine completes its corner from the other sides (wild hunt
// frame 964, read at margin 0.10 through an erasure). A smaller one goes on only if refine
// finds the cut-off row and brings its centre onto the hole (read_candidate checks): that
// outline is a whole card's, decoded at the usual margin (typical 12-16 px: +4 of 142
// cards), still with no erasure and no hull or whole-pattern second chance.
QuadRules quad_rules(const detect::Candidate& cand, size_t qi, const Deck& deck, const DetectParams& params) {
  const auto& quad = cand.quads[qi];
  QuadRules r;
  r.off_hole = !detect::centre_on_hole(cand, quad, deck.grid);
  r.small_off_hole = r.off_hole && detect::cell_px_of(quad, deck.grid) < params.whole_rows_min_cell_px;
  // A completed corner is a guess: such a quad must read clearly, and the guessed corner's
  // cell must read black, not only darker than white (on a small look-alike whose corner
  // cell is white, blur leaves that cell grey).
  const bool completed = qi >= cand.first_completed;
  r.guessed_corner = completed || r.off_hole;
  r.strict = params;
  r.strict.min_margin = std::max(params.min_margin, detect::kStrictMinMargin);
  if (r.guessed_corner) r.strict.small_corner_slack = 0.0f;
  if (r.off_hole) r.strict.erasure_min_cell_px = 0.0f;
  if (r.small_off_hole && !completed) {
    // The usual rules but no erasure, which its refined outline may be large enough for.
    r.first = params;
    r.first.erasure_min_cell_px = 0.0f;
  } else {
    r.first = r.guessed_corner ? r.strict : params;
  }
  return r;
}

// The refusals a glare band can cause: a ring or corner cell it lifts over the threshold,
// a cell it leaves unclear, a cell its edge splits.
bool glare_may_explain(std::string_view why) {
  return why == "fixed cell" || why == "margin" || why == "cell not uniform";
}

// The second chances of a quad whose refined outline decode_card refused for `why` (or
// did not decode again: `repeated`): its hull's corners, the whole-pattern fit, the glare
// model.
std::optional<CardRead> second_chance(const cv::Mat& gray, const detect::Corners& quad, const detect::Corners& refined,
                                      bool repeated, const char* why, const QuadRules& rules, const Deck& deck,
                                      const DetectParams& params) {
  const bool confirm = deck.read_rules.confirm_second_chances;
  // On cards of a few pixels per cell the hull corners sometimes sample better; such
  // a read must be clearer (a look-alike with a corner cell missing once passed at a
  // margin of 0.2 here). Not when the outline was found a cell or more off the hull:
  // the hull's corners then sample other cells. Nor when the sides refined from the
  // image do not make a card's shape: the ink is then not a card's outline, whatever
  // the hull around it reads (typical small-card frame 95: a look-alike, its extra ink
  // past the outline, read as card 41; of 21,515 right reads of 12-22 px cards, 9 came
  // that way).
  // With confirm_second_chances, not on an outline already refused: that outline was
  // read from its own quad's hull then, and another quad's hull is one more chance at a
  // look-alike (plickers typical hunt frame 909: refused "no codeword", then read as
  // 36 A at margin 0.47 from the second quad's hull).
  const bool not_card_shaped = why && std::string_view(why) == "shape";
  std::optional<CardRead> read;
  if (!rules.off_hole && !not_card_shaped && !(confirm && repeated) &&
      !detect::outline_far_from_hull(refined, quad, deck.grid))
    read = agreed(detect::decode_card(gray, quad, deck, rules.strict), gray, quad, deck, params, nullptr);
  // A small card refused for what blur does to single cells (a ring cell between white
  // ones reads light: "fixed cell", "margin"), read as a whole pattern. Not from a
  // guessed corner.
  if (!read && !repeated && !rules.guessed_corner && why &&
      (std::string_view(why) == "fixed cell" || std::string_view(why) == "margin") &&
      detect::in_whole_pattern_window(refined, deck, params))
    read = detect::decode_blurred(gray, refined, deck, params);
  // A large card refused for a cell under a glare band: read with the band modelled
  // (at a margin as strict as a guessed corner's already, so from those too). The band's
  // edge across a cell also splits its samples ("cell not uniform": typical 20-28 px and
  // hard and wild 40+ px, one card each of the 34 frames); decode_glare asks of every
  // cell that its samples agree with the band fitted, so a grid that does not fit the
  // card is still refused.
  // With confirm_second_chances, under the deck's clear_cell_px only when the
  // whole-pattern fit ranks no other card first: a band modelled across a row the
  // outline misplaces explains two cells away (plickers typical hunt frame 939: an
  // 18 px card 56 C, one corner pulled 3.6 px out by the hull, read as 32 C at 0.47).
  if (!read && !repeated && why && glare_may_explain(why)) {
    read = detect::decode_glare(gray, refined, deck, rules.off_hole ? rules.strict : params);
    // The confirmation refuses all that agreed would (and at any size), so the fit runs once.
    if (confirm && detect::cell_px_of(refined, deck.grid) < deck.read_rules.clear_cell_px) {
      if (read && fit_prefers_another(gray, refined, deck, params, *read)) read.reset();
    } else {
      read = agreed(std::move(read), gray, refined, deck, params, nullptr);
    }
  }
  return read;
}

// The first of a candidate's quads that reads, through refine and decode. Refused outlines
// are added to `seen`; an outline already there is not decoded again.
std::optional<CardRead> read_candidate(const cv::Mat& gray, const detect::Candidate& cand, const Deck& deck,
                                       const DetectParams& params, FirstPass& seen, bool& turned) {
  const bool confirm = deck.read_rules.confirm_second_chances;
  // A quad's refined outline refused for its shape: the ink is not a card's outline.
  bool shape_refused = false;
  for (size_t qi = 0; qi < cand.quads.size(); ++qi) {
    const auto& quad = cand.quads[qi];
    const QuadRules rules = quad_rules(cand, qi, deck, params);
    const bool off_hole = rules.off_hole, small_off_hole = rules.small_off_hole;
    const DetectParams& first = rules.first;
    if (off_hole && !params.refine_corners) continue;
    if (!detect::looks_like_card(gray, quad, deck, params)) continue;
    std::optional<CardRead> read;
    const char* why = nullptr;
    if (params.refine_corners) {
      // A quad whose sides cannot all be refined is not a whole card: not decoded at all.
      const auto refined = detect::refine_corners(gray, quad, deck.grid, deck.read_rules);
      if (!refined) continue;
      if (small_off_hole && !detect::centre_on_hole(cand, *refined, deck.grid)) continue;
      const bool repeated = std::any_of(seen.refused_outlines.begin(), seen.refused_outlines.end(),
                                        [&](const detect::Corners& r) { return same_outline(r, *refined); });
      if (!repeated) {
        read = detect::decode_card(gray, *refined, deck, first, &why);
        // A re-centred small outline's read must be confirmed (recentred_read_stands asks
        // all that agreed does and more, so the fit is run once).
        if (!small_off_hole) {
          read = agreed(std::move(read), gray, *refined, deck, params, &why);
        } else if (read && !recentred_read_stands(gray, *refined, deck, params, rules.strict, *read)) {
          read.reset();
          why = "decoders disagree";
        }
      }
      if (!read && !repeated) seen.refused_outlines.push_back(*refined);
      if (!read) read = second_chance(gray, quad, *refined, repeated, why, rules, deck, params);
    } else {
      read = detect::decode_card(gray, quad, deck, first, &why);
    }
    // With confirm_second_chances, once a quad of the candidate was refused for its shape,
    // another quad's read stands only if the whole-pattern fit has no doubt of it (plickers
    // hard hunt frame 957: a look-alike with a cell sticking out, refused for its shape,
    // then read as 33 C at margin 0.39 from another quad).
    if (read && confirm && shape_refused && detect::whole_pattern_doubt(gray, read->corners, deck, params, *read))
      read.reset();
    if (read) return read;
    if (why && std::string_view(why) == "shape") shape_refused = true;
    // Refused for what the card shows, not for where its outline lies: turned towards 45
    // degrees (judged first, from the outline's sides), or every fixed cell, the margin
    // and the quiet zone right but the data no card's (a look-alike; a card's misread cell).
    turned = turned || (why && (std::string_view(why) == "rotation" || std::string_view(why) == "no codeword"));
  }
  return std::nullopt;
}

// A read quad's bounding box.
struct QuadBox {
  float lx, hx, ly, hy;
};

QuadBox box_of(const CardRead& read) {
  const auto& q = read.corners;
  return {std::min(std::min(q[0].x, q[1].x), std::min(q[2].x, q[3].x)),
          std::max(std::max(q[0].x, q[1].x), std::max(q[2].x, q[3].x)),
          std::min(std::min(q[0].y, q[1].y), std::min(q[2].y, q[3].y)),
          std::max(std::max(q[0].y, q[1].y), std::max(q[2].y, q[3].y))};
}

// Whether p lies inside a read's quad (convex: on the same side of all four sides), `box`
// being the quad's: most seeds are far from any read, and are turned away by it.
bool inside(const CardRead& read, const QuadBox& box, cv::Point2f p) {
  if (p.x < box.lx || p.x > box.hx || p.y < box.ly || p.y > box.hy) return false;
  const auto& q = read.corners;
  int pos = 0, neg = 0;
  for (size_t k = 0; k < 4; ++k) {
    const cv::Point2f a = q[k], b = q[(k + 1) % 4];
    const float c = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    pos += c >= 0;
    neg += c <= 0;
  }
  return pos == 4 || neg == 4;
}

// A second read of a card already read at the same place (two candidates of one card, e.g.
// its pattern's component and a piece of it): the same card and answer, its centre inside
// the other's quad. Two cards of one number cannot overlap that much.
bool read_already(const std::vector<CardRead>& reads, const CardRead& read) {
  const cv::Point2f centre = (read.corners[0] + read.corners[1] + read.corners[2] + read.corners[3]) * 0.25f;
  return std::any_of(reads.begin(), reads.end(), [&](const CardRead& r) {
    return r.card == read.card && r.answer == read.answer && inside(r, box_of(r), centre);
  });
}

}  // namespace

std::vector<CardRead> read_cards(const cv::Mat& frame, const DetectParams& params) {
  std::vector<CardRead> reads;
  const Deck* deck = params.deck ? params.deck : find_deck("classroom");
  if (!deck) return reads;
  const cv::Mat gray = to_gray8(frame);
  // Smaller than a card plus its quiet zone: nothing to find.
  if (gray.empty() || gray.cols < 8 || gray.rows < 8) return reads;

  const cv::Mat dark = detect::threshold_dark(gray, params);
  std::vector<detect::HoleSeed> seeds;
  const auto candidates = detect::find_candidates(dark, params, params.second_look ? &seeds : nullptr, &gray);
  FirstPass seen;
  for (const auto& cand : candidates) {
    bool turned = false;
    if (auto read = read_candidate(gray, cand, *deck, params, seen, turned)) {
      if (!read_already(reads, *read)) reads.push_back(*read);
    } else if (turned) {
      seen.turned_components.push_back(cand.component);
    }
  }
  // Second look, around every centre-sized hole not inside a card already read nor of a
  // card refused for its rotation: a card merged with its backdrop, or whose outline the
  // first mask bent (split.cpp).
  std::sort(seen.turned_components.begin(), seen.turned_components.end());
  // The reads' boxes once, not per seed: a frame has ~900 seeds and ~30 reads.
  std::vector<QuadBox> boxes;
  for (const auto& r : reads) boxes.push_back(box_of(r));
  for (const auto& seed : seeds) {
    if (std::binary_search(seen.turned_components.begin(), seen.turned_components.end(), seed.component)) continue;
    bool covered = false;
    for (size_t i = 0; i < reads.size() && !covered; ++i) covered = inside(reads[i], boxes[i], seed.centre);
    if (covered) continue;
    for (const auto& cand : detect::candidates_around_hole(gray, dark, seed, params)) {
      bool turned = false;
      if (auto read = read_candidate(gray, cand, *deck, params, seen, turned)) {
        if (!read_already(reads, *read)) {
          reads.push_back(*read);
          boxes.push_back(box_of(*read));
        }
        break;
      }
    }
  }
  return reads;
}

}  // namespace cardpoll
