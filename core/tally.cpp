#include "core/tally.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace cardpoll {

const Question* question_of(const SessionData& s, const Ask& ask) {
  for (const auto& q : s.set.questions)
    if (q.id == ask.question_id) return &q;
  return nullptr;
}

const Response* response_of(const SessionData& s, Id ask_id, Id student_id) {
  for (const auto& r : s.responses)
    if (r.ask_id == ask_id && r.student_id == student_id) return &r;
  return nullptr;
}

namespace {

AskTally tally(const SessionData& s, const Ask& ask) {
  AskTally t;
  t.ask_id = ask.id;
  t.ask_number = ask.number;
  t.question_id = ask.question_id;
  t.question = question_of(s, ask);
  t.choices = t.question ? static_cast<int>(t.question->choices.size()) : 4;
  if (t.question) t.correct = t.question->correct;
  t.class_size = static_cast<int>(s.students.size());

  // Current answers of this ask by student (one per student by construction of responses).
  std::map<Id, Answer> answer_of;
  for (const auto& r : s.responses)
    if (r.ask_id == ask.id) answer_of[r.student_id] = r.answer;

  int right = 0;
  for (const auto& st : s.students) {
    const auto it = answer_of.find(st.id);
    if (it == answer_of.end()) {
      t.not_answered.push_back(st.id);
      continue;
    }
    t.answered.push_back(st.id);
    ++t.counts[static_cast<size_t>(it->second)];
    if (t.correct && it->second == *t.correct) ++right;
  }
  const int answered = static_cast<int>(t.answered.size());
  for (size_t k = 0; k < 4; ++k) t.percent[k] = answered ? 100.0 * t.counts[k] / answered : 0.0;
  t.percent_answered = t.class_size ? 100.0 * answered / t.class_size : 0.0;
  if (t.correct) {
    t.right = right;
    if (answered) t.percent_right = 100.0 * right / answered;
  }
  return t;
}

}  // namespace

AskTally tally_ask(const SessionData& s, Id ask_id) {
  for (const auto& a : s.asks)
    if (a.id == ask_id) return tally(s, a);
  throw std::out_of_range("no ask " + std::to_string(ask_id) + " in session " +
                          std::to_string(s.session.id));
}

std::vector<AskTally> tally_asks(const SessionData& s) {
  std::vector<const Ask*> asks;
  for (const auto& a : s.asks) asks.push_back(&a);
  std::stable_sort(asks.begin(), asks.end(), [](const Ask* x, const Ask* y) { return x->number < y->number; });
  std::vector<AskTally> out;
  for (const Ask* a : asks) out.push_back(tally(s, *a));
  return out;
}

std::vector<StudentScore> student_scores(std::span<const SessionData> sessions, const TimeRange& range) {
  std::vector<StudentScore> out;
  std::map<Id, size_t> index;  // student id -> position in out
  for (const auto& s : sessions)
    for (const auto& st : s.students)
      if (index.emplace(st.id, out.size()).second) {
        StudentScore sc;
        sc.student_id = st.id;
        sc.student = &st;
        out.push_back(sc);
      }

  for (const auto& s : sessions) {
    std::map<std::pair<Id, Id>, Answer> answer_of;  // (ask, student) -> answer
    for (const auto& r : s.responses) answer_of[{r.ask_id, r.student_id}] = r.answer;
    for (const auto& a : s.asks) {
      if (!range.contains(a.opened_at)) continue;
      const Question* q = question_of(s, a);
      const bool scored = q && q->correct.has_value();
      // Only students on this session's roster were asked.
      for (const auto& st : s.students) {
        StudentScore& sc = out[index.at(st.id)];
        ++sc.asks;
        if (scored) ++sc.scored;
        const auto it = answer_of.find({a.id, st.id});
        if (it == answer_of.end()) continue;
        ++sc.answered;
        if (scored && it->second == *q->correct) ++sc.right;
      }
    }
  }
  for (auto& sc : out)
    if (sc.scored) sc.percent = 100.0 * sc.right / sc.scored;
  return out;
}

std::vector<StudentScore> student_scores(const SessionData& session) {
  return student_scores(std::span<const SessionData>(&session, 1));
}

}  // namespace cardpoll
