// cardpoll live: the lesson. Wiring only: a frame source (camera, stream, file or the bundled
// demo recording) with the QR command reader, the scanner's live pipeline, the live session
// controller (display/live_session.h) and either the two SDL windows or, headless, a text
// tally in the terminal. The UI thread never waits for the camera or the detector: it polls.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "app/lesson.h"
#include "calibration/camera_profile.h"
#include "core/groups_store.h"
#include "core/import_db.h"
#include "core/import_questions.h"
#include "core/import_roster.h"
#include "core/atomic_file.h"
#include "core/recovery_file.h"
#include "core/storage.h"
#include "display/live_session.h"
#include "display/live_window.h"
#include "display/offscreen.h"
#include "scanner/command_reader.h"
#include "scanner/pipeline.h"
#include "scanner/resilient_source.h"

namespace cardpoll::app {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const char* const kUsage =
    "Usage: cardpoll live [--class NAME [--set NAME]] [--source CAMERA|URL|FILE]\n"
    "                     [--headless] [--snapshot DIR] [--fullscreen] [--timer SECONDS]\n"
    "                     [--camera-profile FILE] [--quit-after SECONDS] [--screenshot FILE]\n"
    "                     [--resume [SESSION]] [--save-wait SECONDS]\n\n"
    "Runs a lesson: the camera reads every student's card, answers are stored as they come\n"
    "(each one on disk before it is shown), and two windows open: the PROJECTOR (question,\n"
    "who has answered, and after the reveal a bar chart) and the TEACHER's (camera preview\n"
    "with every card outlined and labelled, who answered what, warnings, fps and latency).\n"
    "Each run is a new session; see `cardpoll session list` and `cardpoll export`.\n\n"
    "With no --class/--set, the bundled demo class and question set are used (imported into\n"
    "the database on first use). With no --source, the default camera; when there is none,\n"
    "the bundled demo recording plays.\n\n"
    "Options:\n"
    "  --class NAME       the class (see `cardpoll class list`)\n"
    "  --set NAME         the question set (see `cardpoll questions list`)\n"
    "  --source SPEC      a camera index (0) or device (/dev/video0), an rtsp:// or http://\n"
    "                     stream, or a video file / folder of images\n"
    "  --headless         no windows (also when there is no display): a live text tally;\n"
    "                     a file source is read as fast as possible and the run ends with it\n"
    "  --snapshot DIR     write PNGs of both views (rendered offscreen) 3 s after a question\n"
    "                     opens (DIR/ask<N>-collecting-*.png), at each reveal and\n"
    "                     at the end: DIR/ask<N>-projector.png, DIR/end-teacher.png, ...\n"
    "  --fullscreen       the projector window full screen (on the second display if any)\n"
    "  --timer SECONDS    the countdown the T key starts (default 300)\n"
    "  --camera-profile FILE  a lens profile from `cardpoll calibrate camera`: card corners\n"
    "                     are straightened before reading (docs/calibration.md)\n"
    "  --quit-after SECONDS  end the lesson by itself after this long (demos, CI)\n"
    "  --screenshot FILE  at the end, save both windows as drawn (projector left, teacher\n"
    "                     right) as a PNG; headless: both views rendered offscreen\n"
    "  --resume [SESSION] continue the session left open by a crash, a kill or a power cut\n"
    "                     (the newest open one, of --class when given), with its open\n"
    "                     question and the answers it has\n"
    "  --save-wait SECONDS  at the end, how long to keep trying to save answers the\n"
    "                     database refused (locked, disk full) before writing them to a\n"
    "                     recovery file beside it (default 30)\n\n"
    "Output paths (--screenshot, --snapshot) are checked before the lesson starts. When the\n"
    "database refuses a write (another program holds its lock, the disk is full), the lesson\n"
    "goes on: answers wait in memory, in order, marked NOT YET SAVED in the teacher window\n"
    "and the terminal (the projector shows them as waiting, never as answered), and each is\n"
    "saved as soon as the database accepts it. Answers still waiting at the end go to a\n"
    "recovery file (<database>.recovery-*, 0600) that the next start imports.\n"
    "SIGINT, SIGTERM and SIGHUP (the terminal closed) end the lesson the same clean way.\n\n"
    "Keys: Space scanning on/off, Enter reveal, N/P next/previous question, H hide names,\n"
    "G groups (the newest grouping saved with `cardpoll groups suggest --save`), T timer, F full screen, Q quit, ? help.\n"
    "K asks a quick question (asked aloud, choices A-D, nothing prepared); after revealing it,\n"
    "1-4 choose its right answer (A-D), 0 none. --class without --set: a lesson of quick\n"
    "questions only (N and Space ask the next one). They are stored and exported like any ask.\n"
    "QR command cards (`cardpoll cards --commands`): cardpoll:next, cardpoll:prev,\n"
    "cardpoll:reveal, cardpoll:scan/start, cardpoll:scan/stop, cardpoll:question/<n>,\n"
    "cardpoll:groups. Each acts once per showing. Opening a question starts collecting\n"
    "answers for it; reveal stops collecting.\n";

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

}  // namespace

