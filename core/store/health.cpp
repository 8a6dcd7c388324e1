#include "core/store/health.h"

#include <sys/statvfs.h>

#include "core/store/db.h"
#include "core/store/recovery_file.h"
#include "core/store/schema.h"
#include "core/store/storage.h"

namespace cardpoll {

namespace fs = std::filesystem;

HealthReport check_health(const fs::path& database) {
  HealthReport h;
  h.database = database;
  OpenOptions o;
  o.read_only = true;
  Database db(database, o);
  {
    Statement s(db, "PRAGMA integrity_check");
    while (s.step()) h.integrity.push_back(s.column_text(0));
  }
  h.schema_version = cardpoll::schema_version(db);
  h.latest_schema_version = cardpoll::latest_schema_version();
  if (h.schema_version < h.latest_schema_version)
    h.problems.push_back("the database has schema version " + std::to_string(h.schema_version) + " of " +
                         std::to_string(h.latest_schema_version) +
                         ": any cardpoll command that writes to it brings it up to date (older versions "
                         "show a false 'NULL value in question_skills.position' in the integrity check)");
  if (h.integrity != std::vector<std::string>{"ok"})
    h.problems.push_back("the integrity check found " + std::to_string(h.integrity.size()) +
                         " problem(s): copy the database somewhere safe before using it further");
  std::error_code ec;
  h.database_bytes = static_cast<int64_t>(fs::file_size(database, ec));
  const auto wal = fs::file_size(wal_path(database), ec);
  h.wal_bytes = ec ? 0 : static_cast<int64_t>(wal);
  if (h.wal_bytes > kLargeWalBytes)
    h.problems.push_back("the write-ahead log is " + std::to_string(h.wal_bytes >> 20) +
                         " MB: another program may hold the database open");
  for (const SessionSummary& s : list_session_summaries(db)) {
    if (s.session.ended_at) continue;
    h.open_sessions.push_back({s.session.id, s.class_name, s.set_name, s.session.started_at, s.asks, s.responses});
  }
  if (!h.open_sessions.empty())
    h.problems.push_back(std::to_string(h.open_sessions.size()) +
                         " session(s) never ended (a crash, a kill or a power cut): continue one with "
                         "`cardpoll live --resume SESSION`");
  h.recovery_files = find_recovery_files(database);
  if (!h.recovery_files.empty())
    h.problems.push_back(std::to_string(h.recovery_files.size()) +
                         " recovery file(s) hold answers not yet in the database: the next "
                         "`cardpoll live` imports them");
  struct statvfs vfs {};
  const fs::path dir = database.has_parent_path() ? database.parent_path() : fs::path(".");
  if (::statvfs(dir.c_str(), &vfs) == 0) {
    h.free_bytes = static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
    if (h.free_bytes < kLowDiskBytes)
      h.problems.push_back("only " + std::to_string(h.free_bytes >> 20) + " MB free on the disk of the database");
  }
  return h;
}

}  // namespace cardpoll
