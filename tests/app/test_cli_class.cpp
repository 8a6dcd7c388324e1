// End to end through the cardpoll command: class / questions / session / export, and the
// all-or-nothing rule: every malformed import (the parsers' sample files in tests/data/import
// and the storage's own cases) fails with exit 1 and a message naming the file, and leaves the
// database row-for-row as it was.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include "../core/test_db_util.h"
#include "core/store/db.h"
#include "core/store/storage.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using cardpoll::testing_store::dump_database;
using cardpoll::testing_store::TempDir;
namespace test_support = cardpoll::test_support;

namespace {

struct CmdResult {
  int code = -1;
  std::string out;  // stdout and stderr together
};

CmdResult cardpoll_cmd(const std::filesystem::path& db, const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::vector<std::string> all = {"--db", db.string()};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = test_support::run_cardpoll(all, stdin_text);
  return {r.exit_code, r.all()};
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// A database with one class (Ana 1, Ben 2, Chen 3) and one question set of two questions.
struct Fixture {
  TempDir dir;
  std::filesystem::path db = dir / "class.db";
  Fixture() {
    write_file(dir / "roster.csv", "name,card,tags\nAna Garcia,1,el;lang:es\nBen Li,2,\nChen Wei,3,iep\n");
    write_file(dir / "q.aiken", "Half of 4?\nA. 1\nB. 2\nC. 3\nANSWER: B\n\nIs 2/4 = 1/2?\nA. yes\nB. no\nANSWER: A\n");
    EXPECT_EQ(cardpoll_cmd(db, {"class", "import", "--class", "Period 3", (dir / "roster.csv").string()}).code, 0);
    EXPECT_EQ(cardpoll_cmd(db, {"questions", "import", "--set", "Fractions", (dir / "q.aiken").string()}).code, 0);
  }
};

// The outcome of one refused import: exit code 1, the file named in the message, nothing changed.
void expect_refused(const Fixture& f, const std::vector<std::string>& args, const std::string& must_say,
                    const std::string& label) {
  const std::string before = dump_database(f.db);
  const CmdResult r = cardpoll_cmd(f.db, args);
  EXPECT_EQ(r.code, 1) << label << ": " << r.out;
  EXPECT_NE(r.out.find(must_say), std::string::npos) << label << ": expected \"" << must_say << "\" in: " << r.out;
  EXPECT_EQ(dump_database(f.db), before) << label << " changed the database";
}

}  // namespace

TEST(CliClass, ImportShowAssign) {
  Fixture f;
  CmdResult r = cardpoll_cmd(f.db, {"class", "show", "period 3"});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Ana Garcia"), std::string::npos);
  EXPECT_NE(r.out.find("el lang:es"), std::string::npos);
  r = cardpoll_cmd(f.db, {"class", "list"});
  EXPECT_NE(r.out.find("Period 3"), std::string::npos);
  r = cardpoll_cmd(f.db, {"class", "assign", "--class", "Period 3", "--student", "Ben Li", "--card", "3"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("card 3 already belongs to Chen Wei"), std::string::npos) << r.out;
  r = cardpoll_cmd(f.db, {"class", "assign", "--class", "Period 3", "--student", "Ben Li", "--card", "50"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("card 50 is not in deck classroom"), std::string::npos) << r.out;
  r = cardpoll_cmd(f.db, {"class", "assign", "--class", "Period 3", "--student", "ben li", "--card", "12"});
  EXPECT_EQ(r.code, 0) << r.out;
  Database db(f.db);
  const auto k = require_class(db, "Period 3");
  EXPECT_EQ(find_student_by_card(db, k.id, 12)->display_name, "Ben Li");
  EXPECT_FALSE(find_student_by_card(db, k.id, 2));
}

TEST(CliClass, ReimportMergesByNameAndReplaceRemoves) {
  Fixture f;
  {
    Database db(f.db);
    const auto k = require_class(db, "Period 3");
    const auto ben = find_student_by_name(db, k.id, "Ben Li");
    ASSERT_TRUE(ben);
  }
  // Merge: Ben's tags change, Dan is new; without a card column Dan gets the lowest free card.
  write_file(f.dir / "more.csv", "first name,last name,tags\nBen,Li,iep\nDan,Okafor,\n");
  CmdResult r = cardpoll_cmd(f.db, {"class", "import", "--class", "Period 3", (f.dir / "more.csv").string()});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1 added, 1 updated"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 not in the file kept"), std::string::npos) << r.out;
  {
    Database db(f.db);
    const auto k = require_class(db, "Period 3");
    const auto students = list_students(db, k.id);
    ASSERT_EQ(students.size(), 4u);
    EXPECT_EQ(find_student_by_name(db, k.id, "Ben Li")->card, 2);
    EXPECT_EQ(find_student_by_name(db, k.id, "Ben Li")->tags, std::vector<std::string>{"iep"});
    EXPECT_EQ(find_student_by_name(db, k.id, "Dan Okafor")->card, 4);
  }
  // Replace: the file is the whole roster; Ana and Chen leave it, cards may be swapped.
  write_file(f.dir / "only.csv", "name,card\nBen Li,4\nDan Okafor,2\n");
  r = cardpoll_cmd(f.db, {"class", "import", "--class", "Period 3", "--replace", (f.dir / "only.csv").string()});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("2 not in the file removed"), std::string::npos) << r.out;
  Database db(f.db);
  const auto k = require_class(db, "Period 3");
  const auto students = list_students(db, k.id);
  ASSERT_EQ(students.size(), 2u);
  EXPECT_EQ(students[0].display_name, "Dan Okafor");
  EXPECT_EQ(students[0].card, 2);
  EXPECT_EQ(students[1].display_name, "Ben Li");
  EXPECT_EQ(students[1].card, 4);
}

