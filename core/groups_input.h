// From sessions to a GroupingInput: the skills asked, each student's mastery (core/mastery.h)
// and missed questions, and who was present. Pure function of SessionData.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/groups.h"
#include "core/session_data.h"

namespace cardpoll {

struct GroupingRequest {
  GroupMode mode = GroupMode::Needs;
  uint64_t seed = 1;
  GroupConstraints constraints;
  std::vector<Grouping> history;      // saved groupings of the class, newest first
  std::vector<std::string> skills;    // limit the scope to these; empty = every skill asked
};

// Skills in scope: those of asked questions with a right answer (all sessions), or
// request.skills (GroupingError naming a skill that was not asked). Students: the rosters of
// the sessions (by id; later sessions add students), by card. Present: answered at least one
// ask in the sessions; everyone else is absent. Missed question labels are "Q<position>", or
// "<set> Q<position>" when the sessions used different question sets.
GroupingInput grouping_input(std::span<const SessionData> sessions, const GroupingRequest& request);

}  // namespace cardpoll
