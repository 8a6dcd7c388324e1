// A lesson started from the app's Lesson screen runs `cardpoll live`'s code (the projector and
// teacher windows, the demo recording through the scanner) and brings the app back on that
// session's Results, with the answers stored. Under xvfb-run; skipped without a display.
#include <gtest/gtest.h>

#include "app/app_lesson.h"
#include "core/store/storage.h"
#include "tests/app_ui/app_driver.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using namespace cardpoll::test_support;

TEST(AppLesson, TheDemoLessonFromTheLessonScreen) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  d->click("nav.lesson");
  d->click("lesson.demo");
  ASSERT_TRUE(d->s.lesson_request);
  EXPECT_TRUE(d->s.lesson_request->demo_recording);
  d->s.lesson_request->quit_after_seconds = 12;  // as `cardpoll app --quit-after` does
  app::run_requested_lesson(d->s, *d->w);
  ASSERT_EQ(d->s.lesson.report.error, "");
  EXPECT_EQ(d->s.screen, ui::Screen::Results);
  ASSERT_NE(d->s.results.selected, 0);
  const SessionData data = load_session_data(d->s.db, d->s.results.selected);
  EXPECT_EQ(data.klass.name, "Demo class");
  EXPECT_GE(data.asks.size(), 1u);
  EXPECT_GE(data.responses.size(), 1u);
  EXPECT_TRUE(data.session.ended_at);
  // The app is drawn again, on that session.
  const display::Image shot = d->shot();
  EXPECT_GE(colours(shot, d->at("results.title")), 4u);
  EXPECT_GE(colours(shot, d->at("results.ask.1")), 4u);
}
