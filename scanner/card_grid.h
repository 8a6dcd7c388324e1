// The card's grid in the image: the homography from grid coordinates, which corner is the
// top-left as the student holds it, and whether four corners can be a whole card at all.
// Shared by decode.cpp (cell by cell) and decode_blurred.cpp (the whole pattern at once).
#pragma once

#include <optional>

#include <opencv2/core.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

struct Homography {
  double h[9];
  cv::Point2f map(double u, double v) const {
    const double w = h[6] * u + h[7] * v + h[8];
    return {static_cast<float>((h[0] * u + h[1] * v + h[2]) / w),
            static_cast<float>((h[3] * u + h[4] * v + h[5]) / w)};
  }
};

// Grid coordinates (0..g, cell corners) -> image, with seen[0] at grid (0, 0).
Homography grid_to_image(const Corners& seen, int g);

// Whether four corners can be a whole card seen by a camera (card_grid.cpp says how).
bool plausible_shape(const Corners& q);

// The corner index that is the top-left as the student holds the card (judged in the
// card's plane), or -1 when its top points more than max_deg from up.
int top_corner_of(const Corners& corners, int g, float max_deg);

// The corners turned so that seen[0] is the top-left as the student holds the card
// (top_corner_of), or nullopt when its top points more than max_deg from up.
std::optional<Corners> as_held(const Corners& corners, int g, float max_deg);

// A quad's mean side over the grid: pixels a cell.
float cell_px_of(const Corners& q, int g);

// The read of `match` seen through `seen` (seen[0] the top-left as held): its corners in card
// order (printed corner i, TL TR BR BL upright, is seen corner i - k for a card turned k
// quarter turns counter-clockwise, answer k on top), and `margin` clamped to 0..1.
CardRead read_of(const CardMatch& match, const Corners& seen, float margin);

}  // namespace cardpoll::detect
