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

namespace cardpoll::scenes {

namespace {

constexpr double kPi = 3.14159265358979323846;
// White around the pattern, in cells: the quiet zone plus the rest of the card's margin.
constexpr float kCardMarginCells = 1.6f;
constexpr int kSourcePxPerCell = 16;

struct Look {
  float roll_deg, tilt_deg;
  float blur_lo, blur_hi;
  float noise;
  int jpeg;              // quality, 0 = no JPEG
  float gradient;        // strength of the light falloff across the frame (0..1)
  int glare_spots;
  float barrel;          // radial distortion at the frame corner, as a fraction of the radius
  float finger_chance;
  int clutter;           // number of clutter objects
};

Look look_of(Difficulty d) {
  switch (d) {
    case Difficulty::Easy: return {10, 15, 0.3f, 0.5f, 1.5f, 95, 0.15f, 0, 0.0f, 0.1f, 12};
    case Difficulty::Typical: return {20, 35, 0.5f, 0.8f, 3.0f, 85, 0.35f, 1, 0.02f, 0.3f, 30};
    case Difficulty::Hard: return {25, 50, 0.7f, 1.1f, 5.0f, 70, 0.5f, 3, 0.05f, 0.5f, 50};
  }
  return look_of(Difficulty::Typical);
}

using Rng = std::mt19937_64;
float uni(Rng& r, float a, float b) { return std::uniform_real_distribution<float>(a, b)(r); }
int uni_int(Rng& r, int a, int b) { return std::uniform_int_distribution<int>(a, b)(r); }

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

// Card plane -> frame: the pattern centre at the placement, cells of side_px/cells pixels
// at the card's depth, turned by roll (in plane) and tilts, seen by a pinhole camera whose
// focal length is the frame width.
struct Pose {
  cv::Matx33d R;
  double f, s;
  cv::Point2d c;
  cv::Point2f project(double X, double Y) const {  // X, Y in cells from the pattern centre
    const cv::Vec3d p = R * cv::Vec3d(X * s, Y * s, 0) + cv::Vec3d(0, 0, f);
    return {static_cast<float>(c.x + f * p[0] / p[2]), static_cast<float>(c.y + f * p[1] / p[2])};
  }
};

Pose pose_of(const Placement& pl, int cells, cv::Size frame) {
  const double r = pl.roll_deg * kPi / 180, a = pl.tilt_x_deg * kPi / 180, b = pl.tilt_y_deg * kPi / 180;
  const cv::Matx33d Rz(std::cos(r), -std::sin(r), 0, std::sin(r), std::cos(r), 0, 0, 0, 1);
  const cv::Matx33d Rx(1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a));
  const cv::Matx33d Ry(std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b));
  return {Rx * Ry * Rz, static_cast<double>(frame.width), pl.side_px / cells, {pl.centre.x, pl.centre.y}};
}

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

