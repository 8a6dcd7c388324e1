// bench_scanner: cardpoll's detector against OpenCV aruco DICT_4X4_50 and AprilTag 3
// (tag16h5, tag36h11) on the same rendered frames: every detector gets its own markers at
// identical positions, sizes and poses over an identical background (tools/scenes).
//
//   ninja -C build bench_scanner && build/bench/bench_scanner            # 3 x 34 frames
//   build/bench/bench_scanner --wrong-reads 1000     # cardpoll alone, zero-wrong-reads run
//   build/bench/bench_scanner --wrong-reads 1000 --deck plickers   # ... on another deck
//   build/bench/bench_scanner --plickers-only        # only the plickers-against-classroom table
//
// Single thread for every detector (cv::setNumThreads(1), apriltag nthreads = 1); times are
// the thread's CPU time per frame (see now_ms). Prints
// markdown tables (docs/scanner.md quotes them).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <time.h>

#include <opencv2/aruco.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#ifdef CARDPOLL_HAVE_APRILTAG
extern "C" {
#include <apriltag/apriltag.h>
#include <apriltag/tag16h5.h>
#include <apriltag/tag36h11.h>
}
#endif

#include "scanner/read_cards.h"
#include "tools/scenes/scene.h"

namespace {

using namespace cardpoll;
using scenes::MarkerKind;

struct Detection {
  int id = 0;                  // card number or marker id
  Answer answer = Answer::A;   // cards only
  cv::Point2f centre;
};

using Detector = std::function<std::vector<Detection>(const cv::Mat&)>;

// CPU time of this thread: the figure a detector costs on one core. Wall-clock time on the
// shared build machine swings several-fold with other people's jobs; CPU time does not.
double now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

std::vector<Detection> detect_cardpoll(const cv::Mat& g, const Deck* deck) {
  DetectParams p;
  p.deck = deck;
  std::vector<Detection> out;
  for (const auto& r : read_cards(g, p)) {
    cv::Point2f c(0, 0);
    for (const auto& q : r.corners) c += q * 0.25f;
    out.push_back({r.card, r.answer, c});
  }
  return out;
}

std::vector<Detection> detect_aruco(const cv::Mat& g) {
  static const auto dict = cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50);
  static const auto params = cv::aruco::DetectorParameters::create();
  std::vector<std::vector<cv::Point2f>> corners;
  std::vector<int> ids;
  cv::aruco::detectMarkers(g, dict, corners, ids, params);
  std::vector<Detection> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    cv::Point2f c(0, 0);
    for (const auto& q : corners[i]) c += q * 0.25f;
    out.push_back({ids[i], Answer::A, c});
  }
  return out;
}

#ifdef CARDPOLL_HAVE_APRILTAG
struct AprilTag {
  apriltag_family_t* fam = nullptr;
  apriltag_detector_t* td = nullptr;
  bool small = false;
  explicit AprilTag(bool is16h5) : small(is16h5) {
    fam = small ? tag16h5_create() : tag36h11_create();
    td = apriltag_detector_create();
    apriltag_detector_add_family(td, fam);
    td->nthreads = 1;
    td->quad_decimate = 1.0f;  // full resolution: decimation loses the small tags
  }
  ~AprilTag() {
    apriltag_detector_destroy(td);
    if (small) tag16h5_destroy(fam);
    else tag36h11_destroy(fam);
  }
  AprilTag(const AprilTag&) = delete;
  AprilTag& operator=(const AprilTag&) = delete;
  std::vector<Detection> detect(const cv::Mat& g) {
    image_u8_t im{g.cols, g.rows, static_cast<int32_t>(g.step[0]), const_cast<uint8_t*>(g.data)};
    zarray_t* dets = apriltag_detector_detect(td, &im);
    std::vector<Detection> out;
    for (int i = 0; i < zarray_size(dets); ++i) {
      apriltag_detection_t* d;
      zarray_get(dets, i, &d);
      out.push_back({d->id, Answer::A, cv::Point2f(static_cast<float>(d->c[0]), static_cast<float>(d->c[1]))});
    }
    apriltag_detections_destroy(dets);
    return out;
  }
};
#endif

