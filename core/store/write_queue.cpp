#include "core/store/write_queue.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "core/store/quick_questions.h"
#include "core/store/storage.h"

namespace cardpoll {

bool is_transient_storage_error(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

std::string storage_problem_words(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "the database is locked by another program";
    case SQLITE_FULL: return "the disk is full";
    case SQLITE_IOERR: return "the disk reported an error";
    case SQLITE_READONLY: return "the database cannot be written";
    case SQLITE_CANTOPEN: return "the database file cannot be opened";
    default: return std::string("storage error: ") + sqlite3_errstr(code);
  }
}

std::vector<ReadResult> apply_lesson_write(Collector& c, const LessonWrite& w) {
  switch (w.kind) {
    case LessonWrite::Kind::Ask: c.ask_question(w.question_id, w.at); return {};
    case LessonWrite::Kind::Close: c.close_ask(w.at); return {};
    case LessonWrite::Kind::ReopenLast: {
      const auto asks = list_asks(c.db(), c.session_id());
      if (!asks.empty()) c.reopen_ask(asks.back().number, w.at);
      return {};
    }
    case LessonWrite::Kind::Reads: return c.record_all(w.reads);
    case LessonWrite::Kind::End:
      if (!c.session().ended_at) c.end_session(w.at);
      return {};
    case LessonWrite::Kind::AskQuick: {
      // Two commits, each idempotent: a retry after the second was refused finds the question.
      const Question q = ensure_quick_question(c.db(), c.session_id(), w.quick_number, w.at);
      c.ask_question(q.id, w.at);
      return {};
    }
    case LessonWrite::Kind::SetQuickKey:
      set_quick_key_by_number(c.db(), c.session_id(), w.quick_number,
                              w.key < 0 ? std::nullopt : std::optional<Answer>(static_cast<Answer>(w.key)));
      return {};
  }
  return {};
}

// The writer thread and what it shares with the caller's thread. Everything below `m` is
// guarded by it; `db` and `collector` are used by the thread only while it runs (and by the
// caller's thread after stop_writer joined it).
struct WriteQueue::Writer {
  // One write's fate, in the order written: committed (with its verdicts) or refused by an
  // error a retry cannot cure.
  struct Outcome {
    std::vector<ReadResult> results;
    std::exception_ptr error;
  };

  WriterOptions options;
  Database db;
  std::unique_ptr<Collector> collector;
  std::thread thread;

  std::mutex m;
  std::condition_variable cv;
  std::deque<LessonWrite> todo;   // handed over, not yet committed
  std::deque<Outcome> done;       // committed (or refused for good), not yet collected
  std::string problem;
  int problem_code = 0;
  int64_t failed_tries = 0;
  bool stop = false;
  bool running = false;

