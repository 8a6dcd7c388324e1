// Painting the room: cards through their pose (flat or bent), clutter, backdrops and the
// per-card effects (glare band, motion). See scene_parts.h.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "tools/scenes/scene_parts.h"

namespace cardpoll::scenes::detail {

Pose pose_of(const Placement& pl, int cells, cv::Size frame) {
  const double r = pl.roll_deg * kPi / 180, a = pl.tilt_x_deg * kPi / 180, b = pl.tilt_y_deg * kPi / 180;
  const cv::Matx33d Rz(std::cos(r), -std::sin(r), 0, std::sin(r), std::cos(r), 0, 0, 0, 1);
  const cv::Matx33d Rx(1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a));
  const cv::Matx33d Ry(std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b));
  return {Rx * Ry * Rz, static_cast<double>(frame.width), pl.side_px / cells, {pl.centre.x, pl.centre.y}};
}

// Paints `src` (8UC3, with its 0/255 `mask`) into `frame` (8UC3) through homography H (src
// px -> frame px), anti-aliased by rendering at 4x and averaging down.
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
  // Colour replicated past the edge: the mask alone fades it out (no dark rim, no seams
  // between the strips of a bent card).
  cv::warpPerspective(s, canvas, cv::Mat(Hs), csz, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::warpPerspective(m, cmask, cv::Mat(Hs), csz, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  cv::Mat small, smask;
  cv::resize(canvas, small, roi.size(), 0, 0, cv::INTER_AREA);
  cv::resize(cmask, smask, roi.size(), 0, 0, cv::INTER_AREA);
  cv::Mat dst = frame(roi);
  for (int y = 0; y < roi.height; ++y)
    for (int x = 0; x < roi.width; ++x) {
      const int a = smask.at<uchar>(y, x);
      if (!a) continue;
      cv::Vec3b& d = dst.at<cv::Vec3b>(y, x);
      const cv::Vec3b& v = small.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) d[c] = static_cast<uchar>((d[c] * (255 - a) + v[c] * a + 127) / 255);
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
                  uni(rng, 0.4f, 1.6f), cv::Scalar::all(uni_int(rng, 0, 70)), uni_int(rng, 1, 3), cv::LINE_AA);
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
                  cv::Scalar::all(uni_int(rng, 60, 200)), cv::FILLED, cv::LINE_AA);
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

// Large desks and posters: big flat areas with straight dark edges, text and squares.
void paint_big_clutter(cv::Mat& frame, Rng& fx, int count) {
  for (int i = 0; i < count; ++i) {
    const cv::Point2f c(uni(fx, 0, static_cast<float>(frame.cols)), uni(fx, 0, static_cast<float>(frame.rows)));
    const float ang = uni(fx, -10, 10);
    if (uni_int(fx, 0, 1) == 0) {  // desk: wood or laminate, a dark edge band
      const float w = uni(fx, 300, 900), h = uni(fx, 120, 300);
      const int top = uni_int(fx, 60, 200), edge = uni_int(fx, 10, 50);
      const cv::Vec3f wood(uni(fx, 0.5f, 0.8f), uni(fx, 0.7f, 0.9f), 1.0f);
      paint_patch(frame, c, w, h, ang, [=](float, float v) { return v < 12 ? edge : top; }, wood);
    } else {  // poster: a bordered sheet with big letters and dark blocks
      const float w = uni(fx, 150, 400), h = uni(fx, 200, 500);
      const int paper = uni_int(fx, 170, 245), ink = uni_int(fx, 10, 80);
      const float block = uni(fx, 8, 40);
      paint_patch(frame, c, w, h, ang, [=](float u, float v) {
        if (u < 6 || v < 6 || u > w - 6 || v > h - 6) return ink;
        const int bu = static_cast<int>(u / block), bv = static_cast<int>(v / block);
        return ((bu * 7 + bv * 13) % 5 == 0) ? ink : paper;
      });
      cv::putText(frame, "POSTER", c, cv::FONT_HERSHEY_DUPLEX, uni(fx, 1, 3), cv::Scalar::all(ink), 4, cv::LINE_AA);
    }
  }
}

// A saturated colour (BGR, 0..1) of the kind school clothes and bags come in.
static cv::Vec3f saturated_colour(Rng& fx) {
  static const cv::Vec3f kColours[] = {{0.1f, 0.1f, 1.0f}, {1.0f, 0.2f, 0.1f}, {0.1f, 0.8f, 0.1f}, {0.0f, 0.8f, 1.0f},
                                       {0.8f, 0.1f, 0.8f}, {0.6f, 0.3f, 0.0f}, {0.0f, 0.4f, 1.0f}, {1.0f, 1.0f, 0.1f}};
  return kColours[uni_int(fx, 0, static_cast<int>(std::size(kColours)) - 1)];
}

