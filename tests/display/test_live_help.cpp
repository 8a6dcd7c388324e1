// The ? overlay the lesson's Help key shows: it names the timer the lesson was started with.
#include <gtest/gtest.h>

#include "display/view_model.h"

using namespace cardpoll;
using namespace cardpoll::display;

TEST(LiveHelp, NamesTheTimersRealLength) {
  LiveState s;
  s.timer_length_seconds = 90;
  s.show_help = true;
  bool names_length = false;
  for (const auto& line : projector_view(s).help_lines) names_length |= line.find("1:30") != std::string::npos;
  EXPECT_TRUE(names_length);
}
