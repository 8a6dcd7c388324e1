#include "display/painter.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include <SDL_ttf.h>

namespace cardpoll::display {

Painter::~Painter() { clear_cache(); }

void Painter::clear_cache() {
  for (auto& [key, t] : cache) SDL_DestroyTexture(t.texture);
  cache.clear();
  lru.clear();
}

namespace {

// The font of one run: DejaVu itself, or a fallback face at the same size.
TTF_Font* run_font(Painter& p, const print::TextRun& run, int px, bool bold) {
  return run.face == print::primary_face(bold) ? p.fonts->get(px, bold) : p.fonts->get(run.face, px);
}

// Text in one surface, run by run in fonts that have its characters, on a common baseline.
SDL_Surface* render_runs(Painter& p, const std::string& text, int px, bool bold, SDL_Color colour) {
  const std::string drawn = print::visual_order(text);
  const auto runs = print::split_by_font(drawn, bold);
  if (runs.size() == 1 && runs[0].face == print::primary_face(bold))
    return TTF_RenderUTF8_Blended(p.fonts->get(px, bold), drawn.c_str(), colour);
  struct Part {
    SDL_Surface* surface;
    int ascent;
  };
  std::vector<Part> parts;
  int width = 0, ascent = 0, descent = 0;
  for (const auto& run : runs) {
    TTF_Font* f = run_font(p, run, px, bold);
    SDL_Surface* s = TTF_RenderUTF8_Blended(f, run.text.c_str(), colour);
    if (!s) continue;
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);  // copy pixels and alpha as they are
    parts.push_back({s, TTF_FontAscent(f)});
    width += s->w;
    ascent = std::max(ascent, TTF_FontAscent(f));
    descent = std::max(descent, s->h - TTF_FontAscent(f));
  }
  SDL_Surface* out = parts.empty() ? nullptr
                                   : SDL_CreateRGBSurfaceWithFormat(0, width, ascent + descent, 32, SDL_PIXELFORMAT_ARGB8888);
  int x = 0;
  for (const Part& part : parts) {
    if (out) {
      SDL_Rect dst{x, ascent - part.ascent, part.surface->w, part.surface->h};
      SDL_BlitSurface(part.surface, nullptr, out, &dst);
    }
    x += part.surface->w;
    SDL_FreeSurface(part.surface);
  }
  return out;
}

const Painter::Text* text_texture(Painter& p, const std::string& text, int px, bool bold,
                                  Colour c) {
  if (text.empty()) return nullptr;
  std::string key = std::to_string(px) + (bold ? "b" : "r") + std::to_string(c.r) + "," +
                    std::to_string(c.g) + "," + std::to_string(c.b) + "|" + text;
  if (auto it = p.cache.find(key); it != p.cache.end()) {
    p.lru.splice(p.lru.begin(), p.lru, it->second.age);
    return &it->second;
  }
  SDL_Surface* s = render_runs(p, text, px, bold, SDL_Color{c.r, c.g, c.b, 255});
  if (!s) return nullptr;
  SDL_Texture* t = SDL_CreateTextureFromSurface(p.renderer, s);
  Painter::Text entry{t, s->w, s->h, {}};
  SDL_FreeSurface(s);
  if (!t) return nullptr;
  while (p.cache.size() >= p.cache_limit && !p.lru.empty()) {
    auto old = p.cache.find(p.lru.back());
    SDL_DestroyTexture(old->second.texture);
    p.cache.erase(old);
    p.lru.pop_back();
  }
  p.lru.push_front(key);
  entry.age = p.lru.begin();
  return &p.cache.emplace(std::move(key), entry).first->second;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<std::string> wrap(Painter& p, const std::string& text, int px, bool bold, int width) {
  std::vector<std::string> lines;
  std::string line;
  for (const auto& w : words_of(text)) {
    std::string candidate = line.empty() ? w : line + " " + w;
    if (!line.empty() && text_size(p, candidate, px, bold).x > width) {
      lines.push_back(line);
      line = w;
    } else {
      line = std::move(candidate);
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

void fill(Painter& p, const Rect& r, Colour c) {
  SDL_SetRenderDrawColor(p.renderer, c.r, c.g, c.b, c.a);
  SDL_Rect sr{r.x, r.y, r.w, r.h};
  SDL_RenderFillRect(p.renderer, &sr);
}

void outline(Painter& p, const Rect& r, Colour c, int thickness) {
  const int t = std::max(1, thickness);
  fill(p, {r.x, r.y, r.w, t}, c);
  fill(p, {r.x, r.y + r.h - t, r.w, t}, c);
  fill(p, {r.x, r.y, t, r.h}, c);
  fill(p, {r.x + r.w - t, r.y, t, r.h}, c);
}

void thick_line(Painter& p, float x0, float y0, float x1, float y1, Colour c, int thickness) {
  SDL_SetRenderDrawColor(p.renderer, c.r, c.g, c.b, c.a);
  const float dx = x1 - x0, dy = y1 - y0;
  const float len = std::max(1e-3f, std::hypot(dx, dy));
  const float nx = -dy / len, ny = dx / len;  // unit normal: offset copies across the line
  const int t = std::max(1, thickness);
  for (int i = 0; i < t; ++i) {
    const float o = i - (t - 1) / 2.0f;
    SDL_RenderDrawLineF(p.renderer, x0 + nx * o, y0 + ny * o, x1 + nx * o, y1 + ny * o);
  }
}

SDL_Point text_size(Painter& p, const std::string& text, int px, bool bold) {
  int width = 0, height = 0;
  for (const auto& run : print::split_by_font(text, bold)) {
    int w = 0, h = 0;
    TTF_SizeUTF8(run_font(p, run, px, bold), run.text.c_str(), &w, &h);
    width += w;
    height = std::max(height, h);
  }
  return {width, height};
}

int draw_text(Painter& p, const std::string& text, int x, int y, int px, bool bold, Colour c,
              Align align, int max_w) {
  if (max_w > 0) {
    // Shrink long labels rather than clip them: a name cut in half is worse than a small one.
    const int w = text_size(p, text, px, bold).x;
    if (w > max_w) px = std::max(6, static_cast<int>(px * static_cast<double>(max_w) / w));
  }
  const Painter::Text* t = text_texture(p, text, px, bold, c);
  if (!t) return 0;
  int dx = x;
  if (align == Align::Centre) dx = x - t->w / 2;
  if (align == Align::Right) dx = x - t->w;
  SDL_Rect dst{dx, y, t->w, t->h};
  SDL_RenderCopy(p.renderer, t->texture, nullptr, &dst);
  return t->w;
}

void draw_columns(Painter& p, const std::vector<std::string>& lines, int x, int y, int key_w,
                  int line_h, int px, Colour c) {
  for (const auto& l : lines) {
    const auto tab = l.find('\t');
    if (tab == std::string::npos) {
      draw_text(p, l, x, y, px, false, c);
    } else {
      draw_text(p, l.substr(0, tab), x, y, px, true, c);
      draw_text(p, l.substr(tab + 1), x + key_w, y, px, false, c);
    }
    y += line_h;
  }
}

int draw_wrapped(Painter& p, const std::string& text, const Rect& box, int px, int min_px,
                 bool bold, Colour c) {
  int size = px;
  std::vector<std::string> lines;
  int line_h = 0;
  for (;;) {
    lines = wrap(p, text, size, bold, box.w);
    line_h = TTF_FontLineSkip(p.fonts->get(size, bold));
    if (static_cast<int>(lines.size()) * line_h <= box.h || size <= min_px) break;
    size = std::max(min_px, size * 9 / 10);
  }
  int y = box.y;
  for (const auto& l : lines) {
    if (y + line_h > box.y + box.h + line_h / 2) break;  // never spill far out of the box
    draw_text(p, l, box.x, y, size, bold, c, Align::Left, box.w);
    y += line_h;
  }
  return y - box.y;
}

}  // namespace cardpoll::display
