// Calibration recovers a known lens from chessboard views rendered through that lens.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "calibration/chessboard.h"
#include "calibration/synthetic_view.h"

using namespace cardpoll::calibration;

namespace {

// A cheap wide-angle webcam: strong barrel distortion, slightly off-centre.
CameraProfile true_camera() {
  CameraProfile c;
  c.image_size = {640, 480};
  c.camera_matrix = cv::Matx33d(560, 0, 326, 0, 556, 236, 0, 0, 1);
  c.dist_coeffs = {-0.28, 0.09, 0.0012, -0.0009, 0};
  return c;
}

// A 9x6 inner-corner board (10x7 squares of 25 mm) with a 20 mm white border, 4 px/mm.
constexpr double kPxPerMm = 4;
cv::Mat board_picture(const BoardGeometry& b, double border_mm = 20) {
  const int sq = int(b.square_mm * kPxPerMm), bd = int(border_mm * kPxPerMm);
  cv::Mat img(2 * bd + sq * (b.inner.height + 1), 2 * bd + sq * (b.inner.width + 1), CV_8UC1,
              cv::Scalar(235));
  for (int r = 0; r <= b.inner.height; ++r)
    for (int c = 0; c <= b.inner.width; ++c)
      if ((r + c) % 2 == 0) cv::rectangle(img, cv::Rect(bd + c * sq, bd + r * sq, sq, sq), cv::Scalar(20), cv::FILLED);
  return img;
}

struct Pose {
  cv::Vec3d rvec, tvec;
};

// Poses that put the board in the centre, the four corners and the edges, tilted
// different ways: what a teacher waving the board around produces.
std::vector<Pose> poses() {
  std::vector<Pose> out;
  const double board_w = 10 * 25 + 40, board_h = 7 * 25 + 40;
  const double offs[][2] = {{0, 0},     {-150, -110}, {150, -110}, {-150, 110}, {150, 110},
                            {0, -120},  {0, 120},     {-170, 0},   {170, 0},    {-80, 60},
                            {90, -60},  {0, 0}};
  const double tilts[][2] = {{0.0, 0.0},   {0.35, 0.25},  {0.3, -0.3}, {-0.3, 0.3}, {-0.35, -0.2},
                             {0.45, 0.0},  {-0.45, 0.05}, {0.0, 0.5},  {0.05, -0.5}, {0.2, 0.2},
                             {-0.2, -0.25}, {0.55, -0.1}};
  for (size_t i = 0; i < std::size(offs); ++i) {
    Pose p;
    p.rvec = cv::Vec3d(tilts[i][0], tilts[i][1], (i % 3 == 0) ? 0.08 : -0.05);
    // Board centre at (offs) in camera mm at distance ~ 520 mm; origin is the top-left corner.
    cv::Matx33d R;
    cv::Rodrigues(p.rvec, R);
    const cv::Vec3d centre(offs[i][0], offs[i][1], 520 + 20 * double(i % 4));
    p.tvec = centre - R * cv::Vec3d(board_w / 2, board_h / 2, 0);
    out.push_back(p);
  }
  return out;
}

}  // namespace

