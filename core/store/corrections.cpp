#include "core/store/corrections.h"

#include <cstdlib>
#include <ctime>
#include <set>
#include <stdexcept>

#include "core/store/question_edit.h"
#include "core/store/storage.h"

namespace cardpoll {

namespace {

std::string letter_text(Answer a) { return std::string(1, answer_letter(a)); }

// Joins the caller's transaction when there is one, else opens its own.
struct Tx {
  explicit Tx(Database& db) {
    if (!in_transaction(db)) tx.emplace(db);
  }
  void commit() {
    if (tx) tx->commit();
  }
  std::optional<Transaction> tx;
};

void record(Database& db, const Correction& c) {
  Statement s(db,
              "INSERT INTO corrections (at, who, kind, session_id, ask_number, student_id, question_id, target, "
              "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, c.at).bind(2, c.who.empty() ? default_corrector() : c.who).bind(3, c.kind).bind(4, c.session_id);
  s.bind(5, c.ask_number).bind(6, c.student_id).bind(7, c.question_id).bind(8, c.target);
  s.bind(9, c.old_value).bind(10, c.new_value).run();
}

std::vector<Correction> corrections_where(Database& db, const std::string& where, std::optional<Id> id) {
  Statement s(db,
              "SELECT id, at, who, kind, session_id, ask_number, student_id, question_id, target, old_value, new_value "
              "FROM corrections " + where + " ORDER BY at, id");
  if (id) s.bind(1, *id);
  std::vector<Correction> out;
  while (s.step()) {
    Correction c;
    c.id = s.column_int64(0);
    c.at = s.column_int64(1);
    c.who = s.column_text(2);
    c.kind = s.column_text(3);
    c.session_id = s.column_optional_int64(4);
    if (!s.is_null(5)) c.ask_number = s.column_int(5);
    c.student_id = s.column_optional_int64(6);
    c.question_id = s.column_optional_int64(7);
    c.target = s.column_text(8);
    c.old_value = s.column_text(9);
    c.new_value = s.column_text(10);
    out.push_back(std::move(c));
  }
  return out;
}

Session require_session(Database& db, Id session_id) {
  auto s = find_session(db, session_id);
  if (!s) throw std::runtime_error("no session " + std::to_string(session_id) + " (see cardpoll session list)");
  return *s;
}

Ask require_ask(Database& db, const Session& s, int number) {
  if (auto a = find_ask(db, s.id, number)) return *a;
  const auto asks = list_asks(db, s.id);
  throw std::runtime_error("session " + std::to_string(s.id) + " has no ask " + std::to_string(number) +
                           (asks.empty() ? " (it has no asks)"
                                         : " (its asks are 1-" + std::to_string(asks.back().number) + ")"));
}

void check_letter(const Question& q, const std::optional<Answer>& a, const std::string& what) {
  if (a && static_cast<size_t>(*a) >= q.choices.size())
    throw std::runtime_error(what + " " + letter_text(*a) + " is not one of the question's choices (A-" +
                             std::string(1, answer_letter(static_cast<Answer>(q.choices.size() - 1))) + ")");
}

std::string class_name_of(Database& db, Id class_id) {
  auto k = find_class(db, class_id);
  return k ? k->name : "class " + std::to_string(class_id);
}

std::string joined(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Rows of one session's lesson data, children first (foreign keys point at parents).
void delete_session_rows(Database& db, Id session_id) {
  const char* sql[] = {
      "DELETE FROM response_changes WHERE ask_id IN (SELECT id FROM asks WHERE session_id = ?1)",
      "DELETE FROM responses WHERE ask_id IN (SELECT id FROM asks WHERE session_id = ?1)",
      "DELETE FROM asks WHERE session_id = ?1",
      "DELETE FROM unassigned_reads WHERE session_id = ?1",
      "DELETE FROM grouping_sessions WHERE session_id = ?1",
      "DELETE FROM session_names WHERE session_id = ?1",
      "DELETE FROM quick_sets WHERE session_id = ?1",
      "DELETE FROM sessions WHERE id = ?1",
  };
  for (const char* q : sql) {
    Statement s(db, q);
    s.bind(1, session_id).run();
  }
}

}  // namespace

std::string answer_word(const std::optional<Answer>& a) { return a ? letter_text(*a) : "none"; }

std::string default_corrector() {
  const char* u = std::getenv("USER");
  return u && *u ? u : "teacher";
}

std::vector<Correction> list_corrections(Database& db, Id session_id) {
  return corrections_where(db, "WHERE session_id = ?1", session_id);
}

std::vector<Correction> list_all_corrections(Database& db) { return corrections_where(db, "", std::nullopt); }

AnswerCorrection correct_answer(Database& db, Id session_id, int ask_number, Id student_id,
                                std::optional<Answer> answer, const std::string& who, TimeMs at) {
  Tx tx(db);
  const Session s = require_session(db, session_id);
  if (!s.ended_at)
    throw std::runtime_error("session " + std::to_string(s.id) + " is still open: type the answer in with "
                             "cardpoll session record, or end the session first (cardpoll session end --session " +
                             std::to_string(s.id) + ")");
  const Ask a = require_ask(db, s, ask_number);
  const auto st = find_student(db, student_id);
  if (!st || st->class_id != s.class_id)
    throw std::runtime_error("that student is not in class \"" + class_name_of(db, s.class_id) + "\" of session " +
                             std::to_string(s.id));
  const auto q = find_question(db, a.question_id);
  if (!q) throw std::runtime_error("the question of ask " + std::to_string(ask_number) + " is missing");
  check_letter(*q, answer, "answer");

  AnswerCorrection out;
  {
    Statement cur(db, "SELECT answer FROM responses WHERE ask_id = ? AND student_id = ?");
    cur.bind(1, a.id).bind(2, student_id);
    if (cur.step()) out.old_answer = static_cast<Answer>(cur.column_int(0));
  }
  if (out.old_answer == answer) return out;
  out.changed = true;
  if (answer) {
    Statement up(db,
                 "INSERT INTO responses (ask_id, student_id, answer, first_seen, last_changed) VALUES (?1, ?2, ?3, ?4, ?4) "
                 "ON CONFLICT (ask_id, student_id) DO UPDATE SET answer = excluded.answer, last_changed = excluded.last_changed");
    up.bind(1, a.id).bind(2, student_id).bind(3, static_cast<int>(*answer)).bind(4, at).run();
    Statement ch(db, "INSERT INTO response_changes (ask_id, student_id, answer, at) VALUES (?, ?, ?, ?)");
    ch.bind(1, a.id).bind(2, student_id).bind(3, static_cast<int>(*answer)).bind(4, at).run();
  } else {
    // The answers shown during the lesson stay in response_changes; the correction says why
    // there is no current answer.
    Statement del(db, "DELETE FROM responses WHERE ask_id = ? AND student_id = ?");
    del.bind(1, a.id).bind(2, student_id).run();
  }
  Correction c;
  c.at = at;
  c.who = who;
  c.kind = "answer";
  c.session_id = s.id;
  c.ask_number = ask_number;
  c.student_id = student_id;
  c.question_id = q->id;
  c.target = "session " + std::to_string(s.id) + ", ask " + std::to_string(ask_number) + ", " + st->display_name;
  c.old_value = answer_word(out.old_answer);
  c.new_value = answer_word(answer);
  record(db, c);
  tx.commit();
  return out;
}

KeyCorrection correct_key(Database& db, Id session_id, int ask_number, std::optional<Answer> key,
                          const std::string& who, TimeMs at) {
  Tx tx(db);
  const Session s = require_session(db, session_id);
  const Ask a = require_ask(db, s, ask_number);
  const auto q = find_question(db, a.question_id);
  if (!q) throw std::runtime_error("the question of ask " + std::to_string(ask_number) + " is missing");
  check_letter(*q, key, "right answer");
  KeyCorrection out;
  out.question_id = q->id;
  out.old_key = q->correct;
  {
    Statement used(db, "SELECT DISTINCT session_id FROM asks WHERE question_id = ? ORDER BY session_id");
    used.bind(1, q->id);
    while (used.step()) out.sessions.push_back(used.column_int64(0));
  }
  if (q->correct == key) return out;
  out.changed = true;
  Statement up(db, "UPDATE questions SET correct = ? WHERE id = ?");
  up.bind(1, key ? std::optional<int>(static_cast<int>(*key)) : std::nullopt).bind(2, q->id).run();
  Correction c;
  c.at = at;
  c.who = who;
  c.kind = "key";
  c.session_id = s.id;
  c.ask_number = ask_number;
  c.question_id = q->id;
  c.target = "session " + std::to_string(s.id) + ", ask " + std::to_string(ask_number) + " (question " +
             std::to_string(q->position) + ")";
  c.old_value = answer_word(out.old_key);
  c.new_value = answer_word(key);
  record(db, c);
  // The other sessions that asked it list the change too: their scores moved with it.
  for (Id other : out.sessions)
    if (other != s.id) {
      c.session_id = other;
      c.ask_number.reset();
      c.target = "question " + std::to_string(q->position) + " (re-keyed from session " + std::to_string(s.id) + ")";
      record(db, c);
    }
  tx.commit();
  return out;
}

Question edit_question(Database& db, Id set_id, int position, const QuestionEdit& edit, const std::string& who,
                       TimeMs at) {
  Tx tx(db);
  const auto set = find_question_set(db, set_id);
  if (!set) throw std::runtime_error("no question set with id " + std::to_string(set_id));
  const Question* found = nullptr;
  for (const auto& q : set->questions)
    if (q.position == position) found = &q;
  if (!found)
    throw std::runtime_error("question set \"" + set->name + "\" has no question " + std::to_string(position) +
                             " (it has " + std::to_string(set->questions.size()) + ")");
  const Question old = *found;
  Question q = old;
  if (edit.text) q.text = *edit.text;
  if (edit.choices) q.choices = *edit.choices;
  if (edit.skills) q.skills = *edit.skills;
  if (edit.choices) q.true_false = q.choices == std::vector<std::string>{"True", "False"};
  if (edit.correct && *edit.correct != old.correct) {
    if (const int asked = times_asked(db, q.id); asked > 0)
      throw std::runtime_error("question " + std::to_string(position) + " has been asked " + std::to_string(asked) +
                               (asked == 1 ? " time" : " times") +
                               ": change its right answer as a re-key (cardpoll ask key, or Re-key on the app's "
                               "Results), so every session that asked it is scored again");
    q.correct = *edit.correct;
  }
  if (blank(q.text)) throw std::runtime_error("question " + std::to_string(position) + " needs text");
  if (q.choices.size() < 2 || q.choices.size() > 4)
    throw std::runtime_error("question " + std::to_string(position) + " would have " + std::to_string(q.choices.size()) +
                             " choices; a card has room for 2 to 4 (A-D)");
  for (size_t i = 0; i < q.choices.size(); ++i)
    if (blank(q.choices[i]))
      throw std::runtime_error("question " + std::to_string(position) + ": choice " +
                               letter_text(static_cast<Answer>(i)) + " is empty");
  check_letter(q, q.correct, "its right answer");
  if (edit.choices) {
    Statement used(db, "SELECT count(*), coalesce(max(r.answer), -1) FROM responses r JOIN asks a ON a.id = r.ask_id "
                       "WHERE a.question_id = ?");
    used.bind(1, q.id);
    used.step();
    const int highest = used.column_int(1);
    if (highest >= static_cast<int>(q.choices.size()))
      throw std::runtime_error("question " + std::to_string(position) + ": students answered " +
                               letter_text(static_cast<Answer>(highest)) + ", so it must keep at least " +
                               std::to_string(highest + 1) + " choices");
  }
  write_question_content(db, q);
  auto describe = [](const Question& x) {
    std::string out = x.text;
    for (size_t i = 0; i < x.choices.size(); ++i)
      out += " | " + letter_text(static_cast<Answer>(i)) + ". " + x.choices[i];
    if (!x.skills.empty()) out += " | skills: " + joined(x.skills, ", ");
    return out;
  };
  Correction c;
  c.at = at;
  c.who = who;
  c.kind = "question";
  c.question_id = q.id;
  c.target = "question set \"" + set->name + "\", question " + std::to_string(position);
  c.old_value = describe(old);
  c.new_value = describe(q);
  // Sessions that asked it list the edit with their other corrections.
  Statement used(db, "SELECT DISTINCT session_id FROM asks WHERE question_id = ?");
  used.bind(1, q.id);
  std::vector<Id> sessions;
  while (used.step()) sessions.push_back(used.column_int64(0));
  used.reset();
  if (sessions.empty()) record(db, c);
  for (Id sid : sessions) {
    c.session_id = sid;
    record(db, c);
  }
  tx.commit();
  return *find_question(db, q.id);
}

void rename_class(Database& db, Id class_id, const std::string& new_name, const std::string& who, TimeMs at) {
  Tx tx(db);
  const auto k = find_class(db, class_id);
  if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
  if (blank(new_name)) throw std::runtime_error("a class needs a name");
  if (auto other = find_class(db, new_name); other && other->id != class_id)
    throw std::runtime_error("class \"" + other->name + "\" already exists");
  Statement up(db, "UPDATE classes SET name = ? WHERE id = ?");
  up.bind(1, new_name).bind(2, class_id).run();
  record(db, {0, at, who, "rename", std::nullopt, std::nullopt, std::nullopt, std::nullopt, "class", k->name, new_name});
  tx.commit();
}

void rename_question_set(Database& db, Id set_id, const std::string& new_name, const std::string& who, TimeMs at) {
  Tx tx(db);
  const auto qs = find_question_set(db, set_id);
  if (!qs) throw std::runtime_error("no question set with id " + std::to_string(set_id));
  if (blank(new_name)) throw std::runtime_error("a question set needs a name");
  if (auto other = find_question_set(db, new_name); other && other->id != set_id)
    throw std::runtime_error("question set \"" + other->name + "\" already exists");
  Statement up(db, "UPDATE question_sets SET name = ? WHERE id = ?");
  up.bind(1, new_name).bind(2, set_id).run();
  record(db, {0, at, who, "rename", std::nullopt, std::nullopt, std::nullopt, std::nullopt, "question set", qs->name,
              new_name});
  tx.commit();
}

void rename_session(Database& db, Id session_id, const std::string& name, const std::string& who, TimeMs at) {
  Tx tx(db);
  const Session s = require_session(db, session_id);
  const std::string old = session_name(db, s.id);
  if (blank(name)) {
    Statement del(db, "DELETE FROM session_names WHERE session_id = ?");
    del.bind(1, s.id).run();
  } else {
    Statement up(db, "INSERT INTO session_names (session_id, name) VALUES (?1, ?2) "
                     "ON CONFLICT (session_id) DO UPDATE SET name = excluded.name");
    up.bind(1, s.id).bind(2, name).run();
  }
  record(db, {0, at, who, "rename", s.id, std::nullopt, std::nullopt, std::nullopt,
              "session " + std::to_string(s.id), old, blank(name) ? "" : name});
  tx.commit();
}

std::string session_name(Database& db, Id session_id) {
  Statement s(db, "SELECT name FROM session_names WHERE session_id = ?");
  s.bind(1, session_id);
  return s.step() ? s.column_text(0) : "";
}

std::filesystem::path backup_database(Database& db, TimeMs at) {
  if (in_transaction(db)) throw std::logic_error("backup_database: not inside a transaction");
  const std::time_t secs = static_cast<std::time_t>(at / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  const std::filesystem::path dir = db.path().parent_path();
  const std::string stem = db.path().stem().string() + "-backup-" + stamp;
  std::filesystem::path out = std::filesystem::absolute(dir / (stem + ".db"));
  for (int n = 2; std::filesystem::exists(out); ++n)
    out = std::filesystem::absolute(dir / (stem + "-" + std::to_string(n) + ".db"));
  Statement v(db, "VACUUM INTO ?");
  v.bind(1, out.string()).run();
  return out;
}

std::filesystem::path delete_session(Database& db, Id session_id, const std::string& who, TimeMs at) {
  const Session s = require_session(db, session_id);
  const auto backup = backup_database(db, at);
  Transaction tx(db);
  int asks = 0, answers = 0;
  {
    Statement n(db, "SELECT (SELECT count(*) FROM asks WHERE session_id = ?1), "
                    "(SELECT count(*) FROM responses r JOIN asks a ON a.id = r.ask_id WHERE a.session_id = ?1)");
    n.bind(1, s.id);
    n.step();
    asks = n.column_int(0);
    answers = n.column_int(1);
  }
  delete_session_rows(db, s.id);
  record(db, {0, at, who, "delete", s.id, std::nullopt, std::nullopt, std::nullopt,
              "session " + std::to_string(s.id) + " of class \"" + class_name_of(db, s.class_id) + "\"",
              std::to_string(asks) + " asks, " + std::to_string(answers) + " answers; backup " + backup.string(), ""});
  tx.commit();
  return backup;
}

std::filesystem::path delete_class(Database& db, Id class_id, const std::string& who, TimeMs at) {
  const auto k = find_class(db, class_id);
  if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
  const auto backup = backup_database(db, at);
  Transaction tx(db);
  const auto sessions = list_sessions(db, class_id);
  for (const auto& s : sessions) delete_session_rows(db, s.id);
  const char* sql[] = {
      "DELETE FROM groupings WHERE class_id = ?1",  // members, groups, notes, kinds cascade
      "DELETE FROM students WHERE class_id = ?1",   // tags cascade
      "DELETE FROM classes WHERE id = ?1",
  };
  int students = 0;
  {
    Statement n(db, "SELECT count(*) FROM students WHERE class_id = ?");
    n.bind(1, class_id);
    n.step();
    students = n.column_int(0);
  }
  for (const char* q : sql) {
    Statement st(db, q);
    st.bind(1, class_id).run();
  }
  record(db, {0, at, who, "delete", std::nullopt, std::nullopt, std::nullopt, std::nullopt, "class \"" + k->name + "\"",
              std::to_string(students) + " students, " + std::to_string(sessions.size()) + " sessions; backup " +
                  backup.string(),
              ""});
  tx.commit();
  return backup;
}

std::filesystem::path delete_question_set(Database& db, Id set_id, const std::string& who, TimeMs at) {
  const auto qs = find_question_set(db, set_id);
  if (!qs) throw std::runtime_error("no question set with id " + std::to_string(set_id));
  std::vector<std::string> used;
  {
    Statement u(db, "SELECT DISTINCT x.id FROM sessions x WHERE x.set_id = ?1 "
                    "UNION SELECT DISTINCT a.session_id FROM asks a JOIN questions q ON q.id = a.question_id "
                    "WHERE q.set_id = ?1 ORDER BY 1");
    u.bind(1, set_id);
    while (u.step()) used.push_back(std::to_string(u.column_int64(0)));
  }
  if (!used.empty())
    throw std::runtime_error("question set \"" + qs->name + "\" was used in session" + (used.size() == 1 ? " " : "s ") +
                             joined(used, ", ") + ": delete " + (used.size() == 1 ? "that session" : "those sessions") +
                             " first (cardpoll session delete --session N), or keep the set");
  const auto backup = backup_database(db, at);
  Transaction tx(db);
  Statement dq(db, "DELETE FROM questions WHERE set_id = ?");  // choices and skills cascade
  dq.bind(1, set_id).run();
  Statement ds(db, "DELETE FROM question_sets WHERE id = ?");
  ds.bind(1, set_id).run();
  record(db, {0, at, who, "delete", std::nullopt, std::nullopt, std::nullopt, std::nullopt,
              "question set \"" + qs->name + "\"",
              std::to_string(qs->questions.size()) + " questions; backup " + backup.string(), ""});
  tx.commit();
  return backup;
}

}  // namespace cardpoll
