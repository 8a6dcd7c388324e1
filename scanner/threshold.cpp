// Stage 1: grey frame -> dark mask.
//
// Local threshold in the style of AprilTag 3: the frame is cut into small tiles, each
// tile's min and max are taken over its 3x3 tile neighbourhood, and a pixel is dark when it
// is below the midpoint. It runs at full resolution because a card at the back of the room
// is 12 px wide (2.4 px per cell) and any decimation would erase its centre hole.
//
// A tile whose neighbourhood is flat (inside a big black cell of a near card, or inside a
// white wall) has no meaningful midpoint; it borrows the midpoint of a coarser pyramid of
// tiles (4x and 16x larger) where there is contrast, and is left light when there is none.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include <opencv2/imgproc.hpp>

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

// Per-tile min and max of the frame (tiles of t x t pixels; the last row/column may be
// partial). The vertical part runs on whole rows with OpenCV's vectorised min/max; only
// the short horizontal reduction is scalar.
void tile_min_max(const cv::Mat& gray, int t, cv::Mat& mn, cv::Mat& mx) {
  const int tw = (gray.cols + t - 1) / t, th = (gray.rows + t - 1) / t;
  mn.create(th, tw, CV_8U);
  mx.create(th, tw, CV_8U);
  cv::Mat vmin(1, gray.cols, CV_8U), vmax(1, gray.cols, CV_8U);
  for (int ty = 0; ty < th; ++ty) {
    const int y0 = ty * t, y1 = std::min(gray.rows, y0 + t);
    gray.row(y0).copyTo(vmin);
    gray.row(y0).copyTo(vmax);
    for (int y = y0 + 1; y < y1; ++y) {
      cv::min(vmin, gray.row(y), vmin);
      cv::max(vmax, gray.row(y), vmax);
    }
    const uchar* a = vmin.ptr<uchar>();
    const uchar* b = vmax.ptr<uchar>();
    uchar* mnr = mn.ptr<uchar>(ty);
    uchar* mxr = mx.ptr<uchar>(ty);
    int tx = 0;
    if (t == 4)  // the default: whole tiles without the inner loop
      for (; (tx + 1) * 4 <= gray.cols; ++tx) {
        const uchar* p = a + tx * 4;
        const uchar* q = b + tx * 4;
        mnr[tx] = std::min(std::min(p[0], p[1]), std::min(p[2], p[3]));
        mxr[tx] = std::max(std::max(q[0], q[1]), std::max(q[2], q[3]));
      }
    for (; tx < tw; ++tx) {
      const int x0 = tx * t, x1 = std::min(gray.cols, x0 + t);
      uchar lo = a[x0], hi = b[x0];
      for (int x = x0 + 1; x < x1; ++x) {
        lo = std::min(lo, a[x]);
        hi = std::max(hi, b[x]);
      }
      mnr[tx] = lo;
      mxr[tx] = hi;
    }
  }
}

// Min/max over blocks of f x f tiles (the next, coarser level of the pyramid).
void pool(const cv::Mat& mn, const cv::Mat& mx, int f, cv::Mat& pmn, cv::Mat& pmx) {
  const int w = (mn.cols + f - 1) / f, h = (mn.rows + f - 1) / f;
  pmn.create(h, w, CV_8U);
  pmx.create(h, w, CV_8U);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uchar a = 255, b = 0;
      for (int yy = y * f; yy < std::min(mn.rows, (y + 1) * f); ++yy)
        for (int xx = x * f; xx < std::min(mn.cols, (x + 1) * f); ++xx) {
          a = std::min(a, mn.at<uchar>(yy, xx));
          b = std::max(b, mx.at<uchar>(yy, xx));
        }
      pmn.at<uchar>(y, x) = a;
      pmx.at<uchar>(y, x) = b;
    }
}

