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
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/deck.h"

namespace cardpoll::scenes {

// easy: a clean room. typical: a randomised mix of everything below at moderate strength.
// hard: the same mix, stronger and more often. wild: every effect at its full range, often.
enum class Difficulty { Easy, Typical, Hard, Wild };
// "easy", "typical", "hard", "wild"; throws std::invalid_argument naming the bad word.
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

// Every way a frame departs from a clean print, one named knob each (render_scene has a flag
// per knob, docs/scanner.md says which detector stage each one tests). Ranges are [lo, hi],
// drawn uniformly; a "chance" is the probability per card (card effects) or per frame
// (light and camera effects). effects_of(difficulty) gives the presets.
struct Effects {
  // --- pose ------------------------------------------------------------------------------
  float max_roll_deg = 20;       // in-plane rotation, uniform in +-max (the detector refuses > 30)
  float max_tilt_deg = 35;       // tilt, uniform 0..max about a random axis in the card plane
  float finger_chance = 0.3f;    // a thumb over the quiet zone
  // --- the card itself ---------------------------------------------------------------------
  float paper_lo = 0.88f, paper_hi = 1.02f;  // paper brightness, fraction of 240 grey levels
                                 // (grey card stock, a shadow, a dim corner; > 1: bright light)
  float tint_chance = 0;         // tinted card stock (yellow, pink, blue, green pastel)
  float margin_lo = 1.6f, margin_hi = 1.6f;  // white paper around the pattern, in cells
  float curl_chance = 0, curl_max = 0;  // the card sags (held at one edge): cylindrical bend,
                                 // depth of the free edge up to curl_max x the card's width
  float glare_band_chance = 0;   // a laminate glare band across the card (washes out the ink)
  float motion_chance = 0;       // the hand moves during the exposure: a line blur of
  float motion_lo = 1, motion_hi = 3;  // motion_lo..motion_hi px in a random direction
  // --- surroundings --------------------------------------------------------------------------
  int clutter = 30;              // clutter objects per 1080p frame (clothes, squares, text, grids)
  int big_clutter = 0;           // large desks and posters per 1080p frame
  float backdrop_chance = 0;     // a dark, saturated-colour or patterned object (shirt, chair,
                                 // bag) right behind the card, touching the paper's edge
  // --- light ----------------------------------------------------------------------------------
  float gradient = 0.35f;        // linear light falloff across the frame (0..1)
  int glare_spots = 1;           // soft bright spots
  float vignette = 0;            // lens falloff: brightness at the frame corner is 1 - vignette
  float backlight_chance = 0;    // a bright window behind the students: the camera's auto
                                 // exposure darkens everything else, light spills round it
  float exposure_lo = 1, exposure_hi = 1;  // gain on the whole frame (< 1 under-, > 1 over-
                                 // exposed: white paper clips at 255)
  // --- optics and sensor -------------------------------------------------------------------------
  float barrel = 0.02f;          // radial distortion at the frame corner, fraction of the radius
  float blur_lo = 0.5f, blur_hi = 0.8f;  // Gaussian blur sigma, px (optics and demosaicing)
  float defocus_chance = 0;      // out of focus: a disk blur of defocus_lo..defocus_hi px radius
  float defocus_lo = 1, defocus_hi = 3;
  float noise = 3;               // sensor noise sigma, grey levels
  float sharpen_chance = 0;      // firmware sharpening (unsharp mask): bright/dark halos at edges
  float sharpen_amount = 1;      // ... of this strength (1: the edge overshoots by its height)
  // --- webcam compression --------------------------------------------------------------------------
  bool chroma_420 = false;       // colour JPEG with 4:2:0 chroma subsampling (a webcam's MJPG),
                                 // then BGR -> grey as the app does; off: grey JPEG
  int jpeg_lo = 85, jpeg_hi = 85;  // JPEG quality range (0: no compression)
};

// The preset of a difficulty.
Effects effects_of(Difficulty d);

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
  bool degrade = true;         // light, glare, lens distortion, blur, noise, JPEG; off: also plain
                               // flat white cards with the default margin (unless `effects` is set)
  // When set, replaces effects_of(difficulty) (render_scene's effect flags set fields of it).
  std::optional<Effects> effects;
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
