// Scene renderer: see scene.h. Everything random comes from the spec's seed, in two
// independent streams (placements; everything else) so a layout can be re-rendered with
// another marker kind and an identical background.
#include "tools/scenes/scene.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include <opencv2/aruco.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#ifdef CARDPOLL_HAVE_APRILTAG
extern "C" {
#include <apriltag/apriltag.h>
#include <apriltag/tag16h5.h>
#include <apriltag/tag36h11.h>
}
#endif

#include "display/print/pattern.h"
#include "tools/scenes/scene_parts.h"

namespace cardpoll::scenes {

namespace {

using namespace detail;

// Default white around the pattern, in cells: the quiet zone plus the rest of the margin.
constexpr float kCardMarginCells = 1.6f;
constexpr int kSourcePxPerCell = 16;

const Deck& deck_of(const SceneSpec& s) {
  const Deck* d = s.deck ? s.deck : find_deck("classroom");
  if (!d) throw std::runtime_error("classroom deck missing");
  return *d;
}

// Cells per side of a marker's outer black square (cards: the whole pattern).
int marker_cells(MarkerKind k, const Deck& deck) {
  switch (k) {
    case MarkerKind::Card: return deck.grid;
    case MarkerKind::Aruco4x4_50: return 6;
    case MarkerKind::AprilTag16h5: return 6;
    case MarkerKind::AprilTag36h11: return 8;
  }
  return deck.grid;
}

// Upright marker image (black 0 / white 255), `cells` x `cells` cells of `ppc` pixels.
cv::Mat marker_image(const SceneSpec& spec, const Deck& deck, int card, int ppc,
                     std::map<int, cv::Mat>& png_cache) {
  switch (spec.markers) {
    case MarkerKind::Card: {
      if (card < 1 || card > deck.cards())
        throw std::invalid_argument("card " + std::to_string(card) + " is not in deck '" +
                                    std::string(deck.name) + "'");
      if (!spec.pattern_dir.empty()) {
        auto it = png_cache.find(card);
        if (it == png_cache.end()) {
          const auto path = spec.pattern_dir / (std::to_string(card) + ".png");
          cv::Mat m = cv::imread(path.string(), cv::IMREAD_GRAYSCALE);
          if (m.empty()) throw std::runtime_error(path.string() + ": cannot read pattern PNG");
          if (m.cols != m.rows || m.cols % deck.grid != 0)
            throw std::runtime_error(path.string() + ": not a " + std::to_string(deck.grid) + "x" +
                                     std::to_string(deck.grid) + " pattern (" + std::to_string(m.cols) +
                                     "x" + std::to_string(m.rows) + " px)");
          it = png_cache.emplace(card, m).first;
        }
        cv::Mat out;
        cv::resize(it->second, out, {deck.grid * ppc, deck.grid * ppc}, 0, 0, cv::INTER_NEAREST);
        return out;
      }
      const auto img = print::pattern_image(deck, card, ppc);
      return cv::Mat(img.side, img.side, CV_8U, const_cast<uint8_t*>(img.pixels.data())).clone();
    }
    case MarkerKind::Aruco4x4_50: {
      const auto dict = cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50);
      cv::Mat m;
      cv::aruco::drawMarker(dict, (card - 1) % 50, 6 * ppc, m, 1);
      return m;
    }
    case MarkerKind::AprilTag16h5:
    case MarkerKind::AprilTag36h11: {
#ifdef CARDPOLL_HAVE_APRILTAG
      const bool small = spec.markers == MarkerKind::AprilTag16h5;
      apriltag_family_t* fam = small ? tag16h5_create() : tag36h11_create();
      image_u8_t* im = apriltag_to_image(fam, (card - 1) % static_cast<int>(fam->ncodes));
      const int border = (fam->total_width - fam->width_at_border) / 2;
      const int n = fam->width_at_border;
      cv::Mat m(n, n, CV_8U);
      for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) m.at<uchar>(y, x) = im->buf[(y + border) * im->stride + x + border];
      // libapriltag does not export image_u8_destroy; the image is two calloc blocks.
      free(im->buf);
      free(im);
      if (small) tag16h5_destroy(fam);
      else tag36h11_destroy(fam);
      cv::Mat out;
      cv::resize(m, out, {n * ppc, n * ppc}, 0, 0, cv::INTER_NEAREST);
      return out;
#else
      throw std::runtime_error("AprilTag markers need libapriltag (not found at build time)");
#endif
    }
  }
  return {};
}

}  // namespace

