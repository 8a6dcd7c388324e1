// QR command cards: the words the teacher shows the camera instead of pressing a key.
// Keep these payloads stable: outside tools (and printed cards) depend on them.
//
//   cardpoll:next  cardpoll:prev  cardpoll:reveal  cardpoll:scan/start  cardpoll:scan/stop
//   cardpoll:question/<n>  (1-based position in the question set)  cardpoll:groups
//
// The lesson room's vocabulary (lesson/: no pixels, no drawing). Standard library only and
// header-only, so the printer (display/print/command_cards.cpp), the demo renderer and the
// lesson controller share one vocabulary. The scanner never sees it: it only reports the QR
// text it read (scanner/qr_reader.h); lesson/command_debounce.h turns text into commands.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardpoll::lesson {

enum class CommandKind { Next, Prev, Reveal, ScanStart, ScanStop, Question, Groups };

struct CommandCard {
  CommandKind kind = CommandKind::Next;
  int question = 0;  // CommandKind::Question: 1-based position
  bool operator==(const CommandCard&) const = default;
};

inline constexpr std::string_view kCommandPrefix = "cardpoll:";
inline constexpr int kMaxQuestionCommand = 999;

// Exactly one of the payloads above (no spaces, lower case, no leading zeros); anything
// else is not a command: a stray QR code on a poster must never act.
inline std::optional<CommandCard> parse_command(std::string_view payload) {
  if (payload.substr(0, kCommandPrefix.size()) != kCommandPrefix) return std::nullopt;
  const std::string_view word = payload.substr(kCommandPrefix.size());
  if (word == "next") return CommandCard{CommandKind::Next};
  if (word == "prev") return CommandCard{CommandKind::Prev};
  if (word == "reveal") return CommandCard{CommandKind::Reveal};
  if (word == "scan/start") return CommandCard{CommandKind::ScanStart};
  if (word == "scan/stop") return CommandCard{CommandKind::ScanStop};
  if (word == "groups") return CommandCard{CommandKind::Groups};
  constexpr std::string_view q = "question/";
  if (word.substr(0, q.size()) == q) {
    const std::string_view digits = word.substr(q.size());
    if (digits.empty() || digits.size() > 3 || digits[0] == '0') return std::nullopt;
    int n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    if (n < 1 || n > kMaxQuestionCommand) return std::nullopt;
    return CommandCard{CommandKind::Question, n};
  }
  return std::nullopt;
}

inline std::string command_payload(const CommandCard& c) {
  std::string p(kCommandPrefix);
  switch (c.kind) {
    case CommandKind::Next: return p + "next";
    case CommandKind::Prev: return p + "prev";
    case CommandKind::Reveal: return p + "reveal";
    case CommandKind::ScanStart: return p + "scan/start";
    case CommandKind::ScanStop: return p + "scan/stop";
    case CommandKind::Groups: return p + "groups";
    case CommandKind::Question: return p + "question/" + std::to_string(c.question);
  }
  return p;
}

// What the printed card and the status line say.
inline std::string command_label(const CommandCard& c) {
  switch (c.kind) {
    case CommandKind::Next: return "Next question";
    case CommandKind::Prev: return "Previous question";
    case CommandKind::Reveal: return "Reveal answers";
    case CommandKind::ScanStart: return "Start scanning";
    case CommandKind::ScanStop: return "Stop scanning";
    case CommandKind::Groups: return "Show groups";
    case CommandKind::Question: return "Question " + std::to_string(c.question);
  }
  return "";
}

// The printable set: the fixed commands, then question/1..question/<questions>.
inline std::vector<CommandCard> command_card_set(int questions) {
  std::vector<CommandCard> out = {{CommandKind::Next},      {CommandKind::Prev},
                                  {CommandKind::Reveal},    {CommandKind::ScanStart},
                                  {CommandKind::ScanStop},  {CommandKind::Groups}};
  for (int n = 1; n <= questions && n <= kMaxQuestionCommand; ++n)
    out.push_back({CommandKind::Question, n});
  return out;
}

}  // namespace cardpoll::lesson
