// Grouping properties over many generated classes, plus the specific behaviours a teacher
// relies on: reasons, unsatisfiable reports, role rotation, partner rotation, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/groups/groups.h"
#include "core/groups/groups_internal.h"

namespace cardpoll {
namespace {

using groups_detail::Rng;

bool mentions(const Grouping& g, const std::string& text) {
  for (const auto& u : g.unsatisfied)
    if (u.find(text) != std::string::npos) return true;
  return false;
}

bool has_gap(const SkillStanding& s) {
  return s.level == SkillLevel::NotYet || s.level == SkillLevel::Approaching;
}

// The overall estimate the engine uses: mean over known skills (class mean of those when none).
std::map<Id, double> overall_of(const GroupingInput& in) {
  std::map<Id, double> out;
  double sum = 0;
  int cnt = 0;
  for (const auto& s : in.students) {
    if (!s.present) continue;
    double t = 0;
    int c = 0;
    for (const auto& k : s.skills)
      if (k.level != SkillLevel::Unknown) t += k.estimate, ++c;
    if (c) {
      out[s.id] = t / c;
      sum += t / c;
      ++cnt;
    }
  }
  for (const auto& s : in.students)
    if (s.present && !out.count(s.id)) out[s.id] = cnt ? sum / cnt : 0.5;
  return out;
}

GroupingInput random_class(uint64_t seed, GroupMode mode) {
  Rng r(seed * 7919 + 13);
  GroupingInput in;
  in.mode = mode;
  in.seed = seed;
  const int n = 3 + static_cast<int>(r.below(38));
  const int skills = 1 + static_cast<int>(r.below(8));
  for (int k = 0; k < skills; ++k) in.skills.push_back("skill." + std::to_string(k + 1));
  const char* langs[] = {"es", "vi", "ar"};
  for (int i = 0; i < n; ++i) {
    GroupingStudent s;
    s.id = 100 + i;
    s.card = i + 1;
    s.name = "S" + std::to_string(i + 1);
    s.present = r.below(10) != 0;
    if (r.below(4) == 0) {
      s.tags.push_back("lang:" + std::string(langs[r.below(3)]));
      if (r.below(2) == 0) s.tags.push_back("el");
    }
    const double ability = r.unit();
    for (int k = 0; k < skills; ++k) {
      SkillStanding st;
      if (r.below(12) == 0) {
        s.skills.push_back(st);  // unknown
        continue;
      }
      st.estimate = std::clamp(ability + (r.unit() - 0.5) * 0.6, 0.0, 1.0);
      st.level = st.estimate >= 0.75   ? SkillLevel::Mastered
                 : st.estimate >= 0.5 ? SkillLevel::Approaching
                                      : SkillLevel::NotYet;
      if (st.level != SkillLevel::Mastered)
        for (int q = 1; q <= 6; ++q)
          if (r.below(3) == 0) st.missed.push_back("Q" + std::to_string(k * 6 + q));
      s.skills.push_back(st);
    }
    in.students.push_back(s);
  }
  static const std::pair<int, int> sizes[] = {{2, 3}, {3, 4}, {4, 4}, {3, 5}, {2, 2}, {3, 3}};
  const auto sz = sizes[r.below(6)];
  in.constraints.min_size = sz.first;
  in.constraints.max_size = sz.second;
  const int pairs = static_cast<int>(r.below(4));
  for (int i = 0; i < pairs && n >= 2; ++i) {
    const Id a = 100 + static_cast<Id>(r.below(n));
    Id b = 100 + static_cast<Id>(r.below(n));
    if (a == b) continue;
    (r.below(2) ? in.constraints.keep_apart : in.constraints.keep_together).push_back({a, b});
  }
  return in;
}

// Checks every property of one suggestion; returns a description of the first failure.
std::string check(const GroupingInput& in, const Grouping& g) {
  std::map<Id, int> group_of;
  for (size_t gi = 0; gi < g.groups.size(); ++gi)
    for (const auto& m : g.groups[gi].members) {
      if (group_of.count(m.student)) return "student " + std::to_string(m.student) + " twice";
      group_of[m.student] = static_cast<int>(gi);
    }
  std::map<Id, const GroupingStudent*> by_id;
  for (const auto& s : in.students) by_id[s.id] = &s;
  for (const auto& s : in.students) {
    const bool placed = group_of.count(s.id) > 0;
    if (s.present != placed) return s.name + (s.present ? " present but not placed" : " absent but placed");
    const bool listed = std::count(g.absent.begin(), g.absent.end(), s.name) > 0;
    if (s.present == listed) return s.name + " absent list wrong";
  }
  for (const auto& grp : g.groups) {
    const int size = static_cast<int>(grp.members.size());
    if (size == 0) return grp.name + " is empty";
    if ((size < in.constraints.min_size || size > in.constraints.max_size) &&
        !mentions(g, grp.name + " has "))
      return grp.name + " size " + std::to_string(size) + " unreported";
    if (grp.reason.empty() || grp.reason.back() != '.') return grp.name + " reason: " + grp.reason;
    if (in.mode == GroupMode::Needs) {
      auto it = std::find(in.skills.begin(), in.skills.end(), grp.focus);
      for (const auto& m : grp.members) {
        const auto& s = *by_id[m.student];
        bool fits;
        if (grp.focus == "extension") {
          fits = std::none_of(s.skills.begin(), s.skills.end(), has_gap);
        } else {
          if (it == in.skills.end()) return grp.name + " focus " + grp.focus;
          fits = has_gap(s.skills[it - in.skills.begin()]);
        }
        if (!fits && !mentions(g, s.name + " is in " + grp.name)) return s.name + " off focus in " + grp.name;
        if (!m.role.empty()) return "needs role";
      }
    } else {
      if (!grp.focus.empty()) return "mixed focus";
      auto roles = roles_for_size(size);
      std::multiset<std::string> want(roles.begin(), roles.end()), got;
      for (const auto& m : grp.members) got.insert(m.role);
      if (want != got) return grp.name + " roles";
    }
  }
  auto name_of = [&](Id id) { return by_id[id]->name; };
  for (const auto& list : in.constraints.keep_apart)
    for (Id a : list)
      for (Id b : list)
        if (a < b && group_of.count(a) && group_of.count(b) && group_of[a] == group_of[b] &&
            !mentions(g, "Keep-apart " + name_of(a) + ", " + name_of(b)) &&
            !mentions(g, "Keep-apart " + name_of(b) + ", " + name_of(a)))
          return "apart " + name_of(a) + " " + name_of(b);
  for (const auto& list : in.constraints.keep_together) {
    std::set<int> gs;
    for (Id a : list)
      if (group_of.count(a)) gs.insert(group_of[a]);
    if (gs.size() > 1 && !mentions(g, "Keep-together")) return "together split";
  }
  // Home-language anchoring (mixed: a peer with a higher overall estimate).
  if (in.mode == GroupMode::Mixed && in.constraints.anchor_home_language) {
    auto overall = overall_of(in);
    auto lang = [&](const GroupingStudent& s) {
      std::set<std::string> l;
      for (const auto& t : s.tags)
        if (t.rfind("lang:", 0) == 0) l.insert(t.substr(5));
      return l;
    };
    for (const auto& s : in.students) {
      if (!s.present || std::count(s.tags.begin(), s.tags.end(), "el") == 0) continue;
      auto mine = lang(s);
      bool exists = false, placed = false;
      for (const auto& q : in.students) {
        if (!q.present || q.id == s.id || overall[q.id] <= overall[s.id]) continue;
        bool shared = false;
        for (const auto& l : lang(q)) shared = shared || mine.count(l);
        if (!shared) continue;
        exists = true;
        if (group_of[q.id] == group_of[s.id]) placed = true;
      }
      if (exists && !placed && !mentions(g, "Home language: " + s.name)) return s.name + " not anchored";
    }
  }
  return "";
}

bool same(const Grouping& a, const Grouping& b) {
  if (a.groups.size() != b.groups.size() || a.unsatisfied != b.unsatisfied) return false;
  for (size_t i = 0; i < a.groups.size(); ++i) {
    const auto &x = a.groups[i], &y = b.groups[i];
    if (x.name != y.name || x.focus != y.focus || x.reason != y.reason || x.members.size() != y.members.size())
      return false;
    for (size_t j = 0; j < x.members.size(); ++j)
      if (x.members[j].student != y.members[j].student || x.members[j].role != y.members[j].role) return false;
  }
  return true;
}

class GroupsProperty : public ::testing::TestWithParam<GroupMode> {};

TEST_P(GroupsProperty, HoldOverGeneratedClasses) {
  int unsatisfied_runs = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    GroupingInput in = random_class(seed, GetParam());
    in.iterations = 6000;  // quick; the automatic count is for real classes
    const Grouping g = suggest_groups(in);
    const std::string problem = check(in, g);
    ASSERT_EQ(problem, "") << "class seed " << seed;
    if (mentions(g, "no arrangement found")) ++unsatisfied_runs;
    if (seed % 20 == 0) {
      ASSERT_TRUE(same(g, suggest_groups(in))) << "not deterministic, seed " << seed;
    }
  }
  // Sizes and anchors may be impossible by construction (exact sizes, one student with no gap,
  // two el students kept apart who need the same peer), but a keep-apart pair among several
  // groups almost always fits: the search must not give up lightly.
  EXPECT_LT(unsatisfied_runs, 5);
}

INSTANTIATE_TEST_SUITE_P(Modes, GroupsProperty, ::testing::Values(GroupMode::Needs, GroupMode::Mixed),
                         [](const ::testing::TestParamInfo<GroupMode>& p) {
                           return std::string(group_mode_name(p.param));
                         });

GroupingStudent student(Id id, const std::string& name, std::vector<SkillStanding> skills,
                        std::vector<std::string> tags = {}) {
  GroupingStudent s;
  s.id = id;
  s.name = name;
  s.card = static_cast<int>(id);
  s.skills = std::move(skills);
  s.tags = std::move(tags);
  return s;
}

SkillStanding nope(std::vector<std::string> missed, double e = 0.2) {
  return {SkillLevel::NotYet, e, std::move(missed)};
}
SkillStanding got(double e = 0.9) { return {SkillLevel::Mastered, e, {}}; }

TEST(Groups, NeedsGroupsShareAGapAndSayWhichQuestions) {
  GroupingInput in;
  in.mode = GroupMode::Needs;
  in.skills = {"fractions.equivalent", "decimals.order"};
  in.constraints.min_size = 2;
  in.constraints.max_size = 3;
  in.students = {student(1, "Ana", {nope({"Q4", "Q7"}), got()}),
                 student(2, "Ben", {nope({"Q4", "Q7", "Q9"}), got()}),
                 student(3, "Cy", {nope({"Q7", "Q4"}), got()}),
                 student(4, "Dee", {got(), nope({"Q2"})}),
                 student(5, "Eve", {got(), nope({"Q2", "Q3"})}),
                 student(6, "Fay", {got(), got()}),
                 student(7, "Gus", {got(), got()})};
  const Grouping g = suggest_groups(in);
  ASSERT_EQ(g.groups.size(), 3u);
  EXPECT_EQ(g.groups[0].focus, "fractions.equivalent");  // three need it: most urgent first
  EXPECT_EQ(g.groups[0].reason, "All three missed Q4 and Q7: fractions.equivalent.");
  EXPECT_EQ(g.groups[0].missed, (std::vector<std::string>{"Q4", "Q7", "Q9"}));
  EXPECT_EQ(g.groups[1].focus, "decimals.order");
  EXPECT_EQ(g.groups[1].reason, "Both missed Q2: decimals.order.");
  EXPECT_EQ(g.groups[2].name, "Extension 1");
  EXPECT_EQ(g.groups[2].focus, "extension");
  EXPECT_TRUE(g.unsatisfied.empty());
}

TEST(Groups, TooBigKeepTogetherIsReportedWithTheReason) {
  GroupingInput in;
  in.mode = GroupMode::Mixed;
  in.skills = {"s"};
  in.constraints.min_size = 2;
  in.constraints.max_size = 3;
  const char* names[] = {"Ana", "Ben", "Cy", "Dee", "Eve", "Fay"};
  for (int i = 0; i < 6; ++i) in.students.push_back(student(i + 1, names[i], {got(0.8)}));
  in.constraints.keep_together = {{1, 2, 3, 4}};
  const Grouping g = suggest_groups(in);
  ASSERT_FALSE(g.unsatisfied.empty());
  EXPECT_EQ(g.unsatisfied[0],
            "Keep-together Ana+Ben+Cy+Dee: four students exceed the maximum group size of 3, so they are split");
}

TEST(Groups, KeepApartListLongerThanGroupsIsReported) {
  GroupingInput in;
  in.mode = GroupMode::Mixed;
  in.skills = {"s"};
  in.constraints = {2, 3, {{1, 2, 3}}, {}, true};
  for (int i = 0; i < 4; ++i) in.students.push_back(student(i + 1, "P" + std::to_string(i + 1), {got(0.8)}));
  const Grouping g = suggest_groups(in);  // 4 students, groups of 2-3: two groups, three apart
  EXPECT_EQ(g.groups.size(), 2u);
  EXPECT_TRUE(mentions(g, "Keep-apart")) << ::testing::PrintToString(g.unsatisfied);
  EXPECT_EQ(check(in, g), "");
}

TEST(Groups, AbsentStudentsAreLeftOutAndListed) {
  GroupingInput in;
  in.mode = GroupMode::Mixed;
  in.skills = {"s"};
  for (int i = 0; i < 7; ++i) in.students.push_back(student(i + 1, "P" + std::to_string(i + 1), {got(0.8)}));
  in.students[2].present = false;
  const Grouping g = suggest_groups(in);
  EXPECT_EQ(g.absent, std::vector<std::string>{"P3"});
  EXPECT_EQ(check(in, g), "");
}

TEST(Groups, ElStudentSitsWithAStrongerHomeLanguagePeer) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    GroupingInput in;
    in.mode = GroupMode::Mixed;
    in.seed = seed;
    in.skills = {"s"};
    for (int i = 0; i < 16; ++i) in.students.push_back(student(i + 1, "P" + std::to_string(i + 1), {got(0.5 + i * 0.03)}));
    in.students[0].tags = {"el", "lang:es"};   // weakest
    in.students[9].tags = {"lang:es"};         // stronger, the only one
    const Grouping g = suggest_groups(in);
    for (const auto& grp : g.groups) {
      bool has1 = false, has10 = false;
      for (const auto& m : grp.members) has1 |= m.student == 1, has10 |= m.student == 10;
      EXPECT_EQ(has1, has10) << "seed " << seed;
    }
    EXPECT_TRUE(g.unsatisfied.empty());
  }
}

