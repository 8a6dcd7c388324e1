// cardpoll app: the teacher's window. Wiring only: the settings, the database, the app window
// (display/app) and, when the Lesson screen asks for one, the same lesson `cardpoll live` runs.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "app/app_lesson.h"
#include "app/cli.h"
#include "app/lesson.h"
#include "app/app_school.h"
#include "app/school_sync.h"
#include "calibration/range_check.h"
#include "core/deck.h"
#include "core/store/settings.h"
#include "core/store/storage.h"
#include "scanner/frame_source.h"
#include "scanner/read_cards.h"
#include "display/app/app_state.h"
#include "display/app/app_tasks.h"
#include "display/app/app_window.h"

namespace cardpoll::app {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const char* const kUsage =
    "Usage: cardpoll app [--screen classes|questions|lesson|results|settings]\n"
    "                    [--screen results/items|results/groups|results/session|lesson/check]\n"
    "                    [--screenshot FILE] [--quit-after SECONDS] [--size WIDTHxHEIGHT]\n\n"
    "Opens the teacher's window: every step of a lesson cycle with the mouse.\n"
    "  Classes    make a class, import a roster (a file chooser, or drop the file on the\n"
    "             window), edit each student's card, name and tags in place, print cards\n"
    "  Questions  question sets: import (CSV, Aiken, GIFT), write and edit questions, reorder\n"
    "  Lesson     choose the class, the set (or quick questions) and the camera (or the demo\n"
    "             recording), check what the camera reads (`calibrate range`), then teach:\n"
    "             the same projector and teacher windows as `cardpoll live`\n"
    "  Results    past sessions by class and date: each question's tally and who answered\n"
    "             what; correct an answer, re-key a question, item analysis, groups in every\n"
    "             mode (drag students between them, save, print), export every format\n"
    "             (responses, scoresheet, json, html, gradebooks); rename or delete\n"
    "  Settings   the database, the deck of new classes, the camera's lens profile (made\n"
    "             here with `cardpoll calibrate camera`)\n"
    "Every change goes through the same functions as the commands, with the same checks and\n"
    "the same words. `cardpoll` with no command opens this window when there is a display.\n\n"
    "Options:\n"
    "  --screen NAME        the screen to open on (default classes); results/groups opens\n"
    "                       the groups of the newest lesson as suggested, lesson/check\n"
    "                       the camera check\n"
    "  --screenshot FILE    at the end, save the window as drawn as a PNG\n"
    "  --quit-after SECONDS close the window by itself after this long (demos, CI)\n"
    "  --size WxH           the window's size (default 1280x800)\n\n"
    "Settings are kept in $XDG_CONFIG_HOME/cardpoll/settings.conf (else\n"
    "~/.config/cardpoll/settings.conf); the commands use its database when --db is not given.\n";

std::string usage() { return kUsage; }

std::pair<int, int> parse_size(const std::string& v) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (std::sscanf(v.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 640 || h < 480 || w > 7680 ||
      h > 4320)
    throw UsageError("--size " + v + ": expected WIDTHxHEIGHT, at least 640x480");
  return {w, h};
}

}  // namespace

ui::SchoolServerTasks school_server_tasks() {
  ui::SchoolServerTasks t;
  // The field's password, given only when the server asks (as the command's prompt): never
  // stored or logged; empty means no one can answer, as a command without a terminal.
  auto prompt_of = [](const std::string& password) -> school::PasswordPrompt {
    return [password](const std::string&) -> std::optional<std::string> {
      if (password.empty()) return std::nullopt;
      return password;
    };
  };
  t.push = [prompt_of](const fs::path& db, const std::string& address, const std::string& password,
                       const ui::SchoolServerTasks::Progress& progress) {
    SchoolPushOptions o;
    o.address = address;
    o.progress = progress;
    o.password = prompt_of(password);
    return push_to_school(db, o);
  };
  t.status = [prompt_of](const fs::path& db, const std::string& address, const std::string& password) {
    return school_status(db, address.empty() ? std::nullopt : std::optional<std::string>(address), prompt_of(password));
  };
  t.check_address = [](const std::string& address) { school::check_address(address); };
  return t;
}

void run_requested_lesson(ui::AppState& s, ui::AppWindow& w) {
  const ui::LessonRequest req = *s.lesson_request;
  s.lesson_request.reset();
  LessonOptions o;
  o.class_name = req.class_name;
  o.set_name = req.set_name;
  o.sources = {req.demo_recording ? (demo_dir() / "demo.mp4").string() : std::to_string(req.camera)};
  if (!req.camera_profile.empty()) o.camera_profile = req.camera_profile;
  o.quit_after_seconds = req.quit_after_seconds;
  ui::hide_app_window(w);
  try {
    const LessonResult r = run_lesson(Context{s.db.path()}, o);
    s.results.selected = r.session_id;
    s.results.data.reset();
    s.screen = ui::Screen::Results;
    s.results.report = {};
    s.results.report.summary = "session " + std::to_string(r.session_id) + " ended: its answers are below";
  } catch (const std::exception& e) {
    s.lesson.report = {};
    s.lesson.report.error = e.what();
  }
  ++s.data_version;
  ui::show_app_window(w);
}

