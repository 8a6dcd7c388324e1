// The reconnecting wrapper against a fault-injecting fake camera on a fake clock: outages,
// stalls and backoff are exact, and the tests take no real time.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "scanner/resilient_source.h"

using namespace cardpoll;

namespace {

// A camera in a world with a fake clock. The device is unplugged during `outages` ([from,
// to) in ms) and sends nothing (reads time out) during `stalls`. A source opened before an
// unplug stays dead afterwards, as a real V4L2 handle does.
struct World {
  int64_t now = 0;
  std::vector<std::pair<int64_t, int64_t>> outages, stalls;
  int64_t frame_ms = 33;      // a read that gets a frame waits for it
  int64_t timeout_ms = 100;   // a read on a stalled device gives up after this
  int64_t open_ms = 60;       // opening the device
  int64_t block_once_at = -1, block_ms = 0;  // one read that blocks (a hung driver)
  int opens = 0;
  std::vector<int64_t> open_times;

  bool in(const std::vector<std::pair<int64_t, int64_t>>& spans, int64_t t) const {
    for (auto [a, b] : spans)
      if (t >= a && t < b) return true;
    return false;
  }
  int unplugs_before(int64_t t) const {
    int n = 0;
    for (auto [a, b] : outages) n += a <= t;
    return n;
  }
  SourceClock clock() {
    return {[this] { return now; }, [this](int64_t ms) { now += ms; }};
  }
};

FrameSource fake_camera(World& w) {
  FrameSource s;
  s.spec = "0";
  s.name = "camera 0";
  s.kind = SourceKind::Camera;
  s.live = true;
  const int generation = w.unplugs_before(w.now);
  const int64_t opened = w.now;
  auto n = std::make_shared<int64_t>(0);
  s.read = [&w, generation, opened, n](Frame& f) -> SourceRead {
    if (w.block_once_at >= 0 && w.now >= w.block_once_at) {
      w.block_once_at = -1;
      w.now += w.block_ms;
    }
    if (w.in(w.outages, w.now) || w.unplugs_before(w.now) != generation) {
      w.now += 5;
      return {SourceStatus::Failed, "camera 0: no frame from the camera (unplugged or stalled?)"};
    }
    if (w.in(w.stalls, w.now)) {
      w.now += w.timeout_ms;
      return {SourceStatus::Failed, "camera 0: select() timeout"};
    }
    w.now += w.frame_ms;
    f.gray = cv::Mat(4, 4, CV_8UC1, cv::Scalar(0));
    f.time_ms = w.now - opened;
    f.index = (*n)++;
    return {SourceStatus::Frame, {}};
  };
  return s;
}

std::function<FrameSource()> reopener(World& w) {
  return [&w] {
    w.now += w.open_ms;
    ++w.opens;
    w.open_times.push_back(w.now);
    if (w.in(w.outages, w.now)) throw std::runtime_error("camera 0: cannot open the camera");
    return fake_camera(w);
  };
}

struct Delivery {
  std::vector<int64_t> frame_clock;  // world time of each delivered frame
  std::vector<int64_t> frame_time;   // Frame::time_ms as delivered
  std::vector<int64_t> frame_index;
  int failed = 0;
  int64_t longest_read = 0;
};

Delivery run_until(World& w, FrameSource& src, int64_t until) {
  Delivery r;
  Frame f;
  while (w.now < until) {
    const int64_t t0 = w.now;
    const SourceRead s = src.read(f);
    r.longest_read = std::max(r.longest_read, w.now - t0);
    if (s.status == SourceStatus::Frame) {
      r.frame_clock.push_back(w.now);
      r.frame_time.push_back(f.time_ms);
      r.frame_index.push_back(f.index);
    } else if (s.status == SourceStatus::Failed) {
      ++r.failed;
      EXPECT_FALSE(s.message.empty());
    } else {
      break;
    }
  }
  return r;
}

int64_t first_frame_after(const Delivery& r, int64_t t) {
  for (int64_t c : r.frame_clock)
    if (c >= t) return c;
  return -1;
}

}  // namespace

