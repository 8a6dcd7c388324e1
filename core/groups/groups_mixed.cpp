// Mixed mode: groups for group-worthy tasks. The start is a snake draft by overall strength
// (units of keep-together students first, as they are the hardest to place); the search then
// trades coverage of every skill, balanced means and new partners (core/groups/groups.cpp). Roles
// rotate: whoever facilitated or held a role recently is the last choice for it now.
#include <algorithm>
#include <map>
#include <numeric>

#include "core/groups/groups_internal.h"

namespace cardpoll::groups_detail {

State initial_mixed(Problem& pr) {
  const int n = pr.students();
  const int units = static_cast<int>(pr.units.size());
  State st;
  st.group_of_unit.assign(units, -1);
  if (n == 0) return st;
  const int k = (n + pr.max_size - 1) / pr.max_size;
  st.units.assign(k, {});
  st.focus.assign(k, kFocusNone);
  std::vector<int> order(units), size(k, 0);
  std::iota(order.begin(), order.end(), 0);
  auto strength = [&](int u) {
    double s = 0;
    for (int p : pr.units[u]) s += pr.overall[p];
    return s / static_cast<double>(pr.units[u].size());
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    if (pr.units[a].size() != pr.units[b].size()) return pr.units[a].size() > pr.units[b].size();
    return strength(a) > strength(b);
  });
  for (int i = 0; i < units; ++i) {
    const int u = order[i];
    const int us = static_cast<int>(pr.units[u].size());
    const int round = i / k, pos = i % k;
    const int start = round % 2 == 0 ? pos : k - 1 - pos;
    int g = -1;
    for (int j = 0; j < k && g < 0; ++j) {
      const int c = (start + j) % k;
      if (size[c] + us <= pr.max_size) g = c;
    }
    if (g < 0) g = static_cast<int>(std::min_element(size.begin(), size.end()) - size.begin());
    st.units[g].push_back(u);
    st.group_of_unit[u] = g;
    size[g] += us;
  }
  return st;
}

void assign_roles(const Problem& pr, const std::vector<int>& members, Rng& rng,
                  std::vector<std::string>& roles) {
  const int n = static_cast<int>(members.size());
  const std::vector<std::string> names = roles_for_size(n);
  // Each member's past roles, newest first.
  std::vector<std::vector<std::string>> past(n);
  for (int i = 0; i < n; ++i) {
    const Id id = pr.student(members[i]).id;
    for (const auto& h : pr.in->history)
      for (const auto& g : h.groups)
        for (const auto& m : g.members)
          if (m.student == id && !m.role.empty()) past[i].push_back(m.role);
  }
  // Cost of giving role r to member i: holding it last time weighs most, then every earlier
  // time; leading (facilitator) counts double so leadership spreads through the class.
  auto cost = [&](int i, const std::string& r) {
    if (r == "member") return 0.0;
    double c = 0;
    for (size_t t = 0; t < past[i].size(); ++t)
      if (past[i][t] == r) c += (t == 0 ? 20.0 : 1.0) * (r == kRoleFacilitator ? 2.0 : 1.0);
    return c;
  };
  // Seeded order breaks ties, so equal histories do not always favour the lowest card.
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  for (int i = n - 1; i > 0; --i) std::swap(idx[i], idx[rng.below(static_cast<size_t>(i) + 1)]);
  std::vector<int> best = idx;
  if (n <= 7) {
    double best_cost = 1e18;
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    do {
      double c = 0;
      for (int j = 0; j < n; ++j) c += cost(idx[perm[j]], names[j]);
      if (c < best_cost) {
        best_cost = c;
        for (int j = 0; j < n; ++j) best[j] = idx[perm[j]];
      }
    } while (std::next_permutation(perm.begin(), perm.end()));
  } else {
    std::vector<bool> used(n, false);
    for (int j = 0; j < n; ++j) {
      int pick = -1;
      for (int i : idx)
        if (!used[i] && (pick < 0 || cost(i, names[j]) < cost(pick, names[j]))) pick = i;
      used[pick] = true;
      best[j] = pick;
    }
  }
  roles.assign(n, "");
  for (int j = 0; j < n; ++j) roles[best[j]] = names[j];
}

std::string mixed_reason(const Problem& pr, const std::vector<int>& members) {
  int in_class = 0, covered = 0;
  std::vector<std::string> missing;
  for (int k = 0; k < pr.skills; ++k) {
    if (!pr.skill_has_master[k]) continue;
    ++in_class;
    bool here = false;
    for (int p : members)
      if (pr.level[p][k] == SkillLevel::Mastered) here = true;
    if (here)
      ++covered;
    else
      missing.push_back(pr.in->skills[k] + " (" + count_word(pr.masters[k]) +
                        (pr.masters[k] == 1 ? " master" : " masters") + " in the class)");
  }
  double mean = 0;
  for (int p : members) mean += pr.overall[p];
  if (!members.empty()) mean /= static_cast<double>(members.size());
  const std::string means =
      "group mean " + percent(mean) + ", class mean " + percent(pr.class_mean);
  if (in_class == 0) return "Nobody present has mastered a skill in scope yet; " + means + ".";
  const std::string all = in_class == pr.skills ? "the " + count_word(in_class) + " skills"
                                                : "the " + count_word(in_class) + " skills anyone has mastered";
  if (covered == in_class)
    return "Someone here has mastered each of " + all + "; " + means + ".";
  return "Someone here has mastered " + count_word(covered) + " of " + all + ", not " +
         join_names(missing, " or ") + "; " + means + ".";
}

}  // namespace cardpoll::groups_detail
