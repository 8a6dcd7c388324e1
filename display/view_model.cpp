#include "display/view_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cardpoll::display {

namespace {

// Saved answers only: an answer that waits for the database is never counted as in.
int answered_count(const LiveState& s) {
  return static_cast<int>(std::count_if(s.roster.begin(), s.roster.end(),
                                        [](const RosterEntry& e) { return e.answer && !e.pending; }));
}

int pending_count(const LiveState& s) {
  return static_cast<int>(std::count_if(s.roster.begin(), s.roster.end(),
                                        [](const RosterEntry& e) { return e.answer && e.pending; }));
}

std::string unsaved_line(const LiveState& s) {
  const int n = std::max(pending_count(s), s.unsaved_answers);
  if (n == 0) return "";
  return std::to_string(n) + (n == 1 ? " answer" : " answers") + " waiting to be saved";
}

int choice_count(const LiveState& s) {
  return std::clamp(static_cast<int>(s.choices.size()), 0, 4);
}

std::string position_line(const LiveState& s) {
  if (s.position <= 0) return s.set_name.empty() ? s.class_name : s.set_name;
  return "Question " + std::to_string(s.position) + " of " + std::to_string(s.count);
}

std::string answered_line(const LiveState& s) {
  return std::to_string(answered_count(s)) + " / " + std::to_string(s.roster.size()) +
         " answered";
}

}  // namespace

std::vector<std::string> help_lines(int timer_length_seconds) {
  // "key<TAB>what it does": the renderers line the two columns up.
  return {"Space\tscanning on / off",
          "Enter\treveal the answers",
          "N / P\tnext / previous question",
          "H\thide / show names",
          "G\tgroups",
          "D\tdiscussion groups for this question",
          "K\tquick question (A-D, asked aloud)",
          "1-4 / 0\tquick question's right answer / none",
          "T\ttimer: start " + format_timer(timer_length_seconds) + " / stop",
          "F\tfull screen",
          "Q\tquit",
          "?\tthis help"};
}

std::string format_timer(int seconds_left) {
  const int s = std::max(0, seconds_left);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d:%02d", s / 60, s % 60);
  return buf;
}

std::array<int, 4> tally_of(const std::vector<RosterEntry>& roster) {
  std::array<int, 4> t{};
  for (const auto& e : roster)
    if (e.answer) ++t[static_cast<size_t>(*e.answer)];
  return t;
}

std::array<int, 4> percentages(const std::array<int, 4>& counts, int choices) {
  std::array<int, 4> pct{};
  const int n = std::clamp(choices, 0, 4);
  int total = 0;
  for (int i = 0; i < n; ++i) total += counts[static_cast<size_t>(i)];
  if (total == 0) return pct;
  // Largest remainder: floor everything, then hand the missing points to the biggest
  // remainders (ties to the earlier letter, so the result is stable).
  std::array<double, 4> rem{};
  int given = 0;
  for (int i = 0; i < n; ++i) {
    const double exact = 100.0 * counts[static_cast<size_t>(i)] / total;
    pct[static_cast<size_t>(i)] = static_cast<int>(std::floor(exact));
    rem[static_cast<size_t>(i)] = exact - std::floor(exact);
    given += pct[static_cast<size_t>(i)];
  }
  for (int left = 100 - given; left > 0; --left) {
    int best = -1;
    for (int i = 0; i < n; ++i)
      if (counts[static_cast<size_t>(i)] > 0 &&
          (best < 0 || rem[static_cast<size_t>(i)] > rem[static_cast<size_t>(best)]))
        best = i;
    if (best < 0) break;
    ++pct[static_cast<size_t>(best)];
    rem[static_cast<size_t>(best)] = -1;
  }
  return pct;
}

ProjectorView projector_view(const LiveState& s) {
  ProjectorView v;
  v.header = position_line(s);
  v.question = s.question_text;
  const int nchoices = choice_count(s);
  for (int i = 0; i < nchoices; ++i)
    v.choice_lines.push_back(std::string(1, static_cast<char>('A' + i)) + "   " +
                             s.choices[static_cast<size_t>(i)]);
  v.answered_count = answered_count(s);
  v.roster_size = static_cast<int>(s.roster.size());
  v.answered = answered_line(s);
  v.unsaved = unsaved_line(s);
  for (const auto& e : s.roster) {
    TileView t;
    t.label = s.names_hidden || e.name.empty() ? std::to_string(e.card) : e.name;
    t.answered = e.answer && !e.pending;
    t.pending = e.answer && e.pending;
    v.tiles.push_back(std::move(t));
  }
  v.show_chart = s.revealed && s.position > 0;
  if (v.show_chart) {
    const auto counts = tally_of(s.roster);
    const int most = *std::max_element(counts.begin(), counts.end());
    const auto pct = percentages(counts, nchoices);
    for (int i = 0; i < nchoices; ++i) {
      BarView b;
      b.letter = static_cast<char>('A' + i);
      b.choice = s.choices[static_cast<size_t>(i)];
      b.count = counts[static_cast<size_t>(i)];
      b.percent = pct[static_cast<size_t>(i)];
      // The tallest bar fills the chart; the others are in proportion to their counts.
      b.fraction = most > 0 ? static_cast<double>(b.count) / most : 0.0;
      b.correct = s.correct && static_cast<int>(*s.correct) == i;
      b.count_label = std::to_string(b.count) + " (" + std::to_string(b.percent) + "%)";
      v.bars.push_back(std::move(b));
    }
    if (s.correct && static_cast<int>(*s.correct) < nchoices) {
      v.result_note = std::string("\u2713 Right answer: ") + answer_letter(*s.correct);
    } else {
      v.result_note = "Survey: no right answer";
    }
  }
  if (s.timer_seconds_left) {
    v.timer = format_timer(*s.timer_seconds_left);
    v.timer_urgent = *s.timer_seconds_left <= 30;
  }
  v.show_groups = s.show_groups;
  v.groups_title = s.groups_title.empty() ? "Groups" : s.groups_title;
  v.groups = s.groups;
  if (s.names_hidden) {
    // Hidden names stay hidden in the group view as well: groups then list nothing but sizes.
    for (auto& g : v.groups) {
      const size_t n = g.members.size();
      g.members.clear();
      g.members.push_back(std::to_string(n) + (n == 1 ? " student" : " students"));
    }
  }
  v.show_help = s.show_help;
  if (v.show_help) v.help_lines = help_lines(s.timer_length_seconds);
  if (s.position <= 0)
    v.status = "Show a question card or press N to start";
  else if (s.revealed)
    v.status = "Revealed";
  else
    v.status = s.scanning ? "Hold up your cards" : "Paused";
  return v;
}