TEST(ResilientSource, UnpluggedCameraIsLostRetriedWithBackoffAndResumesWithin3s) {
  World w;
  w.outages = {{1000, 6000}};
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource src = resilient_source(fake_camera(w), reopener(w), {}, w.clock(), mon);
  const Delivery r = run_until(w, src, 10000);
  const ConnectionReport rep = mon->snapshot();
  EXPECT_EQ(rep.state, ConnectionState::Live);
  EXPECT_EQ(rep.losses, 1);
  EXPECT_EQ(rep.reconnects, 1);
  // Lost quickly (five failed reads, 5 ms each), not after the 2 s stall limit.
  EXPECT_GE(rep.lost_at_ms, 1000);
  EXPECT_LT(rep.lost_at_ms, 1100);
  // Reopen attempts follow the backoff: 0.25, 0.5, 1, 2, 2 ... s after each failure.
  ASSERT_GE(w.open_times.size(), 5u);
  EXPECT_EQ(w.open_times[0] - w.open_ms, rep.lost_at_ms + 250);
  EXPECT_EQ(w.open_times[1] - w.open_times[0], 500 + w.open_ms);
  EXPECT_EQ(w.open_times[2] - w.open_times[1], 1000 + w.open_ms);
  EXPECT_EQ(w.open_times[3] - w.open_times[2], 2000 + w.open_ms);
  EXPECT_EQ(w.open_times[4] - w.open_times[3], 2000 + w.open_ms);
  // Back within 3 s of the camera coming back (at most one 2 s wait + open + a frame).
  const int64_t back = first_frame_after(r, 6000);
  ASSERT_GT(back, 0);
  std::printf("[reconnect] camera back at 6.000 s, first frame at %.3f s: %lld ms; outage %lld ms\n",
              back / 1000.0, static_cast<long long>(back - 6000),
              static_cast<long long>(rep.last_outage_ms));
  EXPECT_LE(back - 6000, 3000);
  // While lost, no read blocked the caller for long.
  EXPECT_LE(r.longest_read, 100 + w.open_ms + w.frame_ms);
  // Time and frame numbers go on across the reconnection, never backwards.
  for (size_t i = 1; i < r.frame_time.size(); ++i) {
    EXPECT_GT(r.frame_time[i], r.frame_time[i - 1]);
    EXPECT_EQ(r.frame_index[i], r.frame_index[i - 1] + 1);
  }
  // The frame time after the outage is on the wrapper's clock (not restarted at 0).
  size_t k = 0;
  while (r.frame_clock[k] < 6000) ++k;
  EXPECT_NEAR(double(r.frame_time[k]), double(back), 100);
  EXPECT_GE(rep.events.size(), 2u);
}

TEST(ResilientSource, StalledCameraIsLostAfterTheStallLimitAndReopened) {
  World w;
  w.stalls = {{1000, 4000}};
  ResilienceOptions o;
  o.failures_before_lost = 1000;  // only the 2 s stall limit applies
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource src = resilient_source(fake_camera(w), reopener(w), o, w.clock(), mon);
  const Delivery r = run_until(w, src, 8000);
  const ConnectionReport rep = mon->snapshot();
  EXPECT_EQ(rep.losses, 1);
  EXPECT_EQ(rep.reconnects, 1);
  // Last frame just before 1000; lost when 2 s passed without one.
  EXPECT_GE(rep.lost_at_ms, 2990);
  EXPECT_LE(rep.lost_at_ms, 3110);
  const int64_t back = first_frame_after(r, 4000);
  ASSERT_GT(back, 0);
  EXPECT_LE(back - 4000, 3000);
}

TEST(ResilientSource, AReadThatHangsPastTheStallLimitIsCountedAsAnOutage) {
  World w;
  w.block_once_at = 500;
  w.block_ms = 2500;
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource src = resilient_source(fake_camera(w), reopener(w), {}, w.clock(), mon);
  run_until(w, src, 4000);
  const ConnectionReport rep = mon->snapshot();
  EXPECT_EQ(rep.losses, 1);
  EXPECT_EQ(rep.reconnects, 1);
  EXPECT_GE(rep.last_outage_ms, 2500);
  EXPECT_EQ(w.opens, 0);  // it delivered again by itself: nothing to reopen
}

TEST(ResilientSource, AnOccasionalFailedReadIsPassedOnWithoutReopening) {
  World w;
  w.stalls = {{1000, 1050}, {2000, 2150}};  // one and two timed-out reads
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource src = resilient_source(fake_camera(w), reopener(w), {}, w.clock(), mon);
  const Delivery r = run_until(w, src, 3000);
  EXPECT_EQ(r.failed, 3);
  EXPECT_EQ(w.opens, 0);
  EXPECT_EQ(mon->snapshot().losses, 0);
}

