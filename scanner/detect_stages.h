// The detector's stages (internal to scanner/, used by read_cards.cpp and the unit tests).
// Each stage is one file; they share DetectParams from read_cards.h.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/read_cards.h"



namespace cardpoll::detect {

// Four corners of a candidate, clockwise on the image (y down), in pixel-centre
// coordinates (pixel (0,0) covers [-0.5, 0.5]).
using Corners = std::array<cv::Point2f, 4>;

// threshold.cpp: CV_8UC1 mask, 255 where the pixel is darker than its neighbourhood's
// midpoint between local black and white, 0 elsewhere (and in flat regions).
cv::Mat threshold_dark(const cv::Mat& gray, const DetectParams& params);

// candidates.cpp: dark components whose convex hull is close to a quadrilateral of a
// plausible card size and whose black fraction fits a card.
struct Candidate {
  // Clockwise corners from the hull, in the order to try: the component with the small
  // blobs that nearly touch it (corner cells that blur detached), then the component
  // alone, then either with one cut-off corner completed.
  std::vector<Corners> quads;
  // quads[first_completed..] are hull quads with one cut-off corner completed from the
  // other three: a guess, decoded only at kStrictMinMargin.
  size_t first_completed = 0;
  size_t component = 0;  // the dark component's index among the mask's contours
  int holes = 0;    // holes of the dark component (the ring's centre is one)
  std::vector<cv::Point2f> hole_centres;  // area centroids of those holes
};

// candidates.cpp: the area centroid of a polygon of pixel points, as cv::moments computes it
// for a contour (the same sums in doubles, exact at frame sizes, so the same centre to the
// last bit) without its other moments: a frame has thousands of holes. False when the
// polygon has no area.
bool polygon_centroid(const std::vector<cv::Point>& polygon, cv::Point2f& centre);

// candidates.cpp: a hole seed's centre and spread (HoleSeed::centre, HoleSeed::spread) from
// its polygon, as cv::moments gives them (the same sums in doubles, in the same order, so
// the same floats), without the third-order moments nor cv::moments' checks and headers
// around each of a frame's ~900 holes. False when the polygon has no area.
bool hole_moments(const std::vector<cv::Point>& polygon, cv::Point2f& centre, cv::Vec3f& spread);

// Decode margin (read_cards.cpp) required of a guessed quad: a completed corner, or the
// unrefined hull corners tried when the refined ones do not decode.
inline constexpr float kStrictMinMargin = 0.35f;

// candidates.cpp: whether a quad's centre (its diagonals' crossing, where a homography
// puts the grid centre) sits on one of the component's holes, within 0.35 cell. A quad
// that covers only part of a card (a row of cells cut off by blur) is off by half a cell
// or more. Components without a hole (cards so small the hole blurred shut) pass.
bool centre_on_hole(const Candidate& cand, const Corners& quad, int grid);

// contours.cpp: the mask's dark components' outer boundaries and their holes, exactly as
// cv::findContours(mask, RETR_CCOMP, CHAIN_APPROX_SIMPLE) gives them, and each one's
// bounding box (cv::boundingRect's), into vectors the caller keeps from frame to frame.
void find_two_level_contours(const cv::Mat& mask, std::vector<std::vector<cv::Point>>& contours,
                             std::vector<cv::Vec4i>& hierarchy, std::vector<cv::Rect>& boxes);

// candidates.cpp: a hole of the mask that may be a card's white centre cell. When a card's
// pattern merges with a dark backdrop through a narrow margin, no candidate gives that card
// but its centre is still a hole of the merged component: split.cpp looks again around it.
struct HoleSeed {
  cv::Point2f centre;             // area centroid of the hole
  cv::Rect box;                   // bounding box of the hole's boundary
  size_t component = 0;           // the dark component it is a hole of (Candidate::component)
  // Second central moments over the area (xx, xy, yy): a square of side a has a^2 / 12
  // along every direction, so its edge lies sqrt(3 u'Cu) from the centre along u.
  cv::Vec3f spread;
};

// Widest hole box (pixels) kept as a seed (candidates.cpp says why).
inline constexpr float kMaxSeedHole = 14.0f;

// With `seeds`, also the holes of cell size (of any component, candidate or not). With
// `gray` (the frame `dark` was thresholded from) and DetectParams::paper_candidates, also
// the cards found from their paper (paper.cpp).
std::vector<Candidate> find_candidates(const cv::Mat& dark, const DetectParams& params,
                                       std::vector<HoleSeed>* seeds = nullptr, const cv::Mat* gray = nullptr);

// split.cpp: the candidates around one seed, from a second, stricter mask of that part of
// the frame (the card's own light and a threshold nearer its black, so the paper of a
// narrow margin stays light); only those whose centre hole is the seed. Empty when the
// seed is not ringed by dark the way a card's centre is.
std::vector<Candidate> candidates_around_hole(const cv::Mat& gray, const cv::Mat& dark, const HoleSeed& seed,
                                              const DetectParams& params);

// refine.cpp: moves each side onto the sub-pixel dark-to-light edge of the card's outer
// black cells and intersects the sides. Nothing when a side has no edge to fit or a corner
// would move more than half a cell (unless, on cards of the deck's
// ReadRules::search_again_min_cell_px and more, the outline searched again from itself
// finds itself): the quad is then not a whole card (e.g. a corner cell that blur detached
// is missing from it) and is not decoded.
// The search on small cards starts outside the hull (refine.cpp says why).
std::optional<Corners> refine_corners(const cv::Mat& gray, const Corners& corners, int grid, const ReadRules& rules = {});
// Whether refine_corners found `outline` further from `hull` than it accepts in one pass
// (half a cell, at least 2 px): the outline searched again from itself.
bool outline_far_from_hull(const Corners& outline, const Corners& hull, int grid);

// decode.cpp: a cheap first look (ring darker than the centre by half the minimum
// contrast) that spares refining and decoding most clutter.
bool looks_like_card(const cv::Mat& gray, const Corners& corners, const Deck& deck, const DetectParams& params);

// decode.cpp: samples the grid through the homography of `corners`, checks the fixed
// cells and the quiet zone, matches the codebook. Corners of the read in card order.
// When refused and `why` is given, it is set to the failed check ("rotation", "fixed cell",
// "shape", "quiet zone", "no codeword", ...).
std::optional<CardRead> decode_card(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                    const DetectParams& params, const char** why = nullptr);

// decode_blurred.cpp: every codeword drawn through `corners` with the camera's blur and
// compared with the image; the best one when it fits every cell and far better than the
// rest (DetectParams::blurred_*). For small cards decode_card refuses cell by cell.
std::optional<CardRead> decode_blurred(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                       const DetectParams& params, const char** why = nullptr);
// decode_glare.cpp: a card of DetectParams::glare_min_cell_px and more that decode_card
// refuses for a fixed cell or the margin, read with a glare band in the light model (a
// Gaussian band across the card, its direction, place, width and strength fitted to the
// cells every card has) and clipped paper taken as "at least this bright". Corners of the
// read in card order, as decode_card's; `why` as decode_card's, or "no band".
std::optional<CardRead> decode_glare(const cv::Mat& gray, const Corners& corners, const Deck& deck,
                                     const DetectParams& params, const char** why = nullptr);
// Whether a quad's cells (its mean side over the grid) are in the whole-pattern decoder's
// size window: DetectParams::blurred_min_cell_px (or the deck's ReadRules::min_cell_px) up
// to blurred_max_cell_px, on a deck whose ReadRules::whole_pattern_reads is on.
bool in_whole_pattern_window(const Corners& corners, const Deck& deck, const DetectParams& params);
// Why the whole-pattern fit through `corners` doubts `read` (nullptr: it ranks read's
// codeword and answer first and fits it everywhere, by decode_blurred's residual checks but
// not its margins over the rest): a second, independent opinion on a small card decode_card
// read cell by cell. "another card" (fitted well) or "another card, poorly"; or the fit's
// own refusal ("blurred fit", "blurred width", "contrast", "rotation", "shape", "off frame").
const char* whole_pattern_doubt(const cv::Mat& gray, const Corners& corners, const Deck& deck, const DetectParams& params,
                                const CardRead& read);

// Bilinear grey level at (x, y) in pixel-centre coordinates; -1 outside the frame.
inline float sample_grey(const cv::Mat& g, float x, float y) {
  if (!(x >= 0 && y >= 0 && x < static_cast<float>(g.cols - 1) && y < static_cast<float>(g.rows - 1)))
    return -1.0f;
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const float fx = x - static_cast<float>(x0), fy = y - static_cast<float>(y0);
  const uchar* r0 = g.ptr<uchar>(y0) + x0;
  const uchar* r1 = r0 + g.step[0];
  const float top = static_cast<float>(r0[0]) + (static_cast<float>(r0[1]) - static_cast<float>(r0[0])) * fx;
  const float bot = static_cast<float>(r1[0]) + (static_cast<float>(r1[1]) - static_cast<float>(r1[0])) * fx;
  return top + (bot - top) * fy;
}

}  // namespace cardpoll::detect
