// bench_live: the live view's three performance figures (docs/live.md).
//
//   build-*/bench/bench_live --latency   frame-to-screen latency on the demo recording
//   build-*/bench/bench_live --ui        UI frame time, 60 students, 1920x1080
//   xvfb-run -a -s "-screen 0 2600x760x24" build-*/bench/bench_live --idle
//                                        CPU of `cardpoll live` in real windows: idle, and
//                                        while playing the demo
//   (no option: --latency and --ui; --idle also when DISPLAY is set)
//
// Latency: the demo recording is delivered at its own frame rate (12 fps) as a camera would (each frame
// stamped when it leaves the "camera", QR command reader included), through the real live
// pipeline (newest frame only, as for a camera) into the real LiveSession (answers stored
// durably in SQLite) and both views drawn by the software renderer, polled 60 times a second like the
// window loop. A frame's latency = the time its views finished drawing - its capture stamp.
//
// UI frame time: one LiveState with 60 roster tiles, a camera preview and 25 card outlines,
// drawn by the same renderers the windows use (SDL software renderer, as under Xvfb or on a
// machine without GPU: the slow case) at 1920x1080.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/store/db.h"
#include "core/exchange/import_db.h"
#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "core/store/storage.h"
#include "display/fonts.h"
#include "lesson/command_debounce.h"
#include "lesson/live_session.h"
#include "display/live_window.h"
#include "display/painter.h"
#include "display/render.h"
#include "display/view_model.h"
#include "scanner/qr_reader.h"
#include "scanner/pipeline.h"

using namespace cardpoll;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kDemo = fs::path(CARDPOLL_SOURCE_DIR) / "assets" / "demo";

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