Effects effects_of(Difficulty d) {
  Effects e;  // the defaults are the typical room before the wider world was added
  switch (d) {
    case Difficulty::Easy:
      e.max_roll_deg = 10; e.max_tilt_deg = 15; e.finger_chance = 0.1f;
      e.blur_lo = 0.3f; e.blur_hi = 0.5f; e.noise = 1.5f; e.jpeg_lo = e.jpeg_hi = 95;
      e.gradient = 0.15f; e.glare_spots = 0; e.barrel = 0; e.clutter = 12;
      e.paper_lo = 0.88f; e.paper_hi = 1.02f;
      return e;
    case Difficulty::Typical:
      // The old typical room with a randomised mix of the wider world at moderate strength.
      e.max_roll_deg = 25; e.max_tilt_deg = 40;
      e.paper_lo = 0.55f; e.paper_hi = 1.05f; e.tint_chance = 0.2f;
      e.margin_lo = 0.8f; e.margin_hi = 2.0f;
      e.curl_chance = 0.2f; e.curl_max = 0.06f; e.glare_band_chance = 0.1f;
      e.motion_chance = 0.15f; e.motion_lo = 1; e.motion_hi = 2;
      e.big_clutter = 2; e.backdrop_chance = 0.25f;
      e.vignette = 0.2f; e.backlight_chance = 0.1f; e.exposure_lo = 0.8f; e.exposure_hi = 1.2f;
      e.defocus_chance = 0.1f; e.defocus_lo = 1; e.defocus_hi = 1.5f;
      e.sharpen_chance = 0.3f; e.sharpen_amount = 0.8f;
      e.chroma_420 = true; e.jpeg_lo = 70; e.jpeg_hi = 90;
      return e;
    case Difficulty::Hard:
      e.max_roll_deg = 28; e.max_tilt_deg = 50; e.finger_chance = 0.5f;
      e.blur_lo = 0.7f; e.blur_hi = 1.1f; e.noise = 5; e.gradient = 0.5f; e.glare_spots = 3;
      e.barrel = 0.05f; e.clutter = 50;
      e.paper_lo = 0.5f; e.paper_hi = 1.05f; e.tint_chance = 0.3f;
      e.margin_lo = 0.8f; e.margin_hi = 2.0f;
      e.curl_chance = 0.3f; e.curl_max = 0.1f; e.glare_band_chance = 0.2f;
      e.motion_chance = 0.3f; e.motion_lo = 1; e.motion_hi = 3;
      e.big_clutter = 3; e.backdrop_chance = 0.4f;
      e.vignette = 0.35f; e.backlight_chance = 0.2f; e.exposure_lo = 0.65f; e.exposure_hi = 1.35f;
      e.defocus_chance = 0.2f; e.defocus_lo = 1; e.defocus_hi = 2;
      e.sharpen_chance = 0.4f; e.sharpen_amount = 1;
      e.chroma_420 = true; e.jpeg_lo = 55; e.jpeg_hi = 80;
      return e;
    case Difficulty::Wild:
      // Every effect at its full range, often; the optics of typical (the other effects
      // already blur), so this is the wider world rather than a worse camera.
      e.max_roll_deg = 28; e.max_tilt_deg = 50; e.finger_chance = 0.4f;
      e.paper_lo = 0.5f; e.paper_hi = 1.05f; e.tint_chance = 0.4f;
      e.margin_lo = 0.8f; e.margin_hi = 2.0f;
      e.curl_chance = 0.5f; e.curl_max = 0.1f; e.glare_band_chance = 0.3f;
      e.motion_chance = 0.4f; e.motion_lo = 1; e.motion_hi = 3;
      e.clutter = 40; e.big_clutter = 4; e.backdrop_chance = 0.6f;
      e.gradient = 0.4f; e.glare_spots = 2; e.vignette = 0.5f; e.backlight_chance = 0.3f;
      e.exposure_lo = 0.6f; e.exposure_hi = 1.5f;
      e.defocus_chance = 0.3f; e.defocus_lo = 1; e.defocus_hi = 2.5f;
      e.sharpen_chance = 0.5f; e.sharpen_amount = 1.2f;
      e.chroma_420 = true; e.jpeg_lo = 50; e.jpeg_hi = 90;
      return e;
  }
  return e;
}

