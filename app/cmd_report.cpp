// cardpoll report student|class: reports over several sessions of a class, as HTML or PDF.
#include <cstdio>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/local_time.h"
#include "core/exchange/report.h"
#include "display/print/report_pdf.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll report student --class NAME --student NAME [--from DATE] [--to DATE]\n"
    "                              [--format html|pdf] --out PATH\n"
    "       cardpoll report class --class NAME [--from DATE] [--to DATE] [--format html|pdf] --out PATH\n"
    "\n"
    "student  One student over the period: every answer (when, question, answer, right answer,\n"
    "         right or wrong), and each skill over time (right answers per session, and where\n"
    "         the student stands now): for a parent meeting or a student conference.\n"
    "         NAME: display name, \"first last\" or #CARD.\n"
    "class    The class over the period: each session, each student per session and overall,\n"
    "         each skill per session.\n"
    "--from / --to DATE: YYYY-MM-DD (local time; --to includes that day). Default: every session.\n"
    "--format html (default): one self-contained page; pdf: A4 for printing.\n"
    "Questions without skill tags count as their own skill (\"set Qn\"). Times are local.\n"
    "Written atomically: PATH is the old file or the whole new one.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

TimeMs parse_date(const std::string& text, const std::string& what) {
  auto t = parse_local_time(text);
  if (!t || text.size() != 10) throw UsageError(what + " " + text + ": expected a date YYYY-MM-DD");
  return *t;
}

int run_report(const Context& ctx, const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "student" && args[0] != "class"))
    throw UsageError("report needs what to report on: student or class");
  const bool student = args[0] == "student";
  const auto a = parse_args({args.begin() + 1, args.end()},
                            {{"class", true}, {"student", true}, {"from", true}, {"to", true}, {"format", true}, {"out", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string class_name = require_option(a, "class", "NAME");
  const std::string out = require_option(a, "out", "PATH");
  const std::string format = a.get_or("format", "html");
  if (format != "html" && format != "pdf") throw UsageError("--format " + format + ": expected html or pdf");
  if (student) require_option(a, "student", "NAME");
  if (!student && a.has("student")) throw UsageError("--student is for cardpoll report student");
  TimeRange range;
  if (auto f = a.get("from")) range.from = parse_date(*f, "--from");
  if (auto t = a.get("to")) range.to = parse_date(*t, "--to") + 24LL * 3600 * 1000;  // the whole day
  if (range.from && range.to && *range.to <= *range.from) throw UsageError("--to is before --from");

  Database db = open_class_database(ctx);
  const ClassInfo k = require_class(db, class_name);
  std::vector<SessionData> sessions;
  for (const auto& s : list_sessions(db, k.id)) {
    if (range.to && s.started_at >= *range.to) continue;
    SessionData d = load_session_data(db, s.id);
    bool any = false;
    for (const auto& x : d.asks) any = any || range.contains(x.opened_at);
    if (any) sessions.push_back(std::move(d));
  }
  if (sessions.empty())
    throw std::runtime_error("class \"" + k.name + "\" has no session with a question asked" +
                             (range.from || range.to ? std::string(" in that period") : std::string()));
  Report r;
  if (student) {
    const std::string name = *a.get("student");
    std::optional<Student> st;
    if (!name.empty() && name[0] == '#') st = find_student_by_card(db, k.id, static_cast<int>(parse_whole_number(name.substr(1), "card")));
    else st = find_student_by_name(db, k.id, name);
    if (!st)
      for (const auto& d : sessions)
        for (const auto& x : d.students)
          if (x.display_name == name) st = x;
    if (!st) throw std::runtime_error("no student named \"" + name + "\" in class \"" + k.name + "\" (see cardpoll class show)");
    r = student_report(sessions, st->id, range);
  } else {
    r = class_report(sessions, range);
  }
  if (format == "pdf") print::write_report_pdf(out, r);
  else write_file_atomically(out, report_html(r));
  std::fprintf(stderr, "wrote %s (%s report, %zu sessions)\n", out.c_str(), student ? "student" : "class", sessions.size());
  return 0;
}

const bool registered = register_command(
    {"report", "reports over several sessions: one student's, or the class's (HTML or PDF)", kUsage, run_report});

}  // namespace
}  // namespace cardpoll::app
