#include "calibration/range_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "core/deck.h"

namespace cardpoll::calibration {

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

std::string fmt(const char* f, double a) {
  char b[160];
  std::snprintf(b, sizeof b, f, a);
  return b;
}

// The card's square (pattern plus its one-cell quiet zone) in image pixels.
std::vector<cv::Point2f> card_with_quiet_zone(const CardRead& r, int grid) {
  const std::vector<cv::Point2f> src = {{0, 0}, {float(grid), 0}, {float(grid), float(grid)}, {0, float(grid)}};
  const std::vector<cv::Point2f> dst(r.corners.begin(), r.corners.end());
  const cv::Mat H = cv::getPerspectiveTransform(src, dst);
  std::vector<cv::Point2f> q = {{-1, -1}, {float(grid + 1), -1}, {float(grid + 1), float(grid + 1)}, {-1, float(grid + 1)}};
  cv::perspectiveTransform(q, q, H);
  return q;
}

double masked_laplacian_variance(const cv::Mat& gray, const cv::Mat& mask) {
  cv::Mat lap;
  cv::Laplacian(gray, lap, CV_32F, 3);
  cv::Scalar mean, sd;
  cv::meanStdDev(lap, mean, sd, mask);
  return sd[0] * sd[0];
}

}  // namespace

double card_width_px(const CardRead& r) {
  double s = 0;
  for (size_t i = 0; i < 4; ++i) s += cv::norm(r.corners[i] - r.corners[(i + 1) % 4]);
  return s / 4;
}

const std::vector<RecallPoint>& scanner_recall_curve(std::string_view deck) {
  // Where the numbers come from: see the comments at the top of the .inc files.
  static const std::vector<RecallPoint> classroom = {
#include "calibration/recall_curve.inc"
  };
  static const std::vector<RecallPoint> plickers = {
#include "calibration/recall_curve_plickers.inc"
  };
  return deck == "plickers" ? plickers : classroom;
}

double expected_recall(double w, std::string_view deck) {
  const auto& c = scanner_recall_curve(deck);
  if (c.empty() || w < c.front().width_px) return 0;
  for (size_t i = 1; i < c.size(); ++i)
    if (w <= c[i].width_px) {
      const double t = (w - c[i - 1].width_px) / (c[i].width_px - c[i - 1].width_px);
      return c[i - 1].recall + t * (c[i].recall - c[i - 1].recall);
    }
  return c.back().recall;
}

double width_for_recall(double recall, std::string_view deck) {
  const auto& c = scanner_recall_curve(deck);
  for (size_t i = 0; i < c.size(); ++i)
    if (c[i].recall >= recall) {
      if (i == 0) return c[0].width_px;
      const double t = (recall - c[i - 1].recall) / (c[i].recall - c[i - 1].recall);
      return c[i - 1].width_px + t * (c[i].width_px - c[i - 1].width_px);
    }
  return c.empty() ? 0 : c.back().width_px;  // the curve never gets there: its largest width
}

double focus_measure(const cv::Mat& gray, cv::Rect roi) {
  if (gray.empty()) return 0;
  if (roi.area() <= 0) roi = cv::Rect(0, 0, gray.cols, gray.rows);
  roi &= cv::Rect(0, 0, gray.cols, gray.rows);
  if (roi.width < 3 || roi.height < 3) return 0;
  cv::Mat lap;
  cv::Laplacian(gray(roi), lap, CV_32F, 3);
  cv::Scalar mean, sd;
  cv::meanStdDev(lap, mean, sd);
  return sd[0] * sd[0];
}

Exposure measure_exposure(const cv::Mat& gray, const CardRead* card) {
  Exposure e;
  if (gray.empty()) return e;
  int hist[256] = {0};
  for (int y = 0; y < gray.rows; ++y) {
    const uint8_t* p = gray.ptr<uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) ++hist[p[x]];
  }
  const double n = double(gray.total());
  double sum = 0, dark = 0, bright = 0;
  for (int v = 0; v < 256; ++v) {
    sum += double(v) * hist[v];
    if (v <= 5) dark += hist[v];
    if (v >= 250) bright += hist[v];
  }
  e.mean = sum / n;
  e.clipped_dark = dark / n;
  e.clipped_bright = bright / n;
  if (card) {
    // Inside the pattern: its black cells are the darkest tenth, white cells the lightest.
    const std::vector<cv::Point2f> c(card->corners.begin(), card->corners.end());
    std::vector<cv::Point> poly;
    for (auto p : c) poly.emplace_back(cvRound(p.x), cvRound(p.y));
    cv::Mat mask = cv::Mat::zeros(gray.size(), CV_8UC1);
    cv::fillConvexPoly(mask, poly, cv::Scalar(255));
    std::vector<uint8_t> vals;
    for (int y = 0; y < gray.rows; ++y)
      for (int x = 0; x < gray.cols; ++x)
        if (mask.at<uint8_t>(y, x)) vals.push_back(gray.at<uint8_t>(y, x));
    if (vals.size() >= 10) {
      std::sort(vals.begin(), vals.end());
      e.card_contrast = double(vals[vals.size() * 9 / 10]) - double(vals[vals.size() / 10]);
    }
  }
  return e;
}

