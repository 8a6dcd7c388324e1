// Preparing a grouping problem: the class's input checked, then turned stage by stage into
// the indices the search works on (present students, standings, tags, keep-together units,
// keep-apart pairs, past partners and roles, possible anchors). Each stage fills its own
// fields of Problem; the order matters only where a stage reads an earlier one's fields.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <numeric>
#include <unordered_map>

#include "core/groups/groups_internal.h"

namespace cardpoll::groups_detail {
namespace {

// Where a student id of the input is among the present students.
struct StudentIndex {
  std::unordered_map<Id, int> input_of;  // student id -> index into input.students
  std::vector<int> present_of;           // input index -> present index, -1 when absent

  // Present indices of the listed students; an unknown id is the teacher's mistake and is
  // refused, an absent student simply does not apply.
  std::vector<int> resolve(const std::vector<Id>& ids, const char* what) const {
    std::vector<int> out;
    for (Id id : ids) {
      auto it = input_of.find(id);
      if (it == input_of.end())
        throw GroupingError(std::string(what) + ": student id " + std::to_string(id) +
                            " is not in the class");
      const int p = present_of[it->second];
      if (p >= 0 && !is_in(out, p)) out.push_back(p);
    }
    return out;
  }
  int present(Id id) const {
    auto it = input_of.find(id);
    return it == input_of.end() ? -1 : present_of[it->second];
  }
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

StudentIndex check_students(Problem& pr, const GroupingInput& input) {
  if (pr.min_size < 1 || pr.max_size < pr.min_size)
    throw GroupingError("group size " + std::to_string(pr.min_size) + "-" +
                        std::to_string(pr.max_size) + ": need 1 <= minimum <= maximum");
  StudentIndex idx;
  for (size_t i = 0; i < input.students.size(); ++i) {
    const auto& s = input.students[i];
    if (s.skills.size() != input.skills.size())
      throw GroupingError("student " + s.name + ": " + std::to_string(s.skills.size()) +
                          " skill standings for " + std::to_string(input.skills.size()) + " skills");
    if (!idx.input_of.emplace(s.id, static_cast<int>(i)).second)
      throw GroupingError("student id " + std::to_string(s.id) + " appears twice");
    if (s.present) pr.present.push_back(static_cast<int>(i));
  }
  idx.present_of.assign(input.students.size(), -1);
  for (int p = 0; p < pr.students(); ++p) idx.present_of[pr.present[p]] = p;
  return idx;
}

void read_standings(Problem& pr) {
  const int n = pr.students();
  pr.overall.assign(n, 0.0);
  pr.level.assign(n, std::vector<SkillLevel>(pr.skills, SkillLevel::Unknown));
  pr.est.assign(n, std::vector<double>(pr.skills, 0.0));
  pr.has_gap.assign(n, false);
  pr.has_not_yet.assign(n, false);
  std::vector<bool> known(n, false);
  double known_sum = 0;
  int known_count = 0;
  for (int p = 0; p < n; ++p) {
    const auto& s = pr.student(p);
    double sum = 0;
    int cnt = 0;
    for (int k = 0; k < pr.skills; ++k) {
      pr.level[p][k] = s.skills[k].level;
      if (s.skills[k].level == SkillLevel::Unknown) continue;
      const double e = std::clamp(s.skills[k].estimate, 0.0, 1.0);
      pr.est[p][k] = e;
      sum += e;
      ++cnt;
      if (s.skills[k].level != SkillLevel::Mastered) pr.has_gap[p] = true;
      if (s.skills[k].level == SkillLevel::NotYet) pr.has_not_yet[p] = true;
    }
    if (cnt) {
      pr.overall[p] = sum / cnt;
      known[p] = true;
      known_sum += pr.overall[p];
      ++known_count;
    }
  }
  // Students with no evidence at all count as average: neither a strength nor a gap.
  const double fallback = known_count ? known_sum / known_count : 0.5;
  for (int p = 0; p < n; ++p) {
    if (!known[p]) pr.overall[p] = fallback;
    for (int k = 0; k < pr.skills; ++k)
      if (pr.level[p][k] == SkillLevel::Unknown) pr.est[p][k] = pr.overall[p];
  }
  pr.class_mean = 0;
  for (int p = 0; p < n; ++p) pr.class_mean += pr.overall[p];
  if (n) pr.class_mean /= n;
}

// Tags the grouping reads: "el" (an English learner) and "lang:xx" (a home language).
void read_tags(Problem& pr) {
  const int n = pr.students();
  pr.langs.assign(n, {});
  pr.el.assign(n, false);
  for (int p = 0; p < n; ++p)
    for (const auto& t : pr.student(p).tags) {
      const std::string l = lower(t);
      if (l == "el") pr.el[p] = true;
      if (l.rfind("lang:", 0) == 0 && l.size() > 5) pr.langs[p].push_back(l.substr(5));
    }
}

// Keep-together lists become units (union-find), which the search moves as one. A unit
// larger than a group is split, and the teacher is told.
void build_units(Problem& pr, const GroupingInput& input, const StudentIndex& idx) {
  const int n = pr.students();
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  std::function<int(int)> root = [&](int x) { return parent[x] == x ? x : parent[x] = root(parent[x]); };
  for (const auto& list : input.constraints.keep_together) {
    auto ps = idx.resolve(list, "keep-together");
    if (ps.size() >= 2) pr.together.push_back(ps);
    for (size_t i = 1; i < ps.size(); ++i) parent[root(ps[i])] = root(ps[0]);
  }
  std::map<int, std::vector<int>> comps;
  for (int p = 0; p < n; ++p) comps[root(p)].push_back(p);
  std::vector<std::vector<int>> units;
  for (auto& [r, members] : comps) units.push_back(members);
  std::sort(units.begin(), units.end());  // by first member: deterministic
  for (auto& u : units) {
    if (static_cast<int>(u.size()) <= pr.max_size) {
      pr.units.push_back(u);
      continue;
    }
    std::vector<std::string> names;
    for (int p : u) names.push_back(pr.student(p).name);
    pr.notes.push_back("keep-together " + join_names(names, "+") + ": " +
                       count_word(static_cast<int>(u.size())) +
                       " students exceed the maximum group size of " +
                       std::to_string(pr.max_size) + ", so they are split");
    for (size_t i = 0; i < u.size(); i += pr.max_size)
      pr.units.emplace_back(u.begin() + i, u.begin() + std::min(u.size(), i + pr.max_size));
  }
  pr.unit_of.assign(n, -1);
  for (size_t u = 0; u < pr.units.size(); ++u)
    for (int p : pr.units[u]) pr.unit_of[p] = static_cast<int>(u);
}

// Keep-apart pairs; a pair that keep-together joined stays together (and the teacher is told).
void build_apart(Problem& pr, const GroupingInput& input, const StudentIndex& idx) {
  pr.apart.assign(pr.students(), {});
  for (const auto& list : input.constraints.keep_apart) {
    auto ps = idx.resolve(list, "keep-apart");
    for (size_t i = 0; i < ps.size(); ++i)
      for (size_t j = i + 1; j < ps.size(); ++j) {
        const int a = ps[i], b = ps[j];
        if (pr.unit_of[a] == pr.unit_of[b]) {
          pr.notes.push_back("keep-apart " + pr.student(a).name + ", " + pr.student(b).name +
                             ": conflicts with keep-together, which wins");
          continue;
        }
        if (!is_in(pr.apart[a], b)) pr.apart[a].push_back(b);
        if (!is_in(pr.apart[b], a)) pr.apart[b].push_back(a);
      }
  }
}

// Pairs from the last two saved groupings, so the next mixed grouping meets new partners; and
// the role each student held in the newest saved grouping that gave them one, so two students
// who both facilitated last time cannot both avoid facilitating now.
void read_history(Problem& pr, const GroupingInput& input, const StudentIndex& idx) {
  const int n = pr.students();
  pr.history.assign(n, {});
  for (size_t h = 0; h < input.history.size() && h < 2; ++h) {
    const double w = h == 0 ? kWeightRepeatLast : kWeightRepeatOlder;
    for (const auto& g : input.history[h].groups) {
      std::vector<int> ps;
      for (const auto& m : g.members)
        if (const int p = idx.present(m.student); p >= 0) ps.push_back(p);
      for (int a : ps)
        for (int b : ps)
          if (a != b) pr.history[a].emplace_back(b, w);
    }
  }
  pr.last_role.assign(n, -1);
  std::map<std::string, int> role_ids;
  for (int p = 0; p < n; ++p)
    for (const auto& h : input.history) {
      bool found = false;
      for (const auto& g : h.groups)
        for (const auto& m : g.members)
          if (m.student == pr.student(p).id && !m.role.empty() && m.role != "member") {
            pr.last_role[p] = role_ids.emplace(m.role, static_cast<int>(role_ids.size())).first->second;
            found = true;
          }
      if (found) break;
    }
}

void count_masters(Problem& pr) {
  pr.masters.assign(pr.skills, 0);
  for (int p = 0; p < pr.students(); ++p)
    for (int k = 0; k < pr.skills; ++k)
      if (pr.level[p][k] == SkillLevel::Mastered) ++pr.masters[k];
  pr.skill_has_master.assign(pr.skills, false);
  for (int k = 0; k < pr.skills; ++k) pr.skill_has_master[k] = pr.masters[k] > 0;
}

// anchor_possible[p][focus + 2]: does the class have a stronger home-language peer for p at
// all? Where it has none, a group cannot be blamed for lacking one.
void find_possible_anchors(Problem& pr, const GroupingInput& input) {
  const int n = pr.students();
  pr.anchor_possible.assign(n, std::vector<bool>(pr.skills + 2, false));
  if (!input.constraints.anchor_home_language) return;
  for (int p = 0; p < n; ++p) {
    if (!pr.el[p] || pr.langs[p].empty()) continue;
    for (int f = kFocusNone; f < pr.skills; ++f) {
      if (f == kFocusNone && pr.mode == GroupMode::Needs) continue;
      if (f != kFocusNone && pr.mode == GroupMode::Mixed) continue;
      for (int q = 0; q < n && !pr.anchor_possible[p][f + 2]; ++q)
        if (is_anchor_for(pr, p, q, f)) pr.anchor_possible[p][f + 2] = true;
    }
  }
}

}  // namespace

Problem prepare_problem(const GroupingInput& input) {
  Problem pr;
  pr.in = &input;
  pr.mode = input.mode;
  pr.min_size = input.constraints.min_size;
  pr.max_size = input.constraints.max_size;
  pr.skills = static_cast<int>(input.skills.size());
  const StudentIndex idx = check_students(pr, input);
  read_standings(pr);
  read_tags(pr);
  build_units(pr, input, idx);
  build_apart(pr, input, idx);
  read_history(pr, input, idx);
  count_masters(pr);
  find_possible_anchors(pr, input);  // reads tags and standings
  return pr;
}

}  // namespace cardpoll::groups_detail
