// The live pipeline: a capture thread reads frames from a FrameSource, detection workers
// read the cards on them, and the per-card tracker turns the reads into StableReads.
//
//   capture thread --newest frame slot--> worker(s): read_cards --in frame order--> tracker
//                                                                          |
//                                           results queue <----------------+
//
// - Live sources (cameras, streams) work on the NEWEST frame: when the workers are busy,
//   a waiting frame is replaced by a newer one and counted as dropped. Detection never
//   blocks capture, so latency stays one frame deep instead of growing.
// - Files (videos, folders) process EVERY frame (capture waits for a free worker), so a
//   video scanned twice gives the same results.
// - Results leave in frame order even with two workers (a small reorder buffer), so the
//   tracker always sees time moving forward.
//
// Using it from a UI thread (the SDL live view): start it, then poll once per drawn frame.
// poll() never blocks and is thread-safe; everything else happens on the pipeline's own
// threads. Nothing calls back into the UI.
//
//   Pipeline p(open_source("0", {.keep_colour = true}), {.keep_images = true});
//   while (running) {
//     PipelineOutput out = p.poll();                  // everything new since the last poll
//     for (const StableRead& s : out.stable) record_answer(s.card, s.answer);
//     if (!out.frames.empty()) draw(out.frames.back()); // newest frame + its card outlines
//     show(out.stats.fps, out.stats.dropped);
//     if (out.finished) break;                        // a file ended, or the camera gave up
//   }
//   p.reset_tracker();                                 // next question
//   p.stop();                                          // or let the destructor do it
//
// A command-line consumer can block instead: p.wait(100) returns as soon as there is
// something new, the pipeline finished, or 100 ms passed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/card_read.h"
#include "scanner/frame_source.h"
#include "scanner/read_cards.h"
#include "scanner/tracker.h"

namespace cardpoll {

enum class FramePolicy {
  Auto,        // NewestOnly for live sources, EveryFrame for files
  NewestOnly,  // drop stale frames (live)
  EveryFrame,  // capture waits for a free worker; nothing dropped (files, reproducible)
};

struct PipelineOptions {
  int workers = 0;                   // detection threads; 0 = one per core, at most 2
  FramePolicy policy = FramePolicy::Auto;
  double pace_fps = 0;               // > 0: deliver frames no faster than this (replay a
                                     // file as if it came from a camera)
  DetectParams detect_params;        // for the default detector (read_cards)
  // The detector; empty = read_cards(gray, detect_params). Called on worker threads, so it
  // must be safe to call concurrently (read_cards is). A calibration wrapper can correct
  // the corners here (read_cards, then undistort_reads).
  std::function<std::vector<CardRead>(const cv::Mat& gray)> detect;
  TrackerParams tracker;
  bool keep_images = false;          // FrameResult::image on the newest queued result
  size_t max_queued_frames = 256;    // FrameResults kept for an absent poller (oldest go)
  int max_failures_in_a_row = 100;   // failed reads in a row before the pipeline gives up
};

struct FrameResult {
  int64_t index = 0;                 // frame number within the source
  int64_t time_ms = 0;               // the frame's time (see Frame::time_ms)
  std::string source;                // Frame::source (image path for folders)
  std::vector<CardRead> reads;       // every card read on this frame (time_ms set)
  std::vector<StableRead> stable;    // answers that became stable with this frame
  double detect_ms = 0;              // time spent in the detector for this frame
  double latency_ms = 0;             // from the frame leaving the source to this result
  cv::Mat image;                     // keep_images: the frame (colour if the source keeps
                                     // colour, else grey), only on the newest queued result
};

struct PipelineStats {
  int64_t captured = 0;              // frames the source delivered
  int64_t processed = 0;             // frames the detector read
  int64_t dropped = 0;               // stale frames replaced by newer ones before detection
                                     // (and frames left unread at stop): once stopped,
                                     // captured == processed + dropped
  int64_t overflowed = 0;            // results discarded because nobody polled them
  int64_t failed_reads = 0;          // SourceStatus::Failed reads
  int64_t conflicts = 0;             // tracker conflicts (a card at two places / answers)
  double fps = 0;                    // processed frames per second, recent (~the last 2 s)
  double mean_fps = 0;               // processed frames per second since the first frame
  double latency_ms = 0;             // capture -> result, the newest frame
  double mean_latency_ms = 0;
  double max_latency_ms = 0;
  double mean_detect_ms = 0;
};

struct PipelineOutput {
  std::vector<FrameResult> frames;   // new per-frame results, in frame order
  std::vector<StableRead> stable;    // new StableReads, in order (also in frames[i].stable)
  std::vector<std::string> problems; // failed reads and source messages, in words
  PipelineStats stats;
  bool finished = false;             // nothing more will come (source ended / stopped / gave
                                     // up) and everything has been handed out
};

class Pipeline {
 public:
  // Starts the capture thread and the workers at once.
  explicit Pipeline(FrameSource source, PipelineOptions options = {});
  ~Pipeline();  // stop()
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  PipelineOutput poll();               // never blocks; takes everything new
  PipelineOutput wait(int timeout_ms); // blocks until something new, finished, or timeout
  void stop();                         // stops reading, joins the threads; idempotent
  void reset_tracker();                // forget all stable answers (a new question)
  PipelineStats stats() const;
  const FrameSource& source() const;   // name, kind, granted camera mode...

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace cardpoll
