// School reports read from the server (docs/school.md, "Reports"): the same question set across
// every class that used it, side by side, with core's item analysis per class; and one
// student (by school id) across classes and teachers. Everything is read in one READ ONLY
// transaction: a report never changes the server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/exchange/item_analysis.h"
#include "core/session_data.h"

#include <pqxx/connection>

namespace cardpoll::school {

struct ClassColumn {
  std::string teacher;  // the laptop's name ("ana@room12")
  SessionData data;     // rebuilt from the server (ids are numbers made for this report)
  SessionItemAnalysis analysis;
};
struct SetReport {
  std::string set_name;
  std::vector<ClassColumn> classes;  // one per session of a set of that name, by class then time
};
// Throws ServerError; and when no class has used a set of that name.
SetReport load_set_report(pqxx::connection& c, const std::string& set_name);

struct StudentSessionLine {
  std::string class_name, teacher, set_name;
  TimeMs started_at = 0;
  int answered = 0;  // asks answered
  int scored = 0;    // of those, asks with a right answer
  int right = 0;
};
struct StudentReport {
  std::string school_id;
  std::vector<std::string> names;  // as each class knows the student
  std::vector<StudentSessionLine> sessions;  // by time
};
StudentReport load_student_report(pqxx::connection& c, const std::string& school_id);

// format: "html", "csv" or "json".
std::string render(const SetReport& r, const std::string& format);
std::string render(const StudentReport& r, const std::string& format);

}  // namespace cardpoll::school
