// Geometry of the live windows. Layouts are designed on a 1280x720 canvas and scaled
// uniformly to the real window (up to 4K), centred; pure functions so tests can check
// where things go without drawing.
#pragma once

#include <vector>

namespace cardpoll::display {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
};

struct Layout {
  int width = 1280, height = 720;  // the real window
  float scale = 1;                 // real pixels per design pixel
  int ox = 0, oy = 0;              // offset of the design canvas (letterboxing)

  int px(float design) const { return static_cast<int>(design * scale + 0.5f); }
  Rect rect(float x, float y, float w, float h) const {
    return {ox + px(x), oy + px(y), px(w), px(h)};
  }
};

Layout layout_for(int width, int height);

// Tiles of the roster: as large as fit `n` tiles into `area` (gap between tiles),
// row-major. Tiles never get taller than `max_h`.
std::vector<Rect> tile_grid(const Rect& area, int n, int gap, int max_h);

// Bars of the reveal chart: one column per choice in `area`, heights proportional to
// `fractions` (0..1 of the chart height), bottoms aligned on area's bottom edge.
std::vector<Rect> bar_rects(const Rect& area, const std::vector<double>& fractions, int gap);

// The largest rectangle with the aspect ratio img_w:img_h that fits in `area`, centred.
Rect fit_image(const Rect& area, int img_w, int img_h);

}  // namespace cardpoll::display
