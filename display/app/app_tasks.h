// What the app's screens do that is not drawing: each a small function of the AppState (or of
// the database) that calls the same core functions as the CLI. Tested without a window.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/exchange/import_questions.h"
#include "core/exchange/export.h"
#include "core/exchange/export_gradebook.h"
#include "core/groups/groups_input.h"
#include "display/app/app_state.h"

namespace cardpoll::ui {

// Opens (creating when new) the database at `path` and makes it the app's; the old one stays
// open when this fails. Does not save the setting.
TaskReport switch_database(AppState& s, const std::filesystem::path& path);

// A roster file into the selected class (`into_selected`, when one is), else into a new class
// named after the file ("Period 3.csv" -> "Period 3") with the settings' deck (a class of that
// name already there takes the file, merged as always). Selects the class.
TaskReport import_roster_for_ui(AppState& s, const std::filesystem::path& file, bool into_selected);
// A question file into the selected set (`into_selected`: appended), else a new set named
// `new_set` or, when that is empty, after the file. Selects the set.
TaskReport import_questions_for_ui(AppState& s, const std::filesystem::path& file, bool into_selected);
// A file dropped on the window. On Classes with no class chosen (on Questions with no set) it
// is imported at once as a new one; with one chosen, the screen asks whether it goes into the
// chosen one or a new one (pending_drop): a roster merged into the wrong class by a stray drop
// would be hard to undo. Anywhere else: a word on where to drop it.
TaskReport handle_dropped_file(AppState& s, const std::filesystem::path& file);

// Cards for every student of the class who holds one, with their names (`cardpoll cards
// --roster` prints the same), as a PDF; the CLI's words in the summary.
TaskReport print_class_cards(Database& db, Id class_id, const std::filesystem::path& out, bool a4, int per_page);

// The QR command cards for `cardpoll live` (next, reveal, ... and question/1..N), four to a
// page, as `cardpoll cards --commands --questions N` prints them.
TaskReport print_command_cards(const std::filesystem::path& out, int questions, bool a4);

// The formats the question import offers (Auto first) and their labels.
std::vector<QuestionFormat> question_import_formats();
std::string question_format_label(QuestionFormat f);
// The file types the choosers show for rosters and question files.
std::vector<std::string> roster_extensions();
std::vector<std::string> question_extensions();

QuestionEdit edit_of(const Question& q, int asked);
// The edit as a question (`base` gives id, set and position); choices trimmed of empty ones at
// the end; true/false kept when the choices are still True/False.
Question question_of_edit(const QuestionEdit& e, const Question& base);

// Every format the CLI exports: the session formats, then the gradebooks.
struct ExportChoice {
  std::string name;                   // "responses", ..., "canvas" (as `cardpoll export --format`)
  std::optional<ExportFormat> format; // a session format, or
  std::optional<Gradebook> gradebook; // a gradebook
  std::string extension;              // ".csv", ".json", ".html", ".txt"
};
std::vector<ExportChoice> export_choices();
// "period-3-session-7-responses.csv": a file name for an export.
std::string export_file_name(const SessionSummary& s, const ExportChoice& c);
// Which lessons a gradebook export holds: the chosen one, every lesson of its class, or its
// class's lessons started on the days `from` to `to` (YYYY-MM-DD; `export --from/--to`).
struct GradebookLessons {
  enum Which { ThisOne, EveryOne, Days } which = ThisOne;
  std::string from, to;
};
// The export the Results screen asked for, to `out`: a session format of `session_id`, or a
// gradebook of the lessons `lessons` picks (oldest first).
TaskReport export_for_ui(Database& db, Id session_id, const ExportChoice& c, AssignmentPer per,
                         const GradebookLessons& lessons, const std::filesystem::path& out);

// The group modes and focuses offered, as `cardpoll groups suggest --mode/--by` name them.
std::vector<GroupMode> group_modes();
std::vector<GroupFocus> group_focuses();
const char* group_focus_name(GroupFocus f);
// The group sizes offered (`--size`): {0, 0} first, the rules' size (3-4 unless a `size:` line).
struct GroupSizeChoice {
  int min = 0, max = 0;
  const char* label;
};
std::vector<GroupSizeChoice> group_sizes();
// Groups of the selected session's class from that session (suggest_class_groups).
TaskReport suggest_groups_for_ui(AppState& s);
// Saves the shown grouping (adjusted or not) for the class: the live view shows it.
TaskReport save_groups_for_ui(AppState& s);
// The shown grouping as `cardpoll groups show` prints it (.txt) or as `groups export`'s CSV.
TaskReport write_groups_for_ui(AppState& s, const std::filesystem::path& out);

// The Settings screen's school server: starts the push (or the status) of the address typed,
// on a thread of its own; an error (and nothing started) when one runs already or the program
// gave no such function.
void start_school_job(AppState& s, bool push);
// Each frame: takes the running job's new lines into settings_ui.school_lines and, once it has
// ended, its error; true while it runs.
bool poll_school_job(AppState& s);

}  // namespace cardpoll::ui
