#include "scanner/pipeline.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace cardpoll {

namespace {
using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct CapturedFrame {
  Frame frame;
  Clock::time_point captured;
};

struct DoneFrame {
  CapturedFrame in;
  std::vector<CardRead> reads;
  double detect_ms = 0;
};
}  // namespace

struct Pipeline::State {
  FrameSource source;
  PipelineOptions options;
  bool newest_only = false;

  mutable std::mutex mutex;
  std::condition_variable slot_cv;     // capture <-> workers: the newest-frame slot
  std::condition_variable results_cv;  // workers -> consumers: something to poll
  // Everything below is guarded by `mutex`.
  std::optional<CapturedFrame> slot;   // the frame waiting for a worker
  bool stopping = false;
  bool source_done = false;            // the capture thread has finished
  int in_flight = 0;                   // frames taken by workers, not yet released
  int64_t next_dispatch = 0;           // sequence number of the next frame a worker takes
  int64_t next_release = 0;            // the next sequence number to hand out (in order)
  std::map<int64_t, DoneFrame> done;   // finished out of order, waiting for earlier ones
  Tracker tracker;
  std::deque<FrameResult> frames;
  std::vector<StableRead> stable;
  std::vector<std::string> problems;
  PipelineStats stats;
  std::deque<Clock::time_point> recent;  // release times, for the recent fps
  std::optional<Clock::time_point> first_release;
  double latency_sum = 0, detect_sum = 0;

  std::thread capture;
  std::vector<std::thread> workers;
  bool joined = false;

  bool finished_locked() const {
    return source_done && !slot && in_flight == 0 && done.empty();
  }

  void capture_loop();
  void worker_loop();
  void release_in_order();  // with mutex held
  PipelineOutput take();    // with mutex held
};

void Pipeline::State::capture_loop() {
  int failures = 0;
  const Clock::time_point start = Clock::now();
  int64_t delivered = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex);
      if (stopping) break;
    }
    CapturedFrame c;
    SourceRead r;
    try {
      r = source.read(c.frame);
    } catch (const std::exception& e) {  // a wrapper's read must not take the thread down
      r = {SourceStatus::Failed, source.name + ": " + e.what()};
    }
    if (r.status == SourceStatus::Ended) {
      if (!r.message.empty()) {
        std::lock_guard lock(mutex);
        problems.push_back(r.message);
      }
      break;
    }
    if (r.status == SourceStatus::Failed) {
      std::unique_lock lock(mutex);
      ++stats.failed_reads;
      problems.push_back(r.message.empty() ? source.name + ": read failed" : r.message);
      if (++failures >= options.max_failures_in_a_row) {
        problems.push_back(source.name + ": giving up after " + std::to_string(failures) +
                           " failed reads in a row");
        break;
      }
      if (source.live) {  // a camera that lost its frame: do not spin on it
        slot_cv.wait_for(lock, std::chrono::milliseconds(10), [&] { return stopping; });
      }
      continue;
    }
    failures = 0;
    if (options.pace_fps > 0) {  // replaying a file at camera speed
      const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(delivered / options.pace_fps));
      std::unique_lock lock(mutex);
      slot_cv.wait_until(lock, due, [&] { return stopping; });
      if (stopping) break;
    }
    ++delivered;
    c.captured = Clock::now();
    std::unique_lock lock(mutex);
    if (!newest_only) slot_cv.wait(lock, [&] { return stopping || !slot; });
    if (stopping) break;
    ++stats.captured;
    if (slot) ++stats.dropped;  // a worker never got to it: newer is better
    slot = std::move(c);
    slot_cv.notify_all();
  }
  std::lock_guard lock(mutex);
  source_done = true;
  slot_cv.notify_all();
  results_cv.notify_all();
}

void Pipeline::State::worker_loop() {
  for (;;) {
    CapturedFrame c;
    int64_t seq = 0;
    {
      std::unique_lock lock(mutex);
      slot_cv.wait(lock, [&] { return stopping || slot || source_done; });
      if (stopping || !slot) return;  // stopped, or the source ended and the slot is empty
      c = std::move(*slot);
      slot.reset();
      seq = next_dispatch++;
      ++in_flight;
      slot_cv.notify_all();  // capture may put the next frame in
    }
    DoneFrame d;
    const Clock::time_point t0 = Clock::now();
    std::string problem;
    try {
      d.reads = options.detect ? options.detect(c.frame.gray)
                               : read_cards(c.frame.gray, options.detect_params);
    } catch (const std::exception& e) {
      problem = c.frame.source + " frame " + std::to_string(c.frame.index) +
                ": detector failed: " + e.what();
    }
    d.detect_ms = ms_between(t0, Clock::now());
    for (CardRead& r : d.reads) r.time_ms = c.frame.time_ms;
    d.in = std::move(c);
    std::lock_guard lock(mutex);
    if (!problem.empty()) problems.push_back(problem);
    done.emplace(seq, std::move(d));
    --in_flight;
    release_in_order();
    results_cv.notify_all();
  }
}

