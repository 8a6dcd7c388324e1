// What the lesson knows right now, as plain data: the lesson controller (lesson/live_session.h)
// keeps it, the app's wiring adds what the cameras see, and the windows (display/view_model.h)
// only draw it. No pixels: the camera picture travels to the teacher window on its own
// (display::PreviewImage).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/deck.h"

namespace cardpoll::lesson {

// One student of the roster as the live session knows them right now.
struct RosterEntry {
  int card = 0;
  std::string name;              // first name (or display name) for tiles
  std::string full_name;         // for the teacher's list
  std::optional<Answer> answer;  // current answer to the open question, if any (shown)
  std::optional<Answer> saved;   // the answer committed to the database, if any
  bool pending = false;          // `answer` is NOT YET SAVED: the store refused the write
                                 // for now; it waits in memory (core/store/write_queue.h)
};

// A card read on the latest camera frame, for the teacher's preview.
struct SeenCard {
  int card = 0;
  Answer answer = Answer::A;
  std::array<float, 8> corners{};  // x,y of the pattern corners, in preview image pixels
  std::string student;             // empty: no student of this class holds the card
};

struct GroupCard {
  std::string name;                  // "Group 1", or what the grouping says
  std::string note;                  // e.g. "re-teach fractions"
  std::vector<std::string> members;  // display names
};

// One camera of a lesson with several (cardpoll live --source A --source B).
struct CameraState {
  std::string name;       // "camera 1: /dev/video0"
  bool lost = false;      // no frame for a while: reconnecting
  bool ended = false;     // a file that has ended
  bool too_dark = false;  // mean grey below 45
  double fps = 0;
};

struct LiveState {
  std::string class_name, set_name;
  // The open question (position 0 = none opened yet).
  int position = 0, count = 0;
  std::string question_text;
  std::vector<std::string> choices;      // choices[0] is A
  std::optional<Answer> correct;         // none: survey / reflection poll
  bool scanning = false;                 // answers are being collected now
  bool revealed = false;
  bool names_hidden = false;
  bool show_groups = false;
  bool show_help = false;
  std::vector<RosterEntry> roster;       // by card number
  std::optional<int> timer_seconds_left;  // countdown for group work; none: no timer
  int timer_length_seconds = 300;        // what T starts (live --timer)
  std::string groups_title;
  std::vector<GroupCard> groups;
  std::vector<std::string> warnings;     // camera lost, too dark, cards too small...
  double fps = 0, latency_ms = 0;
  std::vector<SeenCard> seen;            // cards on the latest frame
  std::vector<int> unassigned_cards;     // cards read that no student holds
  std::string status;                    // last thing that happened ("QR: next question")
  std::string source;                    // "camera 0", "demo recording", a file name
  double progress = -1;                  // 0..1 through a file source; <0: live camera
  int unsaved_answers = 0;               // answers waiting for the database
  std::string storage_problem;           // why they wait ("the disk is full (...)")
  std::string unsaved_writes;            // other writes waiting ("quick question 6, ...")
  std::vector<CameraState> cameras;      // two or more sources: one each (empty: one camera)
  std::vector<int> disputed_cards;       // cards two cameras read differently right now
};

}  // namespace cardpoll::lesson
