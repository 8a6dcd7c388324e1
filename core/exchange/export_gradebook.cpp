#include "core/exchange/export_gradebook.h"

#include <map>

#include "core/csv.h"
#include "core/exchange/export.h"

namespace cardpoll {

namespace {

// One gradebook column: which asks it scores, and its name.
struct Assignment {
  std::string name;
  std::vector<std::pair<const SessionData*, const Ask*>> asks;  // scored asks only
};

const Question* question_of(const SessionData& s, const Ask& a) {
  for (const auto& q : s.set.questions)
    if (q.id == a.question_id) return &q;
  return nullptr;
}

bool scored(const SessionData& s, const Ask& a) {
  const Question* q = question_of(s, a);
  return q && q->correct.has_value();
}

std::string session_title(const SessionData& s) {
  return s.set.name + " " + iso8601_utc(s.session.started_at).substr(0, 10) + " (session " +
         std::to_string(s.session.id) + ")";
}

std::vector<Assignment> assignments(const std::vector<SessionData>& sessions, AssignmentPer per) {
  std::vector<Assignment> out;
  for (const SessionData& s : sessions) {
    if (per == AssignmentPer::Session) {
      Assignment a{session_title(s), {}};
      for (const Ask& ask : s.asks)
        if (scored(s, ask)) a.asks.push_back({&s, &ask});
      if (!a.asks.empty()) out.push_back(std::move(a));
      continue;
    }
    for (const Ask& ask : s.asks)
      if (scored(s, ask)) out.push_back({session_title(s) + " Q" + std::to_string(ask.number), {{&s, &ask}}});
  }
  return out;
}

// Points of one student in one assignment; nullopt when the student answered none of it.
std::optional<int> points(const Assignment& a, Id student_id) {
  int right = 0;
  bool answered = false;
  for (const auto& [s, ask] : a.asks)
    for (const Response& r : s->responses)
      if (r.ask_id == ask->id && r.student_id == student_id) {
        answered = true;
        right += question_of(*s, *ask)->correct == r.answer;
      }
  if (!answered) return std::nullopt;
  return right;
}

std::string cell_points(std::optional<int> p) { return p ? std::to_string(*p) : std::string(); }

std::string sortable_name(const Student& s) {
  if (!s.last_name.empty() && !s.first_name.empty()) return s.last_name + ", " + s.first_name;
  return s.display_name;
}

// "first" / "last" for formats with both columns: the stored parts, else the display name
// split at its last space.
std::pair<std::string, std::string> first_last(const Student& s) {
  if (!s.first_name.empty() || !s.last_name.empty()) return {s.first_name, s.last_name};
  const auto sp = s.display_name.rfind(' ');
  if (sp == std::string::npos) return {s.display_name, ""};
  return {s.display_name.substr(0, sp), s.display_name.substr(sp + 1)};
}

// Every student named, for refusals: "Ana García, Ben Okafor and 3 more".
std::string name_list(const std::vector<const Student*>& students) {
  std::string out;
  const size_t shown = std::min<size_t>(students.size(), 8);
  for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + students[i]->display_name;
  if (students.size() > shown) out += " and " + std::to_string(students.size() - shown) + " more";
  return out;
}

void require(const std::vector<const Student*>& students, bool (*has)(const Student&), const std::string& what,
             Gradebook g) {
  std::vector<const Student*> missing;
  for (const Student* s : students)
    if (!has(*s)) missing.push_back(s);
  if (missing.empty()) return;
  throw GradebookError(std::string(gradebook_name(g)) + " matches students by their " + what + ", and " +
                       std::to_string(missing.size()) + " of " + std::to_string(students.size()) +
                       " students have none: " + name_list(missing) +
                       ". Import the class roster again from the school's export (it carries them), "
                       "then export again.");
}

bool has_id(const Student& s) { return !s.sis_id.empty(); }
bool has_email(const Student& s) { return !s.email.empty(); }
bool has_id_or_email(const Student& s) { return has_id(s) || has_email(s); }

}  // namespace

std::optional<Gradebook> gradebook_from_name(std::string_view name) {
  const std::string n = lower_ascii(name);
  if (n == "canvas") return Gradebook::Canvas;
  if (n == "moodle") return Gradebook::Moodle;
  if (n == "classroom" || n == "google-classroom") return Gradebook::Classroom;
  if (n == "powerschool") return Gradebook::PowerSchool;
  return std::nullopt;
}

std::string_view gradebook_name(Gradebook g) {
  switch (g) {
    case Gradebook::Canvas: return "canvas";
    case Gradebook::Moodle: return "moodle";
    case Gradebook::Classroom: return "classroom";
    case Gradebook::PowerSchool: return "powerschool";
  }
  return "?";
}

std::string gradebook_names() { return "canvas|moodle|classroom|powerschool"; }

std::string export_gradebook(const std::vector<SessionData>& sessions, Gradebook g, AssignmentPer per) {
  if (sessions.empty()) throw GradebookError("no sessions to export");
  for (const SessionData& s : sessions)
    if (s.klass.id != sessions.front().klass.id)
      throw GradebookError("session " + std::to_string(s.session.id) + " is of class \"" + s.klass.name +
                           "\" and session " + std::to_string(sessions.front().session.id) + " of \"" +
                           sessions.front().klass.name + "\": a gradebook file is for one class");
  const std::vector<Assignment> cols = assignments(sessions, per);
  if (cols.empty())
    throw GradebookError("nothing to grade: the sessions asked no question with a right answer (surveys score nothing)");

  // The class as it is now (the newest session's roster, in card order), then anyone who
  // answered in an older session and has left since: their scores must not go missing.
  std::vector<const Student*> students;
  std::map<Id, bool> listed;
  for (auto it = sessions.rbegin(); it != sessions.rend(); ++it)
    for (const Student& s : it->students)
      if (listed.emplace(s.id, true).second) students.push_back(&s);
  if (students.empty()) throw GradebookError("class \"" + sessions.back().klass.name + "\" has no students");

  const char sep = g == Gradebook::PowerSchool ? '\t' : ',';
  std::string out;
  std::vector<std::string> header;
  switch (g) {
    case Gradebook::Canvas:
      require(students, has_id, "SIS User ID (the student id)", g);
      header = {"Student", "ID", "SIS User ID", "SIS Login ID", "Section"};
      break;
    case Gradebook::Moodle:
      require(students, has_id_or_email, "ID number or email address", g);
      header = {"ID number", "Email address", "First name", "Last name"};
      break;
    case Gradebook::Classroom:
      require(students, has_email, "email address", g);
      header = {"Last Name", "First Name", "Email Address"};
      break;
    case Gradebook::PowerSchool:
      require(students, has_id, "Student Number (the student id)", g);
      header = {"Student Number", "Student Name"};
      break;
  }
  for (const Assignment& a : cols) header.push_back(a.name);
  out += csv_row(header, sep);
  if (g == Gradebook::Canvas) {
    std::vector<std::string> possible = {"Points Possible", "", "", "", ""};
    for (const Assignment& a : cols) possible.push_back(std::to_string(a.asks.size()));
    out += csv_row(possible, sep);
  }
  for (const Student* s : students) {
    std::vector<std::string> row;
    const auto [first, last] = first_last(*s);
    switch (g) {
      case Gradebook::Canvas: row = {sortable_name(*s), "", s->sis_id, "", sessions.back().klass.name}; break;
      case Gradebook::Moodle: row = {s->sis_id, s->email, first, last}; break;
      case Gradebook::Classroom: row = {last, first, s->email}; break;
      case Gradebook::PowerSchool: row = {s->sis_id, sortable_name(*s)}; break;
    }
    for (const Assignment& a : cols) row.push_back(cell_points(points(a, s->id)));
    out += csv_row(row, sep);
  }
  return out;
}

}  // namespace cardpoll
