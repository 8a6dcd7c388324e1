// The mask's outlines as the candidate stages share them (internal to scanner/): areas,
// boxes, the hull's quadrilateral, and the components near a place; and the paper stage
// (paper.cpp), which candidates.cpp runs on the same outlines.
#pragma once

#include <cstddef>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

inline float cross(cv::Point2f o, cv::Point2f a, cv::Point2f b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

inline float dist2(cv::Point2f a, cv::Point2f b) { return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y); }

// Whether box `inner` lies wholly in `outer` ((inner & outer) == inner for the non-empty
// boxes contours have, without building the intersection: asked of every blob near every
// component).
inline bool within(const cv::Rect& inner, const cv::Rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width &&
         inner.y + inner.height <= outer.y + outer.height;
}

// Area of a polygon of integer points (cv::contourArea's value, without its overhead).
double poly_area(const std::vector<cv::Point>& p);

// Area of a quadrilateral.
double quad_area(const Corners& q);

// The quad of a set of boundary points if its hull is close to a quadrilateral of card
// size (sides from 0.45 min_side to max_side) and its dark `area` fills at least 0.3 of it.
// `hull_out` gets the hull.
bool quad_of(const std::vector<cv::Point>& pts, double area, float min_side, float max_side, Corners& out,
             std::vector<cv::Point>* hull_out = nullptr);

// Appends to `quads` the completions of `q` whose one cut-off corner the other three place
// and which hold every point of `hull` (quad_shape.cpp says when).
void add_completions(const std::vector<cv::Point>& hull, const Corners& q, std::vector<Corners>& quads);

// The mask's outer boundaries (dark components) under a size, with their boxes, binned on
// a coarse grid by their boxes' centres so that the components near a place are found
// without visiting all of a frame's thousands.
struct BlobIndex {
  struct Blob {
    size_t contour;  // index among the mask's contours
    cv::Rect box;
  };
  static constexpr int kBin = 32;
  std::vector<Blob> blobs;
  int cols = 0, rows = 0;  // bins across and down
  std::vector<std::vector<int>> bins;  // per bin: indices into blobs

  // Every outer boundary whose box's longer side is at most max_box, from every contour's
  // box (bounding_box) and the contours' hierarchy.
  void build(const std::vector<cv::Rect>& boxes, const std::vector<cv::Vec4i>& hierarchy, cv::Size frame, float max_box);
  // f(blob) for every blob whose box's centre lies in a bin that `r` touches.
  template <class F>
  void near(const cv::Rect& r, F&& f) const {
    for (int by = std::max(0, r.y / kBin); by <= std::min(rows - 1, (r.y + r.height) / kBin); ++by)
      for (int bx = std::max(0, r.x / kBin); bx <= std::min(cols - 1, (r.x + r.width) / kBin); ++bx)
        for (int o : bins[static_cast<size_t>(by * cols + bx)]) f(blobs[static_cast<size_t>(o)]);
  }
};

// paper.cpp: cards whose pattern a glare band broke into pieces,
// found from their paper: a light hole of the mask shaped like a quadrilateral (the paper
// against a dark backdrop) holding several dark pieces whose hull together is a card's
// quad at a margin's distance inside it. Appends one candidate per such hole.
// `gray` is the frame `dark` was thresholded from; `boxes` every contour's box; `grid` the deck's cells a side; cards
// from min_side (read_cards passes the glare rules' size, 4 px a cell: below it a quad
// off the centre hole is not decoded, and a broken small card seldom has its centre).
void add_paper_candidates(const cv::Mat& gray, const cv::Mat& dark, const std::vector<std::vector<cv::Point>>& contours,
                          const std::vector<cv::Vec4i>& hierarchy, const std::vector<cv::Rect>& boxes, const BlobIndex& index,
                          int grid, float min_side, float max_side, std::vector<Candidate>& out);

}  // namespace cardpoll::detect
