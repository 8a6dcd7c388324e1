#include "display/offscreen.h"

#include "core/store/atomic_file.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include <SDL.h>
#include <cairo.h>

#include "display/render.h"

namespace cardpoll::display {

struct OffscreenCanvas {
  SDL_Surface* surface = nullptr;
  SDL_Renderer* renderer = nullptr;
  FontCache fonts;
  std::unique_ptr<Painter> painter;
  PreviewTexture preview;
  ~OffscreenCanvas() {
    painter.reset();
    if (preview.texture) {
      SDL_DestroyTexture(preview.texture);
      preview.texture = nullptr;
    }
    if (renderer) SDL_DestroyRenderer(renderer);
    if (surface) SDL_FreeSurface(surface);
  }
};

void OffscreenDeleter::operator()(OffscreenCanvas* c) const { delete c; }

Offscreen make_offscreen(int width, int height) {
  if (width < 64 || height < 64 || width > 8192 || height > 8192)
    throw std::runtime_error("offscreen size " + std::to_string(width) + "x" +
                             std::to_string(height) + " is outside 64..8192");
  Offscreen c(new OffscreenCanvas);
  c->surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!c->surface) throw std::runtime_error(std::string("SDL: cannot make a surface: ") + SDL_GetError());
  c->renderer = SDL_CreateSoftwareRenderer(c->surface);
  if (!c->renderer)
    throw std::runtime_error(std::string("SDL: cannot make a software renderer: ") + SDL_GetError());
  c->painter = std::make_unique<Painter>(c->renderer, &c->fonts);
  return c;
}

namespace {

Image grab(OffscreenCanvas& c) {
  SDL_RenderPresent(c.renderer);
  Image img;
  img.width = c.surface->w;
  img.height = c.surface->h;
  img.argb.resize(static_cast<size_t>(img.width) * img.height);
  SDL_LockSurface(c.surface);
  for (int y = 0; y < img.height; ++y)
    std::memcpy(&img.argb[static_cast<size_t>(y) * img.width],
                static_cast<const uint8_t*>(c.surface->pixels) + static_cast<size_t>(y) * c.surface->pitch,
                static_cast<size_t>(img.width) * 4);
  SDL_UnlockSurface(c.surface);
  for (auto& px : img.argb) px |= 0xff000000u;
  return img;
}

}  // namespace

Image render_projector(OffscreenCanvas& c, const ProjectorView& v) {
  draw_projector(*c.painter, v, c.surface->w, c.surface->h);
  return grab(c);
}

Image render_teacher(OffscreenCanvas& c, const TeacherView& v, const PreviewImage& preview,
                     uint64_t frame) {
  update_preview(c.renderer, c.preview, preview, frame);
  const bool have = preview.width > 0 && c.preview.texture;
  draw_teacher(*c.painter, v, have ? &c.preview : nullptr, c.surface->w, c.surface->h);
  return grab(c);
}

Image render_projector(const ProjectorView& v, int width, int height) {
  auto c = make_offscreen(width, height);
  return render_projector(*c, v);
}

Image render_teacher(const TeacherView& v, const PreviewImage& preview, int width, int height) {
  auto c = make_offscreen(width, height);
  return render_teacher(*c, v, preview);
}

Image side_by_side(const Image& left, const Image& right) {
  Image both;
  both.width = left.width + right.width;
  both.height = std::max(left.height, right.height);
  both.argb.assign(static_cast<size_t>(both.width) * both.height, 0xff000000u);
  for (int y = 0; y < left.height; ++y)
    std::copy_n(&left.argb[static_cast<size_t>(y) * left.width], left.width,
                &both.argb[static_cast<size_t>(y) * both.width]);
  for (int y = 0; y < right.height; ++y)
    std::copy_n(&right.argb[static_cast<size_t>(y) * right.width], right.width,
                &both.argb[static_cast<size_t>(y) * both.width + left.width]);
  return both;
}

void write_png(const Image& image, const std::filesystem::path& path) {
  if (image.width <= 0 || image.height <= 0) throw std::runtime_error(path.string() + ": empty image");
  const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, image.width);
  std::vector<unsigned char> data(static_cast<size_t>(stride) * image.height);
  for (int y = 0; y < image.height; ++y)
    std::memcpy(&data[static_cast<size_t>(y) * stride], &image.argb[static_cast<size_t>(y) * image.width],
                static_cast<size_t>(image.width) * 4);
  cairo_surface_t* s = cairo_image_surface_create_for_data(data.data(), CAIRO_FORMAT_RGB24,
                                                           image.width, image.height, stride);
  // Beside the target under a fresh private name, then renamed (core/store/atomic_file.h): a reader
  // never sees half a PNG, the picture (students' names) is 0600, a link or device at the
  // target's name is refused.
  try {
    replace_file_atomically(path, [&](const std::filesystem::path& tmp) {
      const cairo_status_t st = cairo_surface_write_to_png(s, tmp.c_str());
      if (st != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(path.string() + ": cannot write PNG (" + cairo_status_to_string(st) + ")");
    });
  } catch (...) {
    cairo_surface_destroy(s);
    throw;
  }
  cairo_surface_destroy(s);
}

}  // namespace cardpoll::display
