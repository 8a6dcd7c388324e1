#include "scanner/frame_source.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <system_error>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace cardpoll {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// A fresh grey Mat every time: the previous frame may still be in use on another thread,
// and cv::Mat::create would otherwise reuse (overwrite) its buffer.
cv::Mat to_grey(const cv::Mat& img) {
  cv::Mat g;
  if (img.channels() == 3)
    cv::cvtColor(img, g, cv::COLOR_BGR2GRAY);
  else if (img.channels() == 4)
    cv::cvtColor(img, g, cv::COLOR_BGRA2GRAY);
  else
    g = img.clone();
  if (g.depth() != CV_8U) g.convertTo(g, CV_8U, g.depth() == CV_16U ? 1.0 / 257 : 1.0);
  return g;
}

cv::Mat to_colour(const cv::Mat& img) {
  cv::Mat c;
  if (img.channels() == 1)
    cv::cvtColor(img, c, cv::COLOR_GRAY2BGR);
  else if (img.channels() == 4)
    cv::cvtColor(img, c, cv::COLOR_BGRA2BGR);
  else
    c = img.clone();
  return c;
}

std::string fourcc_text(double v) {
  const int f = static_cast<int>(v);
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((f >> (8 * i)) & 0xff);
    s += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  }
  return s;
}

// "rtsp://user:secret@host/x" -> "rtsp://***@host/x": URLs end up in logs and on screen.
std::string hide_credentials(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto host_start = scheme + 3;
  const auto at = url.find('@', host_start);
  const auto slash = url.find('/', host_start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, host_start) + "***" + url.substr(at);
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() < 4 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// State shared by the read lambda of a VideoCapture-backed source.
struct CaptureState {
  cv::VideoCapture cap;
  cv::Mat buffer;   // decoded frame (BGR usually); reused, never handed out
  cv::Mat pending;  // video files: the first frame, read at open time to prove it decodes
  bool has_pending = false;
  int64_t next_index = 0;
  Clock::time_point opened = Clock::now();
};

void fill_frame(Frame& f, const cv::Mat& img, bool keep_colour) {
  f.gray = to_grey(img);
  f.colour = keep_colour ? to_colour(img) : cv::Mat();
}

// Cameras and streams: frames in real time, stamped by the steady clock.
FrameSource live_capture_source(std::shared_ptr<CaptureState> st, const std::string& spec,
                                const std::string& name, SourceKind kind, bool keep_colour,
                                const std::string& lost_message) {
  FrameSource s;
  s.spec = spec;
  s.name = name;
  s.kind = kind;
  s.live = true;
  s.fps = st->cap.get(cv::CAP_PROP_FPS);
  s.size = cv::Size(static_cast<int>(st->cap.get(cv::CAP_PROP_FRAME_WIDTH)),
                    static_cast<int>(st->cap.get(cv::CAP_PROP_FRAME_HEIGHT)));
  st->opened = Clock::now();
  s.read = [st, name, keep_colour, lost_message](Frame& f) -> SourceRead {
    if (!st->cap.read(st->buffer) || st->buffer.empty())
      return {SourceStatus::Failed, name + ": " + lost_message};
    fill_frame(f, st->buffer, keep_colour);
    f.time_ms = ms_since(st->opened);
    f.index = st->next_index++;
    f.source = name;
    return {SourceStatus::Frame, {}};
  };
  return s;
}

}  // namespace

const char* source_kind_name(SourceKind k) {
  switch (k) {
    case SourceKind::Camera: return "camera";
    case SourceKind::Stream: return "stream";
    case SourceKind::Video: return "video";
    case SourceKind::Image: return "image";
    case SourceKind::Folder: return "folder";
    case SourceKind::Other: break;
  }
  return "source";
}

bool is_image_file(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const char* const kExts[] = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff",
                                      ".pgm", ".ppm", ".pbm", ".pnm", ".webp"};
  return std::any_of(std::begin(kExts), std::end(kExts), [&](const char* e) { return ext == e; });
}

bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && a[i2] == '0') ++i2;  // leading zeros do not change the number
      while (j2 < b.size() && b[j2] == '0') ++j2;
      size_t ie = i2, je = j2;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      if (ie - i2 != je - j2) return ie - i2 < je - j2;  // fewer digits: smaller number
      const int c = a.compare(i2, ie - i2, b, j2, je - j2);
      if (c != 0) return c < 0;
      if (ie - i != je - j) return ie - i < je - j;  // "7" before "007": a stable tie-break
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

