#include "core/exchange/export.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <stdexcept>

#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/exchange/item_analysis.h"
#include "core/local_time.h"
#include "core/json.h"
#include "core/mastery.h"
#include "core/tally.h"

namespace cardpoll {

const char* const kResponsesHeader =
    "session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at";

std::optional<ExportFormat> export_format_from_name(std::string_view name) {
  if (name == "responses") return ExportFormat::Responses;
  if (name == "scoresheet") return ExportFormat::Scoresheet;
  if (name == "json") return ExportFormat::Json;
  if (name == "html") return ExportFormat::Html;
  return std::nullopt;
}

std::string_view export_format_name(ExportFormat f) {
  switch (f) {
    case ExportFormat::Responses: return "responses";
    case ExportFormat::Scoresheet: return "scoresheet";
    case ExportFormat::Json: return "json";
    case ExportFormat::Html: return "html";
  }
  return "?";
}

std::string export_format_names() { return "responses|scoresheet|json|html"; }

std::string iso8601_utc(TimeMs t) {
  // Floor division so times before 1970 still print correctly.
  TimeMs secs = t / 1000, ms = t % 1000;
  if (ms < 0) ms += 1000, secs -= 1;
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (!gmtime_r(&tt, &tm)) throw std::runtime_error("time out of range: " + std::to_string(t));
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t k = 0; k < v.size(); ++k) {
    if (k) out += sep;
    out += v[k];
  }
  return out;
}

// One decimal, the same on every machine (the C locale is never changed by cardpoll).
std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::vector<const Ask*> asks_by_number(const SessionData& s) {
  std::vector<const Ask*> asks;
  for (const auto& a : s.asks) asks.push_back(&a);
  std::stable_sort(asks.begin(), asks.end(), [](const Ask* x, const Ask* y) { return x->number < y->number; });
  return asks;
}

std::string letter(Answer a) { return std::string(1, answer_letter(a)); }

// A student without a card (card 0: left the class, or not given one yet) shows an empty cell.
std::string card_text(int card) { return card > 0 ? std::to_string(card) : std::string(); }

// At most `max` characters of UTF-8 text (never cutting a character), "…" when cut.
std::string shorten(std::string_view s, size_t max) {
  size_t chars = 0, i = 0;
  while (i < s.size()) {
    if (chars == max) return std::string(s.substr(0, i)) + "\xE2\x80\xA6";
    const unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return std::string(s);
}

// One line of text for one-line places (chart labels): line breaks become spaces.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

}  // namespace

// ------------------------------------------------------------------ responses

std::string export_responses_csv(const SessionData& s) {
  std::string out = std::string(kResponsesHeader) + "\r\n";
  std::map<std::pair<Id, Id>, const Response*> resp;
  for (const auto& r : s.responses) resp[{r.ask_id, r.student_id}] = &r;
  for (const Ask* a : asks_by_number(s)) {
    const Question* q = question_of(s, *a);
    for (const auto& st : s.students) {
      const auto it = resp.find({a->id, st.id});
      const Response* r = it == resp.end() ? nullptr : it->second;
      std::string correct;
      if (r && q && q->correct) correct = r->answer == *q->correct ? "1" : "0";
      out += csv_row({std::to_string(s.session.id), std::to_string(a->number), std::to_string(a->question_id),
                      q ? q->text : std::string(), q ? join(q->skills, ";") : std::string(),
                      card_text(st.card), st.display_name, r ? letter(r->answer) : std::string(), correct,
                      r ? iso8601_utc(r->last_changed) : std::string()});
    }
  }
  return out;
}

// ------------------------------------------------------------------ scoresheet

