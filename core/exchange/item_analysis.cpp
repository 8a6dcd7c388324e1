#include "core/exchange/item_analysis.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/exchange/export.h"
#include "core/tally.h"

namespace cardpoll {

std::optional<double> pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return std::nullopt;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 1e-12 || syy <= 1e-12) return std::nullopt;
  return sxy / std::sqrt(sxx * syy);
}

namespace {

std::string letter(int k) { return std::string(1, answer_letter(static_cast<Answer>(k))); }

// The text on one line, cut at `max` bytes (not inside a UTF-8 character).
std::string one_line_text(const std::string& t, size_t max) {
  std::string out;
  for (char c : t) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() <= max) return out;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut) + "...";
}

std::string two_decimals(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The flags of one scored item (see the header for the sentences).
void add_flags(ItemAnalysis& it) {
  if (!it.scored) return;
  const ChoiceAnalysis* key = nullptr;
  for (const auto& c : it.choices)
    if (c.keyed) key = &c;
  for (const auto& c : it.choices)
    if (c.chosen == 0 && it.answered >= 5 && !c.keyed)
      it.flags.push_back("no one chose " + letter(static_cast<int>(c.choice)) +
                         ": it distracts no one; replace it or drop it");
  for (const auto& c : it.choices) {
    if (c.keyed || !c.high) continue;
    if (key && key->high && *c.high > *key->high)
      it.flags.push_back("high scorers chose " + letter(static_cast<int>(c.choice)) +
                         " more often than the keyed answer " + letter(static_cast<int>(key->choice)) +
                         ": check the key");
    else if (c.low && *c.high > *c.low && c.chosen > 0)
      it.flags.push_back("high scorers chose " + letter(static_cast<int>(c.choice)) +
                         " more often than low scorers: is it ambiguous?");
  }
  if (it.discrimination && *it.discrimination < 0)
    it.flags.push_back("answered right more by low than by high scorers (discrimination " +
                       two_decimals(*it.discrimination) + ")");
}

}  // namespace

