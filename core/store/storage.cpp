#include "core/store/storage.h"

#include "core/store/corrections.h"
#include "core/store/quick_questions.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace cardpoll {

namespace {

// Joins the caller's transaction when there is one, else opens its own: functions that
// write several rows are all-or-nothing either way.
struct MaybeTransaction {
  explicit MaybeTransaction(Database& db) {
    if (!in_transaction(db)) tx.emplace(db);
  }
  void commit() {
    if (tx) tx->commit();
  }
  std::optional<Transaction> tx;
};

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const Deck& deck_of(const ClassInfo& k) {
  const Deck* d = find_deck(k.deck);
  if (!d)
    throw std::runtime_error("class \"" + k.name + "\" uses deck \"" + k.deck +
                             "\", which this cardpoll does not know (decks: " + deck_names() + ")");
  return *d;
}

ClassInfo class_from_row(const Statement& s) {
  ClassInfo k;
  k.id = s.column_int64(0);
  k.name = s.column_text(1);
  k.deck = s.column_text(2);
  return k;
}

constexpr const char* kStudentColumns =
    "SELECT id, class_id, display_name, first_name, last_name, card, sis_id, email FROM students ";

Student student_from_row(const Statement& s) {
  Student st;
  st.id = s.column_int64(0);
  st.class_id = s.column_int64(1);
  st.display_name = s.column_text(2);
  st.first_name = s.column_text(3);
  st.last_name = s.column_text(4);
  st.card = s.is_null(5) ? 0 : s.column_int(5);
  st.sis_id = s.column_text(6);
  st.email = s.column_text(7);
  return st;
}

void load_tags(Database& db, Student& st) {
  Statement s(db, "SELECT tag FROM student_tags WHERE student_id = ? ORDER BY position");
  s.bind(1, st.id);
  st.tags.clear();
  while (s.step()) st.tags.push_back(s.column_text(0));
}

void store_tags(Database& db, const Student& st) {
  // Rewriting the same tags would log a change for the next push to a school server (schema
  // step 6): a roster imported again must leave the database as it was.
  std::vector<std::string> wanted;
  for (const auto& tag : st.tags)
    if (!tag.empty() && std::find(wanted.begin(), wanted.end(), tag) == wanted.end()) wanted.push_back(tag);
  Student now;
  now.id = st.id;
  load_tags(db, now);
  if (now.tags == wanted) return;
  Statement del(db, "DELETE FROM student_tags WHERE student_id = ?");
  del.bind(1, st.id).run();
  Statement ins(db, "INSERT OR IGNORE INTO student_tags (student_id, position, tag) VALUES (?, ?, ?)");
  int pos = 0;
  for (const auto& tag : st.tags) {
    if (tag.empty()) continue;
    ins.bind(1, st.id).bind(2, ++pos).bind(3, tag).run();
  }
}

// Checks `card` may be given to student `student_id` (0 = a new student) of class `k`.
void check_card_free(Database& db, const ClassInfo& k, int card, Id student_id) {
  if (card == 0) return;
  const Deck& deck = deck_of(k);
  if (card < 1 || card > deck.cards())
    throw std::runtime_error("card " + std::to_string(card) + " is not in deck " + k.deck +
                             " (cards 1-" + std::to_string(deck.cards()) + ") of class \"" +
                             k.name + "\"");
  if (auto holder = find_student_by_card(db, k.id, card); holder && holder->id != student_id)
    throw std::runtime_error("card " + std::to_string(card) + " already belongs to " +
                             holder->display_name + " in class \"" + k.name + "\"");
}

Question question_from_row(Database& db, const Statement& s) {
  Question q;
  q.id = s.column_int64(0);
  q.set_id = s.column_int64(1);
  q.position = s.column_int(2);
  q.text = s.column_text(3);
  q.true_false = s.column_int(4) != 0;
  if (!s.is_null(5)) q.correct = static_cast<Answer>(s.column_int(5));
  q.image_path = s.column_text(6);
  Statement c(db, "SELECT text FROM question_choices WHERE question_id = ? ORDER BY letter");
  c.bind(1, q.id);
  while (c.step()) q.choices.push_back(c.column_text(0));
  Statement k(db, "SELECT skill FROM question_skills WHERE question_id = ? ORDER BY position");
  k.bind(1, q.id);
  while (k.step()) q.skills.push_back(k.column_text(0));
  return q;
}

constexpr const char* kQuestionColumns =
    "SELECT id, set_id, position, text, true_false, correct, image_path FROM questions ";

constexpr const char* kSessionColumns = "SELECT id, class_id, set_id, started_at, ended_at FROM sessions ";

Session session_from_row(const Statement& s) {
  Session x;
  x.id = s.column_int64(0);
  x.class_id = s.column_int64(1);
  x.set_id = s.column_int64(2);
  x.started_at = s.column_int64(3);
  x.ended_at = s.column_optional_int64(4);
  return x;
}

constexpr const char* kAskColumns =
    "SELECT id, session_id, question_id, number, opened_at, closed_at FROM asks ";

Ask ask_from_row(const Statement& s) {
  Ask a;
  a.id = s.column_int64(0);
  a.session_id = s.column_int64(1);
  a.question_id = s.column_int64(2);
  a.number = s.column_int(3);
  a.opened_at = s.column_int64(4);
  a.closed_at = s.column_optional_int64(5);
  return a;
}

std::string class_list(Database& db) {
  std::string out;
  for (const auto& k : list_classes(db)) out += (out.empty() ? "" : ", ") + ("\"" + k.name + "\"");
  return out.empty() ? "none yet" : out;
}

}  // namespace

TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool in_transaction(Database& db) { return sqlite3_get_autocommit(db.handle()) == 0; }

// ---- classes ---------------------------------------------------------------------------

ClassInfo create_class(Database& db, std::string_view name, std::string_view deck) {
  ClassInfo k;
  k.name = std::string(name);
  k.deck = std::string(deck);
  if (k.name.find_first_not_of(" \t") == std::string::npos)
    throw std::runtime_error("a class needs a name");
  if (!find_deck(deck))
    throw std::runtime_error("no deck named \"" + k.deck + "\" (decks: " + deck_names() + ")");
  if (find_class(db, name)) throw std::runtime_error("class \"" + k.name + "\" already exists");
  Statement s(db, "INSERT INTO classes (name, deck, created_at) VALUES (?, ?, ?)");
  s.bind(1, k.name).bind(2, k.deck).bind(3, now_ms()).run();
  k.id = db.last_insert_id();
  return k;
}

std::optional<ClassInfo> find_class(Database& db, std::string_view name) {
  Statement s(db, "SELECT id, name, deck FROM classes WHERE name = ?");
  s.bind(1, name);
  if (s.step()) return class_from_row(s);
  // Teachers type "period 3" for "Period 3": accept a case-insensitive match when unique.
  Statement ci(db, "SELECT id, name, deck FROM classes WHERE lower(name) = ?");
  ci.bind(1, lower_ascii(name));
  if (!ci.step()) return std::nullopt;
  ClassInfo k = class_from_row(ci);
  if (ci.step()) return std::nullopt;
  return k;
}

std::optional<ClassInfo> find_class(Database& db, Id id) {
  Statement s(db, "SELECT id, name, deck FROM classes WHERE id = ?");
  s.bind(1, id);
  if (s.step()) return class_from_row(s);
  return std::nullopt;
}

ClassInfo require_class(Database& db, std::string_view name) {
  if (auto k = find_class(db, name)) return *k;
  throw std::runtime_error("no class named \"" + std::string(name) + "\" (classes: " +
                           class_list(db) + ")");
}

std::vector<ClassInfo> list_classes(Database& db) {
  Statement s(db, "SELECT id, name, deck FROM classes ORDER BY name COLLATE NOCASE, id");
  std::vector<ClassInfo> out;
  while (s.step()) out.push_back(class_from_row(s));
  return out;
}

// ---- students --------------------------------------------------------------------------

