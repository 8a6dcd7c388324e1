// Collecting chessboard views for `cardpoll calibrate camera`, frame by frame: read the
// board's geometry from its QR code until known, find the corners, keep a view only when
// the board is held still (live sources: a moving board is blurred) and the view is not a
// near-duplicate of one already kept. The command prints what each frame did; tests drive
// it with frames in memory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "calibration/chessboard.h"

namespace cardpoll::calibration {

enum class ViewOutcome {
  NoGeometry,     // the QR code has not been read yet (and no --board given); when it is
                  // read, `board` is set and the frame goes on to the other outcomes
  NoBoard,        // the whole board is not in the frame
  Moving,         // live: the board moved since the previous frame (or no previous frame)
  NearDuplicate,  // a view like this is already kept
  Kept,
};

struct ViewCollector {
  std::optional<BoardGeometry> board;  // known up front (--board) or from the QR code
  bool live = false;
  double steady_px = 1.5;              // live: mean corner movement that counts as still

  cv::Size size;                       // of the first frame; every frame must match
  std::vector<BoardView> views;
  int frames = 0, with_board = 0, near_duplicates = 0;

  // Throws std::runtime_error naming `label` when the frame size differs from the first.
  ViewOutcome add(const cv::Mat& gray, const std::string& label);
  Coverage coverage() const { return image_coverage(views, size); }
  bool enough(int want_views, double min_coverage) const {
    return int(views.size()) >= want_views && coverage().fraction() >= min_coverage;
  }

 private:
  std::vector<cv::Point2f> previous_;
};

}  // namespace cardpoll::calibration
