// The teacher's window: the camera preview with every read card outlined and labelled,
// the live list of who answered what, warnings and health figures. Only the teacher sees it.
#include <algorithm>
#include <string>

#include "display/render.h"

namespace cardpoll::display {

PreviewTexture::~PreviewTexture() {
  if (texture) SDL_DestroyTexture(texture);
}

void update_preview(SDL_Renderer* r, PreviewTexture& t, const PreviewImage& image, uint64_t frame) {
  if (image.width <= 0 || image.height <= 0 ||
      image.grey.size() < static_cast<size_t>(image.width) * static_cast<size_t>(image.height))
    return;
  if (t.texture && t.frame == frame && t.width == image.width && t.height == image.height) return;
  if (!t.texture || t.width != image.width || t.height != image.height) {
    if (t.texture) SDL_DestroyTexture(t.texture);
    // ARGB8888: the software renderer's own format (and the usual GPU one), so drawing the
    // preview each frame is a plain copy, not a per-pixel conversion.
    t.texture = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                  image.width, image.height);
    t.width = image.width;
    t.height = image.height;
    if (!t.texture) return;
  }
  void* pixels = nullptr;
  int pitch = 0;
  if (SDL_LockTexture(t.texture, nullptr, &pixels, &pitch) != 0) return;
  for (int y = 0; y < image.height; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(pixels) + static_cast<size_t>(y) * pitch);
    const uint8_t* g = &image.grey[static_cast<size_t>(y) * image.width];
    for (int x = 0; x < image.width; ++x) row[x] = 0xff000000u | (uint32_t{g[x]} * 0x010101u);
  }
  SDL_UnlockTexture(t.texture);
  t.frame = frame;
}

