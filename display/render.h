// The two live windows, drawn from their view structs (view_model.h) with any SDL_Renderer:
// a window's, or a software renderer on a surface for tests and --snapshot.
#pragma once

#include <cstdint>

#include <SDL.h>

#include "display/painter.h"
#include "display/view_model.h"

namespace cardpoll::display {

// The camera frame as a texture, re-uploaded only when a new frame arrives.
struct PreviewTexture {
  SDL_Texture* texture = nullptr;
  int width = 0, height = 0;
  uint64_t frame = 0;  // which frame is uploaded (caller's counter)
  PreviewTexture() = default;
  ~PreviewTexture();
  PreviewTexture(const PreviewTexture&) = delete;
  PreviewTexture& operator=(const PreviewTexture&) = delete;
};

// Uploads `image` when `frame` differs from what is on the texture.
void update_preview(SDL_Renderer* r, PreviewTexture& t, const PreviewImage& image, uint64_t frame);

// Where the projector puts the reveal chart's bars (bottom = baseline) and the roster tiles.
Rect chart_area(const Layout& L);
Rect tiles_area(const Layout& L);

// Clears and draws the whole target of w x h pixels.
void draw_projector(Painter& p, const ProjectorView& v, int w, int h);
void draw_teacher(Painter& p, const TeacherView& v, const PreviewTexture* preview, int w, int h);

}  // namespace cardpoll::display
