// The teacher window during a lesson: the ? overlay names the real timer; with several cameras,
// a line and a warning per camera and the cards they disagree on.
#include <gtest/gtest.h>

#include <algorithm>

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

TEST(LiveCameras, TheTeacherSeesEachCamerasState) {
  LiveState s;
  s.cameras = {{"camera 1 (a.mp4)", false, false, false, 29.84}, {"camera 2 (/dev/video2)", true, false, false, 0},
               {"camera 3 (b.mp4)", false, false, true, 12}};
  s.disputed_cards = {12};
  const TeacherView v = teacher_view(s);
  ASSERT_EQ(v.cameras.size(), 3u);
  EXPECT_EQ(v.cameras[0], "camera 1 (a.mp4): 29.8 fps");
  EXPECT_EQ(v.cameras[1], "camera 2 (/dev/video2): LOST - reconnecting");
  EXPECT_EQ(v.cameras[2], "camera 3 (b.mp4): 12.0 fps, too dark");
  auto has = [&](const std::string& w) { return std::find(v.warnings.begin(), v.warnings.end(), w) != v.warnings.end(); };
  EXPECT_TRUE(has("camera 2 (/dev/video2) lost - reconnecting; the other cameras carry on"));
  EXPECT_TRUE(has("camera 3 (b.mp4) is too dark: turn on the lights"));
  EXPECT_TRUE(has("The cameras read card 12 differently: nothing new is recorded for it until they agree"));
  EXPECT_TRUE(teacher_view(LiveState{}).cameras.empty()) << "one camera: no camera lines";
}
