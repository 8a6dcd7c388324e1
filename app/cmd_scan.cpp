// cardpoll scan: read the cards on images, folders, videos, cameras and streams.
// Images and folders are read one by one on this thread; videos, cameras and streams go
// through the live pipeline (scanner/pipeline.h): every frame of a file, in order, on two
// cores; the newest frame of a camera.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "app/cli.h"
#include "calibration/camera_profile.h"
#include "core/deck.h"
#include "core/json.h"
#include "scanner/frame_source.h"
#include "scanner/pipeline.h"
#include "scanner/read_cards.h"
#include "scanner/tracker.h"

namespace cardpoll::app {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

// Ctrl-C stops a camera run cleanly (results so far are printed) instead of killing it.
struct InterruptGuard {
  void (*previous)(int);
  InterruptGuard() : previous(std::signal(SIGINT, on_interrupt)) { g_interrupted = false; }
  ~InterruptGuard() { std::signal(SIGINT, previous); }
};

double round2(double v) { return std::round(v * 100.0) / 100.0; }

struct ScanSettings {
  bool json = false;
  bool stable = false;
  bool progress = false;          // stderr is a terminal
  std::optional<fs::path> draw;
  int64_t max_frames = 0;         // 0: no limit
  double max_seconds = 0;         // 0: no limit
  DetectParams detect;
  TrackerParams tracker;
  // --camera-profile: read_cards, then card corners straightened (docs/calibration.md).
  std::function<std::vector<CardRead>(const cv::Mat&)> detect_fn;
};

struct ScanState {
  bool bad_input = false;
  std::set<std::string> drawn_names;  // --draw file names used so far (no overwriting)
};

// Reads sorted by card, then position: the same frame always prints the same line.
void sort_reads(std::vector<CardRead>& reads) {
  std::sort(reads.begin(), reads.end(), [](const CardRead& a, const CardRead& b) {
    if (a.card != b.card) return a.card < b.card;
    if (a.corners[0].y != b.corners[0].y) return a.corners[0].y < b.corners[0].y;
    return a.corners[0].x < b.corners[0].x;
  });
}

void write_corners(JsonWriter& w, const std::array<cv::Point2f, 4>& corners) {
  w.key("corners").begin_array();
  for (const cv::Point2f& p : corners)
    w.begin_array().value(round2(p.x)).value(round2(p.y)).end_array();
  w.end_array();
}

// The stable --json line: {"source", "frame", "ms", "cards": [{"card", "answer", "corners"}]}
std::string frame_json(const std::string& source, int64_t frame, double ms,
                       const std::vector<CardRead>& reads) {
  JsonWriter w(0);
  w.begin_object();
  w.key("source").value(source);
  w.key("frame").value(frame);
  w.key("ms").value(round2(ms));
  w.key("cards").begin_array();
  for (const CardRead& r : reads) {
    w.begin_object();
    w.key("card").value(r.card);
    w.key("answer").value(std::string(1, answer_letter(r.answer)));
    write_corners(w, r.corners);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

std::string stable_json(const std::string& source, const StableRead& s) {
  JsonWriter w(0);
  w.begin_object();
  w.key("source").value(source);
  w.key("stable").begin_object();
  w.key("card").value(s.card);
  w.key("answer").value(std::string(1, answer_letter(s.answer)));
  w.key("ms").value(static_cast<int64_t>(s.time_ms));
  w.key("frames").value(s.frames_seen);
  write_corners(w, s.corners);
  w.end_object();
  w.end_object();
  return w.str();
}

std::string reads_text(const std::vector<CardRead>& reads) {
  std::string s;
  for (const CardRead& r : reads) s += "  " + std::to_string(r.card) + " " + answer_letter(r.answer);
  return s;
}

void report_problem(ScanState& st, const std::string& message) {
  std::fprintf(stderr, "cardpoll scan: %s\n", message.c_str());
  st.bad_input = true;
}

// An annotated copy: outline, the printed top-left corner (a dot), card number and letter.
void draw_reads(const ScanSettings& set, ScanState& st, const Frame& f,
                const std::vector<CardRead>& reads, bool video) {
  std::string base = fs::path(f.source).stem().string();
  if (base.empty()) base = "frame";
  std::replace_if(base.begin(), base.end(), [](char c) { return c == '/' || c == ':' || c == ' '; }, '_');
  if (video) {
    char num[32];
    std::snprintf(num, sizeof num, "-%06lld", static_cast<long long>(f.index));
    base += num;
  }
  std::string name = base + ".png";
  for (int n = 2; st.drawn_names.count(name); ++n) name = base + "-" + std::to_string(n) + ".png";
  st.drawn_names.insert(name);

  cv::Mat out;
  cv::cvtColor(f.gray, out, cv::COLOR_GRAY2BGR);
  for (const CardRead& r : reads) {
    std::vector<cv::Point> poly;
    for (const cv::Point2f& p : r.corners) poly.emplace_back(cvRound(p.x), cvRound(p.y));
    const float side = card_side(r.corners);
    const int thick = std::max(1, static_cast<int>(side / 25));
    cv::polylines(out, poly, true, cv::Scalar(0, 200, 0), thick, cv::LINE_AA);
    cv::circle(out, poly[0], std::max(2, thick + 1), cv::Scalar(0, 0, 255), cv::FILLED);
    const std::string label = std::to_string(r.card) + answer_letter(r.answer);
    const double scale = std::clamp(side / 40.0, 0.4, 1.5);
    int top = std::min({poly[0].y, poly[1].y, poly[2].y, poly[3].y});
    int left = std::min({poly[0].x, poly[1].x, poly[2].x, poly[3].x});
    const cv::Point at(left, std::max(12, top - 4));
    cv::putText(out, label, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), 3, cv::LINE_AA);
    cv::putText(out, label, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 255, 255), 1, cv::LINE_AA);
  }
  std::vector<uchar> png;
  if (!cv::imencode(".png", out, png))
    throw std::runtime_error((*set.draw / name).string() + ": cannot encode the picture");
  write_file_atomically(*set.draw / name, std::string(png.begin(), png.end()));
}

// A one-line progress bar on stderr (only on a terminal: logs get no carriage returns).
struct Progress {
  bool on = false;
  std::string name;
  int64_t total = -1;
  Clock::time_point last{};
  Clock::time_point start = Clock::now();
  void show(int64_t done, bool force = false) {
    if (!on) return;
    const auto now = Clock::now();
    if (!force && now - last < std::chrono::milliseconds(100)) return;
    last = now;
    const double secs = std::chrono::duration<double>(now - start).count();
    const double fps = secs > 0 ? static_cast<double>(done) / secs : 0;
    if (total > 0) {
      const int width = 30;
      const int filled = static_cast<int>(width * std::min<int64_t>(done, total) / total);
      std::fprintf(stderr, "\r%s [%s%s] %lld/%lld %.0f fps ", name.c_str(),
                   std::string(static_cast<size_t>(filled), '#').c_str(),
                   std::string(static_cast<size_t>(width - filled), '-').c_str(),
                   static_cast<long long>(done), static_cast<long long>(total), fps);
    } else {
      std::fprintf(stderr, "\r%s: %lld frames %.0f fps ", name.c_str(), static_cast<long long>(done), fps);
    }
  }
  void finish() {
    if (on) std::fprintf(stderr, "\r\033[K");
  }
};

int64_t progress_total(const ScanSettings& set, const FrameSource& src) {
  if (set.max_frames > 0 && src.frame_count > 0) return std::min(set.max_frames, src.frame_count);
  return set.max_frames > 0 ? set.max_frames : src.frame_count;
}

bool past_limits(const ScanSettings& set, int64_t done, int64_t time_ms) {
  return (set.max_frames > 0 && done >= set.max_frames) ||
         (set.max_seconds > 0 && static_cast<double>(time_ms) >= set.max_seconds * 1000);
}

// Images, folders, and videos with --draw: one frame after another on this thread (drawing
// is slower than reading; a pipeline would only pile up pictures waiting to be drawn).
void scan_on_this_thread(const ScanSettings& set, ScanState& st, FrameSource& src) {
  const bool images = src.kind == SourceKind::Image || src.kind == SourceKind::Folder;
  Tracker tracker;
  tracker.params = set.tracker;
  Progress progress;
  progress.on = set.progress && !images;
  progress.name = fs::path(src.name).filename().string();
  progress.total = progress_total(set, src);
  InterruptGuard guard;
  int64_t done = 0;
  while (!g_interrupted) {
    Frame f;
    const SourceRead r = src.read(f);
    if (r.status == SourceStatus::Ended) {
      if (!r.message.empty()) report_problem(st, r.message);
      break;
    }
    if (r.status == SourceStatus::Failed) {
      report_problem(st, r.message);
      if (src.live) continue;
      if (!images) break;  // a video that fails mid-way does not come back
      continue;
    }
    if (past_limits(set, done, f.time_ms)) break;
    const auto t0 = Clock::now();
    std::vector<CardRead> reads = set.detect_fn ? set.detect_fn(f.gray) : read_cards(f.gray, set.detect);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    sort_reads(reads);
    ++done;
    // Images are frame 0 of their own file; video frames keep their number.
    const int64_t frame_no = images ? 0 : f.index;
    if (set.json)
      std::printf("%s\n", frame_json(f.source, frame_no, ms, reads).c_str());
    else if (images)
      std::printf("%s: %zu card%s%s  (%.1f ms)\n", f.source.c_str(), reads.size(),
                  reads.size() == 1 ? "" : "s", reads_text(reads).c_str(), ms);
    else
      std::printf("%s frame %lld: %zu card%s%s  (%.1f ms)\n", f.source.c_str(),
                  static_cast<long long>(f.index), reads.size(), reads.size() == 1 ? "" : "s",
                  reads_text(reads).c_str(), ms);
    if (set.stable) {
      for (const StableRead& s : track_frame(tracker, reads, f.time_ms)) {
        if (set.json)
          std::printf("%s\n", stable_json(src.name, s).c_str());
        else
          std::printf("  stable: card %d %c\n", s.card, answer_letter(s.answer));
      }
    }
    if (set.draw) draw_reads(set, st, f, reads, !images);
    std::fflush(stdout);
    progress.show(done);
  }
  progress.finish();
}

// Videos, cameras, streams: through the pipeline.
void scan_frames(const ScanSettings& set, ScanState& st, FrameSource src) {
  const std::string name = src.name;
  const bool live = src.live;
  if (!src.granted.empty()) std::fprintf(stderr, "cardpoll scan: %s: %s\n", name.c_str(), src.granted.c_str());
  PipelineOptions po;
  po.detect_params = set.detect;
  po.detect = set.detect_fn;
  po.tracker = set.tracker;
  po.max_queued_frames = live ? 256 : 1 << 20;  // a file never loses a result
  Progress progress;
  progress.on = set.progress;
  progress.name = fs::path(name).filename().string();
  if (progress.name.empty()) progress.name = name;
  progress.total = progress_total(set, src);
  InterruptGuard guard;
  Pipeline p(std::move(src), po);
  int64_t done = 0;
  std::vector<double> detect_ms;
  std::map<int, std::map<char, int>> seen;  // card -> answer -> frames
  std::vector<StableRead> stable;
  bool stopped = false;
  for (;;) {
    PipelineOutput out = p.wait(100);
    for (const std::string& m : out.problems) report_problem(st, m);
    for (FrameResult& fr : out.frames) {
      if (stopped) break;
      if (past_limits(set, done, fr.time_ms)) {
        stopped = true;
        break;
      }
      ++done;
      sort_reads(fr.reads);
      detect_ms.push_back(fr.detect_ms);
      for (const CardRead& r : fr.reads) ++seen[r.card][answer_letter(r.answer)];
      if (set.json) std::printf("%s\n", frame_json(name, fr.index, fr.detect_ms, fr.reads).c_str());
      for (const StableRead& s : fr.stable) {
        stable.push_back(s);
        if (set.stable && set.json) std::printf("%s\n", stable_json(name, s).c_str());
      }
    }
    std::fflush(stdout);
    progress.show(done);
    if (stopped || g_interrupted) {
      p.stop();
      break;
    }
    if (out.finished) break;
  }
  progress.finish();
  const PipelineStats stats = p.stats();
  if (!set.json) {
    std::sort(detect_ms.begin(), detect_ms.end());
    const double median = detect_ms.empty() ? 0 : detect_ms[detect_ms.size() / 2];
    std::printf("%s: %lld frames, median %.1f ms per frame, %.1f fps, %lld dropped\n", name.c_str(),
                static_cast<long long>(done), median, stats.mean_fps,
                static_cast<long long>(stats.dropped));
    std::string cards;
    for (const auto& [card, answers] : seen)
      for (const auto& [letter, n] : answers)
        cards += " " + std::to_string(card) + letter + "x" + std::to_string(n);
    std::printf("  cards read (frames):%s\n", cards.empty() ? " none" : cards.c_str());
    if (set.stable)
      for (const StableRead& s : stable)
        std::printf("  stable at %7.2f s: card %d %c (%d frames)\n", static_cast<double>(s.time_ms) / 1000.0,
                    s.card, answer_letter(s.answer), s.frames_seen);
  }
  std::fflush(stdout);
}

int run_scan(const Context&, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"deck", true},
                                   {"json", false},
                                   {"draw", true},
                                   {"frames", true},
                                   {"seconds", true},
                                   {"stable", false},
                                   {"min-frames", true},
                                   {"window", true},
                                   {"camera-profile", true}});
  if (a.positional.empty()) throw UsageError("nothing to scan: give images, folders, videos or a camera");
  ScanSettings set;
  const std::string deck_name = a.get_or("deck", "classroom");
  set.detect.deck = find_deck(deck_name);
  if (!set.detect.deck) throw UsageError("--deck " + deck_name + ": no such deck (decks: " + deck_names() + ")");
  if (auto p = a.get("camera-profile"))
    set.detect_fn = calibration::undistorting_detector(calibration::load_camera_profile(*p), set.detect);
  set.json = a.has("json");
  set.stable = a.has("stable");
  set.max_frames = a.get_int("frames", 0, 1, 100000000);
  set.max_seconds = a.get_double("seconds", 0, 0.001, 1e7);
  set.tracker.min_frames = a.get_int("min-frames", set.tracker.min_frames, 1, 1000);
  set.tracker.window_ms = a.get_int("window", static_cast<int>(set.tracker.window_ms), 1, 600000);
  set.tracker = tracker_params_for(*set.detect.deck, set.tracker);  // the deck's rules only add strictness
  set.progress = ::isatty(STDERR_FILENO) != 0;
  if (auto d = a.get("draw")) {
    std::error_code ec;
    fs::create_directories(*d, ec);
    if (!fs::is_directory(*d, ec)) throw std::runtime_error(*d + ": cannot create the folder for --draw");
    set.draw = fs::path(*d);
  }

  ScanState st;
  for (const std::string& input : a.positional) {
    FrameSource src;
    try {
      src = open_source(input);
    } catch (const std::exception& e) {
      report_problem(st, e.what());
      continue;
    }
    try {
      if (src.kind == SourceKind::Image || src.kind == SourceKind::Folder || set.draw)
        scan_on_this_thread(set, st, src);
      else
        scan_frames(set, st, std::move(src));
    } catch (const std::exception& e) {
      report_problem(st, input + ": " + e.what());
    }
    if (g_interrupted) break;
  }
  return st.bad_input ? 1 : 0;
}