Difficulty difficulty_from_name(const std::string& name) {
  if (name == "easy") return Difficulty::Easy;
  if (name == "typical") return Difficulty::Typical;
  if (name == "hard") return Difficulty::Hard;
  if (name == "wild") return Difficulty::Wild;
  throw std::invalid_argument("unknown difficulty '" + name + "' (easy, typical, hard, wild)");
}

namespace detail {

// Not white: white paper reaches 255 too, and when the window was found by 255 the paper of
// a card held up in front of it was clipped to a glaring strip inside the card's own margin
// (the wild plickers hunt, frame 998).
const cv::Scalar kWindowPaint(254, 255, 253);

cv::Mat1b paint_window(cv::Mat& frame, Rng& fx) {
  cv::Mat1b window = cv::Mat1b::zeros(frame.size());
  const int w = static_cast<int>(uni(fx, 0.2f, 0.45f) * frame.cols);
  const int h = static_cast<int>(uni(fx, 0.25f, 0.55f) * frame.rows);
  const int x = uni_int(fx, 0, frame.cols - w);
  window(cv::Rect(x, 0, w, h)).setTo(255);
  frame.setTo(kWindowPaint, window);
  return window;
}

cv::Mat1b window_still_showing(const cv::Mat1b& window, const cv::Mat& frame) {
  cv::Mat1b still;
  cv::inRange(frame, kWindowPaint, kWindowPaint, still);
  return window & still;
}

}  // namespace detail

const char* difficulty_name(Difficulty d) {
  switch (d) {
    case Difficulty::Easy: return "easy";
    case Difficulty::Typical: return "typical";
    case Difficulty::Hard: return "hard";
    case Difficulty::Wild: return "wild";
  }
  return "?";
}

const char* marker_name(MarkerKind k) {
  switch (k) {
    case MarkerKind::Card: return "cardpoll";
    case MarkerKind::Aruco4x4_50: return "aruco4x4_50";
    case MarkerKind::AprilTag16h5: return "tag16h5";
    case MarkerKind::AprilTag36h11: return "tag36h11";
  }
  return "?";
}

namespace {
Effects effects_for(const SceneSpec& spec) { return spec.effects ? *spec.effects : effects_of(spec.difficulty); }
}  // namespace

