// What a camera with a known lens model sees of a flat picture (a chessboard, a card, a
// wall of cards) held at a known pose. Used by the tests and benchmarks as ground truth:
// every output pixel is traced back through the inverse lens model to the plane, so the
// distortion in the picture is exactly the model's (no approximation by a warp).
//
//   LensRays rays = make_lens_rays(profile, 3);          // once per camera (slow part)
//   cv::Mat img = render_plane_view(rays, picture, 0.25, rvec, tvec);
//   project_plane_points(profile, {{x_mm, y_mm}}, rvec, tvec)  -> where they appear
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "calibration/camera_profile.h"
#include "core/deck.h"

namespace cardpoll::calibration {

// For every sub-pixel sample of the camera image, the direction of the ray it sees
// (normalised pinhole coordinates x/z, y/z). `supersample` x `supersample` samples per
// pixel give anti-aliased edges, as a real sensor averages light over a pixel.
struct LensRays {
  cv::Size image_size;
  int supersample = 1;
  cv::Mat xy;  // CV_32FC2, (height*s) x (width*s)
};
LensRays make_lens_rays(const CameraProfile& camera, int supersample = 3);

// Renders the plane picture `picture` (8-bit grey; its top-left pixel corner is the plane's
// origin, `mm_per_px` millimetres per picture pixel, x right, y down) posed by rvec/tvec
// (plane mm -> camera mm, as cv::projectPoints) into an 8-bit grey camera image. Where the
// plane is not seen the image is `background`.
cv::Mat render_plane_view(const LensRays& rays, const cv::Mat& picture, double mm_per_px,
                          const cv::Vec3d& rvec, const cv::Vec3d& tvec, int background = 140);

// Where plane points (mm) appear in the camera image, through the full lens model.
std::vector<cv::Point2f> project_plane_points(const CameraProfile& camera,
                                              const std::vector<cv::Point2f>& plane_mm,
                                              const cv::Vec3d& rvec, const cv::Vec3d& tvec);

// A card as printed, to put on a plane picture: the pattern of `card` held with `answer` on
// top, inside its one-cell white quiet zone, `px_per_cell` pixels per cell (8-bit grey,
// black 20, white 235 like ink on paper). (grid + 2) * px_per_cell pixels square.
cv::Mat card_picture(const Deck& deck, int card, Answer answer, int px_per_cell);

}  // namespace cardpoll::calibration
