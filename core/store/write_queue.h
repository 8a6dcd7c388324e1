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
//
// Threads: by default every try runs on the caller's thread (tests, the CLI). A live lesson
// calls start_writer(): from then on a writer thread of the queue's own applies every write,
// on its own connection to the database file with its own Collector of the session, so a
// lock held for minutes, a disk that is full or the thousands of commits waiting when the
// store accepts writes again never stall the frame loop. submit() then waits at most
// first_try_wait_ms for its write (a normal commit: the caller gets the verdicts at once,
// as before); flush() only collects what the writer committed, in order. Every member
// function is still called from ONE thread (the live view's); the writer is internal.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
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
//
// A quick question (core/store/quick_questions.h) is named by its number in the session
// (1 = the first quick question), not by its id: the id exists only once the question is
// committed, and the writes that follow it (its answers, its right answer) wait in line
// behind it. AskQuick adds the question when the session does not have it yet, then asks
// it; both steps are idempotent, so a retry after a refused commit never adds it twice.
struct LessonWrite {
  enum class Kind { Ask, Close, ReopenLast, Reads, End, AskQuick, SetQuickKey };
  Kind kind = Kind::Reads;
  Id question_id = 0;                // Ask
  int quick_number = 0;              // AskQuick, SetQuickKey
  int key = -1;                      // SetQuickKey: the right answer 0-3, -1 for none (a poll)
  TimeMs at = 0;                     // Ask, AskQuick, Close, ReopenLast, End
  std::vector<Collector::Read> reads;  // Reads: one camera frame's stable reads
  uint64_t tag = 0;                  // the caller's label, handed back when it commits
};

// A Reads write that was committed, with the collector's verdict on each read.
struct CommittedReads {
  uint64_t tag = 0;
  std::vector<Collector::Read> reads;
  std::vector<ReadResult> results;
};

// How the writer thread (WriteQueue::start_writer) waits.
struct WriterOptions {
  // submit() with nothing waiting waits this long for its write's first try; longer (a
  // lock, a slow disk) and the caller goes on with the reads Pending, shown "not yet saved".
  int first_try_wait_ms = 100;
  // The writer's connection waits this long for another program's lock per try (it blocks
  // nobody: the live view has its own connection).
  int lock_wait_ms = 250;
  // After a failure that is not a lock (a full disk, an I/O error), the next try is this
  // much later.
  int retry_every_ms = 100;
};

class WriteQueue {
 public:
  explicit WriteQueue(Collector& collector);
  ~WriteQueue();  // stops the writer thread (see stop_writer)
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Starts the writer thread: every write from now on (and any waiting) is applied by it,
  // on a second connection to collector.db().path() (a file; not ":memory:"), through a
  // Collector of the same session. The caller's collector is not written to afterwards.
  // Throws DbError when the file cannot be opened.
  void start_writer(const WriterOptions& options = {});
  // Stops the writer after the try in progress; what it committed is handed out by the
  // next flush(), so waiting() afterwards is exactly what was never committed (what a
  // recovery file must hold). Writes submitted later are tried on the caller's thread.
  void stop_writer();
  bool has_writer() const;

  // Queues `w`. When nothing was waiting it is tried at once (flush()); behind waiting
  // writes it only takes its place in line (the caller retries with flush()). With the
  // writer thread: handed to it, waiting at most first_try_wait_ms when nothing waited.
  std::vector<CommittedReads> submit(LessonWrite w);
  // Applies the waiting writes from the oldest, each in its own transaction, until one is
  // refused by a transient failure (it stays first in line) or none is left. With the
  // writer thread: returns, in order, what it committed since the last call (it retries by
  // itself); never blocks on the database.
  std::vector<CommittedReads> flush();

  bool empty() const { return waiting_.empty(); }
  // Reads (answers to be) waiting, over all waiting writes.
  int waiting_reads() const;
  // Not yet reported committed, oldest first (with the writer thread: a write it committed
  // is here until flush() or submit() hands it out, so nothing is shown saved early).
  const std::deque<LessonWrite>& waiting() const { return waiting_; }
  // Why the last try failed ("" after a try that emptied the queue), and its SQLite code.
  const std::string& problem() const { return problem_; }
  int problem_code() const { return problem_code_; }
  int64_t failed_tries() const { return failed_tries_; }

 private:
  struct Writer;
  std::vector<CommittedReads> apply_front();
  std::vector<CommittedReads> flush_here();
  std::vector<CommittedReads> collect();
  std::vector<CommittedReads> submit_to_writer(LessonWrite w);

  Collector& collector_;
  std::unique_ptr<Writer> writer_;
  std::vector<CommittedReads> undelivered_;  // collected before an error was rethrown
  std::deque<LessonWrite> waiting_;
  std::string problem_;
  int problem_code_ = 0;
  int64_t failed_tries_ = 0;
};

// Applies one write to the collector (its own transaction). Throws what the collector throws.
std::vector<ReadResult> apply_lesson_write(Collector& collector, const LessonWrite& w);

}  // namespace cardpoll
