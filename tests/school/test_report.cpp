// cardpoll school report against the fixture's server: two teachers' laptops push the same quiz,
// the report puts their classes side by side (share right, item analysis), a student is found
// across classes, and the report changes nothing on the server.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "school/report.h"
#include "tests/school/school_data.h"
#include "tests/school/school_support.h"

namespace cardpoll::school_test {
namespace {

namespace fs = std::filesystem;

// Teacher 1: classes "Period 1", "Period 2" with 10 students; teacher 2: "Room 1" with 6.
// Student "S1-1" is in Period 1 on laptop 1 and (the same school id) in Room 1 on laptop 2.
struct TwoTeachers {
  TempDir dir;
  std::string name = fresh_database();
  YearShape one{.classes = 2, .lessons = 1, .students = 10, .asks = 4};
  YearShape two{.classes = 1, .lessons = 1, .students = 6, .asks = 4, .class_prefix = "Room "};
  TwoTeachers() {
    for (const auto& [file, shape] : {std::pair{dir / "one.db", one}, std::pair{dir / "two.db", two}}) {
      {
        Database db(file, {.durability = Durability::Normal});
        make_year(db, shape);
      }
      const CliRun r = run_cardpoll({"--db", file.string(), "sync", "--quiet", "--to", address(name)});
      EXPECT_EQ(r.exit_code, 0) << r.all();
    }
  }
  CliRun report(std::vector<std::string> args) {
    args.insert(args.begin(), {"school", "report", "--from", address(name)});
    return run_cardpoll(args);
  }
};

// The share right planned by make_year for question q (0-based) in a class of n students.
int planned_percent(const YearShape& y, int q) {
  int right = 0;
  for (int s = 0; s < y.students; ++s) right += planned_answer(y, s, q) == 0;
  return static_cast<int>(std::lround(100.0 * right / y.students));
}

std::string server_fingerprint(const std::string& db) {
  pqxx::connection c(address(db));
  pqxx::nontransaction q(c);
  std::string f;
  for (const auto& t : sync_tables())
    f += q.exec("SELECT count(*), coalesce(max(received_at)::text, '') FROM " + std::string(t.name))[0][0].c_str() +
         std::string(" ") +
         q.exec("SELECT coalesce(max(received_at)::text, '') FROM " + std::string(t.name))[0][0].c_str() + ";";
  return f;
}

TEST(SchoolReport, TheSameQuizAcrossClassesSideBySide) {
  TwoTeachers t;
  const std::string before = server_fingerprint(t.name);
  const fs::path csv = t.dir / "quiz.csv";
  const CliRun r = t.report({"--set", "Unit quiz", "--format", "csv", "--out", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  EXPECT_NE(r.out.find("in 3 classes"), std::string::npos) << r.out;
  std::vector<std::string> lines;
  {
    std::istringstream in(test_support::read_text(csv));
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  ASSERT_GE(lines.size(), 5u);
  EXPECT_NE(lines[0].find("Period 1"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("Room 1"), std::string::npos) << lines[0];
  for (int q = 0; q < 4; ++q) {
    const std::string want = "Q" + std::to_string(q + 1) + ",Question " + std::to_string(q + 1) + "," +
                             std::to_string(planned_percent(t.one, q)) + "%," +
                             std::to_string(planned_percent(t.one, q)) + "%," +
                             std::to_string(planned_percent(t.two, q)) + "%";
    EXPECT_EQ(lines[1 + q], want);
  }
  EXPECT_EQ(server_fingerprint(t.name), before) << "the report changed the server";

  const fs::path json = t.dir / "quiz.json";
  ASSERT_EQ(t.report({"--set", "Unit quiz", "--format", "json", "--out", json.string()}).exit_code, 0);
  const auto j = nlohmann::json::parse(test_support::read_text(json));
  ASSERT_EQ(j["classes"].size(), 3u);
  EXPECT_EQ(j["classes"][2]["class"], "Room 1");
  EXPECT_EQ(j["classes"][2]["students"], 6);
  ASSERT_EQ(j["classes"][0]["item_analysis"]["items"].size(), 4u);
  EXPECT_EQ(j["classes"][0]["item_analysis"]["items"][0]["answered"], 10);
  EXPECT_NEAR(j["questions"][0]["share_right"][2].get<double>(), planned_percent(t.two, 0) / 100.0, 0.01);

  const fs::path html = t.dir / "quiz.html";
  ASSERT_EQ(t.report({"--set", "Unit quiz", "--out", html.string()}).exit_code, 0);
  const std::string page = test_support::read_text(html);
  EXPECT_NE(page.find("Item analysis"), std::string::npos);
  EXPECT_NE(page.find("Room 1"), std::string::npos);
}

TEST(SchoolReport, AStudentAcrossTeachers) {
  TwoTeachers t;
  const fs::path out = t.dir / "student.csv";
  const CliRun r = t.report({"--student", "S1-1", "--format", "csv", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.all();
  const std::string text = test_support::read_text(out);
  EXPECT_NE(text.find("Period 1"), std::string::npos) << text;
  EXPECT_NE(text.find("Room 1"), std::string::npos) << text;
  EXPECT_EQ(text.find("Period 2"), std::string::npos) << text;
  // Student 1 of each class answers every question right (make_year's plan): 4 of 4.
  EXPECT_NE(text.find(",4,4,4"), std::string::npos) << text;
}

TEST(SchoolReport, UnknownSetOrStudentIsSaidInWords) {
  TwoTeachers t;
  CliRun r = t.report({"--set", "Nope", "--out", (t.dir / "x.html").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no class on the school server has used a question set named \"Nope\""), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(t.dir / "x.html"));
  r = t.report({"--student", "Z9", "--out", (t.dir / "x.html").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no student with school id"), std::string::npos) << r.err;
  r = t.report({"--set", "Unit quiz", "--format", "pdf", "--out", (t.dir / "x.pdf").string()});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(SchoolReport, ReadsInAReadOnlyTransaction) {
  // The fixture's server logs every statement (log_statement = all): the report's transaction
  // must begin READ ONLY, so the server itself refuses any write inside it.
  TwoTeachers t;
  const std::string log = server_dir() + "/server.log";
  const auto before = test_support::read_text(log).size();
  ASSERT_EQ(t.report({"--set", "Unit quiz", "--out", (t.dir / "r.html").string()}).exit_code, 0);
  const std::string during = test_support::read_text(log).substr(before);
  EXPECT_NE(during.find("READ ONLY"), std::string::npos) << during.substr(0, 2000);
  EXPECT_EQ(during.find("INSERT"), std::string::npos);
  EXPECT_EQ(during.find("UPDATE"), std::string::npos);
}

}  // namespace
}  // namespace cardpoll::school_test