namespace {

Colour tone_colour(Tone t) {
  switch (t) {
    case Tone::Right: return palette::right;
    case Tone::Wrong: return palette::wrong;
    case Tone::Unassigned: return palette::unassigned;
    case Tone::Neutral: break;
  }
  return palette::tile_done;
}

void draw_preview(Painter& p, const Layout& L, const TeacherView& v, const PreviewTexture* pv) {
  const Rect area = L.rect(10, 10, 840, 630);
  fill(p, area, Colour{40, 40, 46});
  if (!pv || !pv->texture) {
    draw_text(p, "No camera image", area.x + area.w / 2, area.y + area.h / 2 - L.px(20), L.px(32),
              true, palette::white, Align::Centre);
    return;
  }
  const Rect img = fit_image(area, pv->width, pv->height);
  SDL_Rect dst{img.x, img.y, img.w, img.h};
  SDL_RenderCopy(p.renderer, pv->texture, nullptr, &dst);
  const float s = img.w / static_cast<float>(pv->width);
  const int thick = std::max(2, L.px(3));
  for (const auto& o : v.outlines) {
    const Colour c = tone_colour(o.tone);
    float xs[4], ys[4];
    for (int k = 0; k < 4; ++k) {
      xs[k] = img.x + o.corners[static_cast<size_t>(2 * k)] * s;
      ys[k] = img.y + o.corners[static_cast<size_t>(2 * k + 1)] * s;
    }
    for (int k = 0; k < 4; ++k)
      thick_line(p, xs[k], ys[k], xs[(k + 1) % 4], ys[(k + 1) % 4], c, thick);
    // The label sits above the card's highest corner so it never covers the pattern.
    const float top = *std::min_element(ys, ys + 4);
    const float left = *std::min_element(xs, xs + 4);
    const int font = L.px(15);
    const SDL_Point sz = text_size(p, o.label, font, true);
    const Rect box{static_cast<int>(left), static_cast<int>(top) - sz.y - L.px(6), sz.x + L.px(8),
                   sz.y + L.px(4)};
    fill(p, box, c);
    draw_text(p, o.label, box.x + L.px(4), box.y + L.px(2), font, true, palette::white);
  }
}

void draw_panel(Painter& p, const Layout& L, const TeacherView& v) {
  const int x = L.ox + L.px(865), w = L.px(405);
  int y = L.oy + L.px(12);
  draw_text(p, v.header, x, y, L.px(18), true, palette::white, Align::Left, w);
  y += L.px(28);
  if (!v.question.empty()) {
    y += draw_wrapped(p, v.question, {x, y, w, L.px(66)}, L.px(16), L.px(11), false,
                      Colour{210, 210, 215});
    y += L.px(4);
  }
  draw_text(p, v.state_line, x, y, L.px(18), true, palette::white, Align::Left, w);
  y += L.px(28);
  draw_text(p, v.tally_line, x, y, L.px(22), true, Colour{160, 200, 255}, Align::Left, w);
  y += L.px(34);
  draw_text(p, v.stats, x, y, L.px(16), false, Colour{200, 200, 205}, Align::Left, w);
  y += L.px(22);
  if (!v.source.empty()) {
    draw_text(p, v.source, x, y, L.px(14), false, Colour{170, 170, 175}, Align::Left, w);
    y += L.px(22);
  }
  for (const auto& c : v.cameras) {
    draw_text(p, c, x, y, L.px(14), false, Colour{170, 170, 175}, Align::Left, w);
    y += L.px(20);
  }
  for (const auto& warn : v.warnings) {
    const Rect box{x, y, w, L.px(28)};
    fill(p, box, palette::warn_bg);
    draw_text(p, "\u26a0 " + warn, x + L.px(6), y + L.px(4), L.px(16), true, palette::warn_ink,
              Align::Left, w - L.px(12));
    y += L.px(32);
  }
  for (const auto& u : v.unassigned) {
    draw_text(p, u, x, y, L.px(14), true, palette::unassigned, Align::Left, w);
    y += L.px(20);
  }
  y += L.px(6);
  // Who answered what: two columns, as many rows as fit above the status strip.
  const int bottom = L.oy + L.px(640);
  const int avail = std::max(1, bottom - y);
  const int n = static_cast<int>(v.answers.size());
  int row_h = L.px(19);
  const int cols = n * row_h > avail ? 2 : 1;
  const int per_col = (n + cols - 1) / cols;
  if (per_col * row_h > avail) row_h = std::max(8, avail / std::max(1, per_col));
  const int rows = std::max(1, avail / row_h);
  const int col_w = w / cols;
  const int font = std::max(7, row_h * 80 / 100);
  for (int i = 0; i < n; ++i) {
    const int col = i / rows, row = i % rows;
    if (col >= cols) break;
    const int cx = x + col * col_w, cy = y + row * row_h;
    const AnswerLine& a = v.answers[static_cast<size_t>(i)];
    const Colour c = a.answer == "-" ? Colour{140, 140, 145}
                     : a.tone == Tone::Right ? Colour{120, 220, 150}
                     : a.tone == Tone::Wrong ? Colour{255, 140, 120}
                                             : palette::white;
    draw_text(p, a.name, cx, cy, font, false, c, Align::Left, col_w - L.px(40));
    std::string mark = a.answer;
    if (a.tone == Tone::Right) mark += " \u2713";
    if (a.tone == Tone::Wrong) mark += " \u2717";
    draw_text(p, mark, cx + col_w - L.px(8), cy, font, true, c, Align::Right);
  }
}

}  // namespace

void draw_teacher(Painter& p, const TeacherView& v, const PreviewTexture* preview, int w, int h) {
  const Layout L = layout_for(w, h);
  SDL_SetRenderDrawBlendMode(p.renderer, SDL_BLENDMODE_NONE);
  fill(p, {0, 0, w, h}, palette::dark);
  draw_preview(p, L, v, preview);
  draw_panel(p, L, v);
  fill(p, L.rect(10, 650, 1260, 60), Colour{32, 32, 38});
  draw_text(p, v.status, L.ox + L.px(24), L.oy + L.px(666), L.px(20), true, palette::white,
            Align::Left, L.px(900));
  draw_text(p, "? keys", L.ox + L.px(1250), L.oy + L.px(666), L.px(20), false,
            Colour{170, 170, 175}, Align::Right);
  if (v.show_help) {
    const Rect box = L.rect(340, 130, 600, 460);
    fill(p, box, Colour{50, 50, 58});
    outline(p, box, palette::white, std::max(1, L.px(2)));
    draw_columns(p, v.help_lines, box.x + L.px(30), box.y + L.px(24), L.px(130), L.px(44),
                 L.px(24), palette::white);
  }
}

}  // namespace cardpoll::display
