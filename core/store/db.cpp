#include "core/store/db.h"

#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "core/store/schema.h"

namespace cardpoll {

namespace fs = std::filesystem;

namespace {

// Creates the missing folders of `dir` one by one with mode 0700: class data is personal
// data, so nobody but the teacher's account may list it. Existing folders are left alone.
void create_private_folders(const fs::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  create_private_folders(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw DbError("cannot create folder " + dir.string() + " for the database: " +
                      std::strerror(errno),
                  SQLITE_CANTOPEN);
}

// Creates an empty database file readable by its owner only (0600). SQLite then gives the
// -wal and -shm files the same mode as the database file, so they stay private too.
void create_private_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // someone else created it just now: fine
    throw DbError("cannot create database " + path.string() + ": " + std::strerror(errno),
                  SQLITE_CANTOPEN);
  }
  ::close(fd);
}

}  // namespace

Database::Database(const fs::path& path, const OpenOptions& options) : path_(path) {
  try {
    open(options);
  } catch (...) {
    close();
    throw;
  }
}

Database::~Database() { close(); }

Database::Database(Database&& other) noexcept
    : handle_(other.handle_), path_(std::move(other.path_)), busy_timeout_ms_(other.busy_timeout_ms_) {
  other.handle_ = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = other.handle_;
    path_ = std::move(other.path_);
    busy_timeout_ms_ = other.busy_timeout_ms_;
    other.handle_ = nullptr;
  }
  return *this;
}

void Database::close() noexcept {
  if (handle_) {
    // sqlite3_close_v2 defers the close until statements are finalized; all of ours are
    // RAII-owned and gone by now, so this closes at once (and checkpoints the WAL).
    sqlite3_close_v2(handle_);
    handle_ = nullptr;
  }
}

