// Reading QR command cards (scanner/commands.h) from the same camera frames the cards are
// read from, and making each showing of a command card act exactly once.
//
//   FrameSource src = with_command_reader(open_source("0"), mailbox);  // reads QR on capture
//   Pipeline p(std::move(src));
//   ... each UI tick: for (TimedCommand c : mailbox->take_until(frame_ms)) act(c.command);
//
// The reader runs on the capture thread (the pipeline's), so the UI never waits for ZXing,
// and each command carries the time of the frame it was seen on: a consumer applies it in
// order with that frame's card reads (answers read after a "next" card go to the next
// question, also for a video scanned faster than real time).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/commands.h"
#include "scanner/frame_source.h"

namespace cardpoll {

// Payloads of every QR code on a grey frame (QR Code only: other symbologies are never
// tried). Frames wider than max_width are scaled down first (command cards are printed big;
// this keeps ZXing at a few ms per frame). Never throws on odd input.
std::vector<std::string> read_qr_payloads(const cv::Mat& gray, int max_width = 1280);

// Once per showing: a payload acts when it appears, then not again until it has been
// absent from `absent_ms` of frames that were checked. A card held up for ten seconds is
// one command; the same card lowered and raised again is a second one.
struct CommandDebounce {
  int64_t absent_ms = 1500;
  std::map<std::string, int64_t> last_seen;  // payload -> frame time last seen
};

struct TimedCommand {
  CommandCard command;
  int64_t time_ms = 0;  // the frame's time (FrameResult::time_ms of the same frame)
  std::string payload;
};

// Feeds the payloads seen on one checked frame; returns the commands that act now.
// Payloads that are not commands are ignored.
std::vector<TimedCommand> debounce_commands(CommandDebounce& d,
                                            const std::vector<std::string>& payloads,
                                            int64_t frame_ms);

// Thread-safe hand-over from the capture thread to the UI thread.
struct CommandMailbox {
  std::mutex mutex;
  std::vector<TimedCommand> pending;  // in frame order
  int64_t checked_frames = 0;

  void post(std::vector<TimedCommand> commands);
  // Takes the commands seen on frames up to and including time_ms, in order.
  std::vector<TimedCommand> take_until(int64_t time_ms);
  std::vector<TimedCommand> take_all();
};

struct CommandReaderOptions {
  int max_width = 1280;
  // Live sources: check every n-th frame only (a card is shown for seconds; this keeps the
  // capture thread at camera rate). Files check every frame, so a replay is reproducible.
  int live_every = 3;
  int64_t absent_ms = 1500;
};

// Wraps `inner`: every frame it delivers is also searched for command cards, which go to
// `mailbox` tagged with the frame's time. The returned source has the same name, kind,
// size and liveness as `inner`.
FrameSource with_command_reader(FrameSource inner, std::shared_ptr<CommandMailbox> mailbox,
                                CommandReaderOptions options = {});

}  // namespace cardpoll
