// Which frames `calibrate camera` keeps: a still board once, not a moving or repeated one.
#include <gtest/gtest.h>

#include <opencv2/calib3d.hpp>

#include "calibration/synthetic_view.h"
#include "calibration/view_collector.h"
#include "display/print/board.h"

using namespace cardpoll;
using namespace cardpoll::calibration;

namespace {

struct Renderer {
  CameraProfile cam;
  LensRays rays;
  cv::Mat page;
  static constexpr double kPxPerMm = 2;
  Renderer() {
    cam.image_size = {800, 600};
    cam.camera_matrix = cv::Matx33d(700, 0, 400, 0, 700, 300, 0, 0, 1);
    cam.dist_coeffs = {-0.1, 0, 0, 0, 0};
    rays = make_lens_rays(cam, 2);
    const auto p = print::render_board_page({9, 6, 25, print::Paper::Letter, ""}, kPxPerMm);
    page = cv::Mat(p.height, p.width, CV_8UC1, const_cast<uint8_t*>(p.pixels.data())).clone();
  }
  cv::Mat view(double x, double y, double tilt) const {
    const cv::Vec3d rvec(tilt, 0.1, 0);
    cv::Matx33d R;
    cv::Rodrigues(rvec, R);
    const cv::Vec3d t = cv::Vec3d(x, y, 700) - R * cv::Vec3d(140, 108, 0);
    return render_plane_view(rays, page, 1 / kPxPerMm, rvec, t);
  }
};

}  // namespace

TEST(ViewCollector, LiveKeepsAStillBoardOnceAndSkipsMovingOrRepeatedViews) {
  const Renderer r;
  const cv::Mat a = r.view(0, 0, 0.1), a_shaken = r.view(0.3, 0.2, 0.1), b = r.view(90, 40, -0.2);
  ViewCollector c;
  c.board = BoardGeometry{{9, 6}, 25};
  c.live = true;
  EXPECT_EQ(c.add(a, "f0"), ViewOutcome::Moving);  // nothing to compare with yet
  EXPECT_EQ(c.add(a_shaken, "f1"), ViewOutcome::Kept);  // moved well under 1.5 px: still
  EXPECT_EQ(c.add(a, "f2"), ViewOutcome::NearDuplicate);
  EXPECT_EQ(c.add(b, "f3"), ViewOutcome::Moving);  // jumped: blurred in a real camera
  EXPECT_EQ(c.add(b, "f4"), ViewOutcome::Kept);
  EXPECT_EQ(c.add(cv::Mat(600, 800, CV_8UC1, cv::Scalar(128)), "f5"), ViewOutcome::NoBoard);
  EXPECT_EQ(c.add(b, "f6"), ViewOutcome::Moving);  // the board left and came back
  ASSERT_EQ(c.views.size(), 2u);
  EXPECT_EQ(c.views[0].label, "f1");
  EXPECT_EQ(c.frames, 7);
  EXPECT_EQ(c.with_board, 6);
  EXPECT_EQ(c.near_duplicates, 1);
  EXPECT_GT(c.coverage().fraction(), 0.1);
  EXPECT_FALSE(c.enough(15, 0.6));
  EXPECT_TRUE(c.enough(2, 0.1));
}

TEST(ViewCollector, FilesKeepEveryDistinctViewAndRefuseAnotherSize) {
  const Renderer r;
  ViewCollector c;
  c.board = BoardGeometry{{9, 6}, 25};
  EXPECT_EQ(c.add(r.view(0, 0, 0.1), "a.png"), ViewOutcome::Kept);
  EXPECT_EQ(c.add(r.view(90, 40, -0.2), "b.png"), ViewOutcome::Kept);
  try {
    c.add(cv::Mat(480, 640, CV_8UC1, cv::Scalar(0)), "small.png");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("small.png: 640x480 differs"), std::string::npos) << e.what();
  }
}

TEST(ViewCollector, WithoutGeometryWaitsForTheQrCode) {
  const Renderer r;
  ViewCollector c;  // no --board: the page drawn without a QR code never gives one
  EXPECT_EQ(c.add(r.view(0, 0, 0.1), "f0"), ViewOutcome::NoGeometry);
  EXPECT_FALSE(c.board.has_value());
  EXPECT_TRUE(c.views.empty());
}
