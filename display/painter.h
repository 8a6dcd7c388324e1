// Drawing helpers shared by the projector and teacher renderers: filled boxes and text,
// with rendered text kept as textures so a steady 60 fps frame re-renders no glyphs.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include <SDL.h>

#include "display/fonts.h"
#include "display/layout.h"

namespace cardpoll::display {

struct Colour {
  uint8_t r = 0, g = 0, b = 0, a = 255;
};

// The palette: high contrast on an off-white background, calm colours, never red/green
// alone to carry meaning (the right answer also gets a check mark and a label).
namespace palette {
inline constexpr Colour paper{247, 245, 240}, ink{26, 26, 26}, muted{110, 110, 110},
    line{190, 188, 182}, tile_empty{255, 255, 255}, tile_done{38, 70, 120},
    bar{112, 128, 150}, right{24, 120, 60}, wrong{176, 58, 46}, warn_bg{255, 226, 160},
    warn_ink{90, 50, 0}, panel{235, 232, 225}, white{255, 255, 255}, unassigned{200, 120, 0},
    dark{18, 18, 22};
}  // namespace palette

enum class Align { Left, Centre, Right };

struct Painter {
  SDL_Renderer* renderer = nullptr;
  FontCache* fonts = nullptr;

  struct Text {
    SDL_Texture* texture = nullptr;
    int w = 0, h = 0;
    std::list<std::string>::iterator age;
  };
  std::unordered_map<std::string, Text> cache;
  std::list<std::string> lru;  // front = most recently used
  size_t cache_limit = 600;

  Painter(SDL_Renderer* r, FontCache* f) : renderer(r), fonts(f) {}
  ~Painter();
  Painter(const Painter&) = delete;
  Painter& operator=(const Painter&) = delete;

  void clear_cache();
};

void fill(Painter& p, const Rect& r, Colour c);
void outline(Painter& p, const Rect& r, Colour c, int thickness);
void thick_line(Painter& p, float x0, float y0, float x1, float y1, Colour c, int thickness);

// Size of `text` at px/bold, without drawing.
SDL_Point text_size(Painter& p, const std::string& text, int px, bool bold);
// Draws one line; y is the top. Returns the drawn width. Text wider than max_w (when > 0)
// is shrunk to fit.
int draw_text(Painter& p, const std::string& text, int x, int y, int px, bool bold, Colour c,
              Align align = Align::Left, int max_w = 0);
// Draws "key\tdescription" lines as two columns (description at x + key_w), line_h apart.
void draw_columns(Painter& p, const std::vector<std::string>& lines, int x, int y, int key_w,
                  int line_h, int px, Colour c);
// Draws text wrapped at word boundaries inside `box`, shrinking the font from px down to
// min_px until it fits. Returns the height used.
int draw_wrapped(Painter& p, const std::string& text, const Rect& box, int px, int min_px,
                 bool bold, Colour c);

}  // namespace cardpoll::display