TEST(Groups, NeedsAnchorIsAStrongerPeerWithTheSameGap) {
  GroupingInput in;
  in.mode = GroupMode::Needs;
  in.skills = {"a"};
  in.constraints.min_size = 2;
  in.constraints.max_size = 2;
  in.students = {student(1, "El", {nope({"Q1"}, 0.1)}, {"el", "lang:es"}),
                 student(2, "W1", {nope({"Q1"}, 0.15)}), student(3, "W2", {nope({"Q1"}, 0.12)}),
                 student(4, "Peer", {nope({"Q1"}, 0.45)}, {"lang:es"})};
  const Grouping g = suggest_groups(in);
  ASSERT_EQ(g.groups.size(), 2u);
  for (const auto& grp : g.groups)
    if (grp.members[0].student == 1) {
      EXPECT_EQ(grp.members[1].student, 4);
    }
  EXPECT_TRUE(g.unsatisfied.empty());
}

TEST(Groups, RolesRotateAcrossSavedGroupings) {
  GroupingInput in;
  in.mode = GroupMode::Mixed;
  in.skills = {"a", "b"};
  for (int i = 0; i < 24; ++i)
    in.students.push_back(student(i + 1, "P" + std::to_string(i + 1),
                                  {i % 3 ? got() : nope({}), i % 2 ? got() : nope({})}));
  std::map<Id, int> led;
  std::map<Id, std::string> last_role;
  int repeats = 0;
  for (int round = 0; round < 8; ++round) {
    in.seed = 1;  // same seed every time: only the history may change the outcome
    const Grouping g = suggest_groups(in);
    for (const auto& grp : g.groups) {
      // Could every member get a role other than last time's? Then nobody may repeat.
      auto roles = roles_for_size(static_cast<int>(grp.members.size()));
      std::sort(roles.begin(), roles.end());
      bool avoidable = false;
      do {
        bool ok = true;
        for (size_t i = 0; i < roles.size(); ++i) ok = ok && roles[i] != last_role[grp.members[i].student];
        avoidable = avoidable || ok;
      } while (std::next_permutation(roles.begin(), roles.end()));
      for (const auto& m : grp.members) {
        if (m.role == "facilitator") ++led[m.student];
        if (round > 0 && m.role == last_role[m.student]) {
          ++repeats;
          EXPECT_FALSE(avoidable) << "round " << round << " " << m.name << " is " << m.role << " again";
        }
      }
    }
    for (const auto& grp : g.groups)
      for (const auto& m : grp.members) last_role[m.student] = m.role;
    in.history.insert(in.history.begin(), g);
  }
  // 8 rounds x 6 groups = 48 facilitator turns for 24 students: nobody leads more than 3 times.
  for (const auto& [id, times] : led) EXPECT_LE(times, 3) << id;
  EXPECT_GE(led.size(), 20u);
  EXPECT_LE(repeats, 4);  // the objective keeps students who held the same role apart
}

