#include "core/store/quick_questions.h"

#include <stdexcept>

#include "core/local_time.h"
#include "core/store/storage.h"

namespace cardpoll {

namespace {

std::optional<Id> quick_set_id(Database& db, Id session_id) {
  Statement s(db, "SELECT set_id FROM quick_sets WHERE session_id = ?");
  s.bind(1, session_id);
  if (s.step()) return s.column_int64(0);
  return std::nullopt;
}

QuestionSet create_quick_set(Database& db, const ClassInfo& k, TimeMs at) {
  const std::string base = "Quick questions, " + k.name + ", " + local_time_label(at).substr(0, 16);
  std::string name = base;
  for (int n = 2; find_question_set(db, name); ++n) name = base + " (" + std::to_string(n) + ")";
  return create_question_set(db, name);
}

}  // namespace

Session start_quick_session(Database& db, Id class_id, TimeMs at) {
  const auto k = find_class(db, class_id);
  if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
  Transaction tx(db);
  const QuestionSet qs = create_quick_set(db, *k, at);
  const Session s = start_session(db, class_id, qs.id, at);
  Statement ins(db, "INSERT INTO quick_sets (session_id, set_id) VALUES (?, ?)");
  ins.bind(1, s.id).bind(2, qs.id).run();
  tx.commit();
  return s;
}

Question add_quick_question(Database& db, Id session_id, TimeMs at, int choices) {
  if (choices < 2 || choices > 4) throw std::runtime_error("a quick question has 2 to 4 choices (A-D)");
  Transaction tx(db);
  const auto s = find_session(db, session_id);
  if (!s) throw std::runtime_error("no session " + std::to_string(session_id));
  if (s->ended_at) throw std::runtime_error("session " + std::to_string(session_id) + " has ended");
  auto set_id = quick_set_id(db, session_id);
  if (!set_id) {
    const QuestionSet qs = create_quick_set(db, *find_class(db, s->class_id), at);
    Statement ins(db, "INSERT INTO quick_sets (session_id, set_id) VALUES (?, ?)");
    ins.bind(1, session_id).bind(2, qs.id).run();
    set_id = qs.id;
  }
  Statement n(db, "SELECT count(*) FROM questions WHERE set_id = ?");
  n.bind(1, *set_id);
  n.step();
  const int number = n.column_int(0) + 1;
  n.reset();
  Question q;
  q.text = quick_question_text(number);
  for (int c = 0; c < choices; ++c) q.choices.push_back("");  // asked aloud: the letters are the choices
  q = add_question(db, *set_id, q);
  tx.commit();
  return q;
}

std::string quick_question_text(int number) { return "Quick question " + std::to_string(number); }

namespace {

// The quick questions of the session, in the order they were added.
std::vector<Question> quick_questions_of(Database& db, Id session_id) {
  const auto id = quick_set_id(db, session_id);
  if (!id) return {};
  const auto qs = find_question_set(db, *id);
  return qs ? qs->questions : std::vector<Question>{};
}

}  // namespace

Question ensure_quick_question(Database& db, Id session_id, int number, TimeMs at, int choices) {
  if (number < 1) throw std::runtime_error("quick question numbers start at 1");
  Transaction tx(db);
  const std::vector<Question> have = quick_questions_of(db, session_id);
  if (static_cast<int>(have.size()) >= number) return have[static_cast<size_t>(number - 1)];
  if (static_cast<int>(have.size()) != number - 1)
    throw std::runtime_error("session " + std::to_string(session_id) + " has " + std::to_string(have.size()) +
                             " quick questions: quick question " + std::to_string(number) + " cannot come next");
  Question q = add_quick_question(db, session_id, at, choices);
  tx.commit();
  return q;
}

void set_quick_key_by_number(Database& db, Id session_id, int number, std::optional<Answer> key) {
  const std::vector<Question> have = quick_questions_of(db, session_id);
  if (number < 1 || number > static_cast<int>(have.size()))
    throw std::runtime_error("session " + std::to_string(session_id) + " has no quick question " +
                             std::to_string(number));
  set_quick_key(db, session_id, have[static_cast<size_t>(number - 1)].id, key);
}

bool is_quick_set_of(Database& db, Id session_id, Id set_id) {
  const auto id = quick_set_id(db, session_id);
  return id && *id == set_id;
}

void set_quick_key(Database& db, Id session_id, Id question_id, std::optional<Answer> key) {
  const auto q = find_question(db, question_id);
  if (!q || !is_quick_set_of(db, session_id, q->set_id))
    throw std::runtime_error("question " + std::to_string(question_id) + " is not a quick question of session " +
                             std::to_string(session_id));
  if (key && static_cast<size_t>(*key) >= q->choices.size())
    throw std::runtime_error(std::string("answer ") + answer_letter(*key) + " is not one of the quick question's choices");
  Statement up(db, "UPDATE questions SET correct = ? WHERE id = ?");
  up.bind(1, key ? std::optional<int>(static_cast<int>(*key)) : std::nullopt).bind(2, question_id).run();
}

void append_quick_questions(Database& db, SessionData& d) {
  const auto id = quick_set_id(db, d.session.id);
  if (!id || *id == d.set.id) return;
  const auto qs = find_question_set(db, *id);
  if (!qs) return;
  const int offset = static_cast<int>(d.set.questions.size());
  for (Question q : qs->questions) {
    q.position += offset;
    d.set.questions.push_back(std::move(q));
  }
}

}  // namespace cardpoll
