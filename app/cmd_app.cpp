// cardpoll app: the teacher's window. Wiring only: the settings, the database, the app window
// (display/app) and, when the Lesson screen asks for one, the same lesson `cardpoll live` runs.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "app/app_lesson.h"
#include "app/cli.h"
#include "app/lesson.h"
#include "core/settings.h"
#include "display/app/app_state.h"
#include "display/app/app_window.h"

namespace cardpoll::app {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const char* const kUsage =
    "Usage: cardpoll app [--screen classes|questions|lesson|results|settings]\n"
    "                    [--screenshot FILE] [--quit-after SECONDS] [--size WIDTHxHEIGHT]\n\n"
    "Opens the teacher's window: every step of a lesson cycle with the mouse.\n"
    "  Classes    make a class, import a roster (a file chooser, or drop the file on the\n"
    "             window), edit each student's card, name and tags in place, print cards\n"
    "  Questions  question sets: import (CSV, Aiken, GIFT), write and edit questions, reorder\n"
    "  Lesson     choose the class, the set and the camera (or the demo recording), then teach:\n"
    "             the same projector and teacher windows as `cardpoll live`\n"
    "  Results    past sessions by class and date: each question's tally and who answered\n"
    "             what; export every format to a file you choose\n"
    "  Settings   the database, the deck of new classes, the camera's lens profile\n"
    "Every change goes through the same functions as the commands, with the same checks and\n"
    "the same words. `cardpoll` with no command opens this window when there is a display.\n\n"
    "Options:\n"
    "  --screen NAME        the screen to open on (default classes)\n"
    "  --screenshot FILE    at the end, save the window as drawn as a PNG\n"
    "  --quit-after SECONDS close the window by itself after this long (demos, CI)\n"
    "  --size WxH           the window's size (default 1280x800)\n\n"
    "Settings are kept in $XDG_CONFIG_HOME/cardpoll/settings.conf (else\n"
    "~/.config/cardpoll/settings.conf); the commands use its database when --db is not given.\n";

std::string usage() { return kUsage; }

std::pair<int, int> parse_size(const std::string& v) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (std::sscanf(v.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 640 || h < 480 || w > 7680 ||
      h > 4320)
    throw UsageError("--size " + v + ": expected WIDTHxHEIGHT, at least 640x480");
  return {w, h};
}

}  // namespace

void run_requested_lesson(ui::AppState& s, ui::AppWindow& w) {
  const ui::LessonRequest req = *s.lesson_request;
  s.lesson_request.reset();
  LessonOptions o;
  o.class_name = req.class_name;
  o.set_name = req.set_name;
  o.sources = {req.demo_recording ? (demo_dir() / "demo.mp4").string() : std::to_string(req.camera)};
  if (!req.camera_profile.empty()) o.camera_profile = req.camera_profile;
  o.quit_after_seconds = req.quit_after_seconds;
  ui::hide_app_window(w);
  try {
    const LessonResult r = run_lesson(Context{s.db.path()}, o);
    s.results.selected = r.session_id;
    s.results.data.reset();
    s.screen = ui::Screen::Results;
    s.results.report = {};
    s.results.report.summary = "session " + std::to_string(r.session_id) + " ended: its answers are below";
  } catch (const std::exception& e) {
    s.lesson.report = {};
    s.lesson.report.error = e.what();
  }
  ++s.data_version;
  ui::show_app_window(w);
}

namespace {

int run_app(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"screen", true}, {"screenshot", true}, {"quit-after", true}, {"size", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const int quit_after_s = a.get_int("quit-after", 0, 1, 24 * 3600);
  const auto [width, height] = a.has("size") ? parse_size(*a.get("size")) : std::pair{1280, 800};
  ui::AppState s;
  if (auto name = a.get("screen")) {
    const auto sc = ui::screen_from_name(*name);
    if (!sc) throw UsageError("--screen " + *name + ": expected classes, questions, lesson, results or settings");
    s.screen = *sc;
  }
  s.settings_file = settings_path();
  try {
    s.settings = load_settings(s.settings_file);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cardpoll app: %s (using the default settings)\n", e.what());
  }
  // Before anything is opened or created: without a screen there is nothing to show.
  if (!display_available()) throw std::runtime_error("no display: the app needs a window (the commands work without one; see cardpoll --help)");
  s.db = Database(ctx.db);
  auto window = ui::open_app_window({width, height, false});
  const auto start = Clock::now();
  while (true) {
    const bool timed = quit_after_s > 0;
    int wait_ms = 250;
    if (timed) {
      const auto left = std::chrono::seconds(quit_after_s) - (Clock::now() - start);
      wait_ms = std::clamp(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(left).count()), 1, 250);
    }
    if (!ui::app_frame(*window, s, wait_ms)) break;
    if (s.lesson_request) {
      // With --quit-after, a lesson started from the app ends by then too.
      if (timed) {
        const auto left = std::chrono::seconds(quit_after_s) - (Clock::now() - start);
        s.lesson_request->quit_after_seconds =
            std::max(1, static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(left).count()));
      }
      run_requested_lesson(s, *window);
    }
    if (timed && Clock::now() - start >= std::chrono::seconds(quit_after_s)) break;
  }
  if (auto shot = a.get("screenshot")) {
    display::write_png(ui::capture_app_window(*window, s), *shot);
    std::printf("app: screenshot %s\n", shot->c_str());
  }
  return 0;
}

const bool registered = register_command({"app", "the teacher's window: classes, questions, lessons, results", usage(), run_app});

}  // namespace
}  // namespace cardpoll::app
