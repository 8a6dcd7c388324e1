// `cardpoll calibrate range`: can this camera read a card at the back of the room?
// The teacher holds one card where the farthest student sits; from the frames we measure
// the card's width in pixels, look up the scanner's recall at that width, and say what
// would fix a shortfall (bigger print, higher resolution, closer camera). Focus and
// exposure are judged on the same frames, with advice in words.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "scanner/card_read.h"

namespace cardpoll::calibration {

// Side of the printed pattern square in pixels: the mean of its four projected sides (a
// tilted card is shorter one way; the detector has to resolve the cells along both).
double card_width_px(const CardRead& read);

// The scanner's measured recall (fraction of cards read in a frame) by pattern width, for
// the cards of a deck: "plickers" has its own curve (its stricter rules read fewer small
// cards); every other deck has the classroom deck's.
struct RecallPoint {
  double width_px;
  double recall;
};
const std::vector<RecallPoint>& scanner_recall_curve(std::string_view deck = "classroom");
// Linear interpolation on the curve; 0 below its first point, its last value above.
double expected_recall(double width_px, std::string_view deck = "classroom");
// The smallest width at which the curve reaches `recall` (interpolated).
double width_for_recall(double recall, std::string_view deck = "classroom");

// Variance of the Laplacian over `roi` (the whole frame when empty): high on crisp edges,
// low when the picture is soft. Only comparable on similar content (a card's black and
// white cells), which is why the range check measures it on the card.
double focus_measure(const cv::Mat& gray, cv::Rect roi = {});

struct Exposure {
  double mean = 0;            // 0..255
  double clipped_dark = 0;    // fraction of pixels at or below 5
  double clipped_bright = 0;  // fraction at or above 250
  double card_contrast = 0;   // white cells minus black cells on the card (0 when no card)
};
Exposure measure_exposure(const cv::Mat& gray, const CardRead* card = nullptr);

struct RangeReport {
  int frames = 0;                 // frames looked at
  int frames_with_card = 0;       // frames where the card was read (observed recall)
  std::optional<CardRead> card;   // the smallest card read in the last frame that had one
  double width_px = 0;            // median over the frames that read it
  double expected_recall = 0;     // from the curve, at width_px
  double target_recall = 0.95;
  double needed_width_px = 0;     // width for target_recall
  double focus = 0;               // focus_measure on the card (median)
  double sharp_focus = 0;         // what a sharp card of this width measures (see .cpp)
  Exposure exposure;              // of the last frame
  cv::Size frame_size;
  std::vector<std::string> advice;  // in words, most important first
};

// Accumulates frames into a report (call add_frame for each, then finish).
struct RangeCheck {
  double target_recall = 0.95;
  std::string deck = "classroom";  // whose recall curve the card's width is looked up on
  void add_frame(const cv::Mat& gray, const std::vector<CardRead>& reads);
  RangeReport finish() const;

  int frames = 0;
  std::vector<double> widths, focuses;
  std::optional<CardRead> last_card;
  cv::Mat last_frame;
};

}  // namespace cardpoll::calibration
