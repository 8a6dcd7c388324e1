// The school server at scale (docs/school.md, "Figures"), against a real PostgreSQL started in
// a temporary folder by tests/school/postgres_fixture.sh (fsync on, no statement log):
//   1. a year of one teacher (6 classes x 180 lessons x 30 students x 5 asks) pushed from empty:
//      time, rows per second, server size;
//   2. N laptops (default 20, each --laptop-lessons lessons of the same 6 x 30 x 5 shape)
//      pushing at once, each its own process-like thread with its own connection;
//   3. the school report on a server holding --responses responses (default 10 million),
//      generated server-side with generate_series: time, and EXPLAIN of the report's queries.
//
//   4. what the change-log triggers cost a live lesson's answers (no server).
//
//   nice build/bench/bench_school [--skip-triggers] [--skip-year] [--skip-laptops] [--skip-report]
//                                 [--laptops 20] [--laptop-lessons 20] [--responses 10000000]
// Work files go to $CARDPOLL_BENCH_DIR (else /tmp); the server and databases are removed at the end.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "core/store/sync_log.h"
#include "school/push.h"
#include "school/report.h"
#include "school/server.h"
#include "tests/school/school_data.h"

using namespace cardpoll;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Server {
  fs::path info;
  std::string dir;
  explicit Server(const fs::path& work) : info(work / "postgres.info") {
    const std::string cmd = "CARDPOLL_PG_FSYNC=on CARDPOLL_PG_LOG=none bash '" CARDPOLL_SOURCE_DIR
                            "/tests/school/postgres_fixture.sh' start '" + info.string() + "' >/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not start PostgreSQL");
    std::ifstream(info) >> dir;
  }
  ~Server() {
    const std::string cmd = "bash '" CARDPOLL_SOURCE_DIR "/tests/school/postgres_fixture.sh' stop '" + info.string() + "'";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "bench_school: could not stop PostgreSQL\n");
  }
  std::string address(const std::string& db) const { return "postgresql://cardpoll@/" + db + "?host=" + dir; }
  void create(const std::string& db) const {
    pqxx::connection c(address("postgres"));
    pqxx::nontransaction q(c);
    q.exec("CREATE DATABASE " + db);
  }
  long long size(const std::string& db) const {
    pqxx::connection c(address(db));
    pqxx::nontransaction q(c);
    return q.exec("SELECT pg_database_size(current_database())")[0][0].as<long long>();
  }
};

long long rows_in(Database& db) {
  long long n = 0;
  for (const auto& t : sync_tables()) {
    Statement s(db, "SELECT count(*) FROM " + std::string(t.name));
    s.step();
    n += s.column_int64(0);
  }
  return n;
}

void bench_year(const Server& server, const fs::path& work) {
  const fs::path file = work / "year.db";
  auto t = Clock::now();
  {
    Database db(file, {.durability = Durability::Normal});
    school_test::make_year(db, {.classes = 6, .lessons = 180, .students = 30, .asks = 5, .set_name = "Year quiz"});
  }
  std::printf("year: made the laptop's database in %.1f s\n", seconds_since(t));
  server.create("year");
  Database db(file);
  const long long rows = rows_in(db);
  auto c = school::connect(server.address("year"));
  t = Clock::now();
  const auto r = school::push(db, *c, {.server = "year", .laptop_name = "bench"});
  const double s = seconds_since(t);
  std::printf("year: pushed %lld rows (%lld log entries) in %lld batches in %.1f s: %.0f rows/s; server database %.1f MB\n",
              static_cast<long long>(r.rows), static_cast<long long>(r.to_seq), static_cast<long long>(r.batches), s,
              rows / s, server.size("year") / 1e6);
  t = Clock::now();
  const auto again = school::push(db, *c, {.server = "year", .laptop_name = "bench"});
  std::printf("year: a second push (nothing new) in %.2f s, %lld batches\n", seconds_since(t),
              static_cast<long long>(again.batches));
}

