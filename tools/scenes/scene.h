// Synthetic classroom frames with ground truth, for tests, benchmarks and demos.
//
//   SceneSpec spec;                       // 1920x1080, 40 random classroom cards, typical
//   spec.seed = 7;
//   Scene s = render_scene(spec);         // s.gray: the frame; s.truth: every marker
//
// The same seed always gives the same frame. To compare detectors on identical layouts,
// draw the placements once and render them with each marker kind:
//   spec.placements = random_placements(spec);
//   spec.markers = MarkerKind::Aruco4x4_50;   Scene a = render_scene(spec);
// Background, clutter, light, blur, noise and JPEG depend only on the seed and difficulty,
// so only the markers differ.
//
// Cards come from pattern-only PNGs (`cardpoll cards --format png --pattern-only --out DIR`,
// DIR/<card>.png, upright) when `pattern_dir` is set, else from print::pattern_image.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/deck.h"

namespace cardpoll::scenes {

enum class Difficulty { Easy, Typical, Hard };
// "easy", "typical", "hard"; throws std::invalid_argument naming the bad word.
Difficulty difficulty_from_name(const std::string& name);
const char* difficulty_name(Difficulty d);

// What is printed at each placement. Markers other than cards are sized so their outer
// black square has the placement's side (the cards' pattern square has it too).
enum class MarkerKind { Card, Aruco4x4_50, AprilTag16h5, AprilTag36h11 };
const char* marker_name(MarkerKind k);

struct Placement {
  int card = 1;                // card number (markers: id = (card - 1) modulo the family size)
  Answer answer = Answer::A;   // which letter the student holds on top
  cv::Point2f centre{960, 540};  // pattern centre in the frame, pixels
  float side_px = 40;          // pattern side, pixels (before tilt)
  float roll_deg = 0;          // in-plane rotation (clockwise on screen) on top of the answer
  float tilt_x_deg = 0;        // turned about the horizontal axis (top away from camera > 0)
  float tilt_y_deg = 0;        // turned about the vertical axis
  bool finger = false;         // a finger over the quiet zone
};

struct SceneSpec {
  cv::Size size{1920, 1080};
  uint64_t seed = 1;
  Difficulty difficulty = Difficulty::Typical;
  const Deck* deck = nullptr;  // nullptr: classroom
  MarkerKind markers = MarkerKind::Card;
  // When `placements` is empty, `random_cards` placements are drawn from the seed with
  // sides uniform in [min_side_px, max_side_px] and poses from the difficulty.
  int random_cards = 40;
  float min_side_px = 10;
  float max_side_px = 60;
  std::vector<Placement> placements;
  bool clutter = true;         // dark squares, text, checkerboards, look-alike grids, clothes
  bool degrade = true;         // light, glare, lens distortion, blur, noise, JPEG
  std::filesystem::path pattern_dir;  // load cards from DIR/<card>.png when set
};

struct TruthMarker {
  int card = 0;                // card number, or marker id for other kinds
  Answer answer = Answer::A;
  // Corners in card order (printed TL, TR, BR, BL; markers: their own TL, TR, BR, BL),
  // pixel-centre coordinates of the final (distorted) frame.
  std::array<cv::Point2f, 4> corners{};
  float side_px = 0;           // mean side of the projected pattern square, pixels
};

struct Scene {
  cv::Mat gray;                // CV_8UC1, spec.size
  std::vector<TruthMarker> truth;
};

// Random, non-overlapping placements for the spec's seed, size and difficulty.
std::vector<Placement> random_placements(const SceneSpec& spec);

// Renders the frame. Throws std::runtime_error naming the file when a pattern PNG is
// missing or unreadable, std::invalid_argument for a card outside the deck.
Scene render_scene(const SceneSpec& spec);

// Writes `gt` as text: one line per marker "card answer x0 y0 x1 y1 x2 y2 x3 y3 side".
std::string truth_text(const std::vector<TruthMarker>& gt);

}  // namespace cardpoll::scenes
