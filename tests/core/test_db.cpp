// The SQLite wrapper and the schema migrations: creation, permissions, re-opening, refusing
// newer or foreign files, transactions, and clear errors instead of crashes for bad files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <latch>
#include <thread>
#include <sys/stat.h>

#include "core/store/db.h"
#include "core/store/schema.h"
#include "core/store/storage.h"
#include "test_db_util.h"

using namespace cardpoll;
using cardpoll::testing_store::error_of;
using cardpoll::testing_store::TempDir;

namespace {

int mode_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

std::string pragma_text(Database& db, const std::string& pragma) {
  Statement s(db, "PRAGMA " + pragma);
  return s.step() ? s.column_text(0) : "";
}

// Sets user_version with the raw C API, as a newer cardpoll would have.
void set_user_version(const std::filesystem::path& p, int v) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(p.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, ("PRAGMA user_version = " + std::to_string(v)).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
}


}  // namespace

TEST(Db, FreshDatabaseIsCreatedPrivateAndMigrated) {
  TempDir t;
  const auto file = t / "a/b/class.db";
  {
    Database db(file);
    EXPECT_EQ(schema_version(db), latest_schema_version());
    EXPECT_EQ(pragma_text(db, "application_id"), std::to_string(kApplicationId));
    EXPECT_EQ(pragma_text(db, "journal_mode"), "wal");
    EXPECT_EQ(pragma_text(db, "foreign_keys"), "1");
    EXPECT_EQ(pragma_text(db, "synchronous"), "2");  // FULL
    create_class(db, "Period 3");
    // While open in WAL mode the companions exist and are as private as the database.
    EXPECT_EQ(mode_of(file), 0600);
    EXPECT_EQ(mode_of(wal_path(file)), 0600);
    EXPECT_EQ(mode_of(shm_path(file)), 0600);
  }
  EXPECT_EQ(mode_of(t / "a"), 0700);
  EXPECT_EQ(mode_of(t / "a/b"), 0700);
  EXPECT_EQ(mode_of(file), 0600);
}

// Two programs creating the same database at once (a teacher double-clicking, two first
// runs): the new file is still in rollback mode while both switch it to WAL, and SQLite
// answers one of them "database is locked" at once instead of waiting. Both must open.
TEST(Db, TwoFirstOpensAtOnceBothSucceed) {
  TempDir t;
  for (int round = 0; round < 40; ++round) {
    const auto file = t / ("race" + std::to_string(round) + ".db");
    std::latch start(2);
    std::string errors[2];
    auto open_it = [&](int who) {
      start.arrive_and_wait();
      try {
        Database db(file);
        create_class(db, "Period " + std::to_string(who));
      } catch (const std::exception& e) {
        errors[who] = e.what();
      }
    };
    std::thread a(open_it, 0), b(open_it, 1);
    a.join();
    b.join();
    EXPECT_EQ(errors[0], "") << "round " << round;
    EXPECT_EQ(errors[1], "") << "round " << round;
  }
}

TEST(Db, ReopenKeepsDataAndVersion) {
  TempDir t;
  const auto file = t / "class.db";
  {
    Database db(file);
    create_class(db, "Period 3", "classroom");
  }
  Database db(file);
  EXPECT_EQ(schema_version(db), latest_schema_version());
  ASSERT_TRUE(find_class(db, "Period 3"));
  EXPECT_EQ(list_classes(db).size(), 1u);
}

OpenOptions without_migration() {
  OpenOptions o;
  o.migrate = false;
  return o;
}

