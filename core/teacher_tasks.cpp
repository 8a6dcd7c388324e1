#include "core/teacher_tasks.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>

#include "core/store/atomic_file.h"
#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/local_time.h"
#include "core/groups/groups_choices.h"
#include "core/store/groups_store.h"
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

void write_text_atomically(const std::filesystem::path& out, const std::string& text) {
  replace_file_atomically(out, [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(out.string() + ": cannot write (" + std::strerror(errno) + ")");
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    f.flush();
    if (!f) throw std::runtime_error(out.string() + ": write failed (" + std::strerror(errno) + ")");
  });
}

std::string joined(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

std::string backup_line(const std::filesystem::path& p) {
  return "a copy of the database from just before is at " + p.string() + " (copy it back to undo)";
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
    write_text_atomically(out, export_session(data, format));
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

namespace cardpoll {

TaskReport export_gradebook_task(Database& db, const std::vector<Id>& sessions, Gradebook format, AssignmentPer per,
                                 const std::filesystem::path& out) {
  return run_task([&](TaskReport& r) {
    if (sessions.empty()) throw std::runtime_error("choose at least one session to export");
    std::vector<SessionData> data;
    for (Id id : sessions) data.push_back(load_session_data(db, id));
    write_text_atomically(out, export_gradebook(data, format, per));
    r.summary = "wrote " + out.string() + " (" + std::string(gradebook_name(format)) + ", " +
                std::to_string(data.size()) + " session" + (data.size() == 1 ? "" : "s") + ", one assignment per " +
                (per == AssignmentPer::Ask ? "ask" : "session") + ", " + std::to_string(data.back().students.size()) +
                " students)";
  });
}

TaskReport correct_answer_task(Database& db, Id session_id, int ask_number, Id student_id,
                               std::optional<Answer> answer, const std::string& who) {
  return run_task([&](TaskReport& r) {
    const auto st = find_student(db, student_id);
    if (!st) throw std::runtime_error("no student with id " + std::to_string(student_id));
    const AnswerCorrection c = correct_answer(db, session_id, ask_number, student_id, answer, who, now_ms());
    if (!c.changed)
      r.summary = st->display_name + "'s answer to ask " + std::to_string(ask_number) + " already is " +
                  answer_word(answer) + ": nothing changed";
    else
      r.summary = "session " + std::to_string(session_id) + ", ask " + std::to_string(ask_number) + ", " +
                  st->display_name + ": " + answer_word(c.old_answer) + " -> " + answer_word(answer) +
                  " (kept in the history)";
  });
}

TaskReport correct_key_task(Database& db, Id session_id, int ask_number, std::optional<Answer> key,
                            const std::string& who) {
  return run_task([&](TaskReport& r) {
    const KeyCorrection c = correct_key(db, session_id, ask_number, key, who, now_ms());
    if (!c.changed) {
      r.summary = "the right answer of ask " + std::to_string(ask_number) + " already is " + answer_word(key) +
                  ": nothing changed";
      return;
    }
    std::vector<std::string> ids;
    for (Id id : c.sessions) ids.push_back(std::to_string(id));
    r.summary = "ask " + std::to_string(ask_number) + " of session " + std::to_string(session_id) + ": right answer " +
                answer_word(c.old_key) + " -> " + answer_word(key) + (key ? "" : " (a survey now)") + "\nre-scored session" +
                (ids.size() == 1 ? "" : "s") + " " + joined(ids, ", ") + " (every session that asked this question)";
  });
}

TaskReport rename_class_task(Database& db, Id class_id, const std::string& to, const std::string& who) {
  return run_task([&](TaskReport& r) {
    const auto k = find_class(db, class_id);
    if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
    rename_class(db, class_id, to, who, now_ms());
    r.summary = "class \"" + k->name + "\" is now \"" + to + "\"";
  });
}

TaskReport delete_class_task(Database& db, Id class_id, const std::string& who) {
  return run_task([&](TaskReport& r) {
    const auto k = find_class(db, class_id);
    if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
    const auto backup = delete_class(db, class_id, who, now_ms());
    r.summary = "class \"" + k->name + "\" deleted\n" + backup_line(backup);
  });
}

TaskReport rename_question_set_task(Database& db, Id set_id, const std::string& to, const std::string& who) {
  return run_task([&](TaskReport& r) {
    const auto q = find_question_set(db, set_id);
    if (!q) throw std::runtime_error("no question set with id " + std::to_string(set_id));
    rename_question_set(db, set_id, to, who, now_ms());
    r.summary = "question set \"" + q->name + "\" is now \"" + to + "\"";
  });
}

TaskReport delete_question_set_task(Database& db, Id set_id, const std::string& who) {
  return run_task([&](TaskReport& r) {
    const auto q = find_question_set(db, set_id);
    if (!q) throw std::runtime_error("no question set with id " + std::to_string(set_id));
    const auto backup = delete_question_set(db, set_id, who, now_ms());
    r.summary = "question set \"" + q->name + "\" deleted\n" + backup_line(backup);
  });
}

TaskReport rename_session_task(Database& db, Id session_id, const std::string& to, const std::string& who) {
  return run_task([&](TaskReport& r) {
    rename_session(db, session_id, to, who, now_ms());
    r.summary = "session " + std::to_string(session_id) + " is now named \"" + to + "\"";
  });
}

TaskReport delete_session_task(Database& db, Id session_id, const std::string& who) {
  return run_task([&](TaskReport& r) {
    const auto backup = delete_session(db, session_id, who, now_ms());
    r.summary = "session " + std::to_string(session_id) + " deleted\n" + backup_line(backup);
  });
}

std::vector<Session> sessions_on_days(Database& db, Id class_id, const std::string& from, const std::string& to) {
  auto day = [](const std::string& text) {
    const auto t = text.size() == 10 ? parse_local_time(text) : std::nullopt;
    if (!t) throw std::runtime_error("\"" + text + "\" is not a date like 2026-03-04 (year-month-day)");
    return *t;
  };
  const TimeMs begin = day(from);
  const TimeMs end = next_local_day_start(day(to));
  if (end <= begin) throw std::runtime_error("the last day, " + to + ", is before the first, " + from);
  std::vector<Session> out;
  for (const Session& s : list_sessions(db, class_id))
    if (s.started_at >= begin && s.started_at < end) out.push_back(s);
  if (out.empty())
    throw std::runtime_error("the class has no lesson from " + from + " to " + to + " (see cardpoll session list)");
  std::sort(out.begin(), out.end(), [](const Session& x, const Session& y) { return x.started_at < y.started_at; });
  return out;
}

Grouping suggest_class_groups(Database& db, Id class_id, const std::vector<Id>& session_ids, const GroupSuggestion& o) {
  const auto k = find_class(db, class_id);
  if (!k) throw std::runtime_error("no class with id " + std::to_string(class_id));
  const std::string mode(group_mode_name(o.mode));
  const bool choice_mode = o.mode == GroupMode::Misconception || o.mode == GroupMode::Discuss;
  if (o.ask && o.mode != GroupMode::Discuss) throw std::runtime_error("--ask N is for --mode discuss");
  if (choice_mode && (!o.skills.empty() || o.focus_given))
    throw std::runtime_error("--skills and --by are for the needs and mixed modes; " + mode + " groups by the choices made");
  if (choice_mode && !o.constraints_file.empty()) throw std::runtime_error("--constraints is for the needs and mixed modes");
  if (session_ids.empty()) throw std::runtime_error("--session needs at least one session id");
  std::vector<SessionData> sessions;
  for (Id id : session_ids) {
    const auto s = find_session(db, id);
    if (!s) throw std::runtime_error("no session " + std::to_string(id) + " in " + db.path().string());
    if (s->class_id != class_id)
      throw std::runtime_error("session " + std::to_string(id) + " is not a session of \"" + k->name + "\"");
    bool dup = false;
    for (const auto& d : sessions) dup = dup || d.session.id == id;
    if (!dup) sessions.push_back(load_session_data(db, id));
  }
  GroupingRequest req;
  req.mode = o.mode;
  req.focus = o.focus;
  req.seed = o.seed;
  req.skills = o.skills;
  if (!o.constraints_file.empty())
    req.constraints = parse_group_constraints(o.constraints_text, o.constraints_file, list_students(db, class_id),
                                              req.constraints);
  const bool sized = o.min_size && o.max_size;
  if (sized) {
    if (*o.min_size < 1 || *o.max_size < *o.min_size || *o.max_size > 50)
      throw std::runtime_error("--size " + std::to_string(*o.min_size) + "-" + std::to_string(*o.max_size) +
                               ": expected MIN-MAX with 1 <= MIN <= MAX <= 50");
    req.constraints.min_size = *o.min_size;
    req.constraints.max_size = *o.max_size;
  }
  // Rotation looks at the last few saved groupings (the objective weighs the last two).
  req.history = load_groupings(db, class_id, 5);
  Grouping g;
  if (choice_mode) {
    ChoiceGroupingRequest creq;
    creq.mode = o.mode;
    // Discussion works in pairs and threes; misconception groups are teacher-led like needs.
    creq.min_size = sized ? req.constraints.min_size : 2;
    creq.max_size = sized ? req.constraints.max_size : (o.mode == GroupMode::Discuss ? 3 : 4);
    creq.ask = o.ask;
    bool scored = false;
    for (const auto& d : sessions)
      for (const auto& x : d.asks)
        for (const auto& q : d.set.questions) scored = scored || (q.id == x.question_id && q.correct);
    if (!scored)
      throw std::runtime_error("no question with a right answer was asked in these sessions, so no choice was "
                               "wrong (set a key with cardpoll ask key)");
    g = suggest_choice_groups(sessions, creq);
  } else {
    const GroupingInput input = grouping_input(sessions, req);
    if (input.skills.empty())
      throw std::runtime_error("no question with a right answer was asked in these sessions, so there is nothing "
                               "to group by (set a right answer with cardpoll ask key)");
    g = suggest_groups(input);
  }
  g.class_id = class_id;
  if (g.sessions.empty())
    for (const auto& s : sessions) g.sessions.push_back(s.session.id);
  return g;
}

std::string grouping_text(const Grouping& g, const std::string& class_name) {
  std::string out = std::string(group_mode_name(g.mode)) + " groups of \"" + class_name + "\" (sizes " +
                    std::to_string(g.min_size) + "-" + std::to_string(g.max_size) + ", seed " + std::to_string(g.seed) +
                    ")\n";
  for (const auto& grp : g.groups) {
    out += "\n" + grp.name;
    if (!grp.focus.empty()) out += ": " + grp.focus;
    if (!grp.missed.empty()) out += " (missed " + joined(grp.missed, ", ") + ")";
    out += "\n  " + grp.reason + "\n";
    for (const auto& m : grp.members) {
      char line[64];
      std::snprintf(line, sizeof line, "  %4d  ", m.card);
      std::string name = m.name;
      // %-24s: the name padded to 24 bytes, as printf pads it.
      if (name.size() < 24) name += std::string(24 - name.size(), ' ');
      out += line + name + " " + m.role + "\n";
    }
  }
  if (!g.absent.empty()) out += "\nabsent: " + joined(g.absent, ", ") + "\n";
  if (!g.unsatisfied.empty()) {
    out += "\nnot honoured:\n";
    for (const auto& u : g.unsatisfied) out += "  - " + u + "\n";
  }
  return out;
}

std::string grouping_csv(const Grouping& g) {
  std::string csv = csv_row({"group", "focus", "card", "student", "role", "reason"});
  for (const auto& grp : g.groups)
    for (const auto& m : grp.members)
      csv += csv_row({grp.name, grp.focus, m.card ? std::to_string(m.card) : "", m.name, m.role, grp.reason});
  return csv;
}

bool move_group_member(Grouping& g, Id student_id, size_t to_group) {
  if (to_group >= g.groups.size()) return false;
  for (size_t gi = 0; gi < g.groups.size(); ++gi) {
    auto& members = g.groups[gi].members;
    for (size_t mi = 0; mi < members.size(); ++mi) {
      if (members[mi].student != student_id) continue;
      if (gi == to_group) return true;
      GroupMember m = members[mi];
      m.role.clear();
      members.erase(members.begin() + static_cast<std::ptrdiff_t>(mi));
      g.groups[to_group].members.push_back(m);
      if (members.empty()) g.groups.erase(g.groups.begin() + static_cast<std::ptrdiff_t>(gi));
      return true;
    }
  }
  return false;
}

}  // namespace cardpoll