// Paints `src` (with its 0/255 `mask`) into `frame` through homography H (src px -> frame
// px), anti-aliased by rendering at 4x and averaging down.
void paint_warped(cv::Mat& frame, const cv::Mat& src, const cv::Mat& mask, const cv::Matx33d& H) {
  std::vector<cv::Point2f> sc = {{-0.5f, -0.5f}, {src.cols - 0.5f, -0.5f},
                                 {src.cols - 0.5f, src.rows - 0.5f}, {-0.5f, src.rows - 0.5f}};
  std::vector<cv::Point2f> dc;
  cv::perspectiveTransform(sc, dc, cv::Mat(H));
  cv::Rect roi = cv::boundingRect(dc);
  roi.x -= 2;
  roi.y -= 2;
  roi.width += 4;
  roi.height += 4;
  roi &= cv::Rect(0, 0, frame.cols, frame.rows);
  if (roi.width <= 0 || roi.height <= 0) return;
  constexpr int S = 4;
  const cv::Matx33d to_canvas(S, 0, S * (0.5 - roi.x) - 0.5, 0, S, S * (0.5 - roi.y) - 0.5, 0, 0, 1);
  const cv::Matx33d Hc = to_canvas * H;
  // Shrink the source first when it is much larger than its footprint (no aliasing).
  const double footprint = cv::norm(dc[1] - dc[0]) * S;
  cv::Mat s = src, m = mask;
  cv::Matx33d Hs = Hc;
  if (footprint < 0.7 * src.cols) {
    const double f = footprint / src.cols;
    const cv::Size sz(std::max(2, static_cast<int>(src.cols * f)), std::max(2, static_cast<int>(src.rows * f)));
    cv::resize(src, s, sz, 0, 0, cv::INTER_AREA);
    cv::resize(mask, m, sz, 0, 0, cv::INTER_AREA);
    const double fx = static_cast<double>(src.cols) / sz.width, fy = static_cast<double>(src.rows) / sz.height;
    const cv::Matx33d up(fx, 0, 0.5 * fx - 0.5, 0, fy, 0.5 * fy - 0.5, 0, 0, 1);  // small px -> src px
    Hs = Hc * up;
  }
  cv::Mat canvas, cmask;
  const cv::Size csz(roi.width * S, roi.height * S);
  cv::warpPerspective(s, canvas, cv::Mat(Hs), csz, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  cv::warpPerspective(m, cmask, cv::Mat(Hs), csz, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  cv::Mat small, smask;
  cv::resize(canvas, small, roi.size(), 0, 0, cv::INTER_AREA);
  cv::resize(cmask, smask, roi.size(), 0, 0, cv::INTER_AREA);
  cv::Mat dst = frame(roi);
  for (int y = 0; y < roi.height; ++y)
    for (int x = 0; x < roi.width; ++x) {
      const int a = smask.at<uchar>(y, x);
      if (!a) continue;
      uchar& d = dst.at<uchar>(y, x);
      d = static_cast<uchar>((d * (255 - a) + small.at<uchar>(y, x) * a + 127) / 255);
    }
}

// A rotated rectangle filled by a pattern function of its local coordinates (pixels).
template <typename Fn>
void paint_patch(cv::Mat& frame, cv::Point2f centre, float w, float h, float angle_deg, Fn pattern) {
  const float a = angle_deg * static_cast<float>(kPi) / 180, ca = std::cos(a), sa = std::sin(a);
  const float r = std::sqrt(w * w + h * h) / 2 + 1;
  const int x0 = std::max(0, static_cast<int>(centre.x - r)), x1 = std::min(frame.cols - 1, static_cast<int>(centre.x + r));
  const int y0 = std::max(0, static_cast<int>(centre.y - r)), y1 = std::min(frame.rows - 1, static_cast<int>(centre.y + r));
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      const float dx = x - centre.x, dy = y - centre.y;
      const float u = dx * ca + dy * sa + w / 2, v = -dx * sa + dy * ca + h / 2;
      if (u < 0 || v < 0 || u >= w || v >= h) continue;
      const int val = pattern(u, v);
      if (val >= 0) frame.at<uchar>(y, x) = static_cast<uchar>(std::clamp(val, 0, 255));
    }
}

void paint_clutter(cv::Mat& frame, Rng& rng, int count, const Deck& deck) {
  static const char* kWords[] = {"Quiz 3", "Biology", "A B C D", "Exit", "HOMEWORK", "x = 42",
                                 "Plickers?", "5x5", "Room 12", "Mon 9:00", "##", "[ ]", "NO SMOKING"};
  for (int i = 0; i < count; ++i) {
    const cv::Point2f c(uni(rng, 0, static_cast<float>(frame.cols)), uni(rng, 0, static_cast<float>(frame.rows)));
    const float ang = uni(rng, -45, 45);
    const int kind = uni_int(rng, 0, 6);
    if (kind == 0) {  // patterned clothes: stripes, checks, dots
      const float w = uni(rng, 80, 400), h = uni(rng, 80, 400);
      const int style = uni_int(rng, 0, 2);
      const float period = uni(rng, 3, 20);
      const int lo = uni_int(rng, 10, 90), hi = uni_int(rng, 120, 240);
      paint_patch(frame, c, w, h, ang, [=](float u, float v) {
        const int iu = static_cast<int>(u / period), iv = static_cast<int>(v / period);
        if (style == 0) return (iu % 2) ? lo : hi;
        if (style == 1) return ((iu + iv) % 2) ? lo : hi;
        const float du = std::fmod(u, period) - period / 2, dv = std::fmod(v, period) - period / 2;
        return du * du + dv * dv < period * period / 9 ? lo : hi;
      });
    } else if (kind == 1) {  // dark squares, some hollow (a ring with a white centre)
      const float s = uni(rng, 8, 60);
      const int dark = uni_int(rng, 10, 60);
      const bool hollow = uni_int(rng, 0, 1) == 1;
      paint_patch(frame, c, s * 1.8f, s * 1.8f, ang, [=](float u, float v) {
        const float m = s * 0.4f;
        if (u < m || v < m || u >= m + s || v >= m + s) return 235;  // white surround
        const float cu = u - m, cv_ = v - m;
        if (hollow && cu > s / 3 && cu < 2 * s / 3 && cv_ > s / 3 && cv_ < 2 * s / 3) return 235;
        return dark;
      });
    } else if (kind == 2) {  // text
      const char* w = kWords[uni_int(rng, 0, static_cast<int>(std::size(kWords)) - 1)];
      cv::putText(frame, w, c, uni_int(rng, 0, 1) ? cv::FONT_HERSHEY_SIMPLEX : cv::FONT_HERSHEY_DUPLEX,
                  uni(rng, 0.4f, 1.6f), cv::Scalar(uni_int(rng, 0, 70)), uni_int(rng, 1, 3), cv::LINE_AA);
    } else if (kind == 3) {  // checkerboard
      const float cell = uni(rng, 2, 10);
      const int n = uni_int(rng, 4, 10);
      paint_patch(frame, c, cell * n, cell * n, ang, [=](float u, float v) {
        return ((static_cast<int>(u / cell) + static_cast<int>(v / cell)) % 2) ? 20 : 230;
      });
    } else if (kind == 4) {  // look-alike grid: card-sized, quiet zone, but a wrong fixed structure
      const int g = deck.grid;
      const float cell = uni(rng, 2.4f, 10);
      std::vector<uint8_t> cells(static_cast<size_t>(g * g));
      for (auto& v : cells) v = static_cast<uint8_t>(uni_int(rng, 0, 1));
      for (int r = 0; r < g; ++r)
        for (int cc = 0; cc < g; ++cc) {
          const size_t idx = static_cast<size_t>(r * g + cc);
          if (deck.layout[idx] == CellKind::Black) cells[idx] = 1;
          if (deck.layout[idx] == CellKind::White) cells[idx] = 0;
        }
      // Break it: black centre, an open ring, or a white corner.
      const int how = uni_int(rng, 0, 2);
      if (how == 0) cells[static_cast<size_t>((g / 2) * g + g / 2)] = 1;
      else if (how == 1) cells[static_cast<size_t>(1 * g + uni_int(rng, 1, g - 2))] = 0;
      else cells[0] = 0;
      const float side = cell * static_cast<float>(g);
      paint_patch(frame, c, side + 3 * cell, side + 3 * cell, ang, [=](float u, float v) {
        const float pu = u - 1.5f * cell, pv = v - 1.5f * cell;
        if (pu < 0 || pv < 0 || pu >= side || pv >= side) return 235;
        const int cu = static_cast<int>(pu / cell), cv_ = static_cast<int>(pv / cell);
        return cells[static_cast<size_t>(cv_ * g + cu)] ? 25 : 235;
      });
    } else if (kind == 5) {  // heads and desks: big smooth shapes
      cv::ellipse(frame, c, cv::Size(uni_int(rng, 30, 90), uni_int(rng, 40, 110)), ang, 0, 360,
                  cv::Scalar(uni_int(rng, 60, 200)), cv::FILLED, cv::LINE_AA);
    } else {  // random small grid without quiet zone (a poster of tiles)
      const float cell = uni(rng, 3, 8);
      const int n = uni_int(rng, 4, 9);
      std::vector<uint8_t> cells(static_cast<size_t>(n * n));
      for (auto& v : cells) v = static_cast<uint8_t>(uni_int(rng, 0, 1));
      paint_patch(frame, c, cell * n, cell * n, ang, [=](float u, float v) {
        return cells[static_cast<size_t>(static_cast<int>(v / cell) * n + static_cast<int>(u / cell))] ? 30 : 220;
      });
    }
  }
}

}  // namespace

