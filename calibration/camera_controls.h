// Exposure and focus on a webcam, where the camera allows it. Webcams differ wildly: many
// ignore some controls, some accept a value and silently keep their own. So every request
// is read back and reported as what the camera actually did.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <opencv2/videoio.hpp>

namespace cardpoll::calibration {

// What to ask for: std::nullopt leaves the control alone; "auto" is a value of its own.
struct CameraControlRequest {
  std::optional<std::string> exposure;  // "auto" or a number in the camera's own units
  std::optional<std::string> focus;     // "auto" or a number (0 = far on most UVC webcams)
};

struct ControlOutcome {
  std::string control;   // "exposure", "focus"
  std::string asked;     // "auto", "-6", ... or "" when only read
  bool accepted = false; // the camera took it (read back matches)
  std::string now;       // what the camera reports afterwards, in words
};

// Parses a request value: "auto" or a finite number. Throws std::invalid_argument naming
// the control and value otherwise.
void check_control_value(const std::string& control, const std::string& value);

// Applies the request and reads every control back (also those not asked for, so the
// teacher sees the current state). `cap` must be open.
std::vector<ControlOutcome> apply_camera_controls(cv::VideoCapture& cap, const CameraControlRequest& req);

}  // namespace cardpoll::calibration
