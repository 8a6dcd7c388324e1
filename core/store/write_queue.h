// Riding out storage faults: the lesson's writes (asks opened and closed, answers read) in
// the order they happened, applied to the collector as soon as the database accepts them.
//
// A backup or database browser holding the write lock for minutes, a full disk, an I/O error:
// the collector's transaction fails and rolls back as a whole (nothing half-written), the
// operation waits here in memory, and every later one waits BEHIND it, so answers are
// committed in the order they were read. flush() tries again from the oldest; each
// operation that commits is reported once, with the collector's verdicts, so the live view
// marks an answer saved only when it is (never before). What cannot be saved before the
// lesson ends goes to a recovery file (core/store/recovery_file.h) that the next start imports.
//
// Errors that a retry cannot cure (a question that is not in the set, a bug) are not
// waited on: flush() drops that operation and rethrows.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "core/store/collector.h"

namespace cardpoll {

// True for SQLite failures that may pass by themselves: busy or locked (another connection
// holds the lock), a full disk, an I/O error, a read-only or unopenable file (a USB stick
// pulled out and put back).
bool is_transient_storage_error(int sqlite_code);
// "the database is locked by another program", "the disk is full", ... for teachers.
std::string storage_problem_words(int sqlite_code);

// One write of the lesson, in the order it happened.
struct LessonWrite {
  enum class Kind { Ask, Close, ReopenLast, Reads, End };
  Kind kind = Kind::Reads;
  Id question_id = 0;                // Ask
  TimeMs at = 0;                     // Ask, Close, ReopenLast, End
  std::vector<Collector::Read> reads;  // Reads: one camera frame's stable reads
  uint64_t tag = 0;                  // the caller's label, handed back when it commits
};

// A Reads write that was committed, with the collector's verdict on each read.
struct CommittedReads {
  uint64_t tag = 0;
  std::vector<Collector::Read> reads;
  std::vector<ReadResult> results;
};

class WriteQueue {
 public:
  explicit WriteQueue(Collector& collector) : collector_(collector) {}

  // Queues `w`. When nothing was waiting it is tried at once (flush()); behind waiting
  // writes it only takes its place in line (the caller retries with flush()).
  std::vector<CommittedReads> submit(LessonWrite w);
  // Applies the waiting writes from the oldest, each in its own transaction, until one is
  // refused by a transient failure (it stays first in line) or none is left.
  std::vector<CommittedReads> flush();

  bool empty() const { return waiting_.empty(); }
  // Reads (answers to be) waiting, over all waiting writes.
  int waiting_reads() const;
  const std::deque<LessonWrite>& waiting() const { return waiting_; }
  // Why the last try failed ("" after a try that emptied the queue), and its SQLite code.
  const std::string& problem() const { return problem_; }
  int problem_code() const { return problem_code_; }
  int64_t failed_tries() const { return failed_tries_; }

 private:
  std::vector<CommittedReads> apply_front();

  Collector& collector_;
  std::deque<LessonWrite> waiting_;
  std::string problem_;
  int problem_code_ = 0;
  int64_t failed_tries_ = 0;
};

// Applies one write to the collector (its own transaction). Throws what the collector throws.
std::vector<ReadResult> apply_lesson_write(Collector& collector, const LessonWrite& w);

}  // namespace cardpoll
