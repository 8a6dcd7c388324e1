// After the lesson through the cardpoll command: response set, ask key, latest skipping an
// empty session, exports showing the corrections, groups of a quiz without skills in every
// mode, reports, deletes with a backup, and the bad cases with exit 1 and teacher's words.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/cardpoll_cli.h"

namespace {

using cardpoll::test_support::run_cardpoll;
using cardpoll::test_support::TempDir;

struct Cli {
  TempDir dir;
  std::string db = (dir / "c.db").string();
  cardpoll::test_support::CliRun run(std::vector<std::string> args, const std::string& in = "") {
    args.insert(args.begin(), {"--db", db});
    return run_cardpoll(args, in);
  }
  std::string read(const std::string& leaf) {
    std::ifstream f(dir / leaf, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  // Class of four, two untagged questions (keys B, A), one ended session: Ana B A, Ben C A,
  // Cy B B, Dee never answers. Then an empty session (started to show groups).
  Cli() {
    std::ofstream(dir / "class.csv") << "name,card\nAna,1\nBen,2\nCy,3\nDee,4\n";
    std::ofstream(dir / "q.csv") << "question,A,B,C,D,correct\n1/2 = ?,1/3,2/4,3/4,2/3,B\n3/4 > 2/3?,yes,no,,,A\n";
    EXPECT_EQ(run({"class", "import", "--class", "P3", (dir / "class.csv").string()}).exit_code, 0);
    const auto q = run({"questions", "import", "--set", "S", (dir / "q.csv").string()});
    EXPECT_EQ(q.exit_code, 0) << q.all();
    EXPECT_EQ(run({"session", "start", "--class", "P3", "--set", "S"}).exit_code, 0);
    run({"session", "ask", "--session", "latest", "--next"});
    run({"session", "record", "--session", "latest", "--stdin"}, "1 B\n2 C\n3 B\n");
    run({"session", "ask", "--session", "latest", "--next"});
    run({"session", "record", "--session", "latest", "--stdin"}, "1 A\n2 A\n3 B\n");
    EXPECT_EQ(run({"session", "end", "--session", "1"}).exit_code, 0);
    EXPECT_EQ(run({"session", "start", "--class", "P3", "--set", "S"}).out, "2\n");
  }
};

TEST(CliAfter, CorrectionsReachEveryExportAndLatestSkipsTheEmptySession) {
  Cli c;
  auto r = c.run({"response", "set", "--session", "latest", "--ask", "1", "--student", "Ben", "--answer", "B", "--by", "ms.k"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_NE(r.out.find("session 1, ask 1, Ben: C -> B"), std::string::npos) << r.out;
  r = c.run({"response", "set", "--session", "1", "--ask", "2", "--student", "#4", "--answer", "a"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  r = c.run({"ask", "key", "--session", "1", "--ask", "2", "--answer", "B"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_NE(r.out.find("right answer A -> B"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("re-scored session 1"), std::string::npos) << r.out;

  ASSERT_EQ(c.run({"export", "--session", "latest", "--format", "scoresheet", "--out", (c.dir / "s.csv").string()}).exit_code, 0);
  const std::string sheet = c.read("s.csv");
  EXPECT_NE(sheet.find("2,Ben,B right,A wrong,1,2,50"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("4,Dee,,A wrong,0,2,0"), std::string::npos) << sheet;
  ASSERT_EQ(c.run({"export", "--session", "latest", "--format", "json", "--out", (c.dir / "s.json").string()}).exit_code, 0);
  const std::string json = c.read("s.json");
  EXPECT_NE(json.find("\"who\":\"ms.k\""), std::string::npos);
  EXPECT_NE(json.find("\"item_analysis\""), std::string::npos);
  ASSERT_EQ(c.run({"export", "--session", "latest", "--format", "html", "--out", (c.dir / "s.html").string()}).exit_code, 0);
  EXPECT_NE(c.read("s.html").find("<h2>Corrections</h2>"), std::string::npos);
  const auto show = c.run({"session", "show", "latest"});
  EXPECT_NE(show.out.find("session 1:"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("item analysis"), std::string::npos) << show.out;
}

TEST(CliAfter, BadCorrectionsAreRefusedInWords) {
  Cli c;
  auto r = c.run({"response", "set", "--session", "2", "--ask", "1", "--student", "Ana", "--answer", "A"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("session 2 is still open"), std::string::npos) << r.err;
  r = c.run({"response", "set", "--session", "1", "--ask", "9", "--student", "Ana", "--answer", "A"});
  EXPECT_NE(r.err.find("session 1 has no ask 9 (its asks are 1-2)"), std::string::npos) << r.err;
  r = c.run({"response", "set", "--session", "1", "--ask", "1", "--student", "Zed", "--answer", "A"});
  EXPECT_NE(r.err.find("no student named \"Zed\" in class \"P3\""), std::string::npos) << r.err;
  r = c.run({"response", "set", "--session", "1", "--ask", "1", "--student", "Ana", "--answer", "E"});
  EXPECT_EQ(r.exit_code, 2);
  r = c.run({"ask", "key", "--session", "7", "--ask", "1", "--answer", "A"});
  EXPECT_NE(r.err.find("no session 7"), std::string::npos) << r.err;
  r = c.run({"session", "delete", "--session", "7"});
  EXPECT_EQ(r.exit_code, 1);
  r = c.run({"questions", "delete", "--set", "S"});
  EXPECT_NE(r.err.find("was used in sessions 1, 2"), std::string::npos) << r.err;
  r = c.run({"class", "delete", "--class", "P9"});
  EXPECT_NE(r.err.find("no class named \"P9\""), std::string::npos) << r.err;
}

TEST(CliAfter, GroupsOfAQuizWithoutSkillsInEveryModeAndReports) {
  Cli c;
  for (const char* mode : {"needs", "mixed", "misconception", "discuss"}) {
    const auto r = c.run({"groups", "suggest", "--class", "P3", "--session", "latest", "--mode", mode, "--size", "1-3", "--save"});
    EXPECT_EQ(r.exit_code, 0) << mode << ": " << r.all();
    EXPECT_NE(r.out.find("saved as grouping"), std::string::npos) << mode;
  }
  const auto shown = c.run({"groups", "show", "--class", "P3"});
  EXPECT_NE(shown.out.find("discuss groups"), std::string::npos) << shown.out;
  const auto mis = c.run({"groups", "suggest", "--class", "P3", "--session", "1", "--mode", "misconception", "--size", "1-3"});
  EXPECT_NE(mis.out.find("Q1 chose C: 3/4"), std::string::npos) << mis.out;
  auto r = c.run({"report", "student", "--class", "P3", "--student", "Ben", "--out", (c.dir / "ben.html").string()});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_NE(c.read("ben.html").find("Every answer"), std::string::npos);
  r = c.run({"report", "class", "--class", "P3", "--format", "pdf", "--out", (c.dir / "class.pdf").string()});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_EQ(c.read("class.pdf").rfind("%PDF", 0), 0u);
  r = c.run({"session", "delete", "--session", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_NE(r.out.find("a copy of the database from just before is at"), std::string::npos) << r.out;
}

}  // namespace