std::vector<Placement> random_placements(const SceneSpec& spec) {
  const Deck& deck = deck_of(spec);
  const Effects look = effects_for(spec);
  Rng rng(spec.seed * 0x9E3779B97F4A7C15ull + 1);
  std::vector<Placement> out;
  std::vector<float> radius;
  std::vector<int> cards(static_cast<size_t>(deck.cards()));
  for (int i = 0; i < deck.cards(); ++i) cards[static_cast<size_t>(i)] = i + 1;
  std::shuffle(cards.begin(), cards.end(), rng);
  const float margin = std::max(kCardMarginCells, look.margin_hi);
  const float span = (deck.grid + 2 * margin) / deck.grid;  // card side / pattern side
  for (int tries = 0; tries < 20000 && static_cast<int>(out.size()) < spec.random_cards; ++tries) {
    Placement p;
    p.side_px = uni(rng, spec.min_side_px, std::max(spec.min_side_px, spec.max_side_px));
    const float r = p.side_px * span * 0.75f + 2;
    p.centre = {uni(rng, r + 4, spec.size.width - r - 4), uni(rng, r + 4, spec.size.height - r - 4)};
    bool clash = false;
    for (size_t i = 0; i < out.size() && !clash; ++i)
      clash = cv::norm(out[i].centre - p.centre) < r + radius[i];
    if (clash) continue;
    p.card = cards[out.size() % cards.size()];
    p.answer = static_cast<Answer>(uni_int(rng, 0, 3));
    p.roll_deg = uni(rng, -look.max_roll_deg, look.max_roll_deg);
    const float mag = uni(rng, 0, look.max_tilt_deg), dir = uni(rng, 0, 2 * static_cast<float>(kPi));
    p.tilt_x_deg = mag * std::cos(dir);
    p.tilt_y_deg = mag * std::sin(dir);
    p.finger = uni(rng, 0, 1) < look.finger_chance;
    out.push_back(p);
    radius.push_back(r);
  }
  return out;
}

namespace {

// What is drawn per card from the effects stream, in one fixed order, so every marker kind
// gets the same paper, bend and blur at the same placement.
struct CardLook {
  float shade = 1;
  bool tinted = false;
  cv::Vec3f tint{1, 1, 1};
  float margin_cells = kCardMarginCells;
  Curl curl;
  bool glare = false;
  uint64_t glare_seed = 0;
  float motion_px = 0, motion_ang = 0;
  bool backdrop = false;
  uint64_t backdrop_seed = 0;
};

CardLook draw_card_look(const Effects& e, Rng& fx) {
  CardLook c;
  c.shade = e.paper_hi > e.paper_lo ? uni(fx, e.paper_lo, e.paper_hi) : e.paper_lo;
  c.tinted = chance(fx, e.tint_chance);
  if (c.tinted) c.tint = paper_tint(fx);
  c.margin_cells = e.margin_hi > e.margin_lo ? uni(fx, e.margin_lo, e.margin_hi) : e.margin_lo;
  if (chance(fx, e.curl_chance)) {
    c.curl.axis = uni_int(fx, 0, 1);
    c.curl.held = uni_int(fx, 0, 1) ? 1 : -1;
    c.curl.depth = uni(fx, 0.3f, 1.0f) * e.curl_max * (uni_int(fx, 0, 1) ? 1 : -1);  // x width, set later
  }
  c.glare = chance(fx, e.glare_band_chance);
  c.glare_seed = fx();
  if (chance(fx, e.motion_chance)) {
    c.motion_px = uni(fx, e.motion_lo, e.motion_hi);
    c.motion_ang = uni(fx, 0, static_cast<float>(kPi));
  }
  c.backdrop = chance(fx, e.backdrop_chance);
  c.backdrop_seed = fx();
  return c;
}

}  // namespace