std::string export_scoresheet_csv(const SessionData& s) {
  const auto asks = asks_by_number(s);
  std::vector<std::string> header = {"card", "student"};
  for (const Ask* a : asks) {
    const Question* q = question_of(s, *a);
    std::string h = "ask " + std::to_string(a->number) + " (Q" + std::to_string(q ? q->position : 0);
    h += (q && q->correct) ? " key " + letter(*q->correct) + ")" : " survey)";
    header.push_back(h);
  }
  for (const char* h : {"right", "out_of", "percent", "answered"}) header.push_back(h);
  std::string out = csv_row(header);

  std::map<std::pair<Id, Id>, Answer> ans;
  for (const auto& r : s.responses) ans[{r.ask_id, r.student_id}] = r.answer;
  const auto scores = student_scores(s);
  for (size_t k = 0; k < s.students.size(); ++k) {
    const Student& st = s.students[k];
    std::vector<std::string> row = {card_text(st.card), st.display_name};
    for (const Ask* a : asks) {
      const Question* q = question_of(s, *a);
      const auto it = ans.find({a->id, st.id});
      if (it == ans.end()) {
        row.emplace_back();
      } else if (q && q->correct) {
        // Right/wrong in words: a CSV has no colour, and COUNTIF(...,"*right") still works.
        row.push_back(letter(it->second) + (it->second == *q->correct ? " right" : " wrong"));
      } else {
        row.push_back(letter(it->second));
      }
    }
    const StudentScore& sc = scores[k];
    row.push_back(std::to_string(sc.right));
    row.push_back(std::to_string(sc.scored));
    row.push_back(sc.percent ? fixed1(*sc.percent) : std::string());
    row.push_back(std::to_string(sc.answered));
    out += csv_row(row);
  }
  return out;
}

// ------------------------------------------------------------------ json

