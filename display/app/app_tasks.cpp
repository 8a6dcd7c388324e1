#include "display/app/app_tasks.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/store/atomic_file.h"
#include "core/store/groups_store.h"
#include "core/exchange/import_db.h"
#include "core/store/question_edit.h"
#include "display/print/card_pdf.h"
#include "display/print/command_cards.h"

namespace cardpoll::ui {

namespace fs = std::filesystem;

const char* screen_title(Screen s) {
  switch (s) {
    case Screen::Classes: return "Classes";
    case Screen::Questions: return "Questions";
    case Screen::Lesson: return "Lesson";
    case Screen::Results: return "Results";
    case Screen::Settings: return "Settings";
  }
  return "";
}

std::optional<Screen> screen_from_name(const std::string& name) {
  for (Screen s : kScreens) {
    std::string t = screen_title(s);
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == name) return s;
  }
  return std::nullopt;
}

TaskReport switch_database(AppState& s, const fs::path& path) {
  TaskReport r;
  try {
    if (path.empty()) throw std::runtime_error("give the database file");
    Database db(path);
    s.db = std::move(db);
    ++s.data_version;
    s.classes.selected = 0;
    s.questions.selected = 0;
    s.results.selected = 0;
    s.results.data.reset();
    r.summary = "using the database " + path.string();
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

TaskReport import_roster_for_ui(AppState& s, const fs::path& file_ref, bool into_selected) {
  const fs::path file = file_ref;  // may be the pending drop itself, cleared here
  RosterStoreOptions o;
  s.classes.pending_drop.reset();
  if (into_selected && s.classes.selected) {
    if (auto k = find_class(s.db, s.classes.selected)) o.class_name = k->name;
  }
  if (o.class_name.empty()) {
    o.class_name = file.stem().string();
    if (!find_class(s.db, o.class_name)) o.deck = s.settings.deck;  // a new class: the settings' deck
  }
  o.replace = s.classes.replace;
  TaskReport r = import_roster_task(s.db, file, o);
  if (r.ok()) {
    if (auto k = find_class(s.db, o.class_name)) s.classes.selected = k->id;
    ++s.data_version;
  }
  return r;
}

TaskReport import_questions_for_ui(AppState& s, const fs::path& file_ref, bool into_selected) {
  const fs::path file = file_ref;  // may be the pending drop itself, cleared here
  QuestionStoreOptions o;
  s.questions.pending_drop.reset();
  if (into_selected && s.questions.selected) {
    if (auto q = find_question_set(s.db, s.questions.selected)) {
      o.set_name = q->name;
      o.append = true;
    }
  }
  if (o.set_name.empty()) o.set_name = s.questions.new_set.empty() ? file.stem().string() : s.questions.new_set;
  const auto formats = question_import_formats();
  const QuestionFormat f = formats[static_cast<size_t>(std::clamp(s.questions.format, 0, static_cast<int>(formats.size()) - 1))];
  TaskReport r = import_questions_task(s.db, file, f, o);
  if (r.ok()) {
    if (auto q = find_question_set(s.db, o.set_name)) s.questions.selected = q->id;
    s.questions.new_set.clear();
    ++s.data_version;
  }
  return r;
}

TaskReport handle_dropped_file(AppState& s, const fs::path& file) {
  TaskReport r;
  if (s.screen == Screen::Classes) {
    if (!s.classes.selected) return s.classes.report = import_roster_for_ui(s, file, false);
    s.classes.pending_drop = file;
    return s.classes.report = r;
  }
  if (s.screen == Screen::Questions) {
    if (!s.questions.selected) return s.questions.report = import_questions_for_ui(s, file, false);
    s.questions.pending_drop = file;
    return s.questions.report = r;
  }
  r.error = file.filename().string() + ": drop a roster on the Classes screen, or questions on the Questions screen";
  return r;
}

TaskReport print_class_cards(Database& db, Id class_id, const fs::path& out, bool a4, int per_page) {
  TaskReport r;
  try {
    const auto k = find_class(db, class_id);
    if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
    const Deck* deck = find_deck(k->deck);
    if (!deck) throw std::runtime_error("class \"" + k->name + "\": unknown deck " + k->deck);
    print::CardSheet sheet;
    sheet.deck = deck;
    sheet.names = card_names(list_students(db, class_id));
    for (const auto& [card, name] : sheet.names) sheet.cards.push_back(card);
    if (sheet.cards.empty()) throw std::runtime_error("class \"" + k->name + "\" has no student with a card yet");
    sheet.paper = a4 ? print::Paper::A4 : print::Paper::Letter;
    sheet.per_page = per_page == 2 || per_page == 4 ? per_page : 1;
    print::write_cards_pdf(out, sheet);
    const size_t pages = (sheet.cards.size() + static_cast<size_t>(sheet.per_page) - 1) / static_cast<size_t>(sheet.per_page);
    r.summary = "wrote " + std::to_string(sheet.cards.size()) + " " + k->deck + " cards on " + std::to_string(pages) +
                " pages to " + out.string();
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

TaskReport print_command_cards(const fs::path& out, int questions, bool a4) {
  TaskReport r;
  try {
    const int n = std::clamp(questions, 1, 99);
    print::write_command_cards_pdf(out, n, a4 ? print::Paper::A4 : print::Paper::Letter);
    r.summary = "wrote " + std::to_string(lesson::command_card_set(n).size()) + " command cards to " + out.string();
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

std::vector<QuestionFormat> question_import_formats() {
  return {QuestionFormat::Auto, QuestionFormat::Csv, QuestionFormat::Aiken, QuestionFormat::Gift};
}

std::string question_format_label(QuestionFormat f) {
  if (f == QuestionFormat::Auto) return "by the file's type";
  return std::string(question_format_name(f));
}

std::vector<std::string> roster_extensions() { return {".csv", ".txt", ".tsv"}; }
std::vector<std::string> question_extensions() { return {".csv", ".gift", ".aiken", ".txt"}; }

QuestionEdit edit_of(const Question& q, int asked) {
  QuestionEdit e;
  e.text = q.text;
  for (size_t i = 0; i < q.skills.size(); ++i) e.skills += (i ? ", " : "") + q.skills[i];
  e.choices = q.choices;
  e.correct = q.correct ? static_cast<int>(*q.correct) : -1;
  e.asked = asked;
  return e;
}

Question question_of_edit(const QuestionEdit& e, const Question& base) {
  Question q = base;
  q.text = e.text;
  q.choices = e.choices;
  while (q.choices.size() > 2 && q.choices.back().find_first_not_of(" \t") == std::string::npos) q.choices.pop_back();
  q.true_false = q.choices == std::vector<std::string>{"True", "False"};
  if (e.correct >= 0) q.correct = static_cast<Answer>(e.correct);
  else q.correct.reset();
  q.skills = split_skills(e.skills);
  return q;
}

std::vector<ExportChoice> export_choices() {
  std::vector<ExportChoice> out;
  for (ExportFormat f : {ExportFormat::Responses, ExportFormat::Scoresheet, ExportFormat::Json, ExportFormat::Html})
    out.push_back({std::string(export_format_name(f)), f, std::nullopt,
                   f == ExportFormat::Json ? ".json" : f == ExportFormat::Html ? ".html" : ".csv"});
  for (Gradebook g : {Gradebook::Canvas, Gradebook::Moodle, Gradebook::Classroom, Gradebook::PowerSchool})
    out.push_back({std::string(gradebook_name(g)), std::nullopt, g, g == Gradebook::PowerSchool ? ".txt" : ".csv"});
  return out;
}

std::string export_file_name(const SessionSummary& s, const ExportChoice& c) {
  std::string stem;
  for (char ch : s.class_name) {
    const unsigned char u = static_cast<unsigned char>(ch);
    if (std::isalnum(u)) stem += static_cast<char>(std::tolower(u));
    else if (!stem.empty() && stem.back() != '-') stem += '-';
  }
  while (!stem.empty() && stem.back() == '-') stem.pop_back();
  if (stem.empty()) stem = "session";
  stem += "-session-" + std::to_string(s.session.id) + "-" + c.name;
  return stem + c.extension;
}

TaskReport export_for_ui(Database& db, Id session_id, const ExportChoice& c, AssignmentPer per,
                         const GradebookLessons& lessons, const fs::path& out) {
  if (c.format) return export_session_task(db, session_id, *c.format, out);
  std::vector<Id> ids{session_id};
  const auto s = find_session(db, session_id);
  if (s && lessons.which == GradebookLessons::EveryOne) {
    std::vector<Session> all = list_sessions(db, s->class_id);
    std::sort(all.begin(), all.end(), [](const Session& x, const Session& y) { return x.started_at < y.started_at; });
    ids.clear();
    for (const Session& x : all) ids.push_back(x.id);
  } else if (s && lessons.which == GradebookLessons::Days) {
    TaskReport bad;
    try {
      ids.clear();
      for (const Session& x : sessions_on_days(db, s->class_id, lessons.from, lessons.to)) ids.push_back(x.id);
    } catch (const std::exception& e) {
      bad.error = e.what();  // nothing written
      return bad;
    }
  }
  return export_gradebook_task(db, ids, *c.gradebook, per, out);
}

std::vector<GroupMode> group_modes() {
  return {GroupMode::Needs, GroupMode::Mixed, GroupMode::Misconception, GroupMode::Discuss};
}
std::vector<GroupFocus> group_focuses() { return {GroupFocus::Skills, GroupFocus::Questions, GroupFocus::Quiz}; }
const char* group_focus_name(GroupFocus f) {
  switch (f) {
    case GroupFocus::Skills: return "skill";
    case GroupFocus::Questions: return "question";
    case GroupFocus::Quiz: return "quiz";
  }
  return "";
}

std::vector<GroupSizeChoice> group_sizes() {
  return {{0, 0, "3-4, or the rules' size"}, {2, 2, "pairs"}, {2, 3, "2-3"}, {3, 3, "3"}, {3, 4, "3-4"},
          {4, 4, "4"},       {4, 5, "4-5"},  {5, 6, "5-6"}};
}

TaskReport suggest_groups_for_ui(AppState& s) {
  ResultsState& r = s.results;
  TaskReport out;
  try {
    if (!r.data) throw std::runtime_error("choose a session first");
    GroupSuggestion o;
    o.mode = group_modes()[static_cast<size_t>(std::clamp(r.group_mode, 0, 3))];
    const bool choice_mode = o.mode == GroupMode::Misconception || o.mode == GroupMode::Discuss;
    if (!choice_mode) o.focus = group_focuses()[static_cast<size_t>(std::clamp(r.group_by, 0, 2))];
    o.focus_given = !choice_mode && r.group_by != 0;
    const auto sizes = group_sizes();
    const GroupSizeChoice size = sizes[static_cast<size_t>(std::clamp(r.group_size, 0, static_cast<int>(sizes.size()) - 1))];
    if (size.max > 0) {
      o.min_size = size.min;
      o.max_size = size.max;
    }
    o.seed = r.group_seed;
    if (o.mode == GroupMode::Discuss && r.discuss_ask > 0) o.ask = r.discuss_ask;
    // The rules box is a constraints file typed in place: the same lines, the same errors.
    if (!choice_mode && r.group_rules.find_first_not_of(" \t\r\n") != std::string::npos) {
      o.constraints_text = r.group_rules;
      o.constraints_file = "the rules box";
    }
    r.grouping = suggest_class_groups(s.db, r.data->klass.id, {r.data->session.id}, o);
    r.grouping_session = r.data->session.id;
    r.grouping_saved = false;
    out.summary = std::to_string(r.grouping->groups.size()) + " " + std::string(group_mode_name(o.mode)) +
                  " groups suggested: drag a student to another group to change them, then save";
  } catch (const std::exception& e) {
    r.grouping.reset();
    out.error = e.what();
  }
  return out;
}

TaskReport save_groups_for_ui(AppState& s) {
  ResultsState& r = s.results;
  TaskReport out;
  try {
    if (!r.grouping) throw std::runtime_error("suggest groups first");
    Grouping g = *r.grouping;
    g.id = 0;
    g.created_at = 0;
    r.grouping->id = save_grouping(s.db, g);
    r.grouping_saved = true;
    out.summary = "saved as grouping " + std::to_string(r.grouping->id) + " (the live view shows it: G key)";
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

TaskReport write_groups_for_ui(AppState& s, const fs::path& out_file) {
  ResultsState& r = s.results;
  TaskReport out;
  try {
    if (!r.grouping || !r.data) throw std::runtime_error("suggest groups first");
    const bool csv = out_file.extension() == ".csv";
    const std::string text = csv ? grouping_csv(*r.grouping) : grouping_text(*r.grouping, r.data->klass.name);
    replace_file_atomically(out_file, [&](const fs::path& tmp) {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f.write(text.data(), static_cast<std::streamsize>(text.size()));
      f.flush();
      if (!f) throw std::runtime_error(out_file.string() + ": cannot write");
    });
    out.summary = "wrote " + out_file.string() + ": " + std::to_string(r.grouping->groups.size()) + " groups of \"" +
                  r.data->klass.name + "\"" + (csv ? " (CSV)" : "");
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace cardpoll::ui

namespace cardpoll::ui {

void start_school_job(AppState& s, bool push) {
  SettingsState& u = s.settings_ui;
  if (s.school_job) return;  // one at a time (the button is disabled meanwhile)
  u.school_lines.clear();
  u.school_error.clear();
  if (push ? !s.school.push : !s.school.status) {
    u.school_error = "this cardpoll was built without the school server";
    return;
  }
  auto job = std::make_unique<SchoolJob>();
  SchoolJob* j = job.get();  // the job outlives its thread: its destructor joins it
  // Copies for the thread: the screen goes on changing its own.
  const std::filesystem::path db = s.db.path();
  const std::string address = u.school_address, password = u.school_password;
  const SchoolServerTasks tasks = s.school;
  j->worker = std::thread([j, db, address, password, tasks, push] {
    std::vector<std::string> result;
    std::string error;
    try {
      if (push) {
        result = tasks.push(db, address, password, [j](const std::string& line) {
          std::lock_guard lock(j->m);
          j->lines.push_back(line);
        });
      } else {
        result = tasks.status(db, address, password);
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard lock(j->m);
    j->lines.insert(j->lines.end(), result.begin(), result.end());
    j->error = error;
    j->finished = true;
  });
  u.school_running = push ? "push" : "status";
  s.school_job = std::move(job);
}

bool poll_school_job(AppState& s) {
  if (!s.school_job) return false;
  SettingsState& u = s.settings_ui;
  bool finished = false;
  {
    std::lock_guard lock(s.school_job->m);
    u.school_lines.insert(u.school_lines.end(), s.school_job->lines.begin(), s.school_job->lines.end());
    s.school_job->lines.clear();
    finished = s.school_job->finished;
    if (finished) u.school_error = s.school_job->error;
  }
  if (!finished) return true;
  s.school_job.reset();  // joins the thread, which has finished
  u.school_running.clear();
  ++s.data_version;      // a push records itself in the database
  return false;
}

}  // namespace cardpoll::ui
