// A card's pattern as pixels, and the pattern-only PNG files that tests and outside tools
// read (`cardpoll cards --format png --pattern-only`). Keep this format stable: the image
// is exactly the pattern (no quiet zone, no text), 8-bit grey, black 0, white 255, upright.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/deck.h"

namespace cardpoll::print {

struct PatternImage {
  int side = 0;                 // pixels per side = grid * px_per_cell
  std::vector<uint8_t> pixels;  // side*side, row-major, 0 black / 255 white
};

PatternImage pattern_image(const Deck& deck, int card, int px_per_cell, Answer on_top = Answer::A);

// Writes one 8-bit grey PNG; throws std::runtime_error naming the path on failure.
void write_grey_png(const std::filesystem::path& path, const PatternImage& image);

// Reads an 8-bit PNG written by write_grey_png (or any PNG: converted to grey).
// Throws std::runtime_error naming the path when it cannot be read.
PatternImage read_grey_png(const std::filesystem::path& path);

}  // namespace cardpoll::print
