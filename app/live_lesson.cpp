// run_lesson (app/lesson.h): one lesson from its checks to its end, in windows or headless.
// The sources and their pipelines are app/live_cameras.cpp, the terminal app/live_terminal.cpp,
// the lesson's rules lesson/, the drawing display/.
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "app/cmd_data.h"
#include "app/lesson.h"
#include "app/live_run.h"
#include "calibration/camera_profile.h"
#include "core/store/atomic_file.h"
#include "core/store/groups_store.h"
#include "core/exchange/import_db.h"
#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "core/store/recovery_file.h"
#include "core/store/storage.h"
#include "display/live_window.h"
#include "display/offscreen.h"

namespace cardpoll::app {

std::atomic<bool> g_stop{false};

namespace {
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

bool decides_the_question(lesson::LiveAction a) {
  using lesson::LiveAction;
  return a == LiveAction::Next || a == LiveAction::Prev || a == LiveAction::Question ||
         a == LiveAction::Reveal || a == LiveAction::ScanStart || a == LiveAction::ScanStop ||
         a == LiveAction::ScanToggle;
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
  if (o.sources.size() > 8) throw std::runtime_error("at most 8 --source (" + std::to_string(o.sources.size()) + " given)");
  if (auto dir = o.snapshot_dir) {
    if (std::string why = output_folder_problem(*dir, true); !why.empty())
      throw std::runtime_error("--snapshot " + why);
    L.snapshot_dir = fs::path(*dir);
  }
  Database db = open_class_database(ctx);
  // Answers a previous lesson could not save (core/store/recovery_file.h) come in first.
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

  const std::vector<SourceChoice> choices = choose_sources(o.sources);
  open_cameras(L, choices);

  L.session = resume_id ? lesson::resume_live_session(db, *resume_id, now_ms())
                        : lesson::start_live_session(db, class_name, set_name, now_ms());
  // Commits on a writer thread of the write queue (its own connection): a store locked or
  // full for minutes, and the catching up afterwards, never stall the windows.
  L.session.writes->start_writer();
  L.session.timer_seconds = timer;
  L.session.state.timer_length_seconds = timer;
  std::string labels;
  for (const auto& c : choices) labels += (labels.empty() ? "" : " + ") + c.label;
  L.session.state.source = labels;
  // G shows the class's newest saved grouping, read when pressed (one may have been saved
  // during the lesson). A storage error is shown in the group view, never ends the lesson.
  L.session.load_groups = [&db, class_id = L.session.klass.id]() {
    try {
      return lesson::groups_for_view(load_latest_grouping(db, class_id));
    } catch (const std::exception& e) {
      lesson::GroupsForView v;
      v.title = std::string("Groups could not be read: ") + e.what();
      return v;
    }
  };

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
              static_cast<long long>(L.session.collector->session_id()), labels.c_str());
  if (resume_id) print_event(L, L.session.state.status);
  po.keep_images = !L.headless || L.snapshot_dir.has_value();
  start_cameras(L, po, !L.headless);

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
        bool ended = false;
        pump_cameras(L, 100, ended);
        const auto polled = Clock::now();
        retry_and_report(L, now_ms());
        lesson::tick(L.session, L.base_wall + L.last_frame_ms);
        if (polled - last_print > std::chrono::milliseconds(250)) {
          print_progress(L);
          last_print = polled;
        }
        if (ended) {
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
          if (in.action == lesson::LiveAction::Fullscreen) display::toggle_fullscreen(*windows);
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
        bool ended = false;
        dirty |= pump_cameras(L, 0, ended);
        dirty |= retry_and_report(L, now_ms());
        // A paused camera or an ended recording delivers no newer frame: after 300 ms the
        // pipeline has nothing older left, so the key acts anyway.
        dirty |= apply_held_keys(L, [&](const Live::HeldKey& k) {
          return ended || start - k.pressed > std::chrono::milliseconds(300);
        });
        const auto timer_before = L.session.state.timer_seconds_left;
        lesson::tick(L.session, now_ms());
        dirty |= L.session.state.timer_seconds_left != timer_before;
        if (ended && !finished) {
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
  stop_cameras(L);
  if (L.tty) std::printf("\r\033[K");
  lesson::end_live_session(L.session, L.base_wall + L.last_frame_ms + 1);
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

}  // namespace cardpoll::app
