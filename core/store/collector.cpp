#include "core/store/collector.h"

#include "core/store/quick_questions.h"
#include "core/store/storage.h"

namespace cardpoll {

std::string_view read_outcome_name(ReadOutcome o) {
  switch (o) {
    case ReadOutcome::Recorded: return "recorded";
    case ReadOutcome::Changed: return "changed";
    case ReadOutcome::Unchanged: return "unchanged";
    case ReadOutcome::Unassigned: return "unassigned";
    case ReadOutcome::NoOpenAsk: return "no open ask";
    case ReadOutcome::Stale: return "stale";
    case ReadOutcome::Pending: return "not yet saved";
  }
  return "?";
}

std::string describe(const ReadResult& r) {
  const std::string card = "card " + std::to_string(r.card);
  const std::string ans(1, answer_letter(r.answer));
  switch (r.outcome) {
    case ReadOutcome::Recorded: return card + ": " + ans + " recorded for ask " + std::to_string(r.ask_number);
    case ReadOutcome::Changed: return card + ": changed to " + ans + " for ask " + std::to_string(r.ask_number);
    case ReadOutcome::Unchanged: return card + ": still " + ans;
    case ReadOutcome::Unassigned: return card + " is not assigned";
    case ReadOutcome::NoOpenAsk: return card + ": ignored, no question is open";
    case ReadOutcome::Stale: return card + ": ignored, older than the answer already stored";
    case ReadOutcome::Pending: return card + ": " + ans + " NOT YET SAVED (waiting for the database)";
  }
  return card;
}

namespace {
// Resets a statement when leaving a scope, so no read stays half-stepped (an unfinished
// SELECT would keep a read snapshot open and pin the WAL).
struct ResetOnExit {
  Statement& s;
  ~ResetOnExit() { s.reset(); }
};
}  // namespace

Collector::Collector(Database& db, Id session_id)
    : db_(db),
      find_card_(db, "SELECT id FROM students WHERE class_id = ? AND card = ? AND active = 1"),
      find_response_(db, "SELECT answer, last_changed FROM responses WHERE ask_id = ? AND student_id = ?"),
      upsert_response_(db,
                       "INSERT INTO responses (ask_id, student_id, answer, first_seen, last_changed) "
                       "VALUES (?1, ?2, ?3, ?4, ?4) "
                       "ON CONFLICT (ask_id, student_id) DO UPDATE SET "
                       "answer = excluded.answer, last_changed = excluded.last_changed"),
      add_change_(db, "INSERT INTO response_changes (ask_id, student_id, answer, at) VALUES (?, ?, ?, ?)"),
      count_unassigned_(db,
                        "INSERT INTO unassigned_reads (session_id, card, count, first_seen, last_seen) "
                        "VALUES (?1, ?2, 1, ?3, ?3) "
                        "ON CONFLICT (session_id, card) DO UPDATE SET "
                        "count = count + 1, last_seen = max(last_seen, excluded.last_seen)") {
  const auto x = find_session(db, session_id);
  if (!x) throw std::runtime_error("no session " + std::to_string(session_id));
  if (x->ended_at) throw std::runtime_error("session " + std::to_string(session_id) + " has ended");
  session_ = *x;
  for (const Ask& a : list_asks(db, session_id))
    if (!a.closed_at) open_ = a;
}

Ask Collector::open_new(Id question_id, TimeMs at) {
  const auto q = find_question(db_, question_id);
  // A quick question (core/store/quick_questions.h) lives in the session's quick set.
  if (!q || (q->set_id != session_.set_id && !is_quick_set_of(db_, session_.id, q->set_id)))
    throw std::runtime_error("question " + std::to_string(question_id) +
                             " is not in this session's question set");
  Transaction tx(db_);
  if (open_) {
    Statement c(db_, "UPDATE asks SET closed_at = ? WHERE id = ?");
    c.bind(1, at).bind(2, open_->id).run();
  }
  Statement n(db_, "SELECT coalesce(max(number), 0) + 1 FROM asks WHERE session_id = ?");
  n.bind(1, session_.id);
  n.step();
  Ask a;
  a.session_id = session_.id;
  a.question_id = question_id;
  a.number = n.column_int(0);
  a.opened_at = at;
  n.reset();
  Statement ins(db_, "INSERT INTO asks (session_id, question_id, number, opened_at) VALUES (?, ?, ?, ?)");
  ins.bind(1, a.session_id).bind(2, a.question_id).bind(3, a.number).bind(4, a.opened_at).run();
  a.id = db_.last_insert_id();
  tx.commit();
  open_ = a;
  return a;
}

Ask Collector::ask_question(Id question_id, TimeMs at) { return open_new(question_id, at); }

Ask Collector::ask_position(int position, TimeMs at) {
  const auto set = find_question_set(db_, session_.set_id);
  for (const auto& q : set->questions)
    if (q.position == position) return open_new(q.id, at);
  throw std::runtime_error("question set \"" + set->name + "\" has no question " +
                           std::to_string(position) + " (it has " +
                           std::to_string(set->questions.size()) + ")");
}

Ask Collector::next_ask(TimeMs at) {
  const auto asks = list_asks(db_, session_.id);
  int next = 1;
  if (!asks.empty()) {
    const auto last = find_question(db_, asks.back().question_id);
    next = last ? last->position + 1 : 1;
  }
  return ask_position(next, at);
}

void Collector::close_ask(TimeMs at) {
  if (!open_) return;
  Statement c(db_, "UPDATE asks SET closed_at = ? WHERE id = ?");
  c.bind(1, at).bind(2, open_->id).run();
  open_.reset();
}

Ask Collector::reopen_ask(int number, TimeMs at) {
  auto a = find_ask(db_, session_.id, number);
  if (!a) throw std::runtime_error("session " + std::to_string(session_.id) + " has no ask " + std::to_string(number));
  if (open_ && open_->id == a->id) return *open_;
  Transaction tx(db_);
  if (open_) {
    Statement c(db_, "UPDATE asks SET closed_at = ? WHERE id = ?");
    c.bind(1, at).bind(2, open_->id).run();
  }
  Statement r(db_, "UPDATE asks SET closed_at = NULL WHERE id = ?");
  r.bind(1, a->id).run();
  tx.commit();
  a->closed_at.reset();
  open_ = a;
  return *a;
}

void Collector::end_session(TimeMs at) {
  cardpoll::end_session(db_, session_.id, at);  // closes the open ask in the same transaction
  open_.reset();
  session_.ended_at = at;
}

ReadResult Collector::record(int card, Answer answer, TimeMs at) {
  const Read one{card, answer, at};
  return record_all(std::span<const Read>(&one, 1)).front();
}

std::vector<ReadResult> Collector::record_all(std::span<const Read> reads) {
  std::vector<ReadResult> out;
  out.reserve(reads.size());
  if (!open_ || session_.ended_at) {
    for (const Read& x : reads) {
      ReadResult r;
      r.card = x.card;
      r.answer = x.answer;
      r.outcome = ReadOutcome::NoOpenAsk;
      ++counts_.ignored;
      out.push_back(r);
    }
    return out;
  }
  // BEGIN IMMEDIATE: the look-ups and the writes see one state of the roster and answers even
  // if another cardpoll process writes the same database. Counts are updated only after the
  // commit, so they never count an answer that is not on disk.
  CollectorCounts counts = counts_;
  Transaction tx(db_);
  int stored = 0, written = 0;
  for (const Read& x : reads) {
    out.push_back(record_in_transaction(x.card, x.answer, x.at, counts));
    stored += out.back().stored();
    written += out.back().stored() || out.back().outcome == ReadOutcome::Unassigned;
  }
  if (written > 0) tx.commit();  // on disk (synchronous=FULL) before anyone is told
  counts_ = std::move(counts);
  after_commit(stored);
  return out;
}

void Collector::after_commit(int stored) {
  // Every 64 stored answers, keep the WAL bounded even if a reader never lets go of it
  // (see Database::checkpoint_wal_if_larger; measured in bench/bench_responses.cpp).
  stored_since_checkpoint_ += stored;
  if (stored_since_checkpoint_ >= 64) {
    stored_since_checkpoint_ = 0;
    db_.checkpoint_wal_if_larger(kWalLimitBytes, 50);
  }
}

ReadResult Collector::record_in_transaction(int card, Answer answer, TimeMs at, CollectorCounts& counts) {
  ReadResult r;
  r.card = card;
  r.answer = answer;
  r.ask_number = open_->number;
  find_card_.bind(1, session_.class_id).bind(2, card);
  {
    ResetOnExit guard{find_card_};
    if (find_card_.step()) r.student_id = find_card_.column_int64(0);
  }
  if (r.student_id == 0) {
    count_unassigned_.bind(1, session_.id).bind(2, card).bind(3, at).run();
    r.outcome = ReadOutcome::Unassigned;
    ++counts.unassigned;
    ++counts.unassigned_by_card[card];
    return r;
  }
  find_response_.bind(1, open_->id).bind(2, r.student_id);
  std::optional<Answer> current;
  TimeMs last_changed = 0;
  {
    ResetOnExit guard{find_response_};
    if (find_response_.step()) {
      current = static_cast<Answer>(find_response_.column_int(0));
      last_changed = find_response_.column_int64(1);
    }
  }
  if (current && *current == answer) {
    r.outcome = ReadOutcome::Unchanged;
    ++counts.unchanged;
    return r;
  }
  if (current && at < last_changed) {
    r.outcome = ReadOutcome::Stale;
    ++counts.stale;
    return r;
  }
  upsert_response_.bind(1, open_->id).bind(2, r.student_id).bind(3, static_cast<int>(answer)).bind(4, at).run();
  add_change_.bind(1, open_->id).bind(2, r.student_id).bind(3, static_cast<int>(answer)).bind(4, at).run();
  r.outcome = current ? ReadOutcome::Changed : ReadOutcome::Recorded;
  ++(current ? counts.changed : counts.recorded);
  return r;
}

}  // namespace cardpoll
