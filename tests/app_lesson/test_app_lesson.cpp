// A lesson started from the app's Lesson screen runs `cardpoll live`'s code (the projector and
// teacher windows, the demo recording through the scanner) and brings the app back on that
// session's Results, with the answers stored. Under xvfb-run; skipped without a display.
#include <gtest/gtest.h>

#include "app/app_lesson.h"
#include "app/lesson.h"
#include <fstream>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgcodecs.hpp>

#include "calibration/camera_profile.h"
#include "calibration/chessboard.h"
#include "calibration/synthetic_view.h"
#include "core/store/settings.h"
#include "core/exchange/export.h"
#include "core/store/storage.h"
#include "core/tally.h"
#include "display/print/board.h"
#include "core/teacher_tasks.h"
#include "tests/app_ui/app_driver.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using namespace cardpoll::test_support;
namespace fs = std::filesystem;

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

namespace {

// Ten views of the printed board (its QR code gives the geometry) through a known lens, as the
// calibration's own tests render them.
void render_board_views(const std::filesystem::path& dir) {
  using namespace cardpoll::calibration;
  std::filesystem::create_directories(dir);
  const double px_per_mm = 3;
  const print::BoardSheet sheet{9, 6, 25, print::Paper::Letter, board_qr_text({{9, 6}, 25})};
  const auto page = print::render_board_page(sheet, px_per_mm);
  const cv::Mat picture(page.height, page.width, CV_8UC1, const_cast<uint8_t*>(page.pixels.data()));
  CameraProfile cam;
  cam.image_size = {1280, 720};
  cam.camera_matrix = cv::Matx33d(1000, 0, 643, 0, 1000, 357, 0, 0, 1);
  cam.dist_coeffs = {-0.25, 0.07, 0, 0, 0};
  const LensRays rays = make_lens_rays(cam, 2);
  const double poses[][6] = {{0.1, -0.15, 0.02, 0, 0, 450},      {0.3, 0.25, 0.05, -170, -90, 640},
                             {0.3, -0.3, -0.04, 170, -90, 640},   {-0.3, 0.3, 0.03, -170, 90, 640},
                             {-0.35, -0.2, 0, 170, 90, 640},      {0.45, 0, 0.1, 0, -100, 600},
                             {-0.45, 0.05, -0.1, 0, 100, 600},    {0, 0.5, 0, -200, 0, 650},
                             {0.05, -0.5, 0.05, 200, 0, 650},     {0.2, 0.2, 0.3, 0, 0, 560}};
  int i = 0;
  for (const auto& p : poses) {
    const cv::Vec3d rvec(p[0], p[1], p[2]);
    cv::Matx33d R;
    cv::Rodrigues(rvec, R);
    const cv::Vec3d tvec = cv::Vec3d(p[3], p[4], p[5]) - R * cv::Vec3d(140, 108, 0);
    cv::imwrite((dir / ("view" + std::to_string(++i) + ".png")).string(),
                render_plane_view(rays, picture, 1 / px_per_mm, rvec, tvec));
  }
}

void calibrate_from_settings(Driver& d, const std::string& source) {
  d.click("settings.calibration_source");
  d.key(SDL_SCANCODE_A, KMOD_LCTRL);
  d.type(source);
  d.click("settings.calibrate");
  ASSERT_TRUE(d.s.settings_ui.calibrating);
  app::CalibrationPtr run;
  for (int i = 0; i < 6000 && d.s.settings_ui.calibrating; ++i) {  // at most 5 minutes
    app::calibration_step(d.s, run);
    d.frames(1);
    SDL_Delay(50);
  }
  ASSERT_FALSE(d.s.settings_ui.calibrating);
}

}  // namespace

