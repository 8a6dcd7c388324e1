// A camera that comes back: wraps any FrameSource so that a camera that disappears
// (unplugged, stream dropped) or stalls (no frame for 2 s) is reported as lost, reopened
// with backoff (0.25, 0.5, 1, 2, 2, ... s) and resumes as soon as it delivers again. The
// wrapper only ever talks to the source: whatever the caller keeps (session, answers,
// tracker) is untouched by an outage. Files and folders are passed through: when they end
// they end (never retried).
//
//   auto monitor = std::make_shared<ConnectionMonitor>();
//   FrameSource cam = open_resilient_source("0", {}, monitor);
//   Pipeline p(std::move(cam), {.max_failures_in_a_row = 1 << 30});  // the wrapper retries
//   ... if (monitor->snapshot().state == ConnectionState::Lost) show "camera lost - reconnecting"
//
// While lost, read() waits at most ResilienceOptions::wait_slice_ms and returns Failed with
// a message in words ("camera 0 lost (no frame for 2.0 s); retrying in 0.5 s"), so a
// caller's loop stays responsive and can stop at any time. Time stamps and frame numbers
// continue across reconnections (a reopened camera starts its own clock at 0 again).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "scanner/frame_source.h"

namespace cardpoll {

// Time for the wrapper: real (steady clock) in use, a fake in tests so stalls and backoff
// are exact and instant.
struct SourceClock {
  std::function<int64_t()> now_ms;
  std::function<void(int64_t ms)> sleep_ms;
};
SourceClock steady_source_clock();

struct ResilienceOptions {
  int64_t stall_ms = 2000;                            // no frame this long: lost
  std::vector<int64_t> backoff_ms = {250, 500, 1000, 2000};  // then the last one repeats
  int failures_before_lost = 5;  // failed reads in a row (without a frame) that mean lost
                                 // even before stall_ms (an unplugged camera fails at once)
  int64_t wait_slice_ms = 100;   // longest a read() sleeps while waiting for the next retry
};

enum class ConnectionState { Live, Lost, Ended };

// What happened, for the status line and for measuring reconnection.
struct ConnectionReport {
  ConnectionState state = ConnectionState::Live;
  int losses = 0;                  // times the source was lost
  int reconnects = 0;              // times it came back (a frame after a loss)
  int reopen_attempts = 0;         // reopen calls, successful or not
  int64_t lost_at_ms = -1;         // clock time of the current/last loss
  int64_t last_outage_ms = 0;      // loss -> first frame again, the last outage
  int64_t longest_outage_ms = 0;
  int64_t frames = 0;              // frames delivered
  std::string last_problem;        // the inner source's or the reopen's last message
  std::vector<std::string> events; // "12.3 s: camera 0 lost (...)", "14.1 s: camera 0 back
                                   // after 1.8 s" (the last 50)
};

// The report as the wrapper updates it (from whatever thread calls read) and a UI thread
// reads it: always through snapshot().
struct ConnectionMonitor {
  ConnectionReport snapshot() const {
    std::lock_guard lock(mutex);
    return report;
  }
  mutable std::mutex mutex;
  ConnectionReport report;
};

// `reopen` makes a fresh inner source (it may throw: that attempt failed, the next one
// follows the backoff). The inner source given first is used until it fails.
FrameSource resilient_source(FrameSource inner, std::function<FrameSource()> reopen,
                             ResilienceOptions options = {}, SourceClock clock = steady_source_clock(),
                             std::shared_ptr<ConnectionMonitor> monitor = nullptr);

// The usual case: open `spec` (throws like open_source when it cannot be opened the first
// time) and wrap it when it is live (camera, stream); files come back unwrapped.
FrameSource open_resilient_source(const std::string& spec, const SourceOptions& source_options = {},
                                  std::shared_ptr<ConnectionMonitor> monitor = nullptr,
                                  ResilienceOptions options = {});

}  // namespace cardpoll