// 3x3 neighbourhood min of mins / max of maxes, so a tile's threshold sees both sides of
// an edge that runs along the tile boundary.
void spread(cv::Mat& mn, cv::Mat& mx) {
  const cv::Mat k = cv::getStructuringElement(cv::MORPH_RECT, {3, 3});
  cv::erode(mn, mn, k, {-1, -1}, 1, cv::BORDER_REPLICATE);
  cv::dilate(mx, mx, k, {-1, -1}, 1, cv::BORDER_REPLICATE);
}

}  // namespace

cv::Mat threshold_dark(const cv::Mat& gray, const DetectParams& params) {
  CV_Assert(gray.type() == CV_8UC1);
  const int t = std::max(2, params.tile_px);
  const int contrast = std::max(1, params.min_contrast);
  cv::Mat mn0, mx0, mn1, mx1, mn2, mx2;
  tile_min_max(gray, t, mn0, mx0);
  constexpr int kFactor = 4;
  pool(mn0, mx0, kFactor, mn1, mx1);
  pool(mn1, mx1, kFactor, mn2, mx2);
  const cv::Mat own_mn = mn0.clone(), own_mx = mx0.clone();
  spread(mn0, mx0);
  spread(mn1, mx1);
  spread(mn2, mx2);

  // Threshold per fine tile. A tile with contrast around it is thresholded pixel by pixel.
  // A flat tile is decided as a whole (255: every pixel dark, 0: none), by its own middle
  // level against the coarser threshold: per-pixel decisions there would only turn sensor
  // noise into thousands of specks for the contour stage to trace.
  cv::Mat thr(mn0.size(), CV_8U);
  for (int y = 0; y < thr.rows; ++y) {
    const uchar* lo_row = mn0.ptr<uchar>(y);
    const uchar* hi_row = mx0.ptr<uchar>(y);
    uchar* thr_row = thr.ptr<uchar>(y);
    for (int x = 0; x < thr.cols; ++x) {
      const int lo = lo_row[x], hi = hi_row[x];
      if (hi - lo >= contrast) {
        thr_row[x] = static_cast<uchar>((lo + hi + 1) / 2);
        continue;
      }
      int clo = mn1.at<uchar>(y / kFactor, x / kFactor), chi = mx1.at<uchar>(y / kFactor, x / kFactor);
      if (chi - clo < contrast) {
        clo = mn2.at<uchar>(y / (kFactor * kFactor), x / (kFactor * kFactor));
        chi = mx2.at<uchar>(y / (kFactor * kFactor), x / (kFactor * kFactor));
      }
      const int mid = (own_mn.at<uchar>(y, x) + own_mx.at<uchar>(y, x)) / 2;
      const bool dark_tile = chi - clo >= contrast && mid < (clo + chi + 1) / 2;
      thr_row[x] = dark_tile ? uchar{255} : uchar{0};
    }
  }

  // Each pixel against its tile's threshold: one threshold row per tile row, compared
  // with OpenCV's vectorised compare (255 where darker).
  cv::Mat dark(gray.size(), CV_8U);
  cv::Mat row_thr(1, gray.cols, CV_8U);
  for (int y = 0; y < gray.rows; ++y) {
    if (y % t == 0) {
      const uchar* tr = thr.ptr<uchar>(y / t);
      uchar* rt = row_thr.ptr<uchar>();
      int tx = 0, x = 0;
      if (t == 4)  // the default: one 4-byte store per tile
        for (; x + 4 <= gray.cols; ++tx, x += 4) {
          const uint32_t v = static_cast<uint32_t>(tr[tx]) * 0x01010101u;
          std::memcpy(rt + x, &v, 4);
        }
      for (; tx < thr.cols; ++tx)
        for (const int x1 = std::min(gray.cols, x + t); x < x1; ++x) rt[x] = tr[tx];
    }
    cv::Mat out = dark.row(y);
    cv::compare(gray.row(y), row_thr, out, cv::CMP_LT);
  }
  return dark;
}

}  // namespace cardpoll::detect
