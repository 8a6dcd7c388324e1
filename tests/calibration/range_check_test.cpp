// The range check on rendered frames: a card of known width through a known camera.
#include <gtest/gtest.h>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "calibration/range_check.h"
#include "calibration/synthetic_view.h"
#include "core/deck.h"
#include "scanner/read_cards.h"

using namespace cardpoll;
using namespace cardpoll::calibration;

namespace {

constexpr int kPxPerCell = 10;  // picture pixels per card cell; 1 picture px = 1 plane mm

CameraProfile pinhole() {
  CameraProfile c;
  c.image_size = {1280, 720};
  c.camera_matrix = cv::Matx33d(1000, 0, 639.5, 0, 1000, 359.5, 0, 0, 1);
  c.dist_coeffs = {0, 0, 0, 0, 0};
  return c;
}

struct Shot {
  cv::Mat frame;
  double true_width = 0;  // mean side of the projected pattern square
};

// Card 12 held with B on top, its pattern `width` px wide, slightly turned, off centre.
Shot card_shot(const LensRays& rays, double width, double tilt = 0.25) {
  const Deck& deck = *find_deck("classroom");
  const cv::Mat card = card_picture(deck, 12, Answer::B, kPxPerCell);
  cv::Mat wall(card.rows * 3, card.cols * 3, CV_8UC1, cv::Scalar(110));
  card.copyTo(wall(cv::Rect(card.cols, card.rows, card.cols, card.rows)));
  const double side_mm = deck.grid * kPxPerCell;
  const double z = 1000 * side_mm / width;
  const cv::Vec3d rvec(0.1, tilt, 0.05);
  cv::Matx33d R;
  cv::Rodrigues(rvec, R);
  const cv::Point2f mid(float(wall.cols / 2.0), float(wall.rows / 2.0));
  const cv::Vec3d t = cv::Vec3d(0.15 * z, -0.1 * z, z) - R * cv::Vec3d(mid.x, mid.y, 0);
  Shot s;
  s.frame = render_plane_view(rays, wall, 1.0, rvec, t, 110);
  // The pattern's corners on the wall plane (inside the one-cell quiet zone).
  const float x0 = float(card.cols + kPxPerCell), y0 = float(card.rows + kPxPerCell), sd = float(side_mm);
  CameraProfile cam = pinhole();
  const auto c = project_plane_points(cam, {{x0, y0}, {x0 + sd, y0}, {x0 + sd, y0 + sd}, {x0, y0 + sd}}, rvec, t);
  for (int i = 0; i < 4; ++i) s.true_width += cv::norm(c[size_t(i)] - c[size_t((i + 1) % 4)]) / 4;
  return s;
}

bool any_line_has(const std::vector<std::string>& lines, const std::string& what) {
  for (const auto& l : lines)
    if (l.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(RangeCheck, ReportsTheCardWidthWithinAPixel) {
  const LensRays rays = make_lens_rays(pinhole(), 3);
  for (double w : {22.0, 40.0, 80.0}) {
    const Shot s = card_shot(rays, w);
    RangeCheck check;
    const auto reads = read_cards(s.frame);
    ASSERT_EQ(reads.size(), 1u) << "width " << w;
    EXPECT_EQ(reads[0].card, 12);
    EXPECT_EQ(reads[0].answer, Answer::B);
    check.add_frame(s.frame, reads);
    const RangeReport r = check.finish();
    std::printf("[range] true width %.2f px, reported %.2f px, focus %.3f (sharp reference %.3f)\n",
                s.true_width, r.width_px, r.focus, r.sharp_focus);
    EXPECT_NEAR(r.width_px, s.true_width, 1.5) << "width " << w;
    EXPECT_EQ(r.frames_with_card, 1);
    EXPECT_DOUBLE_EQ(r.expected_recall, expected_recall(r.width_px));
    // A sharp, well-exposed card: no focus or exposure complaint.
    EXPECT_FALSE(any_line_has(r.advice, "blurred")) << w;
    EXPECT_FALSE(any_line_has(r.advice, "soft")) << w;
    EXPECT_FALSE(any_line_has(r.advice, "dark")) << w;
  }
}

TEST(RangeCheck, SmallCardGetsAdviceWithFactors) {
  const double small = scanner_recall_curve().front().width_px + 2;
  ASSERT_LT(expected_recall(small), 0.95);
  CardRead r;
  r.card = 3;
  r.corners = {cv::Point2f(100, 100), cv::Point2f(100 + float(small), 100),
               cv::Point2f(100 + float(small), 100 + float(small)), cv::Point2f(100, 100 + float(small))};
  cv::Mat frame(720, 1280, CV_8UC1, cv::Scalar(128));
  RangeCheck check;
  check.add_frame(frame, {r});
  const RangeReport rep = check.finish();
  EXPECT_NEAR(rep.width_px, small, 1e-9);
  const double f = rep.needed_width_px / small;
  char bigger[64];
  std::snprintf(bigger, sizeof bigger, "%.2fx the current size", f);
  EXPECT_TRUE(any_line_has(rep.advice, bigger)) << bigger;
  EXPECT_TRUE(any_line_has(rep.advice, "at least " + std::to_string(int(std::ceil(1280 * f))) + "x"));
  EXPECT_TRUE(any_line_has(rep.advice, "move the camera closer"));
}

TEST(RangeCheck, BlurDarknessAndGlareAreCalledOut) {
  const LensRays rays = make_lens_rays(pinhole(), 2);
  const Shot s = card_shot(rays, 60, 0.1);
  cv::Mat blurred;
  cv::GaussianBlur(s.frame, blurred, cv::Size(0, 0), 2.2);
  RangeCheck sharp, soft;
  auto reads = read_cards(s.frame);
  ASSERT_EQ(reads.size(), 1u);
  sharp.add_frame(s.frame, reads);
  soft.add_frame(blurred, reads);  // same card position, blurred picture
  const RangeReport a = sharp.finish(), b = soft.finish();
  std::printf("[range] focus sharp %.3f, blurred %.3f (reference %.3f)\n", a.focus, b.focus, a.sharp_focus);
  EXPECT_GT(a.focus, 2 * b.focus);
  EXPECT_TRUE(any_line_has(b.advice, "blurred") || any_line_has(b.advice, "soft"));
  EXPECT_FALSE(any_line_has(a.advice, "blurred") || any_line_has(a.advice, "soft"));

  cv::Mat dark = s.frame * 0.2;
  RangeCheck d;
  d.add_frame(dark, read_cards(dark));
  EXPECT_TRUE(any_line_has(d.finish().advice, "dark"));

  cv::Mat glare = s.frame.clone();
  glare(cv::Rect(0, 0, 640, 720)).setTo(255);  // a window on the left half
  RangeCheck g;
  g.add_frame(glare, read_cards(glare));
  EXPECT_TRUE(any_line_has(g.finish().advice, "pure white"));
}

TEST(RangeCheck, NoCardSaysHowToHoldIt) {
  RangeCheck c;
  c.add_frame(cv::Mat(480, 640, CV_8UC1, cv::Scalar(120)), {});
  const RangeReport r = c.finish();
  EXPECT_EQ(r.frames_with_card, 0);
  EXPECT_TRUE(any_line_has(r.advice, "No card was read"));
}

TEST(RangeCheck, RecallCurveIsMonotoneAndInterpolates) {
  const auto& c = scanner_recall_curve();
  ASSERT_GE(c.size(), 5u);
  for (size_t i = 1; i < c.size(); ++i) EXPECT_GT(c[i].width_px, c[i - 1].width_px);
  EXPECT_EQ(expected_recall(c.front().width_px - 1), 0);
  EXPECT_DOUBLE_EQ(expected_recall(c.back().width_px + 100), c.back().recall);
  const double mid = (c[1].width_px + c[2].width_px) / 2;
  EXPECT_NEAR(expected_recall(mid), (c[1].recall + c[2].recall) / 2, 1e-9);
}

// The plickers deck's stricter rules read fewer small cards: the range check looks a card's
// width up on that deck's own curve, and asks for a wider card.
TEST(RangeCheck, APlickersCardIsLookedUpOnItsOwnCurve) {
  EXPECT_LT(expected_recall(16, "plickers"), expected_recall(16, "classroom"));
  EXPECT_GT(width_for_recall(0.95, "plickers"), width_for_recall(0.95, "classroom"));
  EXPECT_DOUBLE_EQ(expected_recall(16, "large"), expected_recall(16, "classroom"));
  CardRead r;
  r.card = 3;
  r.corners = {cv::Point2f(100, 100), cv::Point2f(116, 100), cv::Point2f(116, 116), cv::Point2f(100, 116)};
  const cv::Mat frame(720, 1280, CV_8UC1, cv::Scalar(128));
  RangeCheck classroom, plickers;
  plickers.deck = "plickers";
  classroom.add_frame(frame, {r});
  plickers.add_frame(frame, {r});
  const RangeReport a = classroom.finish(), b = plickers.finish();
  EXPECT_DOUBLE_EQ(b.expected_recall, expected_recall(16, "plickers"));
  EXPECT_LT(b.expected_recall, a.expected_recall);
  EXPECT_GT(b.needed_width_px, a.needed_width_px);
}
