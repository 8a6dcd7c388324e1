// The teacher's settings, kept between runs in one small text file (the app's Settings screen
// writes it; `cardpoll` reads it when no --db is given):
//
//   $XDG_CONFIG_HOME/cardpoll/settings.conf  (else ~/.config/cardpoll/settings.conf)
//
//   # cardpoll settings
//   database = /home/ana/school/cardpoll.db
//   deck = classroom
//   camera-profile = /home/ana/webcam.yml
//
// One "key = value" a line; '#' starts a comment line; unknown keys are kept as they are (a
// newer cardpoll may have written them). An empty or missing value means the default.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace cardpoll {

struct Settings {
  std::string database;        // "" = default_database_path()
  std::string deck = "classroom";  // the deck of classes made in the app
  std::string camera_profile;  // "" = none: a lens profile from `cardpoll calibrate camera`
  std::string school_server;   // "" = none: the address `cardpoll sync --to` takes (never a password)
  std::vector<std::pair<std::string, std::string>> other;  // unknown keys, kept
};

std::filesystem::path settings_path();

// Missing file: the defaults. Throws std::runtime_error naming file:line for a line that is
// not "key = value", or a deck that does not exist.
Settings load_settings(const std::filesystem::path& path);
Settings parse_settings(const std::string& text, const std::string& file_name);
std::string settings_text(const Settings& s);
// Written atomically (folders created). Throws naming the path.
void save_settings(const std::filesystem::path& path, const Settings& s);

// The database to use: `s.database` when set, else default_database_path().
std::filesystem::path database_path(const Settings& s);

}  // namespace cardpoll
