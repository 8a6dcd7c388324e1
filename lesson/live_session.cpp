#include "lesson/live_session.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/groups/groups_choices.h"
#include "core/store/quick_questions.h"
#include "core/store/storage.h"

namespace cardpoll::lesson {

GroupsForView groups_for_view(const std::optional<Grouping>& grouping) {
  GroupsForView v;
  if (!grouping) {
    v.title = "Groups";
    return v;
  }
  switch (grouping->mode) {
    case GroupMode::Mixed: v.title = "Mixed groups"; break;
    case GroupMode::Needs: v.title = "Groups by need"; break;
    case GroupMode::Misconception: v.title = "Groups by wrong choice"; break;
    case GroupMode::Discuss: v.title = "Discuss, then vote again"; break;
  }
  for (const Group& g : grouping->groups) {
    GroupCard c;
    c.name = g.name;
    // Needs mode: the skill the group works on; mixed mode and extension groups (already
    // named "Extension 1"): why these students sit together.
    if (!g.focus.empty() && g.focus != "extension")
      c.note = "Focus: " + g.focus;
    else
      c.note = g.reason;
    for (const GroupMember& m : g.members)
      c.members.push_back(m.role.empty() ? m.name : m.name + " - " + m.role);
    v.groups.push_back(std::move(c));
  }
  return v;
}

namespace {

// Class, set, roster and collector of a session, shared by start and resume.
LiveSession session_for(Database& db, const ClassInfo& klass, const QuestionSet& set, Id session_id,
                        bool quick_only) {
  LiveSession s;
  s.db = &db;
  s.klass = klass;
  s.set = set;
  s.quick_only = quick_only;
  if (!quick_only && s.set.questions.empty())
    throw std::runtime_error("question set '" + set.name + "' has no questions");
  for (const Question& q : s.set.questions)
    s.quick_numbers.push_back(is_quick_set_of(db, session_id, q.set_id) ? ++s.quick_count : 0);
  s.students = list_students(db, s.klass.id);
  std::erase_if(s.students, [](const Student& st) { return st.card <= 0; });
  if (s.students.empty())
    throw std::runtime_error("class '" + klass.name + "' has no students with cards (see cardpoll class)");
  s.collector = std::make_unique<Collector>(db, session_id);
  s.writes = std::make_unique<WriteQueue>(*s.collector);
  s.state.class_name = s.klass.name;
  s.state.set_name = s.set.name;
  s.state.count = static_cast<int>(s.set.questions.size());
  for (const auto& st : s.students) {
    RosterEntry e;
    e.card = st.card;
    e.name = !st.first_name.empty() ? st.first_name : st.display_name;
    e.full_name = !st.display_name.empty() ? st.display_name : st.first_name + " " + st.last_name;
    s.state.roster.push_back(std::move(e));
  }
  return s;
}

}  // namespace

LiveSession start_live_session(Database& db, const std::string& class_name,
                               const std::string& set_name, TimeMs now) {
  const ClassInfo klass = require_class(db, class_name);
  // No set: a lesson of quick questions only, on a fresh quick set (core/store/quick_questions.h).
  const bool quick_only = set_name.empty();
  QuestionSet set;
  if (!quick_only) {
    set = require_question_set(db, set_name);
    if (set.questions.empty()) throw std::runtime_error("question set '" + set_name + "' has no questions");
  }
  {
    auto students = list_students(db, klass.id);
    if (std::none_of(students.begin(), students.end(), [](const Student& st) { return st.card > 0; }))
      throw std::runtime_error("class '" + class_name + "' has no students with cards (see cardpoll class)");
  }
  const Session session =
      quick_only ? start_quick_session(db, klass.id, now) : start_session(db, klass.id, set.id, now);
  if (quick_only) set = *find_question_set(db, session.set_id);
  LiveSession s = session_for(db, klass, set, session.id, quick_only);
  s.state.status = "Session " + std::to_string(session.id) + " started" +
                   (quick_only ? ": press K (or N) to ask a quick question" : "");
  return s;
}

LiveSession resume_live_session(Database& db, Id session_id, TimeMs now) {
  (void)now;
  const auto session = find_session(db, session_id);
  if (!session) throw std::runtime_error("no session " + std::to_string(session_id));
  if (session->ended_at) throw std::runtime_error("session " + std::to_string(session_id) + " has ended: nothing to resume");
  const auto klass = find_class(db, session->class_id);
  if (!klass || !find_question_set(db, session->set_id))
    throw std::runtime_error("session " + std::to_string(session_id) + ": its class or question set is gone");
  // The set as the session asked it: quick questions added during the lesson come after the
  // prepared ones (core/store/quick_questions.h).
  const QuestionSet set = load_session_data(db, session_id).set;
  LiveSession s = session_for(db, *klass, set, session_id, is_quick_set_of(db, session_id, session->set_id));
  const auto asks = list_asks(db, session_id);
  LiveState& st = s.state;
  if (!asks.empty()) {
    const Ask& ask = s.collector->open_ask() ? *s.collector->open_ask() : asks.back();
    for (const Question& q : s.set.questions)
      if (q.id == ask.question_id) {
        st.position = q.position;
        st.question_text = q.text;
        st.choices = q.choices;
        st.correct = q.correct;
      }
    st.scanning = s.collector->open_ask().has_value();
    ++s.question_epoch;
    // The answers the ask already has, as saved answers.
    const SessionData data = load_session_data(db, session_id);
    std::map<Id, int> card_of;
    for (const auto& stu : s.students) card_of[stu.id] = stu.card;
    for (const auto& r : data.responses) {
      if (r.ask_id != ask.id) continue;
      for (auto& e : st.roster)
        if (card_of.count(r.student_id) && e.card == card_of[r.student_id]) e.answer = e.saved = r.answer;
    }
  }
  st.status = "Session " + std::to_string(session_id) + " resumed" +
              (st.position > 0 ? ": question " + std::to_string(st.position) + (st.scanning ? " open, scanning" : " paused")
                               : "");
  return s;
}

namespace {

void apply_committed(LiveSession& s, const std::vector<CommittedReads>& done);

// Every write of the lesson goes through the queue, in the order it happened.
void write(LiveSession& s, LessonWrite w) {
  if (!s.writes) s.writes = std::make_unique<WriteQueue>(*s.collector);
  apply_committed(s, s.writes->submit(std::move(w)));
}

LessonWrite timed(LessonWrite::Kind kind, TimeMs at) {
  LessonWrite w;
  w.kind = kind;
  w.at = at;
  return w;
}

// The question's number among the session's quick questions; 0 for a prepared one.
int quick_number_at(const LiveSession& s, int position) {
  if (position < 1 || position > static_cast<int>(s.quick_numbers.size())) return 0;
  return s.quick_numbers[static_cast<size_t>(position - 1)];
}

void open_question(LiveSession& s, int position, TimeMs at, LiveEffects& fx, const std::string& origin) {
  const auto& qs = s.set.questions;
  if (position < 1 || position > static_cast<int>(qs.size())) {
    s.state.status = origin + ": there is no question " + std::to_string(position) + " in '" +
                     s.set.name + "' (1-" + std::to_string(qs.size()) + ")";
    return;
  }
  const Question& q = qs[static_cast<size_t>(position - 1)];
  const int quick = quick_number_at(s, position);
  // A quick question by its number: its row may still wait in line ahead of this ask.
  LessonWrite ask = timed(quick > 0 ? LessonWrite::Kind::AskQuick : LessonWrite::Kind::Ask, at);
  ask.question_id = q.id;
  ask.quick_number = quick;
  ++s.question_epoch;  // before the write: reads of the old question no longer touch the view
  for (auto& e : s.state.roster) {
    e.answer.reset();
    e.saved.reset();
    e.pending = false;
  }
  write(s, std::move(ask));
  s.state.position = position;
  s.state.question_text = q.text;
  s.state.choices = q.choices;
  s.state.correct = q.correct;
  s.state.revealed = false;
  s.state.scanning = true;
  s.state.show_groups = false;
  s.state.unassigned_cards.clear();
  s.state.status = origin + ": question " + std::to_string(position) + " open, scanning";
  fx.reset_tracker = true;
}

// Adds an unprepared question after the last one and opens it. Its row is written by the
// ask (LessonWrite::Kind::AskQuick), in line with every other write: a locked database or a
// full disk leaves it waiting like an answer, never ends the lesson.
void open_quick_question(LiveSession& s, TimeMs at, LiveEffects& fx, const std::string& origin) {
  Question q;
  q.text = quick_question_text(s.quick_count + 1);
  q.choices.assign(4, "");  // asked aloud: the letters are the choices (add_quick_question)
  q.position = static_cast<int>(s.set.questions.size()) + 1;  // as load_session_data numbers it
  s.set.questions.push_back(q);
  s.quick_numbers.push_back(++s.quick_count);
  s.state.count = static_cast<int>(s.set.questions.size());
  open_question(s, q.position, at, fx, origin);
  s.state.status = origin + ": quick question " + std::to_string(q.position) + " open (A-D), scanning";
}

bool is_quick(const LiveSession& s, int position) { return quick_number_at(s, position) > 0; }

void set_key(LiveSession& s, const LiveInput& in) {
  LiveState& st = s.state;
  if (!is_quick(s, st.position)) {
    st.status = in.origin + ": the right answer can be chosen only for a quick question";
    return;
  }
  Question& q = s.set.questions[static_cast<size_t>(st.position - 1)];
  std::optional<Answer> key;
  if (in.question > 0) key = static_cast<Answer>(in.question - 1);
  if (key && static_cast<size_t>(*key) >= q.choices.size()) {
    st.status = in.origin + ": there is no choice " + std::string(1, answer_letter(*key));
    return;
  }
  // Queued behind the question's own row and its answers (it may wait with them).
  LessonWrite w;
  w.kind = LessonWrite::Kind::SetQuickKey;
  w.quick_number = quick_number_at(s, st.position);
  w.key = key ? static_cast<int>(*key) : -1;
  write(s, std::move(w));
  q.correct = key;
  st.correct = key;
  st.status = in.origin + (key ? std::string(": right answer ") + answer_letter(*key) : ": no right answer (a poll)");
}

// Peer instruction on the spot: groups in which students who chose differently, and at least
// one who was right, discuss the current question before voting again.
void show_discussion_groups(LiveSession& s, const LiveInput& in) {
  LiveState& st = s.state;
  const auto asks = list_asks(*s.db, s.collector->session_id());
  if (st.position <= 0 || asks.empty()) {
    st.status = in.origin + ": no question is open";
    return;
  }
  try {
    const SessionData d = load_session_data(*s.db, s.collector->session_id());
    ChoiceGroupingRequest req;
    req.mode = GroupMode::Discuss;
    req.min_size = 2;
    req.max_size = 3;
    req.ask = asks.back().number;
    GroupsForView v = groups_for_view(suggest_choice_groups(std::span<const SessionData>(&d, 1), req));
    st.groups_title = v.title + " (question " + std::to_string(st.position) + ")";
    st.groups = std::move(v.groups);
    st.show_groups = true;
    st.status = in.origin + ": discussion groups for question " + std::to_string(st.position);
  } catch (const std::exception& e) {
    st.status = in.origin + ": " + e.what();
  }
}

}  // namespace

LiveEffects apply_input(LiveSession& s, const LiveInput& in, TimeMs at) {
  LiveEffects fx;
  LiveState& st = s.state;
  switch (in.action) {
    case LiveAction::QuickQuestion:
      open_quick_question(s, at, fx, in.origin);
      break;
    case LiveAction::SetKey:
      set_key(s, in);
      break;
    case LiveAction::Discuss:
      show_discussion_groups(s, in);
      break;
    case LiveAction::Next:
      if (st.position >= st.count && s.quick_only)
        open_quick_question(s, at, fx, in.origin);
      else if (st.position >= st.count)
        st.status = in.origin + ": that was the last question (K asks a quick question)";
      else
        open_question(s, st.position + 1, at, fx, in.origin);
      break;
    case LiveAction::Prev:
      if (st.position <= 1)
        st.status = in.origin + ": this is the first question";
      else
        open_question(s, st.position - 1, at, fx, in.origin);
      break;
    case LiveAction::Question:
      open_question(s, in.question, at, fx, in.origin);
      break;
    case LiveAction::Reveal:
      if (st.position <= 0) {
        st.status = in.origin + ": no question is open";
        break;
      }
      write(s, timed(LessonWrite::Kind::Close, at));
      st.scanning = false;
      st.revealed = true;
      st.show_groups = false;
      st.status = in.origin + ": answers revealed" +
                  (is_quick(s, st.position) ? std::string("; press 1-4 for the right answer (A-D), 0 for none") : "");
      fx.revealed = true;
      break;
    case LiveAction::ScanToggle:
      return apply_input(s, {st.scanning ? LiveAction::ScanStop : LiveAction::ScanStart, 0, in.origin}, at);
    case LiveAction::ScanStart:
      if (st.position <= 0 && s.set.questions.empty()) {
        open_quick_question(s, at, fx, in.origin);
      } else if (st.position <= 0) {
        open_question(s, 1, at, fx, in.origin);
      } else if (!st.scanning) {
        // Reopen the same ask: answers it has stay; new reads count again.
        write(s, timed(LessonWrite::Kind::ReopenLast, at));
        st.scanning = true;
        st.revealed = false;
        st.status = in.origin + ": scanning again";
      }
      break;
    case LiveAction::ScanStop:
      if (st.scanning) {
        write(s, timed(LessonWrite::Kind::Close, at));
        st.scanning = false;
        st.status = in.origin + ": scanning paused";
      }
      break;
    case LiveAction::Groups:
      st.show_groups = !st.show_groups;
      if (st.show_groups) {
        GroupsForView g;
        if (s.load_groups) g = s.load_groups();
        st.groups_title = g.title;
        st.groups = std::move(g.groups);
      }
      st.status = in.origin + (st.show_groups ? ": groups shown" : ": groups hidden");
      break;
    case LiveAction::HideNames:
      st.names_hidden = !st.names_hidden;
      st.status = in.origin + (st.names_hidden ? ": names hidden" : ": names shown");
      break;
    case LiveAction::Timer:
      if (s.timer_ends) {
        s.timer_ends.reset();
        st.timer_seconds_left.reset();
        st.status = in.origin + ": timer stopped";
      } else {
        s.timer_ends = at + s.timer_seconds * 1000LL;
        st.timer_seconds_left = s.timer_seconds;
        st.status = in.origin + ": timer started";
      }
      break;
    case LiveAction::Help:
      st.show_help = !st.show_help;
      break;
    case LiveAction::Fullscreen:
      fx.toggle_fullscreen = true;
      break;
    case LiveAction::Quit:
      fx.quit = true;
      break;
  }
  return fx;
}

namespace {

// What the views show after the collector's verdict on one read. A Pending read shows its
// answer marked "not yet saved"; its real verdict comes later (apply_committed).
void show_result(LiveSession& s, int card, Answer answer, const ReadResult& r) {
  if (r.outcome == ReadOutcome::Pending) {
    for (auto& e : s.state.roster)
      if (e.card == card) {
        e.answer = answer;
        e.pending = true;
      }
  } else if (r.stored() || r.outcome == ReadOutcome::Unchanged) {
    for (auto& e : s.state.roster)
      if (e.card == card) e.answer = e.saved = answer;
  } else if (r.outcome == ReadOutcome::Unassigned) {
    auto& u = s.state.unassigned_cards;
    if (std::find(u.begin(), u.end(), card) == u.end()) u.push_back(card);
  }
}

// The waiting writes a teacher would miss besides answers: "quick question 6, the right
// answer of question 6" ("" when none). Named by their place in the lesson, as the views
// number questions.
std::string unsaved_lesson_writes(const LiveSession& s) {
  std::string out;
  auto add = [&](const std::string& what) { out += (out.empty() ? "" : ", ") + what; };
  auto position = [&](int quick) {
    for (size_t i = 0; i < s.quick_numbers.size(); ++i)
      if (s.quick_numbers[i] == quick) return std::to_string(i + 1);
    return std::to_string(quick);
  };
  for (const LessonWrite& w : s.writes->waiting()) {
    if (w.kind == LessonWrite::Kind::SetQuickKey)
      add("the right answer of question " + position(w.quick_number));
    else if (w.kind == LessonWrite::Kind::AskQuick)
      add("quick question " + position(w.quick_number));
  }
  return out;
}

// Reads that got committed after waiting: their answers are saved now (when still of the
// open question); every answer no longer waiting shows its saved value.
void apply_committed(LiveSession& s, const std::vector<CommittedReads>& done) {
  for (const CommittedReads& c : done) {
    if (c.tag != s.question_epoch) continue;
    for (size_t i = 0; i < c.reads.size() && i < c.results.size(); ++i)
      show_result(s, c.reads[i].card, c.reads[i].answer, c.results[i]);
  }
  std::map<int, bool> waiting;
  if (s.writes)
    for (const LessonWrite& w : s.writes->waiting())
      if (w.kind == LessonWrite::Kind::Reads && w.tag == s.question_epoch)
        for (const auto& r : w.reads) waiting[r.card] = true;
  for (auto& e : s.state.roster) {
    e.pending = waiting.count(e.card) > 0;
    if (!e.pending) e.answer = e.saved;
  }
  s.state.unsaved_answers = s.writes ? s.writes->waiting_reads() : 0;
  s.state.unsaved_writes = s.writes ? unsaved_lesson_writes(s) : "";
  s.state.storage_problem = s.writes && !s.writes->empty() ? s.writes->problem() : "";
}

}  // namespace

ReadResult record_read(LiveSession& s, int card, Answer answer, TimeMs at) {
  const Collector::Read one{card, answer, at};
  return record_reads(s, std::span<const Collector::Read>(&one, 1)).front();
}

std::vector<ReadResult> record_reads(LiveSession& s, std::span<const Collector::Read> reads) {
  if (reads.empty()) return {};
  s.reads += static_cast<int64_t>(reads.size());
  LessonWrite w;
  w.kind = LessonWrite::Kind::Reads;
  w.reads.assign(reads.begin(), reads.end());
  w.tag = s.question_epoch;
  const uint64_t epoch = s.question_epoch;
  const std::vector<CommittedReads> done = s.writes->submit(std::move(w));
  // These reads' own verdicts when they were committed now; Pending when they wait.
  std::vector<ReadResult> results;
  if (!done.empty() && s.writes->empty() && done.back().tag == epoch && done.back().reads.size() == reads.size())
    results = done.back().results;
  if (results.empty()) {
    for (const auto& r : reads) {
      ReadResult p;
      p.card = r.card;
      p.answer = r.answer;
      p.outcome = ReadOutcome::Pending;
      results.push_back(p);
    }
    for (size_t i = 0; i < reads.size(); ++i) show_result(s, reads[i].card, reads[i].answer, results[i]);
  }
  apply_committed(s, done);
  return results;
}

bool retry_saves(LiveSession& s, TimeMs now, int every_ms) {
  if (!s.writes || s.writes->empty()) return false;
  if (now - s.last_save_try < every_ms) return false;
  s.last_save_try = now;
  const int before = s.writes->waiting_reads();
  const size_t writes_before = s.writes->waiting().size();
  // A retry must not freeze the windows while another program keeps the lock: wait only
  // briefly for it, then try again at the next interval.
  s.db->set_busy_timeout(kRetryLockWaitMs);
  std::vector<CommittedReads> done;
  try {
    done = s.writes->flush();
  } catch (...) {
    s.db->set_busy_timeout(s.lock_wait_ms);
    throw;
  }
  s.db->set_busy_timeout(s.lock_wait_ms);
  apply_committed(s, done);
  return s.writes->waiting_reads() != before || s.writes->waiting().size() != writes_before;
}

int unsaved_answers(const LiveSession& s) { return s.writes ? s.writes->waiting_reads() : 0; }

void tick(LiveSession& s, TimeMs now) {
  if (s.timer_ends)
    s.state.timer_seconds_left = static_cast<int>(std::max<TimeMs>(0, (*s.timer_ends - now + 999) / 1000));
}

std::string student_name_for_card(const LiveSession& s, int card) {
  for (const auto& e : s.state.roster)
    if (e.card == card) return e.name;
  return "";
}

void end_live_session(LiveSession& s, TimeMs at) {
  if (!s.collector || s.ended) return;
  s.ended = true;
  write(s, timed(LessonWrite::Kind::End, at));
}

}  // namespace cardpoll::lesson