constexpr float kBuckets[] = {8, 12, 16, 20, 28, 40, 1e9f};
constexpr int kNB = 6;
const char* kBucketNames[kNB] = {"8-12", "12-16", "16-20", "20-28", "28-40", "40+"};

int bucket_of(float side) {
  for (int b = 0; b < kNB; ++b)
    if (side >= kBuckets[b] && side < kBuckets[b + 1]) return b;
  return -1;
}

struct Tally {
  std::vector<double> ms;
  int found[kNB] = {}, total[kNB] = {};
  int wrong = 0, markers = 0, frames = 0;
  void add_time(double t) { ms.push_back(t); }
  double median() const {
    if (ms.empty()) return 0;
    std::vector<double> v = ms;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  }
  double recall(int b) const { return total[b] ? 100.0 * found[b] / total[b] : 0; }
  double recall_all() const {
    int f = 0, t = 0;
    for (int b = 0; b < kNB; ++b) f += found[b], t += total[b];
    return t ? 100.0 * f / t : 0;
  }
};

// Matches detections to truth by position: a detection within 0.35 side of a marker's centre
// is that marker's read (right if id, and for cards the answer, agree); a detection near no
// marker, or a second one on the same marker, is a wrong read.
void score(const scenes::Scene& s, const std::vector<Detection>& dets, bool with_answer, Tally& t) {
  std::vector<int> hit(s.truth.size(), 0);
  for (const auto& d : dets) {
    int best = -1;
    float bd = 1e9f;
    for (size_t i = 0; i < s.truth.size(); ++i) {
      cv::Point2f c(0, 0);
      for (const auto& q : s.truth[i].corners) c += q * 0.25f;
      const float dist = static_cast<float>(cv::norm(c - d.centre));
      if (dist < 0.35f * s.truth[i].side_px && dist < bd) {
        bd = dist;
        best = static_cast<int>(i);
      }
    }
    if (best < 0) {
      ++t.wrong;
      continue;
    }
    const auto& tr = s.truth[static_cast<size_t>(best)];
    const bool right = d.id == tr.card && (!with_answer || d.answer == tr.answer);
    if (!right || hit[static_cast<size_t>(best)]) ++t.wrong;
    else hit[static_cast<size_t>(best)] = 1;
  }
  for (size_t i = 0; i < s.truth.size(); ++i) {
    const int b = bucket_of(s.truth[i].side_px);
    if (b < 0) continue;
    ++t.total[b];
    t.found[b] += hit[i];
  }
  t.markers += static_cast<int>(s.truth.size());
  ++t.frames;
}

void run(const scenes::Scene& s, const Detector& det, bool with_answer, Tally& t) {
  const double t0 = now_ms();
  const auto dets = det(s.gray);
  t.add_time(now_ms() - t0);
  score(s, dets, with_answer, t);
}

void print_table(const std::string& title, const std::vector<std::pair<std::string, Tally>>& rows,
                 double aruco_ms) {
  std::printf("\n### %s\n\n", title.c_str());
  std::printf("| detector | frames | markers | median ms | vs aruco |");
  for (const char* b : kBucketNames) std::printf(" %s px |", b);
  std::printf(" all | wrong reads |\n|---|---|---|---|---|");
  for (int b = 0; b < kNB + 2; ++b) std::printf("---|");
  std::printf("\n");
  for (const auto& [name, t] : rows) {
    std::printf("| %s | %d | %d | %.2f | %.2fx |", name.c_str(), t.frames, t.markers, t.median(),
                aruco_ms > 0 ? t.median() / aruco_ms : 0.0);
    for (int b = 0; b < kNB; ++b) std::printf(" %.1f%% |", t.recall(b));
    std::printf(" %.1f%% | %d |\n", t.recall_all(), t.wrong);
  }
  std::fflush(stdout);
}

