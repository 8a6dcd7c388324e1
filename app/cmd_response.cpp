// cardpoll response set: correct one student's answer after the lesson (kept in the history).
// cardpoll ask key: change an ask's right answer, or make it a survey; every score follows.
#include <cstdio>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/store/corrections.h"
#include "core/teacher_tasks.h"

namespace cardpoll::app {
namespace {

const char* const kResponseUsage =
    "Usage: cardpoll response set --session ID|latest --ask N --student NAME --answer A|B|C|D|none\n"
    "                             [--by WHO]\n"
    "\n"
    "Sets a student's answer to ask N of an ended session (a misread card, an answer given on\n"
    "paper), or clears it (none: the student did not answer). The old answer stays in the\n"
    "history with who changed it (--by, default the login name) and when; every export and\n"
    "report counts the new one. NAME: the display name, \"first last\" or #CARD.\n"
    "While a session is still open, type answers in with cardpoll session record.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

const char* const kAskUsage =
    "Usage: cardpoll ask key --session ID|latest --ask N --answer A|B|C|D|none [--by WHO]\n"
    "\n"
    "Changes the right answer of the question asked as ask N (none: a survey, never scored).\n"
    "The key belongs to the question, so every session that asked it is scored again; the\n"
    "command lists them. Kept in the history with who and when.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

std::optional<Answer> parse_answer_or_none(const std::string& w) {
  if (w == "none" || w == "NONE" || w == "None") return std::nullopt;
  if (w.size() == 1) {
    const char c = w[0] >= 'a' && w[0] <= 'd' ? static_cast<char>(w[0] - 32) : w[0];
    if (auto a = answer_from_letter(c)) return *a;
  }
  throw UsageError("--answer " + w + ": expected A, B, C, D or none");
}

// The task's words (the same the app shows), or its refusal as the command's error.
void say(const TaskReport& r) {
  if (!r.ok()) throw std::runtime_error(r.error);
  std::printf("%s\n", r.summary.c_str());
}

// The student NAME of the session's class: the roster first, then anyone who answered in it.
Student session_student(Database& db, const Session& s, const std::string& name) {
  const ClassInfo k = *find_class(db, s.class_id);
  if (!name.empty() && name[0] == '#') {
    const int card = static_cast<int>(parse_whole_number(name.substr(1), "card"));
    if (auto st = find_student_by_card(db, k.id, card)) return *st;
    throw std::runtime_error("no student of class \"" + k.name + "\" holds card " + std::to_string(card));
  }
  if (auto st = find_student_by_name(db, k.id, name)) return *st;
  for (const auto& st : load_session_data(db, s.id).students)
    if (st.display_name == name) return st;
  std::string names;
  for (const auto& st : list_students(db, k.id)) names += (names.empty() ? "" : ", ") + st.display_name;
  throw std::runtime_error("no student named \"" + name + "\" in class \"" + k.name + "\" (students: " +
                           (names.empty() ? "none" : names) + ")");
}

int run_response(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "set") throw UsageError("response needs the action set");
  const auto a = parse_args({args.begin() + 1, args.end()},
                            {{"session", true}, {"ask", true}, {"student", true}, {"answer", true}, {"by", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string session_word = require_option(a, "session", "ID");
  const int n = a.get_int("ask", 0, 1, 1000000);
  if (n == 0) throw UsageError("--ask N is required");
  const std::string name = require_option(a, "student", "NAME");
  const auto answer = parse_answer_or_none(require_option(a, "answer", "A|B|C|D|none"));
  Database db = open_class_database(ctx);
  const Session s = resolve_session(db, session_word);
  const Student st = session_student(db, s, name);
  say(correct_answer_task(db, s.id, n, st.id, answer, a.get_or("by", default_corrector())));
  return 0;
}

int run_ask(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "key") throw UsageError("ask needs the action key");
  const auto a = parse_args({args.begin() + 1, args.end()}, {{"session", true}, {"ask", true}, {"answer", true}, {"by", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string session_word = require_option(a, "session", "ID");
  const int n = a.get_int("ask", 0, 1, 1000000);
  if (n == 0) throw UsageError("--ask N is required");
  const auto key = parse_answer_or_none(require_option(a, "answer", "A|B|C|D|none"));
  Database db = open_class_database(ctx);
  const Session s = resolve_session(db, session_word);
  say(correct_key_task(db, s.id, n, key, a.get_or("by", default_corrector())));
  return 0;
}

const bool registered_response =
    register_command({"response", "correct a student's answer after the lesson", kResponseUsage, run_response});
const bool registered_ask =
    register_command({"ask", "change an ask's right answer (or make it a survey)", kAskUsage, run_ask});

}  // namespace
}  // namespace cardpoll::app
