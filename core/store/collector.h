// The response collector: turns the scanner's stable reads (card number, answer, time) into
// students' answers to the open ask, durably.
//
// Rules (tests/core/test_collector.cpp checks each):
//   - only while an ask is open: reads with no open ask (before the first, after a close) are
//     ignored and counted, never stored;
//   - the card is looked up in the session's class at every read (so `class assign` during a
//     lesson takes effect at once); a card no student holds is counted per card and stored
//     in unassigned_reads ("card 37 is not assigned") but is nobody's answer;
//   - the latest stable answer wins: a different answer replaces the current one, and every
//     answer shown is also appended to response_changes, so nothing is ever overwritten;
//     the same answer again changes nothing; a read older than the stored answer is stale
//     and ignored (reads arrive in time order from the scanner, so this only guards replays);
//   - each accepted answer is COMMITTED (its own transaction, PRAGMA synchronous=FULL in WAL
//     mode by default) before record() returns: whatever the live view shows after the call
//     is on disk. See docs/data.md ("Durability") for why FULL and what it costs.
//
// Threads: a Collector uses its Database connection and must be called from one thread (the
// live view's). Other threads that want to read (exports, the projector's tallies) open their
// own Database on the same file: WAL lets them read while the collector writes.
#pragma once

#include <map>
#include <span>
#include <vector>
#include <optional>
#include <string>

#include "core/store/db.h"
#include "core/model.h"

namespace cardpoll {

enum class ReadOutcome {
  Recorded,    // the student's first answer to this ask: stored and committed
  Changed,     // a different answer than before: stored (the old one stays in the history)
  Unchanged,   // the same answer as stored: nothing to write
  Unassigned,  // no student of the class holds this card: counted, not an answer
  NoOpenAsk,   // no ask is open: ignored
  Stale,       // older than the stored answer: ignored
  Pending,     // not yet saved: the store refused the write for now (core/store/write_queue.h); it
               // waits in memory, in order, and gets its real verdict once committed
};
std::string_view read_outcome_name(ReadOutcome o);

struct ReadResult {
  ReadOutcome outcome = ReadOutcome::NoOpenAsk;
  int card = 0;
  Answer answer = Answer::A;
  Id student_id = 0;  // who answered (Recorded, Changed, Unchanged, Stale)
  int ask_number = 0; // the open ask's number, 0 when none
  // True when the answer is stored: Recorded or Changed.
  bool stored() const { return outcome == ReadOutcome::Recorded || outcome == ReadOutcome::Changed; }
};

struct CollectorCounts {
  int recorded = 0, changed = 0, unchanged = 0, unassigned = 0, ignored = 0, stale = 0;
  std::map<int, int> unassigned_by_card;  // card -> reads, this collector's lifetime
};

class Collector {
 public:
  // Collects for an existing, not ended session. An ask left open (cardpoll stopped in the
  // middle of a question) is open again. Throws when the session is missing or has ended.
  Collector(Database& db, Id session_id);

  Id session_id() const { return session_.id; }
  Database& db() const { return db_; }
  const Session& session() const { return session_; }
  // The open ask, if any.
  const std::optional<Ask>& open_ask() const { return open_; }

  // Asks `question_id` (a question of the session's set) as a new ask numbered after the
  // last one, closing the open ask first. The same question may be asked again this way.
  Ask ask_question(Id question_id, TimeMs at);
  // Asks the question at `position` (1-based) of the session's set.
  Ask ask_position(int position, TimeMs at);
  // Asks the question after the one asked last (the first one when none was): the "next"
  // button. Throws when the set has no more questions.
  Ask next_ask(TimeMs at);
  // Stops accepting answers for the open ask (does nothing when none is open).
  void close_ask(TimeMs at);
  // Opens a closed ask again to take more answers (closing the open one first). Answers it
  // already has are kept; reads that came while it was closed stay ignored.
  Ask reopen_ask(int number, TimeMs at);
  // Closes the open ask and ends the session; the collector accepts nothing afterwards.
  void end_session(TimeMs at);

  // One stable read from the scanner. Returns once any answer it stores is committed.
  ReadResult record(int card, Answer answer, TimeMs at);

  // Several reads at once (all the stable reads of one camera frame), in order, in ONE
  // transaction: one disk flush instead of one per answer, so a whole class turning cards
  // together costs one commit. Same rules as record(), and likewise returns only once every
  // answer it stores is committed. If the commit fails nothing of the batch is stored and it
  // throws (counts are then not updated).
  struct Read {
    int card = 0;
    Answer answer = Answer::A;
    TimeMs at = 0;
  };
  std::vector<ReadResult> record_all(std::span<const Read> reads);

  const CollectorCounts& counts() const { return counts_; }

 private:
  Ask open_new(Id question_id, TimeMs at);
  // The rules of record() inside the caller's transaction; counts go to `counts`.
  ReadResult record_in_transaction(int card, Answer answer, TimeMs at, CollectorCounts& counts);
  void after_commit(int stored);

  Database& db_;
  Session session_;
  std::optional<Ask> open_;
  CollectorCounts counts_;
  int stored_since_checkpoint_ = 0;
  static constexpr int64_t kWalLimitBytes = 4 << 20;  // as PRAGMA journal_size_limit
  // Prepared once: record() runs for every stable read of a lesson.
  Statement find_card_;
  Statement find_response_;
  Statement upsert_response_;
  Statement add_change_;
  Statement count_unassigned_;
};

// "card 37 is not assigned" style message for one read, for the live view and the CLI.
std::string describe(const ReadResult& r);

}  // namespace cardpoll
