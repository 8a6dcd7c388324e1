// Editing stored questions: in place while never asked, refused once asked (answers were given
// to what it said then), and moving questions within their set.
#include <gtest/gtest.h>

#include "core/store/collector.h"
#include "core/store/question_edit.h"
#include "core/store/storage.h"
#include "tests/core/test_db_util.h"

using namespace cardpoll;

namespace {

struct Fixture {
  cardpoll::testing_store::TempDir dir;
  Database db{dir / "q.db"};
  QuestionSet set = create_question_set(db, "Fractions");
  Question add(const std::string& text) {
    Question q;
    q.text = text;
    q.choices = {"1/2", "3/4", "2/8"};
    q.correct = Answer::A;
    return add_question(db, set.id, q);
  }
  std::vector<std::string> texts() {
    std::vector<std::string> out;
    const QuestionSet now = *find_question_set(db, set.id);
    for (const auto& q : now.questions) out.push_back(std::to_string(q.position) + " " + q.text);
    return out;
  }
};

}  // namespace

TEST(QuestionEdit, ChangesEverythingOfAQuestionNeverAsked) {
  Fixture f;
  Question q = f.add("Which is 2/4?");
  q.text = "Which fraction equals 2/4?";
  q.choices = {"1/2", "3/4", "2/8", "4/2"};
  q.correct = Answer::D;
  q.skills = {"fractions.equivalent", "fractions.compare"};
  const Question saved = update_question(f.db, q);
  EXPECT_EQ(saved.position, 1);
  const auto back = find_question(f.db, q.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "Which fraction equals 2/4?");
  EXPECT_EQ(back->choices.size(), 4u);
  EXPECT_EQ(back->correct, Answer::D);
  EXPECT_EQ(back->skills, (std::vector<std::string>{"fractions.equivalent", "fractions.compare"}));
  q.correct.reset();  // a survey
  q.choices = {"yes", "no"};
  EXPECT_FALSE(update_question(f.db, q).correct);
  EXPECT_EQ(find_question(f.db, q.id)->choices.size(), 2u);
}

TEST(QuestionEdit, RefusesBrokenQuestionsAndChangesNothing) {
  Fixture f;
  Question q = f.add("Which is 2/4?");
  const auto before = cardpoll::testing_store::dump_database(f.dir / "q.db");
  Question bad = q;
  bad.text = "  ";
  EXPECT_THROW(update_question(f.db, bad), std::runtime_error);
  bad = q;
  bad.choices = {"only"};
  EXPECT_THROW(update_question(f.db, bad), std::runtime_error);
  bad = q;
  bad.choices = {"a", "b", "c", "d", "e"};
  EXPECT_THROW(update_question(f.db, bad), std::runtime_error);
  bad = q;
  bad.choices = {"a", " ", "c"};
  try {
    update_question(f.db, bad);
    ADD_FAILURE() << "an empty choice was stored";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("choice B is empty"), std::string::npos) << e.what();
  }
  bad = q;
  bad.correct = Answer::D;  // only three choices
  EXPECT_THROW(update_question(f.db, bad), std::runtime_error);
  bad = q;
  bad.id = 999;
  EXPECT_THROW(update_question(f.db, bad), std::runtime_error);
  EXPECT_EQ(cardpoll::testing_store::dump_database(f.dir / "q.db"), before);
}

TEST(QuestionEdit, AnAskedQuestionStaysAsTheStudentsSawIt) {
  Fixture f;
  Question q = f.add("Which is 2/4?");
  const ClassInfo k = create_class(f.db, "P3");
  Student st;
  st.class_id = k.id;
  st.display_name = "Ana";
  st.card = 1;
  add_student(f.db, st);
  const Session s = start_session(f.db, k.id, f.set.id, 1000);
  Collector c(f.db, s.id);
  c.ask_position(1, 1000);
  c.record(1, Answer::A, 1100);
  EXPECT_EQ(times_asked(f.db, q.id), 1);
  Question changed = q;
  changed.correct = Answer::B;
  try {
    update_question(f.db, changed);
    ADD_FAILURE() << "an asked question was re-keyed silently";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has been asked 1 time"), std::string::npos) << e.what();
  }
  EXPECT_EQ(find_question(f.db, q.id)->correct, Answer::A);
  // Moving it is fine: the ask points at the question, not its position.
  f.add("second");
  move_question(f.db, q.id, 2);
  EXPECT_EQ(find_question(f.db, q.id)->position, 2);
  EXPECT_EQ(load_session_data(f.db, s.id).asks.front().question_id, q.id);
}

TEST(QuestionEdit, MovesAQuestionAndShiftsTheOthers) {
  Fixture f;
  const Question a = f.add("a"), b = f.add("b"), c = f.add("c");
  (void)b;
  move_question(f.db, c.id, 1);
  EXPECT_EQ(f.texts(), (std::vector<std::string>{"1 c", "2 a", "3 b"}));
  move_question(f.db, c.id, 3);
  EXPECT_EQ(f.texts(), (std::vector<std::string>{"1 a", "2 b", "3 c"}));
  move_question(f.db, a.id, 99);  // clamped to the end
  EXPECT_EQ(f.texts(), (std::vector<std::string>{"1 b", "2 c", "3 a"}));
  move_question(f.db, a.id, 0);  // clamped to the start
  EXPECT_EQ(f.texts(), (std::vector<std::string>{"1 a", "2 b", "3 c"}));
  EXPECT_THROW(move_question(f.db, 12345, 1), std::runtime_error);
  // A question added after a move goes at the end.
  f.add("d");
  EXPECT_EQ(f.texts().back(), "4 d");
}
