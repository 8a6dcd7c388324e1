// Question import from CSV, Aiken and GIFT: good files in each format, GIFT types that are
// skipped with a warning, and malformed files refused naming the exact line.
#include <gtest/gtest.h>

#include "core/exchange/import_questions.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

const std::string kDir = std::string(CARDPOLL_TEST_DATA) + "/import/";

QuestionImport load(const std::string& name, QuestionFormat f = QuestionFormat::Auto) {
  return import_questions_file(kDir + name, f);
}

using Strings = std::vector<std::string>;

TEST(ImportQuestionsCsv, EveryKindOfRow) {
  const auto r = load("questions_basic.csv");
  EXPECT_EQ(r.format, QuestionFormat::Csv);
  ASSERT_EQ(r.questions.size(), 5u);
  EXPECT_EQ(r.lines, (std::vector<int>{2, 3, 4, 5, 6}));

  const Question& q1 = r.questions[0];
  EXPECT_EQ(q1.position, 1);
  EXPECT_EQ(q1.text, "Which fraction equals 1/2?");
  EXPECT_EQ(q1.choices, (Strings{"2/4", "1/3", "3/4", "2/3"}));
  EXPECT_EQ(q1.correct, Answer::A);
  EXPECT_EQ(q1.skills, Strings{"fractions.equivalent"});
  EXPECT_FALSE(q1.true_false);

  const Question& q2 = r.questions[1];  // T with no choices: true/false
  EXPECT_TRUE(q2.true_false);
  EXPECT_EQ(q2.choices, (Strings{"True", "False"}));
  EXPECT_EQ(q2.correct, Answer::A);

  const Question& q3 = r.questions[2];  // no answer: survey
  EXPECT_EQ(q3.choices, (Strings{"Very", "Somewhat", "Not yet"}));
  EXPECT_FALSE(q3.correct.has_value());
  EXPECT_TRUE(q3.skills.empty());

  const Question& q4 = r.questions[3];
  EXPECT_EQ(q4.text, "Pick the \"largest\" number");
  EXPECT_EQ(q4.choices, (Strings{"0.5", "1,5", "0.25"}));
  EXPECT_EQ(q4.correct, Answer::B);  // lower-case letter accepted
  EXPECT_EQ(q4.skills, (Strings{"decimals", "place-value"}));
  EXPECT_EQ(q4.image_path, "img/q4.png");

  const Question& q5 = r.questions[4];  // True/False choices with answer "false"
  EXPECT_TRUE(q5.true_false);
  EXPECT_EQ(q5.correct, Answer::B);
  EXPECT_EQ(q5.position, 5);
}

TEST(ImportQuestionsCsv, SemicolonSeparatedWithOtherHeaderSpellings) {
  const auto r = load("questions_semicolon.csv");
  ASSERT_EQ(r.questions.size(), 1u);
  EXPECT_EQ(r.questions[0].choices, (Strings{"4", "5"}));
  EXPECT_EQ(r.questions[0].correct, Answer::A);
  EXPECT_EQ(r.questions[0].skills, Strings{"arith"});
}

TEST(ImportQuestionsCsv, TypeColumn) {
  const auto r = load("questions_type.csv");
  ASSERT_EQ(r.questions.size(), 3u);
  EXPECT_TRUE(r.questions[0].true_false);
  EXPECT_EQ(r.questions[0].correct, Answer::A);
  EXPECT_FALSE(r.questions[1].correct.has_value());
  EXPECT_EQ(r.questions[2].correct, Answer::B);
}

TEST(ImportQuestionsCsv, InlineSkillMarkerInText) {
  const auto r = parse_questions_csv("question,A,B,answer,skill\n\"Half of 8? [skill: halves]\",4,2,A,division\n", "q.csv");
  EXPECT_EQ(r.questions[0].text, "Half of 8?");
  EXPECT_EQ(r.questions[0].skills, (Strings{"halves", "division"}));
}

TEST(ImportQuestionsCsv, DuplicateChoicesAreAWarning) {
  const auto r = parse_questions_csv("question,A,B,answer\nq,same,Same,A\n", "q.csv");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 2);
}