struct CameraCheckRun {
  std::string spec;
  FrameSource source;
  calibration::RangeCheck check;
  DetectParams params;
};

void CameraCheckDeleter::operator()(CameraCheckRun* r) const { delete r; }

namespace {

// The frame scaled to at most 640 px wide, RGBA, with each card read outlined in green.
void fill_view(ui::CameraCheckView& v, const cv::Mat& gray, const std::vector<CardRead>& reads) {
  cv::Mat bgr;
  cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
  for (const auto& r : reads) {
    std::vector<cv::Point> poly;
    for (const auto& c : r.corners) poly.emplace_back(static_cast<int>(c.x), static_cast<int>(c.y));
    cv::polylines(bgr, poly, true, cv::Scalar(40, 200, 40), std::max(2, gray.cols / 300));
  }
  const double scale = std::min(1.0, 640.0 / gray.cols);
  cv::Mat small, rgba;
  cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::cvtColor(small, rgba, cv::COLOR_BGR2RGBA);
  v.width = rgba.cols;
  v.height = rgba.rows;
  v.rgba.assign(rgba.data, rgba.data + rgba.total() * rgba.elemSize());
  ++v.version;
}

}  // namespace

void camera_check_step(ui::AppState& s, CameraCheckPtr& run) {
  ui::LessonState& l = s.lesson;
  if (!l.checking) {
    run.reset();
    return;
  }
  const std::string spec = l.demo_recording ? (demo_dir() / "demo.mp4").string() : std::to_string(l.camera);
  ui::CameraCheckView& v = l.check;
  if (!run || run->spec != spec) {
    run.reset();
    v = {};
    v.source = l.demo_recording ? "the demo recording" : "camera " + std::to_string(l.camera);
    try {
      CameraCheckPtr r(new CameraCheckRun);
      r->spec = spec;
      r->source = open_source(spec, SourceOptions{});
      std::string deck = "classroom";
      if (!l.demo_recording && l.klass < static_cast<int>(l.classes.size())) deck = l.classes[static_cast<size_t>(l.klass)].deck;
      r->params.deck = find_deck(deck);
      r->check.deck = deck;
      run = std::move(r);
    } catch (const std::exception& e) {
      v.error = e.what();
      l.checking = false;
      return;
    }
  }
  Frame f;
  SourceRead got = run->source.read(f);
  if (got.status == SourceStatus::Ended && l.demo_recording) {  // the recording again, from its start
    run->source = open_source(spec, SourceOptions{});
    got = run->source.read(f);
  }
  if (got.status != SourceStatus::Frame) {
    v.error = got.message.empty() ? v.source + ": no more frames" : got.message;
    l.checking = false;
    run.reset();
    return;
  }
  const std::vector<CardRead> reads = read_cards(f.gray, run->params);
  if (run->check.frames >= 30) {  // the last 30 frames only
    calibration::RangeCheck fresh;
    fresh.deck = run->check.deck;
    run->check = fresh;
  }
  run->check.add_frame(f.gray, reads);
  const calibration::RangeReport rep = run->check.finish();
  v.frames = rep.frames;
  v.cards.clear();
  for (const auto& r : reads) {
    char line[96];
    std::snprintf(line, sizeof line, "card %d (%c): %.0f px wide", r.card, answer_letter(r.answer),
                  calibration::card_width_px(r));
    v.cards.push_back(line);
  }
  v.verdict.clear();
  if (rep.card) {
    char line[200];
    std::snprintf(line, sizeof line, "smallest card %.1f px wide: expected recall %.0f%% (%.0f px needed for %.0f%%)",
                  rep.width_px, 100 * rep.expected_recall, rep.needed_width_px, 100 * rep.target_recall);
    v.verdict = line;
  }
  v.advice = rep.advice;
  fill_view(v, f.gray, reads);
}

struct CalibrationRun {
  FILE* pipe = nullptr;
  std::string partial;
  std::string out;
};

void CalibrationDeleter::operator()(CalibrationRun* r) const {
  if (r->pipe) pclose(r->pipe);
  delete r;
}

