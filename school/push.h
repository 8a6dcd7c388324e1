// Pushing this database to the school server (docs/school.md, "What a push sends").
//
// The change log (core/store/sync_log.h) is sent in batches of log entries; each batch is one server
// transaction that upserts the batch's rows (keyed by uid, newer version wins) and moves this
// laptop's high-water mark, so a push killed at any moment, or a server stopped under it,
// leaves the server exactly at the end of some batch, and the next push goes on from there.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/store/db.h"

#include <pqxx/connection>

namespace cardpoll::school {

struct PushOptions {
  std::string server;        // the address as the teacher gave it (for the local record)
  std::string laptop_name;   // shown in school reports ("ana@room12")
  int64_t batch_entries = 2000;
  // Called after each batch is on the server: (entries pushed so far, entries to push).
  std::function<void(int64_t done, int64_t total)> progress;
};

struct PushResult {
  int64_t from_seq = 0, to_seq = 0;  // the log window pushed
  int64_t batches = 0;
  int64_t rows = 0;        // rows sent (current state), summed over batches
  int64_t deletions = 0;   // rows sent as deleted
  bool full_resend = false;  // the server's mark did not match this database's log (a restored
                             // backup, or a first push): everything was sent again
};

// What the server has from the laptop `laptop_uid`: its high-water mark and that entry's
// fingerprint (0 and "" when it never pushed, or the server has no cardpoll data yet). Read only.
struct ServerMark {
  int64_t seq = 0;
  std::string mark;
};
ServerMark server_mark_of(pqxx::connection& server, const std::string& laptop_uid);

// Migrates the server first (migrate_server). Throws ServerError in a teacher's words.
PushResult push(Database& db, pqxx::connection& server, const PushOptions& options);

}  // namespace cardpoll::school