FrameSource open_camera(const std::string& index_or_device, const SourceOptions& o) {
  auto st = std::make_shared<CaptureState>();
  const bool by_index = all_digits(index_or_device);
  const std::string name =
      by_index ? "camera " + index_or_device : index_or_device;
  std::error_code ec;
  if (!by_index && !fs::exists(index_or_device, ec))
    throw std::runtime_error(name + ": no such camera device");
  // V4L2 directly: OpenCV's default backend choice may pick GStreamer, which ignores the
  // MJPG request and falls back to raw YUYV at 5 fps for 1080p on USB 2 cameras.
  const bool ok = by_index ? st->cap.open(std::stoi(index_or_device), cv::CAP_V4L2)
                           : st->cap.open(index_or_device, cv::CAP_V4L2);
  if (!ok || !st->cap.isOpened())
    throw std::runtime_error(name + ": cannot open the camera (not connected, or in use by "
                                    "another program?)");
  // The order matters for V4L2: the pixel format first, then the size, then the rate.
  if (o.mjpg) st->cap.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
  st->cap.set(cv::CAP_PROP_FRAME_WIDTH, o.width);
  st->cap.set(cv::CAP_PROP_FRAME_HEIGHT, o.height);
  st->cap.set(cv::CAP_PROP_FPS, o.fps);
  st->cap.set(cv::CAP_PROP_BUFFERSIZE, 1);  // the newest frame, not a queue of old ones

  FrameSource s = live_capture_source(st, index_or_device, name, SourceKind::Camera,
                                      o.keep_colour,
                                      "no frame from the camera (unplugged or stalled?)");
  char buf[96];
  std::snprintf(buf, sizeof buf, "%dx%d %s %.0f fps", s.size.width, s.size.height,
                fourcc_text(st->cap.get(cv::CAP_PROP_FOURCC)).c_str(), s.fps);
  s.granted = buf;
  return s;
}

FrameSource open_stream(const std::string& url, const SourceOptions& o) {
  auto st = std::make_shared<CaptureState>();
  const std::string name = hide_credentials(url);
  const std::vector<int> params = {cv::CAP_PROP_OPEN_TIMEOUT_MSEC, o.stream_timeout_ms,
                                   cv::CAP_PROP_READ_TIMEOUT_MSEC, o.stream_timeout_ms};
  if (!st->cap.open(url, cv::CAP_FFMPEG, params) || !st->cap.isOpened())
    throw std::runtime_error(name + ": cannot connect to the stream (wrong address, or the "
                                    "phone app is not running?)");
  FrameSource s = live_capture_source(st, url, name, SourceKind::Stream, o.keep_colour,
                                      "no frame from the stream (connection lost?)");
  return s;
}

FrameSource open_video(const fs::path& path, const SourceOptions& o) {
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw std::runtime_error(name + ": no such file");
  auto st = std::make_shared<CaptureState>();
  if (!st->cap.open(name, cv::CAP_FFMPEG) || !st->cap.isOpened())
    throw std::runtime_error(name + ": cannot open as a video (corrupt, or not a video?)");
  // Decode the first frame now, so a file that opens but holds nothing decodable is
  // reported when it is opened, not as an empty result later.
  if (!st->cap.read(st->pending) || st->pending.empty())
    throw std::runtime_error(name + ": no frame could be decoded (corrupt or empty video)");
  st->has_pending = true;

  FrameSource s;
  s.spec = name;
  s.name = name;
  s.kind = SourceKind::Video;
  s.fps = st->cap.get(cv::CAP_PROP_FPS);
  if (!(s.fps > 0 && s.fps < 1000)) s.fps = 0;
  const double count = st->cap.get(cv::CAP_PROP_FRAME_COUNT);
  s.frame_count = count > 0 ? static_cast<int64_t>(count) : -1;
  s.size = st->pending.size();
  const bool keep_colour = o.keep_colour;
  const double fps = s.fps;
  const int64_t expected = s.frame_count;
  s.read = [st, name, keep_colour, fps, expected](Frame& f) -> SourceRead {
    double pos_ms = 0;
    if (st->has_pending) {
      st->has_pending = false;
      st->buffer = st->pending;
      st->pending = cv::Mat();
    } else {
      pos_ms = st->cap.get(cv::CAP_PROP_POS_MSEC);
      if (!st->cap.read(st->buffer) || st->buffer.empty()) {
        // A container's frame count can be off by a frame or two; far fewer frames than
        // announced means the file was cut short.
        const int64_t got = st->next_index;
        if (expected > 0 && got + 2 < expected && got < expected * 99 / 100)
          return {SourceStatus::Ended, name + ": ended after " + std::to_string(got) + " of " +
                                           std::to_string(expected) +
                                           " frames (truncated or corrupt?)"};
        return {SourceStatus::Ended, {}};
      }
    }
    fill_frame(f, st->buffer, keep_colour);
    f.index = st->next_index++;
    // The frame's position, not the wall clock: the same file gives the same times.
    f.time_ms = fps > 0 ? std::llround(static_cast<double>(f.index) * 1000.0 / fps)
                        : std::llround(pos_ms);
    f.source = name;
    return {SourceStatus::Frame, {}};
  };
  return s;
}

