#include "core/store/question_edit.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/store/corrections.h"
#include "core/store/storage.h"

namespace cardpoll {

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string short_text(const Question& q) {
  return q.text.size() > 40 ? q.text.substr(0, 40) + "..." : q.text;
}

// Joins the caller's transaction when there is one.
struct JoinOrBegin {
  explicit JoinOrBegin(Database& db) {
    if (!in_transaction(db)) tx.emplace(db);
  }
  void commit() {
    if (tx) tx->commit();
  }
  std::optional<Transaction> tx;
};

}  // namespace

void check_question(const Question& q) {
  if (blank(q.text)) throw std::runtime_error("a question needs text");
  const size_t n = q.true_false && q.choices.empty() ? 2 : q.choices.size();
  if (n < 2 || n > 4)
    throw std::runtime_error("question \"" + short_text(q) + "\" has " + std::to_string(n) +
                             " choices; a card has room for 2 to 4 (A-D)");
  for (size_t i = 0; i < q.choices.size(); ++i)
    if (blank(q.choices[i]))
      throw std::runtime_error("question \"" + short_text(q) + "\": choice " +
                               std::string(1, answer_letter(static_cast<Answer>(i))) + " is empty");
  if (q.correct && static_cast<size_t>(*q.correct) >= n)
    throw std::runtime_error("question \"" + short_text(q) + "\": the right answer " +
                             std::string(1, answer_letter(*q.correct)) + " is not one of its " +
                             std::to_string(n) + " choices");
}

int times_asked(Database& db, Id question_id) {
  Statement s(db, "SELECT count(*) FROM asks WHERE question_id = ?");
  s.bind(1, question_id);
  s.step();
  return s.column_int(0);
}

void write_question_content(Database& db, const Question& q) {
  Statement u(db, "UPDATE questions SET text = ?, true_false = ?, correct = ?, image_path = ? WHERE id = ?");
  u.bind(1, q.text).bind(2, q.true_false ? 1 : 0);
  if (q.correct) u.bind(3, static_cast<int>(*q.correct));
  else u.bind_null(3);
  u.bind(4, q.image_path).bind(5, q.id).run();
  Statement dc(db, "DELETE FROM question_choices WHERE question_id = ?");
  dc.bind(1, q.id).run();
  Statement c(db, "INSERT INTO question_choices (question_id, letter, text) VALUES (?, ?, ?)");
  for (size_t i = 0; i < q.choices.size(); ++i) c.bind(1, q.id).bind(2, static_cast<int>(i)).bind(3, q.choices[i]).run();
  Statement ds(db, "DELETE FROM question_skills WHERE question_id = ?");
  ds.bind(1, q.id).run();
  Statement k(db, "INSERT OR IGNORE INTO question_skills (question_id, position, skill) VALUES (?, ?, ?)");
  int n = 0;
  for (const auto& skill : q.skills)
    if (!blank(skill)) k.bind(1, q.id).bind(2, ++n).bind(3, skill).run();
}

Question update_question(Database& db, const Question& in, const std::string& who) {
  const auto old = find_question(db, in.id);
  if (!old) throw std::runtime_error("no question with id " + std::to_string(in.id));
  QuestionEdit e;
  if (in.text != old->text) e.text = in.text;
  const std::vector<std::string> choices = in.true_false && in.choices.empty() ? std::vector<std::string>{"True", "False"} : in.choices;
  if (choices != old->choices) e.choices = choices;
  if (in.skills != old->skills) e.skills = in.skills;
  if (in.correct != old->correct) e.correct = in.correct;
  if (!e.text && !e.choices && !e.skills && !e.correct) return *old;
  return edit_question(db, old->set_id, old->position, e, who.empty() ? default_corrector() : who, now_ms());
}

std::vector<Question> move_question(Database& db, Id question_id, int new_position) {
  const auto q = find_question(db, question_id);
  if (!q) throw std::runtime_error("no question with id " + std::to_string(question_id));
  JoinOrBegin tx(db);
  auto set = find_question_set(db, q->set_id);
  std::vector<Id> order;
  for (const auto& x : set->questions)
    if (x.id != question_id) order.push_back(x.id);
  const int to = std::clamp(new_position, 1, static_cast<int>(order.size()) + 1);
  order.insert(order.begin() + (to - 1), question_id);
  // Positions are unique within a set: park every question on a negative-free temporary
  // range above the set first, then write the final positions.
  const int offset = static_cast<int>(order.size()) + 1000000;
  Statement park(db, "UPDATE questions SET position = position + ? WHERE set_id = ?");
  park.bind(1, offset).bind(2, q->set_id).run();
  Statement put(db, "UPDATE questions SET position = ? WHERE id = ?");
  for (size_t i = 0; i < order.size(); ++i) put.bind(1, static_cast<int>(i) + 1).bind(2, order[i]).run();
  tx.commit();
  return find_question_set(db, q->set_id)->questions;
}

}  // namespace cardpoll
