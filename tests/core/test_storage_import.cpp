// Importing into the database, all-or-nothing: the parsers' results stored in one
// transaction. Every refused import (the parsers' malformed sample files and the storage's
// own rules) must leave the database row-for-row as it was. Also the re-import policy
// (merge by name, --replace) and card rules.
#include <gtest/gtest.h>

#include <fstream>

#include "core/exchange/import_db.h"
#include "core/store/storage.h"
#include "test_db_util.h"

using namespace cardpoll;
using cardpoll::testing_store::dump_database;
using cardpoll::testing_store::error_of;
using cardpoll::testing_store::TempDir;

namespace {

RosterImport roster(const std::string& text, const std::string& file = "roster.csv") {
  return parse_roster_csv(text, file);
}

struct Stored {
  TempDir dir;
  std::filesystem::path file = dir / "class.db";
  Database db{file};
  Stored() {
    store_roster(db, roster("name,card,tags\nAna Garcia,1,el\nBen Li,2,\nChen Wei,3,iep\n"), {"Period 3", "", false});
    store_questions(db, parse_questions_aiken("Half of 4?\nA. 1\nB. 2\nANSWER: B\n", "q.aiken"), {"Fractions", false});
    // A session with an answer, so a refused import must not disturb stored answers either.
    const auto k = require_class(db, "Period 3");
    const auto set = require_question_set(db, "Fractions");
    const auto s = start_session(db, k.id, set.id, 1000);
    Statement ask(db, "INSERT INTO asks (session_id, question_id, number, opened_at) VALUES (?, ?, 1, 1000)");
    ask.bind(1, s.id).bind(2, set.questions[0].id).run();
  }
};


// Runs `import`, which must throw a message containing `must_say`, and checks nothing changed.
template <typename F>
void expect_refused(Stored& s, F&& import, const std::string& must_say, const std::string& label) {
  const std::string before = dump_database(s.file);
  const std::string err = error_of(import);
  EXPECT_NE(err.find(must_say), std::string::npos) << label << ": expected \"" << must_say << "\" in: " << err;
  EXPECT_EQ(dump_database(s.file), before) << label << " changed the database";
  EXPECT_FALSE(in_transaction(s.db)) << label << " left a transaction open";
}

}  // namespace

// The parsers' malformed samples (tests/data/import/bad_*), each parsed and stored against a
// database that holds a class, a set and a session.
TEST(StorageImport, EveryMalformedSampleFileLeavesTheDatabaseUnchanged) {
  Stored s;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(CARDPOLL_TEST_DATA) / "import"))
    if (e.path().filename().string().rfind("bad_", 0) == 0) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const std::string name = p.filename().string();
    if (name.rfind("bad_roster_", 0) == 0) {
      expect_refused(s, [&] { store_roster(s.db, import_roster_file(p), {"Period 3", "", false}); }, p.string(), name);
      expect_refused(s, [&] { store_roster(s.db, import_roster_file(p), {"New class", "", true}); }, p.string(), name);
    } else {
      expect_refused(s, [&] { store_questions(s.db, import_questions_file(p), {"New set", false}); }, p.string(), name);
      expect_refused(s, [&] { store_questions(s.db, import_questions_file(p), {"Fractions", true}); }, p.string(), name);
    }
  }
  EXPECT_GE(files.size(), 20u);
}

