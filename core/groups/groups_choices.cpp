#include "core/groups/groups_choices.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/groups/groups_internal.h"
#include "core/tally.h"

namespace cardpoll {

namespace {

using groups_detail::count_word;
using groups_detail::join_names;

struct Roster {
  std::vector<const Student*> students;  // by card, present or not
  std::set<Id> present;                  // answered anything in the sessions
};

Roster roster_of(std::span<const SessionData> sessions) {
  Roster r;
  std::map<Id, const Student*> by_id;
  for (const auto& s : sessions) {
    for (const auto& st : s.students) by_id.emplace(st.id, &st);
    for (const auto& x : s.responses) r.present.insert(x.student_id);
  }
  for (auto& [id, st] : by_id) r.students.push_back(st);
  std::stable_sort(r.students.begin(), r.students.end(), [](const Student* a, const Student* b) {
    const int ca = a->card ? a->card : 1 << 30, cb = b->card ? b->card : 1 << 30;
    return ca < cb;
  });
  return r;
}

std::string letter(Answer a) { return std::string(1, answer_letter(a)); }

std::string short_text(const std::string& t, size_t max) {
  std::string out;
  for (char c : t) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() <= max) return out;
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut) + "...";
}

// "Q3" (with the set's name when the sessions used different sets).
std::string question_label(std::span<const SessionData> sessions, const SessionData& s, const Question& q) {
  std::set<Id> sets;
  for (const auto& x : sessions) sets.insert(x.set.id);
  return (sets.size() > 1 ? s.set.name + " " : std::string()) + "Q" + std::to_string(q.position);
}

// Splits `members` (in order) into ceil(n / max) groups as even as possible.
std::vector<std::vector<const Student*>> split_even(const std::vector<const Student*>& members, int max_size) {
  const int n = static_cast<int>(members.size());
  if (n == 0) return {};
  const int g = std::max(1, (n + max_size - 1) / max_size);
  std::vector<std::vector<const Student*>> out(g);
  int at = 0;
  for (int i = 0; i < g; ++i) {
    const int size = n / g + (i < n % g ? 1 : 0);
    for (int k = 0; k < size; ++k) out[i].push_back(members[at++]);
  }
  return out;
}

GroupMember member_of(const Student* st) { return {st->id, st->display_name, st->card, ""}; }

std::string subject(const std::vector<const Student*>& m) {
  if (m.size() == 1) return m[0]->display_name;
  if (m.size() == 2) return "Both";
  return "All " + count_word(static_cast<int>(m.size()));
}

// One wrong choice on one ask: a misconception candidate.
struct WrongChoice {
  const SessionData* s = nullptr;
  const Ask* ask = nullptr;
  const Question* q = nullptr;
  Answer choice = Answer::A;
};

void add_extension_groups(const std::vector<const Student*>& none_wrong, int max_size, Grouping& out) {
  int n = 0;
  for (auto& part : split_even(none_wrong, max_size)) {
    Group g;
    g.name = "Extension " + std::to_string(++n);
    g.focus = "extension";
    g.reason = subject(part) + (part.size() == 1 ? " answered" : " answered") +
               " every question right: ready for an extension task.";
    for (const Student* st : part) g.members.push_back(member_of(st));
    out.groups.push_back(std::move(g));
  }
}