// Something right behind the card, larger than it, so it touches the paper's edge on every
// side the card does not cover: a dark, a saturated or a patterned shirt, chair or bag.
void paint_backdrop(cv::Mat& frame, Rng& fx, cv::Point2f centre, float card_side) {
  const float w = card_side * uni(fx, 1.05f, 2.2f), h = card_side * uni(fx, 1.05f, 2.2f);
  const cv::Point2f c = centre + cv::Point2f(uni(fx, -0.3f, 0.3f) * (w - card_side), uni(fx, -0.3f, 0.3f) * (h - card_side));
  const float ang = uni(fx, -30, 30);
  const int kind = uni_int(fx, 0, 2);
  if (kind == 0) {  // dark
    const int v = uni_int(fx, 5, 60);
    paint_patch(frame, c, w, h, ang, [=](float, float) { return v; });
  } else if (kind == 1) {  // saturated colour
    const int v = uni_int(fx, 120, 255);
    paint_patch(frame, c, w, h, ang, [=](float, float) { return v; }, saturated_colour(fx));
  } else {  // stripes or checks, dark against colour
    const float period = uni(fx, 3, 14);
    const int lo = uni_int(fx, 5, 60), hi = uni_int(fx, 120, 230);
    const bool checks = uni_int(fx, 0, 1) == 1;
    paint_patch(frame, c, w, h, ang, [=](float u, float v) {
      const int iu = static_cast<int>(u / period), iv = static_cast<int>(v / period);
      return ((checks ? iu + iv : iu) % 2) ? lo : hi;
    }, saturated_colour(fx));
  }
}

// Pastel card stock (BGR gains).
cv::Vec3f paper_tint(Rng& fx) {
  static const cv::Vec3f kTints[] = {{0.70f, 0.97f, 1.0f}, {0.92f, 0.85f, 1.0f}, {1.0f, 0.92f, 0.80f}, {0.80f, 1.0f, 0.85f}};
  return kTints[uni_int(fx, 0, static_cast<int>(std::size(kTints)) - 1)];
}

// A laminate's glare: a soft band across the card where the sheet mirrors a lamp or a
// window. Specular light adds to ink and paper alike (the contrast stays) until it clips
// at white, where the print disappears.
void glare_band(cv::Mat& card, Rng& fx) {
  const float ang = uni(fx, 0, static_cast<float>(kPi));
  const float nx = std::cos(ang), ny = std::sin(ang);
  const float off = uni(fx, -0.3f, 0.3f) * card.cols, width = uni(fx, 0.04f, 0.15f) * card.cols;
  const float strength = uni(fx, 40, 160);  // grey levels added at the band's centre
  for (int y = 0; y < card.rows; ++y)
    for (int x = 0; x < card.cols; ++x) {
      const float d = (x - card.cols / 2.0f) * nx + (y - card.rows / 2.0f) * ny - off;
      const float a = strength * std::exp(-d * d / (2 * width * width));
      cv::Vec3b& p = card.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) p[c] = static_cast<uchar>(std::min(255.0f, p[c] + a));
    }
}

void paint_card(cv::Mat& frame, const cv::Mat& card, const Pose& pose, float half_card, const Curl& curl) {
  const cv::Mat mask(card.size(), CV_8U, cv::Scalar(255));
  const float ppc = card.cols / (2 * half_card);  // source px per cell
  auto at = [&](float sx, float sy) {  // source px (corner convention) -> frame
    const double X = (sx + 0.5) / ppc - half_card, Y = (sy + 0.5) / ppc - half_card;
    return pose.project(X, Y, curl.z(X, Y));
  };
  const int strips = curl.axis < 0 ? 1 : 16;
  const int n = curl.axis == 0 ? card.cols : card.rows;
  // Overlap of neighbouring strips: at least 3 frame pixels, so their anti-aliased edges
  // never let the background through.
  const double frame_px = cv::norm(at(-0.5f, -0.5f) - at(card.cols - 0.5f, card.rows - 0.5f)) / std::sqrt(2.0);
  const int overlap = 1 + static_cast<int>(3.0 * n / std::max(1.0, frame_px));
  for (int k = 0; k < strips; ++k) {
    const int a = std::max(0, k * n / strips - overlap), b = std::min(n, (k + 1) * n / strips + overlap);
    const cv::Rect r = curl.axis == 0 ? cv::Rect(a, 0, b - a, card.rows) : cv::Rect(0, a, card.cols, b - a);
    const float x0 = r.x - 0.5f, y0 = r.y - 0.5f, x1 = r.x + r.width - 0.5f, y1 = r.y + r.height - 0.5f;
    const std::vector<cv::Point2f> src = {{-0.5f, -0.5f}, {r.width - 0.5f, -0.5f}, {r.width - 0.5f, r.height - 0.5f}, {-0.5f, r.height - 0.5f}};
    const std::vector<cv::Point2f> dst = {at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)};
    paint_warped(frame, card(r), mask(r), cv::getPerspectiveTransform(src, dst));
  }
}

// A line blur of `len` px at angle `ang` over the card's neighbourhood (the hand moved).
void motion_blur(cv::Mat& frame, cv::Rect around, float len, float ang) {
  const int r = static_cast<int>(std::ceil(len / 2)) + 1;
  cv::Mat1f k(2 * r + 1, 2 * r + 1, 0.0f);
  const int steps = 16;
  for (int i = 0; i <= steps; ++i) {
    const float t = (static_cast<float>(i) / steps - 0.5f) * len;
    const int x = static_cast<int>(std::lround(r + t * std::cos(ang))), y = static_cast<int>(std::lround(r + t * std::sin(ang)));
    k(y, x) += 1;
  }
  k /= cv::sum(k)[0];
  around.x -= 2 * r;
  around.y -= 2 * r;
  around.width += 4 * r;
  around.height += 4 * r;
  around &= cv::Rect(0, 0, frame.cols, frame.rows);
  if (around.empty()) return;
  cv::Mat roi = frame(around), out;
  cv::filter2D(roi, out, -1, k, {-1, -1}, 0, cv::BORDER_REPLICATE);
  out.copyTo(roi);
}

}  // namespace cardpoll::scenes::detail
