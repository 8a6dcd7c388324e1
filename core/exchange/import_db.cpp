#include "core/exchange/import_db.h"

#include <map>
#include <set>

#include "core/store/storage.h"

namespace cardpoll {

namespace {

std::string lower_trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  std::string out(s.substr(b, e - b + 1));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The names a student may be known by: "ana garcia" from the display name, and from
// first + last when both are there.
std::set<std::string> name_keys(const Student& s) {
  std::set<std::string> keys;
  if (auto d = lower_trim(s.display_name); !d.empty()) keys.insert(d);
  if (!s.first_name.empty() && !s.last_name.empty())
    keys.insert(lower_trim(s.first_name + " " + s.last_name));
  return keys;
}

bool share_a_key(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& k : a)
    if (b.count(k)) return true;
  return false;
}

struct Stored {
  Student student;
  bool active = true;
};

std::vector<Stored> all_students(Database& db, Id class_id) {
  Statement s(db, "SELECT id, active FROM students WHERE class_id = ? ORDER BY id");
  s.bind(1, class_id);
  std::vector<std::pair<Id, bool>> ids;
  while (s.step()) ids.emplace_back(s.column_int64(0), s.column_int(1) != 0);
  std::vector<Stored> out;
  for (auto [id, active] : ids) out.push_back({*find_student(db, id), active});
  return out;
}

std::string range_text(const Deck& d) {
  return "deck " + std::string(d.name) + " (cards 1-" + std::to_string(d.cards()) + ")";
}

// What to do about a card outside the deck, in the teacher's words.
std::string card_hint(const Deck& d, const std::string& student) {
  return "give " + student + " a card numbered 1 to " + std::to_string(d.cards()) +
         ", or leave the card cell empty to hand out the lowest free one";
}

}  // namespace

