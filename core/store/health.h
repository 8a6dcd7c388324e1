// A database's bill of health, for `cardpoll doctor` (and any screen that wants it):
// SQLite's integrity check, the WAL's size, sessions never ended (a crash, a kill, a power
// cut: `cardpoll live --resume`), recovery files waiting to be imported, free disk space.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/model.h"

namespace cardpoll {

struct OpenSessionInfo {
  Id id = 0;
  std::string class_name, set_name;
  TimeMs started_at = 0;
  int asks = 0, answers = 0;
};

struct HealthReport {
  std::filesystem::path database;
  std::vector<std::string> integrity;  // {"ok"} when healthy, else SQLite's findings
  int schema_version = 0, latest_schema_version = 0;
  int64_t database_bytes = 0, wal_bytes = 0;
  std::vector<OpenSessionInfo> open_sessions;
  std::vector<std::filesystem::path> recovery_files;
  int64_t free_bytes = -1;  // on the database's file system; -1 when unknown
  std::vector<std::string> problems;  // what a teacher should act on, in words
  bool healthy() const { return problems.empty(); }
};

// Below this much free space cardpoll warns: a lesson writes ~1 MB, the WAL up to 4 MiB.
inline constexpr int64_t kLowDiskBytes = 100LL << 20;
inline constexpr int64_t kLargeWalBytes = 16LL << 20;

// Opens `database` read-only (never creates, never migrates, never imports). Throws
// DbError naming the path when it cannot be opened at all.
HealthReport check_health(const std::filesystem::path& database);

}  // namespace cardpoll
