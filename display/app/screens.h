// The app's screens, one file each. Each draws the AppState it is handed and calls core
// functions (or app_tasks.h) for every change; none keeps state of its own.
#pragma once

#include "display/app/app_state.h"

namespace cardpoll::ui {

void draw_classes(AppState& s);
void draw_questions(AppState& s);
void draw_lesson(AppState& s);
void draw_results(AppState& s);
void draw_settings(AppState& s);

// The whole window: the screen list on the left, the chosen screen, the file chooser.
void draw_app(AppState& s);

}  // namespace cardpoll::ui
