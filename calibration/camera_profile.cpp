#include "calibration/camera_profile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

namespace cardpoll::calibration {

namespace {

bool finite(double v) { return std::isfinite(v); }

// Undistortion that keeps iterating until the point stops moving: OpenCV's default of 5
// iterations leaves pixel-sized errors in the corners of a strong wide-angle lens.
const cv::TermCriteria kUndistortCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS, 50,
                                          1e-9);

}  // namespace

std::string profile_problem(const CameraProfile& p) {
  const auto& K = p.camera_matrix;
  if (p.image_size.width <= 0 || p.image_size.height <= 0)
    return "image size " + std::to_string(p.image_size.width) + "x" +
           std::to_string(p.image_size.height) + " is not positive";
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      if (!finite(K(r, c))) return "camera_matrix has a value that is not a number";
  if (!(K(0, 0) > 0 && K(1, 1) > 0)) return "camera_matrix focal lengths must be positive";
  if (K(1, 0) != 0 || K(2, 0) != 0 || K(2, 1) != 0 || K(2, 2) != 1)
    return "camera_matrix must have the form [fx s cx; 0 fy cy; 0 0 1]";
  if (K(0, 2) < 0 || K(0, 2) > p.image_size.width || K(1, 2) < 0 || K(1, 2) > p.image_size.height)
    return "camera_matrix principal point lies outside the image";
  const size_t n = p.dist_coeffs.size();
  if (n != 4 && n != 5 && n != 8)
    return "dist_coeffs must have 4, 5 or 8 values (k1 k2 p1 p2 [k3 [k4 k5 k6]]), not " +
           std::to_string(n);
  for (double d : p.dist_coeffs)
    if (!finite(d)) return "dist_coeffs has a value that is not a number";
  return "";
}

namespace {
CameraProfile parse_checked_profile(const std::string& text, const std::string& name);
}  // namespace

// "" unless `row` is a `rows:`/`cols:`/`sizes:` field whose value is not a whole number 1-16.
static std::string size_field_problem(std::string_view row) {
  size_t k = row.find_first_not_of(" \t");
  if (k == std::string_view::npos) return "";
  row.remove_prefix(k);
  for (std::string_view key : {"rows", "cols", "sizes"}) {
    if (row.substr(0, key.size()) != key) continue;
    std::string_view rest = row.substr(key.size());
    const size_t colon = rest.find_first_not_of(" \t");
    if (colon == std::string_view::npos || rest[colon] != ':') continue;  // another key
    rest.remove_prefix(colon + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t' || rest.back() == '\r')) rest.remove_suffix(1);
    int v = 0;
    bool digits = !rest.empty() && rest.size() <= 2;
    for (char d : rest) {
      digits = digits && d >= '0' && d <= '9';
      v = v * 10 + (d - '0');
    }
    if (!digits || v < 1 || v > 16)
      return "'" + std::string(key) + "' must be a whole number from 1 to 16 (a camera profile's matrices are small)";
  }
  return "";
}

namespace {

bool plain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' || c == '_';
}

// Inside "[ ... ]": numbers (plain words) separated by commas and spaces, up to a ']' that
// ends the line; without one the sequence goes on over the next line.
std::string sequence_problem(std::string_view s, bool& in_sequence) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ']') {
      in_sequence = false;
      return s.find_first_not_of(' ', i + 1) == std::string_view::npos ? "" : "text after ']'";
    }
    if (!plain_char(c) && c != ',' && c != ' ') return "only numbers may stand between [ and ]";
  }
  return "";
}

