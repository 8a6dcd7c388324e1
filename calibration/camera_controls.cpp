#include "calibration/camera_controls.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace cardpoll::calibration {

namespace {

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

bool near(double a, double b) { return std::abs(a - b) <= std::max(0.51, 0.02 * std::abs(b)); }

// V4L2 auto exposure through OpenCV: 1 = manual, 3 = aperture priority (auto). Older
// backends used 0.25 / 0.75 for the same; both are tried and the read-back decides.
bool set_auto_exposure(cv::VideoCapture& cap, bool on) {
  for (double v : on ? std::vector<double>{3, 0.75} : std::vector<double>{1, 0.25})
    if (cap.set(cv::CAP_PROP_AUTO_EXPOSURE, v) && near(cap.get(cv::CAP_PROP_AUTO_EXPOSURE), v)) return true;
  return false;
}

std::string exposure_now(cv::VideoCapture& cap) {
  const double a = cap.get(cv::CAP_PROP_AUTO_EXPOSURE), e = cap.get(cv::CAP_PROP_EXPOSURE);
  std::string s = (a == 3 || a == 0.75) ? "auto" : (a == 1 || a == 0.25) ? "manual" : "mode " + num(a);
  return s + ", exposure " + num(e);
}

std::string focus_now(cv::VideoCapture& cap) {
  const double a = cap.get(cv::CAP_PROP_AUTOFOCUS), f = cap.get(cv::CAP_PROP_FOCUS);
  if (a < 0 && f < 0) return "not reported by this camera";
  return std::string(a > 0 ? "autofocus on" : "autofocus off") + ", focus " + num(f);
}

}  // namespace

void check_control_value(const std::string& control, const std::string& value) {
  if (value == "auto") return;
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end || !std::isfinite(v))
    throw std::invalid_argument("--" + control + " " + value + ": expected auto or a number");
}

std::vector<ControlOutcome> apply_camera_controls(cv::VideoCapture& cap, const CameraControlRequest& req) {
  std::vector<ControlOutcome> out;
  {
    ControlOutcome o{"exposure", req.exposure.value_or(""), false, ""};
    if (req.exposure) {
      check_control_value("exposure", *req.exposure);
      if (*req.exposure == "auto") {
        o.accepted = set_auto_exposure(cap, true);
      } else {
        const double v = std::strtod(req.exposure->c_str(), nullptr);
        // Manual mode first: most cameras ignore an exposure value while in auto.
        o.accepted = set_auto_exposure(cap, false) && cap.set(cv::CAP_PROP_EXPOSURE, v) &&
                     near(cap.get(cv::CAP_PROP_EXPOSURE), v);
      }
    }
    o.now = exposure_now(cap);
    out.push_back(o);
  }
  {
    ControlOutcome o{"focus", req.focus.value_or(""), false, ""};
    if (req.focus) {
      check_control_value("focus", *req.focus);
      if (*req.focus == "auto") {
        o.accepted = cap.set(cv::CAP_PROP_AUTOFOCUS, 1) && cap.get(cv::CAP_PROP_AUTOFOCUS) > 0;
      } else {
        const double v = std::strtod(req.focus->c_str(), nullptr);
        o.accepted = cap.set(cv::CAP_PROP_AUTOFOCUS, 0) && cap.set(cv::CAP_PROP_FOCUS, v) &&
                     near(cap.get(cv::CAP_PROP_FOCUS), v);
      }
    }
    o.now = focus_now(cap);
    out.push_back(o);
  }
  return out;
}

}  // namespace cardpoll::calibration
