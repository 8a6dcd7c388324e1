// The scanner's public face: a grayscale frame in, the cards on it out.
//   std::vector<CardRead> reads = read_cards(gray, params);
// Everything else in scanner/ is a stage of that call, or feeds it frames (sources,
// live pipeline). The scanner knows nothing of students: a read is a card number.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "core/deck.h"

namespace cardpoll {

struct CardRead {
  int card = 0;                       // 1-based number in the deck
  Answer answer = Answer::A;          // which printed letter is on top
  // Corners of the printed pattern in card order: its top-left, top-right, bottom-right,
  // bottom-left as printed (upright = answer A on top), in image pixels.
  std::array<cv::Point2f, 4> corners{};
  float margin = 0;                   // decode margin: how clearly the cells read (0..1)
  int64_t time_ms = 0;                // frame time (set by the frame source / pipeline)
};

}  // namespace cardpoll
