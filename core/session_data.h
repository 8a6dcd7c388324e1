// Everything about one session, loaded at once: what tallies, mastery, exports and
// grouping work on. Storage fills it (load_session_data); the rest are pure functions of it.
#pragma once

#include <vector>

#include "core/model.h"

namespace cardpoll {

struct SessionData {
  ClassInfo klass;
  std::vector<Student> students;        // the class roster, by card number
  QuestionSet set;                      // with all its questions, by position
  Session session;
  std::vector<Ask> asks;                // by number
  std::vector<Response> responses;      // current answer per (ask, student)
  std::vector<ResponseChange> changes;  // every change, in time order
  std::vector<int> unassigned_cards;    // cards read in this session that no student holds
  std::vector<Correction> corrections;  // made after the fact to this session, oldest first
};

}  // namespace cardpoll