void Database::open(const OpenOptions& options) {
  std::error_code ec;
  const bool exists = fs::exists(path_, ec);
  if (exists && fs::is_directory(path_, ec))
    throw DbError("cannot open database " + path_.string() + ": it is a folder", SQLITE_CANTOPEN);
  if (!exists) {
    if (options.read_only || !options.create)
      throw DbError("cannot open database " + path_.string() + ": no such file", SQLITE_CANTOPEN);
    create_private_folders(path_.parent_path());
    create_private_file(path_);
  }

  const int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                    SQLITE_OPEN_FULLMUTEX;
  int rc = sqlite3_open_v2(path_.c_str(), &handle_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string why = handle_ ? sqlite3_errmsg(handle_) : sqlite3_errstr(rc);
    throw DbError("cannot open database " + path_.string() + ": " + why, rc);
  }
  sqlite3_extended_result_codes(handle_, 1);
  busy_timeout_ms_ = options.busy_timeout_ms;
  sqlite3_busy_timeout(handle_, busy_timeout_ms_);

  // SQLite quietly opens a write-protected file read-only; say so now rather than fail at
  // the first answer of the lesson.
  if (!options.read_only && sqlite3_db_readonly(handle_, "main") == 1)
    throw DbError("cannot write database " + path_.string() +
                      ": the file is read-only (check its permissions)",
                  SQLITE_READONLY);

  // The first read of the file header: a corrupt or foreign file fails here.
  int32_t app_id = 0;
  int tables = 0;
  try {
    Statement s(*this, "PRAGMA application_id");
    if (s.step()) app_id = static_cast<int32_t>(s.column_int64(0));
    Statement t(*this, "SELECT count(*) FROM sqlite_schema");
    if (t.step()) tables = t.column_int(0);
  } catch (const DbError& e) {
    const int primary = e.sqlite_code() & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
      throw DbError(path_.string() + " is not a cardpoll database (" +
                        sqlite3_errstr(e.sqlite_code()) + ")",
                    e.sqlite_code());
    throw;
  }
  if (app_id != kApplicationId && (app_id != 0 || tables > 0))
    throw DbError(path_.string() + " is an SQLite database of another program, not a cardpoll "
                      "database; give another --db path",
                  SQLITE_NOTADB);
  const int version = schema_version(*this);
  if (version > latest_schema_version())
    throw DbError(path_.string() + " was written by a newer cardpoll (schema version " +
                      std::to_string(version) + "; this cardpoll knows up to " +
                      std::to_string(latest_schema_version()) + "): update cardpoll to use it",
                  SQLITE_CANTOPEN);

  exec("PRAGMA foreign_keys = ON");
  if (!options.read_only) {
    // WAL: readers (the projector, exports) never block the writer, and a commit is one
    // append to the WAL instead of a rewrite of pages plus a rollback journal.
    {
      // A new file is still in rollback mode: two programs switching it at once (two first
      // runs) deadlock on its lock, and SQLite gives one of them SQLITE_BUSY at once rather
      // than wait. Try again, for as long as any other lock is waited for.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
      for (;;) {
        try {
          Statement wal(*this, "PRAGMA journal_mode = WAL");
          if (!wal.step() || wal.column_text(0) != "wal")
            throw DbError("cannot use write-ahead logging for " + path_.string() +
                              " (journal mode is '" + wal.column_text(0) + "')",
                          SQLITE_CANTOPEN);
          break;
        } catch (const DbError& e) {
          if ((e.sqlite_code() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > give_up) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    }
    exec(options.durability == Durability::Full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL");
    // After each checkpoint, truncate the WAL back to at most 4 MiB, so a long lesson (or a
    // reader that held the WAL open for a while) does not leave a large file behind.
    exec("PRAGMA journal_size_limit = 4194304");
    if (options.migrate) migrate(*this);
  }
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw DbError(path_.string() + ": " + msg, sqlite3_extended_errcode(handle_));
  }
}

Statement Database::prepare(std::string_view sql) { return Statement(*this, sql); }

int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(handle_); }

int Database::changes() const { return sqlite3_changes(handle_); }

bool Database::checkpoint_wal_if_larger(int64_t limit_bytes, int wait_ms) {
  std::error_code ec;
  const auto size = fs::file_size(wal_path(path_), ec);
  if (ec || static_cast<int64_t>(size) <= limit_bytes) return false;
  // Wait only briefly: this runs on the live view's thread, and trying again later is fine.
  sqlite3_busy_timeout(handle_, wait_ms);
  const int rc = sqlite3_wal_checkpoint_v2(handle_, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_timeout(handle_, busy_timeout_ms_);
  return rc == SQLITE_OK;
}

void Database::fail(std::string_view what, int code) const {
  std::string msg = path_.string() + ": ";
  if (!what.empty()) msg += std::string(what) + ": ";
  msg += handle_ ? sqlite3_errmsg(handle_) : sqlite3_errstr(code);
  throw DbError(msg, code);
}

// ---- Statement -------------------------------------------------------------------------

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_,
                                    nullptr);
  if (rc != SQLITE_OK) db.fail("cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"", rc);
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail("bind", rc);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail("bind", rc);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->fail("bind", rc);
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail("bind", rc);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int code = sqlite3_extended_errcode(db_->handle());
  sqlite3_reset(stmt_);
  db_->fail("", code);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(stmt_, column); }

int Statement::column_int(int column) const { return sqlite3_column_int(stmt_, column); }

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> Statement::column_optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int64(column);
}

// ---- Transaction -----------------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) {
  // Inside another transaction (importing a recovery file replays a whole lesson through the
  // collector in ONE transaction): a savepoint, so the inner step can still roll back alone.
  nested_ = !sqlite3_get_autocommit(db_.handle());
  db_.exec(nested_ ? "SAVEPOINT cardpoll_step" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (done_) return;
  // A failed statement may already have rolled back (e.g. SQLITE_FULL): only roll back
  // when a transaction is still open, and never throw from a destructor.
  if (sqlite3_get_autocommit(db_.handle())) return;
  sqlite3_exec(db_.handle(), nested_ ? "ROLLBACK TO cardpoll_step; RELEASE cardpoll_step" : "ROLLBACK",
               nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec(nested_ ? "RELEASE cardpoll_step" : "COMMIT");
  done_ = true;
}

void Database::set_busy_timeout(int ms) {
  busy_timeout_ms_ = ms;
  sqlite3_busy_timeout(handle_, ms);
}

fs::path wal_path(const fs::path& db) {
  fs::path p = db;
  p += "-wal";
  return p;
}

fs::path shm_path(const fs::path& db) {
  fs::path p = db;
  p += "-shm";
  return p;
}

}  // namespace cardpoll
