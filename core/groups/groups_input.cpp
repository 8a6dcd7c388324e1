#include "core/groups/groups_input.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/mastery.h"

namespace cardpoll {

namespace {

std::string question_focus_label(const Question& q, bool with_set, const std::string& set) {
  std::string text;
  for (char c : q.text) text += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (text.size() > 40) {
    size_t cut = 37;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    text = text.substr(0, cut) + "...";
  }
  return (with_set ? set + " " : std::string()) + "Q" + std::to_string(q.position) + (text.empty() ? "" : " " + text);
}

}  // namespace

SkillLevel grouping_level(int evidence, int right, bool core_mastered) {
  if (evidence <= 0) return SkillLevel::Unknown;
  if (right >= evidence || core_mastered) return SkillLevel::Mastered;
  if (2 * right < evidence) return SkillLevel::NotYet;
  return SkillLevel::Approaching;
}

std::vector<SessionData> sessions_with_focus(std::span<const SessionData> sessions, GroupFocus focus) {
  std::vector<SessionData> out(sessions.begin(), sessions.end());
  if (focus == GroupFocus::Skills) {
    bool tagged = false;
    for (const auto& s : out)
      for (const auto& a : s.asks)
        for (const auto& q : s.set.questions)
          if (q.id == a.question_id && q.correct && !q.skills.empty()) tagged = true;
    if (tagged) return out;
    focus = GroupFocus::Questions;
  }
  std::set<Id> sets;
  for (const auto& s : out) sets.insert(s.set.id);
  for (auto& s : out)
    for (auto& q : s.set.questions)
      q.skills = {focus == GroupFocus::Quiz ? std::string("the whole quiz")
                                            : question_focus_label(q, sets.size() > 1, s.set.name)};
  return out;
}

GroupingInput grouping_input(std::span<const SessionData> sessions, const GroupingRequest& request) {
  if (sessions.empty()) throw GroupingError("no session to group from");
  for (const auto& s : sessions)
    if (s.klass.id != sessions[0].klass.id)
      throw GroupingError("session " + std::to_string(s.session.id) + " is of class \"" + s.klass.name +
                          "\", not \"" + sessions[0].klass.name + "\"");
  GroupingInput in;
  in.mode = request.mode;
  in.seed = request.seed;
  in.constraints = request.constraints;
  in.history = request.history;

  const std::vector<SessionData> focused = sessions_with_focus(sessions, request.focus);
  sessions = focused;
  const MasteryTable table = compute_mastery(sessions);
  if (request.skills.empty()) {
    in.skills = table.skills;
  } else {
    for (const auto& k : request.skills) {
      if (std::find(table.skills.begin(), table.skills.end(), k) == table.skills.end())
        throw GroupingError("skill '" + k + "' was not asked in these sessions (asked: " +
                            [&] {
                              std::string o;
                              for (const auto& t : table.skills) o += (o.empty() ? "" : ", ") + t;
                              return o.empty() ? std::string("none") : o;
                            }() + ")");
      if (std::find(in.skills.begin(), in.skills.end(), k) == in.skills.end()) in.skills.push_back(k);
    }
  }

  // Question labels: Q<position> within one set; set-qualified when sets differ.
  std::set<Id> sets;
  for (const auto& s : sessions) sets.insert(s.set.id);
  std::map<Id, std::string> set_name;
  for (const auto& s : sessions) set_name[s.session.id] = s.set.name;
  auto label = [&](const SkillEvidence& e) {
    const std::string q = "Q" + std::to_string(e.question_position);
    return sets.size() == 1 ? q : set_name[e.session_id] + " " + q;
  };

  // Roster (by id) and who answered anything.
  std::map<Id, const Student*> roster;
  std::set<Id> answered;
  for (const auto& s : sessions) {
    for (const auto& st : s.students) roster.emplace(st.id, &st);
    for (const auto& r : s.responses) answered.insert(r.student_id);
  }
  std::vector<const Student*> order;
  for (auto& [id, st] : roster) order.push_back(st);
  std::stable_sort(order.begin(), order.end(), [](const Student* a, const Student* b) {
    // Students without a card (0) last: they could not have answered.
    const int ca = a->card ? a->card : 1 << 30, cb = b->card ? b->card : 1 << 30;
    return ca < cb;
  });
  for (const Student* st : order) {
    GroupingStudent g;
    g.id = st->id;
    g.name = st->display_name;
    g.card = st->card;
    g.tags = st->tags;
    g.present = answered.count(st->id) > 0;
    for (const auto& k : in.skills) {
      SkillStanding standing;
      if (const SkillMastery* m = table.find(st->id, k)) {
        standing.level = grouping_level(m->evidence, m->right, m->level == MasteryLevel::Mastered);
        standing.estimate = m->estimate;
        for (const auto& e : m->missed) {
          const std::string l = label(e);
          if (std::find(standing.missed.begin(), standing.missed.end(), l) == standing.missed.end())
            standing.missed.push_back(l);
        }
      }
      g.skills.push_back(std::move(standing));
    }
    in.students.push_back(std::move(g));
  }
  return in;
}

}  // namespace cardpoll
