#include "core/store/write_queue.h"

#include <sqlite3.h>

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
  }
  return {};
}

int WriteQueue::waiting_reads() const {
  int n = 0;
  for (const auto& w : waiting_) n += static_cast<int>(w.reads.size());
  return n;
}

std::vector<CommittedReads> WriteQueue::submit(LessonWrite w) {
  const bool was_waiting = !waiting_.empty();
  waiting_.push_back(std::move(w));
  // Behind writes that wait: in line, tried by the caller's next flush(), so a lesson in
  // trouble does not pay a lock wait for every camera frame.
  if (was_waiting) return {};
  return flush();
}

std::vector<CommittedReads> WriteQueue::flush() {
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
  std::vector<ReadResult> results = apply_lesson_write(collector_, w);
  std::vector<CommittedReads> out;
  if (w.kind == LessonWrite::Kind::Reads) out.push_back({w.tag, std::move(w.reads), std::move(results)});
  waiting_.pop_front();
  return out;
}

}  // namespace cardpoll
