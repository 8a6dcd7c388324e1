// Gradebook exports (Canvas, Moodle, Google Classroom, PowerSchool): the columns each import
// documents, points per session or per ask, refusals naming the students, and round trips:
// each export read back by cardpoll's own roster import gives the same students, ids and
// emails, and by the CSV reader the same points.
#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/exchange/export_gradebook.h"
#include "core/exchange/import_roster.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

using Strings = std::vector<std::string>;

SessionData with_ids(SessionData s) {
  const char* ids[] = {"S100234", "S100235", "S100236", "S100237"};
  for (size_t i = 0; i < s.students.size(); ++i) {
    s.students[i].sis_id = ids[i];
    s.students[i].email = "student" + std::to_string(i + 1) + "@school.example";
  }
  return s;
}

// A second session of the same class, a day later: only Q1 asked, Ana wrong, Ben right.
SessionData next_day(const SessionData& first) {
  SessionData s = first;
  s.session.id = 8;
  s.session.started_at += 24LL * 3600 * 1000;
  s.asks = {{301, 8, 101, 1, s.session.started_at + 60000, std::nullopt}};
  s.responses = {{301, 11, Answer::A, s.session.started_at + 61000, s.session.started_at + 61000},
                 {301, 12, Answer::B, s.session.started_at + 62000, s.session.started_at + 62000}};
  s.changes.clear();
  return s;
}

CsvTable table(const std::string& text, char sep = ',') { return parse_csv(text, "export.csv", sep); }

TEST(GradebookCanvas, ColumnsPointsPossibleAndScoresPerSession) {
  const SessionData a = with_ids(test::sample_session());
  const CsvTable t = table(export_gradebook({a, next_day(a)}, Gradebook::Canvas, AssignmentPer::Session));
  ASSERT_EQ(t.records.size(), 2u + a.students.size());
  EXPECT_EQ(t.records[0].fields, (Strings{"Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                          "Fractions check 2026-03-04 (session 7)",
                                          "Fractions check 2026-03-05 (session 8)"}));
  EXPECT_EQ(t.records[1].fields, (Strings{"Points Possible", "", "", "", "", "4", "1"}));
  // Ana: asks 1, 2, 4, 5 right (4 of 4); next day wrong.
  EXPECT_EQ(t.records[2].fields, (Strings{"García, Ana", "", "S100234", "", "Period 3 Maths", "4", "0"}));
  // Ben: ask 1 right (changed A -> B), 2 wrong, 4 right, 5 wrong; next day right.
  EXPECT_EQ(t.records[3].fields, (Strings{"Okafor, Ben", "", "S100235", "", "Period 3 Maths", "2", "1"}));
  // The formula student answered only the survey in session 7 and nothing the next day: not graded.
  EXPECT_EQ(t.records[5].fields[5], "");
  EXPECT_EQ(t.records[5].fields[6], "");
}

TEST(GradebookCanvas, PerAskOneColumnPerScoredAsk) {
  const SessionData a = with_ids(test::sample_session());
  const CsvTable t = table(export_gradebook({a}, Gradebook::Canvas, AssignmentPer::Ask));
  // 5 asks, one a survey: 4 assignment columns after the 5 fixed ones.
  ASSERT_EQ(t.records[0].fields.size(), 9u);
  EXPECT_EQ(t.records[0].fields[5], "Fractions check 2026-03-04 (session 7) Q1");
  EXPECT_EQ(t.records[0].fields[7], "Fractions check 2026-03-04 (session 7) Q4");  // Q3 is the survey
  EXPECT_EQ(t.records[1].fields, (Strings{"Points Possible", "", "", "", "", "1", "1", "1", "1"}));
  EXPECT_EQ(t.records[3].fields, (Strings{"Okafor, Ben", "", "S100235", "", "Period 3 Maths", "1", "0", "1", "0"}));
  EXPECT_EQ(t.records[4].fields[8], "");  // the script student never answered ask 5
}

TEST(GradebookMoodle, IdNumberAndEmailThenGradeItems) {
  const SessionData a = with_ids(test::sample_session());
  const CsvTable t = table(export_gradebook({a}, Gradebook::Moodle, AssignmentPer::Session));
  EXPECT_EQ(t.records[0].fields,
            (Strings{"ID number", "Email address", "First name", "Last name", "Fractions check 2026-03-04 (session 7)"}));
  EXPECT_EQ(t.records[1].fields, (Strings{"S100234", "student1@school.example", "Ana", "García", "4"}));
}

