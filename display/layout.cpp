#include "display/layout.h"

#include <algorithm>
#include <cmath>

namespace cardpoll::display {

Layout layout_for(int width, int height) {
  Layout l;
  l.width = std::max(1, width);
  l.height = std::max(1, height);
  l.scale = std::min(l.width / 1280.0f, l.height / 720.0f);
  l.ox = (l.width - static_cast<int>(1280 * l.scale)) / 2;
  l.oy = (l.height - static_cast<int>(720 * l.scale)) / 2;
  return l;
}

std::vector<Rect> tile_grid(const Rect& area, int n, int gap, int max_h) {
  std::vector<Rect> out;
  if (n <= 0 || area.w <= 0 || area.h <= 0) return out;
  // Try every column count and keep the one giving the largest tiles of ratio ~ 3:1.
  int best_cols = 1;
  double best_size = -1;
  for (int cols = 1; cols <= n; ++cols) {
    const int rows = (n + cols - 1) / cols;
    const double w = (area.w - gap * (cols - 1)) / static_cast<double>(cols);
    const double h = (area.h - gap * (rows - 1)) / static_cast<double>(rows);
    if (w <= 0 || h <= 0) continue;
    const double size = std::min(w / 3.0, h);  // usable height of a 3:1 tile
    if (size > best_size) {
      best_size = size;
      best_cols = cols;
    }
  }
  const int cols = best_cols;
  const int rows = (n + cols - 1) / cols;
  const int w = std::max(1, (area.w - gap * (cols - 1)) / cols);
  const int h = std::max(1, std::min(max_h, (area.h - gap * (rows - 1)) / rows));
  for (int i = 0; i < n; ++i) {
    const int r = i / cols, c = i % cols;
    out.push_back({area.x + c * (w + gap), area.y + r * (h + gap), w, h});
  }
  return out;
}

std::vector<Rect> bar_rects(const Rect& area, const std::vector<double>& fractions, int gap) {
  std::vector<Rect> out;
  const int n = static_cast<int>(fractions.size());
  if (n == 0) return out;
  const int w = std::max(1, (area.w - gap * (n - 1)) / n);
  for (int i = 0; i < n; ++i) {
    const double f = std::clamp(fractions[static_cast<size_t>(i)], 0.0, 1.0);
    const int h = static_cast<int>(std::lround(f * area.h));
    out.push_back({area.x + i * (w + gap), area.y + area.h - h, w, h});
  }
  return out;
}

Rect fit_image(const Rect& area, int img_w, int img_h) {
  if (img_w <= 0 || img_h <= 0) return area;
  const double s = std::min(area.w / static_cast<double>(img_w), area.h / static_cast<double>(img_h));
  const int w = static_cast<int>(img_w * s), h = static_cast<int>(img_h * s);
  return {area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h};
}

}  // namespace cardpoll::display