// The shapes of the lines `cardpoll calibrate camera` (OpenCV's YAML writer) writes, and no
// others: line 1 "%YAML:1.0", line 2 "---", then "name: value" lines (at the margin, or
// indented for a matrix's rows/cols/dt/data) whose value is a number or word, a quoted
// string, !!opencv-matrix, or "[ numbers ]" that may go on over the next lines; blank lines
// and comments. OpenCV 4.6's reader has loops that never end on malformed YAML (fuzzing
// found three different ones, the last on 68 bytes without a "---" line): a blacklist of
// the shapes that hang it cannot be complete, so it only ever reads these.
std::string line_shape_problem(std::string_view row, int line, bool& in_sequence) {
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
  if (line == 1) return row == "%YAML:1.0" ? "" : "the first line must be %YAML:1.0";
  if (line == 2) return row == "---" ? "" : "the second line must be ---";
  const size_t indent = row.find_first_not_of(' ');
  if (indent == std::string_view::npos || row[indent] == '#') return "";  // blank, or a comment
  std::string_view rest = row.substr(indent);
  if (in_sequence) return sequence_problem(rest, in_sequence);
  size_t key = 0;
  while (key < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[key])) || rest[key] == '_')) ++key;
  if (key == 0 || std::isdigit(static_cast<unsigned char>(rest[0])) || key + 1 >= rest.size() || rest[key] != ':' ||
      rest[key + 1] != ' ')
    return "expected 'name: value'";
  rest.remove_prefix(key + 2);
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
  if (rest.empty()) return "expected a value after ':'";
  if (rest == "!!opencv-matrix") return indent == 0 ? "" : "a matrix inside a matrix";
  if (rest[0] == '"')
    return rest.size() >= 2 && rest.back() == '"' && rest.find('"', 1) == rest.size() - 1 ? ""
                                                                                         : "a quoted value must end the line";
  if (rest[0] == '[') {
    in_sequence = true;
    return sequence_problem(rest.substr(1), in_sequence);
  }
  for (char c : rest)
    if (!plain_char(c)) return "expected a number or a word after ':'";
  return "";
}

}  // namespace

std::string profile_text_problem(std::string_view text) {
  if (text.size() > kMaxProfileBytes)
    return "too large for a camera profile (" + std::to_string(text.size()) + " bytes; at most " +
           std::to_string(kMaxProfileBytes) + ")";
  if (text.rfind("%YAML", 0) != 0)
    return "not a camera profile: it must be the YAML file `cardpoll calibrate camera` writes "
           "(starting with %YAML)";
  // OpenCV's own extensions that decode binary payloads: never in a profile cardpoll writes.
  for (const char* bad : {"$base64$", "!!binary"})
    if (text.find(bad) != std::string_view::npos)
      return std::string("holds encoded binary data (") + bad + "), which a camera profile never has";
  int line = 1;
  int documents = 0;
  bool in_sequence = false;  // a "[ numbers" going on over the next line
  std::vector<char> open;  // the flow structures ([ and {) open at this point
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto here = [&] { return "line " + std::to_string(line) + ": "; };
    if (c == '\0') return here() + "a NUL byte: this is not a text file";
    if (c == '\n') {
      if (i - line_start > kMaxProfileLine) return here() + "line too long";
      ++line;
      line_start = i + 1;
      continue;
    }
    if (i == line_start) {
      // A matrix's size fields decide how much OpenCV allocates before it reads the data
      // (found by fuzzing: "rows:\xe73" made it ask for 48 GB): 1-16, plain digits, only.
      const size_t end = text.find('\n', i);
      const std::string_view row = text.substr(i, end == std::string_view::npos ? text.size() - i : end - i);
      if (std::string why = size_field_problem(row); !why.empty()) return here() + why;
      if (std::string why = line_shape_problem(row, line, in_sequence); !why.empty()) return here() + why;
      // Document markers: exactly one "---" line (after %YAML). Found by fuzzing: OpenCV 4.6's
      // reader loops for ever on "---L:..." followed by a "-----" line.
      if (row.substr(0, 3) == "---" || row.substr(0, 3) == "...") {
        const bool plain = row == "---" || row == "---\r";
        if (!plain || documents++ > 0) return here() + "only one '---' line is allowed (one YAML document)";
      }
    }
    if (static_cast<unsigned char>(c) >= 0x80) return here() + "a byte that is not ASCII (outside a comment)";
    if (c == '#') {  // a comment runs to the end of the line
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {  // a quoted scalar must end on its own line
      size_t j = i + 1;
      while (j < text.size() && text[j] != c && text[j] != '\n') ++j;
      if (j >= text.size() || text[j] != c) return here() + "a quotation mark is never closed";
      i = j;
      continue;
    }
    if (c == '[' || c == '{') {
      open.push_back(c);
      if (open.size() > kMaxProfileNesting)
        return here() + "brackets nested " + std::to_string(open.size()) +
               " deep (a camera profile needs at most " + std::to_string(kMaxProfileNesting) + ")";
    } else if (c == ']' || c == '}') {
      const char want = c == ']' ? '[' : '{';
      if (open.empty() || open.back() != want) return here() + "'" + std::string(1, c) + "' closes nothing";
      open.pop_back();
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') {
      return here() + "a control character: this is not a text file";
    }
  }
  if (!open.empty() || in_sequence) return "a '" + std::string(1, open.empty() ? '[' : open.back()) + "' is never closed";
  if (line < 2 || documents == 0) return "the second line must be ---";
  return "";
}

