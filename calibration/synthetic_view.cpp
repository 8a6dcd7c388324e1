#include "calibration/synthetic_view.h"

#include <stdexcept>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace cardpoll::calibration {

LensRays make_lens_rays(const CameraProfile& camera, int supersample) {
  if (supersample < 1 || supersample > 8) throw std::invalid_argument("supersample must be 1..8");
  LensRays rays;
  rays.image_size = camera.image_size;
  rays.supersample = supersample;
  const int W = camera.image_size.width, H = camera.image_size.height;
  // The inverse lens model is smooth, so it is solved exactly at pixel centres and the
  // sub-pixel samples are interpolated (resize uses the same half-pixel convention as the
  // sample positions (x + 0.5) / s - 0.5): 1/s^2 of the iterative solves, same answer to
  // well under a thousandth of a pixel.
  std::vector<cv::Point2f> px;
  px.reserve(static_cast<size_t>(W) * static_cast<size_t>(H));
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) px.emplace_back(float(x), float(y));
  std::vector<cv::Point2f> xy;
  cv::undistortPoints(px, xy, cv::Mat(camera.camera_matrix), cv::Mat(camera.dist_coeffs),
                      cv::noArray(), cv::noArray(),
                      cv::TermCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS, 60, 1e-10));
  const cv::Mat at_centres = cv::Mat(xy, true).reshape(2, H);
  if (supersample == 1)
    rays.xy = at_centres;
  else
    cv::resize(at_centres, rays.xy, cv::Size(W * supersample, H * supersample), 0, 0, cv::INTER_LINEAR);
  return rays;
}

cv::Mat render_plane_view(const LensRays& rays, const cv::Mat& picture, double mm_per_px,
                          const cv::Vec3d& rvec, const cv::Vec3d& tvec, int background) {
  if (picture.empty() || picture.type() != CV_8UC1)
    throw std::invalid_argument("render_plane_view: picture must be 8-bit grey");
  cv::Matx33d R;
  cv::Rodrigues(rvec, R);
  // Plane (X, Y, 1) -> ray (x, y, 1) up to scale: the columns r1 r2 t.
  const cv::Matx33d H(R(0, 0), R(0, 1), tvec[0], R(1, 0), R(1, 1), tvec[1], R(2, 0), R(2, 1), tvec[2]);
  const cv::Matx33d Hinv = H.inv();
  const cv::Mat& xy = rays.xy;
  cv::Mat mapx(xy.size(), CV_32F), mapy(xy.size(), CV_32F);
  for (int r = 0; r < xy.rows; ++r) {
    const auto* in = xy.ptr<cv::Vec2f>(r);
    auto* mx = mapx.ptr<float>(r);
    auto* my = mapy.ptr<float>(r);
    for (int c = 0; c < xy.cols; ++c) {
      const cv::Vec3d w = Hinv * cv::Vec3d(in[c][0], in[c][1], 1.0);
      const double X = w[0] / w[2], Y = w[1] / w[2];
      // Depth of that plane point along the camera axis: behind the camera is not seen.
      const double z = R(2, 0) * X + R(2, 1) * Y + tvec[2];
      if (z <= 0) {
        mx[c] = my[c] = -1e6f;
        continue;
      }
      mx[c] = float(X / mm_per_px - 0.5);
      my[c] = float(Y / mm_per_px - 0.5);
    }
  }
  cv::Mat big;
  cv::remap(picture, big, mapx, mapy, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(background));
  cv::Mat out;
  cv::resize(big, out, rays.image_size, 0, 0, cv::INTER_AREA);
  return out;
}

std::vector<cv::Point2f> project_plane_points(const CameraProfile& camera,
                                              const std::vector<cv::Point2f>& plane_mm,
                                              const cv::Vec3d& rvec, const cv::Vec3d& tvec) {
  std::vector<cv::Point3f> obj;
  for (const auto& p : plane_mm) obj.emplace_back(p.x, p.y, 0.f);
  std::vector<cv::Point2f> out;
  if (obj.empty()) return out;
  cv::projectPoints(obj, rvec, tvec, cv::Mat(camera.camera_matrix), cv::Mat(camera.dist_coeffs), out);
  return out;
}

cv::Mat card_picture(const Deck& deck, int card, Answer answer, int px_per_cell) {
  const auto cells = card_cells(deck, card, answer);
  const int g = deck.grid;
  cv::Mat img((g + 2) * px_per_cell, (g + 2) * px_per_cell, CV_8UC1, cv::Scalar(235));
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c)
      if (cells[static_cast<size_t>(r * g + c)])
        img(cv::Rect((c + 1) * px_per_cell, (r + 1) * px_per_cell, px_per_cell, px_per_cell)).setTo(20);
  return img;
}

}  // namespace cardpoll::calibration
