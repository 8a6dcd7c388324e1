// Grouping engine: scores groups, searches, and writes the result with its reasons (the
// problem is prepared in groups_problem.cpp). Mode-specific starts and wording live in groups_needs.cpp and
// groups_mixed.cpp; the constraints file parser in groups_constraints.cpp.
#include "core/groups/groups.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "core/groups/groups_internal.h"

namespace cardpoll {

std::string_view skill_level_name(SkillLevel level) {
  switch (level) {
    case SkillLevel::NotYet: return "not_yet";
    case SkillLevel::Approaching: return "approaching";
    case SkillLevel::Mastered: return "mastered";
    case SkillLevel::Unknown: break;
  }
  return "unknown";
}

std::string_view group_mode_name(GroupMode mode) {
  switch (mode) {
    case GroupMode::Needs: return "needs";
    case GroupMode::Mixed: return "mixed";
    case GroupMode::Misconception: return "misconception";
    case GroupMode::Discuss: return "discuss";
  }
  return "needs";
}

std::optional<GroupMode> group_mode_from_name(std::string_view name) {
  if (name == "needs") return GroupMode::Needs;
  if (name == "mixed") return GroupMode::Mixed;
  if (name == "misconception") return GroupMode::Misconception;
  if (name == "discuss") return GroupMode::Discuss;
  return std::nullopt;
}

std::vector<std::string> roles_for_size(int size) {
  // Four roles is the classic complex-instruction set; a fifth member splits the combined
  // skeptic/timekeeper role, larger groups add plain members (the roles stay meaningful).
  std::vector<std::string> r = {"facilitator", "recorder", "reporter"};
  if (size == 4) r.push_back("skeptic/timekeeper");
  if (size >= 5) {
    r.push_back("skeptic");
    r.push_back("timekeeper");
  }
  r.resize(static_cast<size_t>(std::max(size, 0)), "member");
  return r;
}

namespace groups_detail {

Rng::Rng(uint64_t seed) {
  uint64_t x = seed;
  for (auto& v : s) {  // splitmix64
    x += 0x9e3779b97f4a7c15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    v = z ^ (z >> 31);
  }
}

uint64_t Rng::next() {
  auto rotl = [](uint64_t v, int k) { return (v << k) | (v >> (64 - k)); };
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

size_t Rng::below(size_t n) {
  // Rejection sampling: no modulo bias, identical everywhere.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t v;
  do v = next();
  while (v >= limit);
  return static_cast<size_t>(v % n);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

bool Problem::fits(int p, int focus) const {
  if (focus >= 0)
    return level[p][focus] == SkillLevel::NotYet || level[p][focus] == SkillLevel::Approaching;
  if (focus == kFocusExtension) return !has_gap[p];
  return true;
}

double Problem::focus_estimate(int p, int focus) const {
  return focus >= 0 ? est[p][focus] : overall[p];
}

bool is_in(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool share_language(const Problem& pr, int a, int b) {
  for (const auto& l : pr.langs[a])
    if (std::find(pr.langs[b].begin(), pr.langs[b].end(), l) != pr.langs[b].end()) return true;
  return false;
}

// A stronger home-language peer for p in a group with this focus: same language, belongs in
// the group, and a higher estimate on what the group is about.
bool is_anchor_for(const Problem& pr, int p, int q, int focus) {
  return q != p && share_language(pr, p, q) && pr.fits(q, focus) &&
         pr.focus_estimate(q, focus) > pr.focus_estimate(p, focus);
}

void group_members(const Problem& pr, const State& st, int g, std::vector<int>& out) {
  out.clear();
  for (int u : st.units[g])
    for (int p : pr.units[u]) out.push_back(p);
}

double group_cost(const Problem& pr, const std::vector<int>& members, int focus,
                  GroupingScore* parts) {
  const int n = static_cast<int>(members.size());
  if (n == 0) return 0;
  GroupingScore s;
  if (n > pr.max_size) s.size = kWeightSize * (n - pr.max_size);
  if (n < pr.min_size) s.size = kWeightSize * (pr.min_size - n);
  for (int a : members)
    for (int b : pr.apart[a])
      if (b > a && is_in(members, b)) s.apart += kWeightApart;
  for (int a : members) {
    if (!pr.anchor_possible[a][focus + 2]) continue;
    bool ok = false;
    for (int b : members)
      if (is_anchor_for(pr, a, b, focus)) ok = true;
    if (!ok) s.anchor += kWeightAnchor;
  }
  if (focus != kFocusNone) {
    double mean = 0;
    for (int a : members) {
      if (!pr.fits(a, focus)) s.focus += kWeightFocus;
      else if (focus >= 0 && pr.has_not_yet[a] && pr.level[a][focus] != SkillLevel::NotYet)
        s.priority += kWeightPriority;
      mean += pr.focus_estimate(a, focus);
    }
    mean /= n;
    for (int a : members) {
      const double d = pr.focus_estimate(a, focus) - mean;
      s.similarity += kWeightSimilar * d * d;
    }
  } else {
    for (int k = 0; k < pr.skills; ++k) {
      if (!pr.skill_has_master[k]) continue;
      bool covered = false;
      for (int a : members)
        if (pr.level[a][k] == SkillLevel::Mastered) covered = true;
      if (!covered) s.coverage += kWeightCover;
    }
    double mean = 0;
    for (int a : members) mean += pr.overall[a];
    mean /= n;
    s.balance = kWeightBalance * n * (mean - pr.class_mean) * (mean - pr.class_mean);
    for (int a : members)
      for (const auto& [b, w] : pr.history[a])
        if (b > a && is_in(members, b)) s.repeat_pairs += w;
    for (size_t i = 0; i < members.size(); ++i)
      for (size_t j = i + 1; j < members.size(); ++j)
        if (pr.last_role[members[i]] >= 0 && pr.last_role[members[i]] == pr.last_role[members[j]])
          s.role_clash += kWeightRoleClash;
  }
  if (parts) {
    parts->size += s.size;
    parts->apart += s.apart;
    parts->anchor += s.anchor;
    parts->focus += s.focus;
    parts->similarity += s.similarity;
    parts->priority += s.priority;
    parts->coverage += s.coverage;
    parts->balance += s.balance;
    parts->repeat_pairs += s.repeat_pairs;
    parts->role_clash += s.role_clash;
  }
  return s.total();
}

void anneal(const Problem& pr, State& st, Rng& rng, int iterations) {
  const int groups = static_cast<int>(st.units.size());
  const int units = static_cast<int>(pr.units.size());
  if (groups < 2 || units < 2) return;
  std::vector<int> members;
  std::vector<double> cost(groups);
  double total = 0;
  for (int g = 0; g < groups; ++g) {
    group_members(pr, st, g, members);
    cost[g] = group_cost(pr, members, st.focus[g]);
    total += cost[g];
  }
  State best = st;
  double best_total = total;
  auto eval = [&](int g) {
    group_members(pr, st, g, members);
    return group_cost(pr, members, st.focus[g]);
  };
  auto remove_unit = [&](int g, int u) {
    auto& v = st.units[g];
    v.erase(std::find(v.begin(), v.end(), u));
  };
  // Temperature falls geometrically from t0 to t1: early on the search may accept small
  // losses to leave local minima; hard terms (1000) are never worth it at these temperatures.
  const double t0 = 4.0, t1 = 0.01;
  const double cool = std::pow(t1 / t0, 1.0 / std::max(1, iterations));
  double t = t0;
  for (int it = 0; it < iterations; ++it, t *= cool) {
    const int u = static_cast<int>(rng.below(units));
    const int a = st.group_of_unit[u];
    int b = static_cast<int>(rng.below(groups - 1));
    if (b >= a) ++b;
    const bool swap = !st.units[b].empty() && rng.below(2) == 0;
    int v = -1;
    remove_unit(a, u);
    st.units[b].push_back(u);
    st.group_of_unit[u] = b;
    if (swap) {
      v = st.units[b][rng.below(st.units[b].size() - 1)];  // not u, which is last
      remove_unit(b, v);
      st.units[a].push_back(v);
      st.group_of_unit[v] = a;
    }
    const double ca = eval(a), cb = eval(b);
    const double delta = ca + cb - cost[a] - cost[b];
    if (delta <= 0 || rng.unit() < std::exp(-delta / t)) {
      cost[a] = ca;
      cost[b] = cb;
      total += delta;
      if (total < best_total - 1e-9) {
        best_total = total;
        best = st;
      }
      continue;
    }
    // Undo.
    if (v >= 0) {
      remove_unit(a, v);
      st.units[b].push_back(v);
      st.group_of_unit[v] = b;
    }
    remove_unit(b, u);
    st.units[a].push_back(u);
    st.group_of_unit[u] = a;
  }
  st = std::move(best);
}

std::string join_names(const std::vector<std::string>& names, const std::string& last_sep) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += (last_sep == "+" ? "+" : (i + 1 == names.size() ? last_sep : ", "));
    out += names[i];
  }
  return out;
}

std::string count_word(int n) {
  static const char* words[] = {"no",    "one",   "two",    "three", "four",
                                "five",  "six",   "seven",  "eight", "nine",
                                "ten",   "eleven", "twelve"};
  return n >= 0 && n <= 12 ? words[n] : std::to_string(n);
}

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

}  // namespace groups_detail

using namespace groups_detail;

namespace {

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// What the final arrangement still violates, each with the most specific reason we can give.
void report_unsatisfied(const Problem& pr, const State& st, const std::vector<std::string>& names,
                        std::vector<std::string>& out) {
  std::vector<int> members;
  int non_empty = 0;
  for (const auto& u : st.units)
    if (!u.empty()) ++non_empty;
  const int n = pr.students();
  for (size_t g = 0; g < st.units.size(); ++g) {
    group_members(pr, st, static_cast<int>(g), members);
    const int size = static_cast<int>(members.size());
    if (size == 0) continue;
    const int focus = st.focus[g];
    if (size < pr.min_size || size > pr.max_size) {
      std::string why;
      if (n < pr.min_size)
        why = "only " + count_word(n) + " students are present";
      else if (focus >= 0) {
        int need = 0;
        for (int p = 0; p < n; ++p)
          if (pr.fits(p, focus)) ++need;
        why = need < pr.min_size ? "only " + count_word(need) + " present students still need " +
                                       pr.in->skills[focus]
                                 : "the " + std::to_string(need) + " present students who need " +
                                       pr.in->skills[focus] + " (some also need other skills) do not split into groups of " +
                                       std::to_string(pr.min_size) + " to " + std::to_string(pr.max_size);
      } else if (focus == kFocusExtension) {
        int all = 0;
        for (int p = 0; p < n; ++p)
          if (!pr.has_gap[p]) ++all;
        why = all < pr.min_size ? "only " + count_word(all) + " present students mastered every skill in scope"
                                : "no split of the students with no gap fits the size limits";
      } else {
        why = std::to_string(n) + " present students cannot be split into groups of " +
              std::to_string(pr.min_size) + " to " + std::to_string(pr.max_size);
      }
      out.push_back(names[g] + " has " + count_word(size) + (size == 1 ? " student, " : " students, ") +
                    (size < pr.min_size ? "below the minimum of " + std::to_string(pr.min_size)
                                        : "above the maximum of " + std::to_string(pr.max_size)) +
                    ": " + why);
    }
    for (int a : members)
      for (int b : pr.apart[a]) {
        if (b < a || !is_in(members, b)) continue;
        std::string why = "no arrangement found that also honours the size limits and the other constraints";
        if (focus >= 0 && pr.mode == GroupMode::Needs) {
          int groups_with_focus = 0;
          for (size_t h = 0; h < st.units.size(); ++h)
            if (st.focus[h] == focus && !st.units[h].empty()) ++groups_with_focus;
          if (groups_with_focus == 1) why = "both need " + pr.in->skills[focus] + " and there is one group for it";
        }
        if (non_empty == 1) why = "there is only one group";
        out.push_back("keep-apart " + pr.student(a).name + ", " + pr.student(b).name + ": both in " +
                      names[g] + " (" + why + ")");
      }
    for (int a : members) {
      if (!pr.anchor_possible[a][focus + 2]) continue;
      bool ok = false;
      for (int b : members)
        if (is_anchor_for(pr, a, b, focus)) ok = true;
      if (ok) continue;
      std::vector<std::string> peers;
      for (int q = 0; q < n; ++q)
        if (is_anchor_for(pr, a, q, focus)) peers.push_back(pr.student(q).name);
      const std::string lang = "lang:" + pr.langs[a][0];
      out.push_back("home language: " + pr.student(a).name + " (el, " + lang + ") has no stronger " +
                    lang + " peer in " + names[g] + " (the " +
                    (peers.size() == 1 ? "only one, " : "ones, ") + join_names(peers, " and ") +
                    (peers.size() == 1 ? ", is" : ", are") +
                    " placed elsewhere to honour the size limits, keep-apart lists or other anchors)");
    }
    if (focus == kFocusNone) continue;
    for (int a : members) {
      if (pr.fits(a, focus)) continue;
      std::string what = focus >= 0 ? "does not need " + pr.in->skills[focus]
                                    : "still has a gap, unlike the rest of the extension group";
      std::string why;
      if (pr.units[pr.unit_of[a]].size() > 1)
        why = "kept together with " +
              [&] {
                std::vector<std::string> v;
                for (int q : pr.units[pr.unit_of[a]])
                  if (q != a) v.push_back(pr.student(q).name);
                return join_names(v, " and ");
              }();
      else if (!pr.has_gap[a])
        why = "too few students mastered everything to form an extension group";
      else
        why = "no gap of theirs is shared by enough present students to form a group of " +
              std::to_string(pr.min_size);
      out.push_back(pr.student(a).name + " is in " + names[g] + " but " + what + ": " + why);
    }
  }
}

}  // namespace

Grouping suggest_groups(const GroupingInput& input) {
  if (input.mode != GroupMode::Needs && input.mode != GroupMode::Mixed)
    throw GroupingError(std::string(group_mode_name(input.mode)) +
                        " groups come from the answers themselves (suggest_choice_groups)");
  Problem pr = prepare_problem(input);
  Rng rng(input.seed);
  State st = input.mode == GroupMode::Needs ? initial_needs(pr) : initial_mixed(pr);
  int iterations = input.iterations;
  if (iterations <= 0)
    iterations = std::clamp(static_cast<int>(pr.units.size()) * 1000, 20000, 200000);
  anneal(pr, st, rng, iterations);

  Grouping out;
  out.mode = input.mode;
  out.seed = input.seed;
  out.min_size = pr.min_size;
  out.max_size = pr.max_size;
  for (const auto& s : input.students)
    if (!s.present) out.absent.push_back(s.name);

  // Drop empty groups; name the rest in order (needs: by urgency, extension last).
  std::vector<int> order;
  for (size_t g = 0; g < st.units.size(); ++g)
    if (!st.units[g].empty()) order.push_back(static_cast<int>(g));
  State kept;
  kept.group_of_unit = st.group_of_unit;
  std::vector<std::string> names;
  int regular = 0, extension = 0;
  for (int g : order) {
    kept.units.push_back(st.units[g]);
    kept.focus.push_back(st.focus[g]);
    names.push_back(st.focus[g] == kFocusExtension ? "Extension " + std::to_string(++extension)
                                                   : "Group " + std::to_string(++regular));
  }
  std::vector<int> members;
  for (size_t g = 0; g < kept.units.size(); ++g) {
    group_members(pr, kept, static_cast<int>(g), members);
    std::sort(members.begin(), members.end(), [&](int a, int b) {
      return std::pair(pr.student(a).card, pr.student(a).id) < std::pair(pr.student(b).card, pr.student(b).id);
    });
    Group grp;
    grp.name = names[g];
    const int focus = kept.focus[g];
    grp.focus = focus >= 0 ? input.skills[focus] : focus == kFocusExtension ? "extension" : "";
    std::vector<std::string> roles(members.size());
    if (input.mode == GroupMode::Mixed) {
      assign_roles(pr, members, rng, roles);
      grp.reason = mixed_reason(pr, members);
    } else {
      grp.reason = needs_reason(pr, members, focus, grp.missed);
    }
    for (size_t i = 0; i < members.size(); ++i) {
      const auto& s = pr.student(members[i]);
      grp.members.push_back({s.id, s.name, s.card, roles[i]});
    }
    out.groups.push_back(std::move(grp));
  }
  out.unsatisfied = pr.notes;
  report_unsatisfied(pr, kept, names, out.unsatisfied);
  if (pr.students() == 0) out.unsatisfied.push_back("no student is present, so there are no groups");
  for (auto& u : out.unsatisfied) u = capitalised(u);
  return out;
}

GroupingScore score_grouping(const GroupingInput& input, const Grouping& grouping) {
  Problem pr = prepare_problem(input);
  std::unordered_map<Id, int> p_of_id;
  for (int p = 0; p < pr.students(); ++p) p_of_id[pr.student(p).id] = p;
  GroupingScore score;
  std::vector<int> group_of(pr.students(), -1);
  for (size_t g = 0; g < grouping.groups.size(); ++g) {
    const auto& grp = grouping.groups[g];
    int focus = input.mode == GroupMode::Mixed ? kFocusNone : kFocusExtension;
    if (input.mode == GroupMode::Needs && grp.focus != "extension") {
      auto it = std::find(input.skills.begin(), input.skills.end(), grp.focus);
      if (it == input.skills.end()) throw GroupingError(grp.name + ": focus '" + grp.focus + "' is not a skill in scope");
      focus = static_cast<int>(it - input.skills.begin());
    }
    std::vector<int> members;
    for (const auto& m : grp.members) {
      auto it = p_of_id.find(m.student);
      if (it == p_of_id.end()) continue;
      members.push_back(it->second);
      group_of[it->second] = static_cast<int>(g);
    }
    group_cost(pr, members, focus, &score);
  }
  for (const auto& list : pr.together) {
    std::set<int> spanned;
    for (int p : list) spanned.insert(group_of[p]);
    score.together += kWeightTogether * (static_cast<double>(spanned.size()) - 1);
  }
  return score;
}

Grouping snake_draft_groups(const GroupingInput& input) {
  Problem pr = prepare_problem(input);
  const int n = pr.students();
  Grouping out;
  out.mode = GroupMode::Mixed;
  if (n == 0) return out;
  const int k = (n + pr.max_size - 1) / pr.max_size;
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return pr.overall[a] > pr.overall[b]; });
  out.groups.resize(k);
  for (int i = 0; i < n; ++i) {
    const int round = i / k, pos = i % k;
    const int g = round % 2 == 0 ? pos : k - 1 - pos;
    const auto& s = pr.student(order[i]);
    out.groups[g].members.push_back({s.id, s.name, s.card, ""});
  }
  for (int g = 0; g < k; ++g) out.groups[g].name = "Group " + std::to_string(g + 1);
  return out;
}

double share_covering_all_skills(const GroupingInput& input, const Grouping& grouping) {
  if (grouping.groups.empty()) return 0;
  Problem pr = prepare_problem(input);
  std::unordered_map<Id, int> p_of_id;
  for (int p = 0; p < pr.students(); ++p) p_of_id[pr.student(p).id] = p;
  int covering = 0;
  for (const auto& grp : grouping.groups) {
    bool all = true;
    for (int k = 0; k < pr.skills && all; ++k) {
      if (!pr.skill_has_master[k]) continue;
      bool covered = false;
      for (const auto& m : grp.members) {
        auto it = p_of_id.find(m.student);
        if (it != p_of_id.end() && pr.level[it->second][k] == SkillLevel::Mastered) covered = true;
      }
      all = covered;
    }
    if (all) ++covering;
  }
  return static_cast<double>(covering) / static_cast<double>(grouping.groups.size());
}

}  // namespace cardpoll