CameraProfile load_camera_profile(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw std::runtime_error(name + ": no such camera profile file");
  // Read at most one byte more than allowed: a huge file is refused without reading it all.
  std::string text;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(name + ": cannot open camera profile");
    text.resize(kMaxProfileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
  }
  if (std::string why = profile_text_problem(text); !why.empty())
    throw std::runtime_error(name + ": " + why);
  try {
    return parse_checked_profile(text, name);
  } catch (const std::runtime_error&) {
    throw;
  } catch (const std::exception& e) {  // std::length_error, std::bad_alloc... from OpenCV
    throw std::runtime_error(name + ": unreadable camera profile (" + e.what() + ")");
  }
}

namespace {

// The checked text, read by OpenCV from memory (the bytes checked are the bytes read).
CameraProfile parse_checked_profile(const std::string& text, const std::string& name) {
  cv::FileStorage fs;
  try {
    if (!fs.open(text, cv::FileStorage::READ | cv::FileStorage::MEMORY | cv::FileStorage::FORMAT_YAML))
      throw std::runtime_error(name + ": cannot open camera profile");
  } catch (const cv::Exception& e) {
    throw std::runtime_error(name + ": not a camera profile (OpenCV YAML): " + e.msg);
  }
  CameraProfile p;
  auto need = [&](const char* key) {
    cv::FileNode n = fs[key];
    if (n.empty()) throw std::runtime_error(name + ": missing '" + key + "'");
    return n;
  };
  try {
    cv::Mat K, D;
    need("camera_matrix") >> K;
    need("dist_coeffs") >> D;
    if (K.rows != 3 || K.cols != 3)
      throw std::runtime_error(name + ": 'camera_matrix' must be a 3x3 matrix");
    if (D.empty() || (D.rows != 1 && D.cols != 1))
      throw std::runtime_error(name + ": 'dist_coeffs' must be a row or column of numbers");
    K.convertTo(K, CV_64F);
    D.convertTo(D, CV_64F);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) p.camera_matrix(r, c) = K.at<double>(r, c);
    p.dist_coeffs.assign(D.begin<double>(), D.end<double>());
    cv::FileNode w = need("image_width"), h = need("image_height");
    if (!w.isInt() || !h.isInt())
      throw std::runtime_error(name + ": 'image_width' and 'image_height' must be whole numbers");
    p.image_size = cv::Size(static_cast<int>(w), static_cast<int>(h));
    if (cv::FileNode r = fs["rms_px"]; r.isReal() || r.isInt()) p.rms_px = static_cast<double>(r);
    if (cv::FileNode v = fs["views"]; v.isInt()) p.views = static_cast<int>(v);
  } catch (const cv::Exception& e) {
    throw std::runtime_error(name + ": unreadable camera profile: " + e.msg);
  }
  if (std::string why = profile_problem(p); !why.empty()) throw std::runtime_error(name + ": " + why);
  return p;
}

}  // namespace

std::string camera_profile_yaml(const CameraProfile& p) {
  if (std::string why = profile_problem(p); !why.empty())
    throw std::invalid_argument("camera profile: " + why);
  cv::FileStorage fs(".yml", cv::FileStorage::WRITE | cv::FileStorage::MEMORY |
                                  cv::FileStorage::FORMAT_YAML);
  fs.writeComment("cardpoll camera profile: lens model of one camera at one resolution");
  fs << "image_width" << p.image_size.width << "image_height" << p.image_size.height;
  fs << "camera_matrix" << cv::Mat(p.camera_matrix);
  fs << "dist_coeffs" << cv::Mat(p.dist_coeffs, true).reshape(1, 1);
  fs << "rms_px" << p.rms_px << "views" << p.views;
  return fs.releaseAndGetString();
}

