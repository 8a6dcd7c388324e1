// School reports as HTML, CSV or JSON: the same set across classes, side by side, then core's
// item analysis of each class; a student across teachers.
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/csv.h"
#include "core/exchange/export.h"
#include "core/local_time.h"
#include "school/report.h"

namespace cardpoll::school {

namespace {

std::string label(const ClassColumn& c) {
  std::string s = c.data.klass.name + " (" + local_date_label(c.data.session.started_at);
  if (!c.teacher.empty()) s += ", " + c.teacher;
  return s + ")";
}

// Question positions of the set, in order, each with its text (the first class's wording).
std::vector<std::pair<int, std::string>> question_rows(const SetReport& r) {
  std::map<int, std::string> rows;
  for (const auto& c : r.classes)
    for (const auto& q : c.data.set.questions) rows.emplace(q.position, q.text);
  return {rows.begin(), rows.end()};
}

// The share right of the first scored asking of question `position` in the class; none when
// the class was not asked it or no one answered.
std::optional<double> share_right(const ClassColumn& c, int position) {
  for (const auto& item : c.analysis.items)
    if (item.question_position == position && item.scored) return item.share_right;
  return std::nullopt;
}

std::string percent(const std::optional<double>& v) {
  if (!v) return "";
  return std::to_string(static_cast<int>(std::lround(*v * 100))) + "%";
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string s;
  for (size_t i = 0; i < cells.size(); ++i) s += (i ? "," : "") + csv_cell(cells[i]);
  return s + "\n";
}

std::string set_csv(const SetReport& r) {
  std::vector<std::string> head = {"question", "text"};
  for (const auto& c : r.classes) head.push_back(label(c));
  std::string out = csv_line(head);
  for (const auto& [pos, text] : question_rows(r)) {
    std::vector<std::string> line = {"Q" + std::to_string(pos), text};
    for (const auto& c : r.classes) line.push_back(percent(share_right(c, pos)));
    out += csv_line(line);
  }
  out += "\n" + csv_line({"class", "ask", "question", "answered", "right", "share right", "discrimination", "flags"});
  for (const auto& c : r.classes)
    for (const auto& i : c.analysis.items) {
      std::string flags;
      for (const auto& f : i.flags) flags += (flags.empty() ? "" : "; ") + f;
      out += csv_line({label(c), std::to_string(i.ask_number), "Q" + std::to_string(i.question_position),
                       std::to_string(i.answered), std::to_string(i.right), percent(i.share_right),
                       i.discrimination ? std::to_string(*i.discrimination).substr(0, 5) : "", flags});
    }
  return out;
}

nlohmann::json optional_number(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

std::string set_json(const SetReport& r) {
  nlohmann::json j = {{"set", r.set_name}, {"classes", nlohmann::json::array()}, {"questions", nlohmann::json::array()}};
  for (const auto& c : r.classes)
    j["classes"].push_back({{"class", c.data.klass.name},
                            {"teacher", c.teacher},
                            {"session_started", local_time_label(c.data.session.started_at)},
                            {"students", c.analysis.students},
                            {"item_analysis", nlohmann::json::parse(item_analysis_json(c.analysis))}});
  for (const auto& [pos, text] : question_rows(r)) {
    nlohmann::json shares = nlohmann::json::array();
    for (const auto& c : r.classes) shares.push_back(optional_number(share_right(c, pos)));
    j["questions"].push_back({{"question", pos}, {"text", text}, {"share_right", shares}});
  }
  return j.dump(2) + "\n";
}

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
         "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
         "td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left}</style></head><body>\n<h1>" +
         html_escape(title) + "</h1>\n" + body + "</body></html>\n";
}

std::string set_html(const SetReport& r) {
  std::string b = "<h2>Share right, class by class</h2>\n<table><tr><th>Question</th>";
  for (const auto& c : r.classes) b += "<th>" + html_escape(label(c)) + "</th>";
  b += "</tr>\n";
  for (const auto& [pos, text] : question_rows(r)) {
    b += "<tr><td>Q" + std::to_string(pos) + " " + html_escape(text) + "</td>";
    for (const auto& c : r.classes) b += "<td>" + percent(share_right(c, pos)) + "</td>";
    b += "</tr>\n";
  }
  b += "</table>\n";
  for (const auto& c : r.classes)
    b += "<section><h2>" + html_escape(label(c)) + "</h2>\n" + item_analysis_html(c.analysis) + "</section>\n";
  return page("School report: " + r.set_name, b);
}

std::string student_csv(const StudentReport& r) {
  std::string out = csv_line({"school id", "class", "teacher", "question set", "started", "answered", "scored", "right"});
  for (const auto& s : r.sessions)
    out += csv_line({r.school_id, s.class_name, s.teacher, s.set_name, local_time_label(s.started_at),
                     std::to_string(s.answered), std::to_string(s.scored), std::to_string(s.right)});
  return out;
}

std::string student_json(const StudentReport& r) {
  nlohmann::json j = {{"school_id", r.school_id}, {"names", r.names}, {"sessions", nlohmann::json::array()}};
  for (const auto& s : r.sessions)
    j["sessions"].push_back({{"class", s.class_name}, {"teacher", s.teacher}, {"set", s.set_name},
                             {"started", local_time_label(s.started_at)}, {"answered", s.answered},
                             {"scored", s.scored}, {"right", s.right}});
  return j.dump(2) + "\n";
}

std::string student_html(const StudentReport& r) {
  std::string names;
  for (const auto& n : r.names) names += (names.empty() ? "" : ", ") + n;
  std::string b = "<p>Known as: " + html_escape(names) + "</p>\n<table><tr><th>Started</th><th>Class</th>"
                  "<th>Teacher</th><th>Question set</th><th>Answered</th><th>Right</th></tr>\n";
  for (const auto& s : r.sessions)
    b += "<tr><td>" + html_escape(local_time_label(s.started_at)) + "</td><td>" + html_escape(s.class_name) +
         "</td><td>" + html_escape(s.teacher) + "</td><td>" + html_escape(s.set_name) + "</td><td>" +
         std::to_string(s.answered) + "</td><td>" + std::to_string(s.right) + " of " + std::to_string(s.scored) +
         "</td></tr>\n";
  return page("Student " + r.school_id + " across classes", b + "</table>\n");
}

}  // namespace

std::string render(const SetReport& r, const std::string& format) {
  if (format == "csv") return set_csv(r);
  if (format == "json") return set_json(r);
  if (format == "html") return set_html(r);
  throw std::invalid_argument("unknown report format " + format);
}

std::string render(const StudentReport& r, const std::string& format) {
  if (format == "csv") return student_csv(r);
  if (format == "json") return student_json(r);
  if (format == "html") return student_html(r);
  throw std::invalid_argument("unknown report format " + format);
}

}  // namespace cardpoll::school
