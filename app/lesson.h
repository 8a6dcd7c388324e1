// A lesson, as `cardpoll live` runs it: shared by the live command and the app's Lesson screen
// so both run the same code path (frame source, scanner pipeline, live session controller,
// projector and teacher windows or the headless tally), with one camera or several.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/cli.h"
#include "core/store/db.h"
#include "core/model.h"

namespace cardpoll::app {

inline constexpr const char* kDemoClass = "Demo class";
inline constexpr const char* kDemoSet = "Demo quiz";

struct LessonOptions {
  std::string class_name, set_name;   // both empty: the bundled demo class and quiz
  // Camera indexes/devices, stream URLs or files, one pipeline each, their answers merged
  // (lesson/camera_merge.h); none: camera 0, else the demo recording.
  std::vector<std::string> sources;
  bool headless = false;
  bool fullscreen = false;
  int timer_seconds = 300;
  int quit_after_seconds = 0;         // 0: until the teacher quits (or a file source ends headless)
  std::optional<std::string> snapshot_dir;
  std::optional<std::filesystem::path> screenshot;
  std::optional<std::string> camera_profile;
  bool resume = false;                // continue the newest open session (of class_name if given)
  std::optional<Id> resume_session;   // ... or this one
  int save_wait_seconds = 30;         // at the end, how long to retry answers the database refused
};

struct LessonResult {
  Id session_id = 0;
  bool source_finished = false;
  bool all_saved = true;  // false: some answers went to a recovery file beside the database
};

// Runs one lesson to its end and returns its session. Throws std::runtime_error (a missing
// class or set, a bad camera profile, no frame source) before anything is stored.
LessonResult run_lesson(const Context& ctx, const LessonOptions& options);

// The folder of the bundled demo lesson (class.csv, questions.csv, demo.mp4).
std::filesystem::path demo_dir();
// Imports the demo class and quiz into `db` when they are not there yet.
void ensure_demo_data(Database& db);
// True when there is an X11 or Wayland display to open windows on.
bool display_available();

}  // namespace cardpoll::app
