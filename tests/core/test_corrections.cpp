// Corrections after the lesson against the history and every export; re-keyed scores; the bad
// cases (unknown session, ask, student; open vs ended sessions; deleting what does not exist)
// refused in words with the database exactly as it was.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/store/collector.h"
#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/exchange/export.h"
#include "core/store/storage.h"
#include "core/tally.h"
#include "test_db_util.h"

namespace cardpoll {
namespace {

using testing_store::dump_database;
using testing_store::error_of;
using testing_store::TempDir;
constexpr TimeMs kT0 = 1772614800000;

struct Lesson {
  TempDir dir;
  std::filesystem::path file = dir / "c.db";
  Database db{file, OpenOptions{true, false, Durability::Normal}};
  ClassInfo klass;
  QuestionSet set;
  std::vector<Student> st;
  Id session = 0;

  // Ana, Ben, Cy; Q1 key B, Q2 key A (true/false). Ana B A, Ben C A, Cy never answers Q1, A on Q2.
  Lesson() {
    klass = create_class(db, "P3");
    for (int i = 0; i < 3; ++i) {
      Student s;
      s.class_id = klass.id;
      s.display_name = std::vector<std::string>{"Ana", "Ben", "Cy"}[static_cast<size_t>(i)];
      s.card = i + 1;
      st.push_back(add_student(db, s));
    }
    set = create_question_set(db, "check");
    Question q1;
    q1.text = "1/2 = ?";
    q1.choices = {"1/3", "2/4", "3/4"};
    q1.correct = Answer::B;
    add_question(db, set.id, q1);
    Question q2;
    q2.text = "3/4 > 2/3";
    q2.true_false = true;
    q2.correct = Answer::A;
    add_question(db, set.id, q2);
    set = *find_question_set(db, set.id);
    session = start_session(db, klass.id, set.id, kT0).id;
    Collector c(db, session);
    c.ask_position(1, kT0 + 1000);
    c.record(1, Answer::B, kT0 + 2000);
    c.record(2, Answer::C, kT0 + 3000);
    c.ask_position(2, kT0 + 10000);
    c.record(1, Answer::A, kT0 + 11000);
    c.record(2, Answer::A, kT0 + 12000);
    c.record(3, Answer::A, kT0 + 13000);
    c.end_session(kT0 + 20000);
  }
  SessionData data() { return load_session_data(db, session); }
};

TEST(Corrections, AnAnswerSetAfterTheLessonIsInTheHistoryAndEveryExport) {
  Lesson L;
  const TimeMs at = kT0 + 86400000;
  // Ben's C was a misread: he showed B. Cy answered Q1 on paper: A.
  auto r = correct_answer(L.db, L.session, 1, L.st[1].id, Answer::B, "ms.k", at);
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.old_answer, Answer::C);
  correct_answer(L.db, L.session, 1, L.st[2].id, Answer::A, "ms.k", at + 1);
  // The same answer again changes nothing and records nothing.
  EXPECT_FALSE(correct_answer(L.db, L.session, 1, L.st[2].id, Answer::A, "ms.k", at + 2).changed);

  const SessionData d = L.data();
  ASSERT_EQ(d.corrections.size(), 2u);
  EXPECT_EQ(d.corrections[0].who, "ms.k");
  EXPECT_EQ(d.corrections[0].at, at);
  EXPECT_EQ(d.corrections[0].kind, "answer");
  EXPECT_EQ(d.corrections[0].old_value, "C");
  EXPECT_EQ(d.corrections[0].new_value, "B");
  EXPECT_EQ(d.corrections[1].old_value, "none");
  // The reads of the lesson stay in the change history; the correction is appended.
  int ben_changes = 0;
  for (const auto& c : d.changes) ben_changes += c.student_id == L.st[1].id && c.ask_id == d.asks[0].id;
  EXPECT_EQ(ben_changes, 2);

