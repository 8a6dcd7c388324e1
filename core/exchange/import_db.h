// Storing what the import parsers read (core/exchange/import_roster.h, core/exchange/import_questions.h):
// all-or-nothing, in ONE transaction. When any row is refused, nothing of the file is stored
// and nothing already stored changes. Errors are ImportError ("roster.csv:14: card 45 is not
// in deck classroom (cards 1-40)") naming the line of the offending row.
//
// Re-importing a roster into a class that exists (docs/data.md, "Importing"):
//   - default, MERGE: each row is matched to a student of the class by the school's student
//     id when both have one, else by name (display name or "first last", ignoring case). A
//     file without ids or emails keeps those stored before. A match keeps its id and past answers and takes the row's
//     names, tags and, when the file has a card column, its card; students not in the file
//     stay on the roster as they were; rows matching nobody are added. Without a card column
//     matched students keep their cards and new students get the lowest free cards.
//   - REPLACE (--replace): as merge, but students not in the file leave the roster: they hold
//     no card and are not listed any more, and their past answers stay in past sessions.
//   Either way the result must have each card once and every card in the class's deck; a
//   --deck different from the class's is refused (the printed cards would not match).
// Question sets: a new set is created; adding to an existing set needs append = true (the
// questions go after the set's last one). Stored questions are never changed or removed:
// past sessions point at them.
#pragma once

#include <string>
#include <vector>

#include "core/store/db.h"
#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "core/model.h"

namespace cardpoll {

struct RosterStoreOptions {
  std::string class_name;
  std::string deck;      // "" = the class's deck, or "classroom" for a new class
  bool replace = false;  // see above
};

struct RosterStoreResult {
  ClassInfo klass;
  bool created_class = false;
  int added = 0;      // new students
  int updated = 0;    // matched students whose names, tags or card changed
  int unchanged = 0;  // matched students exactly as in the file
  int kept = 0;       // students not in the file, left on the roster (merge)
  int removed = 0;    // students not in the file, taken off the roster (replace)
};

RosterStoreResult store_roster(Database& db, const RosterImport& roster,
                               const RosterStoreOptions& options);

struct QuestionStoreOptions {
  std::string set_name;
  bool append = false;  // add to an existing set instead of refusing it
};

struct QuestionStoreResult {
  QuestionSet set;  // with all its questions after the import
  bool created_set = false;
  int added = 0;
};

QuestionStoreResult store_questions(Database& db, const QuestionImport& questions,
                                    const QuestionStoreOptions& options);

}  // namespace cardpoll
