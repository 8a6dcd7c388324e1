#include "core/teacher_tasks.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>

#include "core/store/atomic_file.h"
#include "core/store/storage.h"

namespace cardpoll {

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

std::vector<std::string> warning_lines(const std::string& file, const std::vector<ImportWarning>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back("warning: " + format_warning(file, w));
  return out;
}

// Runs `body`, turning any exception into the report's error (what the CLI prints after
// "cardpoll COMMAND: ").
template <typename Body>
TaskReport run_task(Body body) {
  TaskReport r;
  try {
    body(r);
  } catch (const std::exception& e) {
    r.error = e.what();
    r.summary.clear();
  }
  return r;
}

}  // namespace

std::string roster_store_summary(const RosterStoreResult& r) {
  std::string s = std::string(r.created_class ? "created" : "updated") + " class \"" + r.klass.name + "\" (deck " +
                  r.klass.deck + "): " + std::to_string(r.added) + " added, " + std::to_string(r.updated) +
                  " updated, " + std::to_string(r.unchanged) + " unchanged";
  if (r.kept) s += ", " + std::to_string(r.kept) + " not in the file kept";
  if (r.removed) s += ", " + std::to_string(r.removed) + " not in the file removed from the roster";
  return s;
}

std::string question_store_summary(const QuestionStoreResult& r, QuestionFormat parsed) {
  return std::string(r.created_set ? "created" : "added to") + " question set \"" + r.set.name + "\": " +
         std::to_string(r.added) + " questions added (" + std::string(question_format_name(parsed)) + "), " +
         std::to_string(r.set.questions.size()) + " in the set";
}

TaskReport import_roster_task(Database& db, const std::filesystem::path& file, const RosterStoreOptions& options,
                              const RosterOptions& roster_options) {
  return run_task([&](TaskReport& r) {
    if (!options.deck.empty() && !find_deck(options.deck))
      throw std::runtime_error("deck " + options.deck + ": no such deck (decks: " + deck_names() + ")");
    const RosterImport roster = import_roster_file(file, roster_options);
    const RosterStoreResult stored = store_roster(db, roster, options);
    r.warnings = warning_lines(roster.file, roster.warnings);
    r.summary = roster_store_summary(stored);
  });
}

TaskReport import_questions_task(Database& db, const std::filesystem::path& file, QuestionFormat format,
                                 const QuestionStoreOptions& options) {
  return run_task([&](TaskReport& r) {
    const QuestionImport in = import_questions_file(file, format);
    const QuestionStoreResult stored = store_questions(db, in, options);
    r.warnings = warning_lines(in.file, in.warnings);
    size_t skipped = 0;
    for (const auto& w : in.warnings) skipped += w.message.rfind("skipped: ", 0) == 0;
    if (skipped)
      r.warnings.push_back(std::to_string(skipped) + " question" + (skipped == 1 ? "" : "s") +
                           " skipped (see the warnings above)");
    r.summary = question_store_summary(stored, in.format);
  });
}

TaskReport export_session_task(Database& db, Id session_id, ExportFormat format, const std::filesystem::path& out) {
  return run_task([&](TaskReport& r) {
    const SessionData data = load_session_data(db, session_id);
    const std::string text = export_session(data, format);
    replace_file_atomically(out, [&](const std::filesystem::path& tmp) {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      if (!f) throw std::runtime_error(out.string() + ": cannot write (" + std::strerror(errno) + ")");
      f.write(text.data(), static_cast<std::streamsize>(text.size()));
      f.flush();
      if (!f) throw std::runtime_error(out.string() + ": write failed (" + std::strerror(errno) + ")");
    });
    r.summary = "wrote " + out.string() + " (" + std::string(export_format_name(format)) + ", session " +
                std::to_string(session_id) + ", " + std::to_string(data.asks.size()) + " asks, " +
                std::to_string(data.students.size()) + " students)";
  });
}

TaskReport create_class_task(Database& db, const std::string& name, const std::string& deck) {
  return run_task([&](TaskReport& r) {
    const std::string n = trimmed(name);
    if (n.empty()) throw std::runtime_error("a class needs a name");
    if (find_class(db, n)) throw std::runtime_error("there is already a class named \"" + n + "\"");
    if (!find_deck(deck)) throw std::runtime_error("deck " + deck + ": no such deck (decks: " + deck_names() + ")");
    const ClassInfo k = create_class(db, n, deck);
    r.summary = "created class \"" + k.name + "\" (deck " + k.deck + ")";
  });
}

TaskReport edit_student_task(Database& db, Id student_id, const std::string& display_name, const std::string& tags,
                             int card) {
  return run_task([&](TaskReport& r) {
    auto st = find_student(db, student_id);
    if (!st) throw std::runtime_error("no student with id " + std::to_string(student_id));
    const std::string name = trimmed(display_name);
    if (name.empty()) throw std::runtime_error("a student needs a name (card " + std::to_string(st->card) + ")");
    if (card < 0) throw std::runtime_error("card " + std::to_string(card) + ": expected a whole number, 0 for none");
    Transaction tx(db);
    st->display_name = name;
    st->tags = split_tags(tags);
    update_student(db, *st);
    if (card != st->card) assign_card(db, student_id, card);
    tx.commit();
    r.summary = name + (card ? " holds card " + std::to_string(card) : " holds no card");
  });
}

TaskReport add_student_task(Database& db, Id class_id, const std::string& display_name, const std::string& tags,
                            int card) {
  return run_task([&](TaskReport& r) {
    const auto k = find_class(db, class_id);
    if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
    const std::string name = trimmed(display_name);
    if (name.empty()) throw std::runtime_error("a student needs a name");
    Student st;
    st.class_id = class_id;
    st.display_name = name;
    st.tags = split_tags(tags);
    st.card = card;
    if (card == 0) {
      std::set<int> taken;
      for (const auto& s : list_students(db, class_id)) taken.insert(s.card);
      const Deck* deck = find_deck(k->deck);
      for (int c = 1; deck && c <= deck->cards() && st.card == 0; ++c)
        if (!taken.count(c)) st.card = c;
      if (st.card == 0) throw std::runtime_error("every card of deck " + k->deck + " is taken in class \"" + k->name + "\"");
    }
    const Student added = add_student(db, st);
    r.summary = "added " + added.display_name + " with card " + std::to_string(added.card) + " to class \"" + k->name + "\"";
  });
}

std::map<int, std::string> card_names(const std::vector<Student>& students) {
  std::map<int, std::string> names;
  for (const Student& s : students) {
    if (s.card <= 0) continue;
    std::string name = s.display_name;
    if (blank(name)) name = s.first_name + (s.last_name.empty() ? "" : " " + s.last_name);
    names[s.card] = name;
  }
  return names;
}

}  // namespace cardpoll
