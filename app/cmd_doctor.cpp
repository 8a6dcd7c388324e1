// cardpoll doctor: is the database healthy? (core/store/health.h does the checking.)
#include <cstdio>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "core/store/health.h"

namespace cardpoll::app {
namespace {

std::string megabytes(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

int run_doctor(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const HealthReport h = check_health(ctx.db);
  std::printf("database     %s (%s)\n", h.database.c_str(), megabytes(h.database_bytes).c_str());
  std::printf("schema       version %d (this cardpoll: %d)\n", h.schema_version, h.latest_schema_version);
  std::printf("integrity    %s\n", h.integrity == std::vector<std::string>{"ok"} ? "ok" : "PROBLEMS");
  if (h.integrity != std::vector<std::string>{"ok"})
    for (const auto& line : h.integrity) std::printf("             %s\n", line.c_str());
  std::printf("WAL          %s\n", megabytes(h.wal_bytes).c_str());
  std::printf("open sessions %zu\n", h.open_sessions.size());
  for (const auto& s : h.open_sessions)
    std::printf("             session %lld: %s, %s, started %s, %d questions, %d answers\n",
                static_cast<long long>(s.id), s.class_name.c_str(), s.set_name.c_str(),
                local_time_text(s.started_at).c_str(), s.asks, s.answers);
  std::printf("recovery files %zu\n", h.recovery_files.size());
  for (const auto& f : h.recovery_files) std::printf("             %s\n", f.c_str());
  std::printf("free disk    %s\n", h.free_bytes < 0 ? "unknown" : megabytes(h.free_bytes).c_str());
  if (h.healthy()) {
    std::printf("doctor: healthy\n");
    return 0;
  }
  for (const auto& p : h.problems) std::printf("doctor: %s\n", p.c_str());
  return 1;
}

const bool registered = register_command(
    {"doctor", "check the database's health: integrity, WAL, open sessions, recovery files, disk",
     "Usage: cardpoll doctor\n\n"
     "Checks the database (--db, or the default) without changing it:\n"
     "  integrity       SQLite's PRAGMA integrity_check (\"ok\" when healthy)\n"
     "  WAL             the size of the write-ahead log (large: another program holds it open)\n"
     "  open sessions   sessions never ended (a crash, a kill, a power cut): continue one with\n"
     "                  `cardpoll live --resume SESSION`\n"
     "  recovery files  answers a lesson could not save, waiting beside the database; the next\n"
     "                  `cardpoll live` imports them\n"
     "  free disk       space left where the database lives (warns under 100 MB)\n\n"
     "Exit status 0 when healthy, 1 when something needs attention (listed at the end).\n",
     run_doctor});

}  // namespace
}  // namespace cardpoll::app
