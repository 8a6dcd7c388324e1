// `cardpoll calibrate ...` end to end: a folder of rendered board views -> profile.yml
// (geometry from the board's QR code), the range check on an image, the printed board,
// and the refusals.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgcodecs.hpp>

#include "calibration/camera_profile.h"
#include "calibration/chessboard.h"
#include "calibration/synthetic_view.h"
#include "core/deck.h"
#include "display/print/board.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
using namespace cardpoll::calibration;
namespace fs = std::filesystem;

namespace {

struct Output {
  int code;
  std::string text;  // stdout and stderr together
};

Output run_cardpoll(const std::string& args) {
  const auto r = test_support::run_cardpoll_line(args);
  return {r.exit_code, r.all()};
}

using test_support::TempDir;

CameraProfile lens() {
  CameraProfile c;
  c.image_size = {1280, 720};
  c.camera_matrix = cv::Matx33d(1000, 0, 643, 0, 1000, 357, 0, 0, 1);
  c.dist_coeffs = {-0.25, 0.07, 0, 0, 0};
  return c;
}

}  // namespace

TEST(CalibrateCli, CameraFromAFolderReadsTheQrCodeAndSavesAProfile) {
  TempDir d("camera");
  const fs::path views = d.path / "views";
  fs::create_directories(views);
  const double px_per_mm = 3;
  const print::BoardSheet sheet{9, 6, 25, print::Paper::Letter, board_qr_text({{9, 6}, 25})};
  const auto page = print::render_board_page(sheet, px_per_mm);
  const cv::Mat picture(page.height, page.width, CV_8UC1, const_cast<uint8_t*>(page.pixels.data()));
  const CameraProfile cam = lens();
  const LensRays rays = make_lens_rays(cam, 2);
  // The first view is close (the QR code readable), then the board around the picture.
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
    cv::imwrite((views / ("view" + std::to_string(++i) + ".png")).string(),
                render_plane_view(rays, picture, 1 / px_per_mm, rvec, tvec));
  }
  const fs::path profile = d.path / "profile.yml";
  const Output o = run_cardpoll("calibrate camera --source " + views.string() + " --out " + profile.string());
  ASSERT_EQ(o.code, 0) << o.text;
  EXPECT_NE(o.text.find("board from its QR code: 9x6 inner corners, 25 mm squares"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("reprojection error (RMS)"), std::string::npos);
  EXPECT_NE(o.text.find("coverage"), std::string::npos);
  const CameraProfile got = load_camera_profile(profile);
  EXPECT_EQ(got.image_size, cam.image_size);
  EXPECT_NEAR(got.camera_matrix(0, 0), 1000, 20) << o.text;
  EXPECT_NEAR(got.dist_coeffs[0], -0.25, 0.03) << o.text;
  EXPECT_LT(got.rms_px, 0.5);

  // Into a folder that does not exist: refused before any work, nothing written.
  const Output bad = run_cardpoll("calibrate camera --source " + views.string() + " --out " +
                              (d.path / "nope" / "p.yml").string() + " --board 9x6 --square-mm 25");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.text.find("does not exist"), std::string::npos) << bad.text;
  // Wrong board geometry: too few views found, with advice; the old profile is untouched.
  const auto before = fs::last_write_time(profile);
  const Output wrong = run_cardpoll("calibrate camera --source " + views.string() + " --out " + profile.string() +
                                " --board 7x5 --square-mm 25");
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.text.find("at least"), std::string::npos) << wrong.text;
  EXPECT_EQ(fs::last_write_time(profile), before);
}

TEST(CalibrateCli, PrintWritesTheBoardAndRefusesWhatDoesNotFit) {
  TempDir d("print");
  const Output ok = run_cardpoll("calibrate print --out " + (d.path / "b.pdf").string() + " --paper a4");
  ASSERT_EQ(ok.code, 0) << ok.text;
  EXPECT_TRUE(fs::exists(d.path / "b.pdf"));
  EXPECT_NE(ok.text.find("cardpoll:board/9x6/25mm"), std::string::npos) << ok.text;
  const Output big = run_cardpoll("calibrate print --out " + (d.path / "big.pdf").string() + " --square-mm 60");
  EXPECT_EQ(big.code, 1);
  EXPECT_NE(big.text.find("does not fit"), std::string::npos) << big.text;
  EXPECT_FALSE(fs::exists(d.path / "big.pdf"));
  EXPECT_EQ(run_cardpoll("calibrate print --out x.pdf --paper b5").code, 2);
  EXPECT_EQ(run_cardpoll("calibrate print --out x.pdf --board 9by6").code, 2);
}