Grouping misconception_groups(std::span<const SessionData> sessions, const ChoiceGroupingRequest& req) {
  const Roster roster = roster_of(sessions);
  std::vector<WrongChoice> items;
  std::map<std::tuple<Id, Id, int>, int> item_of;  // (session, ask, choice) -> index
  std::map<Id, std::vector<int>> wrong_of;         // student -> items, in ask order
  for (const auto& s : sessions) {
    std::vector<const Ask*> asks;
    for (const auto& a : s.asks) asks.push_back(&a);
    std::stable_sort(asks.begin(), asks.end(), [](const Ask* x, const Ask* y) { return x->number < y->number; });
    for (const Ask* a : asks) {
      const Question* q = question_of(s, *a);
      if (!q || !q->correct) continue;
      for (const Student* st : roster.students) {
        const Response* r = response_of(s, a->id, st->id);
        if (!r || r->answer == *q->correct) continue;
        const auto key = std::make_tuple(s.session.id, a->id, static_cast<int>(r->answer));
        auto [it, fresh] = item_of.emplace(key, static_cast<int>(items.size()));
        if (fresh) items.push_back({&s, a, q, r->answer});
        wrong_of[st->id].push_back(it->second);
      }
    }
  }
  std::vector<int> holders(items.size(), 0);
  for (auto& [id, list] : wrong_of)
    for (int i : list) ++holders[static_cast<size_t>(i)];
  // Each student starts in the group of their most shared wrong choice (earliest on ties).
  std::map<Id, int> placed;  // student -> item; -1 - item: the "different errors" pool of its ask
  std::vector<int> size(items.size(), 0);
  for (auto& [id, list] : wrong_of) {
    int best = list.front();
    for (int i : list)
      if (holders[static_cast<size_t>(i)] > holders[static_cast<size_t>(best)]) best = i;
    placed[id] = best;
    ++size[static_cast<size_t>(best)];
  }
  // Dissolve groups too small to stand, the smallest first, into the members' other choices.
  std::vector<bool> dissolved(items.size(), false);
  for (size_t round = 0; round < items.size(); ++round) {
    int worst = -1;
    for (size_t i = 0; i < items.size(); ++i)
      if (!dissolved[i] && size[i] > 0 && size[i] < req.min_size &&
          (worst < 0 || size[i] < size[static_cast<size_t>(worst)]))
        worst = static_cast<int>(i);
    if (worst < 0) break;
    dissolved[static_cast<size_t>(worst)] = true;
    for (auto& [id, at] : placed) {
      if (at != worst) continue;
      int to = -1;
      for (int i : wrong_of[id])
        if (i != worst && !dissolved[static_cast<size_t>(i)] && size[static_cast<size_t>(i)] > 0 &&
            (to < 0 || size[static_cast<size_t>(i)] > size[static_cast<size_t>(to)]))
          to = i;
      --size[static_cast<size_t>(worst)];
      if (to >= 0) {
        at = to;
        ++size[static_cast<size_t>(to)];
      } else {
        at = -1 - worst;  // the pool of this ask
      }
    }
  }

  Grouping out;
  out.mode = GroupMode::Misconception;
  out.min_size = req.min_size;
  out.max_size = req.max_size;
  int number = 0;
  // Groups by holders (most common wrong choice first), then the pools by ask.
  std::vector<int> order;
  for (size_t i = 0; i < items.size(); ++i)
    if (size[i] > 0) order.push_back(static_cast<int>(i));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return size[static_cast<size_t>(a)] > size[static_cast<size_t>(b)]; });
  for (int i : order) {
    const WrongChoice& w = items[static_cast<size_t>(i)];
    std::vector<const Student*> members;
    for (const Student* st : roster.students)
      if (auto it = placed.find(st->id); it != placed.end() && it->second == i) members.push_back(st);
    const std::string label = question_label(sessions, *w.s, *w.q);
    const auto k = static_cast<size_t>(w.choice);
    const std::string choice_text = k < w.q->choices.size() ? w.q->choices[k] : "";
    const auto kk = static_cast<size_t>(*w.q->correct);
    const std::string right_text = kk < w.q->choices.size() ? w.q->choices[kk] : "";
    for (auto& part : split_even(members, req.max_size)) {
      Group g;
      g.name = "Group " + std::to_string(++number);
      g.focus = label + " chose " + letter(w.choice) + (choice_text.empty() ? "" : ": " + short_text(choice_text, 40));
      g.missed = {label};
      g.reason = subject(part) + " chose " + letter(w.choice) + (choice_text.empty() ? "" : " (" + short_text(choice_text, 40) + ")") +
                 " on " + label + " \"" + short_text(w.q->text, 50) + "\": find what makes it look right, then " +
                 letter(*w.q->correct) + (right_text.empty() ? "" : " (" + short_text(right_text, 30) + ")") + ".";
      for (const Student* st : part) g.members.push_back(member_of(st));
      out.groups.push_back(std::move(g));
    }
  }
  // Students whose wrong choices nobody else shared: one group of different errors per ask,
  // then the small ones together.
  std::map<std::pair<Id, int>, std::vector<const Student*>> pools;  // (session, ask number)
  std::map<std::pair<Id, int>, const WrongChoice*> pool_item;
  for (const Student* st : roster.students)
    if (auto it = placed.find(st->id); it != placed.end() && it->second < 0) {
      const WrongChoice& w = items[static_cast<size_t>(-1 - it->second)];
      pools[{w.s->session.id, w.ask->number}].push_back(st);
      pool_item[{w.s->session.id, w.ask->number}] = &w;
    }
  std::vector<const Student*> leftover;
  std::vector<std::string> leftover_labels;
  for (auto& [key, members] : pools) {
    const WrongChoice& w = *pool_item[key];
    const std::string label = question_label(sessions, *w.s, *w.q);
    if (static_cast<int>(members.size()) < req.min_size) {
      leftover.insert(leftover.end(), members.begin(), members.end());
      leftover_labels.push_back(label);
      continue;
    }
    for (auto& part : split_even(members, req.max_size)) {
      Group g;
      g.name = "Group " + std::to_string(++number);
      g.focus = label + " different wrong answers";
      g.missed = {label};
      g.reason = subject(part) + " missed " + label + " with different wrong answers: compare your reasons.";
      for (const Student* st : part) g.members.push_back(member_of(st));
      out.groups.push_back(std::move(g));
    }
  }
  if (!leftover.empty()) {
    for (auto& part : split_even(leftover, req.max_size)) {
      Group g;
      g.name = "Group " + std::to_string(++number);
      g.focus = "different errors";
      g.missed = leftover_labels;
      g.reason = subject(part) + " made wrong choices nobody else made (" + join_names(leftover_labels, " and ") +
                 "): go through them one by one.";
      for (const Student* st : part) g.members.push_back(member_of(st));
      out.groups.push_back(std::move(g));
    }
  }
  std::vector<const Student*> none_wrong;
  for (const Student* st : roster.students)
    if (roster.present.count(st->id) && !placed.count(st->id)) none_wrong.push_back(st);
  add_extension_groups(none_wrong, req.max_size, out);
  for (const Student* st : roster.students)
    if (!roster.present.count(st->id)) out.absent.push_back(st->display_name);
  for (const auto& g : out.groups)
    if (static_cast<int>(g.members.size()) < req.min_size)
      out.unsatisfied.push_back(g.name + " has " + std::to_string(g.members.size()) + " student" +
                                (g.members.size() == 1 ? "" : "s") + ", fewer than " + std::to_string(req.min_size) +
                                ": no one else made the same choice");
  if (items.empty() && none_wrong.empty()) out.unsatisfied.push_back("No student is present, so there are no groups");
  return out;
}