SessionItemAnalysis analyse_items(const SessionData& s) {
  SessionItemAnalysis out;
  std::vector<const Ask*> asks;
  for (const auto& a : s.asks) asks.push_back(&a);
  std::stable_sort(asks.begin(), asks.end(), [](const Ask* x, const Ask* y) { return x->number < y->number; });

  std::map<std::pair<Id, Id>, Answer> answer_of;  // (ask, student)
  for (const auto& r : s.responses) answer_of[{r.ask_id, r.student_id}] = r.answer;
  auto right_on = [&](const Ask* a, Id st) -> std::optional<bool> {
    const auto it = answer_of.find({a->id, st});
    if (it == answer_of.end()) return std::nullopt;
    const Question* q = question_of(s, *a);
    return q && q->correct && it->second == *q->correct;
  };

  // Totals of every student with at least one scored answer.
  std::map<Id, int> total;
  std::vector<const Student*> scored_students;
  for (const auto& st : s.students) {
    bool any = false;
    int sum = 0;
    for (const Ask* a : asks) {
      const Question* q = question_of(s, *a);
      if (!q || !q->correct) continue;
      if (auto r = right_on(a, st.id)) {
        any = true;
        sum += *r ? 1 : 0;
      }
    }
    if (!any) continue;
    total[st.id] = sum;
    scored_students.push_back(&st);
  }
  const int n = static_cast<int>(scored_students.size());
  out.students = n;
  std::vector<const Student*> ranked = scored_students;
  std::stable_sort(ranked.begin(), ranked.end(), [&](const Student* x, const Student* y) {
    if (total[x->id] != total[y->id]) return total[x->id] < total[y->id];
    const int cx = x->card ? x->card : 1 << 30, cy = y->card ? y->card : 1 << 30;
    if (cx != cy) return cx < cy;
    return x->id < y->id;
  });
  if (n >= 20) {
    out.split = "top and bottom 27%";
    out.group_size = std::max(1, static_cast<int>(std::lround(0.27 * n)));
  } else {
    out.split = "top and bottom halves";
    out.group_size = n / 2;
  }
  std::set<Id> low, high;
  for (int i = 0; i < out.group_size; ++i) {
    low.insert(ranked[static_cast<size_t>(i)]->id);
    high.insert(ranked[static_cast<size_t>(n - 1 - i)]->id);
  }

  for (const Ask* a : asks) {
    const Question* q = question_of(s, *a);
    ItemAnalysis it;
    it.ask_id = a->id;
    it.ask_number = a->number;
    it.question_position = q ? q->position : 0;
    it.question_text = q ? q->text : "";
    it.scored = q && q->correct;
    const int nchoices = q ? static_cast<int>(q->choices.size()) : 4;
    std::array<int, 4> all{}, low_n{}, high_n{};
    int low_answered = 0, high_answered = 0, low_right = 0, high_right = 0;
    std::vector<double> x, y;
    for (const auto& st : s.students) {
      const auto f = answer_of.find({a->id, st.id});
      if (f == answer_of.end()) continue;
      const int k = static_cast<int>(f->second);
      ++it.answered;
      ++all[static_cast<size_t>(k)];
      const bool right = it.scored && f->second == *q->correct;
      it.right += right ? 1 : 0;
      if (low.count(st.id)) ++low_answered, ++low_n[static_cast<size_t>(k)], low_right += right;
      if (high.count(st.id)) ++high_answered, ++high_n[static_cast<size_t>(k)], high_right += right;
      if (it.scored) {
        x.push_back(right ? 1 : 0);
        y.push_back(total[st.id] - (right ? 1 : 0));
      }
    }
    if (it.answered > 0 && it.scored) it.share_right = static_cast<double>(it.right) / it.answered;
    if (it.scored && x.size() >= 3) it.discrimination = pearson(x, y);
    if (it.scored && low_answered > 0 && high_answered > 0)
      it.difference = static_cast<double>(high_right) / high_answered - static_cast<double>(low_right) / low_answered;
    for (int k = 0; k < nchoices && k < 4; ++k) {
      ChoiceAnalysis c;
      c.choice = static_cast<Answer>(k);
      c.keyed = it.scored && *q->correct == c.choice;
      c.chosen = all[static_cast<size_t>(k)];
      c.share = it.answered ? static_cast<double>(c.chosen) / it.answered : 0;
      if (low_answered) c.low = static_cast<double>(low_n[static_cast<size_t>(k)]) / low_answered;
      if (high_answered) c.high = static_cast<double>(high_n[static_cast<size_t>(k)]) / high_answered;
      it.choices.push_back(c);
    }
    add_flags(it);
    out.items.push_back(std::move(it));
  }
  return out;
}

std::string item_analysis_json(const SessionItemAnalysis& a) {
  using nlohmann::ordered_json;
  auto opt = [](const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); };
  ordered_json j;
  j["split"] = a.split;
  j["students"] = a.students;
  j["group_size"] = a.group_size;
  j["items"] = ordered_json::array();
  for (const auto& it : a.items) {
    ordered_json i;
    i["ask"] = it.ask_number;
    i["question"] = it.question_position;
    i["scored"] = it.scored;
    i["answered"] = it.answered;
    i["right"] = it.scored ? ordered_json(it.right) : ordered_json(nullptr);
    i["share_right"] = opt(it.share_right);
    i["discrimination"] = opt(it.discrimination);
    i["difference"] = opt(it.difference);
    i["choices"] = ordered_json::array();
    for (const auto& c : it.choices)
      i["choices"].push_back({{"choice", letter(static_cast<int>(c.choice))},
                              {"keyed", c.keyed},
                              {"chosen", c.chosen},
                              {"share", c.share},
                              {"low", opt(c.low)},
                              {"high", opt(c.high)}});
    i["flags"] = it.flags;
    j["items"].push_back(std::move(i));
  }
  return j.dump();
}