void bench_laptops(const Server& server, const fs::path& work, int laptops, int lessons) {
  std::vector<fs::path> files;
  long long rows = 0;
  for (int i = 0; i < laptops; ++i) {
    files.push_back(work / ("laptop" + std::to_string(i) + ".db"));
    Database db(files.back(), {.durability = Durability::Normal});
    school_test::make_year(db, {.classes = 6, .lessons = lessons, .students = 30, .asks = 5,
                                .set_name = "Common quiz", .class_prefix = "Class " + std::to_string(i) + "."});
    rows += rows_in(db);
  }
  server.create("laptops");
  std::vector<std::thread> threads;
  std::vector<double> took(laptops);
  std::vector<std::string> failed(laptops);
  const auto t = Clock::now();
  for (int i = 0; i < laptops; ++i)
    threads.emplace_back([&, i] {
      try {
        const auto start = Clock::now();
        Database db(files[i]);
        auto c = school::connect(server.address("laptops"));
        school::push(db, *c, {.server = "laptops", .laptop_name = "laptop " + std::to_string(i)});
        took[i] = seconds_since(start);
      } catch (const std::exception& e) {
        failed[i] = e.what();
      }
    });
  for (auto& th : threads) th.join();
  const double s = seconds_since(t);
  double slowest = 0;
  for (int i = 0; i < laptops; ++i) {
    if (!failed[i].empty()) std::printf("laptops: laptop %d FAILED: %s\n", i, failed[i].c_str());
    slowest = std::max(slowest, took[i]);
  }
  std::printf("laptops: %d laptops x (6 classes x %d lessons x 30 students x 5 asks) = %lld rows pushed at once in "
              "%.1f s (slowest laptop %.1f s): %.0f rows/s in all; server database %.1f MB\n",
              laptops, lessons, rows, s, slowest, rows / s, server.size("laptops") / 1e6);
}

// 10 million responses: 1000 classes of 30, 100 question sets of 5 questions, sessions of 5 asks
// x 30 answers, each session one class and one set. Loaded like a restore: rows first, then the
// same keys and indexes the server's steps make.
void generate_big(pqxx::connection& c, long long responses) {
  const long long sessions = responses / 150;
  pqxx::nontransaction q(c);
  q.exec("SET maintenance_work_mem = '512MB'");
  q.exec("ALTER TABLE responses DROP CONSTRAINT responses_pkey");
  q.exec("DROP INDEX responses_by_ask, responses_by_student");
  const std::string v = "'00000000000000000000000000000001'::uuid, 0, 1";  // origin, changed_at, change_seq
  q.exec("INSERT INTO question_sets (uid, name, created_at, origin, changed_at, change_seq) SELECT md5('set' || i)::uuid,"
         " 'Set ' || i, 0, " + v + " FROM generate_series(0, 99) i");
  q.exec("INSERT INTO questions (uid, set_uid, position, text, true_false, correct, image_path, choices, skills, origin,"
         " changed_at, change_seq) SELECT md5('q' || i || '-' || p)::uuid, md5('set' || i)::uuid, p, 'Question ' || p, 0,"
         " 0, '', '[\"a\",\"b\",\"c\",\"d\"]', '[]', " + v +
         " FROM generate_series(0, 99) i, generate_series(1, 5) p");
  q.exec("INSERT INTO classes (uid, name, deck, created_at, origin, changed_at, change_seq) SELECT md5('class' || i)::uuid,"
         " 'Class ' || i, 'classroom', 0, " + v + " FROM generate_series(0, 999) i");
  q.exec("INSERT INTO students (uid, class_uid, display_name, first_name, last_name, card, active, sis_id, email, tags,"
         " origin, changed_at, change_seq) SELECT md5('st' || i || '-' || s)::uuid, md5('class' || i)::uuid,"
         " 'Student ' || s, '', '', s, 1, 'S' || i || '-' || s, '', '[]', " + v +
         " FROM generate_series(0, 999) i, generate_series(1, 30) s");
  q.exec("INSERT INTO sessions (uid, class_uid, set_uid, started_at, ended_at, origin, changed_at, change_seq)"
         " SELECT md5('ses' || k)::uuid, md5('class' || (k % 1000))::uuid, md5('set' || ((k / 7) % 100))::uuid,"
         " 1772614800000 + k::bigint * 60000, 1772614800000 + k::bigint * 60000 + 3000000, " + v +
         " FROM generate_series(0, " + std::to_string(sessions - 1) + ") k");
  q.exec("INSERT INTO asks (uid, session_uid, question_uid, number, opened_at, closed_at, origin, changed_at, change_seq)"
         " SELECT md5('a' || k || '-' || n)::uuid, md5('ses' || k)::uuid, md5('q' || ((k / 7) % 100) || '-' || n)::uuid,"
         " n, 1772614800000 + k::bigint * 60000 + n * 60000, NULL, " + v +
         " FROM generate_series(0, " + std::to_string(sessions - 1) + ") k, generate_series(1, 5) n");
  q.exec("INSERT INTO responses (uid, ask_uid, student_uid, answer, first_seen, last_changed, origin, changed_at, change_seq)"
         " SELECT md5('r' || k || '-' || n || '-' || s)::uuid, md5('a' || k || '-' || n)::uuid,"
         " md5('st' || (k % 1000) || '-' || s)::uuid, (k + n * s) % 4, 0, 0, " + v +
         " FROM generate_series(0, " + std::to_string(sessions - 1) + ") k, generate_series(1, 5) n,"
         " generate_series(1, 30) s");
  q.exec("ALTER TABLE responses ADD PRIMARY KEY (uid)");
  q.exec("CREATE INDEX responses_by_ask ON responses (ask_uid)");
  q.exec("CREATE INDEX responses_by_student ON responses (student_uid)");
  q.exec("ANALYZE");
}

