// Chessboard views -> camera model. The stages of `cardpoll calibrate camera`:
// find the board's inner corners in a frame, keep only views that add something (not a
// near-duplicate of one already kept), track how much of the image the kept corners cover,
// and fit the lens model (cv::calibrateCamera) with a reprojection error per view.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "calibration/camera_profile.h"

namespace cardpoll::calibration {

// A printed chessboard. `inner` counts inner corners the OpenCV way: a "9x6" board has
// 9 corners along a row and 6 down a column, so 10x7 squares.
struct BoardGeometry {
  cv::Size inner{9, 6};
  double square_mm = 25;
};

// "9x6" -> inner corners; std::nullopt when it is not COLSxROWS with 2..40 each.
std::optional<cv::Size> parse_board_size(std::string_view text);
// What the QR code on a printed board says: "cardpoll:board/9x6/25mm".
std::string board_qr_text(const BoardGeometry& b);
// The inverse; std::nullopt for any other text (another QR code in view is not an error).
std::optional<BoardGeometry> parse_board_qr_text(std::string_view text);
// Reads the board geometry from a QR code in a grey frame (ZXing), when there is one.
std::optional<BoardGeometry> find_board_qr(const cv::Mat& gray);

// Inner corners of the board in a frame (any type; converted to grey), row by row, with
// sub-pixel accuracy; empty when the whole board is not visible.
std::vector<cv::Point2f> find_board_corners(const cv::Mat& frame, cv::Size inner);

struct BoardView {
  std::vector<cv::Point2f> corners;
  std::string label;  // file name or frame number, for messages
};

// True when `corners` is not a near-duplicate of any kept view: some kept view's corners
// must all lie within `min_move_fraction` of the image diagonal (on average) to count as
// the same view. Near-duplicates add no information and let one pose dominate the fit.
bool is_distinct_view(const std::vector<BoardView>& kept, const std::vector<cv::Point2f>& corners,
                      cv::Size image_size, double min_move_fraction = 0.04);

// Which cells of a cols x rows grid over the image have at least one kept corner in them.
struct Coverage {
  int cols = 8, rows = 6;
  std::vector<uint8_t> covered;  // rows*cols, row-major
  double fraction() const;
  // Rows of '#' (covered) and '.' for the terminal.
  std::string map() const;
};
Coverage image_coverage(const std::vector<BoardView>& views, cv::Size image_size, int cols = 8,
                        int rows = 6);

struct CalibrationResult {
  CameraProfile profile;           // rms_px and views filled in
  std::vector<double> view_rms_px; // reprojection RMS of each view used, same order as used
  std::vector<std::string> used;   // labels of the views used
  std::vector<std::string> dropped;// labels of views dropped as outliers (with the reason)
  double coverage = 0;             // fraction of the image covered by the used views
};

// At least this many distinct views before a fit is attempted (fewer views fit the noise).
inline constexpr int kMinCalibrationViews = 6;

// Fits k1 k2 p1 p2 (k3 held at 0: with classroom webcams and a dozen views a sixth-order
// term mostly fits noise). A view whose error is more than 3x the median (and > 1 px) is
// dropped once and the fit repeated. Throws std::runtime_error with advice when there
// are too few views.
CalibrationResult calibrate_from_views(const std::vector<BoardView>& views, const BoardGeometry& board,
                                       cv::Size image_size);

}  // namespace cardpoll::calibration
