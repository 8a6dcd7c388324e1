#include "school/push.h"

#include <pqxx/pqxx>

#include "core/store/storage.h"
#include "core/store/sync_log.h"
#include "school/server.h"

namespace cardpoll::school {

namespace {

// PostgreSQL takes at most 65535 parameters a statement; stay well below.
constexpr size_t kMaxParams = 20000;

// "INSERT INTO t (uid, cols..., origin, changed_at, change_seq) VALUES (...), ... ON CONFLICT
// (uid) DO UPDATE ... WHERE the incoming version is newer". `rows` values, numbered from $1.
std::string upsert_sql(const SyncTable& t, size_t rows) {
  const size_t per_row = t.columns.size() + 4;
  std::string cols = "uid";
  for (auto c : t.columns) cols += ", " + std::string(c);
  cols += ", origin, changed_at, change_seq";
  std::string sql = "INSERT INTO " + std::string(t.name) + " AS t (" + cols + ") VALUES ";
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t k = 0; k < per_row; ++k) sql += (k ? ", $" : "$") + std::to_string(r * per_row + k + 1);
    sql += ")";
  }
  sql += " ON CONFLICT (uid) DO UPDATE SET ";
  for (auto c : t.columns) sql += std::string(c) + " = EXCLUDED." + std::string(c) + ", ";
  sql += "origin = EXCLUDED.origin, changed_at = EXCLUDED.changed_at, change_seq = EXCLUDED.change_seq, "
         "deleted_at = NULL, received_at = now() "
         "WHERE (t.changed_at, t.origin, t.change_seq) < (EXCLUDED.changed_at, EXCLUDED.origin, EXCLUDED.change_seq)";
  return sql;
}

void send_rows(pqxx::work& tx, const SyncTableBatch& b, const std::string& origin) {
  const SyncTable& t = *b.table;
  const size_t per_row = t.columns.size() + 4;
  const size_t chunk = kMaxParams / per_row;
  for (size_t from = 0; from < b.rows.size(); from += chunk) {
    const size_t n = std::min(chunk, b.rows.size() - from);
    // changed_at and change_seq as text; reserved up front so the pointers below stay valid.
    std::vector<std::string> numbers;
    numbers.reserve(2 * n);
    std::vector<const char*> params;
    params.reserve(n * per_row);
    for (size_t i = from; i < from + n; ++i) {
      const SyncRow& r = b.rows[i];
      params.push_back(r.uid.c_str());
      for (const auto& v : r.values) params.push_back(v ? v->c_str() : nullptr);
      params.push_back(origin.c_str());
      params.push_back(numbers.emplace_back(std::to_string(r.changed_at)).c_str());
      params.push_back(numbers.emplace_back(std::to_string(r.change_seq)).c_str());
    }
    tx.exec_params(upsert_sql(t, n), pqxx::prepare::make_dynamic_params(params));
  }
}

// A row deleted on this laptop stays on the server, marked, unless a newer version is there.
void send_deletions(pqxx::work& tx, const SyncTableBatch& b, const std::string& origin) {
  if (b.gone.empty()) return;
  const std::string sql = "UPDATE " + std::string(b.table->name) +
                          " AS t SET deleted_at = $2, origin = $3, changed_at = $2, change_seq = $4, received_at = now() "
                          "WHERE t.uid = $1 AND (t.changed_at, t.origin, t.change_seq) < ($2::bigint, $3::uuid, $4::bigint)";
  for (const SyncRow& r : b.gone) tx.exec_params(sql, r.uid, r.changed_at, origin, r.change_seq);
}

struct BatchDone {
  bool finished = false;
  int64_t from = 0, to = 0, rows = 0, deletions = 0;
  bool resent_all = false;
};

BatchDone push_one_batch(Database& db, pqxx::connection& c, const PushOptions& o, const std::string& me,
                         int64_t last) {
  BatchDone d;
  pqxx::work tx(c);
  tx.exec_params("INSERT INTO laptops (laptop_uid, name) VALUES ($1, $2) ON CONFLICT (laptop_uid) DO NOTHING", me,
                 o.laptop_name);
  // The laptop's row is locked for the batch: two pushes of the same database take turns.
  const auto mark_row = tx.exec_params("SELECT pushed_seq, pushed_mark FROM laptops WHERE laptop_uid = $1 FOR UPDATE", me)[0];
  const int64_t server_seq = mark_row[0].as<int64_t>();
  d.from = server_seq;
  if (server_seq > last || change_mark(db, server_seq) != mark_row[1].as<std::string>()) {
    d.from = 0;  // the server's mark is not in this database's history: send everything again
    d.resent_all = server_seq != 0;
  }
  if (d.from >= last) {
    d.finished = true;
    d.to = d.from;
    tx.commit();
    return d;
  }
  d.to = batch_end(db, d.from, o.batch_entries);
  for (const SyncTableBatch& b : read_sync_batch(db, d.from, d.to)) {
    send_rows(tx, b, me);
    send_deletions(tx, b, me);
    d.rows += static_cast<int64_t>(b.rows.size());
    d.deletions += static_cast<int64_t>(b.gone.size());
  }
  tx.exec_params("UPDATE laptops SET pushed_seq = $2, pushed_mark = $3, name = $4, last_push = now() WHERE laptop_uid = $1",
                 me, d.to, change_mark(db, d.to), o.laptop_name);
  tx.commit();
  return d;
}

}  // namespace

ServerMark server_mark_of(pqxx::connection& c, const std::string& laptop) {
  ServerMark m;
  try {
    if (server_schema_version(c) == 0) return m;
    pqxx::read_transaction tx(c);
    const auto rows = tx.exec_params("SELECT pushed_seq, pushed_mark FROM laptops WHERE laptop_uid = $1", laptop);
    if (!rows.empty()) m = {rows[0][0].as<int64_t>(), rows[0][1].as<std::string>()};
    tx.commit();
  } catch (const std::exception& e) {
    rethrow_as_server_error(e, "reading what the server has from this computer");
  }
  return m;
}

PushResult push(Database& db, pqxx::connection& c, const PushOptions& o) {
  migrate_server(c);
  const std::string me = laptop_uid(db);
  const int64_t last = last_change_seq(db);
  PushResult r;
  bool first = true;
  int conflicts = 0;
  for (;;) {
    BatchDone d;
    try {
      d = push_one_batch(db, c, o, me, last);
    } catch (const pqxx::transaction_rollback& e) {
      // A deadlock or serialization failure with another laptop's push: the batch was rolled
      // back whole; try it again (a few times, then say so).
      if (++conflicts <= 5) continue;
      rethrow_as_server_error(e, "pushing (other laptops kept pushing the same rows)");
    } catch (const ServerError&) {
      throw;
    } catch (const std::exception& e) {
      rethrow_as_server_error(e, "pushing");
    }
    if (first) {
      r.from_seq = d.from;
      r.full_resend = d.resent_all;
      first = false;
    }
    r.to_seq = d.to;
    // The local record only serves `sync --status` offline; the server's mark decides.
    record_push(db, o.server, d.to, now_ms());
    if (d.finished) break;
    ++r.batches;
    r.rows += d.rows;
    r.deletions += d.deletions;
    if (o.progress) o.progress(d.to, last);
  }
  return r;
}

}  // namespace cardpoll::school
