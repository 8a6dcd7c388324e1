#include "core/mastery.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "core/tally.h"

namespace cardpoll {

std::string_view mastery_level_name(MasteryLevel level) {
  switch (level) {
    case MasteryLevel::Unknown: return "unknown";
    case MasteryLevel::NotYet: return "not_yet";
    case MasteryLevel::Approaching: return "approaching";
    case MasteryLevel::Mastered: return "mastered";
  }
  return "unknown";
}

std::string_view mastery_level_label(MasteryLevel level) {
  switch (level) {
    case MasteryLevel::Unknown: return "no evidence";
    case MasteryLevel::NotYet: return "not yet";
    case MasteryLevel::Approaching: return "approaching";
    case MasteryLevel::Mastered: return "mastered";
  }
  return "no evidence";
}

namespace {

// Continued fraction of the incomplete beta function (modified Lentz).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-15;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) break;
  }
  return h;
}

}  // namespace

double beta_cdf(double x, double a, double b) {
  if (!(a > 0) || !(b > 0)) throw std::invalid_argument("beta_cdf: a and b must be > 0");
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front =
      std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

double beta_quantile(double a, double b, double p) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("beta_quantile: p must be in (0, 1)");
  double lo = 0, hi = 1;
  for (int k = 0; k < 60; ++k) {  // 2^-60: far below anything a teacher sees
    const double mid = (lo + hi) / 2;
    (beta_cdf(mid, a, b) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

SkillMastery mastery_from_evidence(Id student_id, std::string skill, std::vector<SkillEvidence> items,
                                   const MasteryRule& rule) {
  SkillMastery m;
  m.student_id = student_id;
  m.skill = std::move(skill);
  // Oldest first; ties broken by session then ask number so the order is total and stable.
  std::stable_sort(items.begin(), items.end(), [](const SkillEvidence& x, const SkillEvidence& y) {
    if (x.at != y.at) return x.at < y.at;
    if (x.session_id != y.session_id) return x.session_id < y.session_id;
    return x.ask_number < y.ask_number;
  });
  double a = rule.prior_right, b = rule.prior_wrong;
  double w = 1;
  for (size_t k = items.size(); k-- > 0;) {  // newest weighs 1, each older `decay` times less
    items[k].weight = w;
    (items[k].right ? a : b) += w;
    w *= rule.decay;
  }
  m.evidence = static_cast<int>(items.size());
  for (const auto& it : items) {
    if (it.right) ++m.right;
    else m.missed.push_back(it);
  }
  m.items = std::move(items);
  m.estimate = a / (a + b);
  m.lower = beta_quantile(a, b, rule.credible);
  m.upper = beta_quantile(a, b, 1 - rule.credible);
  if (m.evidence == 0) m.level = MasteryLevel::Unknown;
  else if (m.estimate >= rule.mastered_estimate && m.lower >= rule.mastered_lower) m.level = MasteryLevel::Mastered;
  else if (m.estimate < rule.not_yet_estimate) m.level = MasteryLevel::NotYet;
  else m.level = MasteryLevel::Approaching;
  return m;
}

MasteryTable compute_mastery(std::span<const SessionData> sessions, const MasteryRule& rule) {
  MasteryTable t;
  std::set<Id> seen_students;
  std::set<std::string> skills;
  std::map<std::pair<Id, std::string>, std::vector<SkillEvidence>> evidence;

  for (const auto& s : sessions) {
    for (const auto& st : s.students)
      if (seen_students.insert(st.id).second) {
        t.students.push_back(st.id);
        t.student_info.push_back(&st);
      }
    std::set<Id> on_roster;
    for (const auto& st : s.students) on_roster.insert(st.id);
    for (const auto& ask : s.asks) {
      const Question* q = question_of(s, ask);
      if (!q || !q->correct) continue;  // surveys are never evidence
      for (const auto& sk : q->skills) skills.insert(sk);
      if (q->skills.empty()) continue;
      for (const auto& r : s.responses) {
        if (r.ask_id != ask.id || !on_roster.count(r.student_id)) continue;
        SkillEvidence e;
        e.session_id = s.session.id;
        e.ask_id = ask.id;
        e.ask_number = ask.number;
        e.question_id = q->id;
        e.question_position = q->position;
        e.answer = r.answer;
        e.correct = *q->correct;
        e.right = r.answer == *q->correct;
        e.at = ask.opened_at;
        for (const auto& sk : q->skills) evidence[{r.student_id, sk}].push_back(e);
      }
    }
  }
  t.skills.assign(skills.begin(), skills.end());
  t.cells.reserve(t.students.size() * t.skills.size());
  for (Id st : t.students)
    for (const auto& sk : t.skills) {
      auto it = evidence.find({st, sk});
      t.cells.push_back(mastery_from_evidence(
          st, sk, it == evidence.end() ? std::vector<SkillEvidence>{} : std::move(it->second), rule));
    }
  return t;
}

MasteryTable compute_mastery(const SessionData& session, const MasteryRule& rule) {
  return compute_mastery(std::span<const SessionData>(&session, 1), rule);
}

const SkillMastery* MasteryTable::find(Id student_id, std::string_view skill) const {
  const auto si = std::find(students.begin(), students.end(), student_id);
  const auto ki = std::lower_bound(skills.begin(), skills.end(), skill);
  if (si == students.end() || ki == skills.end() || *ki != skill) return nullptr;
  return &cells[static_cast<size_t>(si - students.begin()) * skills.size() +
                static_cast<size_t>(ki - skills.begin())];
}

const SkillMastery& MasteryTable::at(Id student_id, std::string_view skill) const {
  if (const SkillMastery* m = find(student_id, skill)) return *m;
  throw std::out_of_range("no mastery for student " + std::to_string(student_id) + " and skill \"" +
                          std::string(skill) + "\"");
}

std::span<const SkillMastery> MasteryTable::row(Id student_id) const {
  const auto si = std::find(students.begin(), students.end(), student_id);
  if (si == students.end()) return {};
  return std::span<const SkillMastery>(cells).subspan(
      static_cast<size_t>(si - students.begin()) * skills.size(), skills.size());
}

}  // namespace cardpoll
