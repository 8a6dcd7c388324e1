// cardpoll class: import a roster, list classes, show a class, give a student a card.
#include <cstdio>

#include "app/cli.h"
#include "app/cmd_corrections.h"
#include "app/cmd_data.h"
#include "core/exchange/import_db.h"
#include "core/exchange/import_roster.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll class import --class NAME [--deck DECK] [--replace] [--first-card N] FILE\n"
    "       cardpoll class list\n"
    "       cardpoll class show NAME\n"
    "       cardpoll class assign --class NAME --student STUDENT --card N\n"
    "\n"
    "import   Reads a roster CSV (a spreadsheet or school-system export: a header naming a\n"
    "         name column or first/last columns, optional card, tags, student id and email\n"
    "         columns; UTF-8 with or without BOM; ',' ';' or tab separated) into the class,\n"
    "         creating it when new. Exports of PowerSchool, Infinite Campus, Skyward, Google\n"
    "         Classroom, Canvas, Moodle, OneRoster and Microsoft SDS are read as they are, with\n"
    "         English, French, Spanish or German headers; rows that are not students (Canvas's\n"
    "         \"Points Possible\", test students, teachers and guardians) are skipped and listed.\n"
    "         All or nothing: when any row is bad, nothing is stored and the error names\n"
    "         FILE:LINE. Cards must be unique in the class and inside the class's deck.\n"
    "         Into an existing class the file is MERGED by student id or name: matched students\n"
    "         keep their past answers and take the file's names, tags and cards; students not\n"
    "         in the file stay. With --replace they leave the roster instead (their past\n"
    "         answers are kept in past sessions). Without a card column, new students get the\n"
    "         lowest free cards (a new class: 1, 2, 3... from --first-card).\n"
    "  --class NAME      the class (created when it does not exist)\n"
    "  --deck DECK       the card deck of a new class (default classroom; see cardpoll decks).\n"
    "                    plickers: the class already has Plickers-format cards (cards 1-63,\n"
    "                    or 1-40 for the smaller set): give each student the number printed on\n"
    "                    their card. That deck is read more strictly (distance 2), and its\n"
    "                    cards must not be used in a room with classroom cards.\n"
    "  --replace         make the file the whole roster of an existing class\n"
    "  --first-card N    first card for sequential assignment in a new class (default 1)\n"
    "list     Every class with its deck and number of students.\n"
    "show     The students of a class: card, name, student id, email, tags.\n"
    "assign   Gives STUDENT (display name or \"first last\") card N; N = 0 takes the card away.\n"
    "         Refused when another student of the class holds N or N is outside the deck.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

int run_import(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"deck", true}, {"replace"}, {"first-card", true}});
  if (a.positional.size() != 1) throw UsageError("class import needs exactly one roster FILE");
  RosterStoreOptions o;
  o.class_name = require_option(a, "class", "NAME");
  o.deck = a.get_or("deck", "");
  o.replace = a.has("replace");
  RosterOptions ro;
  ro.first_card = a.get_int("first-card", 1, 1, 1000000);
  if (!o.deck.empty() && !find_deck(o.deck))
    throw UsageError("--deck " + o.deck + ": no such deck (decks: " + deck_names() + ")");
  // Parse first (no database needed), then open and store in one transaction.
  const RosterImport roster = import_roster_file(a.positional[0], ro);
  Database db = open_class_database(ctx);
  const RosterStoreResult r = store_roster(db, roster, o);
  for (const auto& w : roster.skipped)
    std::fprintf(stderr, "skipped: %s\n", format_warning(roster.file, w).c_str());
  if (!roster.skipped.empty())
    std::fprintf(stderr, "%zu row%s skipped: not students\n", roster.skipped.size(), roster.skipped.size() == 1 ? "" : "s");
  for (const auto& w : roster.warnings)
    std::fprintf(stderr, "warning: %s\n", format_warning(roster.file, w).c_str());
  std::printf("%s class \"%s\" (deck %s): %d added, %d updated, %d unchanged", r.created_class ? "created" : "updated",
              r.klass.name.c_str(), r.klass.deck.c_str(), r.added, r.updated, r.unchanged);
  if (r.kept) std::printf(", %d not in the file kept", r.kept);
  if (r.removed) std::printf(", %d not in the file removed from the roster", r.removed);
  std::printf("\n");
  return 0;
}

int run_list(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  Database db = open_class_database(ctx);
  const auto classes = list_classes(db);
  if (classes.empty()) {
    std::printf("no classes yet (cardpoll class import --class NAME roster.csv)\n");
    return 0;
  }
  std::printf("%-30s %-10s %8s\n", "class", "deck", "students");
  for (const auto& k : classes)
    std::printf("%-30s %-10s %8zu\n", k.name.c_str(), k.deck.c_str(), list_students(db, k.id).size());
  return 0;
}

int run_show(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (a.positional.size() != 1) throw UsageError("class show needs one class NAME");
  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, a.positional[0]);
  const auto students = list_students(db, k.id);
  std::printf("class \"%s\", deck %s, %zu students\n", k.name.c_str(), k.deck.c_str(), students.size());
  std::printf("%5s  %-30s %-12s %-32s %s\n", "card", "student", "student id", "email", "tags");
  for (const auto& s : students)
    std::printf("%5s  %-30s %-12s %-32s %s\n", s.card ? std::to_string(s.card).c_str() : "-", s.display_name.c_str(),
                s.sis_id.c_str(), s.email.c_str(), join_words(s.tags, " ").c_str());
  return 0;
}

int run_assign(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"student", true}, {"card", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string class_name = require_option(a, "class", "NAME");
  const std::string student = require_option(a, "student", "NAME");
  const int card = a.get_int("card", -1, 0, 1000000);
  if (card < 0) throw UsageError("--card N is required (0 takes the card away)");
  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, class_name);
  const auto s = find_student_by_name(db, k.id, student);
  if (!s) throw std::runtime_error("no student \"" + student + "\" in class \"" + k.name + "\" (see cardpoll class show)");
  assign_card(db, s->id, card);
  if (card == 0) std::printf("%s holds no card now\n", s->display_name.c_str());
  else std::printf("%s holds card %d in class \"%s\"\n", s->display_name.c_str(), card, k.name.c_str());
  return 0;
}

int run_class(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("class needs an action: import, list, show or assign");
  const std::string action = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (action == "import") return run_import(ctx, rest);
  if (action == "list") return run_list(ctx, rest);
  if (action == "show") return run_show(ctx, rest);
  if (action == "assign") return run_assign(ctx, rest);
  if (const int rc = run_class_correction(ctx, action, rest); rc >= 0) return rc;
  throw UsageError("unknown action '" + action + "' (import, list, show, assign)");
}

const bool registered = register_command({"class", "import rosters, list and show classes, assign cards", std::string(kUsage) + "\nCorrections:\n" + class_corrections_usage(), run_class});

}  // namespace
}  // namespace cardpoll::app
