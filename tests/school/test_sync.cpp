// cardpoll sync against a real PostgreSQL server (the CTest fixture cardpoll_postgres): pushing
// twice, after corrections, from a restored backup, killed midway, with the server stopped
// midway, several at once, to an older server schema; and the refusals (a password in the
// address, a newer server, a wrong password, an unreachable server).
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "core/store/corrections.h"
#include "school/server.h"
#include "tests/school/school_data.h"
#include "tests/school/school_support.h"

namespace cardpoll::school_test {
namespace {

namespace fs = std::filesystem;

CliRun sync_to(const fs::path& db, const std::string& to, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"--db", db.string(), "sync", "--to", to, "--quiet"};
  args.insert(args.end(), more.begin(), more.end());
  return run_cardpoll(args);
}

TEST(SchoolSync, EveryCommandHasHelp) {
  for (const char* cmd : {"sync", "school"}) {
    const CliRun r = run_cardpoll({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage: cardpoll"), std::string::npos) << cmd;
  }
}

TEST(SchoolSync, RefusesAPasswordInTheAddressBeforeTouchingAnything) {
  TempDir dir;
  for (const std::string& to : {"postgresql://teacher:chalk@/school?host=" + server_dir(),
                               "postgresql://teacher@/school?password=chalk&host=" + server_dir(),
                               "host=" + server_dir() + " user=teacher password=chalk dbname=school"}) {
    const CliRun r = run_cardpoll({"--db", (dir / "c.db").string(), "sync", "--to", to});
    EXPECT_EQ(r.exit_code, 1) << to;
    EXPECT_NE(r.err.find("contains a password"), std::string::npos) << r.err;
    EXPECT_EQ(r.all().find("chalk"), std::string::npos) << "the password was printed: " << r.all();
    const CliRun rep = run_cardpoll({"school", "report", "--from", to, "--set", "x", "--out", (dir / "r.html").string()});
    EXPECT_EQ(rep.exit_code, 1);
    EXPECT_NE(rep.err.find("contains a password"), std::string::npos) << rep.err;
  }
  EXPECT_FALSE(fs::exists(dir / "c.db")) << "the database was opened before the address was checked";
}

TEST(SchoolSync, PushTwiceAndFromARestoredBackupDuplicatesNothing) {
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  Database db(file, {.durability = Durability::Normal});
  make_year(db, {});
  backup_database(db, now_ms());  // the restored backup, below
  fs::path backup;
  for (const auto& e : fs::directory_iterator(dir.path))
    if (e.path().filename().string().find("backup") != std::string::npos) backup = e.path();
  ASSERT_FALSE(backup.empty());
  const std::string name = fresh_database();
  const std::string to = address(name);

  const CliRun first = sync_to(file, to);
  ASSERT_EQ(first.exit_code, 0) << first.all();
  const auto want = local_counts(db);
  EXPECT_EQ(server_counts(name), want);
  EXPECT_EQ(want.at("responses"), 2 * 3 * 10 * 5);

  const CliRun again = sync_to(file, to);
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_NE(again.out.find("already has everything"), std::string::npos) << again.out;
  EXPECT_EQ(server_counts(name), want);

  // A correction here, pushed; then the backup from before it is restored and pushed: the
  // backup's older answer must not win, and nothing doubles.
  const Id ses = list_sessions(db).back().id;  // oldest session
  const Student s = list_students(db, find_session(db, ses)->class_id).back();
  correct_answer(db, ses, 1, s.id, Answer::D, "ana", now_ms());
  ASSERT_EQ(sync_to(file, to).exit_code, 0);
  const CliRun restored = sync_to(backup, to);
  ASSERT_EQ(restored.exit_code, 0) << restored.all();
  EXPECT_NE(restored.out.find("restored backup"), std::string::npos) << restored.out;
  auto after = server_counts(name);
  EXPECT_EQ(after.at("responses"), want.at("responses"));
  EXPECT_EQ(after.at("corrections"), 1);
  pqxx::connection c(address(name));
  pqxx::nontransaction q(c);
  Statement uid(db, "SELECT r.uid FROM responses r JOIN asks a ON a.id = r.ask_id WHERE a.session_id = ? AND a.number = 1 AND r.student_id = ?");
  uid.bind(1, ses).bind(2, s.id);
  ASSERT_TRUE(uid.step());
  EXPECT_EQ(q.exec_params("SELECT answer FROM responses WHERE uid = $1", uid.column_text(0))[0][0].as<int>(), 3)
      << "the restored backup's older answer replaced the correction";
}

TEST(SchoolSync, CorrectionsAfterAPushTravelOnTheNext) {
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  Database db(file, {.durability = Durability::Normal});
  make_year(db, {.classes = 1, .lessons = 2, .students = 5});
  const std::string name = fresh_database();
  const std::string to = address(name);

  CliRun st = run_cardpoll({"--db", file.string(), "sync", "--status"});
  EXPECT_NE(st.out.find("never pushed"), std::string::npos) << st.out;
  ASSERT_EQ(sync_to(file, to).exit_code, 0);
  st = run_cardpoll({"--db", file.string(), "sync", "--status"});
  EXPECT_NE(st.out.find("everything is pushed"), std::string::npos) << st.out;

  const ClassInfo k = list_classes(db).front();
  const Session ses = list_sessions(db, k.id).front();
  const Student s = list_students(db, k.id).front();
  correct_answer(db, ses.id, 2, s.id, Answer::C, "ana", now_ms());
  correct_answer(db, ses.id, 3, s.id, std::nullopt, "ana", now_ms());  // cleared
  rename_class(db, k.id, "Period 1 (maths)", "ana", now_ms());
  st = run_cardpoll({"--db", file.string(), "sync", "--status", "--to", to});
  EXPECT_NE(st.out.find("not yet pushed"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("corrections 3"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("classes 1"), std::string::npos) << st.out;

  ASSERT_EQ(sync_to(file, to).exit_code, 0);
  EXPECT_EQ(server_counts(name), local_counts(db));
  pqxx::connection c(address(name));
  pqxx::nontransaction q(c);
  EXPECT_EQ(q.exec("SELECT name FROM classes")[0][0].as<std::string>(), "Period 1 (maths)");
  EXPECT_EQ(q.exec("SELECT count(*) FROM responses WHERE deleted_at IS NOT NULL")[0][0].as<int>(), 1);
  EXPECT_EQ(q.exec("SELECT count(*) FROM corrections WHERE who = 'ana'")[0][0].as<int>(), 3);
  Statement a(db, "SELECT r.uid FROM responses r JOIN asks a ON a.id = r.ask_id WHERE a.session_id = ? AND a.number = 2 AND r.student_id = ?");
  a.bind(1, ses.id).bind(2, s.id);
  ASSERT_TRUE(a.step());
  EXPECT_EQ(q.exec_params("SELECT answer FROM responses WHERE uid = $1", a.column_text(0))[0][0].as<int>(), 2);
  st = run_cardpoll({"--db", file.string(), "sync", "--status", "--to", to});
  EXPECT_NE(st.out.find("everything is pushed"), std::string::npos) << st.out;
}

// Kills the push (SIGKILL) or stops the server once a few batches are on the server, checks the
// server holds exactly whole batches, then pushes again to the end.
void interrupt_and_resume(bool stop_server) {
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  Database db(file, {.durability = Durability::Normal});
  make_year(db, {.classes = 2, .lessons = 30, .students = 20, .asks = 5});  // ~12,400 log entries: ~2500 batches of 5
  const int64_t last = last_change_seq(db);
  const std::string name = fresh_database();
  const std::string to = address(name);

  Child push = start_cardpoll({"--db", file.string(), "sync", "--to", to, "--batch", "5"}, dir / "push.log");
  const int64_t seen = wait_for_mark(name, 0);
  ASSERT_GT(seen, 0) << test_support::read_text(dir / "push.log");
  if (stop_server) {
    fixture("crash");
    // What the push said, whatever its end: an abort leaves its reason (an uncaught exception's
    // type and text, a libc message) only there.
    EXPECT_EQ(push.wait_exit(), 1) << test_support::read_text(dir / "push.log");
    const std::string said = test_support::read_text(dir / "push.log");
    EXPECT_NE(said.find("run the same command again"), std::string::npos) << said;
    fixture("restart");
  } else {
    ::kill(push.pid, SIGKILL);
    EXPECT_EQ(push.wait_exit(), 128 + SIGKILL);
  }
  const int64_t mark = server_mark(name);
  ASSERT_GT(mark, 0);
  ASSERT_LT(mark, last) << "the push finished before it was interrupted: nothing was tested";
  EXPECT_EQ(server_counts(name), rows_up_to(db, mark)) << "the server holds part of a batch";

  const CliRun resumed = sync_to(file, to, {"--batch", "500"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.all();
  EXPECT_EQ(resumed.out.find("restored backup"), std::string::npos) << "resumed from scratch: " << resumed.out;
  EXPECT_EQ(server_counts(name), local_counts(db));
  EXPECT_EQ(server_mark(name), last);
}

TEST(SchoolSync, PushKilledMidwayResumes) { interrupt_and_resume(false); }
TEST(SchoolSync, ServerStoppedMidwayResumes) { interrupt_and_resume(true); }

TEST(SchoolSync, SeveralPushesAtOnce) {
  TempDir dir;
  std::vector<fs::path> files;
  for (int i = 0; i < 3; ++i) {
    files.push_back(dir / ("laptop" + std::to_string(i) + ".db"));
    Database db(files.back(), {.durability = Durability::Normal});
    make_year(db, {.classes = 2, .lessons = 4, .students = 12, .seed = static_cast<uint32_t>(i)});
  }
  const std::string name = fresh_database();
  const std::string to = address(name);
  // Three laptops, and the first one twice (two windows on the same computer).
  std::vector<Child> pushes;
  for (int i = 0; i < 4; ++i)
    pushes.push_back(start_cardpoll({"--db", files[i % 3].string(), "sync", "--to", to, "--batch", "37", "--quiet"},
                                    dir / ("push" + std::to_string(i) + ".log")));
  for (size_t i = 0; i < pushes.size(); ++i)
    EXPECT_EQ(pushes[i].wait_exit(), 0) << test_support::read_text(dir / ("push" + std::to_string(i) + ".log"));
  std::map<std::string, int64_t> want;
  for (const auto& f : files) {
    Database db(f);
    for (const auto& [t, n] : local_counts(db)) want[t] += n;
  }
  EXPECT_EQ(server_counts(name), want);
  pqxx::connection c(address(name));
  pqxx::nontransaction q(c);
  EXPECT_EQ(q.exec("SELECT count(*) FROM laptops")[0][0].as<int>(), 3);
}

TEST(SchoolSync, AnOlderServerSchemaIsMigrated) {
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  Database db(file, {.durability = Durability::Normal});
  make_year(db, {.classes = 1, .lessons = 1, .students = 4});
  const std::string name = fresh_database();
  {
    pqxx::connection c(address(name));
    school::migrate_server(c, 1);
    EXPECT_EQ(school::server_schema_version(c), 1);
  }
  ASSERT_EQ(sync_to(file, address(name)).exit_code, 0);
  pqxx::connection c(address(name));
  EXPECT_EQ(school::server_schema_version(c), school::latest_server_schema_version());
  pqxx::nontransaction q(c);
  EXPECT_EQ(q.exec("SELECT count(*) FROM pg_indexes WHERE indexname = 'responses_by_ask'")[0][0].as<int>(), 1);
  EXPECT_EQ(server_counts(name), local_counts(db));
}

TEST(SchoolSync, ANewerServerSchemaIsRefused) {
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  Database db(file, {.durability = Durability::Normal});
  make_year(db, {.classes = 1, .lessons = 1, .students = 2});
  const std::string name = fresh_database();
  {
    pqxx::connection c(address(name));
    school::migrate_server(c);
    pqxx::nontransaction q(c);
    q.exec("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");
  }
  const CliRun r = sync_to(file, address(name));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("newer cardpoll"), std::string::npos) << r.err;
  EXPECT_EQ(server_counts(name).at("classes"), 0);
}

TEST(SchoolSync, PasswordFromPgpassfileAndTeacherWordedRefusals) {
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  {
    Database db(file, {.durability = Durability::Normal});
    make_year(db, {.classes = 1, .lessons = 1, .students = 3});
  }
  const std::string name = fresh_database("teacher");
  const std::string to = address(name, "teacher");
  const fs::path good = dir / "pgpass", bad = dir / "pgpass-wrong";
  std::ofstream(good) << "*:*:*:teacher:chalk\n";
  std::ofstream(bad) << "*:*:*:teacher:cheese\n";
  fs::permissions(good, fs::perms::owner_read | fs::perms::owner_write);
  fs::permissions(bad, fs::perms::owner_read | fs::perms::owner_write);
  const std::vector<std::string> args = {"--db", file.string(), "sync", "--quiet", "--to", to};

  ::setenv("PGPASSFILE", bad.c_str(), 1);
  CliRun r = run_cardpoll(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refused the password"), std::string::npos) << r.err;
  EXPECT_EQ(r.all().find("cheese"), std::string::npos) << r.all();

  ::setenv("PGPASSFILE", (dir / "none").c_str(), 1);
  r = run_cardpoll(args);  // standard input is a file, not a terminal: no one to ask
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("asks for a password"), std::string::npos) << r.err;

  ::setenv("PGPASSFILE", good.c_str(), 1);
  r = run_cardpoll(args);
  EXPECT_EQ(r.exit_code, 0) << r.all();
  ::unsetenv("PGPASSFILE");
  Database db(file);
  EXPECT_EQ(server_counts(name), local_counts(db));
}

TEST(SchoolSync, AsksForThePasswordOnATerminal) {
  // script(1) gives cardpoll a terminal; the password is typed on it (never on the command line).
  TempDir dir;
  const fs::path file = dir / "teacher.db";
  {
    Database db(file, {.durability = Durability::Normal});
    make_year(db, {.classes = 1, .lessons = 1, .students = 2});
  }
  const std::string name = fresh_database("teacher");
  const std::string line = shell_quote(CARDPOLL_EXE) + " --db " + shell_quote(file.string()) + " sync --quiet --to " +
                           shell_quote(address(name, "teacher"));
  const fs::path typed = dir / "typed", said = dir / "said";
  std::ofstream(typed) << "chalk\n";
  const std::string cmd = "PGPASSFILE=/nonexistent script -qec " + shell_quote(line) + " /dev/null <" +
                          shell_quote(typed.string()) + " >" + shell_quote(said.string()) + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << test_support::read_text(said);
  EXPECT_NE(test_support::read_text(said).find("Password for the school server"), std::string::npos);
  Database db(file);
  EXPECT_EQ(server_counts(name), local_counts(db));
}

TEST(SchoolSync, AnUnreachableServerIsSaidInWords) {
  TempDir dir;
  const CliRun r = run_cardpoll({"--db", (dir / "c.db").string(), "sync", "--to",
                                 "postgresql://cardpoll@/school?host=" + (dir / "no-server").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot reach the school server"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stay on this computer"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cardpoll::school_test
