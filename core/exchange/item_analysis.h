// Item analysis of one session: how each question worked, for the teacher who wrote it.
// Pure functions of SessionData (docs/data.md, "Item analysis", gives every rule).
//
//   Scored asks: asks whose question has a right answer. Students: those on the session's
//   roster who answered at least one scored ask. A student's total = scored asks answered
//   right (no answer counts 0 in the total; it is never a choice).
//   share_right: right / answered this ask.
//   discrimination: the point-biserial correlation between "right on this ask" (1/0) and the
//     total on the OTHER scored asks (corrected item-total), over the students who answered
//     this ask. None when fewer than 3 answered or either side has no variance.
//   Low and high scorers: students ranked by total (ties: by card, then id, so the split is
//     reproducible). With 20 or more students, the bottom and top 27% (rounded, at least 1);
//     with fewer, the bottom and top halves (the middle student of an odd class is in
//     neither). `split` says which was used.
//   Pull of a choice among low (high) scorers: of the group's students who answered this ask,
//     the share who chose it.
//   Flags: "no one chose C" (a choice no one picked, at least 5 answered); "high scorers
//     chose B more often than the keyed answer: check the key"; "high scorers chose B more
//     often than low scorers" (a distractor that attracts those who know most); "answered
//     right more by low than high scorers (discrimination -0.31)".
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/session_data.h"

namespace cardpoll {

struct ChoiceAnalysis {
  Answer choice = Answer::A;
  bool keyed = false;          // the right answer
  int chosen = 0;              // students who chose it (all who answered)
  double share = 0;            // chosen / answered
  std::optional<double> low;   // share among low scorers who answered; none when none did
  std::optional<double> high;  // same among high scorers
};

struct ItemAnalysis {
  Id ask_id = 0;
  int ask_number = 0;
  int question_position = 0;
  std::string question_text;
  bool scored = false;                    // false: a survey (only choice shares are given)
  int answered = 0;
  int right = 0;
  std::optional<double> share_right;      // right / answered
  std::optional<double> discrimination;   // corrected point-biserial
  std::optional<double> difference;       // share right among high minus among low scorers
  std::vector<ChoiceAnalysis> choices;    // one per choice of the question
  std::vector<std::string> flags;         // sentences for the teacher
};

struct SessionItemAnalysis {
  std::string split;                      // "top and bottom 27%" or "top and bottom halves"
  int students = 0;                       // students with at least one scored answer
  int group_size = 0;                     // students in each of the low and high groups
  std::vector<ItemAnalysis> items;        // by ask number
};

SessionItemAnalysis analyse_items(const SessionData& s);

// Pearson correlation of two equally long series; none when fewer than 2 values or a series
// is constant. Exposed for tests.
std::optional<double> pearson(const std::vector<double>& x, const std::vector<double>& y);

// The analysis as JSON (nlohmann), for the session export: {"split", "students",
// "group_size", "items": [{"ask", "question", "scored", "answered", "right", "share_right",
// "discrimination", "difference", "choices": [{"choice", "keyed", "chosen", "share", "low",
// "high"}], "flags"}]}; missing figures are null.
std::string item_analysis_json(const SessionItemAnalysis& a);

// The analysis as an HTML section (<h2>Item analysis</h2>, a table per question, the flags),
// every text escaped; for the session's HTML report.
std::string item_analysis_html(const SessionItemAnalysis& a);

// The analysis as plain text lines for `cardpoll session show` (one block per scored ask).
std::string item_analysis_text(const SessionItemAnalysis& a);

// `object_json` (a JSON object's text) with "key": member_json added as its last member.
std::string with_json_member(const std::string& object_json, const std::string& key,
                             const std::string& member_json);

}  // namespace cardpoll
