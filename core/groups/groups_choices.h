// Groups from the choices themselves (docs/groups.md, "Misconception groups" and "Discussion
// groups"), for quizzes with or without skill tags. Pure functions of SessionData.
//
// misconception: the students who made the same wrong choice on a question sit together, the
//   choice itself is the focus ("Q3 chose B: 2/8"). The most common wrong choice goes first;
//   each student joins one group: that of their most shared wrong choice. A choice held by too
//   few students for a group is dissolved: its students join another group of a wrong choice
//   they made, else a "different errors" group per question. Students right everywhere form
//   extension groups. Every present student is in exactly one group.
// discuss: peer instruction on one ask (the scored ask whose share right is nearest 50%, or
//   the one asked for): groups of min-max students in which everyone who answered is placed so
//   that each group holds at least one student who was right and as many different choices as
//   the class allows (Smith et al., Science 2009: discussing with peers who chose differently
//   raises right answers on a new, equivalent question). Present students who did not answer
//   that ask are spread over the groups last.
#pragma once

#include <optional>
#include <span>

#include "core/groups/groups.h"
#include "core/groups/groups_input.h"
#include "core/session_data.h"

namespace cardpoll {

struct ChoiceGroupingRequest {
  GroupMode mode = GroupMode::Misconception;  // Misconception or Discuss
  int min_size = 2, max_size = 4;
  std::optional<int> ask;  // discuss: the ask number (of the last session given); none: automatic
};

// GroupingError for a mode that is not a choice mode, bad sizes, an unknown ask, or (discuss)
// an ask nobody answered right.
Grouping suggest_choice_groups(std::span<const SessionData> sessions, const ChoiceGroupingRequest& request);

}  // namespace cardpoll
