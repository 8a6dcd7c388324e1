// Frame sources: where grey frames come from. One plain struct for every kind of input
// (webcam, phone IP-camera stream, video file, single image, folder of images), so the live
// pipeline, the `cardpoll scan` command and wrappers (reconnecting, stall-detecting,
// fault-injecting) all see the same thing:
//
//   FrameSource src = open_source("0");            // or "/dev/video0", "rtsp://...",
//                                                  // "clip.mp4", "photo.jpg", "shots/"
//   Frame f;
//   for (;;) {
//     SourceRead r = src.read(f);
//     if (r.status == SourceStatus::Ended) break;  // a file or folder is finished
//     if (r.status == SourceStatus::Failed) {      // this read gave no frame: r.message says
//       ...                                        // why; calling read again is allowed
//       continue;                                  // (folders move on, cameras retry)
//     }
//     use(f.gray, f.time_ms);
//   }
//
// A wrapper is just another FrameSource whose `read` calls the inner one's, e.g. a
// reconnecting wrapper keeps `spec` and calls open_source(spec) again after failures; a
// fault-injecting fake is a FrameSource with a lambda that returns Failed when it likes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace cardpoll {

struct Frame {
  cv::Mat gray;           // CV_8UC1, what the detector reads
  cv::Mat colour;         // BGR, only when SourceOptions::keep_colour (for a live view)
  int64_t time_ms = 0;    // files: the frame's position in the video (reproducible);
                          // cameras/streams: steady-clock ms since the source was opened
  int64_t index = 0;      // 0-based frame number within this source
  std::string source;     // the file this frame came from (for folders: the image's path),
                          // or the camera / stream name
};

enum class SourceStatus {
  Frame,   // `frame` holds a new frame
  Ended,   // nothing more will come (file or folder finished); message may say why
  Failed,  // no frame this time (lost camera, undecodable image); message names the cause.
           // The source is still usable: read again to retry or to move to the next file.
};

struct SourceRead {
  SourceStatus status = SourceStatus::Failed;
  std::string message;  // empty for a plain Frame / Ended
};

enum class SourceKind { Camera, Stream, Video, Image, Folder, Other };
const char* source_kind_name(SourceKind k);

struct FrameSource {
  std::string spec;          // what was opened ("0", "/dev/video0", "clip.mp4", ...)
  std::string name;          // for messages and results
  SourceKind kind = SourceKind::Other;
  bool live = false;         // frames arrive in real time (cameras, streams): a consumer that
                             // falls behind must drop frames, not queue them
  int64_t frame_count = -1;  // frames expected (videos, folders, images); -1 when unknown
  double fps = 0;            // nominal frame rate (videos, cameras); 0 when unknown
  cv::Size size;             // frame size when known up front (cameras, videos, images)
  std::string granted;       // cameras: the mode the device actually gave, in words
                             // ("1920x1080 MJPG 30 fps"); webcams often grant less
  // Fills `frame` on SourceStatus::Frame. Not thread-safe: one reader at a time.
  std::function<SourceRead(Frame& frame)> read;
};

struct SourceOptions {
  // What webcams are asked for. The device may grant something else; FrameSource::granted
  // says what it gave.
  int width = 1920;
  int height = 1080;
  int fps = 30;
  bool mjpg = true;          // MJPG lets USB 2 webcams deliver 1080p at 30 fps
  bool keep_colour = false;  // also fill Frame::colour (live view); costs a copy per frame
  int stream_timeout_ms = 5000;  // RTSP/HTTP open and read timeout
};

// Opens whatever `spec` names: a camera index ("0"), a device path ("/dev/video0"), an
// rtsp:// http:// https:// URL, a folder of images, an image file or a video file.
// Throws std::runtime_error naming `spec` when it does not exist or cannot be opened or
// decoded (a corrupt image, a file that is not a video).
FrameSource open_source(const std::string& spec, const SourceOptions& options = {});

// The individual openers (open_source picks one by looking at `spec`).
FrameSource open_camera(const std::string& index_or_device, const SourceOptions& options = {});
FrameSource open_stream(const std::string& url, const SourceOptions& options = {});
FrameSource open_video(const std::filesystem::path& path, const SourceOptions& options = {});
FrameSource open_image(const std::filesystem::path& path, const SourceOptions& options = {});
// Every image file in `dir` (not recursive), in natural name order ("f2" before "f10").
// Other files (e.g. expected-result .txt files next to test images) are skipped. An image
// that cannot be decoded gives one Failed read naming it; the next read moves on.
FrameSource open_folder(const std::filesystem::path& dir, const SourceOptions& options = {});

// True for file names cardpoll treats as images (.png .jpg .jpeg .bmp .tif .tiff .pgm
// .ppm .pbm .pnm .webp), case-insensitive.
bool is_image_file(const std::filesystem::path& path);
// Natural order: digit runs compare as numbers, the rest byte-wise.
bool natural_less(const std::string& a, const std::string& b);

// A source over frames already in memory (tests, benchmarks, replay): the frames in order,
// each with time_ms = index * 1000 / fps, then Ended. `live` marks it as real-time.
FrameSource memory_source(std::vector<cv::Mat> grey_frames, double fps = 30, bool live = false,
                          std::string name = "memory");

}  // namespace cardpoll
