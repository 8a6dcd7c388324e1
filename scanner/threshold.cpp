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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

// Per-tile min and max of the frame (tiles of t x t pixels; the last row/column may be
// partial). For the default 4 px tiles whole tiles run 16 pixels (4 tiles) at a time in
// SSE2: vertical min/max of the 4 rows, then the min/max of each 4-byte group by shifts.
void tile_min_max(const cv::Mat& gray, int t, cv::Mat& mn, cv::Mat& mx) {
  const int tw = (gray.cols + t - 1) / t, th = (gray.rows + t - 1) / t;
  mn.create(th, tw, CV_8U);
  mx.create(th, tw, CV_8U);
  for (int ty = 0; ty < th; ++ty) {
    const int y0 = ty * t, y1 = std::min(gray.rows, y0 + t);
    uchar* mnr = mn.ptr<uchar>(ty);
    uchar* mxr = mx.ptr<uchar>(ty);
    int tx = 0;
#if defined(__SSE2__)
    if (t == 4 && y1 - y0 == 4) {
      const uchar* r0 = gray.ptr<uchar>(y0);
      const uchar* r1 = gray.ptr<uchar>(y0 + 1);
      const uchar* r2 = gray.ptr<uchar>(y0 + 2);
      const uchar* r3 = gray.ptr<uchar>(y0 + 3);
      const __m128i low = _mm_set1_epi32(0xff);
      for (; (tx + 4) * 4 <= gray.cols; tx += 4) {
        const int x = tx * 4;
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + x));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + x));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r2 + x));
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r3 + x));
        __m128i lo = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c, d));
        __m128i hi = _mm_max_epu8(_mm_max_epu8(a, b), _mm_max_epu8(c, d));
        lo = _mm_min_epu8(lo, _mm_srli_epi32(lo, 8));
        lo = _mm_min_epu8(lo, _mm_srli_epi32(lo, 16));
        hi = _mm_max_epu8(hi, _mm_srli_epi32(hi, 8));
        hi = _mm_max_epu8(hi, _mm_srli_epi32(hi, 16));
        // Byte 0 of each 32-bit lane holds the tile's value: pack 4 lanes to 4 bytes.
        lo = _mm_and_si128(lo, low);
        hi = _mm_and_si128(hi, low);
        lo = _mm_packs_epi32(lo, hi);          // 8 x 16-bit: lo0..3, hi0..3
        lo = _mm_packus_epi16(lo, lo);         // bytes: lo0..3, hi0..3, ...
        const uint64_t both = static_cast<uint64_t>(_mm_cvtsi128_si64(lo));
        const uint32_t l = static_cast<uint32_t>(both), h = static_cast<uint32_t>(both >> 32);
        std::memcpy(mnr + tx, &l, 4);
        std::memcpy(mxr + tx, &h, 4);
      }
    }
#endif
    for (; tx < tw; ++tx) {
      const int x0 = tx * t, x1 = std::min(gray.cols, x0 + t);
      uchar lo = 255, hi = 0;
      for (int y = y0; y < y1; ++y) {
        const uchar* r = gray.ptr<uchar>(y);
        for (int x = x0; x < x1; ++x) {
          lo = std::min(lo, r[x]);
          hi = std::max(hi, r[x]);
        }
      }
      mnr[tx] = lo;
      mxr[tx] = hi;
    }
  }
}

// Min/max over blocks of f x f tiles (the next, coarser level of the pyramid): the tile
// min of the mins and the tile max of the maxes.
void pool(const cv::Mat& mn, const cv::Mat& mx, int f, cv::Mat& pmn, cv::Mat& pmx) {
  cv::Mat unused;
  tile_min_max(mn, f, pmn, unused);
  tile_min_max(mx, f, unused, pmx);
}

// 3x3 neighbourhood min of mins / max of maxes, so a tile's threshold sees both sides of
// an edge that runs along the tile boundary.
void spread(const cv::Mat& mn, const cv::Mat& mx, cv::Mat& smn, cv::Mat& smx) {
  const cv::Mat k = cv::getStructuringElement(cv::MORPH_RECT, {3, 3});
  cv::erode(mn, smn, k, {-1, -1}, 1, cv::BORDER_REPLICATE);
  cv::dilate(mx, smx, k, {-1, -1}, 1, cv::BORDER_REPLICATE);
}

}  // namespace

