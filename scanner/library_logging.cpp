#include "scanner/library_logging.h"

#include <cstdlib>

#include <opencv2/core/utils/logger.hpp>

namespace cardpoll {

void set_library_warnings(bool on) {
  // OpenCV parses OPENCV_LOG_LEVEL before main, so its level is set through its API; FFmpeg's
  // level is read from the environment when OpenCV first opens a video. A value the user set
  // in the environment is kept.
  if (!std::getenv("OPENCV_LOG_LEVEL"))
    cv::utils::logging::setLogLevel(on ? cv::utils::logging::LOG_LEVEL_WARNING
                                       : cv::utils::logging::LOG_LEVEL_ERROR);
  if (!on) setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);  // AV_LOG_QUIET
}

}  // namespace cardpoll
