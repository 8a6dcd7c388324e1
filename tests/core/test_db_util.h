// Helpers for the storage tests: a private temporary folder per test, and a dump of every
// row of every table, to check that a refused import left the database exactly as it was.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/cardpoll_cli.h"

namespace cardpoll::testing_store {

// A fresh folder per test, removed at its end (the one every test room uses).
using TempDir = test_support::TempDir;

// Every row of every table and the schema version, in a stable order, as text. Uses the raw
// SQLite API read-only (not the code under test), so it works on any database file.
inline std::string dump_database(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + file.string());
  }
  auto rows_of = [&](const std::string& sql) {
    std::vector<std::string> rows;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* t = sqlite3_column_text(s, c);
        row += (t ? std::string(reinterpret_cast<const char*>(t)) : std::string("NULL")) + "|";
      }
      rows.push_back(row);
    }
    sqlite3_finalize(s);
    return rows;
  };
  std::string out = "user_version " + rows_of("PRAGMA user_version").at(0) + "\n";
  for (const auto& t : rows_of("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
    const std::string name = t.substr(0, t.size() - 1);
    out += "table " + name + "\n";
    // Table names come from sqlite_schema, not from input.
    auto rows = rows_of("SELECT * FROM \"" + name + "\"");
    std::sort(rows.begin(), rows.end());
    for (const auto& r : rows) out += r + "\n";
  }
  sqlite3_close(db);
  return out;
}

// The message of whatever `f` throws, or "(no error)".
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace cardpoll::testing_store
