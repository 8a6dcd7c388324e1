// The camera between the room and the detector (see scene_parts.h): light, optics, sensor,
// firmware and compression, in the order a webcam applies them.
#include <algorithm>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tools/scenes/scene_parts.h"

namespace cardpoll::scenes::detail {

namespace {

// Barrel distortion about the frame centre, defined by where each output pixel samples the
// undistorted frame: src = c + (dst - c) * (1 + k r^2), r relative to the half-diagonal.
struct Barrel {
  double k;
  cv::Point2d c;
  double R2;
  cv::Point2f undistorted_of(cv::Point2f d) const {
    const double dx = d.x - c.x, dy = d.y - c.y;
    const double g = 1 + k * (dx * dx + dy * dy) / R2;
    return {static_cast<float>(c.x + dx * g), static_cast<float>(c.y + dy * g)};
  }
  cv::Point2f distorted_of(cv::Point2f u) const {  // fixed-point inverse
    cv::Point2f d = u;
    for (int i = 0; i < 20; ++i) {
      const double dx = d.x - c.x, dy = d.y - c.y;
      const double g = 1 + k * (dx * dx + dy * dy) / R2;
      d = {static_cast<float>(c.x + (u.x - c.x) / g), static_cast<float>(c.y + (u.y - c.y) / g)};
    }
    return d;
  }
};

// Light reaching each pixel, as a gain (falloff, vignetting, exposure) and an offset
// (glare spots), applied to all three channels alike.
void light(cv::Mat3f& f, const Effects& e, Rng& rng, Rng& fx, const cv::Mat1b& window) {
  const float dir = uni(rng, 0, 2 * static_cast<float>(kPi));
  const float gx = std::cos(dir), gy = std::sin(dir);
  const float strength = e.gradient * uni(rng, 0.5f, 1.0f);
  const float diag = std::hypot(static_cast<float>(f.cols), static_cast<float>(f.rows));
  const float exposure = e.exposure_hi > e.exposure_lo ? uni(fx, e.exposure_lo, e.exposure_hi) : e.exposure_lo;
  const float vig = e.vignette > 0 ? e.vignette * uni(fx, 0.5f, 1.0f) : 0.0f;
  // Backlight: the auto exposure meters the bright window and darkens the room.
  const bool backlit = !window.empty();
  const float room_gain = backlit ? uni(fx, 0.5f, 0.75f) : 1.0f;
  const float cx = f.cols / 2.0f, cy = f.rows / 2.0f, r2max = cx * cx + cy * cy;
  for (int y = 0; y < f.rows; ++y) {
    cv::Vec3f* row = f.ptr<cv::Vec3f>(y);
    for (int x = 0; x < f.cols; ++x) {
      const float t = ((x - cx) * gx + (y - cy) * gy) / diag + 0.5f;
      float g = 1.0f - strength * t;
      if (vig > 0) g *= 1.0f - vig * ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2max;
      row[x] *= g * exposure * room_gain;
    }
  }
  for (int i = 0; i < e.glare_spots; ++i) {
    const cv::Point2f c(uni(rng, 0, static_cast<float>(f.cols)), uni(rng, 0, static_cast<float>(f.rows)));
    const float rad = uni(rng, 40, 160), amp = uni(rng, 40, 90);
    const int x0 = std::max(0, static_cast<int>(c.x - 3 * rad)), x1 = std::min(f.cols, static_cast<int>(c.x + 3 * rad));
    const int y0 = std::max(0, static_cast<int>(c.y - 3 * rad)), y1 = std::min(f.rows, static_cast<int>(c.y + 3 * rad));
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) {
        const float d2 = ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y)) / (rad * rad);
        f(y, x) += cv::Vec3f::all(amp * std::exp(-d2 / 2));
      }
  }
  if (backlit) {  // the window itself clips, and its light spills over what is near it
    cv::Mat1f spill;
    window.convertTo(spill, CV_32F, 1.0 / 255);
    const float reach = uni(fx, 20, 60);
    cv::GaussianBlur(spill, spill, {0, 0}, reach);
    for (int y = 0; y < f.rows; ++y)
      for (int x = 0; x < f.cols; ++x) {
        if (window(y, x)) f(y, x) = cv::Vec3f::all(300);
        else f(y, x) += cv::Vec3f::all(160 * spill(y, x));
      }
  }
}

