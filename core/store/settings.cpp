#include "core/store/settings.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/store/atomic_file.h"
#include "core/csv.h"
#include "core/deck.h"
#include "core/paths.h"

namespace cardpoll {

std::filesystem::path settings_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::filesystem::path(xdg) / "cardpoll" / "settings.conf";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::filesystem::path(home) / ".config" / "cardpoll" / "settings.conf";
  return "cardpoll-settings.conf";
}

Settings parse_settings(const std::string& text, const std::string& file_name) {
  Settings s;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string t = trim_blanks(line);
    if (t.empty() || t[0] == '#') continue;
    const auto eq = t.find('=');
    if (eq == std::string::npos || trim_blanks(t.substr(0, eq)).empty())
      throw std::runtime_error(file_name + ":" + std::to_string(n) + ": expected \"key = value\", found \"" + t + "\"");
    const std::string key = trim_blanks(t.substr(0, eq)), value = trim_blanks(t.substr(eq + 1));
    if (key == "database") {
      s.database = value;
    } else if (key == "deck") {
      if (!value.empty() && !find_deck(value))
        throw std::runtime_error(file_name + ":" + std::to_string(n) + ": deck " + value +
                                 ": no such deck (decks: " + deck_names() + ")");
      s.deck = value.empty() ? "classroom" : value;
    } else if (key == "camera-profile") {
      s.camera_profile = value;
    } else if (key == "school-server") {
      s.school_server = value;
    } else {
      s.other.emplace_back(key, value);
    }
  }
  return s;
}

Settings load_settings(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    throw std::runtime_error(path.string() + ": cannot read (" + std::strerror(errno) + ")");
  }
  std::stringstream buf;
  buf << f.rdbuf();
  return parse_settings(buf.str(), path.string());
}

std::string settings_text(const Settings& s) {
  std::string out = "# cardpoll settings (written by cardpoll app; one \"key = value\" a line)\n";
  out += "database = " + s.database + "\n";
  out += "deck = " + s.deck + "\n";
  out += "camera-profile = " + s.camera_profile + "\n";
  if (!s.school_server.empty()) out += "school-server = " + s.school_server + "\n";
  for (const auto& [k, v] : s.other) out += k + " = " + v + "\n";
  return out;
}

void save_settings(const std::filesystem::path& path, const Settings& s) {
  for (const std::string* v : {&s.database, &s.deck, &s.camera_profile, &s.school_server})
    if (v->find('\n') != std::string::npos) throw std::runtime_error("a setting cannot hold a line break");
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const std::string text = settings_text(s);
  replace_file_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) throw std::runtime_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
  });
}

std::filesystem::path database_path(const Settings& s) {
  return s.database.empty() ? default_database_path() : std::filesystem::path(s.database);
}

}  // namespace cardpoll
