#include "display/print/pattern.h"

#include <cairo.h>

#include <memory>
#include <stdexcept>

namespace cardpoll::print {

PatternImage pattern_image(const Deck& deck, int card, int px_per_cell, Answer on_top) {
  if (px_per_cell < 1) throw std::invalid_argument("pixels per cell must be at least 1");
  const auto cells = card_cells(deck, card, on_top);
  PatternImage img;
  img.side = deck.grid * px_per_cell;
  img.pixels.assign(static_cast<size_t>(img.side) * static_cast<size_t>(img.side), 255);
  for (int y = 0; y < img.side; ++y)
    for (int x = 0; x < img.side; ++x)
      if (cells[static_cast<size_t>((y / px_per_cell) * deck.grid + x / px_per_cell)])
        img.pixels[static_cast<size_t>(y) * static_cast<size_t>(img.side) + static_cast<size_t>(x)] = 0;
  return img;
}

namespace {
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
}

// Cairo writes an A8 surface as an 8-bit grey PNG whose grey level is the stored byte,
// which is exactly the format we promise; no extra PNG library is needed.
void write_grey_png(const std::filesystem::path& path, const PatternImage& image) {
  Surface s(cairo_image_surface_create(CAIRO_FORMAT_A8, image.side, image.side),
            cairo_surface_destroy);
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(path.string() + ": cannot make a " + std::to_string(image.side) +
                             " px image");
  cairo_surface_flush(s.get());
  unsigned char* data = cairo_image_surface_get_data(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  for (int y = 0; y < image.side; ++y)
    for (int x = 0; x < image.side; ++x)
      data[y * stride + x] = image.pixels[static_cast<size_t>(y) * static_cast<size_t>(image.side) + static_cast<size_t>(x)];
  cairo_surface_mark_dirty(s.get());
  const cairo_status_t st = cairo_surface_write_to_png(s.get(), path.c_str());
  if (st != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(path.string() + ": cannot write PNG (" + cairo_status_to_string(st) + ")");
}

PatternImage read_grey_png(const std::filesystem::path& path) {
  Surface s(cairo_image_surface_create_from_png(path.c_str()), cairo_surface_destroy);
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(path.string() + ": cannot read PNG (" +
                             cairo_status_to_string(cairo_surface_status(s.get())) + ")");
  const int w = cairo_image_surface_get_width(s.get()), h = cairo_image_surface_get_height(s.get());
  if (w != h) throw std::runtime_error(path.string() + ": pattern is not square (" +
                                       std::to_string(w) + "x" + std::to_string(h) + ")");
  PatternImage img;
  img.side = w;
  img.pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h));
  const unsigned char* data = cairo_image_surface_get_data(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  const cairo_format_t fmt = cairo_image_surface_get_format(s.get());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t v = 0;
      if (fmt == CAIRO_FORMAT_A8) {
        v = data[y * stride + x];
      } else {  // ARGB32 / RGB24: take the green channel (the PNG is grey anyway)
        const uint32_t px = reinterpret_cast<const uint32_t*>(data + y * stride)[x];
        v = static_cast<uint8_t>((px >> 8) & 0xff);
      }
      img.pixels[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] = v;
    }
  return img;
}

}  // namespace cardpoll::print
