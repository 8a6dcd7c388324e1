// cardpoll sync: push this database to the school's PostgreSQL server; --status: what is not
// pushed yet. The words are app/school_sync.h's (the app shows the same); the work school/push.h's.
#include <cstdio>

#include "app/cli.h"
#include "app/school_sync.h"
#include "school/server.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll sync --to ADDRESS [--batch N] [--quiet]\n"
    "       cardpoll sync --status [--to ADDRESS]\n"
    "\n"
    "Sends this computer's classes, students, question sets, sessions, answers, their history and\n"
    "every correction to the school's PostgreSQL server, so school reports can compare classes\n"
    "(cardpoll school report). Everything stays on this computer too; lessons never need the server.\n"
    "\n"
    "--to ADDRESS   postgresql://USER@HOST/DATABASE (also ?sslmode=require, ?host=/socket/folder)\n"
    "               or a service name from ~/.pg_service.conf: service=NAME\n"
    "               Never put the password in the address (cardpoll refuses it): put it in\n"
    "               ~/.pgpass (or the file PGPASSFILE names) or the service file, or type it when\n"
    "               cardpoll asks. Encryption (TLS) is used when the server offers it (sslmode=prefer;\n"
    "               sslmode=require or verify-full in the address or service to insist).\n"
    "--status       what has changed here since the last push to each server (with --to: since\n"
    "               what that server has from this computer)\n"
    "--batch N      changes sent per server transaction (default 2000)\n"
    "--quiet        no progress lines\n"
    "\n"
    "Safe to run again at any time: nothing is ever sent twice, a push cut off (network, power,\n"
    "Ctrl-C, the server restarting) goes on from where it stopped, and many computers may push at\n"
    "once. Corrections made after a push travel on the next one. See docs/school.md.\n"
    "\n"
    "Global: --db PATH (the class database). Exit 0 done, 1 failure, 2 bad command line.\n";

int run_sync(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"to", true}, {"status", false}, {"batch", true}, {"quiet", false}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const auto to = a.get("to");
  if (to) school::check_address(*to);  // before anything else: a password must not get further
  if (a.has("status")) {
    for (const auto& l : school_status(ctx.db, to, school::ask_password_on_terminal)) std::printf("%s\n", l.c_str());
    return 0;
  }
  if (!to) throw UsageError("--to ADDRESS is required (or --status)");
  SchoolPushOptions o;
  o.address = *to;
  o.batch_entries = a.get_int("batch", 2000, 1, 1000000);
  if (!a.has("quiet")) o.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  o.password = school::ask_password_on_terminal;
  for (const auto& l : push_to_school(ctx.db, o)) std::printf("%s\n", l.c_str());
  return 0;
}

const bool registered = register_command({"sync", "push classes and answers to the school's server", kUsage, run_sync});

}  // namespace
}  // namespace cardpoll::app