CameraProfile profile_for_size(const CameraProfile& p, cv::Size frame_size) {
  if (frame_size == p.image_size) return p;
  if (frame_size.width <= 0 || frame_size.height <= 0)
    throw std::runtime_error("camera profile: frame size is empty");
  const double sx = double(frame_size.width) / p.image_size.width;
  const double sy = double(frame_size.height) / p.image_size.height;
  // Same shape within half a pixel: a scaled mode of the same sensor area.
  if (std::abs(sx * p.image_size.height - frame_size.height) > 0.5 + sx)
    throw std::runtime_error("camera profile was measured at " + std::to_string(p.image_size.width) +
                             "x" + std::to_string(p.image_size.height) + " but frames are " +
                             std::to_string(frame_size.width) + "x" +
                             std::to_string(frame_size.height) +
                             " (a different shape): calibrate again at this resolution");
  CameraProfile out = p;
  out.image_size = frame_size;
  // Pixel centres: x' + 0.5 = s (x + 0.5), so principal points shift by (s-1)/2.
  out.camera_matrix(0, 0) *= sx;
  out.camera_matrix(0, 1) *= sx;
  out.camera_matrix(0, 2) = (p.camera_matrix(0, 2) + 0.5) * sx - 0.5;
  out.camera_matrix(1, 1) *= sy;
  out.camera_matrix(1, 2) = (p.camera_matrix(1, 2) + 0.5) * sy - 0.5;
  return out;
}

std::vector<cv::Point2f> undistort_pixels(const CameraProfile& profile, cv::Size frame_size,
                                          const std::vector<cv::Point2f>& pixels) {
  if (pixels.empty()) return {};
  const CameraProfile p = profile_for_size(profile, frame_size);
  std::vector<cv::Point2f> out;
  cv::undistortPoints(pixels, out, cv::Mat(p.camera_matrix), cv::Mat(p.dist_coeffs), cv::noArray(),
                      cv::Mat(p.camera_matrix), kUndistortCriteria);
  return out;
}

void undistort_reads(const CameraProfile& p, cv::Size frame_size, std::vector<CardRead>& reads) {
  if (reads.empty()) return;
  std::vector<cv::Point2f> pts;
  pts.reserve(reads.size() * 4);
  for (const auto& r : reads) pts.insert(pts.end(), r.corners.begin(), r.corners.end());
  const auto fixed = undistort_pixels(p, frame_size, pts);
  for (size_t i = 0; i < reads.size(); ++i)
    for (size_t k = 0; k < 4; ++k) reads[i].corners[k] = fixed[i * 4 + k];
}

FrameUndistorter make_frame_undistorter(const CameraProfile& profile, cv::Size frame_size) {
  const CameraProfile p = profile_for_size(profile, frame_size);
  FrameUndistorter u;
  u.size = frame_size;
  // Same camera matrix out as in: cards keep their size in the centre, so the scanner's
  // size limits mean the same thing with and without straightening.
  cv::initUndistortRectifyMap(cv::Mat(p.camera_matrix), cv::Mat(p.dist_coeffs), cv::noArray(),
                              cv::Mat(p.camera_matrix), frame_size, CV_16SC2, u.map1, u.map2);
  return u;
}

cv::Mat undistort_frame(const FrameUndistorter& u, const cv::Mat& frame) {
  if (frame.size() != u.size)
    throw std::invalid_argument("undistort_frame: frame is " + std::to_string(frame.cols) + "x" +
                                std::to_string(frame.rows) + ", maps are for " +
                                std::to_string(u.size.width) + "x" + std::to_string(u.size.height));
  cv::Mat out;
  cv::remap(frame, out, u.map1, u.map2, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(255));
  return out;
}

std::function<std::vector<CardRead>(const cv::Mat& gray)> undistorting_detector(
    CameraProfile profile, DetectParams params, Undistortion how) {
  if (std::string why = profile_problem(profile); !why.empty())
    throw std::invalid_argument("camera profile: " + why);
  struct Maps {
    std::mutex mutex;
    std::shared_ptr<const FrameUndistorter> maps;
  };
  auto cache = std::make_shared<Maps>();
  return [profile = std::move(profile), params, how, cache](const cv::Mat& gray) {
    if (gray.empty()) return std::vector<CardRead>{};
    if (how == Undistortion::Corners) {
      auto reads = read_cards(gray, params);
      undistort_reads(profile, gray.size(), reads);
      return reads;
    }
    std::shared_ptr<const FrameUndistorter> maps;
    {
      std::lock_guard lock(cache->mutex);
      if (!cache->maps || cache->maps->size != gray.size())
        cache->maps = std::make_shared<const FrameUndistorter>(make_frame_undistorter(profile, gray.size()));
      maps = cache->maps;
    }
    return read_cards(undistort_frame(*maps, gray), params);
  };
}

}  // namespace cardpoll::calibration
