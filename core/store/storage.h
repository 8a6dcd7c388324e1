// The class data in the database: create, find and list classes, students, question sets,
// sessions and asks, and load everything of one session at once (SessionData).
//
// Every function takes an open Database (core/store/db.h) and speaks in the structs of
// core/model.h. Functions that change several rows do it in one transaction, unless the
// caller already holds one (then they join it: see in_transaction()). Failures throw
// std::runtime_error (DbError for SQLite's own) with a message a teacher can act on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/db.h"
#include "core/model.h"
#include "core/session_data.h"

namespace cardpoll {

// Milliseconds since the Unix epoch, from the system clock.
TimeMs now_ms();

// True when a transaction is open on `db` (so a function must not BEGIN its own).
bool in_transaction(Database& db);

// ---- classes ---------------------------------------------------------------------------

// Throws when the name is empty, already taken, or the deck does not exist.
ClassInfo create_class(Database& db, std::string_view name, std::string_view deck = "classroom");
std::optional<ClassInfo> find_class(Database& db, std::string_view name);
std::optional<ClassInfo> find_class(Database& db, Id id);
// Throws "no class named X (classes: ...)" when missing.
ClassInfo require_class(Database& db, std::string_view name);
std::vector<ClassInfo> list_classes(Database& db);  // by name

// ---- students --------------------------------------------------------------------------

// Inserts the student (with tags) into student.class_id and returns it with its id. Checks
// the card is free in the class and within the class's deck.
Student add_student(Database& db, Student student);
// The active students of a class, by card number (students without a card last, by name).
std::vector<Student> list_students(Database& db, Id class_id);
std::optional<Student> find_student(Database& db, Id student_id);
// By display name or "first last", ignoring case. Throws when two students match.
std::optional<Student> find_student_by_name(Database& db, Id class_id, std::string_view name);
// The active student holding `card` in the class, if any.
std::optional<Student> find_student_by_card(Database& db, Id class_id, int card);
// Gives `card` to the student (0 takes their card away). Throws naming the student who
// already holds it, or the deck's range when the card is outside the deck.
void assign_card(Database& db, Id student_id, int card);
// Updates names and tags (not the card: see assign_card).
void update_student(Database& db, const Student& student);
// Takes the student out of the roster (no card, not listed) keeping every past answer.
void deactivate_student(Database& db, Id student_id);

// ---- question sets ---------------------------------------------------------------------

QuestionSet create_question_set(Database& db, std::string_view name);
// Appends the question at the end of the set (its position is set here) and returns it.
// Throws when it has not 2-4 choices, a correct answer outside its choices, or empty text.
Question add_question(Database& db, Id set_id, Question question);
std::optional<QuestionSet> find_question_set(Database& db, std::string_view name);
std::optional<QuestionSet> find_question_set(Database& db, Id id);  // with its questions
QuestionSet require_question_set(Database& db, std::string_view name);
struct QuestionSetSummary {
  QuestionSet set;  // without questions
  int questions = 0;
};
std::vector<QuestionSetSummary> list_question_sets(Database& db);  // by name
std::optional<Question> find_question(Database& db, Id question_id);

// ---- sessions and asks -----------------------------------------------------------------

Session start_session(Database& db, Id class_id, Id set_id, TimeMs at);
// Closes any open ask and sets ended_at. Ending an ended session is an error.
void end_session(Database& db, Id session_id, TimeMs at);
std::optional<Session> find_session(Database& db, Id session_id);
// Newest first; only of one class when class_id is given.
std::vector<Session> list_sessions(Database& db, std::optional<Id> class_id = std::nullopt);
// The most recently started session (of the class, when given).
std::optional<Session> latest_session(Database& db, std::optional<Id> class_id = std::nullopt);
std::vector<Ask> list_asks(Database& db, Id session_id);  // by number
std::optional<Ask> find_ask(Database& db, Id session_id, int number);

struct SessionSummary {
  Session session;
  std::string class_name, set_name;
  int asks = 0;
  int responses = 0;  // current answers over all asks
};
std::vector<SessionSummary> list_session_summaries(Database& db,
                                                   std::optional<Id> class_id = std::nullopt);

// Everything of one session. students: the class's active roster plus anyone who answered
// in this session and has left the roster since, by card number. Throws when missing.
SessionData load_session_data(Database& db, Id session_id);

}  // namespace cardpoll
