// bench_scanner: cardpoll's detector against OpenCV aruco DICT_4X4_50 and AprilTag 3
// (tag16h5, tag36h11) on the same rendered frames: every detector gets its own markers at
// identical positions, sizes and poses over an identical background (tools/scenes).
//
//   ninja -C build bench_scanner && build/bench/bench_scanner            # 4 x 34 frames
//   build/bench/bench_scanner --wrong-reads 1000     # + 1000 frames each of typical, hard, wild
//   build/bench/bench_scanner --settings typical,wild --frames 10        # while iterating
//   build/bench/bench_scanner --wrong-reads 1000 --deck plickers   # the hunt on another deck
//   build/bench/bench_scanner --plickers-only        # only the plickers-against-classroom table
//   CARDPOLL_PHOTOS=DIR build/bench/bench_scanner   # real photographs without cards (negatives;
//                                                   # default ../shared/photos/no-cards)
//
// Single thread for every detector (cv::setNumThreads(1), apriltag nthreads = 1); times are
// the thread's CPU time per frame (see now_ms). Prints
// markdown tables (docs/scanner.md quotes them).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <opencv2/imgcodecs.hpp>
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

#include "bench/frames.h"
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
    const int best = bench::shown_card_at(s, d.centre);
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
               "usage: bench_scanner [--frames N] [--settings LIST] [--wrong-reads N [--deck NAME]]\n"
               "                     [--plickers-only] [--no-extra] [--cardpoll-only]\n"
               "  --frames N        1080p frames per setting for the comparison (default 34)\n"
               "  --settings LIST   comma-separated settings (default easy,typical,hard,wild)\n"
               "  --wrong-reads N   also hunt wrong reads: cardpoll alone, N frames of each of\n"
               "                    the settings but easy (rendering dominates: about 0.4 s of\n"
               "                    CPU per frame, so 1000 x 3 is 20 CPU minutes; run one process\n"
               "                    per setting to use more cores)\n"
               "  --deck NAME       the deck of the --wrong-reads hunt (default classroom)\n"
               "  --plickers-only   only the table of the plickers deck against classroom\n"
               "  --no-extra        skip the 720p/4K, deck and photograph tables\n"
               "  --cardpoll-only   no anchors and no extra tables (while iterating)\n"
               "Real photographs without cards (reads must be 0): $CARDPOLL_PHOTOS, default\n"
               "../shared/photos/no-cards next to the source tree; skipped with a note if absent.\n");
  return 2;
}

// The folder of real photographs without cards: $CARDPOLL_PHOTOS, else
// ../shared/photos/no-cards relative to the repository root.
std::filesystem::path photos_dir() {
  if (const char* env = std::getenv("CARDPOLL_PHOTOS"); env && *env) return env;
  return std::filesystem::path(CARDPOLL_SOURCE_DIR) / ".." / "shared" / "photos" / "no-cards";
}

// Every image in the photographs folder through every detector: none of them shows a card,
// so any cardpoll read is wrong. The anchors' reads show what is there (real AprilTag and
// ArUco markers are, and count as right for them).
template <typename Tag16, typename Tag36>
int photo_table(const Detector& cardpoll_det, Tag16&& tag16, Tag36&& tag36) {
  const auto dir = photos_dir();
  std::printf("\n### real photographs without cards (%s)\n\n", "CARDPOLL_PHOTOS or ../shared/photos/no-cards");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::printf("skipped: folder absent (%s); set CARDPOLL_PHOTOS to a folder of photographs\n", dir.string().c_str());
    return 0;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".webp") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::printf("| photograph | size | cardpoll reads | cardpoll ms | aruco reads | tag16h5 reads | tag36h11 reads |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  int reads = 0;
  for (const auto& f : files) {
    const cv::Mat colour = cv::imread(f.string(), cv::IMREAD_COLOR);
    if (colour.empty()) {
      std::printf("| %s | unreadable | | | | | |\n", f.filename().string().c_str());
      continue;
    }
    cv::Mat g;
    cv::cvtColor(colour, g, cv::COLOR_BGR2GRAY);
    const double t0 = now_ms();
    const size_t n = cardpoll_det(colour).size();  // colour in, as the app passes frames
    const double ms = now_ms() - t0;
    reads += static_cast<int>(n);
    std::printf("| %s | %dx%d | %zu | %.1f | %zu | %zu | %zu |\n", f.filename().string().c_str(), g.cols, g.rows, n, ms,
                detect_aruco(g).size(), tag16(g).size(), tag36(g).size());
  }
  std::printf("\n%zu photographs, %d cardpoll reads (every one would be wrong)\n", files.size(), reads);
  std::fflush(stdout);
  return reads;
}

