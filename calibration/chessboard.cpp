#include "calibration/chessboard.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <stdexcept>

// ZXing 1.4 returns std::string from text() only with ZX_USE_UTF8 (the future default).
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace cardpoll::calibration {

namespace {

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

cv::Mat to_grey(const cv::Mat& frame) {
  cv::Mat g;
  if (frame.channels() == 3)
    cv::cvtColor(frame, g, cv::COLOR_BGR2GRAY);
  else if (frame.channels() == 4)
    cv::cvtColor(frame, g, cv::COLOR_BGRA2GRAY);
  else
    g = frame;
  if (g.depth() != CV_8U) g.convertTo(g, CV_8U);
  return g;
}

std::vector<cv::Point3f> board_points(const BoardGeometry& b) {
  std::vector<cv::Point3f> pts;
  pts.reserve(static_cast<size_t>(b.inner.area()));
  for (int r = 0; r < b.inner.height; ++r)
    for (int c = 0; c < b.inner.width; ++c)
      pts.emplace_back(float(c * b.square_mm), float(r * b.square_mm), 0.f);
  return pts;
}

}  // namespace

std::optional<cv::Size> parse_board_size(std::string_view text) {
  const auto x = text.find_first_of("xX");
  if (x == std::string_view::npos) return std::nullopt;
  auto c = parse_int(text.substr(0, x)), r = parse_int(text.substr(x + 1));
  if (!c || !r || *c < 2 || *r < 2 || *c > 40 || *r > 40) return std::nullopt;
  return cv::Size(*c, *r);
}

std::string board_qr_text(const BoardGeometry& b) {
  // Whole millimetres print as "25mm"; anything else keeps up to 3 decimals ("22.5mm").
  char mm[32];
  if (std::abs(b.square_mm - std::round(b.square_mm)) < 1e-9)
    std::snprintf(mm, sizeof mm, "%.0f", b.square_mm);
  else {
    std::snprintf(mm, sizeof mm, "%.3f", b.square_mm);
    std::string s = mm;
    while (s.back() == '0') s.pop_back();
    std::snprintf(mm, sizeof mm, "%s", s.c_str());
  }
  return "cardpoll:board/" + std::to_string(b.inner.width) + "x" + std::to_string(b.inner.height) +
         "/" + mm + "mm";
}

std::optional<BoardGeometry> parse_board_qr_text(std::string_view text) {
  constexpr std::string_view prefix = "cardpoll:board/";
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  text.remove_prefix(prefix.size());
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto size = parse_board_size(text.substr(0, slash));
  std::string_view mm = text.substr(slash + 1);
  if (!size || mm.size() < 3 || mm.substr(mm.size() - 2) != "mm") return std::nullopt;
  std::string num(mm.substr(0, mm.size() - 2));
  char* end = nullptr;
  const double v = std::strtod(num.c_str(), &end);
  if (num.empty() || *end || !(v >= 1 && v <= 200)) return std::nullopt;
  return BoardGeometry{*size, v};
}

std::optional<BoardGeometry> find_board_qr(const cv::Mat& frame) {
  cv::Mat g = to_grey(frame);
  if (g.empty()) return std::nullopt;
  if (!g.isContinuous()) g = g.clone();
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  const ZXing::ImageView view(g.data, g.cols, g.rows, ZXing::ImageFormat::Lum,
                              static_cast<int>(g.step[0]));
  for (const auto& r : ZXing::ReadBarcodes(view, hints))
    if (r.isValid())
      if (auto b = parse_board_qr_text(r.text())) return b;
  return std::nullopt;
}

std::vector<cv::Point2f> find_board_corners(const cv::Mat& frame, cv::Size inner) {
  cv::Mat g = to_grey(frame);
  std::vector<cv::Point2f> corners;
  if (g.empty() || g.cols < 32 || g.rows < 32) return {};
  // The classic detector plus cornerSubPix is fast (tens of ms) and accurate on a sharp,
  // evenly lit board; the sector-based one copes with blur and uneven light but costs up
  // to seconds on large frames, so it is the fallback. (Its ACCURACY flag triples the cost
  // for no gain measurable in the recovery test.)
  if (cv::findChessboardCorners(g, inner, corners,
                                cv::CALIB_CB_ADAPTIVE_THRESH | cv::CALIB_CB_NORMALIZE_IMAGE |
                                    cv::CALIB_CB_FAST_CHECK)) {
    cv::cornerSubPix(g, corners, cv::Size(5, 5), cv::Size(-1, -1),
                     cv::TermCriteria(cv::TermCriteria::EPS | cv::TermCriteria::COUNT, 40, 0.01));
    return corners;
  }
  corners.clear();
  if (cv::findChessboardCornersSB(g, inner, corners, cv::CALIB_CB_NORMALIZE_IMAGE) &&
      corners.size() == static_cast<size_t>(inner.area()))
    return corners;
  return {};
}

bool is_distinct_view(const std::vector<BoardView>& kept, const std::vector<cv::Point2f>& corners,
                      cv::Size image_size, double min_move_fraction) {
  const double diag = std::hypot(image_size.width, image_size.height);
  for (const auto& v : kept) {
    if (v.corners.size() != corners.size()) continue;
    double sum = 0;
    for (size_t i = 0; i < corners.size(); ++i) sum += cv::norm(v.corners[i] - corners[i]);
    if (sum / double(corners.size()) < min_move_fraction * diag) return false;
  }
  return true;
}

double Coverage::fraction() const {
  if (covered.empty()) return 0;
  return double(std::count(covered.begin(), covered.end(), uint8_t{1})) / double(covered.size());
}

std::string Coverage::map() const {
  std::string s;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) s += covered[static_cast<size_t>(r * cols + c)] ? '#' : '.';
    s += '\n';
  }
  return s;
}

