// A lesson started from the app's Lesson screen runs `cardpoll live`'s code (the projector and
// teacher windows, the demo recording through the scanner) and brings the app back on that
// session's Results, with the answers stored. Under xvfb-run; skipped without a display.
#include <gtest/gtest.h>

#include "app/app_lesson.h"
#include <fstream>

#include "core/storage.h"
#include "core/teacher_tasks.h"
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

// The camera check on the Lesson screen, on the demo recording: its picture, the cards it reads
// with their widths, and the range check's verdict, as `cardpoll calibrate range` judges them.
TEST(AppLesson, TheCameraCheckShowsThePictureTheCardsAndTheVerdict) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  d->click("nav.lesson");
  d->click("lesson.demo_recording");
  const display::Image before = d->shot();
  EXPECT_EQ(d->s.widgets.count("lesson.preview"), 0u);
  d->click("lesson.check");
  ASSERT_TRUE(d->s.lesson.checking);
  app::CameraCheckPtr run;
  for (int i = 0; i < 90 && (d->s.lesson.check.cards.empty() || d->s.lesson.check.verdict.empty()); ++i) {
    app::camera_check_step(d->s, run);
    d->frames(1);
  }
  const ui::CameraCheckView& v = d->s.lesson.check;
  ASSERT_EQ(v.error, "");
  ASSERT_FALSE(v.cards.empty()) << "no card read in " << v.frames << " frames of the demo recording";
  EXPECT_NE(v.cards.front().find(" px wide"), std::string::npos) << v.cards.front();
  EXPECT_EQ(v.verdict.rfind("smallest card ", 0), 0u) << v.verdict;
  EXPECT_NE(v.verdict.find("expected recall"), std::string::npos);
  const display::Image shot = d->shot();
  const ui::Rect preview = d->at("lesson.preview");
  EXPECT_GE(colours(shot, preview), 30u) << "the camera's picture is not drawn";
  EXPECT_NE(region(before, preview), region(shot, preview));
  EXPECT_GE(colours(shot, d->at("lesson.check_report")), 4u);
  // Stopping the check lets the camera go.
  d->click("lesson.check");
  app::camera_check_step(d->s, run);
  EXPECT_FALSE(run);
}

// Quick questions without a set: `cardpoll live --class P3` with no --set.
TEST(AppLesson, AQuickQuestionLessonNeedsNoSet) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  std::ofstream(dir / "p3.csv") << "name,card\nAna,1\nBen,2\n";
  ASSERT_TRUE(import_roster_task(d->s.db, dir / "p3.csv", {"P3", "", false}).ok());
  ++d->s.data_version;
  d->click("nav.lesson");
  d->click("lesson.set");
  d->click("lesson.set.last");  // quick questions (no set)
  d->click("lesson.demo_recording");
  d->click("lesson.start");
  ASSERT_TRUE(d->s.lesson_request) << d->s.lesson.report.error;
  EXPECT_EQ(d->s.lesson_request->class_name, "P3");
  EXPECT_EQ(d->s.lesson_request->set_name, "");
  d->s.lesson_request->quit_after_seconds = 4;
  app::run_requested_lesson(d->s, *d->w);
  ASSERT_EQ(d->s.lesson.report.error, "");
  ASSERT_NE(d->s.results.selected, 0);
  const SessionData data = load_session_data(d->s.db, d->s.results.selected);
  EXPECT_EQ(data.klass.name, "P3");
  EXPECT_TRUE(data.session.ended_at);
}