// Out of focus: a uniform disk (the aperture's image), not a Gaussian.
void defocus(cv::Mat3f& f, float radius) {
  const int r = static_cast<int>(std::ceil(radius));
  cv::Mat1f k(2 * r + 1, 2 * r + 1, 0.0f);
  for (int y = -r; y <= r; ++y)
    for (int x = -r; x <= r; ++x) {
      // Anti-aliased edge: coverage of the pixel by the disk, roughly.
      const float d = std::sqrt(static_cast<float>(x * x + y * y));
      k(y + r, x + r) = std::clamp(radius + 0.5f - d, 0.0f, 1.0f);
    }
  k /= cv::sum(k)[0];
  cv::filter2D(f, f, -1, k, {-1, -1}, 0, cv::BORDER_REPLICATE);
}

// Compression as a webcam's MJPG stream does it: luma at full resolution, chroma at half
// in both directions (4:2:0), then the app's BGR -> grey. Without 4:2:0, a grey JPEG.
cv::Mat compress(const cv::Mat3b& frame, const Effects& e, Rng& rng, Rng& fx) {
  const int quality = e.jpeg_hi > e.jpeg_lo ? uni_int(fx, e.jpeg_lo, e.jpeg_hi) : e.jpeg_lo;
  cv::Mat gray;
  if (!e.chroma_420) {
    cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
    if (quality <= 0) return gray;
    std::vector<uchar> buf;
    cv::imencode(".jpg", gray, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
    return cv::imdecode(buf, cv::IMREAD_GRAYSCALE);
  }
  (void)rng;
  cv::Mat3b colour;
  if (quality > 0) {
    // libjpeg's default for colour is 4:2:0 (2x2 luma blocks per chroma sample).
    std::vector<uchar> buf;
    cv::imencode(".jpg", frame, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
    colour = cv::imdecode(buf, cv::IMREAD_COLOR);
  } else {
    cv::Mat ycc;
    cv::cvtColor(frame, ycc, cv::COLOR_BGR2YCrCb);
    std::vector<cv::Mat> ch;
    cv::split(ycc, ch);
    for (int i = 1; i < 3; ++i) {
      cv::Mat half;
      cv::resize(ch[static_cast<size_t>(i)], half, {(frame.cols + 1) / 2, (frame.rows + 1) / 2}, 0, 0, cv::INTER_AREA);
      cv::resize(half, ch[static_cast<size_t>(i)], frame.size(), 0, 0, cv::INTER_LINEAR);
    }
    cv::merge(ch, ycc);
    cv::cvtColor(ycc, colour, cv::COLOR_YCrCb2BGR);
  }
  cv::cvtColor(colour, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

}  // namespace

cv::Mat camera_pipeline(cv::Mat3f f, const Effects& e, Rng& rng, Rng& fx, const cv::Mat1b& window,
                        std::vector<TruthMarker>& truth) {
  light(f, e, rng, fx, window);
  if (e.barrel > 0) {  // lens: barrel distortion (the truth corners move with it)
    const cv::Point2d c(f.cols / 2.0, f.rows / 2.0);
    const Barrel barrel{e.barrel * uni(rng, 0.5f, 1.0f), c, c.x * c.x + c.y * c.y};
    cv::Mat mx(f.size(), CV_32F), my(f.size(), CV_32F);
    for (int y = 0; y < f.rows; ++y)
      for (int x = 0; x < f.cols; ++x) {
        const cv::Point2f u = barrel.undistorted_of({static_cast<float>(x), static_cast<float>(y)});
        mx.at<float>(y, x) = u.x;
        my.at<float>(y, x) = u.y;
      }
    cv::Mat out;
    cv::remap(f, out, mx, my, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    f = out;
    for (auto& t : truth)
      for (auto& p : t.corners) p = barrel.distorted_of(p);
  }
  const float sigma = uni(rng, e.blur_lo, e.blur_hi);
  if (chance(fx, e.defocus_chance)) defocus(f, uni(fx, e.defocus_lo, e.defocus_hi));
  cv::GaussianBlur(f, f, {0, 0}, sigma);
  // Sensor noise is mostly in luma: the same noise on all three channels.
  cv::Mat1f noise(f.size());
  cv::RNG cvrng(static_cast<uint64_t>(rng()));
  cvrng.fill(noise, cv::RNG::NORMAL, 0, e.noise);
  cv::Mat noise3;
  cv::merge(std::vector<cv::Mat>{noise, noise, noise}, noise3);
  f += noise3;
  if (chance(fx, e.sharpen_chance)) {  // firmware unsharp mask: halos on both sides of edges
    cv::Mat3f soft;
    cv::GaussianBlur(f, soft, {0, 0}, uni(fx, 0.8f, 1.6f));
    const float amount = e.sharpen_amount * uni(fx, 0.5f, 1.0f);
    f = f + (f - soft) * amount;
  }
  cv::Mat3b frame;
  f.convertTo(frame, CV_8UC3);
  return compress(frame, e, rng, fx);
}

}  // namespace cardpoll::scenes::detail
