// The push and the status in words (app/school_sync.h): the code `cardpoll sync` ran, now shared
// with the app. The work itself is school/push.h's.
#include "app/school_sync.h"

#include <unistd.h>

#include "core/local_time.h"
#include "core/store/corrections.h"
#include "core/store/db.h"
#include "core/store/sync_log.h"
#include "school/push.h"

namespace cardpoll::app {
namespace {

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

}  // namespace

std::vector<std::string> school_status(const std::filesystem::path& db_path, const std::optional<std::string>& to,
                                       const school::PasswordPrompt& password) {
  if (to) school::check_address(*to);  // before the database is even opened
  Database db(db_path);
  std::vector<std::string> lines;
  if (to) {
    auto c = school::connect(*to, password);
    const auto [pushed, mark] = school::server_mark_of(*c, laptop_uid(db));
    int64_t seq = pushed;
    if (seq > 0 && change_mark(db, seq) != mark) {
      lines.push_back(*to + ": has changes from a different copy of this database (a restored backup?): the next "
                      "push sends everything again");
      seq = 0;
    }
    lines.push_back(*to + ": " + pending_words(pending_changes(db, seq)));
    return lines;
  }
  const auto pushes = list_pushes(db);
  if (pushes.empty()) {
    lines.push_back("never pushed to a school server: " + pending_words(pending_changes(db, 0)));
    return lines;
  }
  for (const auto& p : pushes)
    lines.push_back(p.server + " (last push " + local_time_label(p.pushed_at) + "): " +
                    pending_words(pending_changes(db, p.pushed_seq)));
  return lines;
}

std::vector<std::string> push_to_school(const std::filesystem::path& db_path, const SchoolPushOptions& o) {
  school::check_address(o.address);  // before anything else: a password must not get further
  Database db(db_path);
  school::PushOptions p;
  p.server = o.address;
  p.laptop_name = laptop_name();
  p.batch_entries = o.batch_entries;
  if (o.progress)
    p.progress = [&o](int64_t done, int64_t total) {
      o.progress("sync: " + std::to_string(done) + " of " + std::to_string(total) + " changes on the server");
    };
  auto c = school::connect(o.address, o.password);
  const auto r = school::push(db, *c, p);
  std::vector<std::string> lines;
  if (r.full_resend)
    lines.push_back("the server had changes from a different copy of this database (a restored backup?): sent "
                    "everything again; nothing is duplicated");
  if (r.batches == 0)
    lines.push_back(o.address + " already has everything from this computer");
  else
    lines.push_back("pushed " + std::to_string(r.rows + r.deletions) + " rows (" + std::to_string(r.deletions) +
                    " of them deleted here) in " + std::to_string(r.batches) + " batches to " + o.address +
                    ": everything is pushed");
  return lines;
}

}  // namespace cardpoll::app
