#include "calibration/view_collector.h"

#include <stdexcept>

namespace cardpoll::calibration {

ViewOutcome ViewCollector::add(const cv::Mat& gray, const std::string& label) {
  ++frames;
  if (size.area() == 0) size = gray.size();
  if (gray.size() != size)
    throw std::runtime_error(label + ": " + std::to_string(gray.cols) + "x" + std::to_string(gray.rows) +
                             " differs from the first frame's " + std::to_string(size.width) + "x" +
                             std::to_string(size.height) + ": every view must come from the same camera mode");
  if (!board) {
    board = find_board_qr(gray);
    if (!board) return ViewOutcome::NoGeometry;
  }
  const auto corners = find_board_corners(gray, board->inner);
  if (corners.empty()) {
    previous_.clear();
    return ViewOutcome::NoBoard;
  }
  ++with_board;
  // Live: only a board held still is sharp; a folder's images were all taken on purpose.
  bool steady = !live;
  if (live && previous_.size() == corners.size()) {
    double move = 0;
    for (size_t i = 0; i < corners.size(); ++i) move += cv::norm(corners[i] - previous_[i]);
    steady = move / double(corners.size()) < steady_px;
  }
  previous_ = corners;
  if (!steady) return ViewOutcome::Moving;
  if (!is_distinct_view(views, corners, size)) {
    ++near_duplicates;
    return ViewOutcome::NearDuplicate;
  }
  views.push_back({corners, label});
  return ViewOutcome::Kept;
}

}  // namespace cardpoll::calibration
