// The app's own file chooser, over std::filesystem: folders first, then the files of the
// wanted types, both by name ignoring case; hidden files left out. The listing and the
// choosing are plain functions; draw_file_chooser() is the ImGui window.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "display/app/app_state.h"

namespace cardpoll::ui {

struct FolderEntry {
  std::string name;
  bool folder = false;
};

// Throws std::runtime_error naming the folder when it cannot be read.
std::vector<FolderEntry> list_folder(const std::filesystem::path& folder, const std::vector<std::string>& extensions);

// What the typed name means: an absolute path, "~/..." under $HOME, else a name in `folder`.
std::filesystem::path resolve_typed_path(const std::filesystem::path& folder, const std::string& typed);

// Opens the chooser for `purpose` at the app's last folder.
void open_chooser(AppState& s, const std::string& purpose, const std::string& title, bool saving,
                  std::vector<std::string> extensions, const std::string& suggested_name = "");
// The Open/Save button: checks the typed name (an existing file to open; a file in an existing
// folder to save, with the first extension added when it has none) and sets `chosen`, or
// sets `error`. Returns true when a file was chosen (the chooser closes).
bool accept_chooser(AppState& s);
// The file the teacher chose for `purpose`, once (consumed).
std::optional<std::filesystem::path> take_chosen(AppState& s, const std::string& purpose);

void draw_file_chooser(AppState& s);

}  // namespace cardpoll::ui