// The ask to discuss: the one asked for, else the scored ask whose share right is nearest 50%
// (at least one right and two different choices), the latest on ties.
std::pair<const SessionData*, const Ask*> discussion_ask(std::span<const SessionData> sessions,
                                                          const ChoiceGroupingRequest& req) {
  if (req.ask) {
    const SessionData& s = sessions.back();
    for (const auto& a : s.asks)
      if (a.number == *req.ask) {
        const Question* q = question_of(s, a);
        if (!q || !q->correct)
          throw GroupingError("ask " + std::to_string(*req.ask) + " of session " + std::to_string(s.session.id) +
                              " is a survey: discussion groups need a question with a right answer");
        return {&s, &a};
      }
    throw GroupingError("session " + std::to_string(s.session.id) + " has no ask " + std::to_string(*req.ask) +
                        " (it has " + std::to_string(s.asks.size()) + ")");
  }
  std::pair<const SessionData*, const Ask*> best{nullptr, nullptr};
  double best_gap = 2;
  for (const auto& s : sessions)
    for (const AskTally& t : tally_asks(s)) {
      if (!t.percent_right || t.right.value_or(0) == 0) continue;
      int distinct = 0;
      for (int c : t.counts) distinct += c > 0;
      if (distinct < 2) continue;
      const double gap = std::abs(*t.percent_right / 100.0 - 0.5);
      if (gap <= best_gap) {
        best_gap = gap;
        for (const auto& a : s.asks)
          if (a.id == t.ask_id) best = {&s, &a};
      }
    }
  if (!best.first)
    throw GroupingError("no question in these sessions had both right and wrong answers, so there is nothing "
                        "to discuss (discussion groups need at least one right answer and two different choices)");
  return best;
}

