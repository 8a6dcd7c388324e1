// Stage 2a: dark mask -> its components' outer boundaries and their holes.
//
// cv::findContours(mask, RETR_CCOMP, CHAIN_APPROX_SIMPLE)'s answer, contour for contour,
// point for point and link for link, with OpenCV's own border following, for less.
// cv::findContours traces the boundaries into linked sequences (OpenCV's C structures)
// and then hands each one over through its generic output arrays: a Mat header made,
// checked and freed around every contour's copy. A wild frame has about 4,200 contours
// (specks of patterned backdrops, most of them a few pixels), and callgrind put that
// hand-over at 79 of cv::findContours' 375 million instructions over 12 reads, a seventh
// of its cost, the tracing the rest (docs/scanner.md item 31). Here the same scanner
// (cvStartFindContours / cvFindNextContour, OpenCV 4.6's, which cv::findContours calls
// too) traces the same padded copy of the mask, and the sequences are copied straight
// into vectors kept from frame to frame, in the order cv::findContours gives them, with the
// bounding boxes the scanner computes anyway.
// tests/scanner/test_contours.cpp compares the two on random, nested and rendered masks.
//
// The C interface is OpenCV's legacy one (gone in OpenCV 5); Debian 12's 4.6 has it, and
// the test above fails the day it stops agreeing with cv::findContours.
#include <opencv2/core/core_c.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/imgproc/imgproc_c.h>

#include "scanner/detect_stages.h"

namespace cardpoll::detect {

namespace {

// The storage the scanner builds its sequences in, kept per thread and cleared between
// masks (cv::findContours makes and frees one every call).
struct Storage {
  CvMemStorage* mem = cvCreateMemStorage(0);
  ~Storage() { cvReleaseMemStorage(&mem); }
};

}  // namespace

void find_two_level_contours(const cv::Mat& mask, std::vector<std::vector<cv::Point>>& contours,
                             std::vector<cv::Vec4i>& hierarchy, std::vector<cv::Rect>& boxes) {
  CV_Assert(mask.type() == CV_8UC1);
  // As cv::findContours: the scanner marks the pixels it visits, so it works on a copy,
  // one pixel wider each side and light there, so that dark pixels on the frame's edge
  // keep their boundary; the offset puts points back in the mask's coordinates.
  thread_local cv::Mat padded;
  cv::copyMakeBorder(mask, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT | cv::BORDER_ISOLATED, cv::Scalar(0));
  thread_local Storage storage;
  cvClearMemStorage(storage.mem);
  CvMat image = cvMat(padded);
  CvContourScanner scanner = cvStartFindContours(&image, storage.mem, sizeof(CvContour), CV_RETR_CCOMP,
                                                 CV_CHAIN_APPROX_SIMPLE, cvPoint(-1, -1));
  try {
    while (cvFindNextContour(scanner)) {
    }
  } catch (...) {
    cvEndFindContours(&scanner);
    throw;
  }
  CvSeq* first = cvEndFindContours(&scanner);

  // cv::findContours' order is its tree's pre-order (cvTreeToNodeSeq): a contour, then
  // its holes, then the next outer boundary. Outer boundaries have no parent (v_prev),
  // so climbing off the last hole of the last one ends the walk. Each contour's number
  // goes in its `color` field (as cv::findContours does) for the links below.
  thread_local std::vector<CvSeq*> order;
  order.clear();
  for (CvSeq* s = first; s;) {
    reinterpret_cast<CvContour*>(s)->color = static_cast<int>(order.size());
    order.push_back(s);
    if (s->v_next) {
      s = s->v_next;
      continue;
    }
    while (s && !s->h_next) s = s->v_prev;
    if (s) s = s->h_next;
  }
  contours.resize(order.size());
  hierarchy.resize(order.size());
  boxes.resize(order.size());
  auto number = [](const CvSeq* s) { return s ? reinterpret_cast<const CvContour*>(s)->color : -1; };
  for (size_t i = 0; i < order.size(); ++i) {
    const CvSeq* s = order[i];
    contours[i].resize(static_cast<size_t>(s->total));
    if (s->total > 0) cvCvtSeqToArray(s, contours[i].data(), CV_WHOLE_SEQ);
    hierarchy[i] = cv::Vec4i(number(s->h_next), number(s->h_prev), number(s->v_next), number(s->v_prev));
    // The scanner has already bounded each contour (cvBoundingRect over its points, as
    // cv::boundingRect bounds them).
    const CvRect r = reinterpret_cast<const CvContour*>(s)->rect;
    boxes[i] = cv::Rect(r.x, r.y, r.width, r.height);
  }
}

}  // namespace cardpoll::detect
