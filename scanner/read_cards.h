// read_cards: the detector's one entry point (ZXing's ReadBarcodes shape).
// Stages, one file each, share DetectParams (see docs/scanner.md):
//   threshold.cpp  grey -> dark mask (tile min/max, full resolution)
//   candidates.cpp dark components -> convex hull -> four-corner quads
//   split.cpp      a second look around centre-sized holes no read covers (stricter mask)
//   refine.cpp     quad sides -> sub-pixel edges -> corners
//   decode.cpp     corners -> homography -> sampled cells -> checks -> card + answer
//   decode_blurred.cpp  a small card refused cell by cell, read as a whole blurred pattern
//   decode_glare.cpp    a large card refused cell by cell, read with a glare band modelled
//   read_cards.cpp the chain
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/deck.h"
#include "scanner/card_read.h"

namespace cardpoll {

struct DetectParams {
  const Deck* deck = nullptr;  // nullptr: the classroom deck

  // --- threshold.cpp -------------------------------------------------------------------
  // Side of the square tiles whose min/max set the local threshold. 4 px keeps cards of
  // 12 px (2.4 px per cell) apart from their surroundings.
  int tile_px = 4;
  // Grey levels between the darkest and brightest pixel around a tile below which the
  // tile is "flat" and takes its threshold from a coarser neighbourhood (or none).
  int min_contrast = 40;

  // --- candidates.cpp ------------------------------------------------------------------
  float min_side_px = 9.0f;      // smallest card side considered (pixels)
  float max_side_fraction = 0.9f;  // largest card side, as a fraction of the frame's shorter side
  // paper.cpp: also the dark pieces inside a card-shaped light hole together (a pattern a
  // glare band broke apart, on its paper against a dark backdrop).
  bool paper_candidates = true;

  // --- split.cpp -----------------------------------------------------------------------
  // A second look around each hole of a card's centre size that no read covers, with a
  // stricter mask of that part of the frame: cards whose pattern merged with a dark
  // backdrop through a narrow margin.
  bool second_look = true;

  // --- refine.cpp ----------------------------------------------------------------------
  bool refine_corners = true;    // sub-pixel corners from the card's outer edges

  // --- decode.cpp ----------------------------------------------------------------------
  // Grey levels between a card's own black (ring) and white (centre) below which it is not
  // read. Lower than min_contrast: a card in a deep shadow or a backlit room keeps 25-35
  // levels of contrast and its cells still stand clear of sensor noise; the threshold
  // stage needs its own, higher, figure to keep noise on flat walls out of the mask.
  int min_card_contrast = 24;
  // A card whose top side points more than this far from straight up is not read: near
  // 45 degrees it is not clear which letter the student means to be on top.
  float max_rotation_deg = 30.0f;
  // Fraction of the quiet-zone samples (a band half a cell outside the pattern) that must
  // be white. Fingers may cover the rest.
  float min_quiet_fraction = 0.6f;
  // How clearly every cell must read: |level - threshold| / half the black/white contrast,
  // minimum over all cells. The read's margin is this value.
  float min_margin = 0.15f;
  // On cards under 5 px a cell a corner cell may read up to this many half-contrasts
  // lighter than its threshold (it blurs into the white quiet zone on five sides): enough
  // where the outline's corner rests on it. A guessed corner (a completed quad) gets 0.
  float small_corner_slack = 0.5f;
  // Data cells allowed to disagree with the codeword. 0: exact match only (a wrong answer
  // recorded for a student is worse than a missed one).
  int max_data_errors = 0;
  // One data cell under min_margin (glare, a finger's shadow) may be decided by the code,
  // as an erasure, when the deck's distance is 3 or more (one more misread cell is then
  // still refused), the card has at least this many pixels a cell, and every other cell
  // reads at least erasure_others_margin clear. 0: never.
  float erasure_min_cell_px = 4.4f;
  float erasure_others_margin = 0.25f;

  // --- decode_blurred.cpp ---------------------------------------------------------------
  // A card under this many pixels a cell that decode refuses for a fixed cell or the
  // margin is read as a whole pattern, blur included (0: never; nor on a deck whose
  // ReadRules::whole_pattern_reads is off, nor under the deck's ReadRules::min_cell_px). Accepted only when no cell of the best
  // codeword's fit is off by more than blurred_max_cell_residual of the contrast and every
  // other codeword fits worse by blurred_min_gain times the noise left in the best fit.
  // From blurred_min_cell_px (8 px cards): under it the pattern spans so few pixels that
  // two codewords fit about as well. The fit must also find its blur inside the widths it
  // models (decode_blurred.cpp): the typical hunt's frame 257 read a 7 px card 9 as card
  // 36 at the widest of them, where the camera's blur of a pixel is 0.7 cell and more.
  float blurred_max_cell_px = 4.0f;
  float blurred_min_cell_px = 1.6f;
  float blurred_max_cell_residual = 0.25f;
  float blurred_min_gain = 25.0f;
  // Inside that size window a card decode reads cell by cell is refused when the
  // whole-pattern fit through the same corners ranks another codeword or answer first and
  // fits that one within blurred_max_cell_residual: with one sample a cell, an outline a
  // third of a cell off reads an edge cell in the quiet zone (hard small-card frame 51:
  // card 15 read as card 2), which the fit of every cell and its blur does not.
  bool small_reads_agree = true;

  // --- decode_glare.cpp -----------------------------------------------------------------
  // A card of this many pixels a cell and more that decode refuses for a fixed cell or the
  // margin is read again with a glare band in its light model (a laminate mirroring a lamp:
  // a Gaussian band of light added to ink and paper, clipped at the sensor's ceiling),
  // every cell at least glare_min_margin clear (0: never). The margin is a guessed corner's
  // (kStrictMinMargin): the model has more to fit than decode's planes. Under
  // blurred_max_cell_px such a read is refused when the whole-pattern fit reads another
  // card well, as decode_card's are (item 26).
  float glare_min_cell_px = 2.8f;
  float glare_min_margin = 0.35f;

  // --- read_cards.cpp, candidates.cpp ---------------------------------------------------
  // From this many pixels a cell blur cuts no rows off a card's outline: a quad off the
  // centre hole is then decoded as it stands (strictly, item 23) and a card may be found
  // from its paper (item 24). A smaller quad off the hole goes on only if refine brings
  // it onto the hole (item 25).
  float whole_rows_min_cell_px = 4.0f;
};

// Every card on an 8-bit grey frame (CV_8UC1; other types are converted). Never throws
// on odd input: an empty, tiny or wrongly typed frame yields no reads.
std::vector<CardRead> read_cards(const cv::Mat& gray, const DetectParams& params = {});

}  // namespace cardpoll