Coverage image_coverage(const std::vector<BoardView>& views, cv::Size image_size, int cols, int rows) {
  Coverage cov;
  cov.cols = cols;
  cov.rows = rows;
  cov.covered.assign(static_cast<size_t>(cols * rows), 0);
  if (image_size.width <= 0 || image_size.height <= 0) return cov;
  for (const auto& v : views)
    for (const auto& p : v.corners) {
      const int c = static_cast<int>(p.x * cols / image_size.width);
      const int r = static_cast<int>(p.y * rows / image_size.height);
      if (c >= 0 && c < cols && r >= 0 && r < rows) cov.covered[static_cast<size_t>(r * cols + c)] = 1;
    }
  return cov;
}

namespace {

struct Fit {
  cv::Mat K, D;
  double rms = 0;
  std::vector<double> per_view;
};

Fit fit(const std::vector<BoardView>& views, const BoardGeometry& board, cv::Size image_size) {
  std::vector<std::vector<cv::Point3f>> object(views.size(), board_points(board));
  std::vector<std::vector<cv::Point2f>> image;
  for (const auto& v : views) image.push_back(v.corners);
  Fit f;
  cv::Mat rvecs, tvecs, std_in, std_ex, per_view;
  f.rms = cv::calibrateCamera(object, image, image_size, f.K, f.D, rvecs, tvecs, std_in, std_ex,
                              per_view, cv::CALIB_FIX_K3,
                              cv::TermCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS, 100,
                                               1e-10));
  per_view.convertTo(per_view, CV_64F);
  f.per_view.assign(per_view.begin<double>(), per_view.end<double>());
  return f;
}

}  // namespace

CalibrationResult calibrate_from_views(const std::vector<BoardView>& views, const BoardGeometry& board,
                                       cv::Size image_size) {
  const size_t want = static_cast<size_t>(board.inner.area());
  std::vector<BoardView> usable;
  for (const auto& v : views)
    if (v.corners.size() == want) usable.push_back(v);
  if (usable.size() < static_cast<size_t>(kMinCalibrationViews))
    throw std::runtime_error("only " + std::to_string(usable.size()) +
                             " chessboard view(s) found; at least " +
                             std::to_string(kMinCalibrationViews) +
                             " distinct views are needed: show the board in every part of the "
                             "image, tilted different ways");
  Fit f = fit(usable, board, image_size);

  CalibrationResult out;
  // One pass of outlier rejection: a view with a mis-ordered or smeared board pulls the
  // whole model; dropping it and refitting is cheaper than asking for new views.
  std::vector<double> sorted = f.per_view;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted.empty() ? 0 : sorted[sorted.size() / 2];
  std::vector<BoardView> kept;
  for (size_t i = 0; i < usable.size(); ++i) {
    if (f.per_view[i] > 3 * median && f.per_view[i] > 1.0) {
      char why[96];
      std::snprintf(why, sizeof why, " (error %.2f px, median %.2f px)", f.per_view[i], median);
      out.dropped.push_back(usable[i].label + why);
    } else {
      kept.push_back(usable[i]);
    }
  }
  if (kept.size() != usable.size() && kept.size() >= static_cast<size_t>(kMinCalibrationViews))
    f = fit(kept, board, image_size);
  else {
    kept = usable;
    out.dropped.clear();
  }

  out.profile.image_size = image_size;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) out.profile.camera_matrix(r, c) = f.K.at<double>(r, c);
  cv::Mat D;
  f.D.convertTo(D, CV_64F);
  out.profile.dist_coeffs.assign(D.begin<double>(), D.end<double>());
  out.profile.rms_px = f.rms;
  out.profile.views = static_cast<int>(kept.size());
  out.view_rms_px = f.per_view;
  for (const auto& v : kept) out.used.push_back(v.label);
  out.coverage = image_coverage(kept, image_size).fraction();
  return out;
}

}  // namespace cardpoll::calibration
