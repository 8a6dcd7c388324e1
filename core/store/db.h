// A thin RAII wrapper over SQLite: one connection, prepared statements, and a transaction
// guard. Values always travel through bind(), never through SQL text, so a student called
// "Robert'); DROP TABLE students;--" is just a name.
//
// Threads: a Database (and its Statements) belongs to one thread at a time. A second thread
// that wants to read opens its own Database on the same file; WAL lets it read while the
// first one writes, and the busy timeout absorbs the short moments SQLite needs a lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace cardpoll {

// Any SQLite failure. what() names the database file and SQLite's own message;
// sqlite_code() is the (extended) result code for callers that care (busy, full, ...).
struct DbError : std::runtime_error {
  DbError(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
  int sqlite_code() const { return code_; }

 private:
  int code_;
};

// How hard each commit waits for the disk. See docs/data.md ("Durability").
enum class Durability {
  Full,    // PRAGMA synchronous=FULL: every commit is on disk before it returns (power-safe)
  Normal,  // PRAGMA synchronous=NORMAL: survives a crash of cardpoll, may lose the last
           // commits on power loss; only for throw-away databases (tests, benchmarks)
};

struct OpenOptions {
  bool create = true;          // create the file (0600) and its folders (0700) when missing
  bool read_only = false;      // open without write access (never creates, never migrates)
  Durability durability = Durability::Full;
  int busy_timeout_ms = 5000;  // how long to wait for another connection's lock
  bool migrate = true;         // false: leave the schema as found (tests of migrations only)
};

class Statement;

class Database {
 public:
  Database() = default;
  // Opens (and, unless read_only, creates and migrates: see core/store/schema.h) the cardpoll
  // database at `path`. Throws DbError naming the path when the file cannot be opened or
  // created, is not a database, is not a cardpoll database, or was written by a newer cardpoll.
  explicit Database(const std::filesystem::path& path, const OpenOptions& options = {});
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool is_open() const { return handle_ != nullptr; }
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return handle_; }

  // Runs SQL without values (schema, pragmas). Never pass user data here: use Statement.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  int64_t last_insert_id() const;
  int changes() const;  // rows changed by the last statement
  // Keeps the WAL bounded while readers keep reading. SQLite's automatic checkpoints copy
  // the WAL into the database but cannot rewind it while some reader still uses it, so under
  // a steady reader it grows without end. When the -wal file is larger than `limit_bytes`,
  // this waits up to `wait_ms` for the readers of the moment to finish, then empties it
  // (TRUNCATE). Returns true when it did; false (never an error) when readers stayed busy:
  // the caller simply tries again later.
  bool checkpoint_wal_if_larger(int64_t limit_bytes, int wait_ms);
  // How long a statement waits for another connection's lock before SQLITE_BUSY.
  void set_busy_timeout(int ms);
  // Throws DbError built from the connection's last error, prefixed with `what`.
  [[noreturn]] void fail(std::string_view what, int code) const;

 private:
  void open(const OpenOptions& options);
  void close() noexcept;

  sqlite3* handle_ = nullptr;
  std::filesystem::path path_;
  int busy_timeout_ms_ = 5000;
};

// A prepared statement. Parameters are 1-based like SQLite's; columns are 0-based.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Advances to the next row: true when there is one, false when done. Throws DbError.
  bool step();
  // For statements that return no rows (INSERT/UPDATE/DELETE): step once, then reset.
  void run();
  // Ready to run again with new bindings (bindings are cleared too).
  void reset();

  int column_count() const;
  bool is_null(int column) const;
  int64_t column_int64(int column) const;
  int column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;  // "" for NULL
  std::optional<int64_t> column_optional_int64(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction (take the write lock at once, so two writers queue on the
// busy timeout instead of failing half-way); ROLLBACK on destruction unless commit() ran.
// Inside an open transaction it is a SAVEPOINT instead (commit = RELEASE, rollback = ROLLBACK
// TO): the outer transaction decides what reaches the disk.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
  bool nested_ = false;
};

// The -wal and -shm companions of a database file (they exist while it is open in WAL mode).
std::filesystem::path wal_path(const std::filesystem::path& db);
std::filesystem::path shm_path(const std::filesystem::path& db);

}  // namespace cardpoll
