// Driving the app's window from a test as a teacher would: SDL events (mouse moves and clicks
// at the widgets' drawn positions, typed text, keys, files dropped on the window) pushed into
// the real window, one frame drawn after each; and the pixels of screen regions.
#pragma once

#include <gtest/gtest.h>

#include <SDL.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <stdexcept>

#include "core/store/db.h"
#include "display/app/app_window.h"
#include "display/offscreen.h"

namespace cardpoll::test_support {

namespace fs = std::filesystem;

struct Driver {
  ui::AppState s;
  ui::AppWindowPtr w;

  void frames(int n = 3) {
    for (int i = 0; i < n; ++i) ui::app_frame(*w, s, 0);
  }
  ui::Rect at(const std::string& id) {
    frames(1);
    auto it = s.widgets.find(id);
    if (it == s.widgets.end()) throw std::runtime_error("no widget " + id + " on the screen");
    return it->second;
  }
  void push(SDL_Event e) { ASSERT_EQ(SDL_PushEvent(&e), 1) << SDL_GetError(); }
  void click(const std::string& id) {
    const ui::Rect r = at(id);
    const int x = static_cast<int>(r.cx()), y = static_cast<int>(r.cy());
    SDL_Event e{};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = x;
    e.motion.y = y;
    push(e);
    frames(1);
    e = {};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    push(e);
    frames(1);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    push(e);
    frames(2);
  }
  // Press on `from`, move there to `to` in small steps with the button held, let go: ImGui's
  // drag and drop as the mouse does it.
  void drag(const std::string& from, const std::string& to) {
    const ui::Rect a = at(from), b = at(to);
    auto move = [&](float x, float y) {
      SDL_Event e{};
      e.type = SDL_MOUSEMOTION;
      e.motion.x = static_cast<int>(x);
      e.motion.y = static_cast<int>(y);
      push(e);
      frames(1);
    };
    move(a.cx(), a.cy());
    SDL_Event e{};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = static_cast<int>(a.cx());
    e.button.y = static_cast<int>(a.cy());
    push(e);
    frames(2);
    for (int i = 1; i <= 12; ++i)
      move(a.cx() + (b.cx() - a.cx()) * static_cast<float>(i) / 12, a.cy() + (b.cy() - a.cy()) * static_cast<float>(i) / 12);
    frames(2);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    e.button.x = static_cast<int>(b.cx());
    e.button.y = static_cast<int>(b.cy());
    push(e);
    frames(3);
  }
  // The mouse wheel turned `clicks` notches (negative: down) over the widget `over`.
  void wheel(const std::string& over, int clicks) {
    const ui::Rect r = at(over);
    SDL_Event e{};
    e.type = SDL_MOUSEMOTION;
    e.motion.x = static_cast<int>(r.cx());
    e.motion.y = static_cast<int>(r.cy());
    push(e);
    frames(1);
    for (int i = 0; i < std::abs(clicks); ++i) {
      e = {};
      e.type = SDL_MOUSEWHEEL;
      e.wheel.y = clicks < 0 ? -1 : 1;
      push(e);
      frames(1);
    }
    frames(2);
  }
  void type(const std::string& text) {
    for (size_t i = 0; i < text.size(); i += 16) {
      SDL_Event e{};
      e.type = SDL_TEXTINPUT;
      std::strncpy(e.text.text, text.substr(i, 16).c_str(), sizeof e.text.text - 1);
      push(e);
      frames(1);
    }
    frames(1);
  }
  void key(SDL_Scancode sc, Uint16 mod = KMOD_NONE) {
    SDL_Event e{};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.mod = mod;
    e.key.keysym.scancode = sc;
    e.key.keysym.sym = SDL_GetKeyFromScancode(sc);
    push(e);
    frames(1);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    e.key.keysym.mod = KMOD_NONE;  // the modifier is let go with the key
    push(e);
    frames(2);
  }
  void drop(const fs::path& file) {
    SDL_Event e{};
    e.type = SDL_DROPFILE;
    e.drop.file = SDL_strdup(file.c_str());  // the app frees it, as SDL's own drops
    push(e);
    frames(3);
  }
  display::Image shot() { return ui::capture_app_window(*w, s); }
};

// Opens the app on a fresh database in `dir`; nullopt (and the test skips) without a display.
inline std::unique_ptr<Driver> open_app(const fs::path& dir) {
  auto d = std::make_unique<Driver>();
  d->s.db = Database(dir / "app.db");
  d->s.settings_file = dir / "settings.conf";
  d->s.last_folder = dir;
  try {
    d->w = ui::open_app_window({1280, 800, false});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "the app window cannot open: %s\n", e.what());
    return nullptr;
  }
  d->frames(3);
  return d;
}

#define OPEN_OR_SKIP(d, dir)                                                                           \
  auto d = open_app(dir);                                                                              \
  if (!d) GTEST_SKIP() << "no display for the app window (DISPLAY unset or no OpenGL 3): run under xvfb-run -a"

// The pixels inside `r` (clipped to the image).
inline std::vector<uint32_t> region(const display::Image& img, const ui::Rect& r) {
  std::vector<uint32_t> px;
  for (int y = std::max(0, static_cast<int>(r.y)); y < std::min(img.height, static_cast<int>(r.y + r.h)); ++y)
    for (int x = std::max(0, static_cast<int>(r.x)); x < std::min(img.width, static_cast<int>(r.x + r.w)); ++x)
      px.push_back(img.at(x, y));
  return px;
}
inline size_t colours(const display::Image& img, const ui::Rect& r) {
  const auto px = region(img, r);
  return std::set<uint32_t>(px.begin(), px.end()).size();
}


}  // namespace cardpoll::test_support