TEST(GradebookClassroom, EmailAndNumericPoints) {
  const SessionData a = with_ids(test::sample_session());
  const CsvTable t = table(export_gradebook({a}, Gradebook::Classroom, AssignmentPer::Session));
  EXPECT_EQ(t.records[0].fields, (Strings{"Last Name", "First Name", "Email Address", "Fractions check 2026-03-04 (session 7)"}));
  EXPECT_EQ(t.records[2].fields, (Strings{"Okafor", "Ben", "student2@school.example", "2"}));
}

TEST(GradebookPowerSchool, TabSeparatedStudentNumberAndScores) {
  const SessionData a = with_ids(test::sample_session());
  const std::string text = export_gradebook({a}, Gradebook::PowerSchool, AssignmentPer::Session);
  EXPECT_EQ(text.substr(0, text.find("\r\n")), "Student Number\tStudent Name\tFractions check 2026-03-04 (session 7)");
  const CsvTable t = table(text, '\t');
  EXPECT_EQ(t.records[1].fields, (Strings{"S100234", "García, Ana", "4"}));
}

// Every gradebook file, read back as a roster, gives the same students with what the format
// carries (ids, emails), and no extra row (Canvas's Points Possible row is skipped).
TEST(GradebookRoundTrip, EveryFormatReadsBackAsTheSameStudents) {
  const SessionData a = with_ids(test::sample_session());
  for (Gradebook g : {Gradebook::Canvas, Gradebook::Moodle, Gradebook::Classroom, Gradebook::PowerSchool}) {
    SCOPED_TRACE(std::string(gradebook_name(g)));
    const RosterImport r = parse_roster_csv(export_gradebook({a}, g, AssignmentPer::Ask), "back.csv");
    ASSERT_EQ(r.students.size(), a.students.size());
    for (size_t i = 0; i < 2; ++i) {  // the two students with real first and last names
      EXPECT_EQ(r.students[i].display_name, a.students[i].display_name);
      EXPECT_EQ(r.students[i].first_name, a.students[i].first_name);
      EXPECT_EQ(r.students[i].last_name, a.students[i].last_name);
    }
    for (size_t i = 0; i < a.students.size(); ++i) {
      if (g != Gradebook::Classroom) {
        EXPECT_EQ(r.students[i].sis_id, a.students[i].sis_id);
      }
      if (g == Gradebook::Moodle || g == Gradebook::Classroom) {
        EXPECT_EQ(r.students[i].email, a.students[i].email);
      }
    }
    EXPECT_EQ(r.skipped.size(), g == Gradebook::Canvas ? 1u : 0u);
  }
}

TEST(Gradebook, MissingIdsOrEmailsAreRefusedNamingTheStudents) {
  SessionData a = with_ids(test::sample_session());
  a.students[1].sis_id.clear();
  a.students[3].sis_id.clear();
  try {
    export_gradebook({a}, Gradebook::Canvas, AssignmentPer::Session);
    FAIL() << "exported without SIS ids";
  } catch (const GradebookError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("2 of 4 students have none: Ben Okafor, =HYPERLINK"), std::string::npos) << m;
    EXPECT_NE(m.find("SIS User ID"), std::string::npos) << m;
  }
  EXPECT_THROW(export_gradebook({a}, Gradebook::PowerSchool, AssignmentPer::Session), GradebookError);
  EXPECT_NO_THROW(export_gradebook({a}, Gradebook::Moodle, AssignmentPer::Session));  // the emails do
  a.students[1].email.clear();
  EXPECT_THROW(export_gradebook({a}, Gradebook::Moodle, AssignmentPer::Session), GradebookError);
  EXPECT_THROW(export_gradebook({a}, Gradebook::Classroom, AssignmentPer::Session), GradebookError);
}

TEST(Gradebook, SessionsOfTwoClassesOrNothingToScoreAreRefused) {
  const SessionData a = with_ids(test::sample_session());
  SessionData other = next_day(a);
  other.klass = {2, "Period 5", "classroom"};
  EXPECT_THROW(export_gradebook({a, other}, Gradebook::Canvas, AssignmentPer::Session), GradebookError);
  SessionData survey = a;
  survey.asks = {a.asks[2]};  // the survey only
  EXPECT_THROW(export_gradebook({survey}, Gradebook::Canvas, AssignmentPer::Session), GradebookError);
  EXPECT_THROW(export_gradebook({}, Gradebook::Canvas, AssignmentPer::Session), GradebookError);
}

TEST(Gradebook, Names) {
  EXPECT_EQ(gradebook_from_name("Canvas"), Gradebook::Canvas);
  EXPECT_EQ(gradebook_from_name("powerschool"), Gradebook::PowerSchool);
  EXPECT_FALSE(gradebook_from_name("blackboard").has_value());
  EXPECT_EQ(gradebook_names(), "canvas|moodle|classroom|powerschool");
}

}  // namespace
}  // namespace cardpoll