std::string schema_text(const std::filesystem::path& p) {
  OpenOptions o;
  o.read_only = true;
  Database db(p, o);
  Statement s(db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name");
  std::string out;
  while (s.step()) out += s.column_text(0) + " " + s.column_text(1) + " " + s.column_text(2) + "\n";
  return out;
}

TEST(Db, MigrationListHasNoGaps) {
  int expect = 1;
  for (const Migration& m : migrations()) {
    EXPECT_EQ(m.version, expect++);
    EXPECT_FALSE(m.sql.empty());
    EXPECT_FALSE(m.description.empty());
  }
  EXPECT_EQ(latest_schema_version(), expect - 1);
}

TEST(Db, EveryOlderVersionMigratesToTheLatest) {
  TempDir t;
  const auto direct = t / "direct.db";
  { Database d(direct); }
  for (int from = 0; from < latest_schema_version(); ++from) {
    const auto file = t / ("from" + std::to_string(from) + ".db");
    {
      // A database as an older cardpoll left it: exactly `from` steps.
      Database db(file, without_migration());
      migrate(db, from);
      EXPECT_EQ(schema_version(db), from);
      if (from >= 1) create_class(db, "Made at version " + std::to_string(from));
    }
    {
      Database db(file);
      EXPECT_EQ(schema_version(db), latest_schema_version()) << "from version " << from;
      if (from >= 1) {
        EXPECT_TRUE(find_class(db, "Made at version " + std::to_string(from)));
      }
    }
    EXPECT_EQ(schema_text(file), schema_text(direct)) << "from version " << from;
  }
}

TEST(Db, MigrationIsIdempotent) {
  TempDir t;
  const auto file = t / "x.db";
  { Database db(file); }
  const auto before = schema_text(file);
  Database db(file);
  migrate(db);
  migrate(db);
  EXPECT_EQ(schema_version(db), latest_schema_version());
  EXPECT_EQ(schema_text(file), before);
}

TEST(Db, NewerVersionIsRefusedNamingThePath) {
  TempDir t;
  const auto file = t / "newer.db";
  { Database db(file); }
  set_user_version(file, latest_schema_version() + 1);
  const std::string err = error_of([&] { Database db(file); });
  EXPECT_NE(err.find(file.string()), std::string::npos) << err;
  EXPECT_NE(err.find("newer cardpoll"), std::string::npos) << err;
  // And it was not touched: still the newer version.
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &h), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), latest_schema_version() + 1);
  sqlite3_finalize(s);
  sqlite3_close(h);
}

TEST(Db, GarbageFileIsNotACardpollDatabase) {
  TempDir t;
  const auto file = t / "notes.db";
  std::ofstream(file) << std::string(5000, 'x') << "this is a text file, not a database\n";
  const std::string err = error_of([&] { Database db(file); });
  EXPECT_NE(err.find(file.string()), std::string::npos) << err;
  EXPECT_NE(err.find("not a cardpoll database"), std::string::npos) << err;
}

TEST(Db, AnotherProgramsSqliteFileIsRefused) {
  TempDir t;
  const auto file = t / "other.db";
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "CREATE TABLE bookmarks(url TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  const std::string err = error_of([&] { Database db(file); });
  EXPECT_NE(err.find("another program"), std::string::npos) << err;
  EXPECT_NE(err.find(file.string()), std::string::npos) << err;
}

TEST(Db, CorruptPagesGiveAnErrorNotACrash) {
  TempDir t;
  const auto file = t / "corrupt.db";
  {
    Database db(file);
    const auto k = create_class(db, "Period 3");
    for (int i = 1; i <= 40; ++i) {
      Student s;
      s.class_id = k.id;
      s.display_name = "Student " + std::to_string(i) + std::string(200, 'x');
      s.card = i;
      add_student(db, s);
    }
  }  // closing checkpoints the WAL into the file
  const auto size = std::filesystem::file_size(file);
  ASSERT_GT(size, 8192u);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);  // the second page onwards: the header stays valid
    const std::string junk(size - 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string err = error_of([&] {
    Database db(file);
    for (const auto& k : list_classes(db)) list_students(db, k.id);
  });
  EXPECT_NE(err, "(no error)");
  EXPECT_NE(err.find(file.string()), std::string::npos) << err;
}

TEST(Db, UnwritablePathNamesThePath) {
  TempDir t;
  std::ofstream(t / "plainfile") << "x";
  const auto file = t / "plainfile/sub/class.db";  // a folder that cannot exist
  const std::string err = error_of([&] { Database db(file); });
  EXPECT_NE(err.find("plainfile"), std::string::npos) << err;
  const std::string dir_err = error_of([&] { Database db(t.path); });
  EXPECT_NE(dir_err.find("folder"), std::string::npos) << dir_err;
}