TEST(CalibrateCli, UsageErrorsAndHelp) {
  const Output h = run_cardpoll("calibrate --help");
  EXPECT_EQ(h.code, 0);
  for (const char* w : {"calibrate camera", "calibrate range", "calibrate print", "--square-mm", "--exposure"})
    EXPECT_NE(h.text.find(w), std::string::npos) << w;
  EXPECT_EQ(run_cardpoll("calibrate").code, 2);
  EXPECT_EQ(run_cardpoll("calibrate lens").code, 2);
  EXPECT_EQ(run_cardpoll("calibrate camera --source x --out p.yml --board 9x6").code, 2);  // no --square-mm
  EXPECT_EQ(run_cardpoll("calibrate range --source x --paper a4").code, 2);              // wrong subcommand option
  EXPECT_EQ(run_cardpoll("calibrate range --source x --exposure bright").code, 2);
  const Output missing = run_cardpoll("calibrate range --source /no/such/file.png");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.text.find("/no/such/file.png"), std::string::npos) << missing.text;
}

// `cardpoll scan --camera-profile`: a card near the corner of a wide-angle picture is
// reported where a distortion-free camera would have seen it.
TEST(CalibrateCli, ScanWithCameraProfileReportsStraightenedCorners) {
  TempDir d("scan");
  CameraProfile cam = lens();
  const Deck& deck = *find_deck("classroom");
  const cv::Mat card = card_picture(deck, 5, Answer::A, 10);
  cv::Mat wall(card.rows * 3, card.cols * 3, CV_8UC1, cv::Scalar(110));
  card.copyTo(wall(cv::Rect(card.cols, card.rows, card.cols, card.rows)));
  // Card centre about 80% of the way to the top-left corner of the picture.
  const double z = 900;
  const cv::Vec3d rvec(0, 0, 0);
  const cv::Vec3d tvec(-0.5 * z - wall.cols / 2.0, -0.28 * z - wall.rows / 2.0, z);
  cv::imwrite((d.path / "corner.png").string(), render_plane_view(make_lens_rays(cam, 3), wall, 1.0, rvec, tvec, 110));
  const float x0 = float(card.cols + 10), y0 = float(card.rows + 10), s = float(deck.grid * 10);
  const std::vector<cv::Point2f> plane = {{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}};
  CameraProfile pin = cam;
  pin.dist_coeffs = {0, 0, 0, 0, 0};
  const auto ideal = project_plane_points(pin, plane, rvec, tvec);
  const fs::path profile = d.path / "p.yml";
  std::ofstream(profile) << camera_profile_yaml(cam);

  auto first_corner = [](const std::string& json) {
    const size_t at = json.find("\"corners\":[[");
    float x = -1, y = -1;
    if (at != std::string::npos) std::sscanf(json.c_str() + at, "\"corners\":[[%f,%f", &x, &y);
    return cv::Point2f(x, y);
  };
  const Output raw = run_cardpoll("scan --json " + (d.path / "corner.png").string());
  const Output fixed = run_cardpoll("scan --json --camera-profile " + profile.string() + " " + (d.path / "corner.png").string());
  ASSERT_EQ(raw.code, 0) << raw.text;
  ASSERT_EQ(fixed.code, 0) << fixed.text;
  ASSERT_NE(fixed.text.find("\"card\":5"), std::string::npos) << fixed.text;
  const cv::Point2f r = first_corner(raw.text), f = first_corner(fixed.text);
  std::printf("[scan] top-left corner: raw (%.1f, %.1f), with profile (%.1f, %.1f), pinhole truth (%.1f, %.1f)\n",
              r.x, r.y, f.x, f.y, ideal[0].x, ideal[0].y);
  EXPECT_GT(cv::norm(r - ideal[0]), 10);  // the lens moved it a long way
  EXPECT_LT(cv::norm(f - ideal[0]), 1.5);

  std::ofstream(d.path / "bad.yml") << "%YAML:1.0\n---\nimage_width: 10\n";
  const Output bad = run_cardpoll("scan --camera-profile " + (d.path / "bad.yml").string() + " " +
                                  (d.path / "corner.png").string());
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.text.find("bad.yml"), std::string::npos) << bad.text;
}