void RangeCheck::add_frame(const cv::Mat& gray, const std::vector<CardRead>& reads) {
  ++frames;
  last_frame = gray;
  if (reads.empty()) return;
  // The teacher holds one card at the back; if others are in view, the smallest is the one
  // that decides (the farthest).
  const CardRead* smallest = &reads[0];
  for (const auto& r : reads)
    if (card_width_px(r) < card_width_px(*smallest)) smallest = &r;
  last_card = *smallest;
  widths.push_back(card_width_px(*smallest));
  // Focus on the card and its quiet zone: the same black/white content in every frame.
  const auto q = card_with_quiet_zone(*smallest, 5);
  std::vector<cv::Point> poly;
  for (auto p : q) poly.emplace_back(cvRound(p.x), cvRound(p.y));
  cv::Mat mask = cv::Mat::zeros(gray.size(), CV_8UC1);
  cv::fillConvexPoly(mask, poly, cv::Scalar(255));
  const double contrast = std::max(20.0, measure_exposure(gray, smallest).card_contrast);
  // Divided by the contrast squared: a dim card is not a blurred card.
  focuses.push_back(masked_laplacian_variance(gray, mask) / (contrast * contrast));
}

RangeReport RangeCheck::finish() const {
  RangeReport r;
  r.frames = frames;
  r.frames_with_card = static_cast<int>(widths.size());
  r.card = last_card;
  r.target_recall = target_recall;
  r.frame_size = last_frame.size();
  r.exposure = measure_exposure(last_frame, last_card ? &*last_card : nullptr);
  r.needed_width_px = width_for_recall(target_recall, deck);
  auto& adv = r.advice;
  if (widths.empty()) {
    adv.push_back("No card was read. Hold one card flat, facing the camera, where the farthest "
                  "student sits, with your fingers off its white border. If it is in the picture "
                  "but not read, it is too small, blurred or too dark: see below.");
  } else {
    r.width_px = median(widths);
    r.expected_recall = expected_recall(r.width_px, deck);
    r.focus = median(focuses);
    // What a sharp card of this width measures: about 45 / w (the edges between cells are a
    // fraction ~1/w of the card's pixels). Measured on cards rendered sharp through a
    // pinhole camera at 22, 40 and 60 px (tests/calibration/range_check_test.cpp prints it);
    // a Gaussian blur of 2 px brings it to ~2% of that.
    r.sharp_focus = 45 / std::max(r.width_px, 6.0);
    if (r.expected_recall < target_recall) {
      const double f = r.needed_width_px / r.width_px;
      adv.push_back(fmt("The card is %.0f px wide; the scanner reads about ", r.width_px) +
                    fmt("%.0f%% of cards that size. ", 100 * r.expected_recall) +
                    fmt("It needs %.0f px ", r.needed_width_px) +
                    fmt("for %.0f%%. Any one of these fixes it:", 100 * target_recall));
      adv.push_back(fmt("  - print the cards bigger: %.2fx the current size (fewer per page)", f));
      const int need_w = static_cast<int>(std::ceil(r.frame_size.width * f));
      const int need_h = static_cast<int>(std::ceil(r.frame_size.height * f));
      std::string res = "  - a higher camera resolution: at least " + std::to_string(need_w) + "x" +
                        std::to_string(need_h);
      if (need_w > 3840) res += " (beyond 4K: not practical, choose another fix)";
      adv.push_back(res);
      adv.push_back(fmt("  - move the camera closer: to %.0f%% of its distance from the back row", 100 / f));
    } else {
      adv.push_back(fmt("The card is %.0f px wide: enough (the scanner reads ", r.width_px) +
                    fmt("%.0f%% of cards that size).", 100 * r.expected_recall));
    }
    if (frames > 1 && r.frames_with_card < frames)
      adv.push_back("It was read in " + std::to_string(r.frames_with_card) + " of " +
                    std::to_string(frames) + " frames.");
    if (r.focus < 0.15 * r.sharp_focus)
      adv.push_back("The picture is blurred on the card: turn autofocus on, or focus on the back "
                    "row (--focus), clean the lens, and keep the camera still.");
    else if (r.focus < 0.35 * r.sharp_focus)
      adv.push_back("The card is a little soft: focus on the back row (--focus) if you can.");
  }
  const Exposure& e = r.exposure;
  if (e.clipped_bright > 0.05)
    adv.push_back(fmt("%.0f%% of the picture is pure white: a window or lamp in view, or the exposure is "
                      "too long (--exposure lower; close the blinds behind the students).",
                      100 * e.clipped_bright));
  if (e.mean < 60)
    adv.push_back(fmt("The picture is dark (mean %.0f of 255): more light on the students, or a longer "
                      "exposure (--exposure higher).", e.mean));
  else if (e.clipped_dark > 0.25)
    adv.push_back(fmt("%.0f%% of the picture is pure black: the exposure is too short.", 100 * e.clipped_dark));
  if (last_card && e.card_contrast < 60)
    adv.push_back(fmt("The card has little contrast (%.0f of 255 between its black and white cells): "
                      "glare on the card, or too little light on it.", e.card_contrast));
  return r;
}

}  // namespace cardpoll::calibration
