// The reliability targets of issue 16, measured on the live lesson controller
// (lesson/live_session.h: the code `cardpoll live` runs for every key and camera frame)
// with a real SQLite database on disk. docs/reliability.md has the results.
//
//   build/bench/bench_reliability                 all three (about 4 minutes)
//   build/bench/bench_reliability --lock 60       another connection holds the write lock 60 s
//   build/bench/bench_reliability --full 60       the disk is full for 60 s (fault VFS)
//   build/bench/bench_reliability --kills 100     kill -9 at 100 random moments, then resume
//   build/bench/bench_reliability --stall 20      the frame loop's longest stall with the store
//                                                 locked 20 s: commits on the live view's thread
//                                                 (as before the writer thread) against the
//                                                 write queue's writer thread (as cmd_live)
//
// A simulated class of 30 turns cards at camera pace (one frame every 33 ms, a few answers
// changing on each), a new question every 200 frames. For each run it reports: answers read,
// answers lost (the last read of a student in a question that is not the stored answer, or
// a change missing from the history), answers ever shown as saved before they were (checked
// every 10 frames from a second connection), whether the session ended normally, and the
// frame loop's longest stall: the time one frame's lesson work took (apply_input,
// record_reads, retry_saves; not the checks, not the 33 ms sleep), as cmd_live's loop would
// spend it between two frames.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "core/store/recovery_file.h"
#include "core/store/storage.h"
#include "lesson/live_session.h"
#include "display/view_model.h"
#include "tests/support/fault_vfs.h"

using namespace cardpoll;
using namespace cardpoll::lesson;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr int kStudents = 30;
constexpr int kQuestions = 40;

void make_class(const fs::path& file) {
  Database db(file);
  const auto k = create_class(db, "Bench");
  for (int i = 1; i <= kStudents; ++i) {
    Student s;
    s.class_id = k.id;
    s.display_name = "Student " + std::to_string(i);
    s.card = i;
    add_student(db, s);
  }
  const auto set = create_question_set(db, "Bench set");
  for (int i = 0; i < kQuestions; ++i) {
    Question q;
    q.text = "Q" + std::to_string(i + 1);
    q.choices = {"a", "b", "c", "d"};
    add_question(db, set.id, q);
  }
}

// What the simulated room showed: the last answer of each card in each question position.
using Expected = std::map<std::pair<int, int>, Answer>;  // (position, card) -> answer

struct RunResult {
  int64_t reads = 0, lost = 0, shown_before_saved = 0, max_waiting = 0;
  bool ended = false;
  double seconds = 0;
  double longest_stall_ms = 0;   // one frame's lesson work, the longest
  int64_t frames_over_50ms = 0;  // frames whose lesson work took more than 50 ms
  double normal_frame_ms = 0;    // the median frame's lesson work
};

// Answers shown as saved that the database does not hold (read on another connection).
int64_t shown_but_not_saved(const LiveSession& s, Database& reader) {
  if (s.state.position <= 0) return 0;
  const SessionData d = load_session_data(reader, s.collector->session_id());
  if (d.asks.empty()) return 0;
  // The newest stored ask of the open question.
  Id ask = 0;
  for (const auto& a : d.asks)
    if (a.number == static_cast<int>(d.asks.size())) ask = a.id;
  std::map<int, Answer> stored;
  std::map<Id, int> card;
  for (const auto& st : d.students) card[st.id] = st.card;
  for (const auto& r : d.responses)
    if (r.ask_id == ask) stored[card[r.student_id]] = r.answer;
  int64_t bad = 0;
  for (const auto& e : s.state.roster)
    if (e.answer && !e.pending && (!stored.count(e.card) || stored[e.card] != *e.answer)) ++bad;
  return bad;
}

