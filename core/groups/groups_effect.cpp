#include "core/groups/groups_effect.h"

#include <algorithm>
#include <map>
#include <set>

namespace cardpoll {

namespace {

const Question* question_for(const SessionData& s, Id question_id) {
  for (const auto& q : s.set.questions)
    if (q.id == question_id) return &q;
  return nullptr;
}

// Per student: right/answered over scored asks touching any of `skills` (empty = any skill).
std::map<Id, RightRate> rates(const SessionData& s, const std::set<std::string>& skills) {
  std::map<Id, const Ask*> ask_by_id;
  for (const auto& a : s.asks) ask_by_id[a.id] = &a;
  std::map<Id, RightRate> out;
  for (const auto& r : s.responses) {
    auto it = ask_by_id.find(r.ask_id);
    if (it == ask_by_id.end()) continue;
    const Question* q = question_for(s, it->second->question_id);
    if (!q || !q->correct || q->skills.empty()) continue;
    bool touches = skills.empty();
    for (const auto& k : q->skills) touches = touches || skills.count(k);
    if (!touches) continue;
    auto& rr = out[r.student_id];
    ++rr.answered;
    if (r.answer == *q->correct) ++rr.right;
  }
  return out;
}

void add(RightRate& to, const RightRate& r) {
  to.right += r.right;
  to.answered += r.answered;
}

std::set<std::string> scored_skills(const SessionData& s) {
  std::set<std::string> out;
  for (const auto& a : s.asks)
    if (const Question* q = question_for(s, a.question_id); q && q->correct)
      out.insert(q->skills.begin(), q->skills.end());
  return out;
}

}  // namespace

GroupingEffect grouping_effect(const Grouping& grouping, const SessionData& before,
                               const SessionData& after) {
  GroupingEffect out;
  // Skills scored in both sessions: what "every skill" means for mixed and extension groups.
  std::set<std::string> common;
  const auto sb = scored_skills(before), sa = scored_skills(after);
  std::set_intersection(sb.begin(), sb.end(), sa.begin(), sa.end(), std::inserter(common, common.end()));
  std::map<std::set<std::string>, std::pair<std::map<Id, RightRate>, std::map<Id, RightRate>>> cache;
  auto rates_for = [&](const std::set<std::string>& skills) -> auto& {
    auto it = cache.find(skills);
    if (it == cache.end())
      it = cache.emplace(skills, std::pair(rates(before, skills), rates(after, skills))).first;
    return it->second;
  };
  std::vector<std::string> focus_order;
  for (const auto& g : grouping.groups) {
    GroupEffect ge;
    ge.name = g.name;
    ge.focus = g.focus;
    const bool skill_focus = !g.focus.empty() && g.focus != "extension";
    const std::set<std::string> skills = skill_focus ? std::set<std::string>{g.focus} : common;
    if (skill_focus && std::find(focus_order.begin(), focus_order.end(), g.focus) == focus_order.end())
      focus_order.push_back(g.focus);
    auto& [rb, ra] = rates_for(skills);
    for (const auto& m : g.members) {
      StudentEffect se{m.student, m.name, m.card, g.name, {}, {}};
      if (auto it = rb.find(m.student); it != rb.end()) se.before = it->second;
      if (auto it = ra.find(m.student); it != ra.end()) se.after = it->second;
      add(ge.before, se.before);
      add(ge.after, se.after);
      ge.students.push_back(std::move(se));
    }
    out.groups.push_back(std::move(ge));
  }
  auto class_change = [&](const std::string& name, const std::set<std::string>& skills) {
    SkillChange c;
    c.skill = name;
    auto& [rb, ra] = rates_for(skills);
    for (auto& [id, r] : rb) add(c.before, r);
    for (auto& [id, r] : ra) add(c.after, r);
    out.skills.push_back(c);
  };
  for (const auto& f : focus_order) class_change(f, {f});
  class_change("all skills", common);
  return out;
}

std::vector<ReflectionTally> reflection_by_group(const Grouping& grouping, const SessionData& session) {
  std::map<Id, int> group_of;
  for (size_t g = 0; g < grouping.groups.size(); ++g)
    for (const auto& m : grouping.groups[g].members) group_of[m.student] = static_cast<int>(g);
  const int outside = static_cast<int>(grouping.groups.size());
  std::vector<ReflectionTally> out;
  for (const auto& a : session.asks) {
    const Question* q = question_for(session, a.question_id);
    if (!q || q->correct) continue;
    ReflectionTally t;
    t.ask_id = a.id;
    t.ask_number = a.number;
    t.question = q->text;
    t.choices = q->choices;
    t.groups.resize(grouping.groups.size() + 1);
    for (size_t g = 0; g < grouping.groups.size(); ++g) {
      t.groups[g].name = grouping.groups[g].name;
      t.groups[g].members = static_cast<int>(grouping.groups[g].members.size());
    }
    t.groups[outside].name = "not in a group";
    for (const auto& st : session.students)
      if (!group_of.count(st.id)) ++t.groups[outside].members;
    for (const auto& r : session.responses) {
      if (r.ask_id != a.id) continue;
      auto it = group_of.find(r.student_id);
      auto& row = t.groups[it == group_of.end() ? outside : it->second];
      ++row.counts[static_cast<int>(r.answer)];
      ++row.answered;
    }
    if (t.groups[outside].answered == 0) t.groups.pop_back();
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace cardpoll
