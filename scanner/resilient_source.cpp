#include "scanner/resilient_source.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace cardpoll {

SourceClock steady_source_clock() {
  return {[] {
            return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now().time_since_epoch())
                                            .count());
          },
          [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }};
}

namespace {

std::string seconds(int64_t ms) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f s", double(ms) / 1000);
  return b;
}

// The wrapper's own state, shared by the read closure (FrameSource is copyable).
struct Resilient {
  enum class Phase { Live, Waiting, Reconnecting, Ended };

  FrameSource inner;
  bool has_inner = true;
  std::function<FrameSource()> reopen;
  ResilienceOptions opt;
  SourceClock clock;
  std::shared_ptr<ConnectionMonitor> monitor;
  std::string name;

  Phase phase = Phase::Live;
  int64_t start_ms = 0;
  int64_t last_frame_ms = 0;   // clock time of the last frame (or of the last (re)open)
  int fails_in_row = 0;
  size_t backoff_index = 0;
  int64_t next_attempt_ms = 0;
  int64_t time_offset_ms = 0;  // added to the inner source's frame times
  int64_t last_time_out = -1;
  int64_t next_index = 0;

  void note(int64_t now, const std::string& what) {
    auto& ev = monitor->report.events;
    ev.push_back(seconds(now - start_ms) + ": " + what);
    if (ev.size() > 50) ev.erase(ev.begin());
  }

  int64_t backoff() const { return opt.backoff_ms[std::min(backoff_index, opt.backoff_ms.size() - 1)]; }

  // The source stopped delivering: drop it (a V4L2 device must be closed before it can be
  // opened again) and plan the next attempt.
  SourceRead lose(int64_t now, const std::string& why) {
    std::lock_guard lock(monitor->mutex);
    auto& r = monitor->report;
    if (phase == Phase::Live) {
      ++r.losses;
      r.lost_at_ms = now;
      r.state = ConnectionState::Lost;
      backoff_index = 0;
      note(now, name + " lost (" + why + ")");
    } else if (backoff_index + 1 < opt.backoff_ms.size()) {
      ++backoff_index;
    }
    r.last_problem = why;
    inner = FrameSource{};
    has_inner = false;
    phase = Phase::Waiting;
    next_attempt_ms = now + backoff();
    return {SourceStatus::Failed, name + " lost (" + why + "); retrying in " + seconds(backoff())};
  }

  SourceRead read(Frame& f) {
    if (phase == Phase::Ended) return {SourceStatus::Ended, {}};
    if (!inner.live && has_inner) return pass_through(f);
    if (phase == Phase::Waiting) {
      int64_t now = clock.now_ms();
      if (now < next_attempt_ms) {
        clock.sleep_ms(std::min(opt.wait_slice_ms, next_attempt_ms - now));
        now = clock.now_ms();
      }
      if (now < next_attempt_ms)
        return {SourceStatus::Failed,
                name + " lost; retrying in " + seconds(next_attempt_ms - now)};
      if (SourceRead r = attempt_reopen(); r.status != SourceStatus::Frame) return r;
    }
    return read_live(f);
  }

  // Files and folders: their end is the end; their failures are theirs to report.
  SourceRead pass_through(Frame& f) {
    SourceRead r = inner.read(f);
    std::lock_guard lock(monitor->mutex);
    if (r.status == SourceStatus::Ended) {
      phase = Phase::Ended;
      monitor->report.state = ConnectionState::Ended;
    } else if (r.status == SourceStatus::Frame) {
      ++monitor->report.frames;
    } else {
      monitor->report.last_problem = r.message;
    }
    return r;
  }

  // Returns Frame (meaning "go on and read") when a new inner source is open.
  SourceRead attempt_reopen() {
    {
      std::lock_guard lock(monitor->mutex);
      ++monitor->report.reopen_attempts;
    }
    try {
      FrameSource fresh = reopen();
      if (!fresh.read) throw std::runtime_error("the reopened source cannot be read");
      inner = std::move(fresh);
      has_inner = true;
    } catch (const std::exception& e) {
      return lose(clock.now_ms(), std::string("reopen failed: ") + e.what());
    }
    const int64_t t = clock.now_ms();
    phase = Phase::Reconnecting;
    last_frame_ms = t;  // the stall clock starts at the reopen
    fails_in_row = 0;
    time_offset_ms = std::max(last_time_out + 1, t - start_ms);
    return {SourceStatus::Frame, {}};
  }

