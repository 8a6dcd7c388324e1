// The lesson the app's Lesson screen asked for (state.lesson_request), run with `cardpoll
// live`'s code while the app window waits hidden; afterwards the app shows that session's
// Results (or the Lesson screen with the reason it could not start).
#pragma once

#include "display/app/app_state.h"
#include "display/app/app_window.h"

namespace cardpoll::app {

void run_requested_lesson(ui::AppState& s, ui::AppWindow& w);

}  // namespace cardpoll::app
