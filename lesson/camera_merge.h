// Several cameras, one lesson: the stable reads of every camera's pipeline merged into the
// answers one collector records (cardpoll live --source A --source B ...).
//
//   FrameOrder order(2);  AnswerMerge merge;
//   add_frame(order, frame_of_camera_0);  add_frame(order, frame_of_camera_1);  // as they come
//   set_holding(order, 1, false);                  // camera 1 lost or ended: do not wait for it
//   for (const CameraFrame& f : release_frames(order))          // in capture-time order
//     for (const MergedAnswer& a : merge_frame(merge, f)) record_read(session, a.card, a.answer, a.time_ms);
//   reset_merge(merge);                            // a question opened: everyone answers anew
//
// Time. "Latest" means latest by CAPTURE time, the frame's time on the lesson's one clock
// (cameras and streams: the steady clock since the lesson started, stamped when the frame
// was captured; recordings: the frame's position in its file, all files starting together),
// never by when a pipeline happened to deliver it. FrameOrder releases frames in that order
// across cameras, waiting for a camera that is behind unless it is lost or has ended.
//
// Rules (each is a test in tests/lesson/test_camera_merge.cpp):
//  - A camera HOLDS an answer for a card while its own tracker says the card is stable on it
//    and it read the card that way within hold_ms.
//  - With two or more cameras an answer counts once the cameras holding the card have agreed
//    on it for confirm_ms (two cameras becoming stable on different answers at the same
//    moment therefore record neither).
//  - A card seen by two cameras counts once: an answer is handed on when it differs from
//    the last one handed on for the card (so the latest stable answer wins, whichever camera
//    saw it); the same answer from another camera changes nothing.
//  - Cameras that disagree decide nothing: while the cameras holding a card hold different
//    answers, the card is disputed and nothing new is handed on (what was recorded stays).
//  - A camera that kept reading its answer while another camera was stable on a different
//    one (beyond grace_ms after that camera became stable: longer than a card takes to turn)
//    is CONTESTED: one of them misreads. A contested answer alone never decides; it needs
//    another camera holding the same answer. So a camera that misreads a card from its angle
//    cannot flip the recorded answer when the camera that read it right looks away. A wrong
//    answer is worse than a missed one.
//  - A new stable answer from a camera replaces its hold (and clears its contest).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/deck.h"

namespace cardpoll::lesson {

// One card read on one camera frame (the scanner's CardRead without pixels).
struct CameraRead {
  int card = 0;
  Answer answer = Answer::A;
};

// What one camera's pipeline said about one frame.
struct CameraFrame {
  int camera = 0;
  int64_t time_ms = 0;               // capture time on the lesson clock
  std::vector<CameraRead> reads;     // every card read on the frame
  std::vector<CameraRead> stable;    // answers that became stable with it (that camera's tracker)
};

// ------------------------------------------------------------------ capture-time order

struct FrameOrder {
  explicit FrameOrder(int cameras = 1);
  std::vector<std::deque<CameraFrame>> waiting;  // per camera, in its own order
  std::vector<std::optional<int64_t>> newest;    // newest frame time each camera delivered
  std::vector<bool> holding;                     // the release waits for this camera
};

// A camera's next frame (frames of one camera come in time order).
void add_frame(FrameOrder& o, CameraFrame f);
// A camera that is lost, has ended or delivers nothing for a while must not hold the others
// back (the lesson goes on without it); when it delivers again it holds again.
void set_holding(FrameOrder& o, int camera, bool holding);
// Frames every holding camera has caught up with (time <= the oldest newest-frame time among
// holding cameras), in (time, camera) order. Frames of a camera that does not hold are
// released up to the same point, or all when no camera holds.
std::vector<CameraFrame> release_frames(FrameOrder& o);
// Everything still waiting, in order (the end of the lesson).
std::vector<CameraFrame> release_all(FrameOrder& o);
// The capture time up to which frames have been released (none yet: nullopt).
std::optional<int64_t> released_until(const FrameOrder& o);

// ------------------------------------------------------------------ answers

struct MergeParams {
  int64_t hold_ms = 600;   // a camera holds its stable answer this long after its last read of it
  int64_t grace_ms = 300;  // reads of the old answer allowed after another camera became
                           // stable on a new one (the card turning; cameras' clocks differ a little)
  int64_t confirm_ms = 0;  // an answer is handed on once the cameras have agreed on it this
                           // long (0 with one camera: at once, exactly as before)
};
// The parameters for a lesson with `cameras` sources: with two or more, a new answer waits
// grace_ms for another camera to disagree before it counts.
MergeParams merge_params_for(int cameras);

struct MergedAnswer {
  int card = 0;
  Answer answer = Answer::A;
  int64_t time_ms = 0;  // the capture time of the frame that decided it
};

struct CameraHold {
  std::optional<Answer> stable;   // this camera's tracker: the card is stable on this answer
  int64_t stable_at = 0;          // when it became stable
  int64_t last_read = 0;          // the last frame this camera read the card as `stable`
  bool contested = false;         // see the rules above
};

struct AnswerMerge {
  MergeParams params;
  std::map<int, std::map<int, CameraHold>> holds;  // card -> camera -> hold
  std::map<int, Answer> given;                     // card -> last answer handed on
  std::set<int> disputed;                          // cards the cameras disagree on now
  struct Candidate {
    Answer answer = Answer::A;
    int64_t since = 0;
  };
  std::map<int, Candidate> candidates;             // card -> the answer agreed on, since when
};

// One frame, released in capture-time order; returns the answers to record now.
std::vector<MergedAnswer> merge_frame(AnswerMerge& m, const CameraFrame& f);
// A question opened: every hold and every answer handed on is forgotten.
void reset_merge(AnswerMerge& m);

}  // namespace cardpoll::lesson
