// The school-file imports and gradebook exports through the cardpoll command, as a teacher
// runs them: Moodle XML and GIFT banks with skipped questions (warnings naming FILE:LINE on
// stderr), a Canvas gradebook export as a roster (the Points Possible row and the test student
// skipped and listed), ids kept across a names-only re-import, and gradebook exports of
// several sessions with their refusals.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/cardpoll_cli.h"

namespace {

namespace fs = std::filesystem;
using cardpoll::test_support::CliRun;
using cardpoll::test_support::run_cardpoll;
using cardpoll::test_support::TempDir;

const std::string kSamples = std::string(CARDPOLL_TEST_DATA) + "/import/samples/";

struct Db {
  TempDir dir;
  fs::path db = dir / "class.db";
  CliRun run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db.string()});
    return run_cardpoll(args, "");
  }
};

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

TEST(CliImports, MoodleXmlImportsWhatACardCanAskAndNamesWhatItSkipped) {
  Db d;
  const std::string file = kSamples + "questions/moodle_export.xml";
  const CliRun r = d.run({"questions", "import", "--set", "Space", file});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  EXPECT_NE(r.out.find("3 questions added (xml)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warning: " + file + ":83: skipped: question \"Red planet\" is of type \"shortanswer\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("5 questions skipped"), std::string::npos) << r.err;
  const CliRun show = d.run({"questions", "show", "Space"});
  EXPECT_NE(show.out.find("Which planet is closest to the Sun?"), std::string::npos) << show.out;
  EXPECT_EQ(show.out.find("<p"), std::string::npos) << "HTML reached the question text: " << show.out;
}

TEST(CliImports, AFileWithNothingToAskIsRefused) {
  Db d;
  const CliRun r = d.run({"questions", "import", "--set", "X", kSamples + "questions/all_skipped.gift"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("all_skipped.gift:1: no questions found that cardpoll can ask"), std::string::npos) << r.err;
  EXPECT_NE(d.run({"questions", "list"}).out.find("no question sets yet"), std::string::npos);
}

TEST(CliImports, CanvasExportAsRosterThenGradebookExportsOfSeveralSessions) {
  Db d;
  const CliRun imp = d.run({"class", "import", "--class", "P3", kSamples + "rosters/canvas_gradebook.csv"});
  ASSERT_EQ(imp.exit_code, 0) << imp.all();
  EXPECT_NE(imp.out.find("2 added"), std::string::npos) << imp.out;
  EXPECT_NE(imp.err.find("canvas_gradebook.csv:2: Canvas's \"Points Possible\" row"), std::string::npos) << imp.err;
  EXPECT_NE(imp.err.find("2 rows skipped"), std::string::npos) << imp.err;
  // A names-only re-import keeps the SIS ids.
  write_file(d.dir / "names.csv", "name\nAna García\nBen Okafor\n");
  ASSERT_EQ(d.run({"class", "import", "--class", "P3", (d.dir / "names.csv").string()}).exit_code, 0);
  EXPECT_NE(d.run({"class", "show", "P3"}).out.find("S100235"), std::string::npos);

  write_file(d.dir / "q.aiken", "Half of 4?\nA. 1\nB. 2\nANSWER: B\n");
  ASSERT_EQ(d.run({"questions", "import", "--set", "F", (d.dir / "q.aiken").string()}).exit_code, 0);
  for (const char* ana_answer : {"B", "A"}) {
    ASSERT_EQ(d.run({"session", "start", "--class", "P3", "--set", "F"}).exit_code, 0);
    ASSERT_EQ(d.run({"session", "ask", "--session", "latest", "--question", "1"}).exit_code, 0);
    ASSERT_EQ(d.run({"session", "record", "--session", "latest", "--card", "1", "--answer", ana_answer}).exit_code, 0);
  }
  const CliRun canvas = d.run({"export", "--format", "canvas", "--session", "1,2", "--out", "-"});
  ASSERT_EQ(canvas.exit_code, 0) << canvas.all();
  EXPECT_EQ(canvas.out.substr(0, canvas.out.find("\r\n")).substr(0, 41), "Student,ID,SIS User ID,SIS Login ID,Secti");
  EXPECT_NE(canvas.out.find("\r\nPoints Possible,,,,,1,1\r\n"), std::string::npos) << canvas.out;
  EXPECT_NE(canvas.out.find("\"García, Ana\",,S100234,,P3,1,0\r\n"), std::string::npos) << canvas.out;
  EXPECT_NE(canvas.out.find("\"Okafor, Ben\",,S100235,,P3,,\r\n"), std::string::npos) << canvas.out;  // never answered

  const fs::path ps = d.dir / "scores.txt";
  const CliRun per_ask = d.run({"export", "--format", "powerschool", "--per", "ask", "--session", "2", "--out", ps.string()});
  ASSERT_EQ(per_ask.exit_code, 0) << per_ask.all();
  std::ifstream in(ps, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("Student Number\tStudent Name\tF "), std::string::npos) << text;
  EXPECT_NE(text.find("S100234\tGarcía, Ana\t0\r\n"), std::string::npos) << text;

  // Google Classroom needs emails the Canvas roster did not have: refused, the students named.
  const CliRun classroom = d.run({"export", "--format", "classroom", "--session", "latest", "--out", (d.dir / "c.csv").string()});
  EXPECT_EQ(classroom.exit_code, 1);
  EXPECT_NE(classroom.err.find("2 of 2 students have none: Ana García, Ben Okafor"), std::string::npos) << classroom.err;
  EXPECT_FALSE(fs::exists(d.dir / "c.csv"));
  // Several sessions only for gradebooks; --per only for gradebooks.
  EXPECT_EQ(d.run({"export", "--format", "json", "--session", "1,2", "--out", "-"}).exit_code, 2);
  EXPECT_EQ(d.run({"export", "--format", "html", "--per", "ask", "--session", "1", "--out", "-"}).exit_code, 2);
  EXPECT_EQ(d.run({"export", "--format", "moodle", "--from", "2026-13-01", "--class", "P3", "--out", "-"}).exit_code, 2);
}

}  // namespace
