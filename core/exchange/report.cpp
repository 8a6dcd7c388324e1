#include "core/exchange/report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "core/exchange/export.h"
#include "core/local_time.h"
#include "core/mastery.h"

namespace cardpoll {

namespace {

std::string pct(int right, int of) {
  if (of == 0) return "\xE2\x80\x94";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d of %d (%.0f%%)", right, of, 100.0 * right / of);
  return buf;
}

std::string one_line(const std::string& t, size_t max) {
  std::string out;
  for (char c : t) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut) + "...";
}

std::vector<const SessionData*> oldest_first(std::span<const SessionData> sessions) {
  std::vector<const SessionData*> v;
  for (const auto& s : sessions) v.push_back(&s);
  std::stable_sort(v.begin(), v.end(), [](const SessionData* a, const SessionData* b) {
    return a->session.started_at < b->session.started_at;
  });
  return v;
}

// The skills (or, untagged, "Q<n>" of its set) a question counts for.
std::vector<std::string> foci_of(const SessionData& s, const Question& q) {
  if (!q.skills.empty()) return q.skills;
  return {s.set.name + " Q" + std::to_string(q.position)};
}

std::string period_text(std::span<const SessionData> sessions, const TimeRange& range) {
  const auto v = oldest_first(sessions);
  std::string from = range.from ? local_date_label(*range.from) : v.empty() ? "" : local_date_label(v.front()->session.started_at);
  std::string to = range.to ? local_date_label(*range.to - 1) : v.empty() ? "" : local_date_label(v.back()->session.started_at);
  return std::to_string(sessions.size()) + (sessions.size() == 1 ? " session" : " sessions") +
         (from.empty() ? "" : ", " + from + (to != from ? " to " + to : "")) + " (times in local time, " +
         (v.empty() ? std::string("") : local_zone_label(v.front()->session.started_at)) + ")";
}

}  // namespace

