// Editing the questions of a set after they are stored: change one question in place, and
// move a question to another position. (Adding is add_question in core/store/storage.h.)
//
// A question that has been asked in a session is never changed here: its answers were given
// to the text and right answer it had then, and changing either would rewrite what those
// students answered. Re-keying an asked question is a correction with its own history.
// Moving is always allowed: asks point at the question itself, not at its position.
#pragma once

#include "core/store/db.h"
#include "core/model.h"

#include <string>

namespace cardpoll {

// Throws std::runtime_error, in the teacher's words, when the question has empty text, not 2-4
// choices (or an empty one), or a right answer outside its choices. The same rules as
// add_question.
void check_question(const Question& q);

// How many asks (in any session) used the question.
int times_asked(Database& db, Id question_id);

// The app's Save of a question edited in place: what differs from the stored question `q.id`
// (text, choices, right answer, skills) goes through edit_question (core/store/corrections.h), the
// same rule as `cardpoll questions edit`: an asked question keeps its right answer (a re-key
// is correct_key) and its changed words are kept in the corrections history. Throws as
// edit_question does, or when the question does not exist. All or nothing.
Question update_question(Database& db, const Question& q, const std::string& who = {});  // "": default_corrector()

// Writes q's text, true/false, right answer, image, choices and skills over the stored question
// `q.id`, without any check: the one writer behind edit_question (core/store/corrections.h), which
// checks first. Call inside a transaction.
void write_question_content(Database& db, const Question& q);

// Moves the question to `new_position` (1-based, clamped to the set), shifting the others;
// returns the set's questions in their new order. All or nothing.
std::vector<Question> move_question(Database& db, Id question_id, int new_position);

}  // namespace cardpoll
