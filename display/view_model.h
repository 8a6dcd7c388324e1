// What the two live windows say, as pure functions of one plain LiveState.
//
//   LiveState  --projector_view()-->  ProjectorView  (what the class sees)
//              --teacher_view()---->  TeacherView    (what only the teacher sees)
//
// The renderers (projector_view.cpp, teacher_view.cpp) only draw these view structs, so every
// decision about WHAT is shown (privacy before reveal, percentages, labels) is made here and
// tested without pixels. Privacy is structural: a projector tile has no answer field at all.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/deck.h"
#include "lesson/live_state.h"

namespace cardpoll::display {

// The lesson's state (lesson/live_state.h) is what the windows draw.
using lesson::CameraState;
using lesson::GroupCard;
using lesson::LiveState;
using lesson::RosterEntry;
using lesson::SeenCard;

// A grey camera frame handed to the teacher window as plain bytes (never an OpenCV type).
struct PreviewImage {
  int width = 0, height = 0;
  std::vector<uint8_t> grey;  // width*height, row-major
};

// ---------------------------------------------------------------- projector

struct TileView {  // deliberately no answer: the class must never see who answered what
  std::string label;  // first name, or card number when names are hidden
  bool answered = false;  // an answer is SAVED
  bool pending = false;   // an answer was read but is not yet saved: never drawn as answered
};

struct BarView {
  char letter = 'A';
  std::string choice;
  int count = 0;
  int percent = 0;          // of students who answered, rounded; all bars sum to ~100
  double fraction = 0;      // count / largest count (0..1): the bar's height in the chart
  bool correct = false;     // the right answer (shown with a check mark and a label)
  std::string count_label;  // "12 (48%)"
};

struct ProjectorView {
  std::string header;                    // "Question 2 of 3" or the class name
  std::string question;                  // may be empty before the first question
  std::vector<std::string> choice_lines; // "A  1/2"
  std::string answered;                  // "18 / 25 answered" (saved answers only)
  std::string unsaved;                   // "3 answers waiting to be saved", empty when none
  int answered_count = 0, roster_size = 0;
  std::vector<TileView> tiles;
  bool show_chart = false;               // after reveal
  std::vector<BarView> bars;
  std::string result_note;               // "✓ Right answer: B" / "Survey: no right answer"
  std::string timer;                     // "4:05", empty when no timer
  bool timer_urgent = false;             // last 30 seconds
  bool show_groups = false;
  std::string groups_title;
  std::vector<GroupCard> groups;
  bool show_help = false;
  std::vector<std::string> help_lines;
  std::string status;                    // small line at the bottom: "Scanning" / "Paused"
};

ProjectorView projector_view(const LiveState& s);

// ---------------------------------------------------------------- teacher

enum class Tone : uint8_t { Neutral, Right, Wrong, Unassigned };

struct OutlineView {
  std::array<float, 8> corners{};
  std::string label;  // "12 Ana B", "31 ? C" for an unassigned card
  Tone tone = Tone::Neutral;
};

struct AnswerLine {
  std::string name;
  std::string answer;  // "B", "B (not saved)" while it waits, or "-" when not answered yet
  Tone tone = Tone::Neutral;
};

struct TeacherView {
  std::string header;                // "Period 3 · Question 2 of 3"
  std::string unsaved;               // "NOT YET SAVED: 3 answers wait (the disk is full)"
  std::string question;
  std::string state_line;            // "Scanning · 18 / 25 answered" / "Revealed"
  std::string tally_line;            // "A 3  B 12  C 2  D 1"
  std::vector<OutlineView> outlines;
  std::vector<std::string> unassigned;  // "card 31 is not in this class"
  std::vector<AnswerLine> answers;   // every student, answered first
  std::vector<std::string> warnings;
  std::string stats;                 // "29.8 fps · 54 ms"
  std::string status;
  std::string source;                // "demo recording 42%"
  std::vector<std::string> cameras;  // several sources: "camera 2 (/dev/video2): 29.8 fps" / "... LOST"
  std::vector<std::string> help_lines;
  bool show_help = false;
};

TeacherView teacher_view(const LiveState& s);

// ---------------------------------------------------------------- shared helpers

// The keys, one line each ("key\twhat it does"), for the ? overlay and the terminal.
std::vector<std::string> help_lines(int timer_length_seconds = 300);
// "4:05"; negative values show as 0:00.
std::string format_timer(int seconds_left);
// Counts per choice letter among roster entries that answered.
std::array<int, 4> tally_of(const std::vector<RosterEntry>& roster);
// Percentages of `counts` that sum to exactly 100 when any answered (largest remainder),
// so the class never sees 33% + 33% + 33%.
std::array<int, 4> percentages(const std::array<int, 4>& counts, int choices);

}  // namespace cardpoll::display