namespace {
// True when the file's first bytes are those of a format the sources read (PNG, JPEG, BMP,
// TIFF, PNM, WebP: the extensions is_image_file admits). cv::imread picks its decoder by
// content, not by name, and some of OpenCV's other decoders abort the whole process on a
// malformed file: found by fuzz_images, a 132-byte "frame.png" holding "DICM" at byte 128
// went to GDCM (DICOM), whose failed assertion killed cardpoll. Such a file never reaches
// imread. OpenCV tries its decoders in turn and the DICOM one looks at bytes 128-131, not at
// the start: a file that starts like a PNM image and has "DICM" there went to GDCM too (the
// fuzzer's second find), so that mark is refused whatever the first bytes say.
bool has_image_signature(const std::string& file) {
  char b[132] = {};
  std::ifstream in(file, std::ios::binary);
  in.read(b, sizeof b);
  const auto n = static_cast<size_t>(in.gcount());
  const auto is = [&](const char* sig, size_t len, size_t at = 0) {
    return n >= at + len && std::memcmp(b + at, sig, len) == 0;
  };
  if (is("DICM", 4, 128)) return false;
  return is("\x89PNG\r\n\x1a\n", 8) || is("\xff\xd8\xff", 3) || is("BM", 2) || is("II*\0", 4) ||
         is("MM\0*", 4) || (n >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') ||
         (is("RIFF", 4) && is("WEBP", 4, 8));
}

// cv::imread, but an image it refuses to decode (a header claiming more pixels than OpenCV's
// limit of 2^30 makes it THROW rather than return an empty image) is an empty result with
// `why` naming the file, so a folder source skips it and goes on.
//
// A PNG's colour-profile and text chunks (iCCP, sRGB, cHRM, tEXt, zTXt, iTXt) are left out
// before OpenCV decodes it: libpng prints its warnings about them ("libpng warning: iCCP:
// known incorrect sRGB profile") straight to the terminal, as OpenCV installs no handler, and
// OpenCV applies no colour management, so the pixels are the same without them. Returns the
// file's bytes without those chunks, or empty when it is not a well-formed PNG (then OpenCV
// reads the file itself and says what is wrong).
std::vector<uchar> png_without_profile_chunks(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<uchar> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const uchar kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < 8 || !std::equal(kSignature, kSignature + 8, bytes.begin())) return {};
  std::vector<uchar> out(bytes.begin(), bytes.begin() + 8);
  size_t at = 8;
  while (at + 12 <= bytes.size()) {
    const size_t length = (size_t{bytes[at]} << 24) | (size_t{bytes[at + 1]} << 16) | (size_t{bytes[at + 2]} << 8) | bytes[at + 3];
    if (length > bytes.size() - at - 12) return {};
    const std::string type(bytes.begin() + static_cast<std::ptrdiff_t>(at + 4), bytes.begin() + static_cast<std::ptrdiff_t>(at + 8));
    const bool dropped = type == "iCCP" || type == "sRGB" || type == "cHRM" || type == "tEXt" || type == "zTXt" || type == "iTXt";
    if (!dropped) out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(at + 12 + length));
    at += 12 + length;
    if (type == "IEND") return out;
  }
  return {};
}

cv::Mat read_image_file(const std::string& file, bool keep_colour, std::string& why) {
  if (!has_image_signature(file)) {
    why = file + ": skipped, not a PNG, JPEG, BMP, TIFF, PNM or WebP image (its first bytes say otherwise)";
    return {};
  }
  cv::Mat img;
  try {
    const int flags = keep_colour ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE;
    const std::vector<uchar> png = png_without_profile_chunks(file);
    img = png.empty() ? cv::imread(file, flags) : cv::imdecode(png, flags);
  } catch (const cv::Exception&) {
    why = file + ": skipped, the image is too large to decode (its header claims more than 2^30 pixels)";
    return {};
  } catch (const std::bad_alloc&) {
    why = file + ": skipped, not enough memory to decode the image";
    return {};
  }
  if (img.empty()) why = file + ": cannot decode the image (corrupt, or not an image?)";
  return img;
}
}  // namespace

