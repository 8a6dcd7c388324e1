#include "lesson/live_input.h"

namespace cardpoll::lesson {

LiveInput input_for_command(const CommandCard& c) {
  LiveInput in;
  in.origin = "QR " + command_label(c);
  switch (c.kind) {
    case CommandKind::Next: in.action = LiveAction::Next; break;
    case CommandKind::Prev: in.action = LiveAction::Prev; break;
    case CommandKind::Reveal: in.action = LiveAction::Reveal; break;
    case CommandKind::ScanStart: in.action = LiveAction::ScanStart; break;
    case CommandKind::ScanStop: in.action = LiveAction::ScanStop; break;
    case CommandKind::Groups: in.action = LiveAction::Groups; break;
    case CommandKind::Question:
      in.action = LiveAction::Question;
      in.question = c.question;
      break;
  }
  return in;
}

std::optional<LiveInput> input_for_key(char key) {
  auto k = [](LiveAction a, const char* name) { return LiveInput{a, 0, std::string("key ") + name}; };
  switch (key) {
    case ' ': return k(LiveAction::ScanToggle, "Space");
    case '\r': case '\n': return k(LiveAction::Reveal, "Enter");
    case 'n': case 'N': return k(LiveAction::Next, "N");
    case 'p': case 'P': return k(LiveAction::Prev, "P");
    case 'h': case 'H': return k(LiveAction::HideNames, "H");
    case 'g': case 'G': return k(LiveAction::Groups, "G");
    case 't': case 'T': return k(LiveAction::Timer, "T");
    case 'f': case 'F': return k(LiveAction::Fullscreen, "F");
    case 'q': case 'Q': return k(LiveAction::Quit, "Q");
    case '?': case '/': return k(LiveAction::Help, "?");
    case 'k': case 'K': return k(LiveAction::QuickQuestion, "K");
    case 'd': case 'D': return k(LiveAction::Discuss, "D");
    case '0': case '1': case '2': case '3': case '4': {
      LiveInput in = k(LiveAction::SetKey, "");
      in.question = key - '0';
      in.origin = std::string("key ") + key;
      return in;
    }
    default: return std::nullopt;
  }
}

}  // namespace cardpoll::lesson
