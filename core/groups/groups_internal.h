// Internals shared by core/groups*.cpp: the prepared problem, the search state, the
// objective and the seeded random numbers. Not for use outside the grouping code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/groups/groups.h"

namespace cardpoll::groups_detail {

// The objective's weights (docs/groups.md explains each). Hard terms are large so the search
// never trades one for a soft gain; what stays violated is reported as unsatisfied.
inline constexpr double kWeightSize = 1000;      // per student above max / below min
inline constexpr double kWeightApart = 1000;     // per keep-apart pair sharing a group
inline constexpr double kWeightTogether = 1000;  // per extra group a keep-together list spans
inline constexpr double kWeightAnchor = 1000;    // per el student without a stronger peer
inline constexpr double kWeightFocus = 5000;     // needs: per member without the focus gap
inline constexpr double kWeightSimilar = 4;      // needs: spread of focus estimates (squared)
inline constexpr double kWeightPriority = 30;    // needs: member "not yet" on some skill but only
                                                 // "approaching" the group's focus
inline constexpr double kWeightCover = 10;       // mixed: per skill nobody in the group mastered
inline constexpr double kWeightBalance = 40;     // mixed: size x (group mean - class mean)^2
inline constexpr double kWeightRepeatLast = 3;   // mixed: per pair also together last time
inline constexpr double kWeightRepeatOlder = 1;  // mixed: per pair together the time before
inline constexpr double kWeightRoleClash = 1;    // mixed: per pair who held the same role last time

inline constexpr int kFocusExtension = -1;  // needs group for students with no gap
inline constexpr int kFocusNone = -2;       // mixed group

// xoshiro256** seeded by splitmix64: the same numbers on every compiler and library, which
// <random>'s distributions do not promise.
struct Rng {
  uint64_t s[4];
  explicit Rng(uint64_t seed);
  uint64_t next();
  size_t below(size_t n);  // uniform in [0, n), n > 0
  double unit();           // uniform in [0, 1)
};

struct Problem {
  const GroupingInput* in = nullptr;
  GroupMode mode = GroupMode::Needs;
  int min_size = 0, max_size = 0;
  int skills = 0;
  std::vector<int> present;                    // indices into in->students, by card
  std::vector<double> overall;                 // [p] mean estimate over known skills
  std::vector<std::vector<SkillLevel>> level;  // [p][skill]
  std::vector<std::vector<double>> est;        // [p][skill]; Unknown -> overall[p]
  std::vector<bool> has_gap;                   // [p] not_yet/approaching on some skill
  std::vector<bool> has_not_yet;               // [p] not_yet on some skill
  std::vector<std::vector<int>> apart;         // [p] partners to keep apart
  std::vector<std::vector<std::pair<int, double>>> history;  // [p] (partner, repeat weight)
  std::vector<int> last_role;                  // [p] role index held last time; -1 none
  std::vector<std::vector<std::string>> langs; // [p] "es" for tag lang:es
  std::vector<bool> el;                        // [p] tagged el
  std::vector<std::vector<int>> units;         // keep-together units of present students
  std::vector<int> unit_of;                    // [p]
  std::vector<std::vector<int>> together;      // keep-together lists (present students)
  std::vector<bool> skill_has_master;          // [skill] someone present mastered it
  std::vector<int> masters;                    // [skill] how many present mastered it
  std::vector<std::vector<bool>> anchor_possible;  // [p][focus + 2] a stronger peer exists
  double class_mean = 0;
  std::vector<std::string> notes;              // unsatisfiable found while preparing

  int students() const { return static_cast<int>(present.size()); }
  const GroupingStudent& student(int p) const { return in->students[present[p]]; }
  bool fits(int p, int focus) const;           // p belongs in a group with this focus
  double focus_estimate(int p, int focus) const;
};

struct State {
  std::vector<std::vector<int>> units;  // [group] units in it
  std::vector<int> group_of_unit;
  std::vector<int> focus;               // [group] skill index, kFocusExtension, kFocusNone
};

// The input checked and turned into indices the search works on (groups_problem.cpp).
Problem prepare_problem(const GroupingInput& input);
bool is_in(const std::vector<int>& v, int x);
// A stronger home-language peer q for p in a group with this focus.
bool is_anchor_for(const Problem& pr, int p, int q, int focus);
// Members (present indices) of group g.
void group_members(const Problem& pr, const State& st, int g, std::vector<int>& out);
// The objective of one group; adds its parts to `parts` when given.
double group_cost(const Problem& pr, const std::vector<int>& members, int focus,
                  GroupingScore* parts = nullptr);
// Improves `st` by simulated annealing over unit moves and swaps.
void anneal(const Problem& pr, State& st, Rng& rng, int iterations);

// Initial arrangements, one per mode.
State initial_needs(Problem& pr);  // may add notes
State initial_mixed(Problem& pr);

// Output: names, roles, reasons, unsatisfied.
std::string join_names(const std::vector<std::string>& names, const std::string& last_sep);
std::string count_word(int n);  // "one" .. "twelve", then digits
std::string percent(double share);
void assign_roles(const Problem& pr, const std::vector<int>& members, Rng& rng,
                  std::vector<std::string>& roles);
std::string needs_reason(const Problem& pr, const std::vector<int>& members, int focus,
                         std::vector<std::string>& missed);
std::string mixed_reason(const Problem& pr, const std::vector<int>& members);

}  // namespace cardpoll::groups_detail
