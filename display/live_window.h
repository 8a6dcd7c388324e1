// The two real windows of a live lesson (projector + teacher), SDL2. The UI thread owns
// them: it polls input, then draws both from the same LiveState, at most 60 times a second.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lesson/live_input.h"
#include "display/offscreen.h"
#include "display/view_model.h"

namespace cardpoll::display {

using lesson::LiveInput;

struct LiveWindows;
struct LiveWindowsDeleter {
  void operator()(LiveWindows* w) const;
};
using LiveWindowsPtr = std::unique_ptr<LiveWindows, LiveWindowsDeleter>;

struct WindowOptions {
  bool fullscreen = false;  // the projector window, full screen (on a second display if any)
  int width = 1280, height = 720;
};

// Throws std::runtime_error when there is no display (the caller falls back to headless).
LiveWindowsPtr open_live_windows(const WindowOptions& options);

struct WindowInput {
  std::vector<LiveInput> inputs;
  bool closed = false;  // a window was closed: quit
  bool redraw = false;  // a window was exposed, resized or restored: draw it again
};
WindowInput poll_window_input(LiveWindows& w);

// Draws and presents both windows. `preview` may be null; `frame` says which camera frame
// it is, so an unchanged frame is not uploaded again.
void draw_live_windows(LiveWindows& w, const LiveState& state, const PreviewImage* preview,
                       uint64_t frame);

void toggle_fullscreen(LiveWindows& w);

// The SDL renderer the windows draw with ("opengl", "software", ...), for the log: a slow
// projector is often a machine without a GPU driver.
std::string renderer_name(const LiveWindows& w);

// Both windows read back from their own renderers after drawing `state` once more:
// projector on the left, teacher on the right (`cardpoll live --screenshot FILE`, CI's
// Xvfb check). What the real windows show, pixel for pixel, at their current sizes.
Image capture_live_windows(LiveWindows& w, const LiveState& state, const PreviewImage* preview,
                           uint64_t frame);

}  // namespace cardpoll::display