Report student_report(std::span<const SessionData> sessions, Id student_id, const TimeRange& range) {
  const Student* who = nullptr;
  for (const auto& s : sessions)
    for (const auto& st : s.students)
      if (st.id == student_id) who = &st;
  if (!who) throw std::runtime_error("the student is in none of these sessions");
  Report r;
  r.title = who->display_name + (sessions.empty() ? "" : ", " + sessions[0].klass.name);
  r.subtitle = period_text(sessions, range);

  ReportSection answers;
  answers.heading = "Every answer";
  ReportTable t;
  t.header = {"When", "Question set", "Ask", "Question", "Answer", "Right answer", "Result"};
  int asked = 0, answered = 0, scored = 0, right = 0;
  // skill -> session -> (right, answered)
  std::map<std::string, std::map<Id, std::pair<int, int>>> by_skill;
  std::vector<const SessionData*> in_range;
  for (const SessionData* s : oldest_first(sessions)) {
    bool on_roster = false;
    for (const auto& st : s->students) on_roster = on_roster || st.id == student_id;
    if (!on_roster) continue;
    std::vector<const Ask*> asks;
    for (const auto& a : s->asks)
      if (range.contains(a.opened_at)) asks.push_back(&a);
    if (asks.empty()) continue;
    in_range.push_back(s);
    std::stable_sort(asks.begin(), asks.end(), [](const Ask* x, const Ask* y) { return x->number < y->number; });
    for (const Ask* a : asks) {
      const Question* q = question_of(*s, *a);
      if (!q) continue;
      ++asked;
      const Response* resp = response_of(*s, a->id, student_id);
      std::string ans = "no answer", result = "\xE2\x80\x94";
      if (resp) {
        ++answered;
        const auto k = static_cast<size_t>(resp->answer);
        ans = std::string(1, answer_letter(resp->answer)) +
              (k < q->choices.size() && !q->choices[k].empty() ? ". " + one_line(q->choices[k], 30) : "");
      }
      if (q->correct) {
        ++scored;
        const bool ok = resp && resp->answer == *q->correct;
        right += ok;
        if (resp) result = ok ? "right" : "wrong";
        if (resp)
          for (const auto& f : foci_of(*s, *q)) {
            auto& cell = by_skill[f][s->session.id];
            cell.first += ok;
            ++cell.second;
          }
      } else {
        result = "survey";
      }
      t.rows.push_back({local_time_label(a->opened_at), s->set.name, std::to_string(a->number),
                        "Q" + std::to_string(q->position) + " " + one_line(q->text, 60), ans,
                        q->correct ? std::string(1, answer_letter(*q->correct)) : "none", result});
    }
  }
  answers.paragraphs.push_back(std::to_string(answered) + " of " + std::to_string(asked) + " questions answered; " +
                               pct(right, scored) + " of the questions with a right answer answered right "
                               "(a question not answered is counted as not right, never as wrong).");
  if (t.rows.empty()) answers.paragraphs.push_back("No question was asked in this period.");
  else answers.tables.push_back(std::move(t));

  ReportSection skills;
  skills.heading = "Each skill over time";
  skills.paragraphs.push_back("Right answers per session, oldest first, and where the student stands now "
                              "(core mastery rule: the newest answers count most; docs/data.md).");
  if (!by_skill.empty()) {
    ReportTable k;
    k.header = {"Skill"};
    for (const SessionData* s : in_range) k.header.push_back(local_date_label(s->session.started_at) + " #" + std::to_string(s->session.id));
    k.header.push_back("Now");
    std::vector<SessionData> copies;
    for (const SessionData* s : in_range) {
      SessionData c = *s;
      std::erase_if(c.asks, [&](const Ask& a) { return !range.contains(a.opened_at); });
      for (auto& q : c.set.questions) q.skills = foci_of(*s, q);
      copies.push_back(std::move(c));
    }
    const MasteryTable m = compute_mastery(copies);
    for (auto& [skill, cells] : by_skill) {
      std::vector<std::string> row = {skill};
      for (const SessionData* s : in_range) {
        auto it = cells.find(s->session.id);
        row.push_back(it == cells.end() ? "" : std::to_string(it->second.first) + "/" + std::to_string(it->second.second));
      }
      const SkillMastery* c = m.find(student_id, skill);
      row.push_back(c ? std::string(mastery_level_label(c->level)) : "");
      k.rows.push_back(std::move(row));
    }
    skills.tables.push_back(std::move(k));
  }
  r.sections = {std::move(answers), std::move(skills)};
  return r;
}

