// The printed board: exact size, QR geometry round trip, refusal of boards that do not fit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "calibration/chessboard.h"
#include "calibration/synthetic_view.h"
#include "display/print/board.h"

using namespace cardpoll;
using namespace cardpoll::calibration;
namespace fs = std::filesystem;

namespace {

print::BoardSheet sheet(int cols, int rows, double mm, print::Paper paper) {
  return {cols, rows, mm, paper, board_qr_text({{cols, rows}, mm})};
}

cv::Mat to_mat(const print::GreyPage& p) {
  return cv::Mat(p.height, p.width, CV_8UC1, const_cast<uint8_t*>(p.pixels.data())).clone();
}

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() /
               ("cardpoll_board_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST(Board, DefaultBoardFitsBothPapersWithQrCode) {
  for (auto paper : {print::Paper::Letter, print::Paper::A4}) {
    const auto L = print::board_layout(sheet(9, 6, 25, paper));
    EXPECT_TRUE(L.landscape);
    EXPECT_DOUBLE_EQ(L.board.w, 250);
    EXPECT_DOUBLE_EQ(L.board.h, 175);
    EXPECT_GE(L.qr.w, 12) << "paper " << int(paper) << ": " << L.why_no_qr;
    // Everything inside the page with its margin.
    EXPECT_LE(L.board.x + L.board.w, L.page_w_mm - 5);
    EXPECT_LE(L.qr.x + L.qr.w, L.page_w_mm - 5);
    EXPECT_LE(L.qr.y + L.qr.h, L.page_h_mm - 5);
    EXPECT_LE(L.note.y + 9, L.page_h_mm - 5);
  }
}

TEST(Board, RefusesABoardThatDoesNotFitWithAdvice) {
  try {
    print::board_layout(sheet(9, 6, 40, print::Paper::A4));
    FAIL() << "a 400 mm board cannot fit A4";
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("does not fit on A4"), std::string::npos) << m;
    EXPECT_NE(m.find("--square-mm 25.5"), std::string::npos) << m;  // (194 - 4 - 9) mm / 7 squares
  }
  EXPECT_THROW(print::board_layout(sheet(1, 6, 25, print::Paper::A4)), std::invalid_argument);
  EXPECT_THROW(print::board_layout({9, 6, 0.5, print::Paper::A4, ""}), std::invalid_argument);
}

TEST(Board, PdfPageHasExactPhysicalSizeAndIsWrittenAtomically) {
  const fs::path d = temp_dir();
  const fs::path out = d / "board.pdf";
  print::write_board_pdf(out, sheet(9, 6, 25, print::Paper::A4));
  std::ifstream f(out, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string pdf = ss.str();
  ASSERT_EQ(pdf.rfind("%PDF", 0), 0u);
  // A4 landscape in points: 297 mm x 210 mm = 841.89 x 595.28 pt.
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 841.8"), std::string::npos);
  // Only the PDF: no temporary file left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(d), fs::directory_iterator()), 1);
  // A missing folder fails with the path named, and leaves nothing.
  try {
    print::write_board_pdf(d / "no_such_folder" / "b.pdf", sheet(9, 6, 25, print::Paper::A4));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_folder"), std::string::npos);
  }
  // A board that does not fit writes nothing.
  EXPECT_THROW(print::write_board_pdf(d / "big.pdf", sheet(9, 6, 40, print::Paper::A4)), std::invalid_argument);
  EXPECT_FALSE(fs::exists(d / "big.pdf"));
  fs::remove_all(d);
}

TEST(Board, RenderedSquaresHaveExactSizeAndQrCodeGivesGeometry) {
  const double px_per_mm = 4;
  for (auto [cols, rows, mm] : {std::tuple{9, 6, 25.0}, std::tuple{7, 5, 22.5}}) {
    const auto s = sheet(cols, rows, mm, print::Paper::Letter);
    const cv::Mat page = to_mat(print::render_board_page(s, px_per_mm));
    auto corners = find_board_corners(page, {cols, rows});
    ASSERT_EQ(corners.size(), size_t(cols * rows));
    // Corner spacing along the first row: the square size, exactly.
    const double spacing = cv::norm(corners[size_t(cols - 1)] - corners[0]) / (cols - 1);
    EXPECT_NEAR(spacing, mm * px_per_mm, 0.05);
    const auto g = find_board_qr(page);
    ASSERT_TRUE(g) << "QR code on the " << cols << "x" << rows << " board not read";
    EXPECT_EQ(g->inner, cv::Size(cols, rows));
    EXPECT_DOUBLE_EQ(g->square_mm, mm);
  }
}

TEST(Board, QrCodeReadsThroughAWideAngleLensAtArmsLength) {
  CameraProfile cam;
  cam.image_size = {1280, 720};
  cam.camera_matrix = cv::Matx33d(1000, 0, 640, 0, 1000, 360, 0, 0, 1);
  cam.dist_coeffs = {-0.25, 0.07, 0, 0, 0};
  const auto s = sheet(9, 6, 25, print::Paper::Letter);
  const double px_per_mm = 4;
  const cv::Mat page = to_mat(print::render_board_page(s, px_per_mm));
  // The page held 45 cm from the camera, slightly turned, filling most of the view.
  const cv::Vec3d rvec(0.1, -0.15, 0.02);
  cv::Matx33d R;
  cv::Rodrigues(rvec, R);
  const cv::Vec3d tvec = cv::Vec3d(0, 0, 450) - R * cv::Vec3d(140, 108, 0);
  const cv::Mat view = render_plane_view(make_lens_rays(cam, 2), page, 1 / px_per_mm, rvec, tvec);
  const auto g = find_board_qr(view);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->inner, cv::Size(9, 6));
  EXPECT_EQ(find_board_corners(view, g->inner).size(), 54u);
}