int64_t count_lost(const fs::path& file, Id session, const Expected& expected) {
  Database db(file);
  const SessionData d = load_session_data(db, session);
  std::map<Id, int> position;
  for (const auto& q : d.set.questions) position[q.id] = q.position;
  std::map<Id, int> card;
  for (const auto& st : d.students) card[st.id] = st.card;
  std::map<std::pair<int, int>, Answer> stored;  // newest ask of each position wins
  std::map<Id, int> ask_position;
  for (const auto& a : d.asks) ask_position[a.id] = position[a.question_id];
  for (const auto& r : d.responses) stored[{ask_position[r.ask_id], card[r.student_id]}] = r.answer;
  int64_t lost = 0;
  for (const auto& [k, v] : expected)
    if (!stored.count(k) || stored[k] != v) ++lost;
  return lost;
}

// One lesson of `frames` frames; `fault(frame)` turns faults on and off.
// `writer`: commits on the write queue's writer thread, as cmd_live (false: on this thread).
template <typename Fault>
RunResult run_lesson(const fs::path& file, int frames, Fault fault, bool writer = true) {
  RunResult out;
  Database db(file);
  db.set_busy_timeout(250);  // as cmd_live
  Database reader(file);
  LiveSession s = start_live_session(db, "Bench", "Bench set", now_ms());
  if (writer) s.writes->start_writer();  // as cmd_live: the default options
  std::vector<double> work_ms;
  std::mt19937 rng(7);
  Expected expected;
  const auto start = Clock::now();
  for (int f = 0; f < frames; ++f) {
    fault(f);
    const auto frame_start = Clock::now();
    const TimeMs now = now_ms();
    if (f % 200 == 0 && s.state.position < kQuestions) apply_input(s, *input_for_key('n'), now);
    std::vector<Collector::Read> reads;
    for (int k = 0; k < 3; ++k) {
      const int card = 1 + static_cast<int>(rng() % kStudents);
      const Answer a = static_cast<Answer>(rng() % 4);
      reads.push_back({card, a, now});
      expected[{s.state.position, card}] = a;
    }
    // One read per card per frame, as the tracker gives: the last one of the frame counts.
    std::map<int, Collector::Read> one;
    for (const auto& r : reads) one[r.card] = r;
    reads.clear();
    for (const auto& [c, r] : one) reads.push_back(r);
    out.reads += static_cast<int64_t>(reads.size());
    record_reads(s, reads);
    retry_saves(s, now_ms());
    work_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - frame_start).count());
    out.max_waiting = std::max<int64_t>(out.max_waiting, unsaved_answers(s));
    if (f % 10 == 0) out.shown_before_saved += shown_but_not_saved(s, reader);
    std::this_thread::sleep_for(std::chrono::milliseconds(33));
  }
  end_live_session(s, now_ms());
  const auto until = Clock::now() + std::chrono::seconds(30);  // cmd_live's --save-wait
  while (!s.writes->empty() && Clock::now() < until) {
    retry_saves(s, now_ms(), 100);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  s.writes->stop_writer();
  retry_saves(s, now_ms(), 0);
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (double w : work_ms) {
    out.longest_stall_ms = std::max(out.longest_stall_ms, w);
    out.frames_over_50ms += w > 50;
  }
  std::sort(work_ms.begin(), work_ms.end());
  out.normal_frame_ms = work_ms.empty() ? 0 : work_ms[work_ms.size() / 2];
  out.ended = s.writes->empty() && find_session(reader, s.collector->session_id())->ended_at.has_value();
  out.lost = count_lost(file, s.collector->session_id(), expected);
  return out;
}