namespace {
std::string pct(const std::optional<double>& v) {
  if (!v) return "\xE2\x80\x94";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * *v);
  return buf;
}
std::string disc(const std::optional<double>& v) { return v ? two_decimals(*v) : "\xE2\x80\x94"; }
}  // namespace

std::string item_analysis_html(const SessionItemAnalysis& a) {
  std::string h = "<h2>Item analysis</h2>\n";
  bool any = false;
  for (const auto& it : a.items) any = any || it.scored;
  if (!any) return h + "<p>No question with a right answer was asked.</p>\n";
  h += "<p class=\"muted\">" + std::to_string(a.students) + " students answered at least one scored question. "
       "Discrimination: the correlation between being right on the question and the score on the rest of the "
       "quiz (above 0.2 is usual for a good question; below 0 means low scorers did better). Low and high "
       "scorers: the " + html_escape(a.split) + " of the class by score (" + std::to_string(a.group_size) +
       (a.group_size == 1 ? " student" : " students") + " each).</p>\n";
  h += "<table>\n<tr><th>Ask</th><th>Question</th><th class=\"num\">Right</th><th class=\"num\">Discrimination</th>"
       "<th>Choices: all / low / high scorers</th><th>Check</th></tr>\n";
  for (const auto& it : a.items) {
    if (!it.scored) continue;
    std::string choices;
    for (const auto& c : it.choices)
      choices += std::string(c.keyed ? "<strong>" : "") + letter(static_cast<int>(c.choice)) + (c.keyed ? "\xE2\x9C\x93" : "") +
                 " " + pct(c.share) + " / " + pct(c.low) + " / " + pct(c.high) + (c.keyed ? "</strong>" : "") + "<br>";
    std::string flags;
    for (const auto& f : it.flags) flags += html_escape(f) + "<br>";
    h += "<tr><td class=\"num\">" + std::to_string(it.ask_number) + "</td><td>Q" + std::to_string(it.question_position) +
         " " + html_escape(one_line_text(it.question_text, 60)) + "</td><td class=\"num\">" + pct(it.share_right) + " (" +
         std::to_string(it.right) + " of " + std::to_string(it.answered) + ")</td><td class=\"num\">" +
         disc(it.discrimination) + "</td><td>" + choices + "</td><td>" + flags + "</td></tr>\n";
  }
  return h + "</table>\n";
}

std::string item_analysis_text(const SessionItemAnalysis& a) {
  std::string out = "item analysis (" + std::to_string(a.students) + " students with a scored answer; low and high scorers: " +
                    a.split + ", " + std::to_string(a.group_size) + " each)\n";
  bool any = false;
  for (const auto& it : a.items) {
    if (!it.scored) continue;
    any = true;
    out += "  ask " + std::to_string(it.ask_number) + " (Q" + std::to_string(it.question_position) + "): right " +
           pct(it.share_right) + ", discrimination " + disc(it.discrimination) + "; chose (low/high):";
    for (const auto& c : it.choices)
      out += " " + letter(static_cast<int>(c.choice)) + (c.keyed ? "*" : "") + " " + pct(c.low) + "/" + pct(c.high);
    out += "\n";
    for (const auto& f : it.flags) out += "      ! " + f + "\n";
  }
  if (!any) out += "  no question with a right answer was asked\n";
  return out;
}

std::string with_json_member(const std::string& object_json, const std::string& key, const std::string& member_json) {
  const size_t close = object_json.find_last_of('}');
  if (close == std::string::npos) throw std::logic_error("with_json_member: not a JSON object");
  size_t before = close;
  while (before > 0 && std::isspace(static_cast<unsigned char>(object_json[before - 1]))) --before;
  const bool empty = before > 0 && object_json[before - 1] == '{';
  return object_json.substr(0, before) + (empty ? "" : ",") + nlohmann::json(key).dump() + ":" + member_json +
         object_json.substr(before);
}

}  // namespace cardpoll
