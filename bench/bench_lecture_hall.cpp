// A lecture hall: 299 students (every card of the `large` deck) holding up their answers,
// filmed by two 1080p cameras (each sees a little more than half the hall; the middle columns
// by both) or by one 4K camera, replayed at 30 fps like cameras (newest frame only) on this
// machine's cores. Measures each camera's fps, capture-to-result latency and dropped frames,
// and the answers RECORDED (through the lesson room's merge and a real collector on SQLite)
// against the truth: right, wrong, missed, and when the last one came in.
//
//   bench_lecture_hall                      # both layouts, 90 frames (3 s) each
//   bench_lecture_hall --layout two-1080p   # or one-4k
//   bench_lecture_hall --frames 150 --difficulty typical
// Videos are rendered once (tools/scenes) and cached in $TMPDIR/cardpoll-bench-hall-*/.
// Each layout runs in its own process (ru_maxrss is its own). See docs/live.md, "Lecture hall".
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/store/db.h"
#include "core/store/storage.h"
#include "lesson/camera_merge.h"
#include "lesson/live_session.h"
#include "scanner/pipeline.h"
#include "scanner/tracker.h"
#include "tools/scenes/scene.h"

using namespace cardpoll;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kCols = 23, kRows = 13;  // 299 seats: the large deck has 299 cards

struct Seat {
  int card;
  Answer answer;
  float hx, hy;  // place in the hall, 0..1 (x across, y from the back row 0 to the front 1)
};

std::vector<Seat> hall(uint64_t seed) {
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::vector<Seat> seats;
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c) {
      Seat s;
      s.card = r * kCols + c + 1;
      s.answer = static_cast<Answer>(std::uniform_int_distribution<int>(0, 3)(rng));
      s.hx = (c + 0.5f) / kCols;
      s.hy = (r + 0.5f) / kRows;
      seats.push_back(s);
    }
  return seats;
}

struct View {
  std::string name;
  cv::Size size;
  float x0, x1;  // the part of the hall across the frame
};

// Where a seat appears in a view; false when outside it. The back rows are further away:
// smaller and closer together.
bool place(const View& v, const Seat& s, scenes::Placement& p) {
  if (s.hx < v.x0 || s.hx > v.x1) return false;
  const float w = static_cast<float>(v.size.width), h = static_cast<float>(v.size.height);
  const float u = (s.hx - v.x0) / (v.x1 - v.x0);
  const float scale = 0.7f + 0.3f * s.hy;  // back row 0.7, front row 1
  const float col_px = w * 0.92f / ((v.x1 - v.x0) * kCols);
  p.card = s.card;
  p.answer = s.answer;
  p.centre = {w * 0.5f + (u - 0.5f) * w * 0.92f * (0.85f + 0.15f * s.hy), h * (0.1f + 0.82f * s.hy)};
  p.side_px = std::min(col_px * 0.42f, h * 0.82f / kRows * 0.55f) * scale;
  return true;
}

fs::path render(const View& v, const std::vector<Seat>& seats, int frames, scenes::Difficulty difficulty, uint64_t seed) {
  const fs::path dir = fs::temp_directory_path() / ("cardpoll-bench-hall-" + std::to_string(frames) + "-" +
                                                    difficulty_name(difficulty) + "-" + std::to_string(seed));
  fs::create_directories(dir);
  const fs::path video = dir / (v.name + ".avi");
  if (fs::exists(video)) return video;
  const Deck* deck = find_deck("large");
  std::vector<scenes::Placement> base;
  for (const Seat& s : seats) {
    scenes::Placement p;
    if (place(v, s, p)) base.push_back(p);
  }
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::uniform_real_distribution<float> tremor(-0.7f, 0.7f);
  std::vector<cv::Point2f> offset(base.size());
  const fs::path tmp = video.string() + ".part.avi";
  cv::VideoWriter w(tmp.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, v.size, true);
  if (!w.isOpened()) throw std::runtime_error(tmp.string() + ": cannot write the video");
  w.set(cv::VIDEOWRITER_PROP_QUALITY, 90);
  for (int f = 0; f < frames; ++f) {
    scenes::SceneSpec s;
    s.size = v.size;
    s.deck = deck;
    s.difficulty = difficulty;
    s.seed = seed * 100003 + static_cast<uint64_t>(f);
    s.placements = base;
    for (size_t i = 0; i < base.size(); ++i) {  // hands are never still
      offset[i] += cv::Point2f(tremor(rng), tremor(rng));
      offset[i].x = std::clamp(offset[i].x, -4.0f, 4.0f);
      offset[i].y = std::clamp(offset[i].y, -4.0f, 4.0f);
      s.placements[i].centre += offset[i];
    }
    const scenes::Scene sc = scenes::render_scene(s);
    cv::Mat bgr;
    cv::cvtColor(sc.gray, bgr, cv::COLOR_GRAY2BGR);
    w.write(bgr);
    std::fprintf(stderr, "\rrendering %s %d/%d", v.name.c_str(), f + 1, frames);
  }
  std::fprintf(stderr, "\n");
  w.release();
  fs::rename(tmp, video);
  return video;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5))];
}

