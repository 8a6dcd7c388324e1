// The school tests' server: the PostgreSQL the CTest fixture started (postgres_fixture.sh),
// one fresh database per test, and counting what the server holds against the laptop.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <thread>

#include "core/store/sync_log.h"
#include "tests/support/cardpoll_cli.h"

extern char** environ;

namespace cardpoll::school_test {

using test_support::CliRun;
using test_support::run_cardpoll;
using test_support::run_cardpoll_line;
using test_support::shell_quote;
using test_support::TempDir;

// The folder the fixture's server listens in.
inline std::string server_dir() {
  std::ifstream in(CARDPOLL_PG_INFO);
  std::string dir;
  std::getline(in, dir);
  return dir;
}

inline std::string address(const std::string& db, const std::string& user = "cardpoll") {
  return "postgresql://" + user + "@/" + db + "?host=" + server_dir();
}

// A new, empty database on the server named after the running test (owner: `owner`).
inline std::string fresh_database(const std::string& owner = "cardpoll") {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "t_" + std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  pqxx::connection admin(address("postgres"));
  pqxx::nontransaction q(admin);
  q.exec("DROP DATABASE IF EXISTS " + q.quote_name(name) + " WITH (FORCE)");
  q.exec("CREATE DATABASE " + q.quote_name(name) + " OWNER " + q.quote_name(owner));
  return name;
}

inline void fixture(const std::string& what) {
  const std::string cmd = "bash " + shell_quote(CARDPOLL_SOURCE_DIR "/tests/school/postgres_fixture.sh") + " " + what +
                          " " + shell_quote(CARDPOLL_PG_INFO) + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// Live (not deleted) rows of each travelling table on the server.
inline std::map<std::string, int64_t> server_counts(const std::string& db) {
  pqxx::connection c(address(db));
  pqxx::nontransaction q(c);
  std::map<std::string, int64_t> out;
  for (const auto& t : sync_tables())
    out[std::string(t.name)] =
        q.exec("SELECT count(*) FROM " + std::string(t.name) + " WHERE deleted_at IS NULL")[0][0].as<int64_t>();
  return out;
}

inline std::map<std::string, int64_t> local_counts(Database& db) {
  std::map<std::string, int64_t> out;
  for (const auto& t : sync_tables()) {
    Statement s(db, "SELECT count(*) FROM " + std::string(t.name));
    s.step();
    out[std::string(t.name)] = s.column_int64(0);
  }
  return out;
}

// What the server must hold when its mark for this laptop is `seq`: every row whose first
// log entry is at or before it (a batch is all or nothing).
inline std::map<std::string, int64_t> rows_up_to(Database& db, int64_t seq) {
  std::map<std::string, int64_t> out;
  for (const auto& t : sync_tables()) {
    Statement s(db, "SELECT count(DISTINCT uid) FROM sync_log WHERE tbl = ? AND seq <= ?");
    s.bind(1, t.name).bind(2, seq);
    s.step();
    out[std::string(t.name)] = s.column_int64(0);
  }
  return out;
}

inline int64_t server_mark(const std::string& db) {
  pqxx::connection c(address(db));
  pqxx::nontransaction q(c);
  if (q.exec("SELECT to_regclass('laptops') IS NULL")[0][0].as<bool>()) return 0;
  auto r = q.exec("SELECT coalesce(max(pushed_seq), 0) FROM laptops");
  return r[0][0].as<int64_t>();
}

// `cardpoll ARGS` as a child process (stdout and stderr to files in `dir`), for killing it.
struct Child {
  pid_t pid = -1;
  int wait_exit() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
  }
};
inline Child start_cardpoll(const std::vector<std::string>& args, const std::filesystem::path& out) {
  std::string line = shell_quote(CARDPOLL_EXE);
  for (const auto& a : args) line += " " + shell_quote(a);
  // exec: the shell becomes cardpoll, so the pid is cardpoll's own and SIGKILL reaches it.
  line = "exec " + line + " >" + shell_quote(out.string()) + " 2>&1 </dev/null";
  std::vector<char*> argv = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), line.data(), nullptr};
  Child c;
  EXPECT_EQ(::posix_spawn(&c.pid, "/bin/sh", nullptr, nullptr, argv.data(), environ), 0);
  return c;
}

// Waits (up to a minute) until the server holds a mark past `above` for this laptop.
inline int64_t wait_for_mark(const std::string& db, int64_t above) {
  for (int i = 0; i < 6000; ++i) {
    try {
      if (int64_t m = server_mark(db); m > above) return m;
    } catch (const std::exception&) {  // the tables may not be there yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

}  // namespace cardpoll::school_test
