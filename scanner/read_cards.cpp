// The detector chain: threshold -> candidates -> refine -> decode (see read_cards.h).
#include "scanner/read_cards.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll {

namespace {

// Any frame to 8-bit grey; an empty Mat for what cannot be a picture.
cv::Mat to_gray8(const cv::Mat& in) {
  if (in.empty() || in.dims != 2) return {};
  cv::Mat m = in;
  const int ch = m.channels();
  if (ch != 1 && ch != 3 && ch != 4) return {};
  if (m.depth() != CV_8U) {
    double lo = 0, hi = 0;
    cv::Mat one = m.reshape(1);
    cv::minMaxLoc(one, &lo, &hi);
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
    // 16-bit and float frames: scale the type's full range (or the observed one for
    // floats) onto 0..255.
    double scale = 1.0;
    if (m.depth() == CV_16U) scale = 255.0 / 65535.0;
    else if (m.depth() == CV_16S) scale = 255.0 / 32767.0;
    else if (m.depth() == CV_32F || m.depth() == CV_64F) scale = hi > 1.0 ? 255.0 / hi : 255.0;
    else if (m.depth() == CV_8S) scale = 2.0;
    cv::Mat conv;
    m.convertTo(conv, CV_MAKETYPE(CV_8U, ch), scale);
    m = conv;
  }
  if (ch == 3) {
    cv::Mat g;
    cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
    return g;
  }
  if (ch == 4) {
    cv::Mat g;
    cv::cvtColor(m, g, cv::COLOR_BGRA2GRAY);
    return g;
  }
  return m;
}

}  // namespace

std::vector<CardRead> read_cards(const cv::Mat& frame, const DetectParams& params) {
  std::vector<CardRead> reads;
  const Deck* deck = params.deck ? params.deck : find_deck("classroom");
  if (!deck) return reads;
  const cv::Mat gray = to_gray8(frame);
  // Smaller than a card plus its quiet zone: nothing to find.
  if (gray.empty() || gray.cols < 8 || gray.rows < 8) return reads;

  const cv::Mat dark = detect::threshold_dark(gray, params);
  const auto candidates = detect::find_candidates(dark, params);
  for (const auto& cand : candidates) {
    for (size_t qi = 0; qi < cand.quads.size(); ++qi) {
      const auto& quad = cand.quads[qi];
      if (!detect::centre_on_hole(cand, quad, deck->grid)) continue;
      if (!detect::looks_like_card(gray, quad, *deck, params)) continue;
      // A completed corner is a guess: such a quad must read clearly.
      DetectParams strict = params;
      strict.min_margin = std::max(params.min_margin, detect::kStrictMinMargin);
      const DetectParams& first = qi >= cand.first_completed ? strict : params;
      std::optional<CardRead> read;
      if (params.refine_corners) {
        // A quad whose sides cannot all be refined is not a whole card: not decoded at all.
        const auto refined = detect::refine_corners(gray, quad, deck->grid);
        if (!refined) continue;
        read = detect::decode_card(gray, *refined, *deck, first);
        // On cards of a few pixels per cell the hull corners sometimes sample better; such
        // a read must be clearer (a look-alike with a corner cell missing once passed at a
        // margin of 0.2 here).
        if (!read) read = detect::decode_card(gray, quad, *deck, strict);
      } else {
        read = detect::decode_card(gray, quad, *deck, first);
      }
      if (read) {
        reads.push_back(*read);
        break;
      }
    }
  }
  return reads;
}

}  // namespace cardpoll
