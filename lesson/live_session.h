// The live lesson's controller (the lesson room: no drawing, no pixels): keys and QR command
// cards in, the response collector and the lesson's LiveState out. No SDL, no camera: the
// live view, the app and the headless run feed it inputs and stable reads (in capture-time
// order, merged across cameras by lesson/camera_merge.h) and the windows draw session.state.
//
//   LiveSession s = start_live_session(db, "Period 3", "Fractions", now_ms());
//   LiveEffects e = apply_input(s, input_for_command(card), at);  // or input_for_key('n')
//   if (e.reset_tracker) pipeline.reset_tracker();   // a question opened: all answer anew
//   record_read(s, stable.card, stable.answer, at);  // every stable answer, in order
//
// Rules: opening a question (next, prev, question/n, scan start with none open) asks it
// through the collector and starts collecting; reveal closes the ask (stops collecting);
// scan stop closes it without revealing, scan start reopens it. Everything stored goes
// through core/store/collector.h, so what the windows show is what is on disk.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include "core/store/collector.h"
#include "core/store/write_queue.h"
#include "core/store/db.h"
#include "core/groups/groups.h"
#include "core/model.h"
#include "lesson/live_input.h"
#include "lesson/live_state.h"

namespace cardpoll::lesson {

struct LiveEffects {
  bool reset_tracker = false;  // a question was opened: the scanner must forget answers
  bool revealed = false;       // (snapshots are taken at each reveal)
  bool toggle_fullscreen = false;
  bool quit = false;
};

struct GroupsForView {
  std::string title;
  std::vector<GroupCard> groups;
};

// A saved grouping (core/store/groups_store.h) as the projector's group view: one card per group,
// with its focus skill (needs mode) or its reason (mixed mode) as the note, and each member
// with their role ("Ana - reader"). No grouping: no cards (the view says none is saved).
GroupsForView groups_for_view(const std::optional<Grouping>& grouping);

struct LiveSession {
  Database* db = nullptr;
  ClassInfo klass;
  QuestionSet set;
  std::vector<Student> students;   // the roster, by card
  std::unique_ptr<Collector> collector;
  // Every write goes through here: when the store refuses one (lock, full disk, I/O error)
  // it waits in memory, in order, and the views say "not yet saved" (core/store/write_queue.h).
  std::unique_ptr<WriteQueue> writes;
  uint64_t question_epoch = 0;     // +1 at each question opened: tags the reads of it
  TimeMs last_save_try = 0;
  bool ended = false;              // end_live_session ran (its write may still wait)
  int lock_wait_ms = 250;          // the connection's busy timeout outside retries
  LiveState state;
  int timer_seconds = 300;         // T starts this countdown
  std::optional<TimeMs> timer_ends;
  int64_t reads = 0;               // stable reads handed in
  bool quick_only = false;         // started without a set: every question is a quick one
  // Beside set.questions: each one's number among the session's quick questions (1 = the
  // first asked), 0 for a prepared one. A quick question added during the lesson is known
  // here at once; its row waits in s.writes like every write (id 0 until then).
  std::vector<int> quick_numbers;
  int quick_count = 0;
  // Saved groupings to show with G (the app wires core's groups storage here); empty: none.
  std::function<GroupsForView()> load_groups;
};

// Starts a new session of the class with the set. Throws std::runtime_error naming the class
// or set when missing, or when the class has no students. An empty set_name starts a lesson
// of quick questions only (core/store/quick_questions.h): N, Space and K each ask one.
LiveSession start_live_session(Database& db, const std::string& class_name,
                               const std::string& set_name, TimeMs now);

LiveEffects apply_input(LiveSession& s, const LiveInput& input, TimeMs at);

// One StableRead. Returns the collector's verdict (Recorded, Changed, Unassigned, ...).
ReadResult record_read(LiveSession& s, int card, Answer answer, TimeMs at);

// All the stable reads of one camera frame, committed in one transaction (one disk flush for
// a whole class turning cards together); results in the same order.
std::vector<ReadResult> record_reads(LiveSession& s, std::span<const Collector::Read> reads);

// Clock-driven state (the countdown). Call once per drawn frame.
void tick(LiveSession& s, TimeMs now);

// Continues an open session (left by a crash, a kill or a power cut): its open ask (or the
// last one, paused) with the answers it has. Throws when the session is missing or ended.
LiveSession resume_live_session(Database& db, Id session_id, TimeMs now);

// While writes wait (storage refused them), tries again every `every_ms`; marks the answers
// that got committed as saved. Cheap when nothing waits. True when something changed.
// A retry waits at most kRetryLockWaitMs for another program's lock.
inline constexpr int kRetryLockWaitMs = 20;
bool retry_saves(LiveSession& s, TimeMs now, int every_ms = 500);
// Answers (reads) not yet saved.
int unsaved_answers(const LiveSession& s);

// The student holding `card` ("" when nobody): labels for the teacher's preview.
std::string student_name_for_card(const LiveSession& s, int card);

// Closes the open ask and ends the session (idempotent). Queued like every write: when the
// store refuses it, s.writes is not empty afterwards (see retry_saves, core/store/recovery_file.h).
void end_live_session(LiveSession& s, TimeMs at);

}  // namespace cardpoll::lesson
