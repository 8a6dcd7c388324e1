// A camera's lens model (intrinsics + distortion), saved as OpenCV FileStorage YAML, and the
// two ways cardpoll uses it: correcting card positions (cheap, the default for scanning) or
// straightening whole frames (remap with precomputed maps). docs/calibration.md has the
// measurement that chose between them.
//
//   CameraProfile p = load_camera_profile("profile.yml");
//   auto reads = read_cards(frame);
//   undistort_reads(p, frame.size(), reads);           // corners in straightened pixels
// or
//   FrameUndistorter u = make_frame_undistorter(p, frame.size());
//   auto reads = read_cards(undistort_frame(u, frame));
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/card_read.h"
#include "scanner/read_cards.h"

namespace cardpoll::calibration {

struct CameraProfile {
  cv::Matx33d camera_matrix = cv::Matx33d::eye();  // fx 0 cx / 0 fy cy / 0 0 1, pixels
  std::vector<double> dist_coeffs;                 // k1 k2 p1 p2 [k3] (OpenCV order)
  cv::Size image_size;                             // the resolution it was measured at
  // How good the calibration was (written for the teacher's information; optional on load).
  double rms_px = 0;
  int views = 0;
};

// Reads `camera_matrix`, `dist_coeffs`, `image_width`, `image_height` (and optional
// `rms_px`, `views`). Throws std::runtime_error naming the file and the missing or bad field.
// The file is checked first (profile_text_problem): OpenCV's YAML reader only ever sees a
// small, well-formed text, so a hostile file cannot hang it or crash it.
CameraProfile load_camera_profile(const std::filesystem::path& path);

// Limits of a camera profile's text: what `cardpoll calibrate camera` writes is ~700 bytes
// with brackets two deep.
inline constexpr size_t kMaxProfileBytes = 64 * 1024;
inline constexpr size_t kMaxProfileLine = 4096;
inline constexpr size_t kMaxProfileNesting = 2;
// "" when `text` has the shape of a profile cardpoll writes (YAML, at most kMaxProfileBytes,
// no NUL or control bytes, every quote closed on its line, every [ and { closed in order and
// at most kMaxProfileNesting deep, no base64/binary payloads, and every line one of the
// shapes OpenCV's writer gives it: %YAML:1.0, ---, "name: value", numbers in [ ], blank,
// comment); else what is wrong, with the line number when there is one.
std::string profile_text_problem(std::string_view text);

// The YAML text of a profile (write it with write_file_atomically so a failure never leaves
// a half-written profile). Throws std::invalid_argument for a profile that cannot be valid.
std::string camera_profile_yaml(const CameraProfile& p);

// Checks the numbers a profile must have (positive focal lengths, principal point inside
// the image, 4/5/8 distortion coefficients, finite values). Returns "" when fine, else
// what is wrong, in words.
std::string profile_problem(const CameraProfile& p);

// The profile for frames of `frame_size`: the camera matrix scaled when the camera runs at
// another resolution of the same shape. Throws std::runtime_error when the aspect ratio
// differs (a cropped mode cannot be mapped safely).
CameraProfile profile_for_size(const CameraProfile& p, cv::Size frame_size);

// Image points (distorted, as the camera sees them) -> where an ideal pinhole camera with
// the same camera matrix would have seen them. Iterates to convergence so strong
// wide-angle distortion near the corners is corrected too.
std::vector<cv::Point2f> undistort_pixels(const CameraProfile& p, cv::Size frame_size,
                                          const std::vector<cv::Point2f>& pixels);

// Moves every read's corners to straightened pixel positions (in place). The card number
// and answer were decoded on the original frame and are unchanged.
void undistort_reads(const CameraProfile& p, cv::Size frame_size, std::vector<CardRead>& reads);

// Whole-frame straightening: the remap tables are computed once per profile and size
// (tens of ms), then each frame costs one remap.
struct FrameUndistorter {
  cv::Size size;
  cv::Mat map1, map2;  // fixed-point maps for cv::remap (CV_16SC2 + CV_16UC1)
};
FrameUndistorter make_frame_undistorter(const CameraProfile& p, cv::Size frame_size);
// Throws std::invalid_argument when the frame is not the size the maps were made for.
cv::Mat undistort_frame(const FrameUndistorter& u, const cv::Mat& frame);

// How `scan`/`live --camera-profile` apply the profile (docs/calibration.md measures both):
//   Corners: read the original frame, then move the card corners (microseconds per frame).
//   Frame:   straighten the whole frame, then read it (a remap per frame).
enum class Undistortion { Corners, Frame };

// A detector for PipelineOptions::detect: read_cards with `params`, corners in straightened
// pixels either way. Safe to call from several threads at once (the remap tables are made
// once per frame size, under a lock).
std::function<std::vector<CardRead>(const cv::Mat& gray)> undistorting_detector(
    CameraProfile profile, DetectParams params = {}, Undistortion how = Undistortion::Corners);

}  // namespace cardpoll::calibration