Grouping discuss_groups(std::span<const SessionData> sessions, const ChoiceGroupingRequest& req) {
  const Roster roster = roster_of(sessions);
  const auto [s, ask] = discussion_ask(sessions, req);
  const Question* q = question_of(*s, *ask);
  std::vector<const Student*> right;
  std::map<int, std::vector<const Student*>> wrong_by_choice;
  std::vector<const Student*> silent;
  for (const Student* st : roster.students) {
    if (!roster.present.count(st->id)) continue;
    const Response* r = response_of(*s, ask->id, st->id);
    if (!r) silent.push_back(st);
    else if (r->answer == *q->correct) right.push_back(st);
    else wrong_by_choice[static_cast<int>(r->answer)].push_back(st);
  }
  if (right.empty())
    throw GroupingError("nobody answered ask " + std::to_string(ask->number) + " right, so no group could hold a right "
                        "answer: reteach it first, or pick another ask (--ask N)");
  const int n = static_cast<int>(roster.present.size());
  int k = std::max(1, (n + req.max_size - 1) / req.max_size);
  k = std::min(k, std::max(1, n / req.min_size));
  Grouping out;
  out.mode = GroupMode::Discuss;
  out.min_size = req.min_size;
  out.max_size = req.max_size;
  out.sessions = {s->session.id};
  if (static_cast<int>(right.size()) < k) {
    out.unsatisfied.push_back("Only " + std::to_string(right.size()) + " student" + (right.size() == 1 ? "" : "s") +
                              " answered right, so there are " + std::to_string(right.size()) + " group" +
                              (right.size() == 1 ? "" : "s") + " (larger than " + std::to_string(req.max_size) + ")");
    k = static_cast<int>(right.size());
  }
  std::vector<std::vector<std::pair<const Student*, int>>> groups(k);  // (student, choice; -1 none)
  auto place = [&](const Student* st, int choice) {
    int best = 0;
    auto same = [&](int g) {
      int c = 0;
      for (auto& [x, ch] : groups[g]) c += ch == choice && choice >= 0;
      return c;
    };
    for (int g = 1; g < k; ++g) {
      const auto sg = groups[g].size(), sb = groups[best].size();
      if (sg < sb || (sg == sb && same(g) < same(best))) best = g;
    }
    groups[best].emplace_back(st, choice);
  };
  const int key = static_cast<int>(*q->correct);
  for (int g = 0; g < k; ++g) groups[g].emplace_back(right[g], key);  // one right answer each
  std::vector<std::pair<int, std::vector<const Student*>>> wrong(wrong_by_choice.begin(), wrong_by_choice.end());
  std::stable_sort(wrong.begin(), wrong.end(), [](auto& a, auto& b) { return a.second.size() > b.second.size(); });
  for (auto& [choice, list] : wrong)
    for (const Student* st : list) place(st, choice);
  for (size_t i = static_cast<size_t>(k); i < right.size(); ++i) place(right[i], key);
  for (const Student* st : silent) place(st, -1);

  const std::string label = question_label(sessions, *s, *q);
  for (int g = 0; g < k; ++g) {
    Group grp;
    grp.name = "Group " + std::to_string(g + 1);
    grp.focus = "discuss " + label;
    std::set<int> chose;
    for (auto& [st, ch] : groups[g])
      if (ch >= 0) chose.insert(ch);
    std::sort(groups[g].begin(), groups[g].end(), [](auto& a, auto& b) { return a.first->card < b.first->card; });
    for (auto& [st, ch] : groups[g]) grp.members.push_back(member_of(st));
    // The reason is projected: it names no one and does not give the answer away.
    grp.reason = chose.size() > 1 ? "You chose " + count_word(static_cast<int>(chose.size())) + " different answers on " +
                                        label + " and at least one of you has it right: convince each other, then vote again."
                                  : "You all chose the same answer on " + label + ": explain why each other choice is wrong.";
    if (chose.size() < 2)
      out.unsatisfied.push_back(grp.name + ": everyone chose the same answer (the class gave too few different answers)");
    out.groups.push_back(std::move(grp));
  }
  for (const Student* st : roster.students)
    if (!roster.present.count(st->id)) out.absent.push_back(st->display_name);
  return out;
}

}  // namespace

Grouping suggest_choice_groups(std::span<const SessionData> sessions, const ChoiceGroupingRequest& req) {
  if (sessions.empty()) throw GroupingError("no session to group from");
  if (req.min_size < 1 || req.max_size < req.min_size)
    throw GroupingError("group size " + std::to_string(req.min_size) + "-" + std::to_string(req.max_size) +
                        ": need 1 <= minimum <= maximum");
  Grouping g;
  if (req.mode == GroupMode::Misconception) g = misconception_groups(sessions, req);
  else if (req.mode == GroupMode::Discuss) g = discuss_groups(sessions, req);
  else throw GroupingError(std::string(group_mode_name(req.mode)) + " is not a choice mode (misconception, discuss)");
  if (g.sessions.empty())
    for (const auto& s : sessions) g.sessions.push_back(s.session.id);
  return g;
}

}  // namespace cardpoll
