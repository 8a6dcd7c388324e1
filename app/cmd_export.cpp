// cardpoll export: a session's answers as CSV for a spreadsheet, as JSON, as a self-contained
// HTML report, or scores in the file a gradebook (Canvas, Moodle, Google Classroom,
// PowerSchool) imports, for one session or several. Written atomically: a failed export never
// leaves half a file.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/exchange/export.h"
#include "core/local_time.h"
#include "core/exchange/export_gradebook.h"
#include "core/teacher_tasks.h"

namespace cardpoll::app {
namespace {

std::string usage() {
  return "Usage: cardpoll export --session ID|latest [--class NAME] --format FORMAT --out PATH\n"
         "       cardpoll export --format GRADEBOOK [--per session|ask] --out PATH\n"
         "                       (--session ID[,ID...]|latest | --class NAME --from DATE [--to DATE])\n"
         "\n"
         "Writes results to PATH (a temporary file then a rename: PATH is either the old file\n"
         "or the complete new one, never half written). FORMAT is one of " +
         export_format_names() + " (one session) or a gradebook, " + gradebook_names() +
         ":\n"
         "  responses   CSV, one row per student per ask (empty answer when none), header\n"
         "              session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at\n"
         "  scoresheet  CSV, a row per student, a column per ask, total and percent\n"
         "  json        everything of the session\n"
         "  html        one self-contained page: bar chart per question, student x skill heat map\n"
         "  canvas      Canvas Gradebook > Import: Student, ID, SIS User ID, SIS Login ID,\n"
         "              Section, a column per assignment, the Points Possible row\n"
         "  moodle      Moodle Grades > Import > CSV: ID number, Email address, names, a column\n"
         "              per grade item (map ID number or Email address to the user)\n"
         "  classroom   Google Classroom: Last Name, First Name, Email Address, points\n"
         "  powerschool PowerTeacher Pro score import: tab separated, Student Number, Student\n"
         "              Name, a column per assignment\n"
         "Gradebooks match students by the student id or email the class roster was imported\n"
         "with; an export that needs them and lacks them names the students.\n"
         "CSV cells are quoted per RFC 4180; cells starting with = + - @ are neutralised so a\n"
         "spreadsheet shows them as text.\n"
         "  --session ID|latest   the session (latest: the newest, of --class when given);\n"
         "                        gradebooks take several: --session 3,4,7\n"
         "  --class NAME          with latest: the newest session of this class; with --from:\n"
         "                        the class whose sessions to take\n"
         "  --from DATE --to DATE gradebooks: every session of --class started on these days\n"
         "                        (YYYY-MM-DD, local time, both included; --to defaults to --from)\n"
         "  --per session|ask     gradebooks: one assignment per session (points = right answers,\n"
         "                        default) or one per question asked (1 right, 0 wrong)\n"
         "  --out PATH            the file to write ('-' writes to standard output)\n"
         "\n"
         "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";
}

std::vector<Session> gradebook_sessions(Database& db, const ParsedArgs& a, std::optional<Id> class_id) {
  std::vector<Session> out;
  if (auto from = a.get("from")) {
    if (a.get("session")) throw UsageError("give --session or --from/--to, not both");
    if (!class_id) throw UsageError("--from needs --class NAME (whose sessions to export)");
    for (const std::string& day : {*from, a.get_or("to", *from)})
      if (day.size() != 10 || !parse_local_time(day)) throw UsageError("--from/--to " + day + ": expected a date YYYY-MM-DD");
    return sessions_on_days(db, *class_id, *from, a.get_or("to", *from));
  }
  const std::string word = require_option(a, "session", "ID[,ID...]|latest");
  size_t start = 0;
  for (;;) {
    const size_t comma = word.find(',', start);
    const std::string part = word.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (part.empty()) throw UsageError("--session " + word + ": an empty session number");
    out.push_back(resolve_session(db, part, class_id));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void write_out(const std::string& out, const std::string& text) {
  if (out == "-") std::fwrite(text.data(), 1, text.size(), stdout);
  else write_file_atomically(out, text);
}

int run_export(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}, {"class", true}, {"format", true}, {"out", true},
                                   {"per", true}, {"from", true}, {"to", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string format_word = require_option(a, "format", export_format_names() + "|" + gradebook_names());
  const std::string out = require_option(a, "out", "PATH");
  const auto format = export_format_from_name(format_word);
  const auto gradebook = gradebook_from_name(format_word);
  if (!format && !gradebook)
    throw UsageError("--format " + format_word + ": expected one of " + export_format_names() + "|" + gradebook_names());
  if (format && (a.get("per") || a.get("from") || a.get("to")))
    throw UsageError("--per, --from and --to are for gradebook formats (" + gradebook_names() + ")");
  Database db = open_class_database(ctx);
  std::optional<Id> class_id;
  if (auto c = a.get("class")) class_id = require_class(db, *c).id;

  if (format) {
    const std::string session_word = require_option(a, "session", "ID|latest");
    if (session_word.find(',') != std::string::npos)
      throw UsageError("--format " + format_word + " exports one session; several sessions go to a gradebook format");
    const Session s = resolve_session(db, session_word, class_id);
    if (out == "-") return write_out(out, export_session(load_session_data(db, s.id), *format)), 0;
    // The app's export task: the same file and the same words.
    const TaskReport r = export_session_task(db, s.id, *format, out);
    if (!r.ok()) throw std::runtime_error(r.error);
    std::fprintf(stderr, "%s\n", r.summary.c_str());
    return 0;
  }

  const std::string per_word = a.get_or("per", "session");
  if (per_word != "session" && per_word != "ask") throw UsageError("--per " + per_word + ": expected session or ask");
  const AssignmentPer per = per_word == "ask" ? AssignmentPer::Ask : AssignmentPer::Session;
  const std::vector<Session> sessions = gradebook_sessions(db, a, class_id);
  if (out == "-") {
    std::vector<SessionData> data;
    for (const Session& s : sessions) data.push_back(load_session_data(db, s.id));
    write_out(out, export_gradebook(data, *gradebook, per));
    return 0;
  }
  std::vector<Id> ids;
  for (const Session& s : sessions) ids.push_back(s.id);
  const TaskReport r = export_gradebook_task(db, ids, *gradebook, per, out);
  if (!r.ok()) throw std::runtime_error(r.error);
  std::fprintf(stderr, "%s\n", r.summary.c_str());
  return 0;
}

const bool registered = register_command(
    {"export", "write results as CSV, JSON, HTML or a gradebook import (Canvas, Moodle, Classroom, PowerSchool)",
     usage(), run_export});

}  // namespace
}  // namespace cardpoll::app
