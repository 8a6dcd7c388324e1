// Quick questions: asked aloud with nothing prepared (choices A-D, no text needed, the right
// answer chosen on reveal or never). Each is a real Question in a set of its own, asked and
// stored like any other, so tallies, groups, exports and corrections treat it the same.
//
//   - a lesson without a set (`cardpoll live --class P3`) gets a fresh set "Quick questions,
//     P3, 2026-12-01 14:05" (local time) as its session's set;
//   - a lesson with a prepared set that asks a quick question gets a companion quick set, so
//     the prepared set never changes; load_session_data shows its questions after the set's,
//     numbered on (a set of 5 questions: the first quick question is Q6).
#pragma once

#include <optional>
#include <string>

#include "core/store/db.h"
#include "core/model.h"
#include "core/session_data.h"

namespace cardpoll {

// Starts a session of the class on a new, empty quick set (no students with cards: an error).
Session start_quick_session(Database& db, Id class_id, TimeMs at);

// Appends "Quick question N" (choices A-D, no right answer) to the session's quick set,
// creating the companion set first when the session has none. Returns the question.
Question add_quick_question(Database& db, Id session_id, TimeMs at, int choices = 4);

// "Quick question N": the text of the session's Nth quick question.
std::string quick_question_text(int number);

// The session's quick question number `number` (1 = the first asked), adding it (as
// add_quick_question does) when the session has exactly number - 1. Idempotent, so a write
// retried after a refused commit, or replayed from a recovery file, never adds it twice.
// Throws std::runtime_error when the session has fewer than number - 1 quick questions.
Question ensure_quick_question(Database& db, Id session_id, int number, TimeMs at, int choices = 4);

// Sets the right answer of the session's quick question number `number` (see set_quick_key).
void set_quick_key_by_number(Database& db, Id session_id, int number, std::optional<Answer> key);

// True when `set_id` is the quick set of the session.
bool is_quick_set_of(Database& db, Id session_id, Id set_id);

// Sets the right answer of a quick question (on reveal; nullopt: never). Throws when the
// question is not a quick question of the session.
void set_quick_key(Database& db, Id session_id, Id question_id, std::optional<Answer> key);

// For load_session_data: the companion quick set's questions appended to d.set.questions,
// positions continuing after the set's.
void append_quick_questions(Database& db, SessionData& d);

}  // namespace cardpoll
