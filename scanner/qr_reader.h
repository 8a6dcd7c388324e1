// Reading the QR text on the same camera frames the cards are read from. The scanner only
// reports what the codes say: which texts are commands, and acting once per showing, are the
// lesson's rules (lesson/commands.h, lesson/command_debounce.h).
//
//   auto box = std::make_shared<QrMailbox>();
//   FrameSource src = with_qr_reader(open_source("0"), box);  // reads QR on capture
//   Pipeline p(std::move(src));
//   ... each UI tick: for (QrSighting s : box->take_until(frame_ms)) lesson_reads(s.texts);
//
// The reader runs on the capture thread (the pipeline's), so the UI never waits for ZXing,
// and each sighting carries the time of the frame it was seen on: a consumer applies it in
// order with that frame's card reads (answers read after a "next" card go to the next
// question, also for a video scanned faster than real time).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/frame_source.h"

namespace cardpoll {

// Texts of every QR code on a grey frame (QR Code only: other symbologies are never tried),
// sorted, without repeats. Frames wider than max_width are scaled down first (command cards
// are printed big; this keeps ZXing at a few ms per frame). Never throws on odd input.
std::vector<std::string> read_qr_payloads(const cv::Mat& gray, int max_width = 1280);

// The QR texts seen on one checked frame (never empty: frames with no code are not posted).
struct QrSighting {
  int64_t time_ms = 0;  // the frame's time (FrameResult::time_ms of the same frame)
  std::vector<std::string> texts;
};

// Thread-safe hand-over from the capture thread to the UI thread.
struct QrMailbox {
  std::mutex mutex;
  std::vector<QrSighting> pending;  // in frame order
  int64_t checked_frames = 0;

  void post(int64_t time_ms, std::vector<std::string> texts);
  // Takes the sightings on frames up to and including time_ms, in order.
  std::vector<QrSighting> take_until(int64_t time_ms);
  std::vector<QrSighting> take_all();
};

struct QrReaderOptions {
  int max_width = 1280;
  // Live sources: check every n-th frame only (a card is shown for seconds; this keeps the
  // capture thread at camera rate). Files check every frame, so a replay is reproducible.
  int live_every = 3;
};

// Wraps `inner`: every frame it delivers is also searched for QR codes, whose texts go to
// `mailbox` tagged with the frame's time. The returned source has the same name, kind,
// size and liveness as `inner`.
FrameSource with_qr_reader(FrameSource inner, std::shared_ptr<QrMailbox> mailbox, QrReaderOptions options = {});

}  // namespace cardpoll
