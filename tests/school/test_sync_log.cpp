// Schema step 6 on the laptop side: stable ids for rows old and new, the change log every push
// reads, what a batch carries (current state, deletions). No server needed.
#include <gtest/gtest.h>

#include <set>

#include "core/store/corrections.h"
#include "core/store/schema.h"
#include "core/store/sync_log.h"
#include "tests/school/school_data.h"
#include "tests/support/cardpoll_cli.h"

namespace cardpoll::school_test {
namespace {

using test_support::TempDir;

std::vector<std::string> uids(Database& db, const std::string& table) {
  std::vector<std::string> out;
  Statement s(db, "SELECT coalesce(uid, '') FROM " + table);
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

void expect_stable_ids(Database& db) {
  std::set<std::string> seen;
  for (const auto& t : sync_tables())
    for (const auto& u : uids(db, std::string(t.name))) {
      EXPECT_EQ(u.size(), 32u) << t.name << " row without a 128-bit id: '" << u << "'";
      EXPECT_TRUE(seen.insert(u).second) << "id used twice: " << u;
    }
}

TEST(SyncLog, RowsFromBeforeStepSixGetIdsAndAreLogged) {
  TempDir dir;
  const auto file = dir / "old.db";
  {
    Database db(file, {.durability = Durability::Normal, .migrate = false});
    migrate(db, 5);
    make_year(db, {.classes = 1, .lessons = 1, .students = 3, .asks = 2});
  }
  Database db(file);  // migrates to the newest step
  EXPECT_EQ(schema_version(db), latest_schema_version());
  expect_stable_ids(db);
  // Every row is waiting for its first push, parents logged before children.
  const auto pending = pending_changes(db, 0);
  ASSERT_FALSE(pending.empty());
  EXPECT_EQ(pending.front().table, "classes");
  int64_t responses = 0;
  for (const auto& p : pending)
    if (p.table == "responses") responses = p.rows;
  EXPECT_EQ(responses, 6);
  EXPECT_EQ(laptop_uid(db).size(), 32u);
}

TEST(SyncLog, NewRowsGetIdsOnInsertWhicheverFunctionInsertsThem) {
  TempDir dir;
  Database db(dir / "new.db", {.durability = Durability::Normal});
  make_year(db, {.classes = 2, .lessons = 2, .students = 4, .asks = 3});
  const ClassInfo k = list_classes(db).front();
  const Session ses = list_sessions(db, k.id).front();
  correct_answer(db, ses.id, 1, list_students(db, k.id).front().id, Answer::B, "ana", now_ms());
  expect_stable_ids(db);
  // The ids do not change when rows change.
  const auto before = uids(db, "classes");
  rename_class(db, k.id, "Renamed", "ana", now_ms());
  EXPECT_EQ(uids(db, "classes"), before);
}

TEST(SyncLog, ABatchCarriesCurrentRowsAndDeletions) {
  TempDir dir;
  Database db(dir / "b.db", {.durability = Durability::Normal});
  make_year(db, {.classes = 1, .lessons = 2, .students = 3, .asks = 2});
  const int64_t pushed = last_change_seq(db);
  EXPECT_TRUE(read_sync_batch(db, pushed, pushed).front().rows.empty());

  const ClassInfo k = list_classes(db).front();
  const auto sessions = list_sessions(db, k.id);
  const Student s = list_students(db, k.id).front();
  correct_answer(db, sessions.front().id, 1, s.id, Answer::C, "ana", now_ms());
  delete_session(db, sessions.back().id, "ana", now_ms());

  std::map<std::string, SyncTableBatch> by_table;
  for (auto& b : read_sync_batch(db, pushed, last_change_seq(db))) by_table[std::string(b.table->name)] = b;
  EXPECT_EQ(by_table["responses"].rows.size(), 1u);
  EXPECT_EQ(by_table["responses"].gone.size(), 6u);  // the deleted session's 2 asks x 3 students
  EXPECT_EQ(by_table["asks"].gone.size(), 2u);
  EXPECT_EQ(by_table["sessions"].gone.size(), 1u);
  EXPECT_EQ(by_table["corrections"].rows.size(), 2u);
  const SyncTable& responses = *by_table["responses"].table;
  const auto& row = by_table["responses"].rows.front();
  ASSERT_EQ(row.values.size(), responses.columns.size());
  EXPECT_EQ(row.values[2], std::optional<std::string>("2"));  // C
  EXPECT_GT(row.change_seq, pushed);
  // Status: those rows, counted once each however often they changed.
  int64_t pending_responses = 0;
  for (const auto& p : pending_changes(db, pushed))
    if (p.table == "responses") pending_responses = p.rows;
  EXPECT_EQ(pending_responses, 7);
}

}  // namespace
}  // namespace cardpoll::school_test