// Combined recall of buckets [from, kNB).
double recall_from(const Tally& t, int from) {
  int f = 0, n = 0;
  for (int b = from; b < kNB; ++b) f += t.found[b], n += t.total[b];
  return n ? 100.0 * f / n : 0;
}

struct SettingResult {
  std::string name;
  Tally cardpoll, aruco, tag16, tag36;
};

// The targets, each with its figure from this run.
void print_targets(const std::vector<SettingResult>& results, const std::map<std::string, Tally>& hunts, int photo_reads,
                   bool photos_run) {
  std::printf("\n### targets (this run)\n\n| setting | target | result | met? |\n|---|---|---|---|\n");
  auto row = [](const std::string& s, const std::string& target, double v, double goal, const char* unit) {
    std::printf("| %s | %s | %.2f%s | %s |\n", s.c_str(), target.c_str(), v, unit, v >= goal ? "met" : "**missed**");
  };
  for (const auto& r : results) {
    if (r.name == "easy") continue;
    const bool hard = r.name == "hard";
    row(r.name, hard ? "recall >= 16 px >= 97%" : "recall >= 16 px >= 99.5%", recall_from(r.cardpoll, 2), hard ? 97 : 99.5, "%");
    row(r.name, hard ? "12-16 px >= 80%" : "12-16 px >= 97%", r.cardpoll.recall(1), hard ? 80 : 97, "%");
    if (r.name == "typical") row(r.name, "8-12 px >= 50%", r.cardpoll.recall(0), 50, "%");
    for (int b = 2; b < kNB; ++b)
      row(r.name, std::string(kBucketNames[b]) + " px >= tag36h11 (" + std::to_string(r.tag36.recall(b)).substr(0, 5) + "%)",
          r.cardpoll.recall(b), r.tag36.recall(b), "%");
    const double ratio = r.aruco.median() > 0 ? r.cardpoll.median() / r.aruco.median() : 0;
    std::printf("| %s | decode <= 0.25x aruco | %.3fx | %s |\n", r.name.c_str(), ratio, ratio <= 0.25 ? "met" : "**missed**");
    std::printf("| %s | 0 wrong reads in the table | %d | %s |\n", r.name.c_str(), r.cardpoll.wrong, r.cardpoll.wrong == 0 ? "met" : "**missed**");
  }
  for (const auto& [name, t] : hunts)
    std::printf("| %s | 0 wrong reads in %d frames | %d | %s |\n", name.c_str(), t.frames, t.wrong, t.wrong == 0 ? "met" : "**missed**");
  if (photos_run) std::printf("| photographs | 0 reads | %d | %s |\n", photo_reads, photo_reads == 0 ? "met" : "**missed**");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 34, wrong_frames = 0;
  bool extra = true, anchors = true, plickers_only = false;
  const Deck* wrong_deck = find_deck("classroom");
  std::vector<scenes::Difficulty> settings = {scenes::Difficulty::Easy, scenes::Difficulty::Typical, scenes::Difficulty::Hard,
                                              scenes::Difficulty::Wild};
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
    } else if (a == "--settings" && i + 1 < argc) {
      settings.clear();
      std::string list = argv[++i];
      size_t start = 0;
      while (start <= list.size()) {
        const size_t c = list.find(',', start);
        const std::string w = list.substr(start, c == std::string::npos ? std::string::npos : c - start);
        try {
          settings.push_back(scenes::difficulty_from_name(w));
        } catch (const std::invalid_argument& e) {
          std::fprintf(stderr, "bench_scanner: %s\n", e.what());
          return usage();
        }
        if (c == std::string::npos) break;
        start = c + 1;
      }
    } else if (a == "--no-extra") {
      extra = false;
    } else if (a == "--cardpoll-only") {
      anchors = false;
      extra = false;
    } else {
      return usage();
    }
  }
  cv::setNumThreads(1);
  const Deck* classroom = find_deck("classroom");
  const Deck* large = find_deck("large");
  const Detector cardpoll_det = [&](const cv::Mat& g) { return detect_cardpoll(g, classroom); };
  if (plickers_only) return plickers_table(frames, cardpoll_det, settings);