// The demo lesson: $CARDPOLL_DEMO_DIR, else beside an installed program
// (PREFIX/bin/cardpoll -> PREFIX/share/cardpoll/demo), else the checkout it was built from.
fs::path demo_dir() {
  if (const char* d = std::getenv("CARDPOLL_DEMO_DIR")) return d;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "cardpoll" / "demo";
    if (fs::is_regular_file(installed / "class.csv", ec)) return installed;
  }
  return fs::path(CARDPOLL_SOURCE_DIR) / "assets" / "demo";
}

// The demo class and set go into the database the first time they are needed, through the
// same import functions as `cardpoll class import` / `cardpoll questions import`.
void ensure_demo_data(Database& db) {
  const fs::path dir = demo_dir();
  // One transaction (BEGIN IMMEDIATE) around look-up and import: two first runs at once
  // queue on the write lock instead of both importing (the second failed on the UNIQUE name).
  Transaction tx(db);
  if (!find_class(db, kDemoClass)) {
    const RosterImport roster = import_roster_file(dir / "class.csv");
    store_roster(db, roster, {kDemoClass, "classroom", false});
    std::printf("live: imported the demo class '%s' from %s\n", kDemoClass, (dir / "class.csv").c_str());
  }
  if (!find_question_set(db, kDemoSet)) {
    const QuestionImport q = import_questions_file(dir / "questions.csv");
    store_questions(db, q, {kDemoSet, false});
    std::printf("live: imported the demo question set '%s'\n", kDemoSet);
  }
  tx.commit();
}

