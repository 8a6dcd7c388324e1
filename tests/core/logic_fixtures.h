// Hand-made SessionData for the tally, mastery and export tests: small enough to check by
// hand, with the awkward cases in it (a survey, a true/false question, a question asked twice,
// a student who never answers, names that are HTML and spreadsheet formulas, an unassigned card).
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/session_data.h"

namespace cardpoll::test {

// 2026-03-04T09:00:00Z
constexpr TimeMs kT0 = 1772614800000;

inline Student make_student(Id id, int card, std::string display, std::string first = "",
                            std::string last = "", std::vector<std::string> tags = {}) {
  Student s;
  s.id = id;
  s.class_id = 1;
  s.card = card;
  s.display_name = std::move(display);
  s.first_name = std::move(first);
  s.last_name = std::move(last);
  s.tags = std::move(tags);
  return s;
}

inline Question make_question(Id id, int position, std::string text, std::vector<std::string> choices,
                              std::optional<Answer> correct, std::vector<std::string> skills,
                              bool tf = false) {
  Question q;
  q.id = id;
  q.set_id = 5;
  q.position = position;
  q.text = std::move(text);
  q.choices = std::move(choices);
  q.correct = correct;
  q.skills = std::move(skills);
  q.true_false = tf;
  return q;
}

// Adds a response with its history: answers[i] given at times[i] (ms after the ask opened).
inline void answer(SessionData& s, Id ask_id, Id student_id, std::vector<std::pair<Answer, TimeMs>> history) {
  const Ask* ask = nullptr;
  for (const auto& a : s.asks)
    if (a.id == ask_id) ask = &a;
  Response r;
  r.ask_id = ask_id;
  r.student_id = student_id;
  r.first_seen = ask->opened_at + history.front().second;
  for (const auto& [a, dt] : history) {
    s.changes.push_back({ask_id, student_id, a, ask->opened_at + dt});
    r.answer = a;
    r.last_changed = ask->opened_at + dt;
  }
  s.responses.push_back(r);
}

// A quiz without skill tags: students S1..Sn (ids and cards 1..n), one ask per key (choices
// "one".."four"); answers[student][ask] as letters, '-' for no answer.
inline SessionData quiz_session(const std::vector<std::optional<Answer>>& keys,
                                const std::vector<std::string>& answers) {
  SessionData s;
  s.klass = {1, "P3", "classroom"};
  for (size_t i = 0; i < answers.size(); ++i)
    s.students.push_back(make_student(static_cast<Id>(i + 1), static_cast<int>(i + 1), "S" + std::to_string(i + 1)));
  s.set.id = 5;
  s.set.name = "check";
  s.session = {7, 1, 5, kT0, kT0 + 3600000};
  for (size_t k = 0; k < keys.size(); ++k) {
    const Id qid = 100 + static_cast<Id>(k);
    s.set.questions.push_back(make_question(qid, static_cast<int>(k + 1), "Q" + std::to_string(k + 1),
                                            {"one", "two", "three", "four"}, keys[k], {}));
    s.asks.push_back({200 + static_cast<Id>(k), 7, qid, static_cast<int>(k + 1),
                      kT0 + static_cast<TimeMs>(k) * 60000, kT0 + static_cast<TimeMs>(k) * 60000 + 30000});
  }
  for (size_t i = 0; i < answers.size(); ++i)
    for (size_t k = 0; k < keys.size(); ++k)
      if (answers[i][k] != '-')
        answer(s, 200 + static_cast<Id>(k), static_cast<Id>(i + 1), {{*answer_from_letter(answers[i][k]), 1000}});
  return s;
}

inline SessionData sample_session() {
  SessionData s;
  s.klass = {1, "Period 3 Maths", "classroom"};
  s.students = {
      make_student(11, 1, "Ana García", "Ana", "García", {"el", "lang:es"}),
      make_student(12, 2, "Ben Okafor", "Ben", "Okafor"),
      make_student(13, 3, "<script>alert(\"x\")</script>", "", ""),
      make_student(14, 4, "=HYPERLINK(\"http://evil.example\",\"click\")", "", "", {"iep"}),
  };
  s.set.id = 5;
  s.set.name = "Fractions check";
  s.set.questions = {
      make_question(101, 1, "Which fraction equals 1/2?", {"1/3", "2/4", "3/4", "2/3"}, Answer::B,
                    {"fractions.equivalent"}),
      make_question(102, 2, "3/4 > 2/3", {"True", "False"}, Answer::A, {"fractions.compare"}, true),
      make_question(103, 3, "How confident are you?", {"Very", "A bit", "Not yet"}, std::nullopt,
                    {"reflection"}),
      make_question(104, 4, "Pick the \"odd one\" out, carefully:\n2/4, 3/6, 4/6", {"2/4", "3/6", "4/6"},
                    Answer::C, {"fractions.equivalent", "fractions.compare"}),
  };
  s.session = {7, 1, 5, kT0, kT0 + 40 * 60 * 1000};
  const TimeMs min = 60 * 1000;
  s.asks = {
      {201, 7, 101, 1, kT0 + 1 * min, kT0 + 3 * min},
      {202, 7, 102, 2, kT0 + 5 * min, kT0 + 7 * min},
      {203, 7, 103, 3, kT0 + 9 * min, kT0 + 10 * min},
      {204, 7, 101, 4, kT0 + 20 * min, kT0 + 22 * min},  // Q1 again, after a small-group lesson
      {205, 7, 104, 5, kT0 + 25 * min, std::nullopt},
  };
  // Ask 1 (key B): Ana B, Ben A->B (changed), script C, formula never answers.
  answer(s, 201, 11, {{Answer::B, 4000}});
  answer(s, 201, 12, {{Answer::A, 3000}, {Answer::B, 9500}});
  answer(s, 201, 13, {{Answer::C, 5250}});
  // Ask 2 (true/false, key A=True): Ana A, Ben B, script A.
  answer(s, 202, 11, {{Answer::A, 2000}});
  answer(s, 202, 12, {{Answer::B, 2500}});
  answer(s, 202, 13, {{Answer::A, 3000}});
  // Ask 3 (survey): Ana A, Ben C, formula B.
  answer(s, 203, 11, {{Answer::A, 1000}});
  answer(s, 203, 12, {{Answer::C, 1500}});
  answer(s, 203, 14, {{Answer::B, 1700}});
  // Ask 4 (Q1 again, key B): Ana B, Ben B, script B.
  answer(s, 204, 11, {{Answer::B, 1000}});
  answer(s, 204, 12, {{Answer::B, 1100}});
  answer(s, 204, 13, {{Answer::D, 1200}, {Answer::B, 4000}});
  // Ask 5 (key C): Ana C, Ben A.
  answer(s, 205, 11, {{Answer::C, 1000}});
  answer(s, 205, 12, {{Answer::A, 2000}});
  // Changes in time order, as storage gives them.
  std::stable_sort(s.changes.begin(), s.changes.end(),
                   [](const ResponseChange& a, const ResponseChange& b) { return a.at < b.at; });
  s.unassigned_cards = {37};
  return s;
}

// A malformed import file, the line its error must name (0 = the whole file) and a piece of
// the message.
struct BadFile {
  const char* file;
  int line;
  const char* says;
};

// Test names from file names: "bad_q_gap.csv" -> "bad_q_gap_csv".
inline std::string bad_file_name(const ::testing::TestParamInfo<BadFile>& i) {
  std::string n = i.param.file;
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

// `load(path)` must throw ImportError naming the file and the exact line, as "file:line: ...".
template <typename Load>
void expect_refused(const BadFile& b, const std::string& dir, Load load) {
  const std::string path = dir + b.file;
  try {
    load(path);
    ADD_FAILURE() << b.file << " was accepted";
  } catch (const ImportError& e) {
    EXPECT_EQ(e.line, b.line) << e.what();
    EXPECT_EQ(e.file, path);
    EXPECT_NE(e.message.find(b.says), std::string::npos) << e.what();
    const std::string prefix = b.line ? path + ":" + std::to_string(b.line) + ": " : path + ": ";
    EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  }
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cardpoll::test
