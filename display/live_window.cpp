#include "display/live_window.h"

#include <stdexcept>
#include <string>

#include <SDL.h>

#include "display/render.h"

namespace cardpoll::display {

struct OneWindow {
  SDL_Window* window = nullptr;
  SDL_Renderer* renderer = nullptr;
  std::unique_ptr<FontCache> fonts;
  std::unique_ptr<Painter> painter;
  PreviewTexture preview;
};

struct LiveWindows {
  OneWindow projector, teacher;
  bool fullscreen = false;
  ~LiveWindows() {
    for (OneWindow* w : {&projector, &teacher}) {
      w->painter.reset();
      if (w->preview.texture) {
        SDL_DestroyTexture(w->preview.texture);
        w->preview.texture = nullptr;
      }
      if (w->renderer) SDL_DestroyRenderer(w->renderer);
      if (w->window) SDL_DestroyWindow(w->window);
    }
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
  }
};

void LiveWindowsDeleter::operator()(LiveWindows* w) const { delete w; }

namespace {

void open_one(OneWindow& w, const char* title, int x, int y, int width, int height) {
  w.window = SDL_CreateWindow(title, x, y, width, height, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!w.window) throw std::runtime_error(std::string("cannot open a window: ") + SDL_GetError());
  // Accelerated when there is a GPU, software otherwise (Xvfb, VMs). No vsync: two windows
  // would each wait for it; the live loop paces itself at 60 fps.
  w.renderer = SDL_CreateRenderer(w.window, -1, SDL_RENDERER_ACCELERATED);
  if (!w.renderer) w.renderer = SDL_CreateRenderer(w.window, -1, SDL_RENDERER_SOFTWARE);
  if (!w.renderer) throw std::runtime_error(std::string("cannot draw in a window: ") + SDL_GetError());
  w.fonts = std::make_unique<FontCache>();
  w.painter = std::make_unique<Painter>(w.renderer, w.fonts.get());
}

std::optional<LiveInput> key_input(const SDL_KeyboardEvent& k) {
  switch (k.keysym.sym) {
    case SDLK_SPACE: return lesson::input_for_key(' ');
    case SDLK_RETURN: case SDLK_KP_ENTER: return lesson::input_for_key('\r');
    case SDLK_ESCAPE: return std::nullopt;  // Esc must not quit a lesson by accident
    case SDLK_SLASH: return lesson::input_for_key('?');
    default: break;
  }
  if (k.keysym.sym >= 'a' && k.keysym.sym <= 'z') return lesson::input_for_key(static_cast<char>(k.keysym.sym));
  if (k.keysym.sym >= '0' && k.keysym.sym <= '4') return lesson::input_for_key(static_cast<char>(k.keysym.sym));
  return std::nullopt;
}

void set_fullscreen(LiveWindows& w, bool on) {
  SDL_SetWindowFullscreen(w.projector.window, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
  w.fullscreen = on;
}

}  // namespace

LiveWindowsPtr open_live_windows(const WindowOptions& o) {
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
    throw std::runtime_error(std::string("no display for the live windows: ") + SDL_GetError());
  LiveWindowsPtr w(new LiveWindows);
  // With two displays the projector goes to the second one (the classroom projector).
  const int displays = SDL_GetNumVideoDisplays();
  const int pd = displays > 1 ? 1 : 0;
  SDL_Rect bounds{0, 0, 0, 0};
  SDL_GetDisplayBounds(0, &bounds);
  if (displays == 1 && bounds.w >= 2 * o.width + 20) {
    // One wide screen: side by side, teacher on the left.
    open_one(w->teacher, "cardpoll - teacher", bounds.x, bounds.y + 20, o.width, o.height);
    open_one(w->projector, "cardpoll - projector", bounds.x + o.width + 20, bounds.y + 20, o.width, o.height);
  } else {
    open_one(w->projector, "cardpoll - projector", SDL_WINDOWPOS_CENTERED_DISPLAY(pd),
             SDL_WINDOWPOS_CENTERED_DISPLAY(pd), o.width, o.height);
    open_one(w->teacher, "cardpoll - teacher", SDL_WINDOWPOS_CENTERED_DISPLAY(0),
             SDL_WINDOWPOS_CENTERED_DISPLAY(0), o.width, o.height);
  }
  if (o.fullscreen) set_fullscreen(*w, true);
  return w;
}

WindowInput poll_window_input(LiveWindows& w) {
  (void)w;
  WindowInput in;
  SDL_Event e;
  while (SDL_PollEvent(&e)) {
    if (e.type == SDL_QUIT) in.closed = true;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) in.closed = true;
    if (e.type == SDL_WINDOWEVENT &&
        (e.window.event == SDL_WINDOWEVENT_EXPOSED || e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
         e.window.event == SDL_WINDOWEVENT_RESTORED || e.window.event == SDL_WINDOWEVENT_SHOWN))
      in.redraw = true;
    if (e.type == SDL_KEYDOWN && !e.key.repeat) {
      // '?' is Shift+/ on most layouts: SDL reports the slash key.
      if (auto i = key_input(e.key)) in.inputs.push_back(*i);
    }
  }
  return in;
}

void toggle_fullscreen(LiveWindows& w) { set_fullscreen(w, !w.fullscreen); }

std::string renderer_name(const LiveWindows& w) {
  SDL_RendererInfo info{};
  if (SDL_GetRendererInfo(w.projector.renderer, &info) != 0 || !info.name) return "unknown";
  return info.name;
}

namespace {

// The renderer's target as ARGB pixels. Read before presenting: after SDL_RenderPresent the
// back buffer's content is undefined.
Image read_back(SDL_Renderer* r) {
  Image img;
  SDL_GetRendererOutputSize(r, &img.width, &img.height);
  img.argb.resize(static_cast<size_t>(img.width) * img.height);
  if (SDL_RenderReadPixels(r, nullptr, SDL_PIXELFORMAT_ARGB8888, img.argb.data(), img.width * 4) != 0)
    throw std::runtime_error(std::string("cannot read the window's pixels: ") + SDL_GetError());
  return img;
}

// Draws and presents both windows; with `projector_pixels` / `teacher_pixels`, also reads
// each back between drawing and presenting.
void draw_both(LiveWindows& w, const LiveState& state, const PreviewImage* preview, uint64_t frame,
               Image* projector_pixels, Image* teacher_pixels) {
  int pw = 0, ph = 0, tw = 0, th = 0;
  SDL_GetRendererOutputSize(w.projector.renderer, &pw, &ph);
  SDL_GetRendererOutputSize(w.teacher.renderer, &tw, &th);
  draw_projector(*w.projector.painter, projector_view(state), pw, ph);
  if (projector_pixels) *projector_pixels = read_back(w.projector.renderer);
  SDL_RenderPresent(w.projector.renderer);
  if (preview) update_preview(w.teacher.renderer, w.teacher.preview, *preview, frame);
  draw_teacher(*w.teacher.painter, teacher_view(state),
               w.teacher.preview.texture ? &w.teacher.preview : nullptr, tw, th);
  if (teacher_pixels) *teacher_pixels = read_back(w.teacher.renderer);
  SDL_RenderPresent(w.teacher.renderer);
}

}  // namespace

void draw_live_windows(LiveWindows& w, const LiveState& state, const PreviewImage* preview,
                       uint64_t frame) {
  draw_both(w, state, preview, frame, nullptr, nullptr);
}

Image capture_live_windows(LiveWindows& w, const LiveState& state, const PreviewImage* preview,
                           uint64_t frame) {
  Image projector, teacher;
  draw_both(w, state, preview, frame, &projector, &teacher);
  return side_by_side(projector, teacher);
}

}  // namespace cardpoll::display