cv::Mat threshold_dark(const cv::Mat& gray, const DetectParams& params) {
  CV_Assert(gray.type() == CV_8UC1);
  const int t = std::max(2, params.tile_px);
  const int contrast = std::max(1, params.min_contrast);
  cv::Mat own_mn, own_mx, mn1, mx1, mn2, mx2, mn0, mx0;
  tile_min_max(gray, t, own_mn, own_mx);
  constexpr int kFactor = 4;
  pool(own_mn, own_mx, kFactor, mn1, mx1);
  pool(mn1, mx1, kFactor, mn2, mx2);
  spread(own_mn, own_mx, mn0, mx0);
  spread(mn1, mx1, mn1, mx1);
  spread(mn2, mx2, mn2, mx2);

  // Threshold per fine tile. A tile with contrast around it is thresholded pixel by pixel.
  // A flat tile is decided as a whole (255: every pixel dark, 0: none), by its own middle
  // level against the coarser threshold: per-pixel decisions there would only turn sensor
  // noise into thousands of specks for the contour stage to trace.
  cv::Mat thr(mn0.size(), CV_8U);
  for (int y = 0; y < thr.rows; ++y) {
    const uchar* lo_row = mn0.ptr<uchar>(y);
    const uchar* hi_row = mx0.ptr<uchar>(y);
    const uchar* own_lo = own_mn.ptr<uchar>(y);
    const uchar* own_hi = own_mx.ptr<uchar>(y);
    const uchar* lo1 = mn1.ptr<uchar>(y / kFactor);
    const uchar* hi1 = mx1.ptr<uchar>(y / kFactor);
    const uchar* lo2 = mn2.ptr<uchar>(y / (kFactor * kFactor));
    const uchar* hi2 = mx2.ptr<uchar>(y / (kFactor * kFactor));
    uchar* thr_row = thr.ptr<uchar>(y);
    int x = 0;
#if defined(__SSE2__)
    // The same decisions 16 tiles at a time; a >= c is (a -sat (c - 1)) != 0, and
    // _mm_avg_epu8 is (a + b + 1) / 2.
    if (kFactor == 4 && contrast <= 255) {
      const __m128i zero = _mm_setzero_si128(), ones = _mm_set1_epi8(-1), one = _mm_set1_epi8(1);
      const __m128i cm1 = _mm_set1_epi8(static_cast<char>(contrast - 1));
      auto ge_contrast = [&](__m128i d) { return _mm_xor_si128(_mm_cmpeq_epi8(_mm_subs_epu8(d, cm1), zero), ones); };
      auto load = [](const uchar* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
      auto spread4 = [](const uchar* p) {
        uint32_t four;
        std::memcpy(&four, p, 4);
        __m128i v = _mm_cvtsi32_si128(static_cast<int>(four));
        v = _mm_unpacklo_epi8(v, v);
        return _mm_unpacklo_epi16(v, v);
      };
      for (; x + 16 <= thr.cols; x += 16) {
        const __m128i lo = load(lo_row + x), hi = load(hi_row + x);
        const __m128i has = ge_contrast(_mm_subs_epu8(hi, lo));
        const __m128i fine = _mm_avg_epu8(lo, hi);
        const __m128i clo1 = spread4(lo1 + x / 4), chi1 = spread4(hi1 + x / 4);
        const __m128i clo2 = _mm_set1_epi8(static_cast<char>(lo2[x / 16]));
        const __m128i chi2 = _mm_set1_epi8(static_cast<char>(hi2[x / 16]));
        const __m128i use1 = ge_contrast(_mm_subs_epu8(chi1, clo1));
        const __m128i clo = _mm_or_si128(_mm_and_si128(use1, clo1), _mm_andnot_si128(use1, clo2));
        const __m128i chi = _mm_or_si128(_mm_and_si128(use1, chi1), _mm_andnot_si128(use1, chi2));
        const __m128i cok = ge_contrast(_mm_subs_epu8(chi, clo));
        const __m128i olo = load(own_lo + x), ohi = load(own_hi + x);
        const __m128i mid = _mm_sub_epi8(_mm_avg_epu8(olo, ohi), _mm_and_si128(_mm_xor_si128(olo, ohi), one));
        const __m128i below = _mm_xor_si128(_mm_cmpeq_epi8(_mm_subs_epu8(_mm_avg_epu8(clo, chi), mid), zero), ones);
        const __m128i flat = _mm_and_si128(cok, below);
        const __m128i out = _mm_or_si128(_mm_and_si128(has, fine), _mm_andnot_si128(has, flat));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(thr_row + x), out);
      }
    }
#endif
    for (; x < thr.cols; ++x) {
      const int lo = lo_row[x], hi = hi_row[x];
      if (hi - lo >= contrast) {
        thr_row[x] = static_cast<uchar>((lo + hi + 1) / 2);
        continue;
      }
      int clo = lo1[x / kFactor], chi = hi1[x / kFactor];
      if (chi - clo < contrast) {
        clo = lo2[x / (kFactor * kFactor)];
        chi = hi2[x / (kFactor * kFactor)];
      }
      const int mid = (own_lo[x] + own_hi[x]) / 2;
      const bool dark_tile = chi - clo >= contrast && mid < (clo + chi + 1) / 2;
      thr_row[x] = dark_tile ? uchar{255} : uchar{0};
    }
  }

  // Each pixel against its tile's threshold (255 where darker). For 4 px tiles, 16 pixels
  // at a time in SSE2: 4 tile thresholds spread to 4 bytes each; a < b is (b -sat a) != 0.
  cv::Mat dark(gray.size(), CV_8U);
  for (int y = 0; y < gray.rows; ++y) {
    const uchar* tr = thr.ptr<uchar>(y / t);
    const uchar* g = gray.ptr<uchar>(y);
    uchar* d = dark.ptr<uchar>(y);
    int x = 0;
#if defined(__SSE2__)
    if (t == 4) {
      const __m128i zero = _mm_setzero_si128();
      for (; x + 16 <= gray.cols; x += 16) {
        uint32_t four;
        std::memcpy(&four, tr + x / 4, 4);
        __m128i v = _mm_cvtsi32_si128(static_cast<int>(four));
        v = _mm_unpacklo_epi8(v, v);
        v = _mm_unpacklo_epi16(v, v);
        const __m128i px = _mm_loadu_si128(reinterpret_cast<const __m128i*>(g + x));
        const __m128i light = _mm_cmpeq_epi8(_mm_subs_epu8(v, px), zero);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(d + x), _mm_xor_si128(light, _mm_set1_epi8(-1)));
      }
    }
#endif
    for (; x < gray.cols; ++x) d[x] = g[x] < tr[x / t] ? uchar{255} : uchar{0};
  }
  return dark;
}

}  // namespace cardpoll::detect