FrameSource open_image(const fs::path& path, const SourceOptions& o) {
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw std::runtime_error(name + ": no such file");
  std::string why;
  cv::Mat img = read_image_file(name, o.keep_colour, why);
  if (img.empty()) throw std::runtime_error(why);
  auto frame = std::make_shared<Frame>();
  fill_frame(*frame, img, o.keep_colour);
  frame->source = name;
  FrameSource s;
  s.spec = name;
  s.name = name;
  s.kind = SourceKind::Image;
  s.frame_count = 1;
  s.size = img.size();
  auto done = std::make_shared<bool>(false);
  s.read = [frame, done](Frame& f) -> SourceRead {
    if (*done) return {SourceStatus::Ended, {}};
    *done = true;
    f = *frame;
    return {SourceStatus::Frame, {}};
  };
  return s;
}

FrameSource open_folder(const fs::path& dir, const SourceOptions& o) {
  const std::string name = dir.string();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(name + ": no such folder");
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && is_image_file(it->path())) files.push_back(it->path());
  if (ec) throw std::runtime_error(name + ": cannot list the folder (" + ec.message() + ")");
  if (files.empty()) throw std::runtime_error(name + ": no image files in the folder");
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return natural_less(a.filename().string(), b.filename().string());
  });
  FrameSource s;
  s.spec = name;
  s.name = name;
  s.kind = SourceKind::Folder;
  s.frame_count = static_cast<int64_t>(files.size());
  auto next = std::make_shared<size_t>(0);
  auto list = std::make_shared<std::vector<fs::path>>(std::move(files));
  const bool keep_colour = o.keep_colour;
  s.read = [list, next, keep_colour](Frame& f) -> SourceRead {
    if (*next >= list->size()) return {SourceStatus::Ended, {}};
    const size_t i = (*next)++;
    const std::string file = (*list)[i].string();
    std::string why;
    cv::Mat img = read_image_file(file, keep_colour, why);
    if (img.empty()) return {SourceStatus::Failed, why};
    fill_frame(f, img, keep_colour);
    f.index = static_cast<int64_t>(i);
    f.time_ms = static_cast<int64_t>(i) * 1000 / 30;  // as if shot at 30 fps, for the tracker
    f.source = file;
    return {SourceStatus::Frame, {}};
  };
  return s;
}

FrameSource open_source(const std::string& spec, const SourceOptions& o) {
  if (spec.empty()) throw std::runtime_error("empty input name");
  if (all_digits(spec) || spec.rfind("/dev/video", 0) == 0) return open_camera(spec, o);
  if (spec.find("://") != std::string::npos) return open_stream(spec, o);
  const fs::path p(spec);
  std::error_code ec;
  if (fs::is_directory(p, ec)) return open_folder(p, o);
  if (!fs::exists(p, ec)) throw std::runtime_error(spec + ": no such file or folder");
  if (is_image_file(p)) return open_image(p, o);
  return open_video(p, o);
}

FrameSource memory_source(std::vector<cv::Mat> grey_frames, double fps, bool live,
                          std::string name) {
  FrameSource s;
  s.spec = name;
  s.name = name;
  s.kind = SourceKind::Other;
  s.live = live;
  s.fps = fps;
  s.frame_count = static_cast<int64_t>(grey_frames.size());
  if (!grey_frames.empty()) s.size = grey_frames.front().size();
  auto frames = std::make_shared<std::vector<cv::Mat>>(std::move(grey_frames));
  auto next = std::make_shared<size_t>(0);
  s.read = [frames, next, fps, name](Frame& f) -> SourceRead {
    if (*next >= frames->size()) return {SourceStatus::Ended, {}};
    const size_t i = (*next)++;
    f.gray = (*frames)[i];
    f.colour = cv::Mat();
    f.index = static_cast<int64_t>(i);
    f.time_ms = fps > 0 ? std::llround(static_cast<double>(i) * 1000.0 / fps) : 0;
    f.source = name;
    return {SourceStatus::Frame, {}};
  };
  return s;
}

}  // namespace cardpoll