  SourceRead read_live(Frame& f) {
    SourceRead r;
    try {
      r = inner.read(f);
    } catch (const std::exception& e) {
      r = {SourceStatus::Failed, name + ": " + e.what()};
    }
    const int64_t now = clock.now_ms();
    if (r.status == SourceStatus::Frame) {
      std::lock_guard lock(monitor->mutex);
      auto& rep = monitor->report;
      const int64_t gap = now - last_frame_ms;
      if (phase != Phase::Live) {
        ++rep.reconnects;
        rep.last_outage_ms = now - rep.lost_at_ms;
        rep.longest_outage_ms = std::max(rep.longest_outage_ms, rep.last_outage_ms);
        rep.state = ConnectionState::Live;
        note(now, name + " back after " + seconds(rep.last_outage_ms));
      } else if (gap > opt.stall_ms) {
        // A read that blocked past the stall limit and then delivered: an outage that
        // healed itself. Counted, so the teacher's report shows the camera is unreliable.
        ++rep.losses;
        ++rep.reconnects;
        rep.lost_at_ms = last_frame_ms;
        rep.last_outage_ms = gap;
        rep.longest_outage_ms = std::max(rep.longest_outage_ms, gap);
        note(now, name + " stalled for " + seconds(gap) + ", then resumed");
      }
      phase = Phase::Live;
      backoff_index = 0;
      fails_in_row = 0;
      last_frame_ms = now;
      ++rep.frames;
      f.time_ms = std::max(last_time_out + 1, time_offset_ms + f.time_ms);
      last_time_out = f.time_ms;
      f.index = next_index++;
      return r;
    }
    ++fails_in_row;
    std::string why = r.message.empty() ? (r.status == SourceStatus::Ended ? "the stream ended"
                                                                            : "no frame")
                                        : r.message;
    if (r.status == SourceStatus::Ended) return lose(now, why);
    if (now - last_frame_ms >= opt.stall_ms)
      return lose(now, "no frame for " + seconds(now - last_frame_ms));
    if (fails_in_row >= opt.failures_before_lost)
      return lose(now, std::to_string(fails_in_row) + " failed reads in a row: " + why);
    {
      std::lock_guard lock(monitor->mutex);
      monitor->report.last_problem = why;
    }
    return {SourceStatus::Failed, why};
  }
};

}  // namespace

FrameSource resilient_source(FrameSource inner, std::function<FrameSource()> reopen,
                             ResilienceOptions options, SourceClock clock,
                             std::shared_ptr<ConnectionMonitor> monitor) {
  if (!inner.read) throw std::invalid_argument("resilient_source: the source cannot be read");
  if (options.backoff_ms.empty()) options.backoff_ms = {250};
  if (!clock.now_ms || !clock.sleep_ms) clock = steady_source_clock();
  auto st = std::make_shared<Resilient>();
  FrameSource out = inner;  // the description (name, kind, size, granted mode ...)
  st->inner = std::move(inner);
  st->reopen = std::move(reopen);
  st->opt = options;
  st->clock = std::move(clock);
  st->monitor = monitor ? std::move(monitor) : std::make_shared<ConnectionMonitor>();
  st->name = out.name.empty() ? out.spec : out.name;
  st->start_ms = st->clock.now_ms();
  st->last_frame_ms = st->start_ms;
  out.read = [st](Frame& f) { return st->read(f); };
  return out;
}

FrameSource open_resilient_source(const std::string& spec, const SourceOptions& source_options,
                                  std::shared_ptr<ConnectionMonitor> monitor, ResilienceOptions options) {
  // OpenCV's V4L2 reader waits up to 10 s for a frame from a stalled camera (read once per
  // process, at the first capture), during which nothing can be done from the reading
  // thread. Bring it down to the stall limit so a stall is noticed on time; a value the user
  // set in the environment wins.
  const std::string stall_s = std::to_string(std::max<int64_t>(1, (options.stall_ms + 999) / 1000));
  ::setenv("OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT", stall_s.c_str(), 0);
  FrameSource first = open_source(spec, source_options);
  if (!first.live) return first;
  return resilient_source(
      std::move(first), [spec, source_options] { return open_source(spec, source_options); },
      std::move(options), steady_source_clock(), std::move(monitor));
}

}  // namespace cardpoll