// What the parsers accept but a class cannot take.
TEST(StorageImport, StorageRulesLeaveTheDatabaseUnchanged) {
  Stored s;
  const RosterStoreOptions into{"Period 3", "", false};
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nDan,7\nEve,50\n"), into); },
                 "roster.csv:3: card 50 is not in deck classroom (cards 1-49)", "card outside the deck");
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nDan,300\n"), {"New", "", false}); },
                 "roster.csv:2: card 300 is not in deck classroom", "card outside the deck of a new class");
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nDan,7\nEve,2\n"), into); },
                 "roster.csv:3: card 2 already belongs to Ben Li, who is not in this file", "card of a student not in the file");
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nAna Garcia,7\nana garcia,8\n"), into); },
                 "roster.csv:3:", "two rows are one stored student");
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nDan,7\n"), {"Period 3", "large", false}); },
                 "uses deck classroom, not large", "another deck for an existing class");
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nDan,7\n"), {"New", "nosuch", false}); },
                 "no deck named \"nosuch\"", "unknown deck");
  expect_refused(s, [&] { store_roster(s.db, roster("name,card\nDan,7\n"), {"  ", "", false}); }, "no class name",
                 "empty class name");
  {
    std::string many = "name\n";
    for (int i = 1; i <= 47; ++i) many += "Student " + std::to_string(i) + "\n";
    expect_refused(s, [&] { store_roster(s.db, roster(many), into); }, "roster.csv:48: no free card left for Student 47",
                   "more students than free cards");
  }
  {
    // Two stored students with one name: a row with that name is ambiguous.
    const auto k = require_class(s.db, "Period 3");
    Student twin;
    twin.class_id = k.id;
    twin.display_name = "Ana Garcia";
    twin.card = 9;
    add_student(s.db, twin);
    expect_refused(s, [&] { store_roster(s.db, roster("name,card\nana garcia,10\n"), into); },
                   "matches two students", "ambiguous name");
  }
  auto questions = parse_questions_aiken("Half of 6?\nA. 2\nB. 3\nANSWER: B\n", "more.aiken");
  expect_refused(s, [&] { store_questions(s.db, questions, {"Fractions", false}); },
                 "more.aiken: question set \"Fractions\" already exists (1 questions): use --append", "set exists");
  expect_refused(s, [&] { store_questions(s.db, questions, {"", false}); }, "no question set name",
                 "empty set name");
  {
    // A question the parser would never give, to show storage checks it anyway (5 choices).
    auto bad = questions;
    bad.questions.push_back(bad.questions[0]);
    bad.questions.back().choices = {"1", "2", "3", "4", "5"};
    bad.lines.push_back(9);
    expect_refused(s, [&] { store_questions(s.db, bad, {"Two", false}); }, "more.aiken:9:", "five choices");
    bad.questions.back().choices = {"1", "2"};
    bad.questions.back().correct = Answer::D;
    expect_refused(s, [&] { store_questions(s.db, bad, {"Two", false}); }, "more.aiken:9:", "answer not a choice");
  }
  expect_refused(s, [&] { store_roster(s.db, RosterImport{}, into); }, "no students", "no students");
}

TEST(StorageImport, NewClassGetsTheFileAsItIs) {
  TempDir t;
  Database db(t / "c.db");
  const auto r = store_roster(db, roster("name,card,tags\nAna Garcia,4,el lang:es\nBen Li,2,\n"), {"P1", "", false});
  EXPECT_TRUE(r.created_class);
  EXPECT_EQ(r.added, 2);
  const auto students = list_students(db, r.klass.id);
  ASSERT_EQ(students.size(), 2u);
  EXPECT_EQ(students[0].display_name, "Ben Li");
  EXPECT_EQ(students[1].card, 4);
  EXPECT_EQ(students[1].tags, (std::vector<std::string>{"el", "lang:es"}));
  EXPECT_EQ(r.klass.deck, "classroom");
  // A large deck takes card 200.
  const auto big = store_roster(db, roster("name,card\nZoe,200\n"), {"Lecture", "large", false});
  EXPECT_EQ(big.klass.deck, "large");
}