struct Camera {
  std::unique_ptr<Pipeline> pipeline;
  Tracker tracker;
  std::deque<std::vector<CardRead>> waiting;
  std::vector<double> latency;
  bool finished = false;
  PipelineStats stats;
};

// One layout, start to end, as `cardpoll live --source ... --source ...` runs it.
int run_layout(const std::string& layout, int frames, scenes::Difficulty difficulty, uint64_t seed) {
  const std::vector<Seat> seats = hall(seed);
  std::vector<View> views;
  if (layout == "one-4k")
    views = {{"4k", {3840, 2160}, 0.0f, 1.0f}};
  else
    views = {{"left-1080p", {1920, 1080}, 0.0f, 0.58f}, {"right-1080p", {1920, 1080}, 0.42f, 1.0f}};
  std::vector<fs::path> videos;
  for (const View& v : views) videos.push_back(render(v, seats, frames, difficulty, seed));

  // A real lesson: the class of 299 on the large deck, one question open, a real collector.
  const fs::path dbdir = fs::temp_directory_path() / ("cardpoll-bench-hall-db-" + std::to_string(::getpid()));
  fs::remove_all(dbdir);
  fs::create_directories(dbdir);
  Database db(dbdir / "hall.db");
  const ClassInfo k = create_class(db, "Hall", "large");
  for (const Seat& s : seats) {
    Student st;
    st.class_id = k.id;
    st.display_name = "Student " + std::to_string(s.card);
    st.first_name = st.display_name;
    st.card = s.card;
    add_student(db, st);
  }
  const QuestionSet set = create_question_set(db, "Hall quiz");
  Question q;
  q.text = "Which one?";
  q.choices = {"one", "two", "three", "four"};
  q.correct = Answer::A;
  add_question(db, set.id, q);
  const TimeMs base = now_ms();
  lesson::LiveSession session = lesson::start_live_session(db, "Hall", "Hall quiz", base);
  lesson::apply_input(session, *lesson::input_for_key('n'), base);

  std::vector<Camera> cams(videos.size());
  PipelineOptions po;
  po.detect_params.deck = find_deck("large");
  po.policy = FramePolicy::NewestOnly;  // like a camera: a frame not read in time is dropped
  po.pace_fps = 30;
  po.workers = cams.size() > 1 ? 1 : 0;  // as cardpoll live shares two cores between two pipelines
  const TrackerParams tp = tracker_params_for(*po.detect_params.deck, po.tracker);
  for (size_t c = 0; c < cams.size(); ++c) {
    cams[c].tracker.params = tp;
    cams[c].pipeline = std::make_unique<Pipeline>(open_source(videos[c].string()), po);
  }
  lesson::FrameOrder order(static_cast<int>(cams.size()));
  lesson::AnswerMerge merge{lesson::merge_params_for(static_cast<int>(cams.size()))};
  int64_t last_answer_ms = 0;
  auto handle = [&](lesson::CameraFrame f) {
    Camera& cam = cams[static_cast<size_t>(f.camera)];
    for (const StableRead& s : track_frame(cam.tracker, cam.waiting.front(), f.time_ms)) f.stable.push_back({s.card, s.answer});
    cam.waiting.pop_front();
    std::vector<Collector::Read> reads;
    for (const auto& a : lesson::merge_frame(merge, f)) reads.push_back({a.card, a.answer, base + a.time_ms});
    if (!reads.empty()) last_answer_ms = f.time_ms;
    lesson::record_reads(session, reads);
  };
  const auto start = Clock::now();
  rusage ru0{};
  getrusage(RUSAGE_SELF, &ru0);
  while (!std::all_of(cams.begin(), cams.end(), [](const Camera& c) { return c.finished; })) {
    bool waited = false;
    for (size_t c = 0; c < cams.size(); ++c) {
      Camera& cam = cams[c];
      if (cam.finished) continue;
      PipelineOutput out = waited ? cam.pipeline->poll() : cam.pipeline->wait(20);
      waited = true;
      for (const FrameResult& fr : out.frames) {
        lesson::CameraFrame f;
        f.camera = static_cast<int>(c);
        f.time_ms = fr.time_ms;
        for (const auto& r : fr.reads) f.reads.push_back({r.card, r.answer});
        lesson::add_frame(order, std::move(f));
        cam.waiting.push_back(fr.reads);
        cam.latency.push_back(fr.latency_ms);
      }
      cam.stats = out.stats;
      cam.finished = out.finished;
      lesson::set_holding(order, static_cast<int>(c), !cam.finished);
    }
    for (auto& f : lesson::release_frames(order)) handle(std::move(f));
  }
  for (auto& f : lesson::release_all(order)) handle(std::move(f));
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  lesson::end_live_session(session, now_ms());

  // Recorded against the truth.
  const SessionData data = load_session_data(db, session.collector->session_id());
  std::map<Id, int> card_of;
  for (const auto& s : data.students) card_of[s.id] = s.card;
  std::map<int, Answer> truth;
  for (const Seat& s : seats) truth[s.card] = s.answer;
  int right = 0, wrong = 0;
  for (const auto& r : data.responses) (r.answer == truth.at(card_of.at(r.student_id)) ? right : wrong)++;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double cpu_s = static_cast<double>(ru.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                       static_cast<double>(ru.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
  std::printf("%s, %d frames at 30 fps, %s, %.1f s:\n", layout.c_str(), frames, difficulty_name(difficulty), wall);
  for (size_t c = 0; c < cams.size(); ++c) {
    const PipelineStats& st = cams[c].stats;
    std::printf("  %-12s %dx%d  fps %.1f  processed %lld / %lld  dropped %lld  latency p50 %.0f p95 %.0f max %.0f ms  detect %.0f ms\n",
                views[c].name.c_str(), views[c].size.width, views[c].size.height,
                static_cast<double>(st.processed) / wall, static_cast<long long>(st.processed),
                static_cast<long long>(st.captured), static_cast<long long>(st.dropped), percentile(cams[c].latency, 0.5),
                percentile(cams[c].latency, 0.95), st.max_latency_ms, st.mean_detect_ms);
  }
  int64_t processed = 0;
  for (const auto& c : cams) processed += c.stats.processed;
  // CPU per frame does not depend on what else the machine runs; wall-clock fps does.
  std::printf("  answers recorded %zu / %zu: right %d, wrong %d, missed %zu; last answer at %.2f s of video; "
              "CPU %.1f s (%.0f %% of 2 cores), %.1f ms per frame read; peak RSS %.0f MB\n",
              data.responses.size(), seats.size(), right, wrong, seats.size() - data.responses.size(),
              last_answer_ms / 1000.0, cpu_s, 100 * cpu_s / (2 * wall), 1000 * cpu_s / std::max<int64_t>(1, processed),
              static_cast<double>(ru.ru_maxrss) / 1024.0);
  std::fflush(stdout);
  fs::remove_all(dbdir);
  return wrong == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string layout = "both";
  int frames = 90;
  uint64_t seed = 5;
  scenes::Difficulty difficulty = scenes::Difficulty::Easy;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--layout") layout = value();
    else if (a == "--frames") frames = std::stoi(value());
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--difficulty") difficulty = scenes::difficulty_from_name(value());
    else throw std::runtime_error("unknown option " + a + " (--layout two-1080p|one-4k|both, --frames N, --seed N, --difficulty easy|typical|hard)");
  }
  if (layout != "both" && layout != "two-1080p" && layout != "one-4k") throw std::runtime_error("--layout " + layout);
  if (frames < 12 || frames > 3000) throw std::runtime_error("--frames must be 12-3000");
  if (layout != "both") return run_layout(layout, frames, difficulty, seed);
  int rc = 0;
  for (const std::string l : {"two-1080p", "one-4k"}) {
    const pid_t pid = fork();  // each layout in its own process: its own peak RSS
    if (pid == 0) std::_Exit(run_layout(l, frames, difficulty, seed));
    int status = 0;
    waitpid(pid, &status, 0);
    rc |= WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  }
  return rc;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_lecture_hall: %s\n", e.what());
  return 2;
}
