// time_read: median thread-CPU time of read_cards on bench_scanner's frames (development aid).
//   build/bench/time_read [easy|typical|hard] [frames] [width height]
// Frames are rendered first; each is read REPS times (environment, default 5) and the
// fastest kept, so other people's jobs on a shared machine disturb the figure less.
// With COMPARE set in the environment it also reads each frame without the second look
// (DetectParams::second_look; COMPARE=agree: without the two decoders' agreement on small
// cards, DetectParams::small_reads_agree) and prints the ratio of the two totals.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>

#include "scanner/read_cards.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;

static double now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

int main(int argc, char** argv) {
  const auto d = scenes::difficulty_from_name(argc > 1 ? argv[1] : "typical");
  const int frames = argc > 2 ? std::atoi(argv[2]) : 34;
  const int w = argc > 4 ? std::atoi(argv[3]) : 1920, h = argc > 4 ? std::atoi(argv[4]) : 1080;
  std::vector<double> ms;
  size_t reads = 0;
  std::vector<scenes::Scene> scenes_cache;
  for (int f = 0; f < frames; ++f) {
    scenes::SceneSpec spec;
    spec.seed = 1000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f);
    spec.difficulty = d;
    spec.size = {w, h};
    const float scale = static_cast<float>(h) / 1080.0f;
    spec.min_side_px = 8 * scale;
    spec.max_side_px = 64 * scale;
    scenes_cache.push_back(scenes::render_scene(spec));
  }
  uint64_t hash = 1469598103934665603ull;
  size_t total = 0;
  for (const auto& s : scenes_cache) {
    for (const auto& r : read_cards(s.gray)) {
      ++total;
      auto mix = [&](double v) { hash = (hash ^ static_cast<uint64_t>(static_cast<int64_t>(v * 1000))) * 1099511628211ull; };
      mix(r.card); mix(static_cast<int>(r.answer)); mix(r.margin);
      for (auto& c : r.corners) { mix(c.x); mix(c.y); }
    }
  }
  if (getenv("HASH")) std::printf("reads %zu hash %016llx\n", total, static_cast<unsigned long long>(hash));
  // With COMPARE set, every frame is also read without the second look (split.cpp), the
  // two alternating, so the machine's load moves both the same way.
  const bool compare = getenv("COMPARE") != nullptr;
  DetectParams with, without;
  if (compare && std::string_view(getenv("COMPARE")) == "agree") without.small_reads_agree = false;
  else without.second_look = false;
  std::vector<double> ms_without;
  const int reps = getenv("REPS") ? std::max(1, std::atoi(getenv("REPS"))) : 5;
  double sum_with = 0, sum_without = 0;
  for (const auto& s : scenes_cache) {
    double best = 1e9, best_without = 1e9;
    for (int rep = 0; rep < reps; ++rep) {
      const double t0 = now_ms();
      reads = read_cards(s.gray, with).size();
      best = std::min(best, now_ms() - t0);
      if (compare) {
        const double t1 = now_ms();
        read_cards(s.gray, without);
        best_without = std::min(best_without, now_ms() - t1);
      }
    }
    ms.push_back(best);
    sum_with += best;
    if (compare) {
      ms_without.push_back(best_without);
      sum_without += best_without;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("median %.2f ms (min of %d per frame), %zu reads on last frame\n", ms[ms.size() / 2], reps, reads);
  if (compare) {
    std::sort(ms_without.begin(), ms_without.end());
    std::printf("without %s: median %.2f ms; total with/without %.3f\n",
                std::string_view(getenv("COMPARE")) == "agree" ? "the decoders' agreement" : "the second look", ms_without[ms_without.size() / 2],
                sum_with / sum_without);
  }
}