  // Tallies and every export count the corrected answers.
  const AskTally t = tally_ask(d, d.asks[0].id);
  EXPECT_EQ(t.right, 2);
  EXPECT_EQ(t.answered.size(), 3u);
  const std::string csv = export_responses_csv(d);
  EXPECT_NE(csv.find("1/2 = ?,,2,Ben,B,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("1/2 = ?,,3,Cy,A,0,"), std::string::npos) << csv;
  const std::string sheet = export_scoresheet_csv(d);
  EXPECT_NE(sheet.find("2,Ben,B right,A right,2,2,100"), std::string::npos) << sheet;
  const auto j = nlohmann::json::parse(export_json(d));
  ASSERT_EQ(j["corrections"].size(), 2u);
  EXPECT_EQ(j["corrections"][0]["old"], "C");
  EXPECT_EQ(j["corrections"][0]["at"], iso8601_utc(at));
  EXPECT_NEAR(j["item_analysis"]["items"][0]["share_right"].get<double>(), 2.0 / 3, 1e-9);
  const std::string html = export_html(d);
  EXPECT_NE(html.find("<h2>Corrections</h2>"), std::string::npos);
  EXPECT_NE(html.find("answer: session 1, ask 1, Ben"), std::string::npos);
}

TEST(Corrections, ClearingAnAnswerLeavesNoAnswerButKeepsTheReads) {
  Lesson L;
  correct_answer(L.db, L.session, 2, L.st[0].id, std::nullopt, "t", kT0 + 99999);
  const SessionData d = L.data();
  EXPECT_EQ(response_of(d, d.asks[1].id, L.st[0].id), nullptr);
  EXPECT_EQ(d.corrections.at(0).new_value, "none");
  bool read_kept = false;
  for (const auto& c : d.changes) read_kept = read_kept || (c.student_id == L.st[0].id && c.ask_id == d.asks[1].id);
  EXPECT_TRUE(read_kept);
}

TEST(Corrections, ReKeyingScoresEverySessionThatAskedTheQuestion) {
  Lesson L;
  // A second lesson asks Q1 again: Ana C.
  const Id s2 = start_session(L.db, L.klass.id, L.set.id, kT0 + 3600000).id;
  {
    Collector c(L.db, s2);
    c.ask_position(1, kT0 + 3601000);
    c.record(1, Answer::C, kT0 + 3602000);
    c.end_session(kT0 + 3700000);
  }
  const KeyCorrection k = correct_key(L.db, L.session, 1, Answer::C, "t", kT0 + 86400000);
  EXPECT_TRUE(k.changed);
  EXPECT_EQ(k.old_key, Answer::B);
  EXPECT_EQ(k.sessions, (std::vector<Id>{L.session, s2}));
  const SessionData d1 = L.data(), d2 = load_session_data(L.db, s2);
  EXPECT_EQ(tally_ask(d1, d1.asks[0].id).right, 1);  // Ben's C is right now
  EXPECT_EQ(tally_ask(d2, d2.asks[0].id).right, 1);  // and Ana's C in the other lesson
  EXPECT_EQ(student_scores(d1)[1].right, 2);
  EXPECT_EQ(d2.corrections.size(), 1u);  // the other session lists the re-keying too
  // A survey: never scored.
  correct_key(L.db, L.session, 1, std::nullopt, "t", kT0 + 86400001);
  const SessionData d3 = L.data();
  EXPECT_FALSE(tally_ask(d3, d3.asks[0].id).right);
  EXPECT_EQ(student_scores(d3)[0].scored, 1);
  EXPECT_NE(export_scoresheet_csv(d3).find("1,Ana,B,A right,1,1,100"), std::string::npos) << export_scoresheet_csv(d3);
}

TEST(Corrections, BadCasesAreRefusedInWordsAndNothingIsWritten) {
  Lesson L;
  const std::string before = dump_database(L.file);
  const TimeMs at = kT0 + 86400000;
  EXPECT_EQ(error_of([&] { correct_answer(L.db, 99, 1, L.st[0].id, Answer::A, "t", at); }),
            "no session 99 (see cardpoll session list)");
  EXPECT_EQ(error_of([&] { correct_answer(L.db, L.session, 7, L.st[0].id, Answer::A, "t", at); }),
            "session 1 has no ask 7 (its asks are 1-2)");
  EXPECT_EQ(error_of([&] { correct_answer(L.db, L.session, 2, L.st[0].id, Answer::C, "t", at); }),
            "answer C is not one of the question's choices (A-B)");
  EXPECT_EQ(error_of([&] { correct_key(L.db, L.session, 1, Answer::D, "t", at); }),
            "right answer D is not one of the question's choices (A-C)");
  Student other;
  {
    const ClassInfo k2 = create_class(L.db, "P4");
    Student s;
    s.class_id = k2.id;
    s.display_name = "Zed";
    other = add_student(L.db, s);
  }
  const std::string with_p4 = dump_database(L.file);
  EXPECT_EQ(error_of([&] { correct_answer(L.db, L.session, 1, other.id, Answer::A, "t", at); }),
            "that student is not in class \"P3\" of session 1");
  // An open session belongs to the collector.
  const Id open = start_session(L.db, L.klass.id, L.set.id, at).id;
  const std::string with_open = dump_database(L.file);
  EXPECT_NE(error_of([&] { correct_answer(L.db, open, 1, L.st[0].id, Answer::A, "t", at); }).find("is still open"),
            std::string::npos);
  EXPECT_EQ(dump_database(L.file), with_open);
  // Question edits that would break recorded answers or the card's four letters.
  EXPECT_EQ(error_of([&] { edit_question(L.db, L.set.id, 1, {std::nullopt, std::vector<std::string>{"x", "y"}, std::nullopt}, "t", at); }),
            "question 1: students answered C, so it must keep at least 3 choices");
  EXPECT_EQ(error_of([&] { edit_question(L.db, L.set.id, 1, {std::string(" "), std::nullopt, std::nullopt}, "t", at); }),
            "question 1 needs text");
  EXPECT_EQ(error_of([&] { edit_question(L.db, L.set.id, 9, {std::string("x"), std::nullopt, std::nullopt}, "t", at); }),
            "question set \"check\" has no question 9 (it has 2)");
  // Renames onto a taken name; deletes of what does not exist or is still used.
  EXPECT_EQ(error_of([&] { rename_class(L.db, L.klass.id, "P4", "t", at); }), "class \"P4\" already exists");
  EXPECT_EQ(error_of([&] { delete_session(L.db, 999, "t", at); }), "no session 999 (see cardpoll session list)");
  EXPECT_EQ(error_of([&] { delete_class(L.db, 999, "t", at); }), "no class with id 999");
  EXPECT_NE(error_of([&] { delete_question_set(L.db, L.set.id, "t", at); }).find("was used in sessions 1, 2"),
            std::string::npos);
  EXPECT_EQ(dump_database(L.file), with_open);
  (void)before;
  (void)with_p4;
  // Nothing refused left a backup file behind either.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(L.dir.path)) files += e.path().extension() == ".db";
  EXPECT_EQ(files, 1);
}

TEST(Corrections, EditRenameAndDeleteWithABackup) {
  Lesson L;
  const TimeMs at = kT0 + 86400000;
  const Question q = edit_question(L.db, L.set.id, 1, {std::string("Which equals 1/2?"), std::nullopt,
                                                       std::vector<std::string>{"fractions"}}, "t", at);
  EXPECT_EQ(q.text, "Which equals 1/2?");
  EXPECT_EQ(q.skills, std::vector<std::string>{"fractions"});
  EXPECT_EQ(q.choices.size(), 3u);
  EXPECT_NE(export_responses_csv(L.data()).find("Which equals 1/2?"), std::string::npos);
  EXPECT_NE(L.data().corrections.back().old_value.find("1/2 = ?"), std::string::npos);

  rename_class(L.db, L.klass.id, "Period 3", "t", at);
  EXPECT_TRUE(find_class(L.db, "Period 3"));
  rename_session(L.db, L.session, "before groups", "t", at);
  EXPECT_EQ(session_name(L.db, L.session), "before groups");

  const std::string before = dump_database(L.file);
  const auto backup = delete_session(L.db, L.session, "t", at);
  EXPECT_TRUE(std::filesystem::exists(backup));
  EXPECT_FALSE(find_session(L.db, L.session));
  // The backup is the database as it was just before the delete.
  EXPECT_EQ(dump_database(backup), before);
  // The history outlives what it describes.
  bool listed = false;
  for (const auto& c : list_all_corrections(L.db)) listed = listed || (c.kind == "delete" && c.target.find("session 1") == 0);
  EXPECT_TRUE(listed);
  // Now the set is unused and may go; then the class, with its students.
  const auto b2 = delete_question_set(L.db, L.set.id, "t", at + 1000);
  EXPECT_NE(b2, backup);
  EXPECT_FALSE(find_question_set(L.db, L.set.id));
  delete_class(L.db, L.klass.id, "t", at + 2000);
  EXPECT_FALSE(find_class(L.db, L.klass.id));
  EXPECT_TRUE(list_students(L.db, L.klass.id).empty());
}

}  // namespace
}  // namespace cardpoll