TEST(Groups, LastTimesPartnersAreAvoided) {
  GroupingInput in;
  in.mode = GroupMode::Mixed;
  in.skills = {"a"};
  for (int i = 0; i < 16; ++i) in.students.push_back(student(i + 1, "P" + std::to_string(i + 1), {got(0.8)}));
  const Grouping first = suggest_groups(in);
  in.history = {first};
  in.seed = 2;
  const Grouping second = suggest_groups(in);
  std::map<Id, int> g1;
  for (size_t i = 0; i < first.groups.size(); ++i)
    for (const auto& m : first.groups[i].members) g1[m.student] = static_cast<int>(i);
  int repeats = 0;
  for (const auto& grp : second.groups)
    for (const auto& a : grp.members)
      for (const auto& b : grp.members)
        if (a.student < b.student && g1[a.student] == g1[b.student]) ++repeats;
  EXPECT_EQ(repeats, 0);
  EXPECT_GT(score_grouping(in, first).repeat_pairs, 0);
  EXPECT_EQ(score_grouping(in, second).repeat_pairs, 0);
}

TEST(Groups, MixedGroupsCoverSkillsAtLeastAsWellAsSnakeDraft) {
  double ours = 0, snake = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    GroupingInput in = random_class(seed, GroupMode::Mixed);
    in.constraints = {3, 4, {}, {}, true};
    ours += share_covering_all_skills(in, suggest_groups(in));
    snake += share_covering_all_skills(in, snake_draft_groups(in));
  }
  EXPECT_GE(ours, snake);
}

