// QR command cards as the lesson reads them: the payload vocabulary (lesson/commands.h) and
// once-per-showing debouncing of the texts the cameras saw (lesson/command_debounce.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lesson/command_debounce.h"
#include "lesson/commands.h"

using namespace cardpoll::lesson;

TEST(CommandWords, PayloadsAreExactlyTheDocumentedOnes) {
  std::vector<std::string> p;
  for (const auto& c : command_card_set(2)) p.push_back(command_payload(c));
  EXPECT_EQ(p, (std::vector<std::string>{"cardpoll:next", "cardpoll:prev", "cardpoll:reveal",
                                         "cardpoll:scan/start", "cardpoll:scan/stop",
                                         "cardpoll:groups", "cardpoll:question/1",
                                         "cardpoll:question/2"}));
  for (const auto& c : command_card_set(12)) EXPECT_EQ(parse_command(command_payload(c)), c);
}

TEST(CommandWords, AnythingElseIsNotACommand) {
  for (const char* bad : {"", "cardpoll:", "cardpoll:Next", "cardpoll:next ", " cardpoll:next",
                          "cardpoll:question/0", "cardpoll:question/01", "cardpoll:question/",
                          "cardpoll:question/x", "cardpoll:question/-1", "cardpoll:question/1000",
                          "https://example.com", "cardpoll:scan", "cardpoll:nextt"})
    EXPECT_FALSE(parse_command(bad).has_value()) << bad;
  EXPECT_EQ(parse_command("cardpoll:question/999")->question, 999);
}

TEST(CommandWords, ActOncePerShowing) {
  CommandDebounce d;
  d.absent_ms = 1000;
  const std::vector<std::string> next{"cardpoll:next"}, none{};
  EXPECT_EQ(debounce_commands(d, next, 0).size(), 1u);
  for (int t = 100; t <= 5000; t += 100)  // held up for five seconds
    EXPECT_TRUE(debounce_commands(d, next, t).empty()) << t;
  EXPECT_TRUE(debounce_commands(d, none, 5500).empty());
  EXPECT_TRUE(debounce_commands(d, next, 5800).empty()) << "a 0.8 s dropout is the same showing";
  EXPECT_TRUE(debounce_commands(d, none, 6500).empty());
  const auto again = debounce_commands(d, next, 6900);  // lowered 1.1 s, raised again
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].command.kind, CommandKind::Next);
  EXPECT_EQ(again[0].time_ms, 6900);
  EXPECT_TRUE(debounce_commands(d, {"not a command", "cardpoll:bogus"}, 9000).empty());
  // Two different cards shown together both act.
  EXPECT_EQ(debounce_commands(d, {"cardpoll:reveal", "cardpoll:groups"}, 12000).size(), 2u);
}

TEST(CommandWords, OneShowingSeenByTwoCamerasActsOnce) {
  // Sightings of both cameras merged by frame time (lesson/camera_merge.h orders them).
  CommandDebounce d;
  EXPECT_EQ(debounce_commands(d, {"cardpoll:next"}, 1000).size(), 1u);  // camera 1
  EXPECT_TRUE(debounce_commands(d, {"cardpoll:next"}, 1010).empty());   // camera 2, same card
  EXPECT_TRUE(debounce_commands(d, {"cardpoll:next"}, 1400).empty());   // camera 1 again
}