scenes::SceneSpec spec_for(uint64_t seed, scenes::Difficulty d, cv::Size size) {
  scenes::SceneSpec spec;
  spec.seed = seed;
  spec.difficulty = d;
  spec.size = size;
  spec.random_cards = 40;
  const float scale = static_cast<float>(size.height) / 1080.0f;
  spec.min_side_px = 8 * scale;
  spec.max_side_px = 64 * scale;
  return spec;
}

// The Plickers-format deck (distance 2, read by its stricter ReadRules) against classroom on
// the very frames of the comparison above: same seeds, placements and answers, only the
// patterns differ.
int plickers_table(int frames, const Detector& classroom_det, std::span<const scenes::Difficulty> diffs) {
  const Deck* plickers = find_deck("plickers");
  const Detector plickers_det = [&](const cv::Mat& g) { return detect_cardpoll(g, plickers); };
  std::vector<std::pair<std::string, Tally>> rows;
  for (const auto d : diffs) {
    Tally tc, tp;
    for (int f = 0; f < frames; ++f) {
      auto spec = spec_for(1000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f), d, {1920, 1080});
      spec.placements = scenes::random_placements(spec);
      run(scenes::render_scene(spec), classroom_det, true, tc);
      spec.deck = plickers;
      // Same positions, sizes, poses and answers; the numbers spread over all 63 cards
      // (k -> 5k mod 63 is one-to-one).
      for (auto& p : spec.placements) p.card = 1 + (p.card * 5) % plickers->cards();
      run(scenes::render_scene(spec), plickers_det, true, tp);
    }
    rows.push_back({std::string("classroom, ") + scenes::difficulty_name(d), tc});
    rows.push_back({std::string("plickers, ") + scenes::difficulty_name(d), tp});
  }
  print_table("plickers deck against classroom, the same 1080p frames", rows, 0);
  return 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_scanner [--frames N] [--wrong-reads N [--deck NAME]] [--plickers-only]\n"
               "  --frames N        1080p frames per difficulty for the comparison (default 34)\n"
               "  --wrong-reads N   only cardpoll, N typical+hard frames, count wrong reads\n"
               "  --deck NAME       the deck of the --wrong-reads run (default classroom)\n"
               "  --plickers-only   only the table of the plickers deck against classroom\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 34, wrong_frames = 0;
  bool plickers_only = false;
  const Deck* wrong_deck = find_deck("classroom");
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--plickers-only") {
      plickers_only = true;
    } else if (a == "--deck" && i + 1 < argc) {
      wrong_deck = find_deck(argv[++i]);
      if (!wrong_deck) return usage();
    } else if ((a == "--frames" || a == "--wrong-reads") && i + 1 < argc) {
      const int v = std::atoi(argv[++i]);
      if (v < 1) return usage();
      (a == "--frames" ? frames : wrong_frames) = v;
    } else {
      return usage();
    }
  }
  cv::setNumThreads(1);
  const Deck* classroom = find_deck("classroom");
  const Deck* large = find_deck("large");
  const Detector cardpoll_det = [&](const cv::Mat& g) { return detect_cardpoll(g, classroom); };

  if (wrong_frames > 0) {
    Tally t;
    const Detector det = [&](const cv::Mat& g) { return detect_cardpoll(g, wrong_deck); };
    for (int f = 0; f < wrong_frames; ++f) {
      const auto d = f % 2 ? scenes::Difficulty::Hard : scenes::Difficulty::Typical;
      auto spec = spec_for(100000 + static_cast<uint64_t>(f), d, {1920, 1080});
      spec.deck = wrong_deck;  // placements drawn over the whole deck
      run(scenes::render_scene(spec), det, true, t);
      if ((f + 1) % 100 == 0) std::fprintf(stderr, "%d frames, %d wrong reads\n", f + 1, t.wrong);
    }
    print_table("cardpoll wrong reads, typical + hard 1080p frames, deck " + std::string(wrong_deck->name),
                {{"cardpoll " + std::string(wrong_deck->name), t}}, 0);
    return t.wrong == 0 ? 0 : 1;
  }

  const scenes::Difficulty diffs[] = {scenes::Difficulty::Easy, scenes::Difficulty::Typical, scenes::Difficulty::Hard};
  if (plickers_only) return plickers_table(frames, cardpoll_det, diffs);