namespace {

struct SourceChoice {
  std::string spec;
  std::string label;
};

SourceChoice choose_source(const std::optional<std::string>& source) {
  if (source) return {*source, *source};
  // A camera only when the system has one: OpenCV would otherwise spend seconds probing.
  if (fs::exists("/dev/video0")) return {"0", "camera 0"};
  const fs::path demo = demo_dir() / "demo.mp4";
  std::printf("live: no camera found; playing the demo recording %s\n", demo.c_str());
  return {demo.string(), "demo recording"};
}

display::PreviewImage preview_of(const cv::Mat& image) {
  display::PreviewImage p;
  if (image.empty()) return p;
  cv::Mat g;
  if (image.channels() == 3)
    cv::cvtColor(image, g, cv::COLOR_BGR2GRAY);
  else
    g = image;
  // The preview never needs more than ~960 px: smaller uploads keep the UI thread light.
  if (g.cols > 960) cv::resize(g, g, cv::Size(), 960.0 / g.cols, 960.0 / g.cols, cv::INTER_AREA);
  if (!g.isContinuous()) g = g.clone();
  p.width = g.cols;
  p.height = g.rows;
  p.grey.assign(g.data, g.data + static_cast<size_t>(g.cols) * g.rows);
  return p;
}

struct Live {
  display::LiveSession session;
  std::unique_ptr<Pipeline> pipeline;
  std::shared_ptr<CommandMailbox> commands;
  std::shared_ptr<ConnectionMonitor> monitor;
  TimeMs base_wall = 0;       // wall time of frame time 0
  int64_t last_frame_ms = 0;  // newest frame time handled
  // Keys that decide which question answers go to (next, previous, reveal, scanning on/off),
  // held until the pipeline has delivered every frame taken before the key was pressed:
  // answers that became stable on those frames belong to the question that was open then.
  struct HeldKey {
    display::LiveInput input;
    int64_t frame_ms = 0;          // the frame clock when the key was pressed
    Clock::time_point pressed{};
  };
  std::vector<HeldKey> held_keys;
  display::PreviewImage preview;
  double preview_scale = 1;   // preview pixels per frame pixel
  uint64_t preview_frame = 0;
  int64_t frame_count = -1;
  int64_t frames_done = 0;
  std::optional<fs::path> snapshot_dir;
  bool headless = false;
  bool tty = false;
  int opened = 0;                     // questions opened (asks)
  std::optional<TimeMs> collecting_snapshot_at;  // --snapshot: mid-question, 3 s after opening
  int logged_tenth = 0;               // not a terminal: the last tenth of the file logged
  std::string logged_counts;          // ... and the counts last logged
  Clock::time_point logged_at{};
  std::set<int> unassigned_reported;  // cards "not assigned" was printed for (once each)
  bool saving_trouble = false;        // writes are waiting for the database
  int logged_waiting = 0;             // ... how many answers were last reported waiting
  TimeMs logged_waiting_at = 0;
};

void snapshot(Live& L, const std::string& stem) {
  if (!L.snapshot_dir) return;
  auto canvas = display::make_offscreen(1280, 720);
  display::write_png(display::render_projector(*canvas, display::projector_view(L.session.state)),
                     *L.snapshot_dir / (stem + "-projector.png"));
  display::write_png(display::render_teacher(*canvas, display::teacher_view(L.session.state), L.preview,
                                             L.preview_frame),
                     *L.snapshot_dir / (stem + "-teacher.png"));
}

std::string tally_text(const display::LiveState& s) {
  const auto t = display::tally_of(s.roster);
  std::string out;
  const int n = std::max(2, static_cast<int>(std::min<size_t>(4, s.choices.size())));
  for (int i = 0; i < n; ++i)
    out += std::string(i ? "  " : "") + static_cast<char>('A' + i) + " " + std::to_string(t[static_cast<size_t>(i)]);
  return out;
}

void print_event(Live& L, const std::string& what) {
  if (L.tty) std::printf("\r\033[K");
  std::printf("live: %s\n", what.c_str());
  std::fflush(stdout);
}

void apply(Live& L, const display::LiveInput& in, TimeMs at) {
  const auto fx = display::apply_input(L.session, in, at);
  if (fx.reset_tracker && L.pipeline) L.pipeline->reset_tracker();
  if (fx.reset_tracker) {
    ++L.opened;
    L.collecting_snapshot_at = at + 3000;
  }
  print_event(L, L.session.state.status);
  if (fx.revealed) {
    const auto& s = L.session.state;
    print_event(L, "question " + std::to_string(s.position) + ": " + tally_text(s) + "  (" +
                       display::projector_view(s).answered + ")");
    L.collecting_snapshot_at.reset();
    // Named after the ask, like its mid-question picture: revealing twice replaces it.
    snapshot(L, "ask" + std::to_string(std::max(1, L.opened)));
  }
  if (fx.quit) g_stop = true;
}

// Applies, in the order pressed, the held keys `due` says are due; true when any was.
template <typename Due>
bool apply_held_keys(Live& L, Due due) {
  bool any = false;
  while (!L.held_keys.empty() && due(L.held_keys.front())) {
    const Live::HeldKey k = L.held_keys.front();
    L.held_keys.erase(L.held_keys.begin());
    apply(L, k.input, L.base_wall + k.frame_ms);
    any = true;
  }
  return any;
}

bool decides_the_question(display::LiveAction a) {
  using display::LiveAction;
  return a == LiveAction::Next || a == LiveAction::Prev || a == LiveAction::Question ||
         a == LiveAction::Reveal || a == LiveAction::ScanStart || a == LiveAction::ScanStop ||
         a == LiveAction::ScanToggle;
}

// Everything new from the pipeline, in frame order: a command card seen on a frame acts
// before that frame's answers are recorded, so answers land in the right question.
bool handle_output(Live& L, PipelineOutput& out, Clock::time_point polled) {
  bool changed = false;
  for (auto& fr : out.frames) {
    for (const auto& c : L.commands->take_until(fr.time_ms)) {
      apply(L, display::input_for_command(c.command), L.base_wall + c.time_ms);
      changed = true;
    }
    changed |= apply_held_keys(L, [&](const Live::HeldKey& k) { return k.frame_ms <= fr.time_ms; });
    // The frame's answers in one commit: a class turning cards together is one disk flush.
    std::vector<Collector::Read> reads;
    for (const auto& st : fr.stable) reads.push_back({st.card, st.answer, L.base_wall + fr.time_ms});
    const auto results = display::record_reads(L.session, reads);
    for (size_t i = 0; i < results.size(); ++i)
      if (results[i].outcome == ReadOutcome::Unassigned && L.unassigned_reported.insert(reads[i].card).second)
        print_event(L, describe(results[i]));
    changed |= !results.empty();
    L.last_frame_ms = std::max(L.last_frame_ms, fr.time_ms);
    if (L.collecting_snapshot_at && L.base_wall + fr.time_ms >= *L.collecting_snapshot_at) {
      L.collecting_snapshot_at.reset();
      snapshot(L, "ask" + std::to_string(L.opened) + "-collecting");
    }
    ++L.frames_done;
  }
  if (!out.frames.empty()) {
    const FrameResult& newest = out.frames.back();
    auto& st = L.session.state;
    if (!newest.image.empty()) {
      L.preview = preview_of(newest.image);
      L.preview_scale = L.preview.width / static_cast<double>(newest.image.cols);
      ++L.preview_frame;
    }
    st.seen.clear();
    std::vector<float> sides;
    for (const auto& r : newest.reads) {
      display::SeenCard c;
      c.card = r.card;
      c.answer = r.answer;
      for (int k = 0; k < 4; ++k) {
        c.corners[static_cast<size_t>(2 * k)] = static_cast<float>(r.corners[static_cast<size_t>(k)].x * L.preview_scale);
        c.corners[static_cast<size_t>(2 * k + 1)] = static_cast<float>(r.corners[static_cast<size_t>(k)].y * L.preview_scale);
      }
      c.student = display::student_name_for_card(L.session, r.card);
      st.seen.push_back(std::move(c));
      sides.push_back(card_side(r.corners));
    }
    // Warnings a teacher can act on.
    st.warnings.clear();
    if (L.monitor && L.monitor->snapshot().state == ConnectionState::Lost)
      st.warnings.push_back("Camera lost - reconnecting");
    if (!L.preview.grey.empty()) {
      double sum = 0;
      for (uint8_t v : L.preview.grey) sum += v;
      if (sum / static_cast<double>(L.preview.grey.size()) < 45) st.warnings.push_back("Too dark: turn on the lights");
    }
    if (!sides.empty()) {
      std::nth_element(sides.begin(), sides.begin() + sides.size() / 2, sides.end());
      const float median = sides[sides.size() / 2];
      if (median < 18)
        st.warnings.push_back("Cards look small (" + std::to_string(static_cast<int>(median)) +
                              " px): move the camera closer");
    }
    const double ui_ms = std::chrono::duration<double, std::milli>(Clock::now() - polled).count();
    st.fps = out.stats.fps;
    st.latency_ms = newest.latency_ms + ui_ms;
    changed = true;
  }
  for (const auto& p : out.problems) print_event(L, p);
  if (L.frame_count > 0) L.session.state.progress = std::min(1.0, L.frames_done / static_cast<double>(L.frame_count));
  return changed;
}

// The headless tally. A terminal gets one line rewritten in place (progress bar, counts,
// fps); a log or pipe gets plain lines, no control characters: one per tenth of a file, or,
// from a camera, when the counts changed (at most every 5 seconds).
void print_progress(Live& L) {
  const auto& s = L.session.state;
  const auto v = display::projector_view(s);
  const std::string counts = v.header + "  " + v.answered + "  " +
                             (s.revealed ? tally_text(s) : (s.scanning ? "scanning" : "paused"));
  if (!L.tty) {
    const auto now = Clock::now();
    if (s.progress >= 0) {
      const int tenth = static_cast<int>(s.progress * 10);
      if (tenth <= L.logged_tenth) return;
      L.logged_tenth = tenth;
      std::printf("live: %3d%%  %s\n", tenth * 10, counts.c_str());
    } else {
      if (counts == L.logged_counts || now - L.logged_at < std::chrono::seconds(5)) return;
      std::printf("live: %s  %.0f fps\n", counts.c_str(), s.fps);
    }
    L.logged_counts = counts;
    L.logged_at = now;
    std::fflush(stdout);
    return;
  }
  std::string bar;
  if (s.progress >= 0) {
    const int filled = static_cast<int>(s.progress * 20);
    bar = "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(20 - filled), '-') +
          "] " + std::to_string(static_cast<int>(s.progress * 100)) + "%  ";
  }
  std::printf("\r\033[K%s%s  %.0f fps", bar.c_str(), counts.c_str(), s.fps);
  std::fflush(stdout);
}

// The newest session that was never ended (of the class, when given).
std::optional<Session> newest_open_session(Database& db, const std::optional<std::string>& class_name) {
  std::optional<Id> class_id;
  if (class_name) {
    const auto k = find_class(db, *class_name);
    if (!k) return std::nullopt;
    class_id = k->id;
  }
  for (const Session& s : list_sessions(db, class_id))
    if (!s.ended_at) return s;
  return std::nullopt;
}

// Retries writes the database refused, and says on the terminal when answers start and stop
// waiting (once each way, not every frame). True when the views changed.
bool retry_and_report(Live& L, TimeMs now) {
  const bool changed = display::retry_saves(L.session, now);
  const int waiting = display::unsaved_answers(L.session);
  // Trouble is a refused try: a commit still in progress on the writer thread is not.
  const bool any_waiting = L.session.writes && !L.session.writes->empty() && !L.session.writes->problem().empty();
  if (any_waiting && !L.saving_trouble) {
    L.saving_trouble = true;
    print_event(L, "NOT YET SAVED: " + L.session.writes->problem() +
                       "; the lesson goes on, answers wait in memory and are saved as soon as it allows");
  } else if (!any_waiting && L.saving_trouble) {
    L.saving_trouble = false;
    print_event(L, "the database accepts writes again: every waiting answer is saved");
  } else if (any_waiting && waiting != L.logged_waiting && now - L.logged_waiting_at >= 5000) {
    print_event(L, std::to_string(waiting) + " answers NOT YET SAVED (" + L.session.writes->problem() + ")");
    L.logged_waiting = waiting;
    L.logged_waiting_at = now;
  }
  return changed;
}

// The end of the lesson with writes still waiting: keep trying for `wait_s`, then put them
// in a recovery file beside the database. True when everything is saved.
bool finish_saving(Live& L, Database& db, int wait_s) {
  auto& q = *L.session.writes;
  if (q.empty()) return true;
  print_event(L, std::to_string(display::unsaved_answers(L.session)) + " answers are NOT YET SAVED (" + q.problem() +
                     "); trying for " + std::to_string(wait_s) + " s more (Ctrl-C again to stop waiting)");
  g_stop = false;
  const auto until = Clock::now() + std::chrono::seconds(wait_s);
  while (!q.empty() && Clock::now() < until && !g_stop) {
    display::retry_saves(L.session, now_ms(), 500);
    if (!q.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The writer stops after its try in progress: what is left waiting was never committed.
  q.stop_writer();
  display::retry_saves(L.session, now_ms(), 0);
  if (q.empty()) {
    print_event(L, "every answer is saved");
    return true;
  }
  const std::vector<LessonWrite> waiting(q.waiting().begin(), q.waiting().end());
  try {
    const fs::path file = write_recovery_file(db.path(), L.session.collector->session_id(), waiting);
    print_event(L, std::to_string(display::unsaved_answers(L.session)) + " answers could not be saved (" + q.problem() +
                       "); they are in " + file.string() + " and will be saved the next time cardpoll live starts");
  } catch (const std::exception& e) {
    // Even the recovery file cannot be written (the disk may be what is full): the
    // terminal is the last place the answers can go.
    print_event(L, std::string("could not write a recovery file either: ") + e.what());
    std::printf("%s", recovery_file_text(L.session.collector->session_id(), waiting).c_str());
  }
  return false;
}

}  // namespace

bool display_available() {
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

LessonResult run_lesson(const Context& ctx, const LessonOptions& o) {
  std::optional<Id> resume_id = o.resume_session;
  const int save_wait_s = o.save_wait_seconds;
  const int timer = o.timer_seconds;
  const int quit_after_s = o.quit_after_seconds;
  const std::optional<fs::path> screenshot = o.screenshot;
  // Every output path is checked now: a typo must not cost a lesson's pictures at its end.
  if (screenshot)
    if (std::string why = output_path_problem(*screenshot); !why.empty()) throw std::runtime_error("--screenshot " + why);
  // Read the lens profile first: a bad file should fail before a window or camera opens.
  std::optional<calibration::CameraProfile> profile;
  if (auto f = o.camera_profile) {
    profile = calibration::load_camera_profile(*f);
    std::printf("live: camera profile %s (%dx%d): card corners straightened\n", f->c_str(),
                profile->image_size.width, profile->image_size.height);
  }

  Live L;
  if (auto dir = o.snapshot_dir) {
    if (std::string why = output_folder_problem(*dir, true); !why.empty())
      throw std::runtime_error("--snapshot " + why);
    L.snapshot_dir = fs::path(*dir);
  }
  Database db = open_class_database(ctx);
  // Answers a previous lesson could not save (core/recovery_file.h) come in first.
  for (const std::string& line : import_recovery_files(db)) std::printf("live: %s\n", line.c_str());
  // A short lock wait: a longer lock (a backup, a database browser) is ridden out by the
  // write queue without freezing the windows.
  db.set_busy_timeout(250);
  const std::optional<Session> open_session =
      newest_open_session(db, o.class_name.empty() ? std::nullopt : std::optional<std::string>(o.class_name));
  if (o.resume && !resume_id) {
    if (!open_session)
      throw std::runtime_error("no open session to resume in " + db.path().string() +
                               " (every session has ended; see cardpoll session list)");
    resume_id = open_session->id;
  }
  std::string class_name = o.class_name, set_name = o.set_name;
  if (resume_id) {
    const auto sess = find_session(db, *resume_id);
    if (!sess) throw std::runtime_error("no session " + std::to_string(*resume_id) + " to resume (see cardpoll session list)");
    class_name = find_class(db, sess->class_id)->name;
    set_name = find_question_set(db, sess->set_id)->name;
  } else if (open_session) {
    std::printf("live: session %lld (started %s) was left open, by a crash or a power cut?\n"
                "live: to continue it instead: cardpoll live --resume %lld\n",
                static_cast<long long>(open_session->id), local_time_text(open_session->started_at).c_str(),
                static_cast<long long>(open_session->id));
  }
  if (class_name.empty()) {
    ensure_demo_data(db);
    class_name = kDemoClass;
    set_name = kDemoSet;
  }
  // Check the class and set before touching the camera: a typo should fail at once.
  require_class(db, class_name);
  if (!set_name.empty()) require_question_set(db, set_name);

  L.headless = o.headless || !display_available();
  if (!o.headless && L.headless) std::printf("live: no display; running headless\n");
  L.tty = L.headless && isatty(STDOUT_FILENO);

  display::LiveWindowsPtr windows;
  if (!L.headless) {
    try {
      windows = display::open_live_windows({o.fullscreen, 1280, 720});
      std::printf("live: windows open (SDL renderer: %s)\n", display::renderer_name(*windows).c_str());
    } catch (const std::exception& e) {
      std::printf("live: %s; running headless\n", e.what());
      L.headless = true;
    }
  }

  const SourceChoice choice = choose_source(o.source);
  SourceOptions so;
  so.keep_colour = false;
  L.monitor = std::make_shared<ConnectionMonitor>();
  FrameSource source = open_resilient_source(choice.spec, so, L.monitor);
  L.frame_count = source.live ? -1 : source.frame_count;
  L.commands = std::make_shared<CommandMailbox>();
  const bool live_source = source.live;
  const double source_fps = source.fps;
  source = with_command_reader(std::move(source), L.commands);

  L.session = resume_id ? display::resume_live_session(db, *resume_id, now_ms())
                        : display::start_live_session(db, class_name, set_name, now_ms());
  // Commits on a writer thread of the write queue (its own connection): a store locked or
  // full for minutes, and the catching up afterwards, never stall the windows.
  L.session.writes->start_writer();
  L.session.timer_seconds = timer;
  L.session.state.timer_length_seconds = timer;
  L.session.state.source = choice.label;
  // G shows the class's newest saved grouping, read when pressed (one may have been saved
  // during the lesson). A storage error is shown in the group view, never ends the lesson.
  L.session.load_groups = [&db, class_id = L.session.klass.id]() {
    try {
      return display::groups_for_view(load_latest_grouping(db, class_id));
    } catch (const std::exception& e) {
      display::GroupsForView v;
      v.title = std::string("Groups could not be read: ") + e.what();
      return v;
    }
  };
  L.base_wall = now_ms();

  PipelineOptions po;
  // The class's own deck (and with it the deck's read rules: a Plickers-format class is read
  // more strictly).
  po.detect_params.deck = find_deck(L.session.klass.deck);
  if (!po.detect_params.deck)
    throw std::runtime_error("class \"" + L.session.klass.name + "\" uses deck \"" + L.session.klass.deck +
                             "\", which this cardpoll does not know (decks: " + deck_names() + ")");
  if (profile) po.detect = calibration::undistorting_detector(*profile, po.detect_params);
  std::printf("live: %s (deck %s) with '%s', %d students; session %lld; source %s\n", class_name.c_str(),
              L.session.klass.deck.c_str(), set_name.empty() ? "quick questions" : set_name.c_str(),
              static_cast<int>(L.session.students.size()),
              static_cast<long long>(L.session.collector->session_id()), choice.label.c_str());
  if (resume_id) print_event(L, L.session.state.status);
  po.keep_images = !L.headless || L.snapshot_dir.has_value();
  // In a window a recording plays at its own speed, as if it came from a camera.
  if (!L.headless && !live_source && source_fps > 0) po.pace_fps = source_fps;
  if (live_source) po.max_failures_in_a_row = 1 << 30;  // the resilient source retries
  L.pipeline = std::make_unique<Pipeline>(std::move(source), po);

  g_stop = false;
  auto prev_int = std::signal(SIGINT, on_signal);
  auto prev_term = std::signal(SIGTERM, on_signal);
  // The terminal closed: end the lesson as cleanly as Ctrl-C. Writes to a closed terminal or
  // pipe must not kill it either.
  auto prev_hup = std::signal(SIGHUP, on_signal);
  auto prev_pipe = std::signal(SIGPIPE, SIG_IGN);
  auto restore_signals = [&] {
    std::signal(SIGINT, prev_int);
    std::signal(SIGTERM, prev_term);
    std::signal(SIGHUP, prev_hup);
    std::signal(SIGPIPE, prev_pipe);
  };
  bool finished = false;
  const auto loop_start = Clock::now();
  auto time_is_up = [&] {
    return quit_after_s > 0 && Clock::now() - loop_start >= std::chrono::seconds(quit_after_s);
  };
  try {
    if (L.headless) {
      auto last_print = Clock::now();
      while (!g_stop && !time_is_up()) {
        PipelineOutput out = L.pipeline->wait(100);
        const auto polled = Clock::now();
        handle_output(L, out, polled);
        retry_and_report(L, now_ms());
        display::tick(L.session, L.base_wall + L.last_frame_ms);
        if (polled - last_print > std::chrono::milliseconds(250)) {
          print_progress(L);
          last_print = polled;
        }
        if (out.finished) {
          finished = true;
          break;
        }
      }
    } else {
      // The UI loop: at most 60 draws a second, only when something changed (a camera frame,
      // a key, the countdown's second), so an idle lesson costs little CPU.
      const auto frame_budget = std::chrono::microseconds(16667);
      auto last_draw = Clock::now() - std::chrono::seconds(1);
      while (!g_stop && !time_is_up()) {
        const auto start = Clock::now();
        bool dirty = false;
        display::WindowInput wi = display::poll_window_input(*windows);
        if (wi.closed) break;
        for (const auto& in : wi.inputs) {
          if (in.action == display::LiveAction::Fullscreen) display::toggle_fullscreen(*windows);
          if (decides_the_question(in.action)) {
            // Frames taken before this moment are still in the pipeline: the key acts
            // after them (handle_output), so their answers land in the question they were
            // given to.
            L.held_keys.push_back({in, std::max(L.last_frame_ms, now_ms() - L.base_wall), start});
          } else {
            apply(L, in, L.base_wall + L.last_frame_ms);
          }
          dirty = true;
        }
        dirty |= wi.redraw;
        PipelineOutput out = L.pipeline->poll();
        dirty |= handle_output(L, out, Clock::now());
        dirty |= retry_and_report(L, now_ms());
        // A paused camera or an ended recording delivers no newer frame: after 300 ms the
        // pipeline has nothing older left, so the key acts anyway.
        dirty |= apply_held_keys(L, [&](const Live::HeldKey& k) {
          return out.finished || start - k.pressed > std::chrono::milliseconds(300);
        });
        const auto timer_before = L.session.state.timer_seconds_left;
        display::tick(L.session, now_ms());
        dirty |= L.session.state.timer_seconds_left != timer_before;
        if (out.finished && !finished) {
          finished = true;
          L.session.state.status = "The recording has ended. Press Q to quit.";
          dirty = true;
        }
        // Nothing changed (a paused lesson, a recording that ended): nothing is drawn, bar
        // a safety redraw every 2 s for window managers that drop an expose event.
        if (dirty || start - last_draw > std::chrono::seconds(2)) {
          display::draw_live_windows(*windows, L.session.state, L.preview.width ? &L.preview : nullptr,
                                     L.preview_frame);
          last_draw = start;
        }
        const auto spent = Clock::now() - start;
        if (spent < frame_budget) std::this_thread::sleep_for(frame_budget - spent);
      }
    }
  } catch (...) {
    restore_signals();
    throw;
  }
  if (screenshot) {
    const display::PreviewImage* preview = L.preview.width ? &L.preview : nullptr;
    if (windows) {
      display::write_png(display::capture_live_windows(*windows, L.session.state, preview, L.preview_frame),
                         *screenshot);
    } else {
      auto canvas = display::make_offscreen(1280, 720);
      const display::Image left = display::render_projector(*canvas, display::projector_view(L.session.state));
      const display::Image right = display::render_teacher(*canvas, display::teacher_view(L.session.state),
                                                           L.preview, L.preview_frame);
      display::write_png(display::side_by_side(left, right), *screenshot);
    }
    std::printf("live: screenshot %s\n", screenshot->c_str());
  }
  L.pipeline->stop();
  apply_held_keys(L, [](const Live::HeldKey&) { return true; });
  // Commands seen on the very last frames.
  for (const auto& c : L.commands->take_all())
    apply(L, display::input_for_command(c.command), L.base_wall + c.time_ms);
  if (L.tty) std::printf("\r\033[K");
  display::end_live_session(L.session, L.base_wall + L.last_frame_ms + 1);
  const bool all_saved = finish_saving(L, db, save_wait_s);
  restore_signals();
  snapshot(L, "end");
  const Id sid = L.session.collector->session_id();
  const SessionData data = load_session_data(db, sid);
  std::printf("live: session %lld %s%s: %zu questions asked, %zu answers saved, %zu changes\n",
              static_cast<long long>(sid), all_saved ? "ended" : "NOT fully saved",
              finished ? " (source finished)" : "", data.asks.size(), data.responses.size(), data.changes.size());
  // The hint must run as printed: repeat --db when the lesson used one.
  std::printf("live: export with: cardpoll%s export --session %lld --format responses --out responses.csv\n",
              db_option_text(ctx).c_str(), static_cast<long long>(sid));
  return {sid, finished, all_saved};
}

namespace {

int run_live(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"set", true}, {"source", true}, {"headless", false},
                                   {"snapshot", true}, {"fullscreen", false}, {"timer", true},
                                   {"camera-profile", true}, {"quit-after", true}, {"screenshot", true},
                                   {"resume", false}, {"save-wait", true}});
  LessonOptions o;
  // --resume takes an optional session number: `--resume 12`.
  std::vector<std::string> rest = a.positional;
  o.resume = a.has("resume");
  if (o.resume && !rest.empty()) {
    o.resume_session = parse_whole_number(rest.front(), "--resume session");
    rest.erase(rest.begin());
  }
  if (!rest.empty()) throw UsageError("unexpected '" + rest[0] + "'");
  if (a.has("set") && !a.has("class"))
    throw UsageError("--set needs --class (or give neither, for the demo class)");
  o.class_name = a.get_or("class", "");
  o.set_name = a.get_or("set", "");
  o.source = a.get("source");
  o.headless = a.has("headless");
  o.fullscreen = a.has("fullscreen");
  o.timer_seconds = a.get_int("timer", 300, 10, 3600);
  o.quit_after_seconds = a.get_int("quit-after", 0, 1, 24 * 3600);
  o.save_wait_seconds = a.get_int("save-wait", 30, 0, 24 * 3600);
  if (auto v = a.get("snapshot")) o.snapshot_dir = *v;
  if (auto v = a.get("screenshot")) o.screenshot = *v;
  if (auto v = a.get("camera-profile")) o.camera_profile = *v;
  // Exit 3: the lesson ended with answers the database refused, kept in a recovery file.
  return run_lesson(ctx, o).all_saved ? 0 : 3;
}

const bool registered = register_command({"live", "run a lesson: live scanning, projector and teacher windows", kUsage, run_live});

}  // namespace
}  // namespace cardpoll::app
