// The lesson the app's Lesson screen asked for (state.lesson_request), run with `cardpoll
// live`'s code while the app window waits hidden; afterwards the app shows that session's
// Results (or the Lesson screen with the reason it could not start).
#pragma once

#include <memory>

#include "display/app/app_state.h"
#include "display/app/app_window.h"

namespace cardpoll::app {

void run_requested_lesson(ui::AppState& s, ui::AppWindow& w);

// The Lesson screen's camera check, while s.lesson.checking: opens the chosen camera (or the
// demo recording, looped) when the check starts or the choice changes, then each call reads
// one frame, its cards (the class's deck) and `cardpoll calibrate range`'s check of the last
// 30 frames into s.lesson.check. Closes the camera when the check stops (or a lesson starts).
struct CameraCheckRun;
struct CameraCheckDeleter {
  void operator()(CameraCheckRun* r) const;
};
using CameraCheckPtr = std::unique_ptr<CameraCheckRun, CameraCheckDeleter>;
void camera_check_step(ui::AppState& s, CameraCheckPtr& run);

// The Settings screen's lens profile, while s.settings_ui.calibrating: runs `s.program
// calibrate camera --source SOURCE --out FILE` (the command itself, so the same code and the
// same words) as a child process, and each call adds the lines it printed meanwhile. When it
// ends: the exit status, and on success the profile filled in for the teacher to save.
struct CalibrationRun;
struct CalibrationDeleter {
  void operator()(CalibrationRun* r) const;
};
using CalibrationPtr = std::unique_ptr<CalibrationRun, CalibrationDeleter>;
void calibration_step(ui::AppState& s, CalibrationPtr& run);

}  // namespace cardpoll::app