double ms_since(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

fs::path temp_dir(const std::string& tag) {
  fs::path d = fs::temp_directory_path() / ("cardpoll-bench-live-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// One software-rendered target (what a window without GPU, or Xvfb, draws with), drawn by
// the windows' own renderers, without reading the pixels back.
struct SoftwareTarget {
  SDL_Surface* surface = nullptr;
  SDL_Renderer* renderer = nullptr;
  std::unique_ptr<display::FontCache> fonts;
  std::unique_ptr<display::Painter> painter;
  display::PreviewTexture preview;
  SoftwareTarget(int w, int h) {
    surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    renderer = surface ? SDL_CreateSoftwareRenderer(surface) : nullptr;
    if (!renderer) throw std::runtime_error(std::string("SDL: ") + SDL_GetError());
    fonts = std::make_unique<display::FontCache>();
    painter = std::make_unique<display::Painter>(renderer, fonts.get());
  }
  ~SoftwareTarget() {
    painter.reset();
    if (preview.texture) SDL_DestroyTexture(preview.texture);
    preview.texture = nullptr;
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
  }
};

// ------------------------------------------------------------------ latency

// Capture stamps by frame index, written on the capture thread, read on the UI thread.
struct Stamps {
  std::mutex m;
  std::map<int64_t, Clock::time_point> at;
};

// The file, delivered like a camera: frame i leaves at start + i / fps (the decode and the
// QR reader are inside that, as a camera's MJPG decode would be), stamped as it leaves.
FrameSource paced_and_stamped(FrameSource inner, double fps, std::shared_ptr<Stamps> stamps) {
  FrameSource s = inner;
  s.live = true;  // drop stale frames, as for a camera
  auto start = std::make_shared<std::optional<Clock::time_point>>();
  auto index = std::make_shared<int64_t>(0);
  auto read = inner.read;
  s.read = [=](Frame& f) {
    if (!*start) *start = Clock::now();
    std::this_thread::sleep_until(**start + std::chrono::microseconds(static_cast<int64_t>(1e6 * *index / fps)));
    ++*index;
    SourceRead r = read(f);
    std::lock_guard<std::mutex> lock(stamps->m);
    stamps->at[f.index] = Clock::now();
    return r;
  };
  return s;
}

void bench_latency() {
  const fs::path dir = temp_dir("latency");
  Database db(dir / "db");
  store_roster(db, import_roster_file(kDemo / "class.csv"), {"Demo class", "classroom", false});
  store_questions(db, import_questions_file(kDemo / "questions.csv"), {"Demo quiz", false});

  FrameSource src = open_source((kDemo / "demo.mp4").string());
  const double fps = src.fps > 0 ? src.fps : 30;
  auto stamps = std::make_shared<Stamps>();
  auto mailbox = std::make_shared<QrMailbox>();
  src = with_qr_reader(paced_and_stamped(std::move(src), fps, stamps), mailbox);
  lesson::CommandDebounce debounce;

  lesson::LiveSession session = lesson::start_live_session(db, "Demo class", "Demo quiz", now_ms());
  const TimeMs base = now_ms();
  PipelineOptions po;
  po.keep_images = true;
  po.policy = FramePolicy::NewestOnly;
  po.max_failures_in_a_row = 1 << 30;
  Pipeline pipeline(std::move(src), po);
  SoftwareTarget projector(1280, 720), teacher(1280, 720);

  std::vector<double> latency, latency_with_reads, ui_ms;
  display::PreviewImage preview;
  uint64_t preview_frame = 0;
  int64_t dropped = 0;
  const auto budget = std::chrono::microseconds(16667);
  for (;;) {
    const auto tick = Clock::now();
    PipelineOutput out = pipeline.poll();
    if (!out.frames.empty()) {
      // What the app does with a poll: commands, then each frame's stable reads.
      for (const auto& fr : out.frames) {
        for (const auto& seen : mailbox->take_until(fr.time_ms))
          for (const auto& c : lesson::debounce_commands(debounce, seen.texts, seen.time_ms)) {
            const auto fx = lesson::apply_input(session, lesson::input_for_command(c.command), base + c.time_ms);
            if (fx.reset_tracker) pipeline.reset_tracker();
          }
        for (const auto& st : fr.stable) lesson::record_read(session, st.card, st.answer, base + fr.time_ms);
      }
      const FrameResult& newest = out.frames.back();
      if (!newest.image.empty()) {  // as the app does: a grey preview at most 960 px wide
        cv::Mat g = newest.image;
        if (g.cols > 960) cv::resize(g, g, cv::Size(), 960.0 / g.cols, 960.0 / g.cols, cv::INTER_AREA);
        if (!g.isContinuous()) g = g.clone();
        preview.width = g.cols;
        preview.height = g.rows;
        preview.grey.assign(g.data, g.data + g.total());
        ++preview_frame;
      }
      session.state.seen.clear();
      for (const auto& r : newest.reads) session.state.seen.push_back({r.card, r.answer, {}, ""});
      const auto drawn_from = Clock::now();
      display::draw_projector(*projector.painter, display::projector_view(session.state), 1280, 720);
      SDL_RenderPresent(projector.renderer);
      display::update_preview(teacher.renderer, teacher.preview, preview, preview_frame);
      display::draw_teacher(*teacher.painter, display::teacher_view(session.state), &teacher.preview, 1280, 720);
      SDL_RenderPresent(teacher.renderer);
      const auto drawn = Clock::now();
      ui_ms.push_back(ms_since(drawn_from, drawn));
      std::lock_guard<std::mutex> lock(stamps->m);
      for (const auto& fr : out.frames) {
        const auto it = stamps->at.find(fr.index);
        if (it == stamps->at.end()) continue;
        const double l = ms_since(it->second, drawn);
        latency.push_back(l);
        if (!fr.reads.empty()) latency_with_reads.push_back(l);
        stamps->at.erase(it);
      }
    }
    dropped = out.stats.dropped;
    if (out.finished) break;
    const auto spent = Clock::now() - tick;
    if (spent < budget) std::this_thread::sleep_for(budget - spent);
  }
  lesson::end_live_session(session, now_ms());
  const SessionData data = load_session_data(db, session.collector->session_id());
  std::printf("latency: demo recording at %.0f fps, %zu frames shown, %lld dropped; %zu asks, %zu answers stored\n",
              fps, latency.size(), static_cast<long long>(dropped), data.asks.size(), data.responses.size());
  std::printf("latency: capture -> both views drawn: median %.1f ms, p95 %.1f ms, max %.1f ms\n",
              percentile(latency, 0.5), percentile(latency, 0.95), percentile(latency, 1.0));
  std::printf("latency: frames with card reads (%zu): median %.1f ms, p95 %.1f ms, max %.1f ms\n",
              latency_with_reads.size(), percentile(latency_with_reads, 0.5), percentile(latency_with_reads, 0.95),
              percentile(latency_with_reads, 1.0));
  std::printf("latency: of which drawing both views at 1280x720: median %.1f ms, p95 %.1f ms\n",
              percentile(ui_ms, 0.5), percentile(ui_ms, 0.95));
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ UI frame time

display::LiveState sixty_students(bool revealed) {
  display::LiveState s;
  s.class_name = "Period 3";
  s.set_name = "Fractions";
  s.position = 2;
  s.count = 10;
  s.question_text = "Which fraction is equal to 2/4? Think about what happens when you double the top and bottom.";
  s.choices = {"1/2", "3/4", "2/8", "4/2"};
  s.correct = Answer::A;
  s.scanning = !revealed;
  s.revealed = revealed;
  const char* names[] = {"Ana", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivan", "Jun"};
  for (int i = 0; i < 60; ++i) {
    display::RosterEntry e;
    e.card = i + 1;
    e.name = std::string(names[i % 10]) + " " + static_cast<char>('A' + i / 10);
    e.full_name = e.name + " Longsurname";
    if (i % 5 != 4) e.answer = static_cast<Answer>(i % 4);
    s.roster.push_back(e);
  }
  for (int i = 0; i < 25; ++i) {
    display::SeenCard c;
    c.card = i + 1;
    c.answer = static_cast<Answer>(i % 4);
    const float x = 40.0f + static_cast<float>(i % 5) * 180, y = 40.0f + static_cast<float>(i / 5) * 95;
    c.corners = {x, y, x + 60, y, x + 60, y + 60, x, y + 60};
    c.student = s.roster[static_cast<size_t>(i)].name;
    s.seen.push_back(c);
  }
  s.unassigned_cards = {61, 62};
  s.warnings = {"Cards look small (17 px): move the camera closer"};
  s.fps = 29.8;
  s.latency_ms = 54;
  s.source = "camera 0";
  s.status = "QR next: question 2 open, scanning";
  return s;
}

display::PreviewImage test_preview() {
  display::PreviewImage preview;
  preview.width = 960;
  preview.height = 540;
  preview.grey.resize(static_cast<size_t>(960) * 540);
  for (size_t i = 0; i < preview.grey.size(); ++i) preview.grey[i] = static_cast<uint8_t>((i * 7) % 251);
  return preview;
}

// What changes each frame of a lesson: a new camera frame, the fps figure, and now and then
// a student's answer (here every 10th frame).
void next_frame(display::LiveState& s, int i) {
  s.fps = 29 + (i % 10) * 0.1;
  if (i % 10 == 0) s.roster[static_cast<size_t>(i / 10 % 60)].answer = static_cast<Answer>(i % 4);
}

void print_times(const char* what, const std::vector<double>& proj, const std::vector<double>& teach,
                 const std::vector<double>& both) {
  std::printf("ui:   %s: projector median %.2f ms p95 %.2f ms; teacher median %.2f ms p95 %.2f ms;"
              " both windows median %.2f ms p95 %.2f ms\n",
              what, percentile(proj, 0.5), percentile(proj, 0.95), percentile(teach, 0.5), percentile(teach, 0.95),
              percentile(both, 0.5), percentile(both, 0.95));
}

void bench_ui() {
  const display::PreviewImage preview = test_preview();
  const int frames = 200;
  SoftwareTarget projector(1920, 1080), teacher(1920, 1080);
  for (bool revealed : {false, true}) {
    display::LiveState s = sixty_students(revealed);
    std::vector<double> proj, teach, both;
    for (int i = 0; i < frames + 10; ++i) {
      next_frame(s, i);
      const auto t0 = Clock::now();
      display::draw_projector(*projector.painter, display::projector_view(s), 1920, 1080);
      SDL_RenderPresent(projector.renderer);
      const auto t1 = Clock::now();
      display::update_preview(teacher.renderer, teacher.preview, preview, static_cast<uint64_t>(i + 1));
      display::draw_teacher(*teacher.painter, display::teacher_view(s), &teacher.preview, 1920, 1080);
      SDL_RenderPresent(teacher.renderer);
      const auto t2 = Clock::now();
      if (i < 10) continue;  // warm-up: fonts opened, text textures cached
      proj.push_back(ms_since(t0, t1));
      teach.push_back(ms_since(t1, t2));
      both.push_back(ms_since(t0, t2));
    }
    std::printf("ui: 60 students, 1920x1080, %s, %d frames, each with a new camera frame:\n",
                revealed ? "revealed (bar chart)" : "collecting (roster tiles)", frames);
    print_times("software renderer, offscreen", proj, teach, both);
  }
  const char* d = std::getenv("DISPLAY");
  if (!d || !*d) return;
  // The real windows (draw_live_windows: draw + present to the X server), 1920x1080 each.
  auto windows = display::open_live_windows({false, 1920, 1080});
  for (bool revealed : {false, true}) {
    display::LiveState s = sixty_students(revealed);
    std::vector<double> both;
    for (int i = 0; i < frames + 10; ++i) {
      next_frame(s, i);
      display::poll_window_input(*windows);
      const auto t0 = Clock::now();
      display::draw_live_windows(*windows, s, &preview, static_cast<uint64_t>(i + 1));
      if (i >= 10) both.push_back(ms_since(t0, Clock::now()));
    }
    std::printf("ui:   real windows on %s (SDL renderer %s), %s: both windows median %.2f ms p95 %.2f ms\n", d,
                display::renderer_name(*windows).c_str(), revealed ? "revealed" : "collecting", percentile(both, 0.5), percentile(both, 0.95));
  }
}

// ------------------------------------------------------------------ idle CPU

// CPU seconds (user + system) of process `pid` so far, from /proc.
double process_cpu_s(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(f, line);
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream in(line.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string w; in >> w;) fields.push_back(w);
  // After "pid (comm)": state is field 3; utime 14, stime 15 (1-based) -> 11, 12 here.
  if (fields.size() < 13) return -1;
  return (std::stod(fields[11]) + std::stod(fields[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Runs `cardpoll live` in real windows on `source` for `total_s` seconds and returns its CPU
// use (% of one core) between `from_s` and `total_s - 1`.
double live_cpu_percent(const fs::path& dir, const std::string& source, int from_s, int total_s) {
  // Output still buffered would be written twice (by the child too) when stdout is a file.
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string db = (dir / "db").string(), quit = std::to_string(total_s);
    if (!std::freopen((dir / "live.log").c_str(), "a", stdout)) _exit(127);
    execl(CARDPOLL_EXE, CARDPOLL_EXE, "--db", db.c_str(), "live", "--source", source.c_str(), "--quit-after",
          quit.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::seconds(from_s));
  const double c0 = process_cpu_s(pid);
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(total_s - 1 - from_s));
  const double c1 = process_cpu_s(pid);
  const double wall = ms_since(t0, Clock::now()) / 1000;
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || c0 < 0 || c1 < 0) {
    std::fprintf(stderr, "idle: cardpoll live failed (see %s)\n", (dir / "live.log").c_str());
    std::exit(1);
  }
  return 100 * (c1 - c0) / wall;
}

void bench_idle() {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) {
    std::fprintf(stderr, "idle: needs a display (run under xvfb-run)\n");
    std::exit(2);
  }
  const fs::path dir = temp_dir("idle");
  // One still frame of the demo: the source ends at once, then nothing changes on screen.
  cv::VideoCapture cap((kDemo / "demo.mp4").string());
  cv::Mat frame;
  for (int i = 0; i < 60 && cap.read(frame); ++i) {
  }
  const fs::path still = dir / "still.png";
  cv::imwrite(still.string(), frame);
  const double idle = live_cpu_percent(dir, still.string(), 4, 14);
  std::printf("idle: cardpoll live in two 1280x720 windows, nothing changing: %.1f%% of one core (9 s)\n", idle);
  const double playing = live_cpu_percent(dir, (kDemo / "demo.mp4").string(), 3, 14);
  std::printf("idle: for comparison, playing the demo recording at its own speed: %.1f%% of one core (10 s)\n", playing);
  fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  bool latency = false, ui = false, idle = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--latency") latency = true;
    else if (a == "--ui") ui = true;
    else if (a == "--idle") idle = true;
    else {
      std::fprintf(stderr, "usage: bench_live [--latency] [--ui] [--idle]\n");
      return 2;
    }
  }
  if (!latency && !ui && !idle) {
    latency = ui = true;
    const char* d = std::getenv("DISPLAY");
    idle = d && *d;
  }
  if (ui) bench_ui();
  if (latency) bench_latency();
  if (idle) bench_idle();
  return 0;
}
