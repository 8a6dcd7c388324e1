#include "core/store/sync_log.h"

#include <algorithm>
#include <map>
#include <set>

namespace cardpoll {

namespace {

#define CARDPOLL_WINDOW(alias) \
  " WHERE " alias ".uid IN (SELECT uid FROM sync_log WHERE tbl = ?1 AND seq > ?2 AND seq <= ?3)"

// Rows point at their parents by uid (the server knows no local row numbers). Lists that
// belong to a row (tags, choices, skills) travel inside it as JSON arrays.
const SyncTable kTables[] = {
    {"classes", {"name", "deck", "created_at"},
     "SELECT c.uid, c.name, c.deck, c.created_at FROM classes c" CARDPOLL_WINDOW("c")},
    {"question_sets", {"name", "created_at"},
     "SELECT q.uid, q.name, q.created_at FROM question_sets q" CARDPOLL_WINDOW("q")},
    {"students",
     {"class_uid", "display_name", "first_name", "last_name", "card", "active", "sis_id", "email", "tags"},
     "SELECT s.uid, c.uid, s.display_name, s.first_name, s.last_name, s.card, s.active, s.sis_id, s.email,"
     " (SELECT json_group_array(tag) FROM (SELECT tag FROM student_tags WHERE student_id = s.id"
     " ORDER BY position))"
     " FROM students s JOIN classes c ON c.id = s.class_id" CARDPOLL_WINDOW("s")},
    {"questions",
     {"set_uid", "position", "text", "true_false", "correct", "image_path", "choices", "skills"},
     "SELECT q.uid, qs.uid, q.position, q.text, q.true_false, q.correct, q.image_path,"
     " (SELECT json_group_array(text) FROM (SELECT text FROM question_choices WHERE question_id = q.id"
     " ORDER BY letter)),"
     " (SELECT json_group_array(skill) FROM (SELECT skill FROM question_skills WHERE question_id = q.id"
     " ORDER BY position))"
     " FROM questions q JOIN question_sets qs ON qs.id = q.set_id" CARDPOLL_WINDOW("q")},
    {"sessions", {"class_uid", "set_uid", "started_at", "ended_at", "name"},
     "SELECT s.uid, c.uid, qs.uid, s.started_at, s.ended_at, n.name FROM sessions s"
     " JOIN classes c ON c.id = s.class_id JOIN question_sets qs ON qs.id = s.set_id"
     " LEFT JOIN session_names n ON n.session_id = s.id" CARDPOLL_WINDOW("s")},
    {"asks", {"session_uid", "question_uid", "number", "opened_at", "closed_at"},
     "SELECT a.uid, s.uid, q.uid, a.number, a.opened_at, a.closed_at FROM asks a"
     " JOIN sessions s ON s.id = a.session_id JOIN questions q ON q.id = a.question_id" CARDPOLL_WINDOW("a")},
    {"responses", {"ask_uid", "student_uid", "answer", "first_seen", "last_changed"},
     "SELECT r.uid, a.uid, s.uid, r.answer, r.first_seen, r.last_changed FROM responses r"
     " JOIN asks a ON a.id = r.ask_id JOIN students s ON s.id = r.student_id" CARDPOLL_WINDOW("r")},
    {"response_changes", {"ask_uid", "student_uid", "answer", "at"},
     "SELECT r.uid, a.uid, s.uid, r.answer, r.at FROM response_changes r"
     " JOIN asks a ON a.id = r.ask_id JOIN students s ON s.id = r.student_id" CARDPOLL_WINDOW("r")},
    // No joins that could drop a row: a correction outlives the session, student or question
    // it is about (their uid is then NULL).
    {"corrections",
     {"at", "who", "kind", "session_uid", "ask_number", "student_uid", "question_uid", "target",
      "old_value", "new_value"},
     "SELECT k.uid, k.at, k.who, k.kind, (SELECT uid FROM sessions WHERE id = k.session_id), k.ask_number,"
     " (SELECT uid FROM students WHERE id = k.student_id), (SELECT uid FROM questions WHERE id = k.question_id),"
     " k.target, k.old_value, k.new_value FROM corrections k" CARDPOLL_WINDOW("k")},
};

#undef CARDPOLL_WINDOW

struct Newest {
  TimeMs at = 0;
  int64_t seq = 0;
};

}  // namespace

std::span<const SyncTable> sync_tables() { return kTables; }

std::string laptop_uid(Database& db) {
  Statement s(db, "SELECT laptop_uid FROM sync_identity WHERE only = 1");
  if (!s.step()) throw std::runtime_error(db.path().string() + ": this database has no sync identity");
  return s.column_text(0);
}

int64_t last_change_seq(Database& db) {
  Statement s(db, "SELECT coalesce(max(seq), 0) FROM sync_log");
  s.step();
  return s.column_int64(0);
}

int64_t batch_end(Database& db, int64_t after_seq, int64_t count) {
  Statement s(db, "SELECT seq FROM sync_log WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET ?");
  s.bind(1, after_seq).bind(2, std::max<int64_t>(count, 1) - 1);
  return s.step() ? s.column_int64(0) : last_change_seq(db);
}

std::string change_mark(Database& db, int64_t seq) {
  if (seq <= 0) return "";
  Statement s(db, "SELECT tbl || ':' || uid || ':' || at FROM sync_log WHERE seq = ?");
  s.bind(1, seq);
  return s.step() ? s.column_text(0) : "";
}

std::vector<SyncTableBatch> read_sync_batch(Database& db, int64_t after_seq, int64_t up_to_seq) {
  // The newest change of each row in the window: its time and seq become the row's version.
  std::map<std::string, std::map<std::string, Newest>> changed;  // table -> uid -> newest
  {
    Statement s(db, "SELECT tbl, uid, at, seq FROM sync_log WHERE seq > ? AND seq <= ?");
    s.bind(1, after_seq).bind(2, up_to_seq);
    while (s.step()) {
      Newest& n = changed[s.column_text(0)][s.column_text(1)];
      const int64_t seq = s.column_int64(3);
      if (seq > n.seq) n = {s.column_int64(2), seq};
    }
  }
  std::vector<SyncTableBatch> out;
  for (const SyncTable& t : kTables) {
    SyncTableBatch b;
    b.table = &t;
    auto& rows = changed[std::string(t.name)];
    if (!rows.empty()) {
      std::set<std::string> present;
      Statement s(db, t.select_sql);
      s.bind(1, t.name).bind(2, after_seq).bind(3, up_to_seq);
      while (s.step()) {
        SyncRow r;
        r.uid = s.column_text(0);
        for (int c = 1; c < s.column_count(); ++c)
          r.values.push_back(s.is_null(c) ? std::nullopt : std::optional<std::string>(s.column_text(c)));
        const Newest& n = rows[r.uid];
        r.changed_at = n.at;
        r.change_seq = n.seq;
        present.insert(r.uid);
        b.rows.push_back(std::move(r));
      }
      for (const auto& [uid, n] : rows)
        if (!present.count(uid)) b.gone.push_back({uid, {}, n.at, n.seq});
      std::sort(b.rows.begin(), b.rows.end(), [](const SyncRow& x, const SyncRow& y) { return x.uid < y.uid; });
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<PendingCount> pending_changes(Database& db, int64_t after_seq) {
  std::vector<PendingCount> out;
  Statement s(db, "SELECT tbl, count(DISTINCT uid) FROM sync_log WHERE seq > ? GROUP BY tbl");
  s.bind(1, after_seq);
  std::map<std::string, int64_t> by_table;
  while (s.step()) by_table[s.column_text(0)] = s.column_int64(1);
  for (const SyncTable& t : kTables)
    if (auto it = by_table.find(std::string(t.name)); it != by_table.end()) out.push_back({it->first, it->second});
  return out;
}

std::vector<PushRecord> list_pushes(Database& db) {
  std::vector<PushRecord> out;
  Statement s(db, "SELECT server, pushed_seq, pushed_at FROM sync_pushes ORDER BY server");
  while (s.step()) out.push_back({s.column_text(0), s.column_int64(1), s.column_int64(2)});
  return out;
}

void record_push(Database& db, const std::string& server, int64_t pushed_seq, TimeMs at) {
  Statement s(db,
              "INSERT INTO sync_pushes (server, pushed_seq, pushed_at) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (server) DO UPDATE SET pushed_seq = excluded.pushed_seq, pushed_at = excluded.pushed_at");
  s.bind(1, server).bind(2, pushed_seq).bind(3, at);
  s.run();
}

}  // namespace cardpoll
