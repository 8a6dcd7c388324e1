// Small-group suggestions: from per-student mastery to needs-based or mixed-expertise groups.
//
// Pure functions over plain structs: the caller (core/groups/groups_input.h) turns sessions and
// mastery into a GroupingInput; suggest_groups() returns a Grouping that the CLI prints,
// core/store/groups_store.h saves and the live view shows. See docs/groups.md for the modes, the
// objective and its weights, and the constraints file format.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace cardpoll {

// Where a student stands on one skill. Unknown = no answer to any question on it.
enum class SkillLevel : uint8_t { Unknown, NotYet, Approaching, Mastered };
std::string_view skill_level_name(SkillLevel level);  // "unknown", "not_yet", ...

// needs: teacher-led groups around a shared gap. mixed: group-worthy tasks, diverse expertise.
// misconception: students who made the same wrong choice on a question (core/groups/groups_choices.h).
// discuss: peer-instruction groups on one question, mixed choices and a right answer in each.
enum class GroupMode : uint8_t { Needs, Mixed, Misconception, Discuss };
// "needs", "mixed", "misconception", "discuss"
std::string_view group_mode_name(GroupMode mode);
std::optional<GroupMode> group_mode_from_name(std::string_view name);

struct SkillStanding {
  SkillLevel level = SkillLevel::Unknown;
  double estimate = 0.0;             // 0..1: share right (or core's estimate); ignored if Unknown
  std::vector<std::string> missed;   // labels of questions missed on this skill: "Q4"
};

struct GroupingStudent {
  Id id = 0;
  std::string name;                  // display name
  int card = 0;
  std::vector<std::string> tags;     // "el", "lang:es", ...
  bool present = true;               // false: no answer in the sessions; left out and listed
  std::vector<SkillStanding> skills; // one per GroupingInput::skills, same order
};

struct GroupConstraints {
  int min_size = 3;
  int max_size = 4;
  std::vector<std::vector<Id>> keep_apart;     // no two students of one list share a group
  std::vector<std::vector<Id>> keep_together;  // all students of one list share a group
  bool anchor_home_language = true;            // `el` + `lang:xx` placed with a stronger lang:xx peer
};

// Roles of mixed groups, in the order they are handed out (see roles_for_size).
inline constexpr std::string_view kRoleFacilitator = "facilitator";
// The roles a group of `size` gets: 4 -> facilitator, recorder, reporter, skeptic/timekeeper.
std::vector<std::string> roles_for_size(int size);

struct GroupMember {
  Id student = 0;
  std::string name;
  int card = 0;
  std::string role;                  // "" in needs mode (the teacher leads)
};

struct Group {
  std::string name;                  // "Group 1", "Extension 1"
  std::string focus;                 // needs: the skill tag; "extension"; mixed: ""
  std::vector<std::string> missed;   // needs: questions on the focus missed by any member
  std::string reason;                // one sentence a teacher can read aloud
  std::vector<GroupMember> members;
};

struct Grouping {
  Id id = 0;                         // 0 until saved
  Id class_id = 0;
  TimeMs created_at = 0;
  GroupMode mode = GroupMode::Needs;
  uint64_t seed = 0;
  int min_size = 0, max_size = 0;
  std::vector<Id> sessions;          // the sessions it was built from
  std::vector<Group> groups;
  std::vector<std::string> absent;       // names of students left out
  std::vector<std::string> unsatisfied;  // constraints not honoured, each with its reason
};

struct GroupingInput {
  GroupMode mode = GroupMode::Needs;
  uint64_t seed = 1;
  std::vector<std::string> skills;           // the skills in scope
  std::vector<GroupingStudent> students;
  GroupConstraints constraints;
  std::vector<Grouping> history;             // earlier saved groupings of the class, newest first
  int iterations = 0;                        // local-search steps; 0 = automatic
};

// Bad input that is the caller's fault (sizes, unknown ids, skills count mismatch).
struct GroupingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The suggestion (needs and mixed modes; the choice modes are suggest_choice_groups() in
// core/groups/groups_choices.h). Deterministic for a given input (including seed). Throws
// GroupingError for malformed input or a choice mode; constraints that cannot be met are reported in Grouping::unsatisfied.
Grouping suggest_groups(const GroupingInput& input);

// The weighted objective the search minimises, term by term (for docs, tests and --explain).
struct GroupingScore {
  double size = 0, apart = 0, together = 0, anchor = 0;  // hard terms (0 when all honoured)
  double focus = 0, similarity = 0, priority = 0;        // needs
  double coverage = 0, balance = 0;                      // mixed
  double repeat_pairs = 0, role_clash = 0;                // mixed: rotation
  double total() const {
    return size + apart + together + anchor + focus + similarity + priority + coverage + balance +
           repeat_pairs + role_clash;
  }
};
GroupingScore score_grouping(const GroupingInput& input, const Grouping& grouping);

// Snake draft (strongest to weakest, 1..k then k..1): the baseline the quality benchmark
// compares mixed groups against. Sizes as even as possible; no roles, no constraints.
Grouping snake_draft_groups(const GroupingInput& input);

// Share of `grouping`'s groups that hold a master of every skill some present student mastered.
double share_covering_all_skills(const GroupingInput& input, const Grouping& grouping);

// Constraints file (docs/groups.md): `size: 3-4`, `apart: Ana, Ben`, `together: Cy, Dee`,
// `anchor: off`, `#` comments. Names match display name, "first last" or a unique first name
// (case-insensitive), or `#12` for card 12. GroupingError naming file:line on anything wrong.
GroupConstraints parse_group_constraints(std::string_view text, const std::string& file_name,
                                         const std::vector<Student>& roster,
                                         GroupConstraints defaults);

}  // namespace cardpoll