TEST(ImportQuestionsAiken, FourQuestionsWithSkills) {
  const auto r = load("questions.aiken");
  EXPECT_EQ(r.format, QuestionFormat::Aiken);
  ASSERT_EQ(r.questions.size(), 4u);
  EXPECT_EQ(r.lines, (std::vector<int>{2, 8, 13, 21}));
  EXPECT_EQ(r.questions[0].text, "Which fraction equals 1/2?");
  EXPECT_EQ(r.questions[0].choices, (Strings{"2/4", "1/3", "3/4"}));
  EXPECT_EQ(r.questions[0].correct, Answer::A);
  EXPECT_EQ(r.questions[0].skills, Strings{"fractions.equivalent"});
  EXPECT_EQ(r.questions[1].text, "What is 7 x 8?");
  EXPECT_EQ(r.questions[1].skills, Strings{"times-tables"});
  EXPECT_EQ(r.questions[1].correct, Answer::B);
  EXPECT_EQ(r.questions[2].text, "Read the passage.\nWhich word is a verb?");
  EXPECT_EQ(r.questions[2].choices.size(), 4u);
  EXPECT_TRUE(r.questions[2].skills.empty());  // a skill comment applies to one question only
  EXPECT_TRUE(r.questions[3].true_false);
  EXPECT_EQ(r.questions[3].correct, Answer::B);
}

TEST(ImportQuestionsGift, MultipleChoiceTrueFalseAndSkippedTypes) {
  const auto r = load("questions.gift");
  EXPECT_EQ(r.format, QuestionFormat::Gift);
  ASSERT_EQ(r.questions.size(), 6u);
  EXPECT_EQ(r.lines, (std::vector<int>{4, 11, 13, 27, 29, 33}));

  const Question& q1 = r.questions[0];
  EXPECT_EQ(q1.text, "Which fraction equals 1/2?");
  EXPECT_EQ(q1.choices, (Strings{"2/4", "1/3", "3/4"}));  // feedback dropped
  EXPECT_EQ(q1.correct, Answer::A);
  EXPECT_EQ(q1.skills, Strings{"fractions.equivalent_fractions"});  // from $CATEGORY

  const Question& q2 = r.questions[1];
  EXPECT_TRUE(q2.true_false);
  EXPECT_EQ(q2.correct, Answer::A);
  EXPECT_EQ(q2.skills, (Strings{"fractions.compare", "reasoning"}));  // comment wins over category

  const Question& q3 = r.questions[2];
  EXPECT_EQ(q3.text, "Escapes: 1 = 1, a {brace} and a : colon and ~ tilde # hash");
  EXPECT_EQ(q3.choices, (Strings{"yes", "no"}));

  const Question& q4 = r.questions[3];  // missing-word form, [markdown] marker removed
  EXPECT_EQ(q4.text, "The capital of France is _____ today.");
  EXPECT_EQ(q4.choices, (Strings{"Berlin", "Paris", "Madrid"}));
  EXPECT_EQ(q4.correct, Answer::B);

  const Question& q5 = r.questions[4];  // multi-line title and text, {FALSE#feedback}
  EXPECT_EQ(q5.text, "First line\nsecond line");
  EXPECT_TRUE(q5.true_false);
  EXPECT_EQ(q5.correct, Answer::B);

  const Question& q6 = r.questions[5];  // no '=': a survey
  EXPECT_FALSE(q6.correct.has_value());
  EXPECT_EQ(q6.text, "How did it go?");
  EXPECT_EQ(q6.skills, Strings{"reflection"});

  // Each skipped question is named by its line.
  std::vector<int> lines;
  for (const auto& w : r.warnings) lines.push_back(w.line);
  EXPECT_EQ(lines, (std::vector<int>{15, 17, 19, 21, 23, 25}));
  EXPECT_NE(r.warnings[0].message.find("short-answer"), std::string::npos);
  EXPECT_NE(r.warnings[1].message.find("numerical"), std::string::npos);
  EXPECT_NE(r.warnings[2].message.find("matching"), std::string::npos);
  EXPECT_NE(r.warnings[3].message.find("essay"), std::string::npos);
  EXPECT_NE(r.warnings[4].message.find("several right answers"), std::string::npos);
  EXPECT_NE(r.warnings[5].message.find("description"), std::string::npos);
}

TEST(ImportQuestionsGift, MultipleRightAnswersAreSkipped) {
  const auto r = parse_questions_gift("q1 {=a =b ~c}\n\nq2 {=x ~y}\n", "g.gift");
  ASSERT_EQ(r.questions.size(), 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 1);
  EXPECT_EQ(r.lines, std::vector<int>{3});
}

TEST(ImportQuestionsGift, FullWeightOnTheRightAnswerIsAccepted) {
  const auto r = parse_questions_gift("q {=%100%a ~%-50%b ~c}\n", "g.gift");
  ASSERT_EQ(r.questions.size(), 1u);
  EXPECT_EQ(r.questions[0].choices, (Strings{"a", "b", "c"}));
}

TEST(ImportQuestionsGift, CategoryNamesBecomeSkills) {
  const auto r = parse_questions_gift("$CATEGORY: Number Sense/Place Value\n\nq {T}\n\n$CATEGORY: $module$\n\nq2 {F}\n", "g");
  EXPECT_EQ(r.questions[0].skills, Strings{"number_sense.place_value"});
  EXPECT_TRUE(r.questions[1].skills.empty());
}

