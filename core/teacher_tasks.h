// The teacher's tasks as the app runs them: each one calls the same core functions as the
// matching `cardpoll` command and reports in the same words (the CLI's warnings, summary line
// and refusal), so the window and the terminal never disagree. Nothing here draws.
//
//   TaskReport r = import_roster_task(db, "roster.csv", {"Period 3"});
//   r.warnings: "warning: roster.csv:7: ..." (as `cardpoll class import` prints them)
//   r.summary:  "created class "Period 3" (deck classroom): 24 added, 0 updated, 0 unchanged"
//   r.error:    "roster.csv:14: card 45 is not in deck classroom (cards 1-49)" when refused
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/store/db.h"
#include "core/exchange/export.h"
#include "core/exchange/export_gradebook.h"
#include "core/groups/groups.h"
#include "core/groups/groups_input.h"
#include "core/exchange/import_db.h"
#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "core/model.h"

namespace cardpoll {

struct TaskReport {
  std::vector<std::string> warnings;  // each "warning: ..." as the CLI prints it
  std::string summary;                // the CLI's result line, when done
  std::string error;                  // the refusal, when not done (nothing was changed)
  bool ok() const { return error.empty(); }
};

// The CLI's result lines.
std::string roster_store_summary(const RosterStoreResult& r);
std::string question_store_summary(const QuestionStoreResult& r, QuestionFormat parsed);

// `cardpoll class import --class NAME [--deck D] [--replace] FILE`.
TaskReport import_roster_task(Database& db, const std::filesystem::path& file,
                              const RosterStoreOptions& options, const RosterOptions& roster_options = {});

// `cardpoll questions import --set NAME [--format F] [--append] FILE`.
TaskReport import_questions_task(Database& db, const std::filesystem::path& file, QuestionFormat format,
                                 const QuestionStoreOptions& options);

// `cardpoll export --session ID --format F --out PATH`: written atomically (the old file or the
// whole new one, never half).
TaskReport export_session_task(Database& db, Id session_id, ExportFormat format,
                               const std::filesystem::path& out);

// A class made by hand (no roster file yet): the name must be new, the deck must exist.
TaskReport create_class_task(Database& db, const std::string& name, const std::string& deck);

// One student edited in place: display name, tags (as typed: "el; iep") and card (0 = none),
// in one transaction, with assign_card's rules (a card free in the class, inside its deck).
TaskReport edit_student_task(Database& db, Id student_id, const std::string& display_name,
                             const std::string& tags, int card);

// A student added by hand to a class; card 0 = the lowest free card of the class's deck.
TaskReport add_student_task(Database& db, Id class_id, const std::string& display_name,
                            const std::string& tags, int card);

// The class's sessions started on the days `from` to `to` ("YYYY-MM-DD", local time, both
// days included), oldest first: what `cardpoll export --from/--to` and the app's gradebook
// export take. Throws std::runtime_error naming a date that is not one, an end before the
// start, or a range without a session.
std::vector<Session> sessions_on_days(Database& db, Id class_id, const std::string& from, const std::string& to);
// `cardpoll export --format GRADEBOOK --per session|ask --session ID,ID --out PATH`: the sessions
// (of one class) in the order given, written atomically.
TaskReport export_gradebook_task(Database& db, const std::vector<Id>& sessions, Gradebook format, AssignmentPer per,
                                 const std::filesystem::path& out);

// After the lesson (core/store/corrections.h), in the words `cardpoll response set`, `ask key`,
// `class|questions|session rename|delete` print; a summary of several lines is joined by '\n'.
TaskReport correct_answer_task(Database& db, Id session_id, int ask_number, Id student_id,
                               std::optional<Answer> answer, const std::string& who);
TaskReport correct_key_task(Database& db, Id session_id, int ask_number, std::optional<Answer> key,
                            const std::string& who);
TaskReport rename_class_task(Database& db, Id class_id, const std::string& to, const std::string& who);
TaskReport delete_class_task(Database& db, Id class_id, const std::string& who);
TaskReport rename_question_set_task(Database& db, Id set_id, const std::string& to, const std::string& who);
TaskReport delete_question_set_task(Database& db, Id set_id, const std::string& who);
TaskReport rename_session_task(Database& db, Id session_id, const std::string& to, const std::string& who);
TaskReport delete_session_task(Database& db, Id session_id, const std::string& who);

// `cardpoll groups suggest`: what to group by. Sizes: none = the mode's default (needs and
// mixed 3-4, misconception 2-4, discuss 2-3).
struct GroupSuggestion {
  GroupMode mode = GroupMode::Needs;
  GroupFocus focus = GroupFocus::Skills;   // needs and mixed only
  bool focus_given = false;                // --by was given (refused for the choice modes)
  std::optional<int> ask;                  // discuss only
  std::optional<int> min_size, max_size;
  std::vector<std::string> skills;         // needs and mixed only
  uint64_t seed = 1;
  std::string constraints_text, constraints_file;  // needs and mixed only; "" none
};
// The suggestion for class `class_id` from `sessions` (its own; duplicates dropped), with the
// class's saved groupings as history. Throws std::runtime_error in the CLI's words.
Grouping suggest_class_groups(Database& db, Id class_id, const std::vector<Id>& sessions, const GroupSuggestion& o);

// What `cardpoll groups suggest|show` prints for a grouping (and the app prints to a file).
std::string grouping_text(const Grouping& g, const std::string& class_name);
// `cardpoll groups export`: group, focus, card, student, role, reason.
std::string grouping_csv(const Grouping& g);
// The teacher moves a student to another group (by dragging in the app): the member leaves its
// group and joins group `to_group` with no role (a role belongs to a group's shape); a group
// left empty is removed. False when the student is in no group or `to_group` is out of range.
bool move_group_member(Grouping& g, Id student_id, size_t to_group);

// Card number -> the name to print on it (what `cardpoll cards --roster` prints).
std::map<int, std::string> card_names(const std::vector<Student>& students);

}  // namespace cardpoll