Report class_report(std::span<const SessionData> sessions, const TimeRange& range) {
  Report r;
  r.title = sessions.empty() ? "Class report" : sessions[0].klass.name;
  r.subtitle = period_text(sessions, range);
  const auto v = oldest_first(sessions);

  ReportSection ses;
  ses.heading = "Sessions";
  ReportTable st;
  st.header = {"Started", "Session", "Question set", "Asks", "Answers", "Right (of scored answers)"};
  for (const SessionData* s : v) {
    int asks = 0, answers = 0, scored = 0, right = 0;
    for (const AskTally& t : tally_asks(*s)) {
      const Ask* a = nullptr;
      for (const auto& x : s->asks)
        if (x.id == t.ask_id) a = &x;
      if (!a || !range.contains(a->opened_at)) continue;
      ++asks;
      answers += static_cast<int>(t.answered.size());
      if (t.correct) scored += static_cast<int>(t.answered.size()), right += t.right.value_or(0);
    }
    if (asks == 0) continue;
    st.rows.push_back({local_time_label(s->session.started_at), std::to_string(s->session.id), s->set.name,
                       std::to_string(asks), std::to_string(answers), pct(right, scored)});
  }
  ses.tables.push_back(std::move(st));

  ReportSection students;
  students.heading = "Students";
  students.paragraphs.push_back("Right answers of the questions with a right answer, per session and over the "
                                "period; an unanswered question counts as not right.");
  ReportTable sc;
  sc.header = {"Card", "Student"};
  for (const SessionData* s : v) sc.header.push_back(local_date_label(s->session.started_at) + " #" + std::to_string(s->session.id));
  sc.header.push_back("Period");
  std::vector<SessionData> ordered;
  for (const SessionData* s : v) ordered.push_back(*s);
  const auto total = student_scores(ordered, range);
  for (const auto& t : total) {
    std::vector<std::string> row = {t.student && t.student->card ? std::to_string(t.student->card) : "",
                                    t.student ? t.student->display_name : ""};
    for (const auto& s : ordered) {
      const auto one = student_scores(std::span<const SessionData>(&s, 1), range);
      std::string cell;
      for (const auto& x : one)
        if (x.student_id == t.student_id && x.scored) cell = std::to_string(x.right) + "/" + std::to_string(x.scored);
      row.push_back(cell);
    }
    row.push_back(pct(t.right, t.scored));
    sc.rows.push_back(std::move(row));
  }
  students.tables.push_back(std::move(sc));

  ReportSection skills;
  skills.heading = "Each skill over time";
  skills.paragraphs.push_back("Share right of the class's answers per session (untagged questions count as "
                              "their own \"set Qn\").");
  std::map<std::string, std::map<Id, std::pair<int, int>>> by_skill;
  for (const SessionData* s : v)
    for (const auto& a : s->asks) {
      if (!range.contains(a.opened_at)) continue;
      const Question* q = question_of(*s, a);
      if (!q || !q->correct) continue;
      for (const auto& resp : s->responses)
        if (resp.ask_id == a.id)
          for (const auto& f : foci_of(*s, *q)) {
            auto& cell = by_skill[f][s->session.id];
            cell.first += resp.answer == *q->correct;
            ++cell.second;
          }
    }
  ReportTable k;
  k.header = {"Skill"};
  for (const SessionData* s : v) k.header.push_back(local_date_label(s->session.started_at) + " #" + std::to_string(s->session.id));
  for (auto& [skill, cells] : by_skill) {
    std::vector<std::string> row = {skill};
    for (const SessionData* s : v) {
      auto it = cells.find(s->session.id);
      row.push_back(it == cells.end() ? "" : pct(it->second.first, it->second.second));
    }
    k.rows.push_back(std::move(row));
  }
  if (!k.rows.empty()) skills.tables.push_back(std::move(k));
  r.sections = {std::move(ses), std::move(students), std::move(skills)};
  return r;
}

std::string report_html(const Report& r) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(r.title) +
                  "</title>\n<style>\nbody{font-family:sans-serif;margin:2em;color:#1f2328;max-width:70em}\n"
                  "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #d0d7de;padding:.25em .6em;"
                  "text-align:left}th{background:#f6f8fa}.muted{color:#57606a}\n@media print{body{margin:0}}\n"
                  "</style>\n</head>\n<body>\n<h1>" +
                  html_escape(r.title) + "</h1>\n<p class=\"muted\">" + html_escape(r.subtitle) + "</p>\n";
  for (const auto& s : r.sections) {
    h += "<h2>" + html_escape(s.heading) + "</h2>\n";
    for (const auto& p : s.paragraphs) h += "<p>" + html_escape(p) + "</p>\n";
    for (const auto& t : s.tables) {
      h += "<table>\n<tr>";
      for (const auto& c : t.header) h += "<th>" + html_escape(c) + "</th>";
      h += "</tr>\n";
      for (const auto& row : t.rows) {
        h += "<tr>";
        for (const auto& c : row) h += "<td>" + html_escape(c) + "</td>";
        h += "</tr>\n";
      }
      h += "</table>\n";
    }
  }
  return h + "<p class=\"muted\">Made by cardpoll. This page needs no network.</p>\n</body>\n</html>\n";
}

}  // namespace cardpoll