TEST(ImportQuestions, FormatDetection) {
  EXPECT_EQ(load("questions_txt_gift.txt").format, QuestionFormat::Gift);
  EXPECT_EQ(load("questions_txt_aiken.txt").format, QuestionFormat::Aiken);
  EXPECT_EQ(parse_questions("question,A,B,answer\nq,1,2,A\n", "x.txt").format, QuestionFormat::Csv);
  EXPECT_EQ(parse_questions("<?xml version=\"1.0\"?>\n<quiz><question type=\"truefalse\"><questiontext><text>Sky is "
                            "blue</text></questiontext><answer fraction=\"100\"><text>true</text></answer><answer "
                            "fraction=\"0\"><text>false</text></answer></question></quiz>",
                            "export.txt")
                .format,
            QuestionFormat::MoodleXml);
  EXPECT_EQ(question_format_from_name("xml"), QuestionFormat::MoodleXml);
  // An explicit format wins over the extension.
  EXPECT_EQ(load("questions_txt_aiken.txt", QuestionFormat::Aiken).questions.size(), 1u);
  EXPECT_EQ(question_format_from_name("GIFT"), QuestionFormat::Gift);
  EXPECT_THROW(question_format_from_name("qti"), std::invalid_argument);
  EXPECT_EQ(question_format_name(QuestionFormat::Aiken), "aiken");
}

TEST(ImportQuestions, SplitSkills) {
  EXPECT_EQ(split_skills("Fractions.Equivalent; fractions.compare,  x x"),
            (Strings{"fractions.equivalent", "fractions.compare", "x"}));
}

using test::BadFile;
class BadQuestions : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadQuestions, AreRefusedNamingTheLine) {
  test::expect_refused(GetParam(), kDir, [](const std::string& path) { import_questions_file(path); });
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadQuestions,
    ::testing::Values(BadFile{"bad_q_no_question_column.csv", 1, "no \"question\" column"},
                      BadFile{"bad_q_answer_letter.csv", 3, "\"X1\" is not a letter"},
                      BadFile{"bad_q_answer_e.csv", 2, "only answer A-D"},
                      BadFile{"bad_q_answer_not_choice.csv", 3, "not one of the choices"},
                      BadFile{"bad_q_gap.csv", 2, "choice C is empty but D is not"},
                      BadFile{"bad_q_one_choice.csv", 2, "at least two choices"},
                      BadFile{"bad_q_empty_text.csv", 3, "has no text"},
                      BadFile{"bad_q_columns.csv", 3, "5 columns where the header has 4"},
                      BadFile{"bad_q_survey_answer.csv", 2, "survey question with a right answer"},
                      BadFile{"bad_q_type.csv", 2, "\"essay\" is not mc, tf or survey"},
                      BadFile{"bad_q_tf_choices.csv", 2, "choices other than True, False"},
                      BadFile{"bad_q_empty.csv", 0, "empty"},
                      BadFile{"bad_aiken_no_answer.aiken", 6, "no \"ANSWER: <letter>\" line"},
                      BadFile{"bad_aiken_answer_first.aiken", 2, "before the choices"},
                      BadFile{"bad_aiken_choice_e.aiken", 1, "a card has only four edges"},
                      BadFile{"bad_aiken_order.aiken", 3, "choice C where B was expected"},
                      BadFile{"bad_aiken_answer_not_choice.aiken", 4, "not one of the choices A-B"},
                      BadFile{"bad_aiken_answer_word.aiken", 4, "\"AB\" is not one letter"},
                      BadFile{"bad_aiken_text_after_choices.aiken", 4, "expected choice C."},
                      BadFile{"bad_aiken_empty_answer.aiken", 4, "has no letter"},
                      BadFile{"bad_gift_unclosed.gift", 3, "never closed"},
                      BadFile{"bad_gift_close_without_open.gift", 3, "without an answer block"},
                      BadFile{"bad_gift_five.gift", 1, "5 choices, but a card has only four edges"},
                      BadFile{"bad_gift_title.gift", 2, "title"},
                      BadFile{"bad_gift_empty_choice.gift", 3, "choice B is empty"},
                      BadFile{"bad_gift_nested.gift", 1, "inside an answer block"},
                      BadFile{"bad_gift_only_skipped.gift", 1, "all 2 questions were skipped"},
                      BadFile{"bad_gift_latin1.gift", 1, "invalid UTF-8"}),
    test::bad_file_name);

}  // namespace
}  // namespace cardpoll
