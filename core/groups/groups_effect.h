// Did the small-group session work? Right rates on each group's focus before and after, and
// how each group answered the reflection polls (survey questions, no right answer).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/groups/groups.h"
#include "core/session_data.h"

namespace cardpoll {

// right / answered on scored asks about the skills; none when nothing was answered.
struct RightRate {
  int right = 0, answered = 0;
  std::optional<double> rate() const {
    return answered ? std::optional<double>(static_cast<double>(right) / answered) : std::nullopt;
  }
};

struct StudentEffect {
  Id student = 0;
  std::string name;
  int card = 0;
  std::string group;   // group name
  RightRate before, after;
};

struct GroupEffect {
  std::string name;
  std::string focus;                 // skill; "extension"/"" (mixed): every skill of the sessions
  RightRate before, after;           // pooled over the group's members
  std::vector<StudentEffect> students;
};

struct SkillChange {
  std::string skill;
  RightRate before, after;           // the whole class
};

struct GroupingEffect {
  std::vector<GroupEffect> groups;
  std::vector<SkillChange> skills;   // each focus skill, then "all skills"
};

// The focus of a needs group is its skill; extension and mixed groups are measured on every
// scored skill asked in both sessions. Students without answers on it show no rate.
GroupingEffect grouping_effect(const Grouping& grouping, const SessionData& before,
                               const SessionData& after);

struct ReflectionGroup {
  std::string name;                  // group name, or "not in a group"
  std::array<int, 4> counts{};       // by answer A..D
  int answered = 0, members = 0;
};

struct ReflectionTally {
  Id ask_id = 0;
  int ask_number = 0;
  std::string question;
  std::vector<std::string> choices;
  std::vector<ReflectionGroup> groups;  // the grouping's groups in order, then "not in a group"
};

// Every survey ask (question without a right answer) of `session`, answers counted per group.
std::vector<ReflectionTally> reflection_by_group(const Grouping& grouping, const SessionData& session);

}  // namespace cardpoll
