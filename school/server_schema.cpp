// The server's own schema steps. Same rule as core/store/schema.h: append, never edit a shipped step.
//
// Every travelling table is keyed by the row's stable id (uid, made on the laptop) and carries
// its version: origin (the laptop), changed_at (ms, the laptop's clock) and change_seq (the
// laptop's change-log number). An upsert replaces a row only with a newer version: (changed_at,
// origin, change_seq) compared in that order (docs/school.md, "Conflicts"). deleted_at marks a
// row deleted on its laptop; rows are never removed, so a late push cannot bring one back.
// There are no foreign keys: a row travels in its current state and may arrive before the row
// it points at; readers join on uids and see it when both are there.
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "school/server.h"

namespace cardpoll::school {

namespace {

struct ServerStep {
  int version;
  std::string_view description;
  std::string_view sql;
};

#define CARDPOLL_VERSION_COLUMNS                                                            \
  "  origin      uuid NOT NULL,\n  changed_at  bigint NOT NULL,\n  change_seq  bigint NOT NULL,\n" \
  "  deleted_at  bigint,\n  received_at timestamptz NOT NULL DEFAULT now()\n"

constexpr ServerStep kSteps[] = {
    {1, "laptops and their high-water marks; classes, students, question sets, questions, sessions, "
        "asks, responses, their changes and corrections, keyed by stable id",
     "CREATE TABLE laptops (\n"
     "  laptop_uid   uuid PRIMARY KEY,\n"
     "  name         text NOT NULL DEFAULT '',\n"
     "  pushed_seq   bigint NOT NULL DEFAULT 0,\n"
     "  pushed_mark  text NOT NULL DEFAULT '',\n"
     "  first_push   timestamptz NOT NULL DEFAULT now(),\n"
     "  last_push    timestamptz\n"
     ");\n"
     "CREATE TABLE classes (uid uuid PRIMARY KEY, name text NOT NULL, deck text NOT NULL,\n"
     "  created_at bigint NOT NULL,\n" CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE question_sets (uid uuid PRIMARY KEY, name text NOT NULL, created_at bigint NOT NULL,\n"
     CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE students (uid uuid PRIMARY KEY, class_uid uuid NOT NULL, display_name text NOT NULL,\n"
     "  first_name text NOT NULL, last_name text NOT NULL, card integer, active smallint NOT NULL,\n"
     "  sis_id text NOT NULL, email text NOT NULL, tags jsonb NOT NULL,\n" CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE questions (uid uuid PRIMARY KEY, set_uid uuid NOT NULL, position integer NOT NULL,\n"
     "  text text NOT NULL, true_false smallint NOT NULL, correct smallint, image_path text NOT NULL,\n"
     "  choices jsonb NOT NULL, skills jsonb NOT NULL,\n" CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE sessions (uid uuid PRIMARY KEY, class_uid uuid NOT NULL, set_uid uuid NOT NULL,\n"
     "  started_at bigint NOT NULL, ended_at bigint, name text,\n" CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE asks (uid uuid PRIMARY KEY, session_uid uuid NOT NULL, question_uid uuid NOT NULL,\n"
     "  number integer NOT NULL, opened_at bigint NOT NULL, closed_at bigint,\n" CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE responses (uid uuid PRIMARY KEY, ask_uid uuid NOT NULL, student_uid uuid NOT NULL,\n"
     "  answer smallint NOT NULL, first_seen bigint NOT NULL, last_changed bigint NOT NULL,\n"
     CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE response_changes (uid uuid PRIMARY KEY, ask_uid uuid NOT NULL, student_uid uuid NOT NULL,\n"
     "  answer smallint NOT NULL, at bigint NOT NULL,\n" CARDPOLL_VERSION_COLUMNS ");\n"
     "CREATE TABLE corrections (uid uuid PRIMARY KEY, at bigint NOT NULL, who text NOT NULL,\n"
     "  kind text NOT NULL, session_uid uuid, ask_number integer, student_uid uuid, question_uid uuid,\n"
     "  target text NOT NULL, old_value text NOT NULL, new_value text NOT NULL,\n" CARDPOLL_VERSION_COLUMNS ");\n"},
    {2, "indexes for school reports: a set by name, its sessions, their asks and answers; a student by school id",
     "CREATE INDEX question_sets_by_name ON question_sets (name);\n"
     "CREATE INDEX questions_by_set ON questions (set_uid, position);\n"
     "CREATE INDEX sessions_by_set ON sessions (set_uid);\n"
     "CREATE INDEX sessions_by_class ON sessions (class_uid);\n"
     "CREATE INDEX asks_by_session ON asks (session_uid, number);\n"
     "CREATE INDEX responses_by_ask ON responses (ask_uid);\n"
     "CREATE INDEX responses_by_student ON responses (student_uid);\n"
     "CREATE INDEX response_changes_by_ask ON response_changes (ask_uid);\n"
     "CREATE INDEX students_by_class ON students (class_uid);\n"
     "CREATE INDEX students_by_school_id ON students (sis_id) WHERE sis_id <> '';\n"},
};

#undef CARDPOLL_VERSION_COLUMNS

// Any number, the same on every laptop: migrating laptops queue on it.
constexpr long long kMigrationLock = 0x43504F4C;

}  // namespace

int latest_server_schema_version() { return kSteps[std::size(kSteps) - 1].version; }

int server_schema_version(pqxx::connection& c) {
  pqxx::nontransaction q(c);
  if (q.exec("SELECT to_regclass('schema_version') IS NULL")[0][0].as<bool>()) return 0;
  return q.exec("SELECT coalesce(max(version), 0) FROM schema_version")[0][0].as<int>();
}

namespace {
ServerError newer_schema(int found) {
  return ServerError("the school server was set up by a newer cardpoll (its data is at version " +
                     std::to_string(found) + ", this cardpoll knows up to " +
                     std::to_string(latest_server_schema_version()) +
                     "): update cardpoll on this computer, then try again");
}
}  // namespace

void migrate_server(pqxx::connection& c, int up_to) {
  const int target = up_to < 0 ? latest_server_schema_version() : up_to;
  try {
    pqxx::work tx(c);
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, description text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())");
    const int now = tx.exec("SELECT coalesce(max(version), 0) FROM schema_version")[0][0].as<int>();
    if (now > latest_server_schema_version()) throw newer_schema(now);
    for (const ServerStep& s : kSteps) {
      if (s.version <= now || s.version > target) continue;
      tx.exec(std::string(s.sql));
      tx.exec_params("INSERT INTO schema_version (version, description) VALUES ($1, $2)", s.version,
                     std::string(s.description));
    }
    tx.commit();
  } catch (const ServerError&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_as_server_error(e, "setting up the school server's tables");
  }
}

void require_readable_schema(pqxx::connection& c) {
  int v = 0;
  try {
    v = server_schema_version(c);
  } catch (const std::exception& e) {
    rethrow_as_server_error(e, "reading the school server's version");
  }
  if (v == 0)
    throw ServerError("the school server has no cardpoll data yet: push a class to it first (cardpoll sync --to ...)");
  if (v > latest_server_schema_version()) throw newer_schema(v);
}

}  // namespace cardpoll::school