Student add_student(Database& db, Student st) {
  const auto k = find_class(db, st.class_id);
  if (!k) throw std::runtime_error("no class with id " + std::to_string(st.class_id));
  if (st.display_name.find_first_not_of(" \t") == std::string::npos) {
    st.display_name = st.first_name + (st.first_name.empty() || st.last_name.empty() ? "" : " ") +
                      st.last_name;
    if (st.display_name.find_first_not_of(" \t") == std::string::npos)
      throw std::runtime_error("a student needs a name");
  }
  MaybeTransaction tx(db);
  check_card_free(db, *k, st.card, 0);
  Statement s(db,
              "INSERT INTO students (class_id, display_name, first_name, last_name, card, sis_id, email) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, st.class_id).bind(2, st.display_name).bind(3, st.first_name).bind(4, st.last_name);
  if (st.card > 0) s.bind(5, st.card);
  else s.bind_null(5);
  s.bind(6, st.sis_id).bind(7, st.email);
  s.run();
  st.id = db.last_insert_id();
  store_tags(db, st);
  tx.commit();
  return st;
}

std::vector<Student> list_students(Database& db, Id class_id) {
  Statement s(db, std::string(kStudentColumns) +
                      "WHERE class_id = ? AND active = 1 "
                      "ORDER BY card IS NULL, card, display_name COLLATE NOCASE, id");
  s.bind(1, class_id);
  std::vector<Student> out;
  while (s.step()) out.push_back(student_from_row(s));
  for (auto& st : out) load_tags(db, st);
  return out;
}

std::optional<Student> find_student(Database& db, Id student_id) {
  Statement s(db, std::string(kStudentColumns) + "WHERE id = ?");
  s.bind(1, student_id);
  if (!s.step()) return std::nullopt;
  Student st = student_from_row(s);
  load_tags(db, st);
  return st;
}

std::optional<Student> find_student_by_name(Database& db, Id class_id, std::string_view name) {
  const std::string key = lower_ascii(name);
  std::optional<Student> found;
  for (auto& st : list_students(db, class_id)) {
    const bool match = lower_ascii(st.display_name) == key ||
                       lower_ascii(st.first_name + " " + st.last_name) == key ||
                       lower_ascii(st.last_name + ", " + st.first_name) == key;
    if (!match) continue;
    if (found)
      throw std::runtime_error("two students match \"" + std::string(name) + "\" (" +
                               found->display_name + " with card " + std::to_string(found->card) +
                               ", " + st.display_name + " with card " + std::to_string(st.card) +
                               "): give the full name");
    found = st;
  }
  return found;
}

std::optional<Student> find_student_by_card(Database& db, Id class_id, int card) {
  Statement s(db, std::string(kStudentColumns) + "WHERE class_id = ? AND card = ? AND active = 1");
  s.bind(1, class_id).bind(2, card);
  if (!s.step()) return std::nullopt;
  Student st = student_from_row(s);
  load_tags(db, st);
  return st;
}

void assign_card(Database& db, Id student_id, int card) {
  const auto st = find_student(db, student_id);
  if (!st) throw std::runtime_error("no student with id " + std::to_string(student_id));
  const auto k = find_class(db, st->class_id);
  MaybeTransaction tx(db);
  check_card_free(db, *k, card, student_id);
  Statement s(db, "UPDATE students SET card = ?, active = 1 WHERE id = ?");
  if (card > 0) s.bind(1, card);
  else s.bind_null(1);
  s.bind(2, student_id).run();
  tx.commit();
}

void update_student(Database& db, const Student& st) {
  MaybeTransaction tx(db);
  Statement s(db,
              "UPDATE students SET display_name = ?, first_name = ?, last_name = ?, sis_id = ?, email = ? "
              "WHERE id = ?");
  s.bind(1, st.display_name).bind(2, st.first_name).bind(3, st.last_name).bind(4, st.sis_id).bind(5, st.email);
  s.bind(6, st.id).run();
  if (db.changes() != 1) throw std::runtime_error("no student with id " + std::to_string(st.id));
  store_tags(db, st);
  tx.commit();
}

void deactivate_student(Database& db, Id student_id) {
  Statement s(db, "UPDATE students SET card = NULL, active = 0 WHERE id = ?");
  s.bind(1, student_id).run();
}

// ---- question sets ---------------------------------------------------------------------

QuestionSet create_question_set(Database& db, std::string_view name) {
  QuestionSet qs;
  qs.name = std::string(name);
  if (qs.name.find_first_not_of(" \t") == std::string::npos)
    throw std::runtime_error("a question set needs a name");
  if (find_question_set(db, name))
    throw std::runtime_error("question set \"" + qs.name + "\" already exists");
  Statement s(db, "INSERT INTO question_sets (name, created_at) VALUES (?, ?)");
  s.bind(1, qs.name).bind(2, now_ms()).run();
  qs.id = db.last_insert_id();
  return qs;
}

Question add_question(Database& db, Id set_id, Question q) {
  if (q.text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw std::runtime_error("a question needs text");
  if (q.true_false && q.choices.empty()) q.choices = {"True", "False"};
  if (q.choices.size() < 2 || q.choices.size() > 4)
    throw std::runtime_error("question \"" + q.text.substr(0, 40) + "\" has " +
                             std::to_string(q.choices.size()) +
                             " choices; a card has room for 2 to 4 (A-D)");
  if (q.correct && static_cast<size_t>(*q.correct) >= q.choices.size())
    throw std::runtime_error("question \"" + q.text.substr(0, 40) + "\": the right answer " +
                             std::string(1, answer_letter(*q.correct)) + " is not one of its " +
                             std::to_string(q.choices.size()) + " choices");
  MaybeTransaction tx(db);
  Statement pos(db, "SELECT coalesce(max(position), 0) + 1 FROM questions WHERE set_id = ?");
  pos.bind(1, set_id);
  pos.step();
  q.position = pos.column_int(0);
  pos.reset();  // a half-stepped SELECT would block the COMMIT below
  q.set_id = set_id;
  Statement s(db,
              "INSERT INTO questions (set_id, position, text, true_false, correct, image_path) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, set_id).bind(2, q.position).bind(3, q.text).bind(4, q.true_false ? 1 : 0);
  if (q.correct) s.bind(5, static_cast<int>(*q.correct));
  else s.bind_null(5);
  s.bind(6, q.image_path).run();
  q.id = db.last_insert_id();
  Statement c(db, "INSERT INTO question_choices (question_id, letter, text) VALUES (?, ?, ?)");
  for (size_t i = 0; i < q.choices.size(); ++i)
    c.bind(1, q.id).bind(2, static_cast<int>(i)).bind(3, q.choices[i]).run();
  Statement k(db, "INSERT OR IGNORE INTO question_skills (question_id, position, skill) VALUES (?, ?, ?)");
  int n = 0;
  for (const auto& skill : q.skills)
    if (!skill.empty()) k.bind(1, q.id).bind(2, ++n).bind(3, skill).run();
  tx.commit();
  return q;
}

namespace {
std::vector<Question> load_questions(Database& db, Id set_id) {
  Statement s(db, std::string(kQuestionColumns) + "WHERE set_id = ? ORDER BY position");
  s.bind(1, set_id);
  std::vector<Question> out;
  while (s.step()) out.push_back(question_from_row(db, s));
  return out;
}
}  // namespace

std::optional<QuestionSet> find_question_set(Database& db, std::string_view name) {
  Statement s(db, "SELECT id FROM question_sets WHERE name = ?");
  s.bind(1, name);
  if (s.step()) return find_question_set(db, s.column_int64(0));
  Statement ci(db, "SELECT id FROM question_sets WHERE lower(name) = ?");
  ci.bind(1, lower_ascii(name));
  if (!ci.step()) return std::nullopt;
  const Id id = ci.column_int64(0);
  if (ci.step()) return std::nullopt;  // ambiguous without exact case
  return find_question_set(db, id);
}

std::optional<QuestionSet> find_question_set(Database& db, Id id) {
  Statement s(db, "SELECT id, name FROM question_sets WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  QuestionSet qs;
  qs.id = s.column_int64(0);
  qs.name = s.column_text(1);
  qs.questions = load_questions(db, qs.id);
  return qs;
}

QuestionSet require_question_set(Database& db, std::string_view name) {
  if (auto qs = find_question_set(db, name)) return *qs;
  std::string names;
  for (const auto& x : list_question_sets(db)) names += (names.empty() ? "\"" : ", \"") + x.set.name + "\"";
  throw std::runtime_error("no question set named \"" + std::string(name) + "\" (sets: " +
                           (names.empty() ? "none yet" : names) + ")");
}

std::vector<QuestionSetSummary> list_question_sets(Database& db) {
  Statement s(db,
              "SELECT s.id, s.name, (SELECT count(*) FROM questions q WHERE q.set_id = s.id) "
              "FROM question_sets s ORDER BY s.name COLLATE NOCASE, s.id");
  std::vector<QuestionSetSummary> out;
  while (s.step()) {
    QuestionSetSummary x;
    x.set.id = s.column_int64(0);
    x.set.name = s.column_text(1);
    x.questions = s.column_int(2);
    out.push_back(std::move(x));
  }
  return out;
}

std::optional<Question> find_question(Database& db, Id question_id) {
  Statement s(db, std::string(kQuestionColumns) + "WHERE id = ?");
  s.bind(1, question_id);
  if (!s.step()) return std::nullopt;
  return question_from_row(db, s);
}

// ---- sessions and asks -----------------------------------------------------------------

Session start_session(Database& db, Id class_id, Id set_id, TimeMs at) {
  if (!find_class(db, class_id)) throw std::runtime_error("no class with id " + std::to_string(class_id));
  if (!find_question_set(db, set_id))
    throw std::runtime_error("no question set with id " + std::to_string(set_id));
  Statement s(db, "INSERT INTO sessions (class_id, set_id, started_at) VALUES (?, ?, ?)");
  s.bind(1, class_id).bind(2, set_id).bind(3, at).run();
  Session x;
  x.id = db.last_insert_id();
  x.class_id = class_id;
  x.set_id = set_id;
  x.started_at = at;
  return x;
}

void end_session(Database& db, Id session_id, TimeMs at) {
  const auto x = find_session(db, session_id);
  if (!x) throw std::runtime_error("no session " + std::to_string(session_id));
  if (x->ended_at) throw std::runtime_error("session " + std::to_string(session_id) + " has already ended");
  MaybeTransaction tx(db);
  Statement a(db, "UPDATE asks SET closed_at = ? WHERE session_id = ? AND closed_at IS NULL");
  a.bind(1, at).bind(2, session_id).run();
  Statement s(db, "UPDATE sessions SET ended_at = ? WHERE id = ?");
  s.bind(1, at).bind(2, session_id).run();
  tx.commit();
}

std::optional<Session> find_session(Database& db, Id session_id) {
  Statement s(db, std::string(kSessionColumns) + "WHERE id = ?");
  s.bind(1, session_id);
  if (s.step()) return session_from_row(s);
  return std::nullopt;
}

std::vector<Session> list_sessions(Database& db, std::optional<Id> class_id) {
  Statement s(db, std::string(kSessionColumns) +
                      "WHERE ?1 IS NULL OR class_id = ?1 ORDER BY started_at DESC, id DESC");
  s.bind(1, class_id);
  std::vector<Session> out;
  while (s.step()) out.push_back(session_from_row(s));
  return out;
}

std::optional<Session> latest_session(Database& db, std::optional<Id> class_id) {
  auto all = list_sessions(db, class_id);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<Ask> list_asks(Database& db, Id session_id) {
  Statement s(db, std::string(kAskColumns) + "WHERE session_id = ? ORDER BY number");
  s.bind(1, session_id);
  std::vector<Ask> out;
  while (s.step()) out.push_back(ask_from_row(s));
  return out;
}

std::optional<Ask> find_ask(Database& db, Id session_id, int number) {
  Statement s(db, std::string(kAskColumns) + "WHERE session_id = ? AND number = ?");
  s.bind(1, session_id).bind(2, number);
  if (s.step()) return ask_from_row(s);
  return std::nullopt;
}

std::vector<SessionSummary> list_session_summaries(Database& db, std::optional<Id> class_id) {
  Statement s(db,
              "SELECT x.id, x.class_id, x.set_id, x.started_at, x.ended_at, c.name, q.name, "
              " (SELECT count(*) FROM asks a WHERE a.session_id = x.id), "
              " (SELECT count(*) FROM responses r JOIN asks a ON a.id = r.ask_id "
              "   WHERE a.session_id = x.id) "
              "FROM sessions x JOIN classes c ON c.id = x.class_id "
              "JOIN question_sets q ON q.id = x.set_id "
              "WHERE ?1 IS NULL OR x.class_id = ?1 ORDER BY x.started_at DESC, x.id DESC");
  s.bind(1, class_id);
  std::vector<SessionSummary> out;
  while (s.step()) {
    SessionSummary m;
    m.session = session_from_row(s);
    m.class_name = s.column_text(5);
    m.set_name = s.column_text(6);
    m.asks = s.column_int(7);
    m.responses = s.column_int(8);
    out.push_back(std::move(m));
  }
  return out;
}

SessionData load_session_data(Database& db, Id session_id) {
  // One read transaction, so the picture is consistent even while the collector writes.
  const bool own_read = !in_transaction(db);
  if (own_read) db.exec("BEGIN");
  struct EndRead {
    Database& db;
    bool mine;
    ~EndRead() {
      if (mine) sqlite3_exec(db.handle(), "COMMIT", nullptr, nullptr, nullptr);
    }
  } end_read{db, own_read};

  SessionData d;
  const auto x = find_session(db, session_id);
  if (!x) throw std::runtime_error("no session " + std::to_string(session_id));
  d.session = *x;
  d.klass = *find_class(db, x->class_id);
  d.set = *find_question_set(db, x->set_id);
  append_quick_questions(db, d);  // core/store/quick_questions.h: a lesson's quick questions
  d.asks = list_asks(db, session_id);

  {
    Statement s(db,
                "SELECT r.ask_id, r.student_id, r.answer, r.first_seen, r.last_changed "
                "FROM responses r JOIN asks a ON a.id = r.ask_id WHERE a.session_id = ? "
                "ORDER BY a.number, r.student_id");
    s.bind(1, session_id);
    while (s.step()) {
      Response r;
      r.ask_id = s.column_int64(0);
      r.student_id = s.column_int64(1);
      r.answer = static_cast<Answer>(s.column_int(2));
      r.first_seen = s.column_int64(3);
      r.last_changed = s.column_int64(4);
      d.responses.push_back(r);
    }
  }
  {
    Statement s(db,
                "SELECT c.ask_id, c.student_id, c.answer, c.at FROM response_changes c "
                "JOIN asks a ON a.id = c.ask_id WHERE a.session_id = ? ORDER BY c.at, c.id");
    s.bind(1, session_id);
    while (s.step()) {
      ResponseChange c;
      c.ask_id = s.column_int64(0);
      c.student_id = s.column_int64(1);
      c.answer = static_cast<Answer>(s.column_int(2));
      c.at = s.column_int64(3);
      d.changes.push_back(c);
    }
  }
  d.corrections = list_corrections(db, session_id);  // core/store/corrections.h
  {
    Statement s(db, "SELECT card FROM unassigned_reads WHERE session_id = ? ORDER BY card");
    s.bind(1, session_id);
    while (s.step()) d.unassigned_cards.push_back(s.column_int(0));
  }

  d.students = list_students(db, x->class_id);
  // Students who answered in this session but have left the roster since still belong in
  // its results: their answers are theirs.
  std::set<Id> have;
  for (const auto& st : d.students) have.insert(st.id);
  std::set<Id> answered;
  for (const auto& r : d.responses) answered.insert(r.student_id);
  for (const auto& c : d.changes) answered.insert(c.student_id);
  for (Id id : answered)
    if (!have.count(id))
      if (auto st = find_student(db, id)) d.students.push_back(*st);
  std::stable_sort(d.students.begin(), d.students.end(), [](const Student& a, const Student& b) {
    const int ca = a.card == 0 ? 1 << 30 : a.card, cb = b.card == 0 ? 1 << 30 : b.card;
    return ca < cb;
  });
  return d;
}

}  // namespace cardpoll
