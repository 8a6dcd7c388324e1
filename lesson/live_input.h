// What the teacher asks of a lesson: a key (either live window) or a QR command card held
// up to a camera, as one LiveInput for the lesson controller (lesson/live_session.h).
#pragma once

#include <optional>
#include <string>

#include "lesson/commands.h"

namespace cardpoll::lesson {

enum class LiveAction {
  Next, Prev, Reveal, ScanToggle, ScanStart, ScanStop, Question, Groups, HideNames, Timer,
  Fullscreen, Quit, Help,
  QuickQuestion,  // ask an unprepared question (choices A-D) now
  SetKey,         // the right answer of the open or revealed quick question: question 1-4 = A-D, 0 none
  Discuss,        // peer-discussion groups for the current question (core/groups/groups_choices.h)
};

struct LiveInput {
  LiveAction action = LiveAction::Next;
  int question = 0;    // LiveAction::Question: 1-based position; SetKey: 1-4 = A-D, 0 = none
  std::string origin;  // "key N", "QR card": for the status line
};

LiveInput input_for_command(const CommandCard& c);
// Keys: ' ' space, '\r' Enter, n p h g t f q ?, d (discussion groups), k (quick question), 0-4 (the quick question's
// right answer: 1-4 = A-D, 0 none); nullopt for any other key.
std::optional<LiveInput> input_for_key(char key);

}  // namespace cardpoll::lesson
