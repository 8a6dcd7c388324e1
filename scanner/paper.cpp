// Stage 2b: cards found from their paper.
//
// A laminate's glare band lifts the ink it crosses above the local threshold, so the mask
// loses those cells: the ring breaks, and the pattern falls apart into pieces (two halves
// on either side of a narrow band, an "H" with the washed side gone) none of which has a
// card's hull. The paper around the pattern is not broken: against a dark backdrop (a
// shirt, a desk, a coloured wall) it is a light hole of the mask with four straight sides.
// The pieces inside such a hole together have the card's hull again, corners included
// (the band rarely washes out two corner cells; one is completed as in candidates.cpp).
//
// Only holes with more than one piece inside: a pattern that is one piece is already a
// candidate of its own. The pieces' quad must sit inside the paper at a margin's
// distance: its side is 0.45-0.85 of the paper's (margins of 0.4-3 cells), so a poster's
// frame around text, or a window pane around a few leaves, is not taken for a card.
#include <algorithm>
#include <array>
#include <cmath>

#include "scanner/outlines.h"

namespace cardpoll::detect {

namespace {

// Pattern side over paper side, from a margin of 3 cells (5 / 11) to 0.4 cell (5 / 5.8).
constexpr double kMinPatternShare = 0.45, kMaxPatternShare = 0.85;
// A piece is at least a cell (a corner cell the band cut off), which blur shrinks to about
// half its area: pieces smaller than this share of the smallest cell the paper can hold
// (its side over 5 cells and two margins of 3) are specks, the dark side of a band's edge,
// noise. More pieces than kMaxPieces in one paper are clutter (text, a pattern).
constexpr double kMinPieceCells = 0.4;
constexpr size_t kMaxPieces = 12;
// Pieces within this many pixels of the paper's edge are not cells: the pattern sits a
// margin inside. They are the dark side of a band's edge where it leaves the paper, the
// backdrop's specks, a finger.
constexpr float kEdgeClearance = 1.5f;

// The paper's outline from a hole of the mask: a filled quadrilateral of a paper's size,
// with its mean side.
bool paper_of(const std::vector<cv::Point>& hole, const cv::Rect& box, float min_paper, float max_paper, Corners& paper,
              float& side) {
  const double hole_area = poly_area(hole);
  // A filled quadrilateral fills half its box or more (a square turned 45 degrees; tilt
  // does not take it much lower): the hull of a ragged hole is not worth computing.
  if (hole_area < 0.4 * static_cast<double>(box.area())) return false;
  if (!quad_of(hole, hole_area, min_paper, max_paper, paper)) return false;
  if (hole_area < 0.8 * quad_area(paper)) return false;  // not a filled quadrilateral
  side = 0;
  for (size_t k = 0; k < 4; ++k) side += std::sqrt(dist2(paper[k], paper[(k + 1) % 4])) / 4;
  return true;
}

// Whether every point of `piece` lies kEdgeClearance or more inside the paper's sides.
bool clear_of_edges(const Corners& paper, const std::vector<cv::Point>& piece) {
  const float turn = cross(paper[0], paper[1], paper[2]) > 0 ? 1.0f : -1.0f;
  for (size_t k = 0; k < 4; ++k) {
    const cv::Point2f d = paper[(k + 1) % 4] - paper[k];
    const cv::Point2f inward = cv::Point2f(-d.y, d.x) * (turn / std::max(1e-3f, std::sqrt(d.dot(d))));
    for (const cv::Point& p : piece)
      if (inward.dot(cv::Point2f(p) - paper[k]) < kEdgeClearance) return false;
  }
  return true;
}

// The darkest grey under the mask's dark pixels of a piece's box.
int darkest_of(const cv::Mat& gray, const cv::Mat& dark, const cv::Rect& box) {
  int lo = 255;
  for (int y = box.y; y < box.y + box.height; ++y) {
    const uchar* g = gray.ptr<uchar>(y);
    const uchar* d = dark.ptr<uchar>(y);
    for (int x = box.x; x < box.x + box.width; ++x)
      if (d[x]) lo = std::min(lo, static_cast<int>(g[x]));
  }
  return lo;
}

// The brightest grey of a box, every other pixel of every other row.
int brightest_of(const cv::Mat& gray, const cv::Rect& box) {
  int hi = 0;
  for (int y = box.y; y < box.y + box.height; y += 2) {
    const uchar* g = gray.ptr<uchar>(y);
    for (int x = box.x; x < box.x + box.width; x += 2) hi = std::max(hi, static_cast<int>(g[x]));
  }
  return hi;
}

// How many components (up to 2) lie wholly inside `box`.
int components_inside(const BlobIndex& index, const cv::Rect& box) {
  int n = 0;
  index.near(box, [&](const BlobIndex::Blob& b) { n += n < 2 && (b.box & box) == b.box; });
  return n;
}

struct Piece {
  size_t contour;
  int darkest;
};

// The pieces inside the paper: pieces of at least a cell's share, clear of its edges, and
// (of those) the ones with ink in them: darker than halfway from the darkest piece's ink to
// the paper's brightest. A band's edge leaves paper "dark" beside the bright band (the
// threshold's midpoint lies between the band and the paper); that paper is no darker
// than the rest. False when there are more than kMaxPieces.
bool pieces_in(const cv::Mat& gray, const cv::Mat& dark, const std::vector<std::vector<cv::Point>>& contours,
               const BlobIndex& index, const cv::Rect& box, const Corners& paper, double min_piece,
               std::vector<Piece>& pieces) {
  pieces.clear();
  bool crowded = false;
  index.near(box, [&](const BlobIndex::Blob& b) {
    if (crowded || !within(b.box, box)) return;
    if (poly_area(contours[b.contour]) < min_piece || !clear_of_edges(paper, contours[b.contour])) return;
    if (pieces.size() == kMaxPieces) {
      crowded = true;
      return;
    }
    pieces.push_back({b.contour, darkest_of(gray, dark, b.box)});
  });
  if (crowded || pieces.empty()) return false;
  int ink = 255;
  for (const Piece& p : pieces) ink = std::min(ink, p.darkest);
  const int middle = (ink + brightest_of(gray, box)) / 2;
  pieces.erase(std::remove_if(pieces.begin(), pieces.end(), [&](const Piece& p) { return p.darkest > middle; }),
               pieces.end());
  return true;
}

}  // namespace

void add_paper_candidates(const cv::Mat& gray, const cv::Mat& dark, const std::vector<std::vector<cv::Point>>& contours,
                          const std::vector<cv::Vec4i>& hierarchy, const std::vector<cv::Rect>& boxes, const BlobIndex& index,
                          int grid, float min_side, float max_side, std::vector<Candidate>& out) {
  thread_local std::vector<cv::Point> merged, hull;
  thread_local std::vector<Piece> pieces;
  // The paper is larger than its pattern by two margins of at least 0.4 cell each.
  const float min_paper = 1.16f * min_side, max_paper = max_side / static_cast<float>(kMinPatternShare);
  for (size_t i = 0; i < contours.size(); ++i) {
    if (hierarchy[i][3] < 0) continue;  // holes only
    // A frame has thousands of holes: first the cheap tests, size and two components
    // inside, then the hull.
    const cv::Rect box = boxes[i];
    const float big = static_cast<float>(std::max(box.width, box.height));
    if (big < min_paper || big > max_paper || components_inside(index, box) < 2) continue;
    Corners paper;
    float paper_side = 0;
    if (!paper_of(contours[i], box, min_paper, max_paper, paper, paper_side)) continue;
    const double min_cell = paper_side * kMinPatternShare / grid;
    if (!pieces_in(gray, dark, contours, index, box, paper, kMinPieceCells * min_cell * min_cell, pieces) ||
        pieces.size() < 2)
      continue;
    merged.clear();
    double area = 0;
    for (const Piece& p : pieces) {
      const auto& c = contours[p.contour];
      merged.insert(merged.end(), c.begin(), c.end());
      // The contour runs through the boundary pixels' centres: half a pixel of each is
      // outside its polygon (as for the corner cells merged in candidates.cpp).
      area += poly_area(c) + static_cast<double>(c.size()) / 2;
    }
    Corners q;
    if (!quad_of(merged, area, min_side, max_side, q, &hull)) continue;
    const double share = std::sqrt(quad_area(q) / quad_area(paper));
    if (share < kMinPatternShare || share > kMaxPatternShare) continue;
    Candidate cand;
    cand.quads.push_back(q);
    cand.first_completed = 1;
    add_completions(hull, q, cand.quads);
    // The largest piece stands for the card's component (read_cards.cpp remembers the
    // components of cards refused for their rotation); the holes are every piece's.
    size_t largest = pieces[0].contour;
    for (const Piece& p : pieces) {
      if (contours[p.contour].size() > contours[largest].size()) largest = p.contour;
      for (int h = hierarchy[p.contour][2]; h >= 0; h = hierarchy[static_cast<size_t>(h)][0]) {
        ++cand.holes;
        cv::Point2f centre;
        if (polygon_centroid(contours[static_cast<size_t>(h)], centre)) cand.hole_centres.push_back(centre);
      }
    }
    cand.component = largest;
    out.push_back(std::move(cand));
  }
}

}  // namespace cardpoll::detect
