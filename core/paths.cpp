#include "core/paths.h"

#include <cstdlib>

namespace cardpoll {

std::filesystem::path default_database_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg) return std::filesystem::path(xdg) / "cardpoll" / "cardpoll.db";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::filesystem::path(home) / ".local" / "share" / "cardpoll" / "cardpoll.db";
  return "cardpoll.db";
}

}  // namespace cardpoll