void bench_report(const Server& server, long long responses) {
  server.create("big");
  auto c = school::connect(server.address("big"));
  school::migrate_server(*c);
  auto t = Clock::now();
  generate_big(*c, responses);
  {
    pqxx::nontransaction q(*c);
    std::printf("report: generated %lld responses server-side in %.0f s; server database %.1f MB\n",
                q.exec("SELECT count(*) FROM responses")[0][0].as<long long>(), seconds_since(t),
                server.size("big") / 1e6);
  }
  for (int run = 0; run < 3; ++run) {
    t = Clock::now();
    const auto r = school::load_set_report(*c, "Set 7");
    const std::string html = school::render(r, "html");
    std::printf("report: --set \"Set 7\" (%zu class sessions, %zu bytes of HTML) in %.2f s\n", r.classes.size(),
                html.size(), seconds_since(t));
  }
  {
    // The same report with the planner kept off the indexes: what step 2's indexes buy.
    pqxx::nontransaction off(*c);
    off.exec("SET enable_indexscan = off");
    off.exec("SET enable_bitmapscan = off");
  }
  t = Clock::now();
  const auto slow = school::load_set_report(*c, "Set 7");
  std::printf("report: --set \"Set 7\" without index scans (%zu class sessions) in %.2f s\n", slow.classes.size(),
              seconds_since(t));
  {
    pqxx::nontransaction on(*c);
    on.exec("RESET enable_indexscan");
    on.exec("RESET enable_bitmapscan");
  }
  t = Clock::now();
  const auto st = school::load_student_report(*c, "S7-3");
  std::printf("report: --student S7-3 (%zu sessions) in %.2f s\n", st.sessions.size(), seconds_since(t));
  pqxx::nontransaction q(*c);
  const char* const of_set =
      " FROM sessions s JOIN question_sets qs ON qs.uid = s.set_uid JOIN classes c ON c.uid = s.class_uid"
      " WHERE qs.name = 'Set 7' AND qs.deleted_at IS NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL";
  std::printf("\nEXPLAIN ANALYZE of the report's answers query:\n");
  for (const auto& row : q.exec(std::string("EXPLAIN (ANALYZE, COSTS OFF) SELECT r.ask_uid, r.student_uid, r.answer,"
                                            " r.first_seen, r.last_changed FROM responses r"
                                            " JOIN asks a ON a.uid = r.ask_uid AND a.deleted_at IS NULL"
                                            " WHERE r.deleted_at IS NULL AND a.session_uid IN (SELECT s.uid") +
                                of_set + ")"))
    std::printf("  %s\n", row[0].c_str());
}