#ifdef CARDPOLL_HAVE_APRILTAG
  AprilTag tag16(true), tag36(false);
#endif
  for (const auto d : diffs) {
    Tally tc, ta, t16, t36;
    for (int f = 0; f < frames; ++f) {
      auto spec = spec_for(1000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f), d, {1920, 1080});
      spec.placements = scenes::random_placements(spec);
      spec.markers = MarkerKind::Card;
      run(scenes::render_scene(spec), cardpoll_det, true, tc);
      spec.markers = MarkerKind::Aruco4x4_50;
      run(scenes::render_scene(spec), detect_aruco, false, ta);
#ifdef CARDPOLL_HAVE_APRILTAG
      spec.markers = MarkerKind::AprilTag16h5;
      run(scenes::render_scene(spec), [&](const cv::Mat& g) { return tag16.detect(g); }, false, t16);
      spec.markers = MarkerKind::AprilTag36h11;
      run(scenes::render_scene(spec), [&](const cv::Mat& g) { return tag36.detect(g); }, false, t36);
#endif
    }
    std::vector<std::pair<std::string, Tally>> rows = {{"cardpoll classroom", tc}, {"aruco DICT_4X4_50", ta}};
#ifdef CARDPOLL_HAVE_APRILTAG
    rows.push_back({"apriltag tag16h5", t16});
    rows.push_back({"apriltag tag36h11", t36});
#endif
    print_table(std::string("1080p, ") + scenes::difficulty_name(d) + ", 40 markers per frame", rows, ta.median());
  }

  // Frame size: decode time at 720p and 4K (typical scenes, marker sizes scaled with height).
  for (const cv::Size size : {cv::Size(1280, 720), cv::Size(3840, 2160)}) {
    Tally tc, ta;
    for (int f = 0; f < 10; ++f) {
      auto spec = spec_for(5000 + static_cast<uint64_t>(f), scenes::Difficulty::Typical, size);
      spec.placements = scenes::random_placements(spec);
      run(scenes::render_scene(spec), cardpoll_det, true, tc);
      spec.markers = MarkerKind::Aruco4x4_50;
      run(scenes::render_scene(spec), detect_aruco, false, ta);
    }
    print_table(std::to_string(size.width) + "x" + std::to_string(size.height) + ", typical",
                {{"cardpoll classroom", tc}, {"aruco DICT_4X4_50", ta}}, ta.median());
  }

  // The large deck (6x6) against the classroom deck on identical layouts.
  {
    Tally tc, tl;
    const Detector large_det = [&](const cv::Mat& g) { return detect_cardpoll(g, large); };
    for (int f = 0; f < frames; ++f) {
      auto spec = spec_for(7000 + static_cast<uint64_t>(f), scenes::Difficulty::Typical, {1920, 1080});
      spec.placements = scenes::random_placements(spec);
      run(scenes::render_scene(spec), cardpoll_det, true, tc);
      spec.deck = large;
      for (auto& p : spec.placements) p.card = 1 + (p.card * 7) % large->cards();
      run(scenes::render_scene(spec), large_det, true, tl);
    }
    print_table("decks, 1080p typical", {{"classroom (5x5)", tc}, {"large (6x6)", tl}}, 0);
  }
  return plickers_table(frames, cardpoll_det, diffs);
}
