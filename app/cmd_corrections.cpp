// cardpoll class|questions|session rename/delete, questions edit: corrections after the lesson.
#include "app/cmd_corrections.h"

#include <cstdio>
#include <sstream>

#include "app/cmd_data.h"
#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/teacher_tasks.h"

namespace cardpoll::app {

namespace {

std::string by_of(const ParsedArgs& a) { return a.get_or("by", default_corrector()); }

// The task's words (the same the app shows), or its refusal as the command's error.
int say(const TaskReport& r) {
  if (!r.ok()) throw std::runtime_error(r.error);
  std::printf("%s\n", r.summary.c_str());
  return 0;
}

// "a|b|c" -> {"a","b","c"} (trimmed; empty parts kept so a mistake is refused by name).
std::vector<std::string> split_bars(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, '|')) out.push_back(trim_blanks(cur));
  return out;
}

}  // namespace

std::string class_corrections_usage() {
  return "       cardpoll class rename --class NAME --to NEW [--by WHO]\n"
         "       cardpoll class delete --class NAME [--by WHO]\n"
         "rename   Renames the class (sessions and groupings stay with it).\n"
         "delete   Deletes the class, its students, sessions and groupings, after copying the\n"
         "         whole database next to it (the path is printed). Both are kept in the\n"
         "         corrections history (who: --by, default the login name).\n";
}

std::string questions_corrections_usage() {
  return "       cardpoll questions edit --set NAME --question N [--text T] [--choices 'A|B|C']\n"
         "                               [--skills a,b] [--by WHO]\n"
         "       cardpoll questions rename --set NAME --to NEW [--by WHO]\n"
         "       cardpoll questions delete --set NAME [--by WHO]\n"
         "edit     Changes question N's text, choices (2-4, separated by |) or skills (comma\n"
         "         separated; '' for none). Choices students already answered must stay. To\n"
         "         change the right answer use cardpoll ask key. Exports show the new text.\n"
         "rename   Renames the set.\n"
         "delete   Deletes a set no session used, after copying the database (path printed).\n";
}

std::string session_corrections_usage() {
  return "       cardpoll session rename --session ID --to NAME [--by WHO]\n"
         "       cardpoll session delete --session ID [--by WHO]\n"
         "rename   Gives the session a name (\"before the group work\"); --to '' clears it.\n"
         "delete   Deletes the session's asks, answers and history, after copying the whole\n"
         "         database next to it (the path is printed).\n"
         "Answers and keys are corrected with cardpoll response set and cardpoll ask key.\n";
}

int run_class_correction(const Context& ctx, const std::string& action, const std::vector<std::string>& args) {
  if (action != "rename" && action != "delete") return -1;
  const auto a = parse_args(args, {{"class", true}, {"to", true}, {"by", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string name = require_option(a, "class", "NAME");
  if (action == "rename") {
    const std::string to = require_option(a, "to", "NEW");
    Database db = open_class_database(ctx);
    const ClassInfo k = require_class(db, name);
    return say(rename_class_task(db, k.id, to, by_of(a)));
  }
  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, name);
  return say(delete_class_task(db, k.id, by_of(a)));
}

int run_questions_correction(const Context& ctx, const std::string& action, const std::vector<std::string>& args) {
  if (action != "rename" && action != "delete" && action != "edit") return -1;
  const auto a = parse_args(args, {{"set", true}, {"to", true}, {"by", true}, {"question", true}, {"text", true},
                                   {"choices", true}, {"skills", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string name = require_option(a, "set", "NAME");
  if (action == "edit") {
    const int n = a.get_int("question", 0, 1, 100000);
    if (n == 0) throw UsageError("--question N is required");
    QuestionEdit e;
    if (auto t = a.get("text")) e.text = *t;
    if (auto c = a.get("choices")) e.choices = split_bars(*c);
    if (auto k = a.get("skills")) {
      std::vector<std::string> skills;
      std::istringstream in(*k);
      std::string cur;
      while (std::getline(in, cur, ','))
        if (!trim_blanks(cur).empty()) skills.push_back(trim_blanks(cur));
      e.skills = skills;
    }
    if (!e.text && !e.choices && !e.skills) throw UsageError("give --text, --choices or --skills to change");
    Database db = open_class_database(ctx);
    const QuestionSet qs = require_question_set(db, name);
    const Question q = edit_question(db, qs.id, n, e, by_of(a), now_ms());
    std::printf("question %d of \"%s\" is now: %s\n", q.position, qs.name.c_str(), q.text.c_str());
    for (size_t i = 0; i < q.choices.size(); ++i)
      std::printf("  %c%c. %s\n", q.correct && static_cast<size_t>(*q.correct) == i ? '*' : ' ',
                  answer_letter(static_cast<Answer>(i)), q.choices[i].c_str());
    if (!q.skills.empty()) std::printf("  skills: %s\n", join_words(q.skills, ", ").c_str());
    return 0;
  }
  Database db = open_class_database(ctx);
  const QuestionSet qs = require_question_set(db, name);
  if (action == "rename") {
    const std::string to = require_option(a, "to", "NEW");
    return say(rename_question_set_task(db, qs.id, to, by_of(a)));
  }
  return say(delete_question_set_task(db, qs.id, by_of(a)));
}

int run_session_correction(const Context& ctx, const std::string& action, const std::vector<std::string>& args) {
  if (action != "rename" && action != "delete") return -1;
  const auto a = parse_args(args, {{"session", true}, {"to", true}, {"by", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string word = require_option(a, "session", "ID");
  if (action == "rename" && !a.has("to")) throw UsageError("--to NAME is required ('' clears the name)");
  Database db = open_class_database(ctx);
  const Session s = resolve_session(db, word);
  if (action == "rename") {
    return say(rename_session_task(db, s.id, *a.get("to"), by_of(a)));
  }
  return say(delete_session_task(db, s.id, by_of(a)));
}

}  // namespace cardpoll::app
