// Corrections after the lesson: a student's answer set or cleared, an answer key changed, a
// question edited, classes, question sets and sessions renamed or deleted. Every change is
// one transaction (all or nothing) and leaves a row in `corrections` (who, what, when, the old
// value), which the session's exports list. Deletes first copy the whole database file
// (VACUUM INTO) next to it and return where. docs/data.md, "Corrections".
//
// Errors are std::runtime_error in a teacher's words, naming the session, ask, student or
// name, and nothing is written when one is thrown.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/store/db.h"
#include "core/model.h"

namespace cardpoll {

// Who is making corrections when no name is given: $USER, else "teacher".
std::string default_corrector();

// The corrections of one session (answers, keys, its rename), oldest first.
std::vector<Correction> list_corrections(Database& db, Id session_id);
// Every correction in the database, oldest first (deleted things included).
std::vector<Correction> list_all_corrections(Database& db);

struct AnswerCorrection {
  bool changed = false;              // false: the answer already was that
  std::optional<Answer> old_answer;  // none: there was no answer
};
// Sets (answer) or clears (nullopt) `student_id`'s answer to ask `ask_number` of an ENDED
// session. Refuses an open session (the live view or `session record` owns it), an unknown
// ask, a student of another class, a letter beyond the question's choices.
AnswerCorrection correct_answer(Database& db, Id session_id, int ask_number, Id student_id,
                                std::optional<Answer> answer, const std::string& who, TimeMs at);

struct KeyCorrection {
  bool changed = false;
  std::optional<Answer> old_key;
  Id question_id = 0;
  std::vector<Id> sessions;  // every session that asked the question: all are re-scored
};
// Sets the right answer of the question asked as ask `ask_number` (nullopt: a survey). The
// key belongs to the question, so every session that asked it is re-scored; the result says
// which. Refuses a letter beyond the question's choices.
KeyCorrection correct_key(Database& db, Id session_id, int ask_number, std::optional<Answer> key,
                          const std::string& who, TimeMs at);

struct QuestionEdit {
  std::optional<std::string> text;
  std::optional<std::vector<std::string>> choices;  // 2-4
  std::optional<std::vector<std::string>> skills;
  std::optional<std::optional<Answer>> correct;     // the right answer (inner none: a survey)
};
// Edits question `position` of set `set_id`: the one rule for the CLI (`questions edit`) and
// the app's Save. Refuses empty text, 2-4 choices broken, a key or a recorded answer beyond
// the new choices, and a new right answer for a question already asked (that is a re-key,
// correct_key, which re-scores every session that asked it). An asked question's text,
// choices and skills may change: the old ones stay in the corrections history of every
// session that asked it. Returns the question as it is now.
Question edit_question(Database& db, Id set_id, int position, const QuestionEdit& edit,
                       const std::string& who, TimeMs at);

void rename_class(Database& db, Id class_id, const std::string& new_name, const std::string& who, TimeMs at);
void rename_question_set(Database& db, Id set_id, const std::string& new_name, const std::string& who,
                         TimeMs at);
// A session's name ("before the group work"); "" clears it. Sessions are known by number.
void rename_session(Database& db, Id session_id, const std::string& name, const std::string& who, TimeMs at);
std::string session_name(Database& db, Id session_id);  // "" when none

// A copy of the whole database next to it ("<name>-backup-YYYYMMDD-HHMMSS.db"), made with
// VACUUM INTO (consistent even while another connection writes). Returns its path.
std::filesystem::path backup_database(Database& db, TimeMs at);

// Each delete copies the database first (backup_database) and returns the copy's path.
// A session: its asks, answers, history and unassigned reads (saved groupings made from it
// stay, without it). A class: its students, sessions and groupings. A question set: refused
// while a session uses it (the message lists them).
std::filesystem::path delete_session(Database& db, Id session_id, const std::string& who, TimeMs at);
std::filesystem::path delete_class(Database& db, Id class_id, const std::string& who, TimeMs at);
std::filesystem::path delete_question_set(Database& db, Id set_id, const std::string& who, TimeMs at);

// "A", "B", ... or "none".
std::string answer_word(const std::optional<Answer>& a);

}  // namespace cardpoll

namespace cardpoll {

// For the session exports: [{"at" (ISO-8601 UTC), "who", "kind", "ask", "target", "old",
// "new"}] (nlohmann-json), and an HTML section listing them in local time ("" when none).
std::string corrections_json(const std::vector<Correction>& list);
std::string corrections_html(const std::vector<Correction>& list);

}  // namespace cardpoll
