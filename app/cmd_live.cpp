// cardpoll live: the lesson's command line. The lesson itself is run_lesson (app/lesson.h,
// app/live_lesson.cpp), which the app's Lesson screen runs too.
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/cmd_data.h"
#include "app/lesson.h"

namespace cardpoll::app {
namespace {

const char* const kUsage =
    "Usage: cardpoll live [--class NAME [--set NAME]] [--source CAMERA|URL|FILE]...\n"
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
    "                     stream, or a video file / folder of images. Give it again for\n"
    "                     more cameras (a lecture hall): one pipeline each, a card seen by\n"
    "                     two counts once, the latest answer they agree on wins, and the\n"
    "                     lesson goes on when one drops (docs/live.md, \"Several cameras\")\n"
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

int run_live(const Context& ctx, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"class", true}, {"set", true}, {"source", true, true}, {"headless", false},
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
  if (a.has("source")) o.sources = a.options.at("source");
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
