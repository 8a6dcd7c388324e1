#include "lesson/command_debounce.h"

#include <iterator>

namespace cardpoll::lesson {

std::vector<TimedCommand> debounce_commands(CommandDebounce& d, const std::vector<std::string>& payloads,
                                            int64_t frame_ms) {
  std::vector<TimedCommand> out;
  for (const auto& p : payloads) {
    const auto cmd = parse_command(p);
    if (!cmd) continue;
    auto it = d.last_seen.find(p);
    const bool showing = it != d.last_seen.end() && frame_ms - it->second < d.absent_ms && frame_ms >= it->second;
    if (!showing) out.push_back({*cmd, frame_ms, p});
    d.last_seen[p] = frame_ms;
  }
  // Forget payloads long gone so the map stays small over a whole lesson.
  for (auto it = d.last_seen.begin(); it != d.last_seen.end();)
    it = frame_ms - it->second >= d.absent_ms ? d.last_seen.erase(it) : std::next(it);
  return out;
}

}  // namespace cardpoll::lesson