TEST(Groups, SeedChangesTheArrangementButNotItsValidity) {
  int differ = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    GroupingInput in = random_class(seed + 500, GroupMode::Mixed);
    in.iterations = 5000;
    const Grouping a = suggest_groups(in);
    in.seed += 1000;
    const Grouping b = suggest_groups(in);
    EXPECT_EQ(check(in, b), "");
    if (!same(a, b)) ++differ;
  }
  EXPECT_GT(differ, 0);
}

TEST(Groups, BadInputIsRefused) {
  GroupingInput in;
  in.skills = {"a"};
  in.students = {student(1, "Ana", {got()})};
  in.constraints.min_size = 4;
  in.constraints.max_size = 3;
  EXPECT_THROW(suggest_groups(in), GroupingError);
  in.constraints = {};
  in.constraints.keep_apart = {{1, 99}};
  EXPECT_THROW(suggest_groups(in), GroupingError);
  in.constraints = {};
  in.students[0].skills.clear();
  EXPECT_THROW(suggest_groups(in), GroupingError);
}

TEST(Groups, NoStudentPresentGivesNoGroupsAndSaysSo) {
  GroupingInput in;
  in.skills = {"a"};
  in.students = {student(1, "Ana", {got()})};
  in.students[0].present = false;
  const Grouping g = suggest_groups(in);
  EXPECT_TRUE(g.groups.empty());
  EXPECT_EQ(g.absent, std::vector<std::string>{"Ana"});
  EXPECT_TRUE(mentions(g, "No student is present"));
}

