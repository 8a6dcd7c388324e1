// Gradebook exports: cardpoll's scores in the file each gradebook's own import reads, for one
// session or several of one class.
//
//   canvas       CSV "Student,ID,SIS User ID,SIS Login ID,Section,<assignment>...", then the
//                "Points Possible" row, then a row per student (Student "Last, First"; SIS User
//                ID = the student id; Section = the class). Canvas's Gradebook > Import matches
//                students by SIS User ID and makes a new assignment of every new column.
//   moodle       CSV "ID number,Email address,First name,Last name,<grade item>...": in Moodle's
//                Grades > Import > CSV file, map "ID number" (or "Email address") to the user
//                and each column to a new grade item.
//   classroom    CSV "Last Name,First Name,Email Address,<assignment>..." with numeric points,
//                as Google Classroom's own grade export; Classroom matches by email address.
//   powerschool  tab-separated "Student Number<TAB>Student Name<TAB><assignment>...", for
//                PowerTeacher Pro's score import (match on Student Number, one assignment
//                column at a time).
//
// Assignments: one per session (points = right answers out of the session's scored asks) or
// one per ask (1 right, 0 wrong); survey asks (no right answer) score nothing. A student who
// answered none of an assignment's asks gets an empty cell (not graded), not a zero.
// Students without what a format matches on (student id, or email) are refused, named.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/session_data.h"

namespace cardpoll {

enum class Gradebook { Canvas, Moodle, Classroom, PowerSchool };
enum class AssignmentPer { Session, Ask };

// "canvas", "moodle", "classroom", "powerschool"; nullopt otherwise.
std::optional<Gradebook> gradebook_from_name(std::string_view name);
std::string_view gradebook_name(Gradebook g);
std::string gradebook_names();  // "canvas|moodle|classroom|powerschool"

// Refused export: the message says what is missing and for whom, in the teacher's words.
struct GradebookError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `sessions` in the order the assignments go (all of one class). Throws GradebookError when
// they are of several classes, when there is nothing to score, or when students lack the ids
// or emails the format needs (all of them named).
std::string export_gradebook(const std::vector<SessionData>& sessions, Gradebook format, AssignmentPer per);

}  // namespace cardpoll
