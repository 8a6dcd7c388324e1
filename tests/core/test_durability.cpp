// Durability and concurrency of the collector:
//  - a writer PROCESS streams answers through the collector and reports each one after
//    record() returns; it is SIGKILLed in the middle of the stream; every answer it reported
//    must be in the reopened database (three rounds, each continuing the same session);
//  - a reader thread and a writer thread on their own connections at once: no SQLITE_BUSY
//    reaches either of them, and the reader always sees a consistent, growing session.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/store/collector.h"
#include "core/store/storage.h"
#include "test_db_util.h"

using namespace cardpoll;
using cardpoll::testing_store::TempDir;

namespace {

constexpr int kStudents = 30;

// A class of 30 with cards 1..30 and a set of one question, and an open session.
Id make_lesson(const std::filesystem::path& file) {
  Database db(file);
  const auto k = create_class(db, "Period 3");
  for (int i = 1; i <= kStudents; ++i) {
    Student s;
    s.class_id = k.id;
    s.display_name = "Student " + std::to_string(i);
    s.card = i;
    add_student(db, s);
  }
  const auto set = create_question_set(db, "One");
  Question q;
  q.text = "Pick one";
  q.choices = {"a", "b", "c", "d"};
  add_question(db, set.id, q);
  const auto session = start_session(db, k.id, set.id, 1000);
  Collector c(db, session.id);
  c.next_ask(1000);
  return session.id;
}

// Read i of the stream: card cycles through the class, the answer turns each time the
// same card comes round again, so every read is a change that must be stored.
int card_of(int64_t i) { return static_cast<int>(i % kStudents) + 1; }
Answer answer_of(int64_t i) { return static_cast<Answer>((i / kStudents) % 4); }

// The child: streams reads from `first` on, writing "i\n" to `fd` after each is committed.
[[noreturn]] void writer_process(const std::filesystem::path& file, Id session_id, int64_t first, int fd) {
  try {
    Database db(file);  // its own connection, opened after fork
    Collector c(db, session_id);
    for (int64_t i = first;; ++i) {
      const auto r = c.record(card_of(i), answer_of(i), 1'000'000 + i);
      if (!r.stored()) _exit(3);
      const std::string line = std::to_string(i) + "\n";
      if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
    }
  } catch (...) {
    _exit(5);
  }
}

}  // namespace

TEST(Durability, EveryAcknowledgedAnswerSurvivesSigkill) {
  TempDir t;
  const auto file = t / "class.db";
  const Id session_id = make_lesson(file);
  std::set<int64_t> acknowledged;
  int64_t next = 0;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      writer_process(file, session_id, next, fds[1]);
    }
    ::close(fds[1]);
    // Wait for a varying number of acknowledgements, then kill the writer mid-stream.
    const size_t want = 60 + 45 * static_cast<size_t>(round);
    std::string buffer;
    size_t seen = 0;
    char chunk[256];
    while (seen < want) {
      const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      ASSERT_GT(n, 0) << "writer ended early";
      buffer.append(chunk, static_cast<size_t>(n));
      seen = static_cast<size_t>(std::count(buffer.begin(), buffer.end(), '\n'));
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
    // Whatever it wrote to the pipe before dying was acknowledged too.
    for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;) buffer.append(chunk, static_cast<size_t>(n));
    ::close(fds[0]);
    size_t pos = 0;
    while (true) {
      const size_t end = buffer.find('\n', pos);
      if (end == std::string::npos) break;  // a torn last line was never a full acknowledgement
      acknowledged.insert(std::stoll(buffer.substr(pos, end - pos)));
      pos = end + 1;
    }

    // Reopen like cardpoll would after a crash and look for every acknowledged answer.
    Database db(file);
    const SessionData d = load_session_data(db, session_id);
    std::set<int64_t> stored;
    for (const auto& c : d.changes) stored.insert(c.at - 1'000'000);
    for (int64_t i : acknowledged) {
      ASSERT_TRUE(stored.count(i)) << "acknowledged read " << i << " is missing after round " << round;
    }
    // The current answer of each student is their latest stored change, never older.
    for (const auto& r : d.responses) {
      int64_t latest = -1;
      for (const auto& c : d.changes)
        if (c.student_id == r.student_id) latest = std::max(latest, c.at - 1'000'000);
      EXPECT_EQ(r.last_changed - 1'000'000, latest);
      EXPECT_EQ(r.answer, answer_of(latest));
    }
    next = stored.empty() ? 0 : *stored.rbegin() + 1;
    // A restart continues the stream where the database says it stopped.
    next = ((next + kStudents - 1) / kStudents) * kStudents + kStudents;
  }
  EXPECT_GE(acknowledged.size(), 60u + 105u + 150u);
}

TEST(Durability, ReaderAndWriterThreadsAtOnce) {
  TempDir t;
  const auto file = t / "class.db";
  const Id session_id = make_lesson(file);
  constexpr int kWrites = 300;
  std::atomic<bool> writer_done{false};
  std::string writer_error, reader_error;
  size_t reader_passes = 0;

  std::thread writer([&] {
    try {
      Database db(file);
      Collector c(db, session_id);
      for (int i = 0; i < kWrites; ++i)
        if (!c.record(card_of(i), answer_of(i), 2'000'000 + i).stored()) writer_error = "read not stored";
    } catch (const std::exception& e) {
      writer_error = e.what();
    }
    writer_done = true;
  });
  std::thread reader([&] {
    try {
      Database db(file);
      size_t last_changes = 0;
      while (!writer_done || reader_passes < 3) {
        const SessionData d = load_session_data(db, session_id);
        // One consistent snapshot: as many current answers as students who changed, and the
        // history only grows.
        std::set<Id> changed;
        for (const auto& c : d.changes) changed.insert(c.student_id);
        if (changed.size() != d.responses.size()) reader_error = "inconsistent snapshot";
        if (d.changes.size() < last_changes) reader_error = "history shrank";
        last_changes = d.changes.size();
        ++reader_passes;
      }
    } catch (const std::exception& e) {
      reader_error = e.what();
    }
  });
  writer.join();
  reader.join();
  EXPECT_EQ(writer_error, "");
  EXPECT_EQ(reader_error, "");
  EXPECT_GE(reader_passes, 3u);
  Database db(file);
  EXPECT_EQ(load_session_data(db, session_id).changes.size(), static_cast<size_t>(kWrites));
}
