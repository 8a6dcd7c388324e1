// cardpoll questions: import question sets (CSV, Aiken, GIFT, Moodle XML), list and show them.
#include <cstdio>

#include "app/cli.h"
#include "app/cmd_corrections.h"
#include "app/cmd_data.h"
#include "core/exchange/import_db.h"
#include "core/exchange/import_questions.h"
#include "core/teacher_tasks.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll questions import --set NAME [--format auto|csv|aiken|gift|xml] [--append] FILE\n"
    "       cardpoll questions list\n"
    "       cardpoll questions show NAME\n"
    "\n"
    "import   Reads questions into a new question set. Formats: CSV (columns question,\n"
    "         A..D or choice columns, answer, skills), Moodle Aiken, Moodle GIFT (multiple\n"
    "         choice, true/false, percentage weights) and Moodle XML (multichoice with one\n"
    "         right answer, truefalse). The format comes from the extension (.csv, .aiken,\n"
    "         .gift, .xml; .txt by content) unless --format says. Moodle's HTML is cleaned for\n"
    "         the projector. A question cardpoll cannot ask (more than four choices, several\n"
    "         right answers, short answer, essay, matching...) is skipped with a warning\n"
    "         naming FILE:LINE and the rest imports; a file with nothing to ask is refused.\n"
    "         All or nothing otherwise: when a question is malformed nothing is stored and\n"
    "         the error names FILE:LINE.\n"
    "  --set NAME       the question set to create\n"
    "  --append         add the questions after those of an existing set NAME instead\n"
    "  --format F       auto (default), csv, aiken, gift or xml (Moodle XML)\n"
    "list     Every question set with its number of questions.\n"
    "show     The questions of a set: number, text, choices (* = right), skills.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

int run_import(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"set", true}, {"format", true}, {"append"}});
  if (a.positional.size() != 1) throw UsageError("questions import needs exactly one FILE");
  QuestionStoreOptions o;
  o.set_name = require_option(a, "set", "NAME");
  o.append = a.has("append");
  QuestionFormat format = QuestionFormat::Auto;
  try {
    format = question_format_from_name(a.get_or("format", "auto"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--format: ") + e.what());
  }
  // The same task, and the same words, as the app's Questions screen (core/teacher_tasks.h).
  Database db = open_class_database(ctx);
  const TaskReport r = import_questions_task(db, a.positional[0], format, o);
  if (!r.ok()) throw std::runtime_error(r.error);
  for (const auto& w : r.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  std::printf("%s\n", r.summary.c_str());
  return 0;
}

int run_list(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  const auto sets = list_question_sets(db);
  if (sets.empty()) {
    std::printf("no question sets yet (cardpoll questions import --set NAME FILE)\n");
    return 0;
  }
  std::printf("%-40s %9s\n", "question set", "questions");
  for (const auto& s : sets) std::printf("%-40s %9d\n", s.set.name.c_str(), s.questions);
  return 0;
}

int run_show(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (a.positional.size() != 1) throw UsageError("questions show needs one set NAME");
  Database db = open_class_database(ctx);
  const QuestionSet set = require_question_set(db, a.positional[0]);
  std::printf("question set \"%s\", %zu questions\n", set.name.c_str(), set.questions.size());
  for (const auto& q : set.questions) {
    std::printf("\n%d. %s%s\n", q.position, q.text.c_str(), q.correct ? "" : "   (survey: no right answer)");
    for (size_t i = 0; i < q.choices.size(); ++i)
      std::printf("   %c%c %s\n", q.correct && static_cast<size_t>(*q.correct) == i ? '*' : ' ',
                  answer_letter(static_cast<Answer>(i)), q.choices[i].c_str());
    if (!q.skills.empty()) std::printf("   skills: %s\n", join_words(q.skills, ", ").c_str());
    if (!q.image_path.empty()) std::printf("   image: %s\n", q.image_path.c_str());
  }
  return 0;
}

int run_questions(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("questions needs an action: import, list or show");
  const std::string action = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (action == "import") return run_import(ctx, rest);
  if (action == "list") return run_list(ctx, rest);
  if (action == "show") return run_show(ctx, rest);
  if (const int rc = run_questions_correction(ctx, action, rest); rc >= 0) return rc;
  throw UsageError("unknown action '" + action + "' (import, list, show)");
}

const bool registered =
    register_command({"questions", "import question sets (CSV, Aiken, GIFT, Moodle XML), list and show them", std::string(kUsage) + "\nCorrections:\n" + questions_corrections_usage(), run_questions});

}  // namespace
}  // namespace cardpoll::app
