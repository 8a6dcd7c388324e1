// Tallies: what the class answered, per ask and per student. Pure functions of SessionData.
//
// Percent per choice and percent right are of the students who ANSWERED (what the projector
// shows); percent_answered is of the roster. A student with no answer is "not answered",
// never "wrong": a missed read must not count against anyone.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "core/session_data.h"

namespace cardpoll {

struct AskTally {
  Id ask_id = 0;
  int ask_number = 0;
  Id question_id = 0;
  const Question* question = nullptr;      // points into the SessionData; null if unknown
  int choices = 0;                         // 2-4
  std::optional<Answer> correct;           // none: survey
  std::array<int, 4> counts{};             // by Answer (A..D)
  std::array<double, 4> percent{};         // counts / answered * 100 (0 when none answered)
  std::vector<Id> answered;                // student ids, roster order
  std::vector<Id> not_answered;            // student ids, roster order
  int class_size = 0;                      // students in the roster
  double percent_answered = 0;             // answered / class_size * 100
  std::optional<int> right;                // none for surveys
  std::optional<double> percent_right;     // right / answered * 100; none for surveys or
                                           // when nobody answered
};

// One ask; std::out_of_range when the session has no such ask.
AskTally tally_ask(const SessionData& s, Id ask_id);
// All asks, by ask number.
std::vector<AskTally> tally_asks(const SessionData& s);

// Which asks count: those opened in [from, to) (either end open when absent).
struct TimeRange {
  std::optional<TimeMs> from, to;
  bool contains(TimeMs t) const { return (!from || t >= *from) && (!to || t < *to); }
};

struct StudentScore {
  Id student_id = 0;
  const Student* student = nullptr;  // points into the first SessionData that has the student
  int asks = 0;                      // asks in range (any kind)
  int answered = 0;                  // of those, answered (surveys included)
  int scored = 0;                    // asks in range whose question has a right answer
  int right = 0;                     // of those, answered right
  std::optional<double> percent;     // right / scored * 100; none when scored == 0
};

// Per student over one or several sessions of a class (students matched by id; order: first
// session's roster order, then students met later). Unanswered scored asks count as not right.
std::vector<StudentScore> student_scores(std::span<const SessionData> sessions,
                                         const TimeRange& range = {});
std::vector<StudentScore> student_scores(const SessionData& session);

// The question of an ask, or nullptr.
const Question* question_of(const SessionData& s, const Ask& ask);
// The current response of a student to an ask, or nullptr.
const Response* response_of(const SessionData& s, Id ask_id, Id student_id);

}  // namespace cardpoll
