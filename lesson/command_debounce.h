// QR text the cameras saw (scanner/qr_reader.h) turned into lesson commands, each showing of
// a command card acting exactly once.
//
//   CommandDebounce d;
//   for (const QrSighting& s : sightings_in_time_order)       // any camera, merged by time
//     for (const TimedCommand& c : debounce_commands(d, s.texts, s.time_ms)) act(c.command);
//
// One debounce for the whole lesson: a card seen by two cameras at once is one showing, so
// it acts once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lesson/commands.h"

namespace cardpoll::lesson {

// Once per showing: a payload acts when it appears, then not again until it has been
// absent for `absent_ms` of frame time. A card held up for ten seconds is one command; the
// same card lowered and raised again is a second one.
struct CommandDebounce {
  int64_t absent_ms = 1500;
  std::map<std::string, int64_t> last_seen;  // payload -> frame time last seen
};

struct TimedCommand {
  CommandCard command;
  int64_t time_ms = 0;  // the frame's time
  std::string payload;
};

// Feeds the texts seen on one checked frame; returns the commands that act now. Texts that
// are not commands (a poster's QR code) are ignored.
std::vector<TimedCommand> debounce_commands(CommandDebounce& d, const std::vector<std::string>& payloads,
                                            int64_t frame_ms);

}  // namespace cardpoll::lesson
