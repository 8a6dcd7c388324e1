// Grouping benchmarks (docs/groups.md):
//  quality: on generated classes of 30 students and 6 skills, the share of mixed groups that
//           hold a master of every skill (someone in the class mastered), ours against a
//           snake draft by overall strength; reported as counters.
//  speed:   one suggestion for 200 students and 10 skills, needs and mixed (must be < 1 s).
// Run: build-*/bench_groups --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>

#include "core/groups/groups.h"
#include "core/groups/groups_internal.h"

namespace cardpoll {
namespace {

// A class where each student has an ability and each skill a difficulty; levels follow the
// estimate with the thresholds of core/mastery.h. Some students are el with a home language.
GroupingInput generated_class(uint64_t seed, int students, int skills, GroupMode mode) {
  groups_detail::Rng r(seed ^ 0xC1A55ULL);
  GroupingInput in;
  in.mode = mode;
  in.seed = seed;
  in.constraints.min_size = 3;
  in.constraints.max_size = 4;
  std::vector<double> difficulty(skills);
  for (int k = 0; k < skills; ++k) {
    in.skills.push_back("skill" + std::to_string(k + 1));
    difficulty[k] = (r.unit() - 0.5) * 0.4;
  }
  for (int i = 0; i < students; ++i) {
    GroupingStudent s;
    s.id = i + 1;
    s.card = i + 1;
    s.name = "Student " + std::to_string(i + 1);
    if (r.below(8) == 0) s.tags = {"el", "lang:es"};
    else if (r.below(8) == 0) s.tags = {"lang:es"};
    const double ability = 0.35 + 0.6 * r.unit();
    for (int k = 0; k < skills; ++k) {
      const double e = std::clamp(ability - difficulty[k] + (r.unit() - 0.5) * 0.5, 0.0, 1.0);
      const SkillLevel l = e >= 0.75 ? SkillLevel::Mastered : e >= 0.5 ? SkillLevel::Approaching : SkillLevel::NotYet;
      s.skills.push_back({l, e, l == SkillLevel::Mastered ? std::vector<std::string>{} : std::vector<std::string>{"Q" + std::to_string(k + 1)}});
    }
    in.students.push_back(std::move(s));
  }
  return in;
}

// Share of (group, skill) pairs where the group holds a master, over skills someone mastered.
double pair_coverage(const GroupingInput& in, const Grouping& g) {
  int covered = 0, pairs = 0;
  for (size_t k = 0; k < in.skills.size(); ++k) {
    bool anyone = false;
    for (const auto& s : in.students) anyone = anyone || s.skills[k].level == SkillLevel::Mastered;
    if (!anyone) continue;
    for (const auto& grp : g.groups) {
      ++pairs;
      bool here = false;
      for (const auto& m : grp.members)
        for (const auto& s : in.students)
          if (s.id == m.student && s.skills[k].level == SkillLevel::Mastered) here = true;
      covered += here;
    }
  }
  return pairs ? static_cast<double>(covered) / pairs : 0;
}

void BM_MixedCoverageVsSnakeDraft(benchmark::State& state) {
  const int classes = 100;
  double ours = 0, snake = 0, ours_all = 0, snake_all = 0, bound = 0, ours_pairs = 0, snake_pairs = 0, pair_bound = 0;
  for (auto _ : state) {
    ours = snake = bound = ours_pairs = snake_pairs = pair_bound = 0;
    ours_all = snake_all = 0;
    for (int c = 1; c <= classes; ++c) {
      const GroupingInput in = generated_class(static_cast<uint64_t>(c), 30, 6, GroupMode::Mixed);
      const Grouping g = suggest_groups(in);
      const double a = share_covering_all_skills(in, g);
      const Grouping snake_groups = snake_draft_groups(in);
      const double b = share_covering_all_skills(in, snake_groups);
      ours_pairs += pair_coverage(in, g);
      snake_pairs += pair_coverage(in, snake_groups);
      // Upper bound: a group can only cover every skill if each skill has a master to give it.
      int fewest = 1 << 30;
      for (size_t k = 0; k < in.skills.size(); ++k) {
        int masters = 0;
        for (const auto& s : in.students) masters += s.skills[k].level == SkillLevel::Mastered;
        if (masters > 0) fewest = std::min(fewest, masters);
      }
      bound += std::min(1.0, static_cast<double>(fewest) / static_cast<double>(g.groups.size()));
      // Pairs bound: skill k can reach at most min(masters, groups) groups.
      double reach = 0;
      int skills_mastered = 0;
      for (size_t k = 0; k < in.skills.size(); ++k) {
        int masters = 0;
        for (const auto& s : in.students) masters += s.skills[k].level == SkillLevel::Mastered;
        if (masters == 0) continue;
        ++skills_mastered;
        reach += std::min(masters, static_cast<int>(g.groups.size()));
      }
      pair_bound += skills_mastered ? reach / (skills_mastered * static_cast<double>(g.groups.size())) : 0;
      ours += a;
      snake += b;
      ours_all += a == 1.0;
      snake_all += b == 1.0;
    }
  }
  state.counters["bound_share_covering"] = bound / classes;
  state.counters["ours_share_covering"] = ours / classes;
  state.counters["snake_share_covering"] = snake / classes;
  state.counters["ours_classes_all_groups_covering"] = ours_all / classes;
  state.counters["snake_classes_all_groups_covering"] = snake_all / classes;
  state.counters["bound_group_skill_pairs_covered"] = pair_bound / classes;
  state.counters["ours_group_skill_pairs_covered"] = ours_pairs / classes;
  state.counters["snake_group_skill_pairs_covered"] = snake_pairs / classes;
}
BENCHMARK(BM_MixedCoverageVsSnakeDraft)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Suggest(benchmark::State& state) {
  const GroupMode mode = state.range(0) ? GroupMode::Mixed : GroupMode::Needs;
  const GroupingInput in = generated_class(42, static_cast<int>(state.range(1)), static_cast<int>(state.range(2)), mode);
  size_t groups = 0;
  for (auto _ : state) {
    const Grouping g = suggest_groups(in);
    groups = g.groups.size();
    benchmark::DoNotOptimize(groups);
  }
  state.counters["groups"] = static_cast<double>(groups);
  state.SetLabel(mode == GroupMode::Mixed ? "mixed" : "needs");
}
BENCHMARK(BM_Suggest)->Args({0, 30, 6})->Args({1, 30, 6})->Args({0, 200, 10})->Args({1, 200, 10})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cardpoll

BENCHMARK_MAIN();
