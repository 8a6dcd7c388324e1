// The push to the school server and its status, as lines of words: `cardpoll sync` prints them,
// the app's Settings screen shows them (handed over as std::function, so display/ knows nothing
// of PostgreSQL). One set of words and rules for both.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "school/server.h"

namespace cardpoll::app {

struct SchoolPushOptions {
  std::string address;                      // checked first: a password in it is refused
  int64_t batch_entries = 2000;
  std::function<void(const std::string&)> progress;  // "sync: N of M changes on the server"
  school::PasswordPrompt password;          // when libpq found none (terminal, or the app's field)
};

// Pushes the database at `db` to the server; the result lines `cardpoll sync` prints. Throws
// school::ServerError (teacher-worded) on any failure; nothing half-applied (school/push.h).
std::vector<std::string> push_to_school(const std::filesystem::path& db, const SchoolPushOptions& o);

// What `cardpoll sync --status [--to ADDRESS]` prints: with an address, what that server lacks
// from this database; without, since each recorded push.
std::vector<std::string> school_status(const std::filesystem::path& db, const std::optional<std::string>& address,
                                       const school::PasswordPrompt& password);

}  // namespace cardpoll::app