#ifdef CARDPOLL_HAVE_APRILTAG
  AprilTag tag16(true), tag36(false);
  const Detector tag16_det = [&](const cv::Mat& g) { return tag16.detect(g); };
  const Detector tag36_det = [&](const cv::Mat& g) { return tag36.detect(g); };
#else
  const Detector tag16_det = [](const cv::Mat&) { return std::vector<Detection>{}; };
  const Detector tag36_det = tag16_det;
#endif
  std::vector<SettingResult> results;
  for (const auto d : settings) {
    SettingResult r;
    r.name = scenes::difficulty_name(d);
    for (int f = 0; f < frames; ++f) {
      auto spec = spec_for(1000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f), d, {1920, 1080});
      spec.placements = scenes::random_placements(spec);
      spec.markers = MarkerKind::Card;
      run(scenes::render_scene(spec), cardpoll_det, true, r.cardpoll);
      if (!anchors) continue;
      spec.markers = MarkerKind::Aruco4x4_50;
      run(scenes::render_scene(spec), detect_aruco, false, r.aruco);
#ifdef CARDPOLL_HAVE_APRILTAG
      spec.markers = MarkerKind::AprilTag16h5;
      run(scenes::render_scene(spec), tag16_det, false, r.tag16);
      spec.markers = MarkerKind::AprilTag36h11;
      run(scenes::render_scene(spec), tag36_det, false, r.tag36);
#endif
    }
    std::vector<std::pair<std::string, Tally>> rows = {{"cardpoll classroom", r.cardpoll}};
    if (anchors) {
      rows.push_back({"aruco DICT_4X4_50", r.aruco});
#ifdef CARDPOLL_HAVE_APRILTAG
      rows.push_back({"apriltag tag16h5", r.tag16});
      rows.push_back({"apriltag tag36h11", r.tag36});
#endif
    }
    print_table("1080p, " + r.name + ", 40 markers per frame", rows, r.aruco.median());
    results.push_back(std::move(r));
  }

  int photo_reads = 0;
  if (extra) {
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
    plickers_table(frames, cardpoll_det, settings);
    photo_reads = photo_table(cardpoll_det, tag16_det, tag36_det);
  }

  // Wrong-read hunt: cardpoll alone, many frames of each setting (seeds apart from the
  // comparison's).
  std::map<std::string, Tally> hunts;
  if (wrong_frames > 0) {
    std::vector<std::pair<std::string, Tally>> rows;
    const Detector hunt_det = [&](const cv::Mat& g) { return detect_cardpoll(g, wrong_deck); };
    for (const auto d : settings) {
      if (d == scenes::Difficulty::Easy) continue;
      Tally t;
      for (int f = 0; f < wrong_frames; ++f) {
        auto spec = spec_for(100000 * (static_cast<uint64_t>(d) + 1) + static_cast<uint64_t>(f), d, {1920, 1080});
        spec.deck = wrong_deck;  // placements drawn over the whole deck
        run(scenes::render_scene(spec), hunt_det, true, t);
        if ((f + 1) % 100 == 0)
          std::fprintf(stderr, "%s: %d frames, %d wrong reads\n", scenes::difficulty_name(d), f + 1, t.wrong);
      }
      hunts[scenes::difficulty_name(d)] = t;
      rows.push_back({std::string("cardpoll, ") + scenes::difficulty_name(d), t});
    }
    print_table("wrong-read hunt: cardpoll alone, deck " + std::string(wrong_deck->name) + ", " +
                    std::to_string(wrong_frames) + " 1080p frames per setting",
                rows, 0);
  }
  print_targets(results, hunts, photo_reads, extra && std::filesystem::is_directory(photos_dir()));
  int wrong = photo_reads;
  for (const auto& r : results) wrong += r.cardpoll.wrong;
  for (const auto& [n, t] : hunts) wrong += t.wrong;
  return wrong == 0 ? 0 : 1;
}
