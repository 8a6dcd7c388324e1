// bench_pipeline: the live pipeline on a rendered 1080p classroom video, and the simulation
// that chose the tracker's N (min_frames) and T (window_ms). Results: docs/pipeline.md.
//
//   build-*/bench/bench_pipeline                      everything (renders the video once,
//                                                     cached under $TMPDIR)
//   build-*/bench/bench_pipeline --simulate-only      only the tracker simulation
//   build-*/bench/bench_pipeline --frames 300 --cards 40 --seed 1 --difficulty typical
//   build-*/bench/bench_pipeline --no-simulate --deck plickers   # a video of that deck's cards
//
// Each pipeline run (as fast as it goes; paced at 30 fps like a webcam) is a child process
// of this program (`--run`), so its peak RSS (getrusage ru_maxrss) is the pipeline's own and
// not the renderer's.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "scanner/pipeline.h"
#include "scanner/tracker.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;
namespace fs = std::filesystem;

namespace {

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

// ---------------------------------------------------------------------------------------
// Part 1: tracker simulation. 40 cards at 30 fps; students hold an answer 3-10 s, turn the
// card (0.2-0.5 s, mostly unreadable, else either answer), sometimes lower it. Per frame a
// steady card is missed (drop), read with another answer, read as another card at the same
// place, or caught in a burst of the same wrong answer for 2-6 frames (glare on one cell).
// Measured per (N, T): time from the start of a steady hold to the right StableRead,
// holds never reported, and wrong StableReads.

struct ErrorProfile {
  const char* name;
  double drop, wrong_answer, wrong_card, burst;
  int burst_max;
};

struct SimResult {
  std::vector<double> time_to_stable_ms;
  int holds = 0, missed = 0, stable = 0, wrong = 0;
};

struct SimCard {
  int card = 0;
  Answer answer = Answer::A, previous = Answer::A;
  int state = 0;          // 0 steady, 1 turning, 2 lowered
  int state_left = 0;     // frames left in the state
  int burst_left = 0;
  Answer burst_answer = Answer::A;
  int64_t hold_start = -1;  // ms, when a hold that needs a new StableRead began
  bool hold_open = false;
  std::optional<Answer> reported;
  cv::Point2f at;
};

SimResult simulate(const ErrorProfile& e, int n, int64_t t_ms, int seconds, uint32_t seed, int64_t undisputed_ms = 0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  auto ri = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int fps = 30, cards = 40;
  Tracker tr;
  tr.params.min_frames = n;
  tr.params.window_ms = t_ms;
  tr.params.undisputed_ms = undisputed_ms;
  std::vector<SimCard> cs(cards);
  for (int i = 0; i < cards; ++i) {
    cs[static_cast<size_t>(i)].card = i + 1;
    cs[static_cast<size_t>(i)].answer = static_cast<Answer>(ri(0, 3));
    cs[static_cast<size_t>(i)].state_left = ri(90, 300);
    cs[static_cast<size_t>(i)].at = cv::Point2f(60.0f + 45.0f * static_cast<float>(i % 10), 60.0f + 45.0f * static_cast<float>(i / 10));
    cs[static_cast<size_t>(i)].hold_start = 0;
    cs[static_cast<size_t>(i)].hold_open = true;
  }
  SimResult r;
  auto close_hold = [&](SimCard& c) {
    if (c.hold_open) {
      ++r.holds;
      ++r.missed;
    }
    c.hold_open = false;
  };
  auto make = [](int card, Answer a, cv::Point2f at) {
    CardRead rd;
    rd.card = card;
    rd.answer = a;
    rd.corners = {at + cv::Point2f(-8, -8), at + cv::Point2f(8, -8), at + cv::Point2f(8, 8), at + cv::Point2f(-8, 8)};
    return rd;
  };
  const int frames = seconds * fps;
  for (int f = 0; f < frames; ++f) {
    const int64_t ms = static_cast<int64_t>(f) * 1000 / fps;
    std::vector<CardRead> reads;
    for (SimCard& c : cs) {
      if (--c.state_left <= 0) {  // next state
        if (c.state == 0) {
          close_hold(c);
          if (u(rng) < 0.2) {
            c.state = 2;
            c.state_left = ri(30, 90);
          } else {
            c.state = 1;
            c.state_left = ri(6, 15);
            c.previous = c.answer;
            c.answer = static_cast<Answer>((static_cast<int>(c.answer) + ri(1, 3)) % 4);
          }
        } else {
          c.state = 0;
          c.state_left = ri(90, 300);
          // A new StableRead is owed only when the answer differs from the reported one.
          c.hold_open = c.reported != c.answer;
          c.hold_start = ms;
        }
      }
      if (c.state == 2) continue;
      if (c.state == 1) {
        if (u(rng) < 0.7) continue;
        reads.push_back(make(c.card, u(rng) < 0.5 ? c.previous : c.answer, c.at));
        continue;
      }
      if (c.burst_left > 0) {
        --c.burst_left;
        reads.push_back(make(c.card, c.burst_answer, c.at));
        continue;
      }
      const double x = u(rng);
      if (x < e.drop) continue;
      if (x < e.drop + e.burst) {
        c.burst_left = ri(1, e.burst_max - 1);
        c.burst_answer = static_cast<Answer>((static_cast<int>(c.answer) + ri(1, 3)) % 4);
        reads.push_back(make(c.card, c.burst_answer, c.at));
      } else if (x < e.drop + e.burst + e.wrong_answer) {
        reads.push_back(make(c.card, static_cast<Answer>((static_cast<int>(c.answer) + ri(1, 3)) % 4), c.at));
      } else if (x < e.drop + e.burst + e.wrong_answer + e.wrong_card) {
        const int other = 1 + (c.card - 1 + ri(1, cards + 20)) % (cards + 21);  // may be absent
        reads.push_back(make(other, static_cast<Answer>(ri(0, 3)), c.at));
      } else {
        reads.push_back(make(c.card, c.answer, c.at));
      }
    }
    for (const StableRead& s : track_frame(tr, reads, ms)) {
      ++r.stable;
      if (s.card < 1 || s.card > cards) {
        ++r.wrong;
        continue;
      }
      SimCard& c = cs[static_cast<size_t>(s.card - 1)];
      const bool visible = c.state != 2;
      const bool right = visible && (s.answer == c.answer || (c.state == 1 && s.answer == c.previous));
      if (!right) ++r.wrong;
      c.reported = s.answer;
      if (right && c.hold_open && s.answer == c.answer) {
        r.time_to_stable_ms.push_back(static_cast<double>(ms - c.hold_start));
        ++r.holds;
        c.hold_open = false;
      }
    }
  }
  return r;
}

void run_simulation(int seconds) {
  // Independent errors die by counting; a burst of L identical wrong reads (glare on a cell
  // for L frames) passes any N <= L, so N must exceed the longest burst worth fearing.
  const ErrorProfile profiles[] = {
      {"independent", 0.30, 0.03, 0.01, 0.0, 2},
      {"bursts", 0.30, 0.01, 0.002, 0.002, 4},
      {"harsh", 0.50, 0.03, 0.005, 0.003, 4},
  };
  std::printf("Tracker simulation: 40 cards, 30 fps, %d s per cell (%d card-frames)\n", seconds,
              seconds * 30 * 40);
  for (const ErrorProfile& e : profiles) {
    std::printf("\nprofile %s: per frame drop %.0f%%, wrong answer %.1f%%, wrong card %.1f%%, burst starts %.1f%% (2-%d frames)\n",
                e.name, 100 * e.drop, 100 * e.wrong_answer, 100 * e.wrong_card, 100 * e.burst, e.burst_max);
    std::printf("%3s %6s %12s %12s %9s %8s %14s\n", "N", "T ms", "median ms", "p95 ms", "missed", "wrong",
                "wrong/1000 ans");
    for (int n : {2, 3, 4, 5, 6, 7}) {
      for (int t : {300, 400, 600, 800}) {
        if ((n - 1) * 33 > t) continue;  // cannot be met even without a single drop
        const SimResult r = simulate(e, n, t, seconds, 12345);
        std::printf("%3d %6d %12.0f %12.0f %8.1f%% %8d %14.2f\n", n, t,
                    percentile(r.time_to_stable_ms, 0.5), percentile(r.time_to_stable_ms, 0.95),
                    r.holds ? 100.0 * r.missed / r.holds : 0.0, r.wrong,
                    r.stable ? 1000.0 * r.wrong / r.stable : 0.0);
      }
    }
    // The plickers deck's tracker rules (tracker_params_for): N, T as chosen, and answers
    // only once undisputed for T (no other answer, no other card at the place).
    const TrackerParams pl = tracker_params_for(*find_deck("plickers"));
    const SimResult r = simulate(e, pl.min_frames, pl.window_ms, seconds, 12345, pl.undisputed_ms);
    std::printf("%3d %6lld %12.0f %12.0f %8.1f%% %8d %14.2f   plickers: undisputed for %lld ms\n", pl.min_frames,
                static_cast<long long>(pl.window_ms), percentile(r.time_to_stable_ms, 0.5),
                percentile(r.time_to_stable_ms, 0.95), r.holds ? 100.0 * r.missed / r.holds : 0.0, r.wrong,
                r.stable ? 1000.0 * r.wrong / r.stable : 0.0, static_cast<long long>(pl.undisputed_ms));
  }
}

// ---------------------------------------------------------------------------------------
// Part 2: a rendered video with ground truth. Cards keep their places (a little hand
// tremor), some students turn their card to another answer mid-video (five frames rolling
// through 15..75 degrees: near 45 the detector must refuse), every frame has its own noise.

struct TruthCard {
  int card;
  std::string answers;  // acceptable letters ("B", or "AB" while turning from A to B)
  float cx, cy, side;
};

// What the renderer draws for this video today: a hash of its first frame without tremor.
// The cached video is rendered again when it differs (a video cached before the renderer
// last changed measured another world: the seventh pass's live figures were taken on one).
std::string renderer_stamp(int cards, uint64_t seed, scenes::Difficulty difficulty, const Deck* deck) {
  scenes::SceneSpec spec;
  spec.deck = deck;
  spec.seed = seed;
  spec.difficulty = difficulty;
  spec.random_cards = cards;
  spec.placements = scenes::random_placements(spec);
  spec.seed = seed * 100003;
  const cv::Mat gray = scenes::render_scene(spec).gray;
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the pixels
  for (int y = 0; y < gray.rows; ++y)
    for (int x = 0; x < gray.cols; ++x) h = (h ^ gray.at<uint8_t>(y, x)) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void render_video(const fs::path& video, const fs::path& truth_path, int frames, int cards,
                  uint64_t seed, scenes::Difficulty difficulty, const Deck* deck) {
  scenes::SceneSpec spec;
  spec.deck = deck;
  spec.seed = seed;
  spec.difficulty = difficulty;
  spec.random_cards = cards;
  const std::vector<scenes::Placement> base = scenes::random_placements(spec);
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::uniform_real_distribution<float> tremor(-0.7f, 0.7f);
  // Half the students turn their card once, a quarter turn either way, at a random frame.
  struct Turn { int start = -1; int dir = 0; };  // dir +1: counter-clockwise (A->B), -1: clockwise
  std::vector<Turn> turns(base.size());
  for (auto& t : turns) {
    if (std::uniform_real_distribution<float>(0, 1)(rng) < 0.5f) {
      t.start = std::uniform_int_distribution<int>(20, std::max(21, frames - 40))(rng);
      t.dir = std::uniform_int_distribution<int>(0, 1)(rng) ? 1 : -1;
    }
  }
  std::vector<cv::Point2f> offset(base.size());
  const fs::path tmp = video.string() + ".part.avi";
  cv::VideoWriter w(tmp.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, spec.size, true);
  if (!w.isOpened()) throw std::runtime_error(tmp.string() + ": cannot write the video");
  w.set(cv::VIDEOWRITER_PROP_QUALITY, 90);
  std::ofstream truth(truth_path.string() + ".part");
  for (int f = 0; f < frames; ++f) {
    scenes::SceneSpec s = spec;
    s.seed = seed * 100003 + static_cast<uint64_t>(f);  // fresh noise, blur, light per frame
    s.placements = base;
    for (size_t i = 0; i < base.size(); ++i) {
      scenes::Placement& p = s.placements[i];
      offset[i] += cv::Point2f(tremor(rng), tremor(rng));
      offset[i].x = std::clamp(offset[i].x, -5.0f, 5.0f);
      offset[i].y = std::clamp(offset[i].y, -5.0f, 5.0f);
      p.centre += offset[i];
      std::string answers(1, answer_letter(p.answer));
      const Turn& t = turns[i];
      if (t.start >= 0 && f >= t.start) {
        const int k = f - t.start;
        const Answer from = base[i].answer;
        const Answer to = static_cast<Answer>((static_cast<int>(from) + 4 + t.dir) % 4);
        if (k < 5) {
          // Rolling through 15..75 degrees (roll is clockwise on screen; a counter-clockwise
          // quarter turn brings the next letter up). Mid-turn either letter is acceptable.
          p.roll_deg = base[i].roll_deg - static_cast<float>(t.dir) * 15.0f * static_cast<float>(k + 1);
          answers = std::string(1, answer_letter(from)) + answer_letter(to);
        } else {
          p.answer = to;
          answers = std::string(1, answer_letter(to));
        }
      }
      truth << f << ' ' << p.card << ' ' << answers << ' ' << p.centre.x << ' ' << p.centre.y << ' '
            << p.side_px << '\n';
    }
    const scenes::Scene sc = scenes::render_scene(s);
    cv::Mat bgr;
    cv::cvtColor(sc.gray, bgr, cv::COLOR_GRAY2BGR);
    w.write(bgr);
    if (f % 30 == 0) std::fprintf(stderr, "\rrendering %d/%d", f, frames);
  }
  std::fprintf(stderr, "\rrendered %d frames        \n", frames);
  w.release();
  truth.close();
  fs::rename(tmp, video);
  fs::rename(truth_path.string() + ".part", truth_path);
}

std::map<int, std::vector<TruthCard>> load_truth(const fs::path& p) {
  std::map<int, std::vector<TruthCard>> out;
  std::ifstream in(p);
  int f;
  TruthCard t;
  while (in >> f >> t.card >> t.answers >> t.cx >> t.cy >> t.side) out[f].push_back(t);
  return out;
}

// Is this read right for frame f? The card must be in the frame, near where it is, with an
// acceptable answer.
bool read_is_right(const std::map<int, std::vector<TruthCard>>& truth, int64_t f, int card, Answer a,
                   cv::Point2f centre) {
  auto it = truth.find(static_cast<int>(f));
  if (it == truth.end()) return false;
  for (const TruthCard& t : it->second) {
    if (t.card != card) continue;
    const float d = std::hypot(centre.x - t.cx, centre.y - t.cy);
    return d < std::max(8.0f, t.side) && t.answers.find(answer_letter(a)) != std::string::npos;
  }
  return false;
}

int run_child(const fs::path& video, const fs::path& truth_path, const std::string& mode, const Deck* deck) {
  const auto truth = load_truth(truth_path);
  PipelineOptions o;
  o.detect_params.deck = deck;  // and with it the deck's tracker rules
  if (mode == "paced") {
    o.policy = FramePolicy::NewestOnly;
    o.pace_fps = 30;
  } else {
    o.policy = FramePolicy::EveryFrame;
  }
  const auto t0 = std::chrono::steady_clock::now();
  Pipeline p(open_video(video), o);
  std::vector<double> latency, detect;
  int64_t reads = 0, wrong_reads = 0, stable = 0, wrong_stable = 0;
  for (;;) {
    PipelineOutput out = p.wait(200);
    for (const std::string& m : out.problems) std::fprintf(stderr, "problem: %s\n", m.c_str());
    for (const FrameResult& fr : out.frames) {
      latency.push_back(fr.latency_ms);
      detect.push_back(fr.detect_ms);
      for (const CardRead& r : fr.reads) {
        ++reads;
        const cv::Point2f c = (r.corners[0] + r.corners[1] + r.corners[2] + r.corners[3]) * 0.25f;
        if (!read_is_right(truth, fr.index, r.card, r.answer, c)) {
          ++wrong_reads;  // named, so the detector's author can look at that frame
          std::fprintf(stderr, "wrong read: frame %lld card %d %c at (%.0f, %.0f)\n",
                       static_cast<long long>(fr.index), r.card, answer_letter(r.answer), c.x, c.y);
        }
      }
      for (const StableRead& s : fr.stable) {
        ++stable;
        const cv::Point2f c = (s.corners[0] + s.corners[1] + s.corners[2] + s.corners[3]) * 0.25f;
        if (!read_is_right(truth, fr.index, s.card, s.answer, c)) {
          ++wrong_stable;
          std::fprintf(stderr, "WRONG stable: frame %lld card %d %c\n", static_cast<long long>(fr.index),
                       s.card, answer_letter(s.answer));
        }
      }
    }
    if (out.finished) break;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const PipelineStats st = p.stats();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  size_t truth_cards = 0;
  std::set<int> cards_in_video;
  for (const auto& [f, ts] : truth) {
    truth_cards += ts.size();
    for (const auto& t : ts) cards_in_video.insert(t.card);
  }
  std::printf(
      "RESULT mode=%s frames=%lld processed=%lld dropped=%lld wall_s=%.2f fps=%.1f lat_mean=%.1f "
      "lat_p50=%.1f lat_p95=%.1f lat_max=%.1f detect_p50=%.1f reads=%lld truth_reads=%zu "
      "wrong_reads=%lld stable=%lld cards=%zu wrong_stable=%lld rss_mb=%.1f cpu_ms=%.1f\n",
      mode.c_str(), static_cast<long long>(st.captured), static_cast<long long>(st.processed),
      static_cast<long long>(st.dropped), wall, static_cast<double>(st.processed) / wall, st.mean_latency_ms,
      percentile(latency, 0.5), percentile(latency, 0.95), st.max_latency_ms, percentile(detect, 0.5),
      static_cast<long long>(reads), truth_cards, static_cast<long long>(wrong_reads),
      static_cast<long long>(stable), cards_in_video.size(), static_cast<long long>(wrong_stable),
      static_cast<double>(ru.ru_maxrss) / 1024.0,
      // CPU time of all threads (capture decode + detection + tracking) per processed frame:
      // unlike fps it hardly depends on what else runs on the machine.
      (static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
       static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0) /
          std::max<double>(1.0, static_cast<double>(st.processed)));
  return 0;
}

std::map<std::string, std::string> run_measured(const std::string& self, const fs::path& video,
                                                const fs::path& truth, const std::string& mode,
                                                const Deck& deck) {
  const std::string cmd = "'" + self + "' --run '" + video.string() + "' --truth '" + truth.string() +
                          "' --mode " + mode + " --deck " + std::string(deck.name);
  std::map<std::string, std::string> kv;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return kv;
  char line[4096];
  while (std::fgets(line, sizeof line, p)) {
    std::istringstream in(line);
    std::string word;
    in >> word;
    if (word != "RESULT") continue;
    while (in >> word) {
      const auto eq = word.find('=');
      if (eq != std::string::npos) kv[word.substr(0, eq)] = word.substr(eq + 1);
    }
  }
  ::pclose(p);
  return kv;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto value = [&](const std::string& name, const std::string& fallback) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == name) return args[i + 1];
    return fallback;
  };
  auto flag = [&](const std::string& name) { return std::find(args.begin(), args.end(), name) != args.end(); };
  if (flag("--help")) {
    std::printf(
        "usage: bench_pipeline [--frames 300] [--cards 40] [--seed 1] [--difficulty typical]\n"
        "                      [--sim-seconds 600] [--simulate-only | --no-simulate]\n"
        "                      [--deck classroom|large|plickers]\n"
        "The rendered video is cached in $TMPDIR/cardpoll-bench-pipeline-*/ and rendered again when the\n"
        "renderer draws its first frame differently.\n");
    return 0;
  }
  try {
    const std::string deck_name = value("--deck", "classroom");
    const Deck* deck = find_deck(deck_name);
    if (!deck) throw std::invalid_argument("--deck " + deck_name + ": no such deck (decks: " + deck_names() + ")");
    if (flag("--run"))
      return run_child(value("--run", ""), value("--truth", ""), value("--mode", "fast"), deck);

    if (!flag("--no-simulate")) run_simulation(std::stoi(value("--sim-seconds", "600")));
    if (flag("--simulate-only")) return 0;

    const int frames = std::stoi(value("--frames", "300"));
    const int cards = std::stoi(value("--cards", "40"));
    const uint64_t seed = std::stoull(value("--seed", "1"));
    const std::string diff = value("--difficulty", "typical");
    const fs::path dir = fs::temp_directory_path() /
                         ("cardpoll-bench-pipeline-" + std::to_string(frames) + "-" + std::to_string(cards) +
                          "-" + std::to_string(seed) + "-" + diff);
    fs::create_directories(dir);
    const fs::path video = dir / (deck_name + "-1080p.avi"), truth = dir / (deck_name + "-truth.txt");
    const fs::path stamp_file = dir / (deck_name + "-renderer.txt");
    const std::string stamp = renderer_stamp(cards, seed, scenes::difficulty_from_name(diff), deck);
    std::string cached_stamp;
    if (std::ifstream in(stamp_file); in) in >> cached_stamp;
    if (!fs::exists(video) || !fs::exists(truth) || cached_stamp != stamp) {
      if (fs::exists(video)) std::fprintf(stderr, "the renderer changed since %s was cached: rendering it again\n", video.c_str());
      render_video(video, truth, frames, cards, seed, scenes::difficulty_from_name(diff), deck);
      std::ofstream(stamp_file) << stamp << '\n';
    }
    std::printf("\nLive pipeline on %s (%d frames 1920x1080 MJPG, %d %s cards, %s), %u cores\n",
                video.c_str(), frames, cards, deck_name.c_str(), diff.c_str(), std::thread::hardware_concurrency());
    double load[3] = {0, 0, 0};
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
      if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
      std::fclose(f);
    }
    std::printf("load average before the runs: %.1f %.1f %.1f (fps below are shared with that load)\n",
                load[0], load[1], load[2]);
    std::printf("%-7s %7s %8s %8s %9s %9s %9s %9s %8s %8s %9s %10s %8s\n", "mode", "fps", "frames", "dropped",
                "lat p50", "lat p95", "lat max", "detect", "CPU/fr", "RSS MB", "reads", "wrong rd", "stable");
    const std::string self = fs::canonical("/proc/self/exe").string();
    for (const std::string mode : {"fast", "paced"}) {
      auto r = run_measured(self, video, truth, mode, *deck);
      if (r.empty()) {
        std::printf("%-7s failed\n", mode.c_str());
        continue;
      }
      std::printf("%-7s %7s %8s %8s %9s %9s %9s %9s %8s %8s %9s %10s %4s (%s wrong)\n", mode.c_str(),
                  r["fps"].c_str(), r["processed"].c_str(), r["dropped"].c_str(), r["lat_p50"].c_str(),
                  r["lat_p95"].c_str(), r["lat_max"].c_str(), r["detect_p50"].c_str(), r["cpu_ms"].c_str(),
                  r["rss_mb"].c_str(),
                  (r["reads"] + "/" + r["truth_reads"]).c_str(), r["wrong_reads"].c_str(),
                  r["stable"].c_str(), r["wrong_stable"].c_str());
    }
    std::printf("(fast: every frame, as fast as it goes; paced: frames offered at 30 fps, newest only.\n"
                " latency = frame leaves the source -> result, ms; detect = median ms per frame on\n"
                " one worker; CPU/fr = CPU ms of all threads per frame (2 free cores give at most\n"
                " 2000 / CPU/fr fps); reads = card reads over all frames / cards in view over all frames;\n"
                " wrong rd = single-frame reads that are wrong; stable = StableReads emitted)\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_pipeline: %s\n", e.what());
    return 1;
  }
  return 0;
}
