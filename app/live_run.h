// The inside of `cardpoll live` (run_lesson, app/lesson.h), shared by its files:
//   app/live_lesson.cpp    run_lesson: checks, session, windows or headless loop, the end
//   app/live_cameras.cpp   the sources: one pipeline each, polled, merged in capture-time order
//                          into the lesson (lesson/camera_merge.h), each camera's state
//   app/live_terminal.cpp  what the terminal says (events, the headless tally, saving trouble)
// Wiring only: the lesson's rules are in lesson/, the drawing in display/.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/store/db.h"
#include "core/model.h"
#include "display/view_model.h"
#include "lesson/camera_merge.h"
#include "lesson/command_debounce.h"
#include "lesson/live_session.h"
#include "scanner/pipeline.h"
#include "scanner/qr_reader.h"
#include "scanner/resilient_source.h"
#include "scanner/tracker.h"

namespace cardpoll::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Set by SIGINT/SIGTERM/SIGHUP and the Q key: the lesson ends cleanly.
extern std::atomic<bool> g_stop;

// One source of the lesson and its pipeline (its own capture and detection threads).
struct LiveCamera {
  std::string spec;
  std::string label;                       // "camera 0", "demo recording", the file
  std::optional<FrameSource> source;       // opened, until its pipeline starts
  std::unique_ptr<Pipeline> pipeline;
  std::shared_ptr<QrMailbox> qr;           // the QR text it saw, tagged with capture times
  std::shared_ptr<ConnectionMonitor> monitor;
  bool live = false;                       // a camera or stream (else a file)
  double source_fps = 0;
  int64_t frame_count = -1;                // a file's frames; -1 live
  int64_t frames_done = 0;
  bool finished = false;                   // its pipeline has handed out everything
  Clock::time_point last_delivery{};       // when it last delivered a frame
  double fps = 0;
  double mean_grey = -1;                   // of its newest frame (the preview), -1 unknown
  // The camera's tracker runs HERE, on the frames as the lesson releases them, not in its
  // pipeline: a pipeline reading a file runs seconds ahead of the lesson (and of the other
  // cameras), and a question opened must make every camera forget its cards at the frame
  // the command was shown on, not whenever the lesson catches up.
  Tracker tracker;
  struct Reads {
    int64_t time_ms = 0;
    std::vector<CardRead> reads;
  };
  std::deque<Reads> waiting;               // reads of its frames in the FrameOrder, in order
};

struct Live {
  lesson::LiveSession session;
  std::vector<LiveCamera> cameras;
  lesson::FrameOrder order{1};            // frames of every camera, released in capture-time order
  lesson::AnswerMerge merge;               // their stable reads -> one answer per card
  lesson::CommandDebounce commands;        // QR text of every camera -> commands, once per showing
  TimeMs base_wall = 0;                    // wall time of frame time 0
  // The lesson clock's 0 for cameras and streams (their frames are stamped against it).
  std::shared_ptr<Clock::time_point> epoch = std::make_shared<Clock::time_point>();
  int64_t last_frame_ms = 0;               // newest frame time handled
  // Keys that decide which question answers go to (next, previous, reveal, scanning on/off),
  // held until every camera has delivered every frame taken before the key was pressed:
  // answers that became stable on those frames belong to the question that was open then.
  struct HeldKey {
    lesson::LiveInput input;
    int64_t frame_ms = 0;                  // the frame clock when the key was pressed
    Clock::time_point pressed{};
  };
  std::vector<HeldKey> held_keys;
  display::PreviewImage preview;           // the teacher's picture: the first camera with one
  double preview_scale = 1;                // preview pixels per frame pixel
  uint64_t preview_frame = 0;
  int preview_camera = -1;
  std::optional<fs::path> snapshot_dir;
  bool headless = false;
  bool tty = false;
  int opened = 0;                          // questions opened (asks)
  std::optional<TimeMs> collecting_snapshot_at;  // --snapshot: mid-question, 3 s after opening
  int logged_tenth = 0;                    // not a terminal: the last tenth of the file logged
  std::string logged_counts;               // ... and the counts last logged
  Clock::time_point logged_at{};
  std::set<int> unassigned_reported;       // cards "not assigned" was printed for (once each)
  bool saving_trouble = false;             // writes are waiting for the database
  int logged_waiting = 0;                  // ... how many answers were last reported waiting
  TimeMs logged_waiting_at = 0;
};

// ---------------------------------------------------------------- app/live_cameras.cpp

struct SourceChoice {
  std::string spec;
  std::string label;
};
// The sources asked for, or camera 0 when there is one, else the demo recording.
std::vector<SourceChoice> choose_sources(const std::vector<std::string>& sources);
// Opens every source (resilient, on the lesson clock, with the QR reader) into L.cameras;
// throws naming the source that cannot be opened. Pipelines start with start_cameras.
void open_cameras(Live& L, const std::vector<SourceChoice>& choices);
// One pipeline per camera, with `po` (workers shared out between them; with pace_files a
// recording plays at its own speed). The lesson clock starts now (L.base_wall, L.epoch).
void start_cameras(Live& L, PipelineOptions po, bool pace_files);
// Everything new from every camera: frames released in capture-time order, each one's
// commands and held keys first, then the answers the cameras agree on; the teacher's picture,
// warnings and each camera's state. `wait_ms` > 0 blocks up to that long for the first
// camera (headless). True when the views changed; `finished` when every camera has ended.
bool pump_cameras(Live& L, int wait_ms, bool& finished);
// The end: every camera stopped, every frame still waiting released and handled.
void stop_cameras(Live& L);
// A key that decides the question acts now on every camera (the lesson's effects applied).
void apply(Live& L, const lesson::LiveInput& in, TimeMs at);
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

// ---------------------------------------------------------------- app/live_terminal.cpp

void print_event(Live& L, const std::string& what);
std::string tally_text(const display::LiveState& s);
// The headless tally (a line rewritten in place on a terminal; plain lines in a log).
void print_progress(Live& L);
// Retries writes the database refused; says so when answers start and stop waiting.
bool retry_and_report(Live& L, TimeMs now);
// The end with writes still waiting: keep trying, then a recovery file. True: all saved.
bool finish_saving(Live& L, Database& db, int wait_s);
// --snapshot: both views, rendered offscreen, as <stem>-projector.png and <stem>-teacher.png.
void snapshot(Live& L, const std::string& stem);

}  // namespace cardpoll::app
