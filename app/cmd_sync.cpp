// cardpoll sync: push this database to the school's PostgreSQL server; --status: what is not
// pushed yet. The work is school/push.h's; this is wiring and words.
#include <unistd.h>

#include <cstdio>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/store/corrections.h"
#include "core/local_time.h"
#include "core/store/sync_log.h"
#include "school/push.h"
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

std::string laptop_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return default_corrector() + (host[0] ? std::string("@") + host : std::string());
}

std::string pending_words(const std::vector<PendingCount>& pending) {
  if (pending.empty()) return "everything is pushed";
  std::string s = "not yet pushed:";
  for (const auto& p : pending) s += " " + p.table + " " + std::to_string(p.rows) + ",";
  s.pop_back();
  return s;
}

int run_status(Database& db, const std::optional<std::string>& to) {
  if (to) {
    school::check_address(*to);
    auto c = school::connect(*to, school::ask_password_on_terminal);
    const auto [pushed, mark] = school::server_mark_of(*c, laptop_uid(db));
    int64_t seq = pushed;
    if (seq > 0 && change_mark(db, seq) != mark) {
      std::printf("%s: has changes from a different copy of this database (a restored backup?): the next push "
                  "sends everything again\n", to->c_str());
      seq = 0;
    }
    std::printf("%s: %s\n", to->c_str(), pending_words(pending_changes(db, seq)).c_str());
    return 0;
  }
  const auto pushes = list_pushes(db);
  if (pushes.empty()) {
    std::printf("never pushed to a school server: %s\n", pending_words(pending_changes(db, 0)).c_str());
    return 0;
  }
  for (const auto& p : pushes)
    std::printf("%s (last push %s): %s\n", p.server.c_str(), local_time_label(p.pushed_at).c_str(),
                pending_words(pending_changes(db, p.pushed_seq)).c_str());
  return 0;
}

int run_sync(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"to", true}, {"status", false}, {"batch", true}, {"quiet", false}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const auto to = a.get("to");
  if (to) school::check_address(*to);  // before anything else: a password must not get further
  Database db = open_class_database(ctx);
  if (a.has("status")) return run_status(db, to);
  if (!to) throw UsageError("--to ADDRESS is required (or --status)");
  school::PushOptions o;
  o.server = *to;
  o.laptop_name = laptop_name();
  o.batch_entries = a.get_int("batch", 2000, 1, 1000000);
  const bool quiet = a.has("quiet");
  if (!quiet)
    o.progress = [](int64_t done, int64_t total) {
      std::fprintf(stderr, "sync: %lld of %lld changes on the server\n", static_cast<long long>(done),
                   static_cast<long long>(total));
    };
  auto c = school::connect(*to, school::ask_password_on_terminal);
  const auto r = school::push(db, *c, o);
  if (r.full_resend)
    std::printf("the server had changes from a different copy of this database (a restored backup?): sent "
                "everything again; nothing is duplicated\n");
  if (r.batches == 0)
    std::printf("%s already has everything from this computer\n", to->c_str());
  else
    std::printf("pushed %lld rows (%lld of them deleted here) in %lld batches to %s: everything is pushed\n",
                static_cast<long long>(r.rows + r.deletions), static_cast<long long>(r.deletions),
                static_cast<long long>(r.batches), to->c_str());
  return 0;
}

const bool registered = register_command({"sync", "push classes and answers to the school's server", kUsage, run_sync});

}  // namespace
}  // namespace cardpoll::app
