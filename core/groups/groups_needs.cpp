// Needs mode: students grouped around a gap they share, most urgent skill first.
//
// "Urgent" = most students still needing it: #not_yet + 0.5 x #approaching among present
// students; ties go to the lower class mean estimate, then to the skill name. Each
// keep-together unit starts in the group of its most urgent shared "not yet" gap (or, with
// none, its most urgent "approaching" gap); groups too small to stand are dissolved into the
// members' next gaps, or filled from students who share the gap.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/groups/groups_internal.h"

namespace cardpoll::groups_detail {

namespace {

// Q4 < Q10: compare digit runs as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i])),
               db = std::isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      const std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace

State initial_needs(Problem& pr) {
  const int n = pr.students(), skills = pr.skills;
  // Urgency rank of each skill.
  std::vector<double> need(skills, 0), mean(skills, 0);
  for (int k = 0; k < skills; ++k) {
    for (int p = 0; p < n; ++p) {
      if (pr.level[p][k] == SkillLevel::NotYet) need[k] += 1;
      if (pr.level[p][k] == SkillLevel::Approaching) need[k] += 0.5;
      mean[k] += pr.est[p][k];
    }
    if (n) mean[k] /= n;
  }
  std::vector<int> by_urgency(skills);
  for (int k = 0; k < skills; ++k) by_urgency[k] = k;
  std::sort(by_urgency.begin(), by_urgency.end(), [&](int a, int b) {
    if (need[a] != need[b]) return need[a] > need[b];
    if (mean[a] != mean[b]) return mean[a] < mean[b];
    return pr.in->skills[a] < pr.in->skills[b];
  });

  // Candidate foci of each unit, most urgent first; the extension focus when nobody has a gap.
  const int units = static_cast<int>(pr.units.size());
  std::vector<std::vector<int>> candidates(units);
  for (int u = 0; u < units; ++u) {
    const auto& mem = pr.units[u];
    bool any_gap = false;
    for (int p : mem) any_gap = any_gap || pr.has_gap[p];
    if (!any_gap) {
      candidates[u] = {kFocusExtension};
      continue;
    }
    int best = -1, best_fit = 0;
    std::vector<std::pair<int, int>> ranked;  // (-members not yet, urgency rank)
    for (int r = 0; r < skills; ++r) {
      const int k = by_urgency[r];
      int fit = 0, not_yet = 0;
      for (int p : mem) {
        fit += pr.fits(p, k) ? 1 : 0;
        not_yet += pr.level[p][k] == SkillLevel::NotYet ? 1 : 0;
      }
      if (fit == static_cast<int>(mem.size())) ranked.emplace_back(-not_yet, r);
      if (fit > best_fit) best = k, best_fit = fit;
    }
    // A "not yet" gap comes before an "approaching" one: the student needs it more.
    std::sort(ranked.begin(), ranked.end());
    for (auto& [nn, r] : ranked) candidates[u].push_back(by_urgency[r]);
    // Members share no gap (a keep-together unit): the gap most of them have.
    if (candidates[u].empty()) candidates[u] = {best};
  }

  std::map<int, int> count;  // focus -> students
  std::vector<int> chosen(units);
  for (int u = 0; u < units; ++u) {
    chosen[u] = candidates[u][0];
    count[chosen[u]] += static_cast<int>(pr.units[u].size());
  }
  auto move = [&](int u, int f) {
    count[chosen[u]] -= static_cast<int>(pr.units[u].size());
    chosen[u] = f;
    count[f] += static_cast<int>(pr.units[u].size());
  };
  auto rank_of = [&](int f) {
    if (f == kFocusExtension) return skills;
    return static_cast<int>(std::find(by_urgency.begin(), by_urgency.end(), f) - by_urgency.begin());
  };
  for (int round = 0; round < 4 * units + 4; ++round) {
    bool changed = false;
    // Dissolve the least urgent too-small group into its members' other gaps.
    std::vector<int> small;
    for (auto& [f, c] : count)
      if (c > 0 && c < pr.min_size) small.push_back(f);
    std::sort(small.begin(), small.end(), [&](int a, int b) { return rank_of(a) > rank_of(b); });
    for (int f : small) {
      // First try to fill it from students who share the gap, when their group can spare them.
      int available = 0;
      std::vector<int> recruits;
      for (int u = 0; u < units; ++u) {
        if (chosen[u] == f || !std::count(candidates[u].begin(), candidates[u].end(), f)) continue;
        if (count[chosen[u]] - static_cast<int>(pr.units[u].size()) < pr.min_size) continue;
        recruits.push_back(u);
        available += static_cast<int>(pr.units[u].size());
      }
      if (count[f] + available >= pr.min_size) {
        for (int u : recruits) {
          if (count[f] >= pr.min_size) break;
          if (count[chosen[u]] - static_cast<int>(pr.units[u].size()) < pr.min_size) continue;
          if (count[f] + static_cast<int>(pr.units[u].size()) > pr.max_size) continue;
          move(u, f);
          changed = true;
        }
        if (count[f] >= pr.min_size) break;
      }
      for (int u = 0; u < units; ++u) {
        if (chosen[u] != f) continue;
        for (int f2 : candidates[u])
          if (f2 != f && count[f2] >= pr.min_size) {
            move(u, f2);
            changed = true;
            break;
          }
      }
      if (changed) break;
    }
    if (!changed) break;
  }

  // Split each focus into groups as even as possible, the neediest together.
  State st;
  st.group_of_unit.assign(units, -1);
  std::vector<int> foci;
  for (auto& [f, c] : count)
    if (c > 0) foci.push_back(f);
  std::sort(foci.begin(), foci.end(), [&](int a, int b) { return rank_of(a) < rank_of(b); });
  for (int f : foci) {
    std::vector<int> us;
    for (int u = 0; u < units; ++u)
      if (chosen[u] == f) us.push_back(u);
    auto strength = [&](int u) {
      double s = 0;
      for (int p : pr.units[u]) s += pr.focus_estimate(p, f);
      return s / static_cast<double>(pr.units[u].size());
    };
    std::stable_sort(us.begin(), us.end(), [&](int a, int b) {
      return f == kFocusExtension ? strength(a) > strength(b) : strength(a) < strength(b);
    });
    const int c = count[f];
    const int g = std::max(1, (c + pr.max_size - 1) / pr.max_size);
    const int first = static_cast<int>(st.units.size());
    for (int i = 0; i < g; ++i) {
      st.units.emplace_back();
      st.focus.push_back(f);
    }
    int current = 0, size = 0;
    for (int u : us) {
      const int target = c / g + (current < c % g ? 1 : 0);
      if (size > 0 && size + static_cast<int>(pr.units[u].size()) > target && current + 1 < g) {
        ++current;
        size = 0;
      }
      st.units[first + current].push_back(u);
      st.group_of_unit[u] = first + current;
      size += static_cast<int>(pr.units[u].size());
    }
  }
  return st;
}

std::string needs_reason(const Problem& pr, const std::vector<int>& members, int focus,
                         std::vector<std::string>& missed) {
  missed.clear();
  std::vector<int> fit, off;
  for (int p : members) (pr.fits(p, focus) ? fit : off).push_back(p);
  const int n = static_cast<int>(fit.size());
  std::string out;
  const std::string subject = n == 1 ? pr.student(fit.empty() ? members[0] : fit[0]).name
                              : n == 2 ? "Both" : "All " + count_word(n);
  if (focus == kFocusExtension) {
    out = n == 0 ? "Extension group"
                 : subject + " mastered every skill in scope: ready for an extension task";
  } else if (n > 0) {
    const std::string& skill = pr.in->skills[focus];
    std::map<std::string, int> times;
    for (int p : fit) {
      std::set<std::string> mine(pr.student(p).skills[focus].missed.begin(),
                                 pr.student(p).skills[focus].missed.end());
      for (const auto& q : mine) ++times[q];
    }
    std::vector<std::string> common;
    std::string most;
    int most_times = 0;
    for (auto& [q, t] : times) {
      missed.push_back(q);
      if (t == n) common.push_back(q);
      if (t > most_times || (t == most_times && natural_less(q, most))) most = q, most_times = t;
    }
    std::sort(missed.begin(), missed.end(), natural_less);
    std::sort(common.begin(), common.end(), natural_less);
    if (!common.empty())
      out = subject + " missed " + join_names(common, " and ") + ": " + skill;
    else if (most_times > 0)
      out = subject + " have not yet mastered " + skill + "; " + most + " was missed by " +
            count_word(most_times) + " of them";
    else
      out = subject + (n == 1 ? " has" : " have") + " not yet mastered " + skill;
  } else {
    out = "Nobody here needs " + pr.in->skills[focus];
  }
  if (!off.empty()) {
    std::vector<std::string> names;
    for (int p : off) names.push_back(pr.student(p).name);
    out += " (" + join_names(names, " and ") + (off.size() == 1 ? " joins" : " join") +
           ": no group fits their needs better)";
  }
  return out + ".";
}

}  // namespace cardpoll::groups_detail
