// cardpoll export: one session's answers as CSV for a spreadsheet or gradebook, as JSON, or
// as a self-contained HTML report. Written atomically: a failed export never leaves half a file.
#include <cstdio>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/export.h"

namespace cardpoll::app {
namespace {

std::string usage() {
  return "Usage: cardpoll export --session ID|latest [--class NAME] --format FORMAT --out PATH\n"
         "\n"
         "Writes one session's results to PATH (a temporary file then a rename: PATH is either\n"
         "the old file or the complete new one, never half written). FORMAT is one of " +
         export_format_names() +
         ":\n"
         "  responses   CSV, one row per student per ask (empty answer when none), header\n"
         "              session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at\n"
         "  scoresheet  CSV, a row per student, a column per ask, total and percent\n"
         "  json        everything of the session\n"
         "  html        one self-contained page: bar chart per question, student x skill heat map\n"
         "CSV cells are quoted per RFC 4180; cells starting with = + - @ are neutralised so a\n"
         "spreadsheet shows them as text.\n"
         "  --session ID|latest   the session (latest: the newest, of --class when given)\n"
         "  --class NAME          with latest: the newest session of this class\n"
         "  --out PATH            the file to write ('-' writes to standard output)\n"
         "\n"
         "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";
}

int run_export(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"session", true}, {"class", true}, {"format", true}, {"out", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const std::string session_word = require_option(a, "session", "ID|latest");
  const std::string format_word = require_option(a, "format", export_format_names());
  const std::string out = require_option(a, "out", "PATH");
  const auto format = export_format_from_name(format_word);
  if (!format) throw UsageError("--format " + format_word + ": expected one of " + export_format_names());
  Database db = open_class_database(ctx);
  std::optional<Id> class_id;
  if (auto c = a.get("class")) class_id = require_class(db, *c).id;
  const Session s = resolve_session(db, session_word, class_id);
  const SessionData data = load_session_data(db, s.id);
  const std::string text = export_session(data, *format);
  if (out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  write_file_atomically(out, text);
  std::fprintf(stderr, "wrote %s (%s, session %lld, %zu asks, %zu students)\n", out.c_str(),
               std::string(export_format_name(*format)).c_str(), static_cast<long long>(s.id), data.asks.size(),
               data.students.size());
  return 0;
}

const bool registered = register_command(
    {"export", "write a session's results as CSV, JSON or HTML", usage(), run_export});

}  // namespace
}  // namespace cardpoll::app
