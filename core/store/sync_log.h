// What a push to a school server reads from this database (docs/school.md): the rows that
// travel, each with its stable id (uid), in the order they changed (sync_log, written by the
// triggers of schema step 6), and the record of the pushes made.
//
// Core knows only its own tables here: the rows come out as plain text values in the column
// order of sync_tables(), and the school room (school/) decides how the server stores them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/db.h"
#include "core/model.h"

namespace cardpoll {

// One table that travels: its name (the same on the server), and its columns after uid, in
// the order read_sync_batch gives their values. Parents come before their children.
struct SyncTable {
  std::string_view name;
  std::vector<std::string_view> columns;
  std::string_view select_sql;  // uid, columns...; ?1 table, ?2/?3 the seq window
};
std::span<const SyncTable> sync_tables();

// This database's own id (made by schema step 6): the "laptop" the server knows it by.
std::string laptop_uid(Database& db);
// The newest entry of the change log (0 when nothing ever changed).
int64_t last_change_seq(Database& db);
// The seq of the `count`-th entry after `after_seq`, or last_change_seq when fewer remain:
// where a batch of `count` log entries ends.
int64_t batch_end(Database& db, int64_t after_seq, int64_t count);
// What identifies the log entry `seq` ("students:<uid>:<at>"; "" when there is no such entry
// or seq is 0). The server keeps the mark of its high-water entry, so a database restored
// from an older backup (whose log differs past some point) is recognised and pushed again.
std::string change_mark(Database& db, int64_t seq);

struct SyncRow {
  std::string uid;
  std::vector<std::optional<std::string>> values;  // one per SyncTable::columns; nullopt = NULL
  TimeMs changed_at = 0;   // the newest change of this row in the window
  int64_t change_seq = 0;  // the seq of that change
};
struct SyncTableBatch {
  const SyncTable* table = nullptr;
  std::vector<SyncRow> rows;  // rows as they are now, by uid
  std::vector<SyncRow> gone;  // rows deleted here (values empty), by uid
};
// Every row with a change in the log window (after_seq, up_to_seq], in its current state
// (or as deleted), one entry per table of sync_tables() in that order.
std::vector<SyncTableBatch> read_sync_batch(Database& db, int64_t after_seq, int64_t up_to_seq);

struct PendingCount {
  std::string table;
  int64_t rows = 0;  // distinct rows with a change after the mark
};
// Rows changed after `after_seq`, per table (tables with none left out).
std::vector<PendingCount> pending_changes(Database& db, int64_t after_seq);

struct PushRecord {
  std::string server;  // the address as given (never with a password)
  int64_t pushed_seq = 0;
  TimeMs pushed_at = 0;
};
std::vector<PushRecord> list_pushes(Database& db);  // by server
void record_push(Database& db, const std::string& server, int64_t pushed_seq, TimeMs at);

}  // namespace cardpoll
