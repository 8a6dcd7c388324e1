// The app's one window: SDL2 with an OpenGL 3 context and Dear ImGui (its SDL2 and OpenGL3
// back ends), DejaVu Sans from fontconfig, a calm light theme. The caller owns the loop:
//
//   auto w = open_app_window({});
//   while (app_frame(*w, state, 250)) { if (state.lesson_request) ...; }
#pragma once

#include <memory>

#include "display/app/app_state.h"
#include "display/offscreen.h"

namespace cardpoll::ui {

struct AppWindow;
struct AppWindowDeleter {
  void operator()(AppWindow* w) const;
};
using AppWindowPtr = std::unique_ptr<AppWindow, AppWindowDeleter>;

struct AppWindowOptions {
  int width = 1280, height = 800;
  bool hidden = false;  // tests: never shown on screen
};

// Throws std::runtime_error when there is no display or no OpenGL 3.
AppWindowPtr open_app_window(const AppWindowOptions& options);

// Waits up to `wait_ms` for input (0: not at all), handles every pending event (files dropped
// on the window go to state.dropped and are imported by the screen shown), draws one frame.
// Returns false when the window was closed or state.quit was set.
bool app_frame(AppWindow& w, AppState& state, int wait_ms);

// Draws one more frame and reads it back (what the window shows, pixel for pixel).
display::Image capture_app_window(AppWindow& w, AppState& state);

// The camera check's last frame as a texture of the window's OpenGL context (uploaded again
// when its version changed), for ImGui::Image.
void* camera_check_texture(const CameraCheckView& view);

// While a lesson's own windows are open: hidden, then shown again with its GL context current.
void hide_app_window(AppWindow& w);
void show_app_window(AppWindow& w);

}  // namespace cardpoll::ui
