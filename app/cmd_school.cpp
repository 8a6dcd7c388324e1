// cardpoll school report: reports read from the school's PostgreSQL server (school/report.h).
#include <cstdio>
#include <pqxx/pqxx>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "school/report.h"
#include "school/server.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll school report --from ADDRESS --set NAME [--format html|csv|json] --out PATH\n"
    "       cardpoll school report --from ADDRESS --student ID [--format html|csv|json] --out PATH\n"
    "\n"
    "Reports over every class that pushed to the school's server (cardpoll sync).\n"
    "--set NAME     the same question set (quiz) across classes side by side: the share right of\n"
    "               each question in each class, then each class's item analysis (how each\n"
    "               question worked: discrimination, what low and high scorers chose, flags).\n"
    "--student ID   one student, by the school's student id (the roster's id column), across\n"
    "               classes and teachers: every session answered, and how many right.\n"
    "--from ADDRESS the server, as for cardpoll sync --to (postgresql://USER@HOST/DB or service=NAME;\n"
    "               never a password in it: ~/.pgpass, PGPASSFILE, the service file, or the prompt)\n"
    "--format       html (default, one self-contained page), csv (for a spreadsheet) or json\n"
    "Read only: the report opens a READ ONLY transaction and changes nothing on the server.\n"
    "Written atomically: PATH is the old file or the whole new one.\n"
    "\n"
    "Exit 0 done, 1 failure, 2 bad command line.\n";

int run_school(const Context&, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "report") throw UsageError("school needs what to do: report");
  const auto a = parse_args({args.begin() + 1, args.end()},
                            {{"from", true}, {"set", true}, {"student", true}, {"format", true}, {"out", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string from = require_option(a, "from", "ADDRESS");
  const std::string out = require_option(a, "out", "PATH");
  const std::string format = a.get_or("format", "html");
  if (format != "html" && format != "csv" && format != "json")
    throw UsageError("--format " + format + ": expected html, csv or json");
  if (a.has("set") == a.has("student")) throw UsageError("give either --set NAME or --student ID");
  school::check_address(from);
  auto c = school::connect(from, school::ask_password_on_terminal);
  std::string text, said;
  if (auto set = a.get("set")) {
    if (set->empty()) throw UsageError("--set NAME is empty");
    const auto r = school::load_set_report(*c, *set);
    text = school::render(r, format);
    said = "question set \"" + *set + "\" in " + std::to_string(r.classes.size()) + " classes";
  } else {
    const std::string id = require_option(a, "student", "ID");
    const auto r = school::load_student_report(*c, id);
    text = school::render(r, format);
    said = "student " + id + ", " + std::to_string(r.sessions.size()) + " sessions";
  }
  write_file_atomically(out, text);
  std::printf("%s: %s\n", out.c_str(), said.c_str());
  return 0;
}

const bool registered =
    register_command({"school", "school reports from the school's server: a quiz across classes, a student", kUsage,
                      run_school});

}  // namespace
}  // namespace cardpoll::app