Difficulty difficulty_from_name(const std::string& name) {
  if (name == "easy") return Difficulty::Easy;
  if (name == "typical") return Difficulty::Typical;
  if (name == "hard") return Difficulty::Hard;
  throw std::invalid_argument("unknown difficulty '" + name + "' (easy, typical, hard)");
}

const char* difficulty_name(Difficulty d) {
  switch (d) {
    case Difficulty::Easy: return "easy";
    case Difficulty::Typical: return "typical";
    case Difficulty::Hard: return "hard";
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

std::vector<Placement> random_placements(const SceneSpec& spec) {
  const Deck& deck = deck_of(spec);
  const Look look = look_of(spec.difficulty);
  Rng rng(spec.seed * 0x9E3779B97F4A7C15ull + 1);
  std::vector<Placement> out;
  std::vector<float> radius;
  std::vector<int> cards(static_cast<size_t>(deck.cards()));
  for (int i = 0; i < deck.cards(); ++i) cards[static_cast<size_t>(i)] = i + 1;
  std::shuffle(cards.begin(), cards.end(), rng);
  const float span = (deck.grid + 2 * kCardMarginCells) / deck.grid;  // card side / pattern side
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
    p.roll_deg = uni(rng, -look.roll_deg, look.roll_deg);
    const float mag = uni(rng, 0, look.tilt_deg), dir = uni(rng, 0, 2 * static_cast<float>(kPi));
    p.tilt_x_deg = mag * std::cos(dir);
    p.tilt_y_deg = mag * std::sin(dir);
    p.finger = uni(rng, 0, 1) < look.finger_chance;
    out.push_back(p);
    radius.push_back(r);
  }
  return out;
}

Scene render_scene(const SceneSpec& spec) {
  if (spec.size.width < 16 || spec.size.height < 16)
    throw std::invalid_argument("scene size " + std::to_string(spec.size.width) + "x" +
                                std::to_string(spec.size.height) + " is too small");
  const Deck& deck = deck_of(spec);
  const Look look = look_of(spec.difficulty);
  Rng rng(spec.seed);
  const std::vector<Placement> placements = spec.placements.empty() ? random_placements(spec) : spec.placements;

  // Background: a wall with a soft vertical gradient, then clutter.
  cv::Mat frame(spec.size, CV_8U);
  const int top = uni_int(rng, 120, 190), bottom = uni_int(rng, 70, 150);
  for (int y = 0; y < frame.rows; ++y)
    frame.row(y).setTo(top + (bottom - top) * y / std::max(1, frame.rows - 1));
  if (spec.clutter) paint_clutter(frame, rng, look.clutter * frame.cols * frame.rows / (1920 * 1080) + 1, deck);

  Scene scene;
  const int cells = marker_cells(spec.markers, deck);
  const int ppc = kSourcePxPerCell;
  const int margin_px = static_cast<int>(kCardMarginCells * ppc);
  std::map<int, cv::Mat> png_cache;
  for (const Placement& pl : placements) {
    const cv::Mat upright = marker_image(spec, deck, pl.card, ppc, png_cache);
    cv::Mat pattern = upright;
    const int k = static_cast<int>(pl.answer);
    for (int t = 0; t < k; ++t) cv::rotate(pattern, pattern, cv::ROTATE_90_COUNTERCLOCKWISE);
    // Print: black ink is not 0 and paper not 255.
    const int ink = uni_int(rng, 15, 45), paper = uni_int(rng, 215, 250);
    cv::Mat card(pattern.rows + 2 * margin_px, pattern.cols + 2 * margin_px, CV_8U, cv::Scalar(paper));
    cv::Mat inked;
    pattern.convertTo(inked, CV_8U, (paper - ink) / 255.0, ink);
    inked.copyTo(card(cv::Rect(margin_px, margin_px, pattern.cols, pattern.rows)));
    if (pl.finger) {  // a thumb from one edge over the quiet zone, stopping short of the pattern
      const int side = uni_int(rng, 0, 3);
      const float along = uni(rng, 0.2f, 0.8f) * card.cols;
      const float reach = margin_px - 0.2f * ppc;
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
    const Pose pose = pose_of(pl, cells, spec.size);
    const float half_card = cells / 2.0f + kCardMarginCells;
    const std::vector<cv::Point2f> src = {{-0.5f, -0.5f}, {card.cols - 0.5f, -0.5f},
                                          {card.cols - 0.5f, card.rows - 0.5f}, {-0.5f, card.rows - 0.5f}};
    const std::vector<cv::Point2f> dst = {pose.project(-half_card, -half_card), pose.project(half_card, -half_card),
                                          pose.project(half_card, half_card), pose.project(-half_card, half_card)};
    const cv::Matx33d H = cv::getPerspectiveTransform(src, dst);
    paint_warped(frame, card, cv::Mat(card.size(), CV_8U, cv::Scalar(255)), H);

    TruthMarker t;
    t.card = spec.markers == MarkerKind::Card ? pl.card : 0;
    t.answer = pl.answer;
    const float h = cells / 2.0f;
    const std::array<cv::Point2f, 4> seen = {pose.project(-h, -h), pose.project(h, -h), pose.project(h, h),
                                             pose.project(-h, h)};
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

  if (spec.degrade) {
    // Uneven light: a linear falloff in a random direction, plus glare spots.
    const float dir = uni(rng, 0, 2 * static_cast<float>(kPi));
    const float gx = std::cos(dir), gy = std::sin(dir);
    const float strength = look.gradient * uni(rng, 0.5f, 1.0f);
    cv::Mat f32;
    frame.convertTo(f32, CV_32F);
    const float diag = std::hypot(static_cast<float>(frame.cols), static_cast<float>(frame.rows));
    for (int y = 0; y < f32.rows; ++y) {
      float* row = f32.ptr<float>(y);
      for (int x = 0; x < f32.cols; ++x) {
        const float t = ((x - f32.cols / 2.0f) * gx + (y - f32.rows / 2.0f) * gy) / diag + 0.5f;
        row[x] *= 1.0f - strength * t;
      }
    }
    for (int i = 0; i < look.glare_spots; ++i) {
      const cv::Point2f c(uni(rng, 0, static_cast<float>(frame.cols)), uni(rng, 0, static_cast<float>(frame.rows)));
      const float rad = uni(rng, 40, 160), amp = uni(rng, 40, 90);
      const int x0 = std::max(0, static_cast<int>(c.x - 3 * rad)), x1 = std::min(frame.cols, static_cast<int>(c.x + 3 * rad));
      const int y0 = std::max(0, static_cast<int>(c.y - 3 * rad)), y1 = std::min(frame.rows, static_cast<int>(c.y + 3 * rad));
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
          const float d2 = ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y)) / (rad * rad);
          f32.at<float>(y, x) += amp * std::exp(-d2 / 2);
        }
    }
    // Lens: barrel distortion (the truth corners move with it).
    if (look.barrel > 0) {
      const cv::Point2d c(frame.cols / 2.0, frame.rows / 2.0);
      const Barrel barrel{look.barrel * uni(rng, 0.5f, 1.0f), c, c.x * c.x + c.y * c.y};
      cv::Mat mx(f32.size(), CV_32F), my(f32.size(), CV_32F);
      for (int y = 0; y < f32.rows; ++y)
        for (int x = 0; x < f32.cols; ++x) {
          const cv::Point2f u = barrel.undistorted_of({static_cast<float>(x), static_cast<float>(y)});
          mx.at<float>(y, x) = u.x;
          my.at<float>(y, x) = u.y;
        }
      cv::Mat out;
      cv::remap(f32, out, mx, my, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
      f32 = out;
      for (auto& t : scene.truth)
        for (auto& p : t.corners) p = barrel.distorted_of(p);
    }
    const float sigma = uni(rng, look.blur_lo, look.blur_hi);
    cv::GaussianBlur(f32, f32, {0, 0}, sigma);
    cv::Mat noise(f32.size(), CV_32F);
    cv::RNG cvrng(static_cast<uint64_t>(rng()));
    cvrng.fill(noise, cv::RNG::NORMAL, 0, look.noise);
    f32 += noise;
    f32.convertTo(frame, CV_8U);
    if (look.jpeg > 0) {
      std::vector<uchar> buf;
      cv::imencode(".jpg", frame, buf, {cv::IMWRITE_JPEG_QUALITY, look.jpeg});
      frame = cv::imdecode(buf, cv::IMREAD_GRAYSCALE);
    }
  }
  for (auto& t : scene.truth) {
    float s = 0;
    for (int i = 0; i < 4; ++i) s += static_cast<float>(cv::norm(t.corners[static_cast<size_t>(i)] - t.corners[static_cast<size_t>((i + 1) % 4)]));
    t.side_px = s / 4;
  }
  scene.gray = frame;
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