// What schema step 6's triggers cost a live lesson: the collector's two statements per answer
// (responses upsert, response_changes insert), one commit each, in a database with the triggers
// and in one with them dropped, interleaved rounds; synchronous FULL (as cardpoll runs) and OFF
// (the CPU and write cost alone, without waiting for the disk).
double answers_per_second(Database& db, int n, int round) {
  Statement up(db,
               "INSERT INTO responses (ask_id, student_id, answer, first_seen, last_changed) VALUES (1, ?1, ?2, ?3, ?3) "
               "ON CONFLICT (ask_id, student_id) DO UPDATE SET answer = excluded.answer, last_changed = excluded.last_changed");
  Statement ch(db, "INSERT INTO response_changes (ask_id, student_id, answer, at) VALUES (1, ?, ?, ?)");
  const auto t = Clock::now();
  for (int i = 0; i < n; ++i) {
    Transaction tx(db);
    const int student = i % 40 + 1, answer = (i + round) % 4;
    up.bind(1, student).bind(2, answer).bind(3, static_cast<int64_t>(i));
    up.run();
    ch.bind(1, student).bind(2, answer).bind(3, static_cast<int64_t>(i));
    ch.run();
    tx.commit();
  }
  return n / seconds_since(t);
}

void bench_trigger_cost(const fs::path& work) {
  for (const bool full : {true, false}) {
    std::vector<Database> dbs;
    for (const char* name : {"with.db", "without.db"}) {
      dbs.emplace_back(work / (std::string(full ? "full-" : "off-") + name));
      Database& db = dbs.back();
      if (!full) db.exec("PRAGMA synchronous = OFF");
      school_test::make_year(db, {.classes = 1, .lessons = 1, .students = 40, .asks = 1, .set_name = "T"});
    }
    std::vector<std::string> triggers;
    {
      Statement s(dbs[1], "SELECT name FROM sqlite_master WHERE type = 'trigger'");
      while (s.step()) triggers.push_back(s.column_text(0));
    }
    for (const auto& t : triggers) dbs[1].exec("DROP TRIGGER " + t);
    std::vector<double> with, without;
    const int n = full ? 500 : 5000;
    for (int round = 0; round < 7; ++round) {
      with.push_back(answers_per_second(dbs[0], n, round));
      without.push_back(answers_per_second(dbs[1], n, round));
    }
    std::sort(with.begin(), with.end());
    std::sort(without.begin(), without.end());
    std::printf("triggers: synchronous %s: %.0f answers/s with the triggers, %.0f without (medians of 7 rounds of %d): "
                "ratio %.2f\n", full ? "FULL" : "OFF", with[3], without[3], n, with[3] / without[3]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool year = true, laptops_run = true, report = true, triggers = true;
  int laptops = 20, lessons = 20;
  long long responses = 10000000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--skip-year") year = false;
    else if (a == "--skip-laptops") laptops_run = false;
    else if (a == "--skip-report") report = false;
    else if (a == "--skip-triggers") triggers = false;
    else if (a == "--laptops" && i + 1 < argc) laptops = std::atoi(argv[++i]);
    else if (a == "--laptop-lessons" && i + 1 < argc) lessons = std::atoi(argv[++i]);
    else if (a == "--responses" && i + 1 < argc) responses = std::atoll(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_school [--skip-triggers] [--skip-year] [--skip-laptops] [--skip-report] [--laptops N] "
                           "[--laptop-lessons N] [--responses N]\n");
      return 2;
    }
  }
  const char* d = std::getenv("CARDPOLL_BENCH_DIR");
  const fs::path work = fs::path(d && *d ? d : "/tmp") / ("bench_school-" + std::to_string(::getpid()));
  fs::create_directories(work);
  int status = 0;
  try {
    if (triggers) bench_trigger_cost(work);
    Server server(work);
    if (year) bench_year(server, work);
    if (laptops_run) bench_laptops(server, work, laptops, lessons);
    if (report) bench_report(server, responses);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_school: %s\n", e.what());
    status = 1;
  }
  fs::remove_all(work);
  return status;
}
