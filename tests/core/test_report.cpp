// Reports over sessions: every answer of a student in the period, skills over time, the class.
#include <gtest/gtest.h>

#include "core/exchange/report.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

using test::kT0;
using test::quiz_session;

std::vector<SessionData> two_lessons() {
  // Lesson 1 keys A, B: S1 "AB" (2/2), S2 "BB", S3 "--". Lesson 2, a week later, key C: S1 C, S2 C.
  std::vector<SessionData> v{quiz_session({Answer::A, Answer::B}, {"AB", "BB", "--"}),
                             quiz_session({Answer::C}, {"C", "C", "-"})};
  const TimeMs week = 7LL * 24 * 3600 * 1000;
  SessionData& b = v[1];
  b.session.id = 8;
  b.session.started_at += week;
  for (auto& a : b.asks) {
    a.id += 100;
    a.session_id = 8;
    a.opened_at += week;
  }
  for (auto& r : b.responses) r.ask_id += 100;
  for (auto& q : b.set.questions) q.skills = {"fractions"};
  v[0].set.questions[1].skills = {"fractions"};
  return v;
}

TEST(Report, AStudentsReportHasEveryAnswerAndEachSkillOverTime) {
  setenv("TZ", "UTC", 1);
  tzset();
  const auto v = two_lessons();
  const Report r = student_report(v, 2, {});
  EXPECT_EQ(r.title, "S2, P3");
  EXPECT_NE(r.subtitle.find("2 sessions, 2026-03-04 to 2026-03-11"), std::string::npos) << r.subtitle;
  ASSERT_EQ(r.sections.size(), 2u);
  const ReportTable& answers = r.sections[0].tables.at(0);
  ASSERT_EQ(answers.rows.size(), 3u);
  EXPECT_EQ(answers.rows[0][0], "2026-03-04 09:00 UTC");
  EXPECT_EQ(answers.rows[0][4], "B. two");
  EXPECT_EQ(answers.rows[0][6], "wrong");
  EXPECT_EQ(answers.rows[2][6], "right");
  EXPECT_NE(r.sections[0].paragraphs[0].find("2 of 3 (67%)"), std::string::npos) << r.sections[0].paragraphs[0];
  // fractions: 1/1 in lesson 1 (Q2), 1/1 in lesson 2; Q1 untagged counts as "check Q1": 0/1.
  const ReportTable& skills = r.sections[1].tables.at(0);
  ASSERT_EQ(skills.rows.size(), 2u);
  EXPECT_EQ(skills.rows[0], (std::vector<std::string>{"check Q1", "0/1", "", "not yet"}));
  EXPECT_EQ(skills.rows[1][0], "fractions");
  EXPECT_EQ(skills.rows[1][1], "1/1");
  EXPECT_EQ(skills.rows[1][2], "1/1");
  // The period limits the answers.
  const Report week2 = student_report(v, 2, {kT0 + 24LL * 3600 * 1000, std::nullopt});
  EXPECT_EQ(week2.sections[0].tables.at(0).rows.size(), 1u);
  EXPECT_THROW(student_report(v, 99, {}), std::runtime_error);
  const std::string html = report_html(r);
  EXPECT_NE(html.find("<h2>Each skill over time</h2>"), std::string::npos);
}

TEST(Report, TheClassReportCoversEachSessionAndStudent) {
  const auto v = two_lessons();
  const Report r = class_report(v, {});
  ASSERT_EQ(r.sections.size(), 3u);
  const ReportTable& sessions = r.sections[0].tables.at(0);
  ASSERT_EQ(sessions.rows.size(), 2u);
  EXPECT_EQ(sessions.rows[0][5], "3 of 4 (75%)");
  const ReportTable& students = r.sections[1].tables.at(0);
  ASSERT_EQ(students.rows.size(), 3u);
  EXPECT_EQ(students.rows[0], (std::vector<std::string>{"1", "S1", "2/2", "1/1", "3 of 3 (100%)"}));
  EXPECT_EQ(students.rows[2][4], "0 of 3 (0%)");  // S3 never answered: not right, never wrong
}

}  // namespace
}  // namespace cardpoll