std::string export_json(const SessionData& s) {
  JsonWriter w;
  std::map<Id, const Student*> student_by_id;
  for (const auto& st : s.students) student_by_id[st.id] = &st;
  auto opt_time = [&](const std::optional<TimeMs>& t) {
    if (t) w.value(iso8601_utc(*t));
    else w.null();
  };

  w.begin_object();
  w.key("format").value("cardpoll-session");
  w.key("version").value(1);
  w.key("session").begin_object();
  w.key("id").value(s.session.id);
  w.key("started_at").value(iso8601_utc(s.session.started_at));
  w.key("ended_at");
  opt_time(s.session.ended_at);
  w.end_object();

  w.key("class").begin_object();
  w.key("id").value(s.klass.id);
  w.key("name").value(s.klass.name);
  w.key("deck").value(s.klass.deck);
  w.end_object();

  w.key("students").begin_array();
  for (const auto& st : s.students) {
    w.begin_object();
    w.key("id").value(st.id);
    w.key("card");
    if (st.card > 0) w.value(st.card);
    else w.null();
    w.key("display_name").value(st.display_name);
    w.key("first_name").value(st.first_name);
    w.key("last_name").value(st.last_name);
    w.key("tags").begin_array();
    for (const auto& t : st.tags) w.value(t);
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("question_set").begin_object();
  w.key("id").value(s.set.id);
  w.key("name").value(s.set.name);
  w.key("questions").begin_array();
  for (const auto& q : s.set.questions) {
    w.begin_object();
    w.key("id").value(q.id);
    w.key("position").value(q.position);
    w.key("text").value(q.text);
    w.key("choices").begin_array();
    for (const auto& c : q.choices) w.value(c);
    w.end_array();
    w.key("true_false").value(q.true_false);
    w.key("correct");
    if (q.correct) w.value(letter(*q.correct));
    else w.null();
    w.key("skills").begin_array();
    for (const auto& sk : q.skills) w.value(sk);
    w.end_array();
    w.key("image_path").value(q.image_path);
    w.end_object();
  }
  w.end_array();
  w.end_object();

  auto ids = [&](const std::vector<Id>& v) {
    w.begin_array();
    for (Id id : v) w.value(id);
    w.end_array();
  };
  w.key("asks").begin_array();
  const auto tallies = tally_asks(s);
  for (const auto& t : tallies) {
    const Ask* a = nullptr;
    for (const auto& x : s.asks)
      if (x.id == t.ask_id) a = &x;
    w.begin_object();
    w.key("id").value(t.ask_id);
    w.key("number").value(t.ask_number);
    w.key("question_id").value(t.question_id);
    w.key("opened_at").value(iso8601_utc(a->opened_at));
    w.key("closed_at");
    opt_time(a->closed_at);
    w.key("tally").begin_object();
    w.key("counts").begin_object();
    for (int k = 0; k < t.choices; ++k) w.key(letter(static_cast<Answer>(k))).value(t.counts[static_cast<size_t>(k)]);
    w.end_object();
    w.key("percent").begin_object();
    for (int k = 0; k < t.choices; ++k)
      w.key(letter(static_cast<Answer>(k))).value(t.percent[static_cast<size_t>(k)]);
    w.end_object();
    w.key("answered");
    ids(t.answered);
    w.key("not_answered");
    ids(t.not_answered);
    w.key("percent_answered").value(t.percent_answered);
    w.key("right").value(t.right);
    w.key("percent_right").value(t.percent_right);
    w.end_object();
    w.end_object();
  }
  w.end_array();

  std::map<Id, const Ask*> ask_by_id;
  for (const auto& a : s.asks) ask_by_id[a.id] = &a;
  w.key("responses").begin_array();
  for (const auto& r : s.responses) {
    const auto ai = ask_by_id.find(r.ask_id);
    const Question* q = ai == ask_by_id.end() ? nullptr : question_of(s, *ai->second);
    const auto si = student_by_id.find(r.student_id);
    w.begin_object();
    w.key("ask_id").value(r.ask_id);
    w.key("ask_number");
    if (ai != ask_by_id.end()) w.value(ai->second->number);
    else w.null();
    w.key("student_id").value(r.student_id);
    w.key("card");
    if (si != student_by_id.end() && si->second->card > 0) w.value(si->second->card);
    else w.null();
    w.key("answer").value(letter(r.answer));
    w.key("correct");
    if (q && q->correct) w.value(r.answer == *q->correct);
    else w.null();
    w.key("first_seen").value(iso8601_utc(r.first_seen));
    w.key("last_changed").value(iso8601_utc(r.last_changed));
    w.end_object();
  }
  w.end_array();

  w.key("changes").begin_array();
  for (const auto& c : s.changes) {
    w.begin_object();
    w.key("ask_id").value(c.ask_id);
    w.key("student_id").value(c.student_id);
    w.key("answer").value(letter(c.answer));
    w.key("at").value(iso8601_utc(c.at));
    w.end_object();
  }
  w.end_array();

  w.key("unassigned_cards").begin_array();
  for (int c : s.unassigned_cards) w.value(c);
  w.end_array();

  w.key("scores").begin_array();
  for (const auto& sc : student_scores(s)) {
    w.begin_object();
    w.key("student_id").value(sc.student_id);
    w.key("asks").value(sc.asks);
    w.key("answered").value(sc.answered);
    w.key("scored").value(sc.scored);
    w.key("right").value(sc.right);
    w.key("percent").value(sc.percent);
    w.end_object();
  }
  w.end_array();

  const MasteryRule rule;
  const MasteryTable m = compute_mastery(s, rule);
  w.key("mastery").begin_object();
  w.key("rule").begin_object();
  w.key("prior").begin_array().value(rule.prior_right).value(rule.prior_wrong).end_array();
  w.key("decay").value(rule.decay);
  w.key("credible").value(rule.credible);
  w.key("mastered_estimate").value(rule.mastered_estimate);
  w.key("mastered_lower").value(rule.mastered_lower);
  w.key("not_yet_estimate").value(rule.not_yet_estimate);
  w.end_object();
  w.key("skills").begin_array();
  for (const auto& sk : m.skills) w.value(sk);
  w.end_array();
  w.key("students").begin_array();
  for (Id st : m.students) {
    w.begin_object();
    w.key("student_id").value(st);
    w.key("skills").begin_object();
    for (const auto& cell : m.row(st)) {
      w.key(cell.skill).begin_object();
      w.key("level").value(mastery_level_name(cell.level));
      w.key("estimate").value(cell.estimate);
      w.key("lower").value(cell.lower);
      w.key("upper").value(cell.upper);
      w.key("evidence").value(cell.evidence);
      w.key("right").value(cell.right);
      w.key("missed_asks").begin_array();
      for (const auto& e : cell.missed) w.value(e.ask_number);
      w.end_array();
      w.end_object();
    }
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object();

  w.end_object();
  // Item analysis (core/exchange/item_analysis.h) is written with nlohmann-json and joined in.
  return with_json_member(with_json_member(w.str(), "item_analysis", item_analysis_json(analyse_items(s))),
                          "corrections", corrections_json(s.corrections));
}

// ------------------------------------------------------------------ html

namespace {

const char* level_fill(MasteryLevel l) {
  switch (l) {
    case MasteryLevel::Mastered: return "#1a7f37";
    case MasteryLevel::Approaching: return "#d4a72c";
    case MasteryLevel::NotYet: return "#cf222e";
    case MasteryLevel::Unknown: return "#eaeef2";
  }
  return "#eaeef2";
}
// A letter in every cell so the heat map reads without colour (and in grey print).
const char* level_mark(MasteryLevel l) {
  switch (l) {
    case MasteryLevel::Mastered: return "M";
    case MasteryLevel::Approaching: return "A";
    case MasteryLevel::NotYet: return "N";
    case MasteryLevel::Unknown: return "?";
  }
  return "?";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string svg_open(int width, int height, const std::string& label) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" + html_escape(label) +
         "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\">\n";
}

std::string bar_chart(const AskTally& t) {
  const int rows = t.choices;
  const int row_h = 34, label_w = 330, bar_w = 360, right_w = 200;
  const int width = label_w + bar_w + right_w, height = rows * row_h + 10;
  std::string svg = svg_open(width, height, "Answers to ask " + std::to_string(t.ask_number));
  for (int k = 0; k < rows; ++k) {
    const auto a = static_cast<Answer>(k);
    const size_t ki = static_cast<size_t>(k);
    const bool right = t.correct && *t.correct == a;
    const std::string choice = t.question && ki < t.question->choices.size() ? t.question->choices[ki] : "";
    const int y = 5 + k * row_h;
    const int w = static_cast<int>(bar_w * t.percent[ki] / 100.0 + 0.5);
    svg += "<g><title>" + html_escape(letter(a) + ". " + choice) + "</title>";
    svg += "<text x=\"4\" y=\"" + std::to_string(y + 21) + "\" class=\"lbl" + (right ? " right" : "") + "\">" +
           html_escape(letter(a) + ". " + shorten(one_line(choice), 38)) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
           std::to_string(bar_w) + "\" height=\"" + std::to_string(row_h - 10) + "\" class=\"track\"/>";
    if (w > 0)
      svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
             std::to_string(w) + "\" height=\"" + std::to_string(row_h - 10) + "\" class=\"bar" +
             (right ? " right" : "") + "\"/>";
    // The right answer is marked in words and a check mark, not only by colour.
    svg += "<text x=\"" + std::to_string(label_w + bar_w + 8) + "\" y=\"" + std::to_string(y + 21) +
           "\" class=\"cnt\">" + std::to_string(t.counts[ki]) + " (" + num(t.percent[ki]) + "%)" +
           (right ? " \xE2\x9C\x93 right answer" : "") + "</text></g>\n";
  }
  svg += "</svg>";
  return svg;
}

std::string heat_map(const MasteryTable& m) {
  if (m.skills.empty()) return "<p>No skill-tagged questions with a right answer were asked.</p>\n";
  const int cell = 44, name_w = 200, head_h = 150;
  // Room on the right for the last skill name, which is written slanting up to the right.
  const int width = name_w + cell * static_cast<int>(m.skills.size()) + 110;
  const int height = head_h + cell * static_cast<int>(m.students.size()) + 10;
  std::string svg = svg_open(width, height, "Mastery of each student in each skill");
  for (size_t k = 0; k < m.skills.size(); ++k) {
    const int x = name_w + static_cast<int>(k) * cell + cell / 2;
    svg += "<text class=\"skill\" transform=\"translate(" + std::to_string(x) + "," + std::to_string(head_h - 6) +
           ") rotate(-55)\">" + html_escape(shorten(m.skills[k], 24)) + "</text>\n";
  }
  for (size_t r = 0; r < m.students.size(); ++r) {
    const Student* st = m.student_info[r];
    const std::string name = st ? st->display_name : "student " + std::to_string(m.students[r]);
    const int y = head_h + static_cast<int>(r) * cell;
    svg += "<text class=\"name\" x=\"" + std::to_string(name_w - 8) + "\" y=\"" + std::to_string(y + cell / 2 + 5) +
           "\">" + html_escape(shorten(one_line(name), 26)) + "</text>\n";
    const auto row = m.row(m.students[r]);
    for (size_t k = 0; k < row.size(); ++k) {
      const SkillMastery& c = row[k];
      const int x = name_w + static_cast<int>(k) * cell;
      std::string tip = name + " \xE2\x80\x94 " + c.skill + ": " + std::string(mastery_level_label(c.level));
      if (c.evidence)
        tip += " (" + std::to_string(c.right) + " of " + std::to_string(c.evidence) + " right, estimate " +
               num(100 * c.estimate) + "%)";
      svg += "<g><title>" + html_escape(tip) + "</title><rect x=\"" + std::to_string(x + 2) + "\" y=\"" +
             std::to_string(y + 2) + "\" width=\"" + std::to_string(cell - 4) + "\" height=\"" +
             std::to_string(cell - 4) + "\" fill=\"" + level_fill(c.level) + "\"/><text class=\"mark\" x=\"" +
             std::to_string(x + cell / 2) + "\" y=\"" + std::to_string(y + cell / 2 + 6) + "\">" +
             level_mark(c.level) + "</text></g>\n";
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace

std::string export_html(const SessionData& s) {
  const auto tallies = tally_asks(s);
  const MasteryTable m = compute_mastery(s);
  const auto scores = student_scores(s);
  std::map<Id, const Student*> by_id;
  for (const auto& st : s.students) by_id[st.id] = &st;
  auto names = [&](const std::vector<Id>& v) {
    std::string out;
    for (Id id : v) {
      if (!out.empty()) out += ", ";
      const auto it = by_id.find(id);
      out += html_escape(it == by_id.end() ? "student " + std::to_string(id) : it->second->display_name);
    }
    return out;
  };

  const std::string title = s.klass.name + " \xE2\x80\x94 " + s.set.name + " \xE2\x80\x94 " +
                            local_date_label(s.session.started_at);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + html_escape(title) + "</title>\n";
  h += "<style>\n"
       "body{font-family:sans-serif;margin:2em;color:#1f2328;max-width:70em}\n"
       "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}\n"
       "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25em .6em;text-align:left}\n"
       "th{background:#f6f8fa}.num{text-align:right}\n"
       "svg text{font-family:sans-serif;font-size:14px;fill:#1f2328}\n"
       "svg .lbl.right{font-weight:bold}\n"
       "svg .track{fill:#f6f8fa;stroke:#d0d7de}\n"
       "svg .bar{fill:#8c959f}svg .bar.right{fill:#1a7f37;stroke:#0b3d1a;stroke-width:3}\n"
       "svg .skill{font-size:12px}svg .name{text-anchor:end}\n"
       "svg .mark{text-anchor:middle;font-weight:bold;fill:#000}\n"
       ".legend span{display:inline-block;padding:.1em .5em;margin-right:.5em;border:1px solid #999}\n"
       ".muted{color:#57606a}.q{white-space:pre-line}\n"
       "</style>\n</head>\n<body>\n";
  h += "<h1>" + html_escape(s.klass.name) + "</h1>\n";
  h += "<p>Question set <strong>" + html_escape(s.set.name) + "</strong>, session " + std::to_string(s.session.id) +
       ", started " + html_escape(local_time_label(s.session.started_at)) +
       (s.session.ended_at ? ", ended " + html_escape(local_time_label(*s.session.ended_at)) : std::string()) + ". " +
       std::to_string(s.students.size()) + " students, " + std::to_string(s.asks.size()) + " asks.</p>\n";
  if (!s.unassigned_cards.empty()) {
    std::string cards;
    for (int c : s.unassigned_cards) cards += (cards.empty() ? "" : ", ") + std::to_string(c);
    h += "<p class=\"muted\">Cards read that no student in this class holds: " + cards + ".</p>\n";
  }

  h += "<h2>Asks</h2>\n";
  for (const auto& t : tallies) {
    const Question* q = t.question;
    h += "<section>\n<h3>Ask " + std::to_string(t.ask_number) + (q ? " \xC2\xB7 Q" + std::to_string(q->position) : "") +
         "</h3>\n";
    h += "<p class=\"q\">" + html_escape(q ? q->text : "(question not found)") + "</p>\n";
    if (q && !q->skills.empty()) h += "<p class=\"muted\">Skills: " + html_escape(join(q->skills, ", ")) + "</p>\n";
    h += bar_chart(t) + "\n";
    h += "<p>" + std::to_string(t.answered.size()) + " of " + std::to_string(t.class_size) + " answered";
    if (t.percent_right) h += "; " + num(*t.percent_right) + "% right";
    else if (!t.correct) h += "; survey (no right answer)";
    h += ".</p>\n";
    if (!t.not_answered.empty()) h += "<p class=\"muted\">Not answered: " + names(t.not_answered) + "</p>\n";
    h += "</section>\n";
  }

  h += item_analysis_html(analyse_items(s));
  h += "<h2>Mastery by skill</h2>\n";
  h += "<p class=\"legend\"><span style=\"background:#1a7f37;color:#fff\">M mastered</span>"
       "<span style=\"background:#d4a72c\">A approaching</span>"
       "<span style=\"background:#cf222e;color:#fff\">N not yet</span>"
       "<span style=\"background:#eaeef2\">? no evidence</span></p>\n";
  h += "<p class=\"muted\">Each answered question tagged with a skill counts, the newest the most "
       "(Beta posterior, see docs/data-formats.md). Mastered: estimate at least 75% and 80% sure it is "
       "above 50%. Not yet: estimate below 50%. No answer is not counted as wrong.</p>\n";
  h += heat_map(m) + "\n";

  h += "<h2>Scores</h2>\n<table>\n<tr><th>Card</th><th>Student</th><th class=\"num\">Right</th>"
       "<th class=\"num\">Out of</th><th class=\"num\">Percent</th><th class=\"num\">Answered</th></tr>\n";
  for (const auto& sc : scores) {
    h += "<tr><td class=\"num\">" + card_text(sc.student ? sc.student->card : 0) + "</td><td>" +
         html_escape(sc.student ? sc.student->display_name : "") + "</td><td class=\"num\">" +
         std::to_string(sc.right) + "</td><td class=\"num\">" + std::to_string(sc.scored) + "</td><td class=\"num\">" +
         (sc.percent ? num(*sc.percent) + "%" : "\xE2\x80\x94") + "</td><td class=\"num\">" +
         std::to_string(sc.answered) + " of " + std::to_string(sc.asks) + "</td></tr>\n";
  }
  h += "</table>\n" + corrections_html(s.corrections);
  h += "<p class=\"muted\">Made by cardpoll. Times are local (" + html_escape(local_zone_label(s.session.started_at)) +
       "). This page needs no network.</p>\n</body>\n</html>\n";
  return h;
}

std::string export_session(const SessionData& s, ExportFormat format) {
  switch (format) {
    case ExportFormat::Responses: return export_responses_csv(s);
    case ExportFormat::Scoresheet: return export_scoresheet_csv(s);
    case ExportFormat::Json: return export_json(s);
    case ExportFormat::Html: return export_html(s);
  }
  throw std::logic_error("export_session: unknown format");
}

}  // namespace cardpoll