// The seeded generator is ours (not <random>'s distributions), so a seed means the same groups
// on every compiler and standard library: pin its first numbers.
TEST(Groups, SeededNumbersArePinned) {
  Rng r(42);
  EXPECT_EQ(r.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(r.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(r.next(), 0xae17533239e499a1ULL);
  Rng q(7);
  EXPECT_EQ(q.below(10), 4u);
  EXPECT_EQ(q.below(1000), 674u);
  for (int i = 0; i < 1000; ++i) {
    const double u = q.unit();
    ASSERT_TRUE(u >= 0 && u < 1);
  }
}

// ---- constraints file ----

std::vector<Student> roster() {
  std::vector<Student> r;
  const char* names[][2] = {{"Ana", "Garcia"}, {"Ben", "Okafor"}, {"Cy", "Lee"}, {"Ana", "Moreau"}, {"Dee", "Park"}};
  for (int i = 0; i < 5; ++i) {
    Student s;
    s.id = i + 1;
    s.first_name = names[i][0];
    s.last_name = names[i][1];
    s.display_name = std::string(names[i][0]) + " " + names[i][1][0] + ".";
    s.card = i + 10;
    r.push_back(s);
  }
  return r;
}

TEST(GroupConstraintsFile, ParsesEveryLineKind) {
  const auto c = parse_group_constraints(
      "# Period 3\n\nsize: 2-5\napart: Ana G., ben okafor\ntogether: Cy, #14\nanchor: off\n",
      "c.txt", roster(), {});
  EXPECT_EQ(c.min_size, 2);
  EXPECT_EQ(c.max_size, 5);
  EXPECT_EQ(c.keep_apart, (std::vector<std::vector<Id>>{{1, 2}}));
  EXPECT_EQ(c.keep_together, (std::vector<std::vector<Id>>{{3, 5}}));
  EXPECT_FALSE(c.anchor_home_language);
  const auto d = parse_group_constraints("size: 4\ntogether: Cy, #13\n", "c.txt", roster(), {});
  EXPECT_EQ(d.min_size, 4);
  EXPECT_EQ(d.max_size, 4);
  EXPECT_EQ(d.keep_together, (std::vector<std::vector<Id>>{{3, 4}}));
}

void expect_error(const std::string& text, const std::string& message) {
  try {
    parse_group_constraints(text, "c.txt", roster(), {});
    ADD_FAILURE() << "no error for: " << text;
  } catch (const GroupingError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(GroupConstraintsFile, ErrorsNameFileAndLine) {
  expect_error("size: 3-4\napart: Ana G., Zed\n", "c.txt:2: no student called 'Zed' in the class");
  expect_error("\napart: Ana, Ben\n", "c.txt:2: 'Ana' could be Ana G., Ana M.: write the full name or #card");
  expect_error("size: 5-3\n", "c.txt:1: size '5-3': expected N or MIN-MAX with 1 <= MIN <= MAX <= 50");
  expect_error("size: many\n", "c.txt:1: size 'many': expected N or MIN-MAX with 1 <= MIN <= MAX <= 50");
  expect_error("apart: Ben\n", "c.txt:1: apart needs at least two names separated by commas");
  expect_error("together: Ben,, Cy\n", "c.txt:1: empty name (two commas in a row?)");
  expect_error("together: Ben, Ben Okafor\n", "c.txt:1: 'Ben Okafor' is named twice");
  expect_error("# x\nfriends: Ben, Cy\n", "c.txt:2: unknown setting 'friends': expected size, apart, together or anchor");
  expect_error("Ben and Cy\n", "c.txt:1: 'Ben and Cy': expected 'size:', 'apart:', 'together:' or 'anchor:'");
  expect_error("apart: #99, Ben\n", "c.txt:1: no student holds card 99");
  expect_error("anchor: maybe\n", "c.txt:1: anchor 'maybe': expected on or off");
}

}  // namespace
}  // namespace cardpoll