TEST(StorageImport, MergeKeepsIdsAndAnswersAndFillsFreeCards) {
  Stored s;
  const auto k = require_class(s.db, "Period 3");
  const Id ben = find_student_by_name(s.db, k.id, "Ben Li")->id;
  // No card column: Ben keeps card 2, the new student gets the lowest free card (4).
  auto r = store_roster(s.db, roster("first name,last name,tags\nBen,Li,iep\nDan,Okafor,\n"), {"Period 3", "", false});
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.kept, 2);
  EXPECT_EQ(find_student_by_name(s.db, k.id, "Ben Li")->id, ben);
  EXPECT_EQ(find_student_by_name(s.db, k.id, "Ben Li")->card, 2);
  EXPECT_EQ(find_student_by_name(s.db, k.id, "ben li")->tags, std::vector<std::string>{"iep"});
  EXPECT_EQ(find_student_by_name(s.db, k.id, "Dan Okafor")->card, 4);
  // The same file again changes nothing.
  const std::string before = dump_database(s.file);
  r = store_roster(s.db, roster("first name,last name,tags\nBen,Li,iep\nDan,Okafor,\n"), {"Period 3", "", false});
  EXPECT_EQ(r.unchanged, 2);
  EXPECT_EQ(dump_database(s.file), before);
}

TEST(StorageImport, SwappingCardsInOneFileWorks) {
  Stored s;
  const auto k = require_class(s.db, "Period 3");
  store_roster(s.db, roster("name,card\nAna Garcia,2\nBen Li,1\n"), {"Period 3", "", false});
  EXPECT_EQ(find_student_by_card(s.db, k.id, 1)->display_name, "Ben Li");
  EXPECT_EQ(find_student_by_card(s.db, k.id, 2)->display_name, "Ana Garcia");
  EXPECT_EQ(find_student_by_card(s.db, k.id, 3)->display_name, "Chen Wei");
}

TEST(StorageImport, ReplaceTakesMissingStudentsOffTheRosterButKeepsTheirAnswers) {
  Stored s;
  const auto k = require_class(s.db, "Period 3");
  const auto chen = *find_student_by_name(s.db, k.id, "Chen Wei");
  const auto session = *latest_session(s.db);
  const auto ask = list_asks(s.db, session.id).at(0);
  Statement answer(s.db, "INSERT INTO responses (ask_id, student_id, answer, first_seen, last_changed) VALUES (?, ?, 1, 5, 5)");
  answer.bind(1, ask.id).bind(2, chen.id).run();

  const auto r = store_roster(s.db, roster("name,card\nAna Garcia,3\nDan,1\n"), {"Period 3", "", true});
  EXPECT_EQ(r.removed, 2);  // Ben and Chen
  EXPECT_EQ(r.added, 1);
  const auto now = list_students(s.db, k.id);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].display_name, "Dan");
  EXPECT_EQ(now[1].display_name, "Ana Garcia");
  EXPECT_EQ(now[1].card, 3);  // Chen's old card, free now
  const auto d = load_session_data(s.db, session.id);
  bool chen_in_session = false;
  for (const auto& st : d.students) chen_in_session |= st.id == chen.id;
  EXPECT_TRUE(chen_in_session);
  ASSERT_EQ(d.responses.size(), 1u);
  // Coming back later (merge) restores the same student, with a free card.
  store_roster(s.db, roster("name\nChen Wei\n"), {"Period 3", "", false});
  const auto back = find_student_by_name(s.db, k.id, "Chen Wei");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, chen.id);
  EXPECT_EQ(back->card, 2);
}

TEST(StorageImport, QuestionsAppendAfterTheLast) {
  Stored s;
  auto more = parse_questions_aiken("Half of 6?\nA. 2\nB. 3\nANSWER: B\n\nHalf of 8?\nA. 4\nB. 3\nANSWER: A\n", "more.aiken");
  const auto r = store_questions(s.db, more, {"Fractions", true});
  EXPECT_FALSE(r.created_set);
  EXPECT_EQ(r.added, static_cast<int>(more.questions.size()));
  const auto set = require_question_set(s.db, "Fractions");
  ASSERT_EQ(set.questions.size(), 1 + more.questions.size());
  EXPECT_EQ(set.questions[1].position, 2);
  EXPECT_EQ(set.questions[1].text, "Half of 6?");
}