TEST(ResilientSource, CameraThatNeverComesBackKeepsRetryingAtTheCap) {
  World w;
  w.outages = {{500, 1000000}};
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource src = resilient_source(fake_camera(w), reopener(w), {}, w.clock(), mon);
  const Delivery r = run_until(w, src, 60000);
  const ConnectionReport rep = mon->snapshot();
  EXPECT_EQ(rep.state, ConnectionState::Lost);
  EXPECT_EQ(rep.reconnects, 0);
  // 0.25 + 0.5 + 1 s, then every 2 s (+ open time) for the rest of the minute.
  EXPECT_NEAR(double(rep.reopen_attempts), 3 + (60000 - 500 - 1750) / 2060.0, 2);
  EXPECT_NE(rep.last_problem.find("cannot open"), std::string::npos) << rep.last_problem;
  EXPECT_GT(r.failed, 100);  // the caller kept hearing about it, ~10 times a second
}

TEST(ResilientSource, StreamThatEndsIsTreatedAsLostAndRetried) {
  World w;
  auto ended = std::make_shared<bool>(false);
  FrameSource first = fake_camera(w);
  first.kind = SourceKind::Stream;
  auto inner_read = first.read;
  first.read = [&w, inner_read, ended](Frame& f) -> SourceRead {
    if (w.now >= 700 && !*ended) {
      *ended = true;
      return {SourceStatus::Ended, {}};
    }
    return inner_read(f);
  };
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource src = resilient_source(first, reopener(w), {}, w.clock(), mon);
  const Delivery r = run_until(w, src, 2000);
  EXPECT_EQ(mon->snapshot().losses, 1);
  EXPECT_EQ(mon->snapshot().reconnects, 1);
  EXPECT_EQ(w.opens, 1);
  EXPECT_GT(first_frame_after(r, 1000), 0);
}

TEST(ResilientSource, FileThatEndsStopsCleanlyAndIsNeverRetried) {
  World w;
  auto mon = std::make_shared<ConnectionMonitor>();
  FrameSource file = memory_source({cv::Mat(4, 4, CV_8UC1), cv::Mat(4, 4, CV_8UC1)}, 30, false, "clip");
  int reopens = 0;
  FrameSource src = resilient_source(file, [&reopens]() -> FrameSource {
    ++reopens;
    throw std::runtime_error("must not reopen a file");
  }, {}, w.clock(), mon);
  Frame f;
  EXPECT_EQ(src.read(f).status, SourceStatus::Frame);
  EXPECT_EQ(src.read(f).status, SourceStatus::Frame);
  EXPECT_EQ(src.read(f).status, SourceStatus::Ended);
  EXPECT_EQ(src.read(f).status, SourceStatus::Ended);
  EXPECT_EQ(reopens, 0);
  EXPECT_EQ(mon->snapshot().state, ConnectionState::Ended);
  EXPECT_EQ(mon->snapshot().frames, 2);
}

TEST(ResilientSource, RefusesASourceThatCannotBeRead) {
  World w;
  EXPECT_THROW(resilient_source(FrameSource{}, reopener(w), {}, w.clock()), std::invalid_argument);
}

// The worst case over every moment the camera could come back (every 37 ms across several
// backoff cycles): how long until the first frame. This is the figure in docs/calibration.md.
TEST(ResilientSource, ReconnectTimeOverAllReturnMomentsStaysUnder3s) {
  int64_t worst = 0, total = 0, n = 0;
  for (int64_t back_at = 1500; back_at < 14000; back_at += 37) {
    World w;
    w.outages = {{1000, back_at}};
    FrameSource src = resilient_source(fake_camera(w), reopener(w), {}, w.clock());
    const Delivery r = run_until(w, src, back_at + 5000);
    const int64_t first = first_frame_after(r, back_at);
    ASSERT_GT(first, 0) << "never came back after " << back_at;
    worst = std::max(worst, first - back_at);
    total += first - back_at;
    ++n;
  }
  std::printf("[reconnect] %lld return moments: mean %.0f ms, worst %lld ms (open %d ms, frame %d ms)\n",
              static_cast<long long>(n), double(total) / double(n), static_cast<long long>(worst), 60, 33);
  EXPECT_LE(worst, 3000);
}