void Pipeline::State::release_in_order() {
  for (auto it = done.find(next_release); it != done.end(); it = done.find(next_release)) {
    DoneFrame d = std::move(it->second);
    done.erase(it);
    ++next_release;
    const Clock::time_point now = Clock::now();
    FrameResult r;
    r.index = d.in.frame.index;
    r.time_ms = d.in.frame.time_ms;
    r.source = std::move(d.in.frame.source);
    r.stable = track_frame(tracker, d.reads, r.time_ms);
    r.reads = std::move(d.reads);
    r.detect_ms = d.detect_ms;
    r.latency_ms = ms_between(d.in.captured, now);
    if (options.keep_images) {
      // Only the newest result holds its picture: a slow poller must not pile up frames.
      for (FrameResult& old : frames) old.image = cv::Mat();
      r.image = d.in.frame.colour.empty() ? d.in.frame.gray : d.in.frame.colour;
    }
    stable.insert(stable.end(), r.stable.begin(), r.stable.end());

    ++stats.processed;
    stats.conflicts = tracker.conflicts;
    latency_sum += r.latency_ms;
    detect_sum += r.detect_ms;
    stats.latency_ms = r.latency_ms;
    stats.max_latency_ms = std::max(stats.max_latency_ms, r.latency_ms);
    stats.mean_latency_ms = latency_sum / static_cast<double>(stats.processed);
    stats.mean_detect_ms = detect_sum / static_cast<double>(stats.processed);
    if (!first_release) first_release = now;
    recent.push_back(now);
    while (recent.size() > 2 && ms_between(recent.front(), now) > 2000) recent.pop_front();
    if (recent.size() >= 2) {
      const double span = ms_between(recent.front(), recent.back());
      if (span > 0) stats.fps = 1000.0 * static_cast<double>(recent.size() - 1) / span;
      const double total = ms_between(*first_release, now);
      if (total > 0) stats.mean_fps = 1000.0 * static_cast<double>(stats.processed - 1) / total;
    }

    frames.push_back(std::move(r));
    while (frames.size() > std::max<size_t>(1, options.max_queued_frames)) {
      frames.pop_front();
      ++stats.overflowed;
    }
  }
}

PipelineOutput Pipeline::State::take() {
  PipelineOutput out;
  out.frames.assign(std::make_move_iterator(frames.begin()), std::make_move_iterator(frames.end()));
  frames.clear();
  out.stable.swap(stable);
  out.problems.swap(problems);
  out.stats = stats;
  out.finished = finished_locked();
  return out;
}

Pipeline::Pipeline(FrameSource source, PipelineOptions options)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.source = std::move(source);
  s.options = std::move(options);
  // The deck's read rules (core/deck.h) can only make the tracker stricter.
  const Deck* deck = s.options.detect_params.deck;
  s.tracker.params = deck ? tracker_params_for(*deck, s.options.tracker) : s.options.tracker;
  s.newest_only = s.options.policy == FramePolicy::NewestOnly ||
                  (s.options.policy == FramePolicy::Auto && s.source.live);
  int n = s.options.workers;
  if (n <= 0) n = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 2);
  if (!s.source.read) {  // nothing to read from: finished at once, with the reason
    s.problems.push_back(s.source.name + ": not a readable source");
    s.source_done = true;
    s.joined = true;
    return;
  }
  s.capture = std::thread([&s] { s.capture_loop(); });
  for (int i = 0; i < n; ++i) s.workers.emplace_back([&s] { s.worker_loop(); });
}

Pipeline::~Pipeline() { stop(); }

void Pipeline::stop() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    if (s.joined) return;
    s.stopping = true;
    s.slot_cv.notify_all();
  }
  if (s.capture.joinable()) s.capture.join();
  for (std::thread& t : s.workers)
    if (t.joinable()) t.join();
  std::lock_guard lock(s.mutex);
  s.joined = true;
  // Frames finished out of order behind one a stopped worker never returned cannot be
  // released in order any more; a frame left in the slot was never read. Both count as
  // dropped, so captured == processed + dropped always holds once stopped.
  s.stats.dropped += static_cast<int64_t>(s.done.size()) + (s.slot ? 1 : 0);
  s.done.clear();
  s.slot.reset();
  s.in_flight = 0;
  s.source_done = true;
  s.results_cv.notify_all();
}

PipelineOutput Pipeline::poll() {
  std::lock_guard lock(state_->mutex);
  return state_->take();
}

PipelineOutput Pipeline::wait(int timeout_ms) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  s.results_cv.wait_for(lock, std::chrono::milliseconds(std::max(0, timeout_ms)), [&] {
    return !s.frames.empty() || !s.stable.empty() || !s.problems.empty() || s.finished_locked();
  });
  return s.take();
}

void Pipeline::reset_tracker() {
  std::lock_guard lock(state_->mutex);
  cardpoll::reset_tracker(state_->tracker);
}

PipelineStats Pipeline::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

const FrameSource& Pipeline::source() const { return state_->source; }

}  // namespace cardpoll
