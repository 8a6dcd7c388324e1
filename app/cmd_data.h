// Small helpers shared by the class-data commands (cmd_class, cmd_questions, cmd_session,
// cmd_export): opening the database named by --db and reading common option values.
#pragma once

#include <charconv>
#include <ctime>
#include <string>

#include "app/cli.h"
#include "core/store/db.h"
#include "core/store/storage.h"

namespace cardpoll::app {

inline Database open_class_database(const Context& ctx) { return Database(ctx.db); }

// A required option: UsageError naming it when missing or empty.
inline std::string require_option(const ParsedArgs& a, const std::string& name, const std::string& what) {
  auto v = a.get(name);
  if (!v || v->empty()) throw UsageError("--" + name + " " + what + " is required");
  return *v;
}

inline int64_t parse_whole_number(const std::string& text, const std::string& what) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < 0)
    throw UsageError(what + " " + text + ": expected a whole number");
  return v;
}

// "12" or "latest": the newest session with at least one ask (of --class when given), so a
// session started only to show groups, or left empty, is never what "latest" exports.
// The commands that run a session by hand (record, ask, close...) pass any_session: for them
// latest is the newest session, asks or not (the one `session start` just made).
inline Session resolve_session(Database& db, const std::string& word, std::optional<Id> class_id = std::nullopt,
                               bool any_session = false) {
  if (word == "latest" && any_session) {
    auto s = latest_session(db, class_id);
    if (!s) throw std::runtime_error("there are no sessions yet in " + db.path().string());
    return *s;
  }
  if (word == "latest") {
    const auto all = list_session_summaries(db, class_id);
    for (const auto& s : all)
      if (s.asks > 0) return s.session;
    throw std::runtime_error(all.empty() ? "there are no sessions yet in " + db.path().string()
                                         : "no session in " + db.path().string() +
                                               " has asked a question yet (see cardpoll session list)");
  }
  const Id id = parse_whole_number(word, "session");
  auto s = find_session(db, id);
  if (!s) throw std::runtime_error("no session " + word + " in " + db.path().string() + " (see cardpoll session list)");
  return *s;
}

// "2026-03-04 09:15" in local time, for people.
inline std::string local_time_text(TimeMs t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// " --db 'PATH'" when --db was given (quoted for a POSIX shell), else "": for the commands
// cardpoll prints for the teacher to run next.
inline std::string db_option_text(const Context& ctx) {
  if (!ctx.db_given) return "";
  std::string q = "'";
  for (char c : ctx.db.string()) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return " --db " + q + "'";
}

inline std::string join_words(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

}  // namespace cardpoll::app