  void run();
  // One try of the oldest write; false when a transient failure left it first in line.
  bool try_front(std::unique_lock<std::mutex>& lock);
};

bool WriteQueue::Writer::try_front(std::unique_lock<std::mutex>& lock) {
  const LessonWrite w = todo.front();  // a copy: the caller's thread appends meanwhile
  lock.unlock();
  Outcome out;
  try {
    out.results = apply_lesson_write(*collector, w);
  } catch (const DbError& e) {
    if (is_transient_storage_error(e.sqlite_code())) {
      lock.lock();
      problem = storage_problem_words(e.sqlite_code()) + " (" + e.what() + ")";
      problem_code = e.sqlite_code();
      ++failed_tries;
      cv.notify_all();
      return false;
    }
    out.error = std::current_exception();
  } catch (...) {
    out.error = std::current_exception();
  }
  lock.lock();
  todo.pop_front();
  done.push_back(std::move(out));
  if (todo.empty()) {
    problem.clear();
    problem_code = 0;
  }
  cv.notify_all();
  return true;
}

void WriteQueue::Writer::run() {
  std::unique_lock<std::mutex> lock(m);
  while (true) {
    cv.wait(lock, [&] { return stop || !todo.empty(); });
    if (stop) break;
    if (try_front(lock)) continue;
    // A lock was already waited for (lock_wait_ms, inside SQLite): try again at once. A full
    // disk or an I/O error fails at once: wait a little between tries.
    if ((problem_code & 0xff) != SQLITE_BUSY && (problem_code & 0xff) != SQLITE_LOCKED)
      cv.wait_for(lock, std::chrono::milliseconds(options.retry_every_ms), [&] { return stop; });
  }
  running = false;
}

WriteQueue::WriteQueue(Collector& collector) : collector_(collector) {}

WriteQueue::~WriteQueue() { stop_writer(); }

void WriteQueue::start_writer(const WriterOptions& options) {
  if (writer_) return;
  auto w = std::make_unique<Writer>();
  w->options = options;
  OpenOptions o;
  o.create = false;
  o.migrate = false;  // the caller's connection opened (and migrated) it
  o.busy_timeout_ms = options.lock_wait_ms;
  w->db = Database(collector_.db().path(), o);
  w->collector = std::make_unique<Collector>(w->db, collector_.session_id());
  w->todo.assign(waiting_.begin(), waiting_.end());
  w->running = true;
  Writer* raw = w.get();
  w->thread = std::thread([raw] { raw->run(); });
  writer_ = std::move(w);
}

void WriteQueue::stop_writer() {
  if (!writer_ || !writer_->thread.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(writer_->m);
    writer_->stop = true;
  }
  writer_->cv.notify_all();
  writer_->thread.join();
  // What it committed goes out with the next flush(); waiting() is now exactly what was not.
  // (A write refused for good is dropped here, as flush() drops it.)
  for (;;) {
    try {
      undelivered_ = collect();
      return;
    } catch (...) {
      // collect() kept what came before the refused write in undelivered_; go on after it.
    }
  }
}

bool WriteQueue::has_writer() const { return writer_ && writer_->thread.joinable() && !writer_->stop; }

int WriteQueue::waiting_reads() const {
  int n = 0;
  for (const auto& w : waiting_) n += static_cast<int>(w.reads.size());
  return n;
}

std::vector<CommittedReads> WriteQueue::submit(LessonWrite w) {
  if (has_writer()) return submit_to_writer(std::move(w));
  const bool was_waiting = !waiting_.empty();
  waiting_.push_back(std::move(w));
  // Behind writes that wait: in line, tried by the caller's next flush(), so a lesson in
  // trouble does not pay a lock wait for every camera frame.
  if (was_waiting) return {};
  return flush();
}

std::vector<CommittedReads> WriteQueue::submit_to_writer(LessonWrite w) {
  Writer& wr = *writer_;
  const bool was_waiting = !waiting_.empty();
  waiting_.push_back(w);
  {
    std::unique_lock<std::mutex> lock(wr.m);
    const int64_t failed_before = wr.failed_tries;
    wr.todo.push_back(std::move(w));
    wr.cv.notify_all();
    // Nothing was waiting: a normal commit takes milliseconds, and the caller gets its
    // verdicts now. A first try that fails, or one that takes too long, leaves it Pending.
    if (!was_waiting)
      wr.cv.wait_for(lock, std::chrono::milliseconds(wr.options.first_try_wait_ms),
                     [&] { return !wr.done.empty() || wr.failed_tries != failed_before || !wr.running; });
  }
  return collect();
}

std::vector<CommittedReads> WriteQueue::collect() {
  Writer& wr = *writer_;
  std::deque<Writer::Outcome> outcomes;
  {
    std::lock_guard<std::mutex> lock(wr.m);
    outcomes.swap(wr.done);
    problem_ = wr.problem;
    problem_code_ = wr.problem_code;
    failed_tries_ = wr.failed_tries;
  }
  std::vector<CommittedReads> done = std::move(undelivered_);
  undelivered_.clear();
  while (!outcomes.empty()) {
    Writer::Outcome o = std::move(outcomes.front());
    outcomes.pop_front();
    LessonWrite& w = waiting_.front();
    if (o.error) {
      waiting_.pop_front();
      // Those after it stay to be collected; those before it go out with the next call.
      {
        std::lock_guard<std::mutex> lock(wr.m);
        for (auto it = outcomes.rbegin(); it != outcomes.rend(); ++it) wr.done.push_front(std::move(*it));
      }
      undelivered_ = std::move(done);
      std::rethrow_exception(o.error);
    }
    if (w.kind == LessonWrite::Kind::Reads) done.push_back({w.tag, std::move(w.reads), std::move(o.results)});
    waiting_.pop_front();
  }
  if (waiting_.empty()) {
    problem_.clear();
    problem_code_ = 0;
  }
  return done;
}

std::vector<CommittedReads> WriteQueue::flush() {
  if (has_writer()) return collect();
  // No writer (or a stopped one): tried here, after what the writer left to hand out.
  std::vector<CommittedReads> done = std::move(undelivered_);
  undelivered_.clear();
  try {
    for (auto& c : flush_here()) done.push_back(std::move(c));
  } catch (...) {
    undelivered_ = std::move(done);
    throw;
  }
  return done;
}

std::vector<CommittedReads> WriteQueue::flush_here() {
  std::vector<CommittedReads> done;
  while (!waiting_.empty()) {
    try {
      for (auto& c : apply_front()) done.push_back(std::move(c));
    } catch (const DbError& e) {
      if (!is_transient_storage_error(e.sqlite_code())) {
        waiting_.pop_front();
        throw;
      }
      problem_ = storage_problem_words(e.sqlite_code()) + " (" + e.what() + ")";
      problem_code_ = e.sqlite_code();
      ++failed_tries_;
      return done;  // the write stays first in line; everything behind it waits too
    } catch (...) {
      waiting_.pop_front();
      throw;
    }
  }
  problem_.clear();
  problem_code_ = 0;
  return done;
}

std::vector<CommittedReads> WriteQueue::apply_front() {
  LessonWrite& w = waiting_.front();
  // After stop_writer the writer's collector holds the lesson's state: it goes on with it.
  Collector& c = writer_ ? *writer_->collector : collector_;
  std::vector<ReadResult> results = apply_lesson_write(c, w);
  std::vector<CommittedReads> out;
  if (w.kind == LessonWrite::Kind::Reads) out.push_back({w.tag, std::move(w.reads), std::move(results)});
  waiting_.pop_front();
  return out;
}

}  // namespace cardpoll