const bool registered = register_command(
    {"scan", "read the cards on images, folders, videos or a camera",
     "Usage: cardpoll scan [--deck NAME] [--json] [--draw DIR] [--stable]\n"
     "                     [--frames N] [--seconds S] [--camera-profile FILE] INPUT...\n\n"
     "Reads every card on each input and prints what it found. An INPUT is an image\n"
     "(.png .jpg ...), a folder of images (natural name order; other files skipped), a\n"
     "video file, a camera (0, 1, ... or /dev/video0; asked for 1920x1080 MJPG at 30 fps,\n"
     "the mode granted is printed on stderr) or a phone IP-camera stream (rtsp://,\n"
     "http://). Cameras run until --frames, --seconds or Ctrl-C.\n\n"
     "Options:\n"
     "  --deck NAME     classroom (default), large, or plickers (Plickers-format cards,\n"
     "                  read more strictly); see `cardpoll decks`\n"
     "  --json          one JSON object per line per image or video frame:\n"
     "                  {\"source\": \"path\", \"frame\": 0, \"ms\": 3.1, \"cards\": [{\"card\": 12,\n"
     "                  \"answer\": \"B\", \"corners\": [[x,y],[x,y],[x,y],[x,y]]}]}\n"
     "                  ms: decode time of the frame; corners: the printed pattern's\n"
     "                  top-left, top-right, bottom-right, bottom-left, in pixels. Images\n"
     "                  are frame 0 with their own path as source. This format is stable.\n"
     "  --stable        also the tracker's stable answers (an answer read the same way in\n"
     "                  several frames in a row): with --json as lines\n"
     "                  {\"source\": ..., \"stable\": {\"card\", \"answer\", \"ms\", \"frames\",\n"
     "                  \"corners\"}}\n"
     "  --draw DIR      write annotated copies into DIR (created if needed): outline, a\n"
     "                  dot on the printed top-left corner, card number and letter.\n"
     "                  Images: DIR/<name>.png; videos: DIR/<name>-<frame>.png\n"
     "  --frames N      at most N frames per input\n"
     "  --seconds S     stop each video or camera at S seconds\n"
     "  --min-frames N  tracker: agreeing reads for a stable answer (default " +
         std::to_string(TrackerParams{}.min_frames) + ")\n"
     "  --window MS     tracker: ...all within MS milliseconds (default " +
         std::to_string(TrackerParams{}.window_ms) + ")\n"
     "  --camera-profile FILE  a lens profile from `cardpoll calibrate camera`: card\n"
     "                  corners are reported straightened (as a distortion-free camera\n"
     "                  would see them); cards are still read on the original frame\n\n"
     "A progress bar goes to stderr for videos when stderr is a terminal; stdout carries\n"
     "only results. An input that cannot be read (missing, corrupt, not an image or\n"
     "video) is named on stderr, the others are still scanned, and the exit code is 1.\n",
     run_scan});

}  // namespace
}  // namespace cardpoll::app
