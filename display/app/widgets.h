// Small drawing helpers every screen uses (ImGui): headings, the report of the last task,
// and naming the widget just drawn so tests and docs can find it.
#pragma once

#include <string>

#include "display/app/app_state.h"

struct ImFont;

namespace cardpoll::ui {

struct AppFonts {
  ImFont* body = nullptr;
  ImFont* heading = nullptr;
  ImFont* small = nullptr;
};
AppFonts& app_fonts();

// Remembers where the last ImGui item was drawn, as s.widgets[id].
void mark(AppState& s, const std::string& id);
void heading(const char* text);
// The last task's words: the error in red, warnings in amber, the summary in green.
void draw_report(AppState& s, const TaskReport& r, const std::string& id);
// A white, bordered panel (lists, tables) on the page's paper colour.
bool begin_panel(const char* id, float width, float height = 0);
void end_panel();
// A muted line of help text that wraps.
void hint(const char* text);

// A field for a new name with its Rename button, and a Delete button that asks once more
// (`confirming`); widgets "<id>.rename", "<id>.rename_ok", "<id>.delete", "<id>.delete_confirm".
enum class RenameOrDelete { Nothing, Rename, Delete };
RenameOrDelete rename_or_delete(AppState& s, const std::string& id, std::string& new_name, bool& confirming,
                                const char* delete_warning);

}  // namespace cardpoll::ui
