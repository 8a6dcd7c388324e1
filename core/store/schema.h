// The cardpoll database schema, as an ordered list of migration steps.
//
// PRAGMA user_version holds how many steps a database has had. Opening a database runs the
// steps it has not had yet, each in its own transaction together with the new user_version,
// so a database is always at exactly one version, never half-way. A database with a higher
// version than this cardpoll knows is refused (an older program must not write to a newer
// schema). PRAGMA application_id marks the file as cardpoll's.
//
// TO ADD A STEP (e.g. saved groupings): append one entry at the END of the list in
// core/store/schema.cpp with the next version number and its SQL. Never edit or reorder a step
// that has shipped: databases out there already ran it. Write the SQL so it only adds
// (CREATE TABLE, ALTER TABLE ... ADD COLUMN, CREATE INDEX); the tests in
// tests/core/test_db.cpp migrate a fresh database and every older version automatically.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace cardpoll {

class Database;

struct Migration {
  int version;                   // 1, 2, 3, ... (the user_version after this step)
  std::string_view description;  // one line, for people reading the history
  std::string_view sql;          // one or more statements, run inside the step's transaction
};

// "CPOL" in ASCII: written to PRAGMA application_id of every cardpoll database.
inline constexpr int32_t kApplicationId = 0x43504F4C;

std::span<const Migration> migrations();
int latest_schema_version();

// Brings `db` up to latest_schema_version(). Throws DbError naming the path when the file is
// another program's database or was written by a newer cardpoll. `up_to` (tests only) stops
// after that version.
void migrate(Database& db, int up_to = -1);

// Reads PRAGMA user_version.
int schema_version(Database& db);

}  // namespace cardpoll
