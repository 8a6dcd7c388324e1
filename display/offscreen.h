// Drawing the live windows without a display: an SDL software renderer on a memory surface.
// Used by tests (pixels of key regions), `cardpoll live --snapshot DIR` and the README images.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "display/view_model.h"

namespace cardpoll::display {

struct Image {
  int width = 0, height = 0;
  std::vector<uint32_t> argb;  // 0xAARRGGBB, row-major
  uint32_t at(int x, int y) const { return argb[static_cast<size_t>(y) * width + x]; }
};

// One offscreen target of a fixed size, reusable for many frames (fonts and text textures
// stay cached between renders, as in a window).
struct OffscreenCanvas;
struct OffscreenDeleter {
  void operator()(OffscreenCanvas* c) const;
};
using Offscreen = std::unique_ptr<OffscreenCanvas, OffscreenDeleter>;

// Throws std::runtime_error when SDL or the fonts cannot start.
Offscreen make_offscreen(int width, int height);

Image render_projector(OffscreenCanvas& c, const ProjectorView& v);
// `preview` may be empty (no camera image yet).
Image render_teacher(OffscreenCanvas& c, const TeacherView& v, const PreviewImage& preview,
                     uint64_t frame = 1);

// Convenience: one render on a fresh canvas.
Image render_projector(const ProjectorView& v, int width, int height);
Image render_teacher(const TeacherView& v, const PreviewImage& preview, int width, int height);

// Two images next to each other (left, then right), the taller one's height; black where
// the shorter one ends. Screenshots of both live views in one file.
Image side_by_side(const Image& left, const Image& right);

// Writes an RGB PNG; throws std::runtime_error naming the path on failure.
void write_png(const Image& image, const std::filesystem::path& path);

}  // namespace cardpoll::display
