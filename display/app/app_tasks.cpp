#include "display/app/app_tasks.h"

#include <algorithm>
#include <cctype>

#include "core/import_db.h"
#include "core/question_edit.h"
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

std::string export_file_name(const SessionSummary& s, ExportFormat f) {
  std::string stem;
  for (char c : s.class_name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) stem += static_cast<char>(std::tolower(u));
    else if (!stem.empty() && stem.back() != '-') stem += '-';
  }
  while (!stem.empty() && stem.back() == '-') stem.pop_back();
  if (stem.empty()) stem = "session";
  stem += "-session-" + std::to_string(s.session.id) + "-" + std::string(export_format_name(f));
  const char* ext = f == ExportFormat::Json ? ".json" : f == ExportFormat::Html ? ".html" : ".csv";
  return stem + ext;
}

std::vector<ExportFormat> export_formats() {
  return {ExportFormat::Responses, ExportFormat::Scoresheet, ExportFormat::Json, ExportFormat::Html};
}

}  // namespace cardpoll::ui
