#include "core/store/groups_store.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/store/storage.h"

namespace cardpoll {

namespace {

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "\n" : "") + v[i];
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t pos = 0;
  while (true) {
    const size_t nl = s.find('\n', pos);
    out.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::vector<Id> grouping_ids(Database& db, Id class_id, std::optional<TimeMs> before, int limit) {
  Statement s(db,
              "SELECT id FROM groupings WHERE class_id = ?1 AND (?2 IS NULL OR created_at < ?2) "
              "ORDER BY created_at DESC, id DESC LIMIT ?3");
  s.bind(1, class_id).bind(2, before).bind(3, limit);
  std::vector<Id> out;
  while (s.step()) out.push_back(s.column_int64(0));
  return out;
}

}  // namespace

Id save_grouping(Database& db, const Grouping& g) {
  if (!find_class(db, g.class_id))
    throw std::runtime_error("cannot save grouping: class id " + std::to_string(g.class_id) +
                             " does not exist");
  std::optional<Transaction> tx;
  if (!in_transaction(db)) tx.emplace(db);
  Statement ins(db,
                "INSERT INTO groupings (class_id, created_at, mode, seed, min_size, max_size) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  ins.bind(1, g.class_id)
      .bind(2, g.created_at ? g.created_at : now_ms())
      // groupings.mode keeps the family (needs / mixed); grouping_kinds the choice modes.
      .bind(3, std::string(group_mode_name(g.mode == GroupMode::Misconception ? GroupMode::Needs
                                            : g.mode == GroupMode::Discuss    ? GroupMode::Mixed
                                                                              : g.mode)))
      .bind(4, static_cast<int64_t>(g.seed))  // stored bit for bit; read back the same way
      .bind(5, g.min_size > 0 ? g.min_size : 1)
      .bind(6, std::max(g.max_size, g.min_size > 0 ? g.min_size : 1));
  ins.run();
  const Id id = db.last_insert_id();
  if (g.mode == GroupMode::Misconception || g.mode == GroupMode::Discuss) {
    Statement kind(db, "INSERT INTO grouping_kinds (grouping_id, mode) VALUES (?1, ?2)");
    kind.bind(1, id).bind(2, std::string(group_mode_name(g.mode))).run();
  }
  Statement ses(db, "INSERT INTO grouping_sessions (grouping_id, position, session_id) VALUES (?1, ?2, ?3)");
  for (size_t i = 0; i < g.sessions.size(); ++i) {
    if (!find_session(db, g.sessions[i]))
      throw std::runtime_error("cannot save grouping: session " + std::to_string(g.sessions[i]) +
                               " does not exist");
    ses.bind(1, id).bind(2, static_cast<int>(i)).bind(3, g.sessions[i]);
    ses.run();
  }
  Statement grp(db,
                "INSERT INTO grouping_groups (grouping_id, position, name, focus, reason, missed) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  Statement mem(db,
                "INSERT INTO grouping_members (grouping_id, group_position, position, student_id, role) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (size_t gi = 0; gi < g.groups.size(); ++gi) {
    const Group& group = g.groups[gi];
    grp.bind(1, id).bind(2, static_cast<int>(gi)).bind(3, group.name).bind(4, group.focus)
        .bind(5, group.reason).bind(6, join_lines(group.missed));
    grp.run();
    for (size_t mi = 0; mi < group.members.size(); ++mi) {
      const GroupMember& m = group.members[mi];
      auto s = find_student(db, m.student);
      if (!s || s->class_id != g.class_id)
        throw std::runtime_error("cannot save grouping: " + m.name + " (student id " +
                                 std::to_string(m.student) + ") is not in the class");
      mem.bind(1, id).bind(2, static_cast<int>(gi)).bind(3, static_cast<int>(mi))
          .bind(4, m.student).bind(5, m.role);
      mem.run();
    }
  }
  Statement note(db, "INSERT INTO grouping_notes (grouping_id, kind, position, text) VALUES (?1, ?2, ?3, ?4)");
  for (size_t i = 0; i < g.absent.size(); ++i) {
    note.bind(1, id).bind(2, "absent").bind(3, static_cast<int>(i)).bind(4, g.absent[i]);
    note.run();
  }
  for (size_t i = 0; i < g.unsatisfied.size(); ++i) {
    note.bind(1, id).bind(2, "unsatisfied").bind(3, static_cast<int>(i)).bind(4, g.unsatisfied[i]);
    note.run();
  }
  if (tx) tx->commit();
  return id;
}

std::optional<Grouping> load_grouping(Database& db, Id grouping_id) {
  Statement head(db,
                 "SELECT class_id, created_at, mode, seed, min_size, max_size FROM groupings WHERE id = ?1");
  head.bind(1, grouping_id);
  if (!head.step()) return std::nullopt;
  Grouping g;
  g.id = grouping_id;
  g.class_id = head.column_int64(0);
  g.created_at = head.column_int64(1);
  g.mode = group_mode_from_name(head.column_text(2)).value_or(GroupMode::Needs);
  g.seed = static_cast<uint64_t>(head.column_int64(3));
  g.min_size = head.column_int(4);
  g.max_size = head.column_int(5);
  head.reset();
  Statement kind(db, "SELECT mode FROM grouping_kinds WHERE grouping_id = ?1");
  kind.bind(1, grouping_id);
  if (kind.step()) g.mode = group_mode_from_name(kind.column_text(0)).value_or(g.mode);
  Statement ses(db, "SELECT session_id FROM grouping_sessions WHERE grouping_id = ?1 ORDER BY position");
  ses.bind(1, grouping_id);
  while (ses.step()) g.sessions.push_back(ses.column_int64(0));
  Statement grp(db,
                "SELECT name, focus, reason, missed FROM grouping_groups WHERE grouping_id = ?1 "
                "ORDER BY position");
  grp.bind(1, grouping_id);
  while (grp.step())
    g.groups.push_back({grp.column_text(0), grp.column_text(1), split_lines(grp.column_text(3)),
                        grp.column_text(2), {}});
  Statement mem(db,
                "SELECT m.group_position, m.student_id, s.display_name, COALESCE(s.card, 0), m.role "
                "FROM grouping_members m JOIN students s ON s.id = m.student_id "
                "WHERE m.grouping_id = ?1 ORDER BY m.group_position, m.position");
  mem.bind(1, grouping_id);
  while (mem.step()) {
    const int gi = mem.column_int(0);
    if (gi < 0 || gi >= static_cast<int>(g.groups.size())) continue;
    g.groups[gi].members.push_back(
        {mem.column_int64(1), mem.column_text(2), mem.column_int(3), mem.column_text(4)});
  }
  Statement note(db, "SELECT kind, text FROM grouping_notes WHERE grouping_id = ?1 ORDER BY kind, position");
  note.bind(1, grouping_id);
  while (note.step())
    (note.column_text(0) == "absent" ? g.absent : g.unsatisfied).push_back(note.column_text(1));
  return g;
}

std::optional<Grouping> load_latest_grouping(Database& db, Id class_id) {
  auto ids = grouping_ids(db, class_id, std::nullopt, 1);
  if (ids.empty()) return std::nullopt;
  return load_grouping(db, ids[0]);
}

std::vector<Grouping> load_groupings(Database& db, Id class_id, int limit) {
  std::vector<Grouping> out;
  for (Id id : grouping_ids(db, class_id, std::nullopt, limit))
    if (auto g = load_grouping(db, id)) out.push_back(std::move(*g));
  return out;
}

std::optional<Grouping> grouping_in_use_at(Database& db, Id class_id, TimeMs before) {
  auto ids = grouping_ids(db, class_id, before, 1);
  if (ids.empty()) return std::nullopt;
  return load_grouping(db, ids[0]);
}

}  // namespace cardpoll
