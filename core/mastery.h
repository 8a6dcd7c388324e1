// Mastery per student per skill, from one or several sessions. Pure functions.
//
// The rule (docs/data-formats.md, "Mastery"):
//   Evidence: every ask whose question has a right answer and the skill tag, that the student
//   ANSWERED. No answer is no evidence (a missed read never counts as wrong). Surveys are
//   never evidence.
//   Recency: evidence is ordered by when the ask was opened (then session, then ask number);
//   the newest item weighs 1, each older one `decay` (0.9) times the next newer one, so a
//   re-ask after a small-group lesson outweighs the first attempt.
//   Posterior: Beta(1 + weighted right, 1 + weighted wrong) (a uniform prior).
//   estimate = posterior mean; lower/upper = its 10th / 90th percentiles.
//   Levels: unknown   - no evidence;
//           mastered  - estimate >= 0.75 AND lower >= 0.5 (three right in a row is enough,
//                       one or two are not);
//           not_yet   - estimate < 0.5;
//           approaching - everything else.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/session_data.h"

namespace cardpoll {

enum class MasteryLevel { Unknown, NotYet, Approaching, Mastered };
// "unknown", "not_yet", "approaching", "mastered" (stable: used in exports and --json).
std::string_view mastery_level_name(MasteryLevel level);
// Words for a teacher: "no evidence", "not yet", "approaching", "mastered".
std::string_view mastery_level_label(MasteryLevel level);

struct MasteryRule {
  double prior_right = 1.0;     // Beta(a, b) prior: a
  double prior_wrong = 1.0;     //                   b
  double decay = 0.9;           // weight of each older item relative to the next newer one
  double credible = 0.10;       // lower/upper = this and 1-this quantiles
  double mastered_estimate = 0.75;
  double mastered_lower = 0.5;
  double not_yet_estimate = 0.5;
};

// One answered ask that counts as evidence for a skill.
struct SkillEvidence {
  Id session_id = 0;
  Id ask_id = 0;
  int ask_number = 0;
  Id question_id = 0;
  int question_position = 0;   // position in its set (Q3)
  Answer answer = Answer::A;   // what the student answered
  Answer correct = Answer::A;
  bool right = false;
  TimeMs at = 0;               // when the ask was opened
  double weight = 0;           // recency weight used
};

struct SkillMastery {
  Id student_id = 0;
  std::string skill;
  MasteryLevel level = MasteryLevel::Unknown;
  double estimate = 0.5;       // posterior mean (prior mean when no evidence)
  double lower = 0, upper = 1; // credible bounds
  int evidence = 0;            // answered asks counted (unweighted)
  int right = 0;               // of those, right (unweighted)
  std::vector<SkillEvidence> items;   // oldest first
  std::vector<SkillEvidence> missed;  // the wrong ones (subset of items), oldest first:
                                      // which asks/questions to reteach
};

// Rows = students, columns = skills.
struct MasteryTable {
  std::vector<Id> students;                 // first session's roster order, then later ones
  std::vector<const Student*> student_info; // parallel to students; points into the sessions
  std::vector<std::string> skills;          // sorted; skills of asked questions with a right answer
  std::vector<SkillMastery> cells;          // students.size() * skills.size(), row-major

  // nullptr when the student or skill is not in the table.
  const SkillMastery* find(Id student_id, std::string_view skill) const;
  // std::out_of_range naming what is missing.
  const SkillMastery& at(Id student_id, std::string_view skill) const;
  // All skills of one student (empty span when unknown student).
  std::span<const SkillMastery> row(Id student_id) const;
};

MasteryTable compute_mastery(std::span<const SessionData> sessions, const MasteryRule& rule = {});
MasteryTable compute_mastery(const SessionData& session, const MasteryRule& rule = {});

// The posterior for given evidence (items: any order, weights recomputed by recency).
// Exposed for tests and for callers that collect evidence themselves.
SkillMastery mastery_from_evidence(Id student_id, std::string skill,
                                   std::vector<SkillEvidence> items, const MasteryRule& rule = {});

// Quantile of Beta(a, b) at p (0 < p < 1), a, b > 0; by bisection on the regularised
// incomplete beta function. Accurate to ~1e-9.
double beta_quantile(double a, double b, double p);
// Regularised incomplete beta I_x(a, b).
double beta_cdf(double x, double a, double b);

}  // namespace cardpoll