void print(const char* what, const RunResult& r) {
  std::printf("%-34s reads %6lld  lost %lld  shown-as-saved-early %lld  most waiting %lld  ended %s  (%.0f s)\n",
              what, static_cast<long long>(r.reads), static_cast<long long>(r.lost),
              static_cast<long long>(r.shown_before_saved), static_cast<long long>(r.max_waiting),
              r.ended ? "yes" : "NO", r.seconds);
  std::printf("%-34s frame loop: longest stall %.1f ms, %lld frames over 50 ms, median frame %.2f ms\n", "",
              r.longest_stall_ms, static_cast<long long>(r.frames_over_50ms), r.normal_frame_ms);
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("cardpoll-bench-reliability-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

bool measure_lock(int seconds, bool writer = true) {
  const fs::path dir = fresh_dir(writer ? "lock" : "lock-ui");
  const fs::path file = dir / "class.db";
  make_class(file);
  // Frames: 5 s before, the lock, 5 s after (33 ms each).
  const int before = 150, during = seconds * 30, frames = before + during + 150;
  std::thread holder;
  Database other(file);
  auto fault = [&](int f) {
    if (f == before) other.exec("BEGIN IMMEDIATE");  // a backup tool takes the write lock
    if (f == before + during) other.exec("COMMIT");
  };
  const RunResult r = run_lesson(file, frames, fault, writer);
  print(("write lock held " + std::to_string(seconds) + " s" + (writer ? "" : ", commits on the frame loop") + ":").c_str(), r);
  fs::remove_all(dir);
  return r.lost == 0 && r.shown_before_saved == 0 && r.ended;
}

bool measure_full(int seconds) {
  fault::install();
  fault::plan().clear();
  const fs::path dir = fresh_dir("full");
  const fs::path file = dir / "class.db";
  make_class(file);
  const int before = 150, during = seconds * 30, frames = before + during + 150;
  auto fault = [&](int f) {
    if (f == before) fault::plan().full = true;
    if (f == before + during) fault::plan().full = false;
  };
  const RunResult r = run_lesson(file, frames, fault);
  print(("disk full " + std::to_string(seconds) + " s:").c_str(), r);
  std::printf("%-34s %lld writes refused with SQLITE_FULL\n", "", static_cast<long long>(fault::plan().failed_writes.load()));
  fault::plan().clear();
  fs::remove_all(dir);
  return r.lost == 0 && r.shown_before_saved == 0 && r.ended;
}

// The child of the kill test: resumes the open session (or starts one), then streams reads,
// writing "position card answer at\n" to `fd` for each answer once it is saved.
[[noreturn]] void lesson_process(const fs::path& file, int fd, unsigned seed) {
  try {
    Database db(file);
    Id open = 0;
    for (const auto& s : list_sessions(db))
      if (!s.ended_at) open = s.id;
    LiveSession s = open ? resume_live_session(db, open, now_ms()) : start_live_session(db, "Bench", "Bench set", now_ms());
    // Commits on the writer thread, as cmd_live; submit() waits for each (no fault here, so
    // every answer is acknowledged at once and none may stay Pending).
    WriterOptions patient;
    patient.first_try_wait_ms = 600000;
    s.writes->start_writer(patient);
    std::mt19937 rng(seed);
    for (int f = 0;; ++f) {
      const TimeMs now = now_ms();
      if ((s.state.position == 0 || rng() % 100 == 0) && s.state.position < kQuestions)
        apply_input(s, *input_for_key('n'), now);
      const int card = 1 + static_cast<int>(rng() % kStudents);
      const Answer a = static_cast<Answer>(rng() % 4);
      const ReadResult r = record_read(s, card, a, now);
      if (r.stored()) {  // an answer stored (recorded or changed) and committed
        const std::string line = std::to_string(s.state.position) + " " + std::to_string(card) + " " +
                                 std::to_string(static_cast<int>(a)) + " " + std::to_string(now) + "\n";
        if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
      }
      if (r.outcome == ReadOutcome::Pending) _exit(6);  // no faults here: nothing may wait
      if (f % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lesson process: %s\n", e.what());
    _exit(5);
  }
}

bool measure_kills(int kills) {
  const fs::path dir = fresh_dir("kill");
  const fs::path file = dir / "class.db";
  make_class(file);
  std::mt19937 rng(42);
  std::set<std::tuple<int, int, int, int64_t>> acknowledged;  // position, card, answer, at
  int bad_children = 0;
  const auto start = Clock::now();
  for (int k = 0; k < kills; ++k) {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      lesson_process(file, fds[1], static_cast<unsigned>(k + 1));
    }
    ::close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 400));  // a random moment
    ::kill(pid, SIGKILL);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) ++bad_children;
    // Only whole lines: the kill may cut the last one.
    size_t pos = 0;
    for (size_t nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      int p = 0, c = 0, a = 0;
      long long at = 0;
      if (std::sscanf(text.c_str() + pos, "%d %d %d %lld", &p, &c, &a, &at) == 4) acknowledged.insert({p, c, a, at});
    }
  }
  // The last start resumes and ends the lesson normally.
  Database db(file);
  Id open = 0;
  int open_sessions = 0;
  for (const auto& s : list_sessions(db))
    if (!s.ended_at) {
      open = s.id;
      ++open_sessions;
    }
  bool ended = false;
  int sessions = static_cast<int>(list_sessions(db).size());
  if (open) {
    LiveSession s = resume_live_session(db, open, now_ms());
    end_live_session(s, now_ms());
    ended = s.writes->empty() && find_session(db, open)->ended_at.has_value();
  }
  // Every acknowledged answer must be in the history of its question.
  int64_t missing = 0;
  for (const auto& sess : list_sessions(db)) {
    const SessionData d = load_session_data(db, sess.id);
    std::map<Id, int> position, card;
    for (const auto& q : d.set.questions) position[q.id] = q.position;
    for (const auto& st : d.students) card[st.id] = st.card;
    std::map<Id, int> ask_position;
    for (const auto& a : d.asks) ask_position[a.id] = position[a.question_id];
    std::set<std::tuple<int, int, int, int64_t>> history;
    for (const auto& ch : d.changes) history.insert({ask_position[ch.ask_id], card[ch.student_id], static_cast<int>(ch.answer), ch.at});
    for (const auto& x : acknowledged)
      if (!history.count(x)) ++missing;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%-34s acknowledged %lld  missing %lld  sessions %d (open before the last start %d)  ended %s  "
              "children not killed %d  (%.0f s)\n",
              ("kill -9 at " + std::to_string(kills) + " moments + resume:").c_str(),
              static_cast<long long>(acknowledged.size()), static_cast<long long>(missing), sessions, open_sessions,
              ended ? "yes" : "NO", bad_children, secs);
  fs::remove_all(dir);
  return missing == 0 && ended && sessions == 1 && bad_children == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "usage: bench_reliability [--lock S] [--full S] [--kills N] [--stall S]\n"
                      "  none given: --lock 60 --full 60 --kills 100 (about 4 minutes)\n";
  int lock = 60, full = 60, kills = 100, stall = 0;
  bool only = false;
  // Every argument is looked at: a lone word (--help, or an option without its number) must
  // not fall through to the four-minute default run.
  for (int i = 1; i < argc; i += 2) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::printf("%s", usage);
      return 0;
    }
    char* end = nullptr;
    const long v = i + 1 < argc ? std::strtol(argv[i + 1], &end, 10) : -1;
    if (i + 1 >= argc || *end != '\0' || v < 0 || v > 100000) {
      std::fprintf(stderr, "bench_reliability: %s needs a whole number\n%s", argv[i], usage);
      return 2;
    }
    if (!only) lock = full = kills = stall = 0;
    only = true;
    if (!std::strcmp(argv[i], "--lock")) lock = static_cast<int>(v);
    else if (!std::strcmp(argv[i], "--full")) full = static_cast<int>(v);
    else if (!std::strcmp(argv[i], "--kills")) kills = static_cast<int>(v);
    else if (!std::strcmp(argv[i], "--stall")) stall = static_cast<int>(v);
    else {
      std::fprintf(stderr, "bench_reliability: unknown option %s\n%s", argv[i], usage);
      return 2;
    }
  }
  bool ok = true;
  if (lock > 0) ok &= measure_lock(lock);
  if (full > 0) ok &= measure_full(full);
  if (kills > 0) ok &= measure_kills(kills);
  if (stall > 0) {
    // The same locked lesson twice: commits and catching up on the frame loop's thread, then
    // on the writer thread. Both must lose nothing; the stalls are the figure.
    ok &= measure_lock(stall, false);
    ok &= measure_lock(stall, true);
  }
  std::printf("bench_reliability: %s\n", ok ? "every target met" : "TARGET MISSED");
  return ok ? 0 : 1;
}