// Settings makes the lens profile with `cardpoll calibrate camera` itself, its lines shown.
TEST(AppLesson, SettingsCalibratesTheCameraAsTheCommandDoes) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  d->s.program = CARDPOLL_EXE;
  render_board_views(dir / "views");
  d->key(SDL_SCANCODE_5, KMOD_LCTRL);
  d->click("settings.calibration");  // opens the section
  // A source that is not there: the command's refusal is shown, nothing is filled in.
  calibrate_from_settings(*d, (dir / "nothing-here").string());
  ASSERT_TRUE(d->s.settings_ui.calibration_exit);
  EXPECT_NE(*d->s.settings_ui.calibration_exit, 0);
  EXPECT_EQ(d->s.settings_ui.camera_profile, "");
  calibrate_from_settings(*d, (dir / "views").string());
  ASSERT_EQ(d->s.settings_ui.calibration_exit, 0);
  const auto& lines = d->s.settings_ui.calibration_lines;
  bool qr = false, rms = false;
  for (const auto& l : lines) {
    qr = qr || l.find("board from its QR code: 9x6 inner corners, 25 mm squares") != std::string::npos;
    rms = rms || l.find("reprojection error (RMS)") != std::string::npos;
  }
  EXPECT_TRUE(qr && rms) << lines.size() << " lines";
  EXPECT_EQ(d->s.settings_ui.camera_profile, d->s.settings_ui.calibration_out);
  EXPECT_TRUE(std::filesystem::exists(d->s.settings_ui.calibration_out));
  const display::Image shot = d->shot();
  EXPECT_GE(colours(shot, d->at("settings.calibration_lines")), 4u);
  d->click("settings.save");
  EXPECT_EQ(load_settings(dir / "settings.conf").camera_profile, d->s.settings_ui.calibration_out)
      << d->s.settings_ui.report.error << d->s.settings_ui.report.summary << " save at y " << d->at("settings.save").y;
}

// The "Done when", with the mouse only: a class from a roster file dropped on the
// window, three questions written, the lesson run on the demo recording, one answer fixed, the
// scoresheet exported.
TEST(AppLesson, AWholeLessonCycleWithTheMouse) {
  TempDir dir;
  OPEN_OR_SKIP(d, dir.path);
  d->drop(app::demo_dir() / "class.csv");
  const auto k = find_class(d->s.db, "class");
  ASSERT_TRUE(k) << d->s.classes.report.error;
  ASSERT_EQ(list_students(d->s.db, k->id).size(), 25u);

  d->click("nav.questions");
  d->click("questions.new_name");
  d->type("Fractions");
  d->click("questions.create");
  const char* questions[][4] = {{"Which is 1/2?", "2/4", "1/3", "3/4"},
                                {"Is 3/4 more than 2/3?", "yes", "no", "the same"},
                                {"Which is 0.25?", "1/4", "1/5", "2/5"}};
  for (const auto& q : questions) {
    d->wheel("questions.panel", -40);  // down to the new question, at the end of the set
    d->click("questions.draft_text");
    d->type(q[0]);
    for (int c = 0; c < 3; ++c) {
      d->click(std::string("questions.draft.choice.") + static_cast<char>('A' + c));
      d->type(q[c + 1]);
    }
    d->click("questions.draft.right.A");
    d->click("questions.add");
    ASSERT_EQ(d->s.questions.report.error, "");
  }
  const auto set = find_question_set(d->s.db, "Fractions");
  ASSERT_TRUE(set);
  ASSERT_EQ(set->questions.size(), 3u);
  EXPECT_EQ(set->questions[2].text, "Which is 0.25?");
  EXPECT_EQ(set->questions[2].choices, (std::vector<std::string>{"1/4", "1/5", "2/5"}));

  d->click("nav.lesson");
  d->click("lesson.class");
  d->click("lesson.class.0");
  d->click("lesson.set");
  d->click("lesson.set.0");
  d->click("lesson.demo_recording");
  d->click("lesson.start");
  ASSERT_TRUE(d->s.lesson_request);
  EXPECT_EQ(d->s.lesson_request->set_name, "Fractions");
  d->s.lesson_request->quit_after_seconds = 12;
  app::run_requested_lesson(d->s, *d->w);
  ASSERT_EQ(d->s.lesson.report.error, "");
  ASSERT_EQ(d->s.screen, ui::Screen::Results);
  const Id sess = d->s.results.selected;
  SessionData data = load_session_data(d->s.db, sess);
  ASSERT_GE(data.responses.size(), 1u);

  // Fix card 1's answer to question 1 to C.
  const ui::Rect row = d->at("results.answer.1.1");
  ASSERT_LT(row.y + row.h, 800) << "card 1's row is not on the screen";
  d->click("results.answer.1.1");
  d->click("results.pick.C");
  EXPECT_EQ(d->s.results.report.error, "");
  data = load_session_data(d->s.db, sess);
  const Response* fixed = response_of(data, data.asks.front().id, find_student_by_card(d->s.db, k->id, 1)->id);
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->answer, Answer::C);

  d->click("results.format");
  d->click("results.pick.scoresheet");
  d->s.last_folder = dir.path;
  d->click("results.export");
  d->click("chooser.ok");
  const fs::path out = dir / ("class-session-" + std::to_string(sess) + "-scoresheet.csv");
  ASSERT_TRUE(fs::exists(out)) << d->s.results.report.error << d->s.chooser.error;
  EXPECT_EQ(read_text(out), export_scoresheet_csv(data));
}