TEST(Calibration, RecoversKnownLensFromRenderedViews) {
  const CameraProfile cam = true_camera();
  const BoardGeometry board{{9, 6}, 25};
  const cv::Mat picture = board_picture(board);
  const LensRays rays = make_lens_rays(cam, 3);

  std::vector<BoardView> views;
  int found = 0;
  double corner_err = 0;
  int corner_n = 0;
  for (const Pose& p : poses()) {
    const cv::Mat img = render_plane_view(rays, picture, 1 / kPxPerMm, p.rvec, p.tvec);
    auto corners = find_board_corners(img, board.inner);
    if (corners.empty()) continue;
    ++found;
    // Ground truth: the inner corners (plane mm; the board origin is the picture corner).
    std::vector<cv::Point2f> plane;
    for (int r = 1; r <= board.inner.height; ++r)
      for (int c = 1; c <= board.inner.width; ++c) plane.emplace_back(float(20 + c * 25), float(20 + r * 25));
    auto truth = project_plane_points(cam, plane, p.rvec, p.tvec);
    // The detector may number the corners from the opposite end of the board.
    if (cv::norm(truth.front() - corners.front()) > cv::norm(truth.back() - corners.front()))
      std::reverse(truth.begin(), truth.end());
    for (size_t i = 0; i < truth.size(); ++i) {
      corner_err += cv::norm(truth[i] - corners[i]);
      ++corner_n;
    }
    if (is_distinct_view(views, corners, cam.image_size))
      views.push_back({corners, "view" + std::to_string(found)});
  }
  ASSERT_GE(found, 10) << "the detector should find the board in most rendered views";
  // The renderer and detector agree on where corners are (within a fraction of a pixel).
  std::printf("[calibration] detected corners are %.3f px from the true ones on average\n",
              corner_err / corner_n);
  EXPECT_LT(corner_err / corner_n, 0.25);

  const CalibrationResult r = calibrate_from_views(views, board, cam.image_size);
  const auto& K = r.profile.camera_matrix;
  const auto& D = r.profile.dist_coeffs;
  std::printf("[calibration] views %d rms %.3f px coverage %.0f%%\n", r.profile.views, r.profile.rms_px,
              100 * r.coverage);
  std::printf("[calibration] fx %.2f (true %.2f) fy %.2f (true %.2f) cx %.2f cy %.2f\n", K(0, 0),
              cam.camera_matrix(0, 0), K(1, 1), cam.camera_matrix(1, 1), K(0, 2), K(1, 2));
  std::printf("[calibration] k1 %.4f k2 %.4f p1 %.5f p2 %.5f (true %.4f %.4f %.5f %.5f)\n", D[0], D[1],
              D[2], D[3], cam.dist_coeffs[0], cam.dist_coeffs[1], cam.dist_coeffs[2], cam.dist_coeffs[3]);
  EXPECT_LT(r.profile.rms_px, 0.3);
  // The issue asks for the focal length within 2%; the fit does far better on clean views.
  EXPECT_NEAR(K(0, 0), cam.camera_matrix(0, 0), 0.02 * cam.camera_matrix(0, 0));
  EXPECT_NEAR(K(1, 1), cam.camera_matrix(1, 1), 0.02 * cam.camera_matrix(1, 1));
  EXPECT_NEAR(K(0, 2), cam.camera_matrix(0, 2), 4.0);
  EXPECT_NEAR(K(1, 2), cam.camera_matrix(1, 2), 4.0);
  // Tolerances for the distortion: k1 within 0.02, k2 within 0.04, p1/p2 within 0.001.
  EXPECT_NEAR(D[0], cam.dist_coeffs[0], 0.02);
  EXPECT_NEAR(D[1], cam.dist_coeffs[1], 0.04);
  EXPECT_NEAR(D[2], cam.dist_coeffs[2], 0.001);
  EXPECT_NEAR(D[3], cam.dist_coeffs[3], 0.001);
}

TEST(Calibration, RefusesTooFewViews) {
  std::vector<BoardView> views(3, BoardView{std::vector<cv::Point2f>(54, {1, 1}), "x"});
  try {
    calibrate_from_views(views, {{9, 6}, 25}, {640, 480});
    FAIL() << "expected a refusal";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("at least"), std::string::npos) << e.what();
  }
}

TEST(Calibration, NearDuplicateViewsAreRejected) {
  std::vector<cv::Point2f> a;
  for (int i = 0; i < 54; ++i) a.emplace_back(float(100 + i), float(100 + i % 6 * 10));
  std::vector<BoardView> kept{{a, "a"}};
  auto b = a;
  for (auto& p : b) p += cv::Point2f(3, 2);  // hand shake: same view
  EXPECT_FALSE(is_distinct_view(kept, b, {640, 480}));
  for (auto& p : b) p += cv::Point2f(60, 0);  // moved a tenth of the image: new view
  EXPECT_TRUE(is_distinct_view(kept, b, {640, 480}));
}

TEST(Calibration, CoverageCountsCellsWithCorners) {
  std::vector<BoardView> v{{{{10, 10}, {630, 470}, {320, 240}}, "a"}};
  const Coverage c = image_coverage(v, {640, 480}, 4, 4);
  EXPECT_DOUBLE_EQ(c.fraction(), 3.0 / 16);
  EXPECT_EQ(c.map(), "#...\n....\n..#.\n...#\n");
}

TEST(BoardText, RoundTripsAndRefusesOtherText) {
  const BoardGeometry b{{9, 6}, 25};
  EXPECT_EQ(board_qr_text(b), "cardpoll:board/9x6/25mm");
  auto back = parse_board_qr_text("cardpoll:board/9x6/25mm");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->inner, cv::Size(9, 6));
  EXPECT_DOUBLE_EQ(back->square_mm, 25);
  EXPECT_EQ(board_qr_text({{7, 5}, 22.5}), "cardpoll:board/7x5/22.5mm");
  EXPECT_FALSE(parse_board_qr_text("https://example.com"));
  EXPECT_FALSE(parse_board_qr_text("cardpoll:board/9x6"));
  EXPECT_FALSE(parse_board_qr_text("cardpoll:board/1x6/25mm"));
  EXPECT_FALSE(parse_board_qr_text("cardpoll:board/9x6/0mm"));
  EXPECT_FALSE(parse_board_qr_text("cardpoll:board/9x6/25"));
  EXPECT_FALSE(parse_board_size("9by6"));
  EXPECT_EQ(*parse_board_size("12x8"), cv::Size(12, 8));
}