TeacherView teacher_view(const LiveState& s) {
  TeacherView v;
  v.header = s.class_name + "  \u00b7  " + position_line(s);
  v.question = s.question_text;
  std::string state = s.position <= 0 ? "No question open"
                      : s.revealed    ? "Revealed"
                      : s.scanning    ? "Scanning"
                                      : "Paused";
  v.state_line = state + "  \u00b7  " + answered_line(s);
  std::string u = unsaved_line(s);
  if (!s.unsaved_writes.empty()) u += (u.empty() ? "" : ", ") + s.unsaved_writes;
  if (!u.empty())
    v.unsaved = "NOT YET SAVED: " + u + (s.storage_problem.empty() ? "" : " - " + s.storage_problem) +
                "; each is saved as soon as the database accepts it";
  const auto counts = tally_of(s.roster);
  for (int i = 0; i < std::max(2, choice_count(s)); ++i) {
    if (i) v.tally_line += "   ";
    v.tally_line += std::string(1, static_cast<char>('A' + i)) + " " +
                    std::to_string(counts[static_cast<size_t>(i)]);
  }
  for (const auto& c : s.seen) {
    OutlineView o;
    o.corners = c.corners;
    o.label = std::to_string(c.card) + " " + (c.student.empty() ? "?" : c.student) + " " +
              answer_letter(c.answer);
    if (c.student.empty())
      o.tone = Tone::Unassigned;
    else if (s.revealed && s.correct)
      o.tone = c.answer == *s.correct ? Tone::Right : Tone::Wrong;
    v.outlines.push_back(std::move(o));
  }
  for (int card : s.unassigned_cards)
    v.unassigned.push_back("card " + std::to_string(card) + " is not in this class");
  for (const auto& e : s.roster) {
    AnswerLine a;
    a.name = e.full_name.empty() ? e.name : e.full_name;
    a.answer = e.answer ? std::string(1, answer_letter(*e.answer)) + (e.pending ? " (not saved)" : "") : "-";
    if (e.answer && s.revealed && s.correct)
      a.tone = *e.answer == *s.correct ? Tone::Right : Tone::Wrong;
    v.answers.push_back(std::move(a));
  }
  // Answered first (the teacher scans for who is missing at the end of the list).
  std::stable_sort(v.answers.begin(), v.answers.end(), [](const AnswerLine& a, const AnswerLine& b) {
    return (a.answer != "-") > (b.answer != "-");
  });
  v.warnings = s.warnings;
  if (!v.unsaved.empty()) v.warnings.insert(v.warnings.begin(), v.unsaved);
  // Several cameras: a line each, and a warning for each one the teacher can act on.
  for (const auto& c : s.cameras) {
    char fps[32];
    std::snprintf(fps, sizeof fps, "%.1f fps", c.fps);
    std::string line = c.name + ": " + (c.lost ? std::string("LOST - reconnecting") : c.ended ? std::string("ended") : fps);
    if (c.too_dark) line += ", too dark";
    v.cameras.push_back(std::move(line));
    if (c.lost) v.warnings.push_back(c.name + " lost - reconnecting; the other cameras carry on");
    if (c.too_dark && !c.lost) v.warnings.push_back(c.name + " is too dark: turn on the lights");
  }
  if (!s.disputed_cards.empty()) {
    std::string cards;
    for (int c : s.disputed_cards) cards += (cards.empty() ? "" : ", ") + std::to_string(c);
    v.warnings.push_back("The cameras read card" + std::string(s.disputed_cards.size() > 1 ? "s " : " ") + cards +
                         " differently: nothing new is recorded for it until they agree");
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f fps  \u00b7  %.0f ms", s.fps, s.latency_ms);
  v.stats = buf;
  v.status = s.status;
  v.source = s.source;
  if (s.progress >= 0) v.source += "  " + std::to_string(static_cast<int>(s.progress * 100)) + "%";
  v.show_help = s.show_help;
  v.help_lines = help_lines(s.timer_length_seconds);
  return v;
}

}  // namespace cardpoll::display
