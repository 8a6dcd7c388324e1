// The teacher's tasks as the app runs them: each one calls the same core functions as the
// matching `cardpoll` command and reports in the same words (the CLI's warnings, summary line
// and refusal), so the window and the terminal never disagree. Nothing here draws.
//
//   TaskReport r = import_roster_task(db, "roster.csv", {"Period 3"});
//   r.warnings: "warning: roster.csv:7: ..." (as `cardpoll class import` prints them)
//   r.summary:  "created class "Period 3" (deck classroom): 24 added, 0 updated, 0 unchanged"
//   r.error:    "roster.csv:14: card 45 is not in deck classroom (cards 1-49)" when refused
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/store/db.h"
#include "core/exchange/export.h"
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

// Card number -> the name to print on it (what `cardpoll cards --roster` prints).
std::map<int, std::string> card_names(const std::vector<Student>& students);

}  // namespace cardpoll
