// From sessions to a GroupingInput: the skills asked, each student's mastery (core/mastery.h)
// and missed questions, and who was present. Pure function of SessionData.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/groups/groups.h"
#include "core/session_data.h"

namespace cardpoll {

// What a group's focus is. Skills: the questions' skill tags, or, when no question asked has
// one, each question on its own (so any quiz can be grouped). Questions: each question its own
// focus ("Q3 Which fraction ..."). Quiz: the whole quiz as one focus ("the whole quiz").
enum class GroupFocus : uint8_t { Skills, Questions, Quiz };

struct GroupingRequest {
  GroupMode mode = GroupMode::Needs;
  uint64_t seed = 1;
  GroupConstraints constraints;
  std::vector<Grouping> history;      // saved groupings of the class, newest first
  std::vector<std::string> skills;    // limit the scope to these; empty = every skill asked
  GroupFocus focus = GroupFocus::Skills;
};

// Where a student stands on a focus, for grouping (docs/groups.md, "Short checks"). Core's
// mastery rule (core/mastery.h) wants three right in a row before "mastered", more evidence
// than a two-question exit ticket gives; grouping must not read "not mastered yet" as a gap.
//   mastered     - every answered question on it right (at least one), or core says mastered;
//   not_yet      - fewer than half right;
//   approaching  - otherwise (some wrong, at least half right);
//   unknown      - no answer on it.
// So nobody is put in a reteach group for a focus they never got wrong.
SkillLevel grouping_level(int evidence, int right, bool core_mastered);

// The sessions with every question's skills replaced as `focus` asks (Skills: unchanged when
// any scored question asked has a tag, else as Questions). Labels: "Q3 <start of its text>".
std::vector<SessionData> sessions_with_focus(std::span<const SessionData> sessions, GroupFocus focus);

// Skills in scope: those of asked questions with a right answer (all sessions), or
// request.skills (GroupingError naming a skill that was not asked). Students: the rosters of
// the sessions (by id; later sessions add students), by card. Present: answered at least one
// ask in the sessions; everyone else is absent. Missed question labels are "Q<position>", or
// "<set> Q<position>" when the sessions used different question sets.
GroupingInput grouping_input(std::span<const SessionData> sessions, const GroupingRequest& request);

}  // namespace cardpoll
