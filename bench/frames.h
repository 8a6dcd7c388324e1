// What the scanner benchmarks share (bench_scanner, diag_*): their 1080p frames of 40 cards,
// and the one rule for which shown card a read is of.
#pragma once

#include <opencv2/core.hpp>

#include "tools/scenes/scene.h"

namespace cardpoll::bench {

// A 1080p frame of 40 cards of `min_side`-`max_side` px, numbers drawn over `deck`.
inline scenes::SceneSpec frame_spec(scenes::Difficulty setting, uint64_t seed, float min_side, float max_side,
                                    const Deck* deck) {
  scenes::SceneSpec spec;
  spec.seed = seed;
  spec.difficulty = setting;
  spec.size = {1920, 1080};
  spec.random_cards = 40;
  spec.min_side_px = min_side;
  spec.max_side_px = max_side;
  spec.deck = deck;
  return spec;
}

inline cv::Point2f centre_of(const std::array<cv::Point2f, 4>& corners) {
  cv::Point2f c(0, 0);
  for (const auto& q : corners) c += q * 0.25f;
  return c;
}

// The card whose centre is nearest `centre`, within 0.35 of its side: an index into
// s.truth, or -1 when no card is there.
inline int shown_card_at(const scenes::Scene& s, cv::Point2f centre) {
  int best = -1;
  float bd = 1e9f;
  for (size_t i = 0; i < s.truth.size(); ++i) {
    const float d = static_cast<float>(cv::norm(centre_of(s.truth[i].corners) - centre));
    if (d < 0.35f * s.truth[i].side_px && d < bd) {
      bd = d;
      best = static_cast<int>(i);
    }
  }
  return best;
}

}  // namespace cardpoll::bench