RosterStoreResult store_roster(Database& db, const RosterImport& roster,
                               const RosterStoreOptions& o) {
  const std::string& file = roster.file;
  auto line_of = [&](size_t i) { return i < roster.lines.size() ? roster.lines[i] : 0; };
  if (roster.students.empty()) throw ImportError(file, 0, "the file has no students");
  if (lower_trim(o.class_name).empty()) throw ImportError(file, 0, "no class name given");

  // One transaction for everything below: any throw rolls all of it back.
  Transaction tx(db);
  RosterStoreResult res;
  const auto existing = find_class(db, o.class_name);
  const std::string deck_name = !o.deck.empty() ? o.deck : existing ? existing->deck : "classroom";
  const Deck* deck = find_deck(deck_name);
  if (!deck) throw ImportError(file, 0, "no deck named \"" + deck_name + "\" (decks: " + deck_names() + ")");
  if (existing && existing->deck != deck_name)
    throw ImportError(file, 0, "class \"" + existing->name + "\" uses deck " + existing->deck +
                                   ", not " + deck_name + ": its students hold cards of that deck");

  const std::vector<Stored> old = existing ? all_students(db, existing->id) : std::vector<Stored>{};
  const size_t n = roster.students.size();

  // 1. Match each row of the file to at most one stored student, by name.
  std::vector<int> match(n, -1);
  std::map<int, size_t> claimed;  // stored index -> row index
  for (size_t i = 0; i < n; ++i) {
    const auto keys = name_keys(roster.students[i]);
    const std::string& sis_id = roster.students[i].sis_id;
    for (size_t j = 0; j < old.size(); ++j) {
      // The school's id, when both sides have one, decides: a renamed student is still the
      // same student, and two students of one name are told apart.
      const std::string& stored_id = old[j].student.sis_id;
      if (!sis_id.empty() && !stored_id.empty() ? sis_id != stored_id
                                                 : !share_a_key(keys, name_keys(old[j].student)))
        continue;
      if (match[i] >= 0)
        throw ImportError(file, line_of(i),
                          "\"" + roster.students[i].display_name + "\" matches two students of class \"" +
                              existing->name + "\" (" + old[static_cast<size_t>(match[i])].student.display_name +
                              " and " + old[j].student.display_name + "): use distinct names");
      match[i] = static_cast<int>(j);
    }
    if (match[i] < 0) continue;
    auto [it, fresh] = claimed.emplace(match[i], i);
    if (!fresh)
      throw ImportError(file, line_of(i),
                        "\"" + roster.students[i].display_name + "\" and line " +
                            std::to_string(line_of(it->second)) + " are both student " +
                            old[static_cast<size_t>(match[i])].student.display_name +
                            " of class \"" + existing->name + "\"");
  }

  // 2. The card each row ends up with, and the cards of students who stay but are not in
  //    the file. Checked as a whole before anything is written.
  std::map<int, std::string> taken;  // card -> who holds it, for messages
  for (size_t j = 0; j < old.size(); ++j) {
    if (claimed.count(static_cast<int>(j)) || o.replace || !old[j].active || old[j].student.card == 0) continue;
    taken[old[j].student.card] = old[j].student.display_name + ", who is not in this file";
  }
  std::vector<int> card(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (roster.cards_from_file || !existing) card[i] = roster.students[i].card;
    else if (match[i] >= 0 && old[static_cast<size_t>(match[i])].active)
      card[i] = old[static_cast<size_t>(match[i])].student.card;
  }
  for (size_t i = 0; i < n; ++i) {
    if (card[i] == 0) continue;
    if (card[i] < 1 || card[i] > deck->cards())
      throw ImportError(file, line_of(i),
                        "card " + std::to_string(card[i]) + " is not in " + range_text(*deck) + ": " +
                            card_hint(*deck, roster.students[i].display_name));
    auto [it, fresh] = taken.emplace(card[i], roster.students[i].display_name + " (line " +
                                                  std::to_string(line_of(i)) + ")");
    if (!fresh)
      throw ImportError(file, line_of(i),
                        "card " + std::to_string(card[i]) + " already belongs to " + it->second +
                            (o.replace ? "" : "; use --replace to make this file the whole roster"));
  }
  // Students without a card yet get the lowest free ones, in file order.
  int next_free = 1;
  for (size_t i = 0; i < n; ++i) {
    if (card[i] != 0) continue;
    while (taken.count(next_free)) ++next_free;
    if (next_free > deck->cards())
      throw ImportError(file, line_of(i),
                        "no free card left for " + roster.students[i].display_name + " in " +
                            range_text(*deck));
    card[i] = next_free;
    taken[next_free] = roster.students[i].display_name;
  }

  // 3. Write. Cards that move are first released, so swapping two students' cards does not
  //    trip the one-card-one-student rule half-way.
  ClassInfo k = existing ? *existing : create_class(db, o.class_name, deck_name);
  res.created_class = !existing;
  res.klass = k;
  Statement release(db, "UPDATE students SET card = NULL WHERE id = ?");
  for (size_t j = 0; j < old.size(); ++j) {
    const auto c = claimed.find(static_cast<int>(j));
    const bool leaves = c == claimed.end() && o.replace;
    const bool moves = c != claimed.end() && card[c->second] != old[j].student.card;
    if (leaves || moves) release.bind(1, old[j].student.id).run();
  }
  for (size_t i = 0; i < n; ++i) {
    Student st = roster.students[i];
    st.class_id = k.id;
    st.card = card[i];
    try {
      if (match[i] < 0) {
        add_student(db, st);
        ++res.added;
        continue;
      }
      const Stored& was = old[static_cast<size_t>(match[i])];
      st.id = was.student.id;
      // A roster without ids or emails (a plain name list) does not erase those stored before.
      if (st.sis_id.empty()) st.sis_id = was.student.sis_id;
      if (st.email.empty()) st.email = was.student.email;
      // Nor does a name column alone erase the first and last names of the same name.
      if (st.first_name.empty() && st.last_name.empty() && lower_trim(st.display_name) == lower_trim(was.student.display_name))
        st.first_name = was.student.first_name, st.last_name = was.student.last_name;
      const bool same = was.active && was.student.display_name == st.display_name &&
                        was.student.first_name == st.first_name &&
                        was.student.last_name == st.last_name && was.student.tags == st.tags &&
                        was.student.sis_id == st.sis_id && was.student.email == st.email &&
                        was.student.card == st.card;
      update_student(db, st);
      assign_card(db, st.id, st.card);  // also puts a student who had left back on the roster
      ++(same ? res.unchanged : res.updated);
    } catch (const ImportError&) {
      throw;
    } catch (const std::exception& e) {
      throw ImportError(file, line_of(i), e.what());
    }
  }
  for (size_t j = 0; j < old.size(); ++j) {
    if (claimed.count(static_cast<int>(j)) || !old[j].active) continue;
    if (o.replace) {
      deactivate_student(db, old[j].student.id);
      ++res.removed;
    } else {
      ++res.kept;
    }
  }
  tx.commit();
  return res;
}

QuestionStoreResult store_questions(Database& db, const QuestionImport& in,
                                    const QuestionStoreOptions& o) {
  const std::string& file = in.file;
  if (in.questions.empty()) throw ImportError(file, 0, "the file has no questions");
  if (lower_trim(o.set_name).empty()) throw ImportError(file, 0, "no question set name given");
  Transaction tx(db);
  QuestionStoreResult res;
  auto existing = find_question_set(db, o.set_name);
  if (existing && !o.append)
    throw ImportError(file, 0, "question set \"" + existing->name + "\" already exists (" +
                                   std::to_string(existing->questions.size()) +
                                   " questions): use --append to add these after them, or "
                                   "another --set name");
  QuestionSet set = existing ? *existing : create_question_set(db, o.set_name);
  res.created_set = !existing;
  for (size_t i = 0; i < in.questions.size(); ++i) {
    try {
      add_question(db, set.id, in.questions[i]);
      ++res.added;
    } catch (const std::exception& e) {
      throw ImportError(file, i < in.lines.size() ? in.lines[i] : 0, e.what());
    }
  }
  res.set = *find_question_set(db, set.id);
  tx.commit();
  return res;
}

}  // namespace cardpoll
