// The class data everyone shares: plain structs, no behaviour. Storage (core/storage*),
// import/export, tallies, groups and the live view all speak in these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/deck.h"

namespace cardpoll {

using Id = int64_t;        // database row id; 0 = not stored yet
using TimeMs = int64_t;    // milliseconds since the Unix epoch, UTC

struct ClassInfo {
  Id id = 0;
  std::string name;                 // unique, e.g. "Period 3 Maths"
  std::string deck = "classroom";   // which printed deck this class uses
};

struct Student {
  Id id = 0;
  Id class_id = 0;
  std::string display_name;         // what the projector shows ("Ana G.")
  std::string first_name, last_name;
  int card = 0;                     // 1-based card number in the class's deck; 0 = none
  std::vector<std::string> tags;    // free tags: "el", "lang:es", "iep"
  std::string sis_id;               // the school's student id (SIS / LMS), "" when unknown
  std::string email;                // "" when unknown; gradebook exports match on these
};

struct Roster {
  ClassInfo klass;
  std::vector<Student> students;    // by card number
};

struct Question {
  Id id = 0;
  Id set_id = 0;
  int position = 0;                   // 1-based within its set (cardpoll:question/<n>)
  std::string text;
  std::vector<std::string> choices;   // 2-4; choices[0] is A. True/false: {"True","False"}
  bool true_false = false;
  std::optional<Answer> correct;      // none: survey or reflection poll
  std::vector<std::string> skills;    // skill tags, e.g. "fractions.equivalent"
  std::string image_path;             // optional
};

struct QuestionSet {
  Id id = 0;
  std::string name;                   // unique
  std::vector<Question> questions;    // by position
};

struct Session {
  Id id = 0;
  Id class_id = 0;
  Id set_id = 0;
  TimeMs started_at = 0;
  std::optional<TimeMs> ended_at;
};

// A question asked in a session. The same question may be asked more than once (before
// and after a small-group lesson), each time as a new Ask with its own number.
struct Ask {
  Id id = 0;
  Id session_id = 0;
  Id question_id = 0;
  int number = 0;                     // 1-based order of asking within the session
  TimeMs opened_at = 0;
  std::optional<TimeMs> closed_at;
};

// A student's current answer to an ask; every change is also kept (ResponseChange).
struct Response {
  Id ask_id = 0;
  Id student_id = 0;
  Answer answer = Answer::A;
  TimeMs first_seen = 0;
  TimeMs last_changed = 0;
};

struct ResponseChange {
  Id ask_id = 0;
  Id student_id = 0;
  Answer answer = Answer::A;
  TimeMs at = 0;
};

}  // namespace cardpoll

namespace cardpoll {

// A correction made after the fact (core/store/corrections.h): kept for ever, with who made it,
// when, and the value it replaced. kind: "answer", "key", "question", "rename", "delete".
struct Correction {
  Id id = 0;
  TimeMs at = 0;
  std::string who;
  std::string kind;
  std::optional<Id> session_id;
  std::optional<int> ask_number;
  std::optional<Id> student_id;
  std::optional<Id> question_id;
  std::string target;     // in words: "session 12, ask 3, Ana Garcia"
  std::string old_value;  // as a teacher reads it: "B", "none", "Period 3"
  std::string new_value;
};

}  // namespace cardpoll