TEST(CliClass, SessionRecordShowAndExport) {
  Fixture f;
  CmdResult r = cardpoll_cmd(f.db, {"session", "start", "--class", "Period 3", "--set", "Fractions"});
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string id = r.out.substr(0, r.out.find('\n'));
  r = cardpoll_cmd(f.db, {"session", "record", "--session", id, "--card", "1", "--answer", "B"});
  EXPECT_EQ(r.code, 1) << r.out;  // no ask is open yet
  EXPECT_NE(r.out.find("no question is open"), std::string::npos) << r.out;
  EXPECT_EQ(cardpoll_cmd(f.db, {"session", "ask", "--session", id, "--next"}).code, 0);
  r = cardpoll_cmd(f.db, {"session", "record", "--session", "latest", "--stdin"}, "1 C\n1 B\n2 A\n37 D\n");
  EXPECT_EQ(r.code, 1) << r.out;  // card 37 is not assigned
  EXPECT_NE(r.out.find("card 37 is not assigned"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("card 1: changed to B"), std::string::npos) << r.out;
  r = cardpoll_cmd(f.db, {"session", "record", "--session", id, "--ask", "2", "--card", "3", "--answer", "A"});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("ask 2 is not open"), std::string::npos) << r.out;
  EXPECT_EQ(cardpoll_cmd(f.db, {"session", "close", "--session", id}).code, 0);
  r = cardpoll_cmd(f.db, {"session", "record", "--session", id, "--card", "3", "--answer", "A"});
  EXPECT_EQ(r.code, 1) << r.out;
  r = cardpoll_cmd(f.db, {"session", "show", id});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("answered 2 of 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("right 1 (50%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no student holds: 37"), std::string::npos) << r.out;
  r = cardpoll_cmd(f.db, {"session", "list"});
  EXPECT_NE(r.out.find("Fractions"), std::string::npos) << r.out;

  const auto out = f.dir / "responses.csv";
  r = cardpoll_cmd(f.db, {"export", "--session", "latest", "--format", "responses", "--out", out.string()});
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string csv = read_file(out);
  EXPECT_EQ(csv.rfind("session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at\r\n", 0), 0u)
      << csv;
  EXPECT_NE(csv.find("Ana Garcia,B,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Chen Wei,,,"), std::string::npos) << csv;
  for (const char* fmt : {"scoresheet", "json", "html"}) {
    const auto p = f.dir / (std::string("out.") + fmt);
    r = cardpoll_cmd(f.db, {"export", "--session", id, "--format", fmt, "--out", p.string()});
    EXPECT_EQ(r.code, 0) << fmt << ": " << r.out;
    EXPECT_GT(std::filesystem::file_size(p), 100u) << fmt;
  }
  r = cardpoll_cmd(f.db, {"export", "--session", "99", "--format", "json", "--out", (f.dir / "x.json").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("no session 99"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(f.dir / "x.json"));
  r = cardpoll_cmd(f.db, {"export", "--session", id, "--format", "xlsx", "--out", (f.dir / "x").string()});
  EXPECT_EQ(r.code, 2) << r.out;
  r = cardpoll_cmd(f.db, {"export", "--session", id, "--format", "json", "--out", (f.dir / "no/such/dir/x.json").string()});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("no/such/dir"), std::string::npos) << r.out;
}

TEST(CliClass, EveryCommandHasHelpAndRefusesBadWords) {
  TempDir t;
  for (const char* c : {"class", "questions", "session", "export"}) {
    CmdResult r = cardpoll_cmd(t / "x.db", {c, "--help"});
    EXPECT_EQ(r.code, 0) << c;
    EXPECT_NE(r.out.find("Usage: cardpoll"), std::string::npos) << c;
    r = cardpoll_cmd(t / "x.db", {c, "frobnicate"});
    EXPECT_EQ(r.code, 2) << c << ": " << r.out;
  }
  EXPECT_EQ(cardpoll_cmd(t / "x.db", {"class", "import", "roster.csv"}).code, 2);  // no --class
  EXPECT_EQ(cardpoll_cmd(t / "x.db", {"session", "record", "--session", "1", "--card", "1", "--answer", "E"}).code, 2);
}

// ---- all or nothing --------------------------------------------------------------------

// A few refusals end to end through the command (tests/core/test_storage_import.cpp covers
// every malformed sample file and every storage rule in-process, where it is quick).
TEST(CliImportRefused, RefusedImportsLeaveTheDatabaseUnchanged) {
  Fixture f;
  const auto p = [&](const std::string& name, const std::string& text) {
    write_file(f.dir / name, text);
    return (f.dir / name).string();
  };
  expect_refused(f, {"class", "import", "--class", "Period 3", (std::filesystem::path(CARDPOLL_TEST_DATA) / "import/bad_roster_duplicate_card.csv").string()},
                 "bad_roster_duplicate_card.csv:", "duplicate card (parser)");
  expect_refused(f, {"questions", "import", "--set", "New", (std::filesystem::path(CARDPOLL_TEST_DATA) / "import/bad_gift_only_skipped.gift").string()},
                 "bad_gift_only_skipped.gift", "only skipped GIFT questions (parser)");
  const auto line = [&](const std::string& name, int n) { return (f.dir / name).string() + ":" + std::to_string(n) + ":"; };
  expect_refused(f, {"class", "import", "--class", "Period 3", p("outside.csv", "name,card\nDan,7\nEve,50\n")},
                 line("outside.csv", 3) + " card 50 is not in deck classroom (cards 1-49)", "card outside the deck");
  expect_refused(f, {"class", "import", "--class", "Period 3", (f.dir / "missing.csv").string()}, "missing.csv",
                 "missing file");
  expect_refused(f, {"questions", "import", "--set", "Fractions", (f.dir / "q.aiken").string()},
                 "already exists (2 questions): use --append", "existing set without --append");
  // Usage errors change nothing either (exit 2).
  const std::string before = dump_database(f.db);
  EXPECT_EQ(cardpoll_cmd(f.db, {"class", "import", "--class", "X", "--deck", "nosuch", p("ok.csv", "name\nA\n")}).code, 2);
  EXPECT_EQ(cardpoll_cmd(f.db, {"questions", "import", "--set", "Y", "--format", "docx", (f.dir / "q.aiken").string()}).code, 2);
  EXPECT_EQ(dump_database(f.db), before);
}

TEST(CliImportRefused, BadDatabaseFilesAreNamedAndLeftAlone) {
  TempDir t;
  write_file(t / "roster.csv", "name\nAna\n");
  // Not a database at all: the file's bytes stay as they were.
  const std::string junk = std::string(3000, 'j') + "\n";
  write_file(t / "notes.db", junk);
  CmdResult r = cardpoll_cmd(t / "notes.db", {"class", "import", "--class", "P", (t / "roster.csv").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("notes.db is not a cardpoll database"), std::string::npos) << r.out;
  EXPECT_EQ(read_file(t / "notes.db"), junk);
  // A folder where the database should be.
  std::filesystem::create_directories(t / "folder.db");
  r = cardpoll_cmd(t / "folder.db", {"class", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("folder.db"), std::string::npos) << r.out;
  // A database path whose folder cannot be made (a file is in the way).
  r = cardpoll_cmd(t / "roster.csv/sub/x.db", {"class", "list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("roster.csv"), std::string::npos) << r.out;
  // A newer cardpoll's database.
  {
    Database db(t / "newer.db");
  }
  {
    Database db(t / "newer.db");
    db.exec("PRAGMA user_version = 999");
  }
  const std::string before = dump_database(t / "newer.db");
  r = cardpoll_cmd(t / "newer.db", {"class", "import", "--class", "P", (t / "roster.csv").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("newer cardpoll"), std::string::npos) << r.out;
  EXPECT_EQ(dump_database(t / "newer.db"), before);
}

// A class that already has Plickers-format cards: every card 1-63 is taken as printed on it,
// 64 (or 0) is refused with the file, line and what to do, and nothing is stored.
TEST(CliClass, PlickersDeckTakesCardsOneToSixtyThree) {
  Fixture f;
  write_file(f.dir / "p.csv", "name,card\nAna Garcia,1\nBen Li,40\nChen Wei,63\nDan Ross,\n");
  CmdResult r = cardpoll_cmd(f.db, {"class", "import", "--class", "Room 12", "--deck", "plickers", (f.dir / "p.csv").string()});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("(deck plickers)"), std::string::npos) << r.out;
  {
    Database db(f.db);
    const auto k = require_class(db, "Room 12");
    EXPECT_EQ(k.deck, "plickers");
    EXPECT_EQ(find_student_by_card(db, k.id, 63)->display_name, "Chen Wei");
    EXPECT_EQ(find_student_by_card(db, k.id, 2)->display_name, "Dan Ross");  // the lowest free card
  }
  r = cardpoll_cmd(f.db, {"class", "assign", "--class", "Room 12", "--student", "Dan Ross", "--card", "62"});
  EXPECT_EQ(r.code, 0) << r.out;
  r = cardpoll_cmd(f.db, {"class", "assign", "--class", "Room 12", "--student", "Dan Ross", "--card", "64"});
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("card 64 is not in deck plickers (cards 1-63)"), std::string::npos) << r.out;

  const auto line = [&](const std::string& name, int n) { return (f.dir / name).string() + ":" + std::to_string(n) + ":"; };
  write_file(f.dir / "p64.csv", "name,card\nEve Stone,5\nFay Moss,64\n");
  expect_refused(f, {"class", "import", "--class", "Room 13", "--deck", "plickers", (f.dir / "p64.csv").string()},
                 line("p64.csv", 3) + " card 64 is not in deck plickers (cards 1-63): give Fay Moss a card numbered 1 to 63",
                 "card 64 on the plickers deck");
  write_file(f.dir / "p0.csv", "name,card\nEve Stone,0\n");
  expect_refused(f, {"class", "import", "--class", "Room 13", "--deck", "plickers", (f.dir / "p0.csv").string()},
                 line("p0.csv", 2) + " card 0: cards are numbered from 1", "card 0");
  // The help where the teacher chooses the deck says what it is for.
  r = cardpoll_cmd(f.db, {"class", "--help"});
  EXPECT_NE(r.out.find("plickers: the class already has Plickers-format cards"), std::string::npos) << r.out;
}