namespace {

std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

void calibration_step(ui::AppState& s, CalibrationPtr& run) {
  ui::SettingsState& u = s.settings_ui;
  if (!u.calibrating) {
    run.reset();
    return;
  }
  if (!run) {
    const std::string line = shell_quoted(s.program.string()) + " calibrate camera --source " +
                             shell_quoted(u.calibration_source) + " --out " + shell_quoted(u.calibration_out) + " 2>&1";
    u.calibration_lines = {"cardpoll calibrate camera --source " + u.calibration_source + " --out " + u.calibration_out};
    CalibrationPtr r(new CalibrationRun);
    r->out = u.calibration_out;
    r->pipe = popen(line.c_str(), "r");
    if (!r->pipe) {
      u.calibration_lines.push_back("cannot start the calibration");
      u.calibration_exit = 1;
      u.calibrating = false;
      return;
    }
    fcntl(fileno(r->pipe), F_SETFL, fcntl(fileno(r->pipe), F_GETFL) | O_NONBLOCK);
    run = std::move(r);
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fileno(run->pipe), buf, sizeof buf);
    if (n > 0) {
      run->partial.append(buf, static_cast<size_t>(n));
      for (size_t nl; (nl = run->partial.find('\n')) != std::string::npos;) {
        u.calibration_lines.push_back(run->partial.substr(0, nl));
        run->partial.erase(0, nl + 1);
      }
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // more later
    break;  // the end of its output: it has finished
  }
  if (!run->partial.empty()) u.calibration_lines.push_back(run->partial);
  const int status = pclose(run->pipe);
  run->pipe = nullptr;
  u.calibration_exit = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  u.calibrating = false;
  if (*u.calibration_exit == 0) {
    u.camera_profile = run->out;
    u.report = {};
    u.report.summary = "lens profile written to " + run->out + ": press Save the settings to use it";
  }
  run.reset();
}

namespace {

int run_app(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"screen", true}, {"screenshot", true}, {"quit-after", true}, {"size", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  const int quit_after_s = a.get_int("quit-after", 0, 1, 24 * 3600);
  const auto [width, height] = a.has("size") ? parse_size(*a.get("size")) : std::pair{1280, 800};
  ui::AppState s;
  std::string part;  // results/items, results/groups, results/session, lesson/check
  if (auto name = a.get("screen")) {
    const size_t slash = name->find('/');
    part = slash == std::string::npos ? "" : name->substr(slash + 1);
    const auto sc = ui::screen_from_name(name->substr(0, slash));
    const bool part_ok = sc && (part.empty() || (*sc == ui::Screen::Results && (part == "items" || part == "groups" || part == "session")) ||
                                (*sc == ui::Screen::Lesson && part == "check"));
    if (!sc || !part_ok)
      throw UsageError("--screen " + *name + ": expected classes, questions, lesson, results or settings (or "
                       "results/items, results/groups, results/session, lesson/check)");
    s.screen = *sc;
  }
  s.settings_file = settings_path();
  {
    std::error_code ec;
    s.program = fs::read_symlink("/proc/self/exe", ec);
    if (ec) s.program = "cardpoll";
  }
  try {
    s.settings = load_settings(s.settings_file);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cardpoll app: %s (using the default settings)\n", e.what());
  }
  // Before anything is opened or created: without a screen there is nothing to show.
  if (!display_available()) throw std::runtime_error("no display: the app needs a window (the commands work without one; see cardpoll --help)");
  s.db = Database(ctx.db);
  s.school = school_server_tasks();
  auto window = ui::open_app_window({width, height, false});
  // A part of a screen opened as the teacher would open it (for demos and the docs' pictures).
  if (part == "items") s.results.open_tab = 1;
  if (part == "session") s.results.open_tab = 3;
  if (part == "check") s.lesson.checking = true;
  if (part == "groups") {
    s.results.open_tab = 2;
    ui::app_frame(*window, s, 0);  // the Results screen loads its session
    s.results.report = ui::suggest_groups_for_ui(s);
  }
  const auto start = Clock::now();
  CameraCheckPtr check;
  CalibrationPtr calibration;
  while (true) {
    const bool timed = quit_after_s > 0;
    // A check draws every frame; a calibration or a push shows its lines as they come.
    int wait_ms = s.lesson.checking ? 1 : (s.settings_ui.calibrating || s.school_job) ? 50 : 250;
    if (timed) {
      const auto left = std::chrono::seconds(quit_after_s) - (Clock::now() - start);
      wait_ms = std::clamp(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(left).count()), 1, wait_ms);
    }
    if (!ui::app_frame(*window, s, wait_ms)) break;
    if (s.lesson_request) s.lesson.checking = false;  // the lesson takes the camera
    if (s.lesson.checking || check) camera_check_step(s, check);
    if (s.settings_ui.calibrating || calibration) calibration_step(s, calibration);
    ui::poll_school_job(s);  // on any screen: a push goes on while the teacher looks elsewhere
    if (s.lesson_request) {
      // With --quit-after, a lesson started from the app ends by then too.
      if (timed) {
        const auto left = std::chrono::seconds(quit_after_s) - (Clock::now() - start);
        s.lesson_request->quit_after_seconds =
            std::max(1, static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(left).count()));
      }
      run_requested_lesson(s, *window);
    }
    if (timed && Clock::now() - start >= std::chrono::seconds(quit_after_s)) break;
  }
  if (auto shot = a.get("screenshot")) {
    display::write_png(ui::capture_app_window(*window, s), *shot);
    std::printf("app: screenshot %s\n", shot->c_str());
  }
  return 0;
}

const bool registered = register_command({"app", "the teacher's window: classes, questions, lessons, results", usage(), run_app});

}  // namespace
}  // namespace cardpoll::app