Scene render_scene(const SceneSpec& spec) {
  if (spec.size.width < 16 || spec.size.height < 16)
    throw std::invalid_argument("scene size " + std::to_string(spec.size.width) + "x" +
                                std::to_string(spec.size.height) + " is too small");
  const Deck& deck = deck_of(spec);
  const Effects look = effects_for(spec);
  Rng rng(spec.seed);
  Rng fx(spec.seed * 0xD1B54A32D192ED03ull + 7);  // the newer effects (see camera_pipeline)
  const std::vector<Placement> placements = spec.placements.empty() ? random_placements(spec) : spec.placements;
  const float frame_scale = static_cast<float>(spec.size.area()) / (1920.0f * 1080.0f);

  // Background: a wall with a soft vertical gradient, a backlit window, then clutter.
  cv::Mat frame(spec.size, CV_8UC3);
  const int top = uni_int(rng, 120, 190), bottom = uni_int(rng, 70, 150);
  for (int y = 0; y < frame.rows; ++y)
    frame.row(y).setTo(cv::Scalar::all(top + (bottom - top) * y / std::max(1, frame.rows - 1)));
  cv::Mat1b window;
  if (spec.degrade && chance(fx, look.backlight_chance)) {
    window = paint_window(frame, fx);
  }
  if (spec.clutter) {
    paint_clutter(frame, rng, static_cast<int>(static_cast<float>(look.clutter) * frame_scale) + 1, deck);
    paint_big_clutter(frame, fx, static_cast<int>(std::lround(static_cast<float>(look.big_clutter) * frame_scale)));
  }

  Scene scene;
  const int cells = marker_cells(spec.markers, deck);
  const int ppc = kSourcePxPerCell;
  // Paper around the pattern is measured in card cells for every marker kind, so each
  // detector's marker sits on the same piece of paper.
  const float marker_per_card_cell = static_cast<float>(cells) / static_cast<float>(deck.grid);
  // A clean frame (degrade off) shows plain flat white cards unless effects were asked for.
  const bool plain_cards = !spec.degrade && !spec.effects;
  std::vector<CardLook> looks;
  for (size_t i = 0; i < placements.size(); ++i) looks.push_back(plain_cards ? CardLook{} : draw_card_look(look, fx));
  // Backdrops first: a card is always in front of what is behind it (and of its neighbours').
  for (size_t i = 0; i < placements.size(); ++i) {
    if (!looks[i].backdrop) continue;
    Rng b(looks[i].backdrop_seed);
    const float card_side = placements[i].side_px * (deck.grid + 2 * looks[i].margin_cells) / deck.grid;
    paint_backdrop(frame, b, placements[i].centre, card_side);
  }
  std::map<int, cv::Mat> png_cache;
  for (size_t pi = 0; pi < placements.size(); ++pi) {
    const Placement& pl = placements[pi];
    const CardLook& cl = looks[pi];
    const cv::Mat upright = marker_image(spec, deck, pl.card, ppc, png_cache);
    cv::Mat pattern = upright;
    const int k = static_cast<int>(pl.answer);
    for (int t = 0; t < k; ++t) cv::rotate(pattern, pattern, cv::ROTATE_90_COUNTERCLOCKWISE);
    // Print: black ink is not 0 and paper not 255; shade dims both (shadow, grey stock).
    const int ink0 = uni_int(rng, 15, 45), paper0 = uni_int(rng, 215, 250);
    const float paper_f = std::min(255.0f, paper0 * cl.shade), ink_f = ink0 * std::min(1.0f, 0.5f + 0.5f * cl.shade);
    const float margin_cells = cl.margin_cells * marker_per_card_cell;
    const int margin_px = static_cast<int>(margin_cells * ppc);
    cv::Mat card(pattern.rows + 2 * margin_px, pattern.cols + 2 * margin_px, CV_8U, cv::Scalar(std::lround(paper_f)));
    cv::Mat inked;
    pattern.convertTo(inked, CV_8U, (paper_f - ink_f) / 255.0, ink_f);
    inked.copyTo(card(cv::Rect(margin_px, margin_px, pattern.cols, pattern.rows)));
    if (pl.finger) {  // a thumb from one edge over the quiet zone, stopping short of the pattern
      const int side = uni_int(rng, 0, 3);
      const float along = uni(rng, 0.2f, 0.8f) * card.cols;
      const float reach = std::max(1.0f, margin_px - 0.2f * ppc);
      const cv::Size axes(static_cast<int>(uni(rng, 0.8f, 1.5f) * ppc), static_cast<int>(reach));
      const int skin = uni_int(rng, 120, 190);
      cv::Point2f c;
      float ang = 0;
      if (side == 0) c = {along, 0};
      else if (side == 1) { c = {static_cast<float>(card.cols), along}; ang = 90; }
      else if (side == 2) c = {along, static_cast<float>(card.rows)};
      else { c = {0, along}; ang = 90; }
      cv::ellipse(card, c, axes, ang, 0, 360, cv::Scalar(skin), cv::FILLED, cv::LINE_AA);
    }
    cv::Mat card3;
    cv::cvtColor(card, card3, cv::COLOR_GRAY2BGR);
    if (cl.tinted) card3.forEach<cv::Vec3b>([&](cv::Vec3b& p, const int*) {
      for (int c = 0; c < 3; ++c) p[c] = static_cast<uchar>(std::min(255.0f, p[c] * cl.tint[c]));
    });
    if (cl.glare && spec.degrade) {
      Rng g(cl.glare_seed);
      glare_band(card3, g);
    }
    const Pose pose = pose_of(pl, cells, spec.size);
    const float half_card = cells / 2.0f + margin_px / static_cast<float>(ppc);
    Curl curl = cl.curl;
    curl.half = half_card;
    curl.depth *= 2 * half_card;
    if (!spec.degrade) curl.axis = -1;
    paint_card(frame, card3, pose, half_card, curl);
    if (spec.degrade && cl.motion_px > 0) {
      const float hc = half_card;
      std::vector<cv::Point2f> outline = {pose.project(-hc, -hc), pose.project(hc, -hc), pose.project(hc, hc), pose.project(-hc, hc)};
      motion_blur(frame, cv::boundingRect(outline), cl.motion_px, cl.motion_ang);
    }

    TruthMarker t;
    t.card = spec.markers == MarkerKind::Card ? pl.card : 0;
    t.answer = pl.answer;
    const float h = cells / 2.0f;
    auto seen_at = [&](float X, float Y) { return pose.project(X, Y, curl.z(X, Y)); };
    const std::array<cv::Point2f, 4> seen = {seen_at(-h, -h), seen_at(h, -h), seen_at(h, h), seen_at(-h, h)};
    for (int i = 0; i < 4; ++i) t.corners[static_cast<size_t>(i)] = seen[static_cast<size_t>((i - k + 4) % 4)];
    scene.truth.push_back(t);
  }
  // Marker ids for other kinds.
  if (spec.markers != MarkerKind::Card) {
    int fam = 50;
    if (spec.markers == MarkerKind::AprilTag16h5) fam = 30;
    if (spec.markers == MarkerKind::AprilTag36h11) fam = 587;
    for (size_t i = 0; i < placements.size(); ++i) scene.truth[i].card = (placements[i].card - 1) % fam;
  }

  if (!window.empty()) {
    // The window is behind the students: it clips only where it still shows. Cards, their
    // backdrops and clutter in front of it stay (lit by the room, with the window's spill).
    window = window_still_showing(window, frame);
  }
  if (spec.degrade) {
    cv::Mat3f room;
    frame.convertTo(room, CV_32FC3);
    scene.gray = camera_pipeline(room, look, rng, fx, window, scene.truth);
  } else {
    cv::cvtColor(frame, scene.gray, cv::COLOR_BGR2GRAY);
  }
  for (auto& t : scene.truth) {
    float s = 0;
    for (int i = 0; i < 4; ++i) s += static_cast<float>(cv::norm(t.corners[static_cast<size_t>(i)] - t.corners[static_cast<size_t>((i + 1) % 4)]));
    t.side_px = s / 4;
  }
  return scene;
}

std::string truth_text(const std::vector<TruthMarker>& gt) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(2);
  for (const auto& t : gt) {
    o << t.card << ' ' << answer_letter(t.answer);
    for (const auto& p : t.corners) o << ' ' << p.x << ' ' << p.y;
    o << ' ' << t.side_px << '\n';
  }
  return o.str();
}

}  // namespace cardpoll::scenes
