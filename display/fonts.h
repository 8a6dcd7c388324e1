// DejaVu Sans, found through fontconfig and opened with SDL_ttf at the pixel sizes the
// layouts ask for, and the fallback fonts for what DejaVu cannot draw (CJK names...; see
// display/print/font_fallback.h). One FontCache per renderer; fonts stay open for the whole
// session.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "display/print/font_fallback.h"

typedef struct _TTF_Font TTF_Font;

namespace cardpoll::display {

struct FontFiles {
  std::string regular, bold;
};

// The DejaVu Sans files. Throws std::runtime_error saying which package to install when
// fontconfig finds no DejaVu (it would otherwise hand back any font, e.g. one without ✓).
FontFiles find_dejavu();

// Open fonts by (pixel size, bold). Initialises SDL_ttf on first use.
struct FontCache {
  FontFiles files;
  std::map<std::pair<int, bool>, TTF_Font*> open;

  FontCache();
  ~FontCache();
  FontCache(const FontCache&) = delete;
  FontCache& operator=(const FontCache&) = delete;

  // Sizes are clamped to 6..400 px. Throws std::runtime_error naming the file on failure.
  TTF_Font* get(int px, bool bold = false);
  // Any face (a fallback font) at `px`.
  TTF_Font* get(const print::FontFace& face, int px);
  std::map<std::tuple<std::string, int, int>, TTF_Font*> faces;  // (file, index, px)
};

}  // namespace cardpoll::display