TEST(Db, ReadOnlyOpenNeverCreates) {
  TempDir t;
  OpenOptions o;
  o.read_only = true;
  const std::string err = error_of([&] { Database db(t / "missing.db", o); });
  EXPECT_NE(err.find("no such file"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(t / "missing.db"));
  // A read-only connection refuses writes with an error, not a crash.
  { Database w(t / "ro.db"); }
  Database r(t / "ro.db", o);
  EXPECT_THROW(create_class(r, "X"), DbError);
}

TEST(Db, ValuesAreBoundNeverSpliced) {
  TempDir t;
  Database db(t / "x.db");
  const std::string evil = "Robert'); DROP TABLE classes;--";
  create_class(db, evil);
  ASSERT_TRUE(find_class(db, evil));
  EXPECT_EQ(find_class(db, evil)->name, evil);
}

TEST(Db, TransactionRollsBackUnlessCommitted) {
  TempDir t;
  Database db(t / "x.db");
  {
    Transaction tx(db);
    create_class(db, "Lost");
  }
  EXPECT_FALSE(find_class(db, "Lost"));
  {
    Transaction tx(db);
    create_class(db, "Kept");
    tx.commit();
  }
  EXPECT_TRUE(find_class(db, "Kept"));
  // A throw half-way leaves nothing.
  EXPECT_THROW(
      {
        Transaction tx(db);
        create_class(db, "Half");
        create_class(db, "Half");  // duplicate: throws
        tx.commit();
      },
      std::runtime_error);
  EXPECT_FALSE(find_class(db, "Half"));
}

TEST(Db, ForeignKeysAreEnforced) {
  TempDir t;
  Database db(t / "x.db");
  Statement s(db, "INSERT INTO students (class_id, display_name) VALUES (?, ?)");
  s.bind(1, int64_t{999}).bind(2, "Nobody");
  EXPECT_THROW(s.run(), DbError);
}

// Issue 16, part 5: SQLite 3.40's integrity_check reported "NULL value in
// question_skills.position" (and student_tags.position) on every database with skills or
// tags: a false positive on WITHOUT ROWID tables whose key columns do not come first.
namespace {
std::vector<std::string> integrity_problems(Database& db) {
  Statement s(db, "PRAGMA integrity_check");
  std::vector<std::string> out;
  while (s.step())
    if (s.column_text(0) != "ok") out.push_back(s.column_text(0));
  return out;
}

void fill_skills_and_tags(Database& db) {
  const auto k = create_class(db, "Tagged");
  Student st;
  st.class_id = k.id;
  st.display_name = "Ana";
  st.card = 1;
  st.tags = {"el", "lang:es"};
  add_student(db, st);
  const auto set = create_question_set(db, "Skilled");
  Question q;
  q.text = "Which is bigger?";
  q.choices = {"1/2", "1/3"};
  q.skills = {"fractions.compare", "fractions.equivalent"};
  add_question(db, set.id, q);
}
}  // namespace

TEST(Db, IntegrityCheckSaysOkOnADatabaseWithSkillsAndTags) {
  TempDir t;
  Database db(t / "x.db");
  fill_skills_and_tags(db);
  EXPECT_EQ(integrity_problems(db), std::vector<std::string>{});
}

TEST(Db, TheIntegrityMigrationKeepsSkillsAndTagsInOrder) {
  TempDir t;
  const auto file = t / "old.db";
  {
    Database db(file, without_migration());
    // The version just before the rebuild (found by its description, not a hard-coded number).
    int before = latest_schema_version();
    for (const Migration& m : migrations())
      if (m.description.find("integrity_check") != std::string_view::npos) before = m.version - 1;
    migrate(db, before);
    // Raw SQL in the shape of that version: the storage functions speak the newest schema
    // (later steps add columns they read and write).
    db.exec(R"sql(
INSERT INTO classes (id, name, deck, created_at) VALUES (1, 'Tagged', 'classroom', 0);
INSERT INTO students (id, class_id, display_name, card) VALUES (1, 1, 'Ana', 1);
INSERT INTO student_tags (student_id, position, tag) VALUES (1, 0, 'el'), (1, 1, 'lang:es');
INSERT INTO question_sets (id, name, created_at) VALUES (1, 'Skilled', 0);
INSERT INTO questions (id, set_id, position, text) VALUES (1, 1, 1, 'Which is bigger?');
INSERT INTO question_choices (question_id, letter, text) VALUES (1, 0, '1/2'), (1, 1, '1/3');
INSERT INTO question_skills (question_id, position, skill)
  VALUES (1, 0, 'fractions.compare'), (1, 1, 'fractions.equivalent');
)sql");
    EXPECT_FALSE(integrity_problems(db).empty()) << "SQLite no longer has the false positive";
  }
  Database db(file);
  EXPECT_EQ(integrity_problems(db), std::vector<std::string>{});
  const auto set = require_question_set(db, "Skilled");
  ASSERT_EQ(set.questions.size(), 1u);
  EXPECT_EQ(set.questions[0].skills, (std::vector<std::string>{"fractions.compare", "fractions.equivalent"}));
  const auto students = list_students(db, require_class(db, "Tagged").id);
  ASSERT_EQ(students.size(), 1u);
  const auto ana = find_student(db, students[0].id);
  ASSERT_TRUE(ana);
  EXPECT_EQ(ana->tags, (std::vector<std::string>{"el", "lang:es"}));
}
